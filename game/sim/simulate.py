"""Play many games headless and sum them up per company."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from game.engine import GameState, Rules, new_game
from game.players import make_player


@dataclass
class CompanySummary:
    games: int = 0
    wins: int = 0
    gmv: float = 0.0
    ux: float = 0.0
    min_ux: float = 0.0
    loop_closed: int = 0
    loop_closed_in_game: int = 0
    app_launched: int = 0
    decisions: int = 0
    choices: int = 0
    actions: dict[str, int] = field(default_factory=dict)

    def as_dict(self, rounds: float) -> dict[str, float]:
        n = max(self.games, 1)
        return {
            "win_rate": self.wins / n, "mean_gmv": self.gmv / n, "mean_ux": self.ux / n,
            "loop_closed_rate": self.loop_closed / n,
            "loop_closed_in_game_rate": self.loop_closed_in_game / n,
            "app_launched_in_game_rate": self.app_launched / n,
            "mean_rounds": rounds, "mean_lowest_ux": self.min_ux / n,
            "choices_per_decision": self.choices / max(self.decisions, 1),
            "action_share": {k: v / max(sum(self.actions.values()), 1)
                             for k, v in sorted(self.actions.items())},
        }


@dataclass
class SimulationResult:
    scenario: str
    games: int
    seed: int
    players: dict[str, str]
    companies: dict[str, CompanySummary] = field(default_factory=dict)
    rounds_total: int = 0
    any_loop_closed: int = 0
    loop_closed_in_game: int = 0
    target_wins: int = 0
    actions_total: int = 0

    @property
    def mean_rounds(self) -> float:
        return self.rounds_total / max(self.games, 1)

    def as_dict(self) -> dict:
        return {
            "scenario": self.scenario, "games": self.games, "seed": self.seed,
            "players": self.players, "mean_rounds": self.mean_rounds,
            "loop_closed_by_someone_rate": self.any_loop_closed / max(self.games, 1),
            "loop_closed_in_game_rate": self.loop_closed_in_game / max(self.games, 1),
            "target_win_rate": self.target_wins / max(self.games, 1),
            "mean_actions": self.actions_total / max(self.games, 1),
            "companies": {c: s.as_dict(self.mean_rounds) for c, s in self.companies.items()},
        }


def play_game(rules: Rules, scenario: str, seed: int, kinds: Sequence[str],
              companies: Iterable[str] | None = None,
              stats: dict[str, CompanySummary] | None = None) -> GameState:
    """One game of computer players (one kind per company, in the scenario's order).

    With ``stats``, counts per company the choices at each real decision (more than one legal
    action), the actions taken and the lowest user experience.
    """
    state = new_game(rules, scenario, seed, companies)
    if len(kinds) != len(state.players):
        raise ValueError(f"need one player kind per company ({', '.join(state.players)}), "
                         f"got {len(kinds)}")
    players = [make_player(kind, seed * 7919 + i) for i, kind in enumerate(kinds)]
    lowest = [cs.ux for cs in state.companies]
    while not state.is_terminal():
        action = players[state.current].choose(state)
        if stats is not None:
            s = stats[state.current_company]
            n = len(state.legal_actions())  # asked again: players need not report what they saw
            if n > 1:
                s.decisions += 1
                s.choices += n
            s.actions[action.id] = s.actions.get(action.id, 0) + 1
        state.apply_action(action)
        for cs in state.companies:
            lowest[cs.index] = min(lowest[cs.index], cs.ux)
    if stats is not None:
        for cs in state.companies:
            stats[cs.id].min_ux += lowest[cs.index]
    return state


def simulate(rules: Rules, scenario: str, games: int, seed: int, kinds: Sequence[str],
             save_dir: str | Path | None = None,
             progress: Callable[[int], None] | None = None) -> SimulationResult:
    """Play ``games`` games with seeds ``seed, seed+1, ...`` and summarise them."""
    from game.saves import save_game

    scen = rules.scenario(scenario)
    result = SimulationResult(scenario, games, seed, dict(zip(scen.companies, kinds)))
    for cid in scen.companies:
        result.companies[cid] = CompanySummary()
    for g in range(games):
        state = play_game(rules, scenario, seed + g, kinds, stats=result.companies)
        result.rounds_total += state.round
        result.actions_total += len(state.history)
        result.any_loop_closed += any(cs.loop_closed for cs in state.companies)
        result.loop_closed_in_game += any(e.key == "loop_closed" for e in state.log)
        result.target_wins += state.win_reason == "target"
        for cs in state.companies:
            s = result.companies[cs.id]
            s.games += 1
            s.wins += state.winner == cs.index
            s.gmv += cs.gmv_total
            s.ux += cs.ux
            s.loop_closed += cs.loop_closed
            s.loop_closed_in_game += any(e.key == "loop_closed" and e.company == cs.id for e in state.log)
            s.app_launched += bool(cs.launched_round)  # launched during the game
        if save_dir is not None:
            save_game(state, Path(save_dir) / f"game-{seed + g:06d}.json",
                      {"players": dict(zip(state.players, kinds))})
        if progress:
            progress(1)
    return result
