"""Play many games headless and sum them up per company.

Each game gives a :class:`GameFigures` record; the summary adds the records up in game order,
so the result is the same (to the last bit) whether the games ran in one process or in
``jobs`` processes (:mod:`game.sim.parallel`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from game.engine import GameState, Rules, new_game
from game.players import make_player
from game.session import Move, Session, SessionHooks
from game.sim.parallel import check_jobs, chunks, cluster_address, rules_for, run_ordered

#: Games per unit of work handed to a process (any size gives the same result).
CHUNK = 25


def batch_seed(game_seed: int, seat: int) -> int:
    """The seed of the computer player in ``seat`` of a batch game (simulate, tournament,
    golden), so paired runs give every seat the same player on the same game seed."""
    return game_seed * 7919 + seat


def play_game(rules: Rules, scenario: str, seed: int, kinds: Sequence[str],
              companies: Iterable[str] | None = None,
              hooks: Iterable[SessionHooks] = ()) -> GameState:
    """One game of computer players (one kind per company, in the scenario's order)."""
    state = new_game(rules, scenario, seed, companies)
    if len(kinds) != len(state.players):
        raise ValueError(f"need one player kind per company ({', '.join(state.players)}), "
                         f"got {len(kinds)}")
    seats = {cid: make_player(kind, batch_seed(seed, i))
             for i, (cid, kind) in enumerate(zip(state.players, kinds))}
    return Session(state, seats, hooks).run_to_end()


# ------------------------------------------------------------------------------ one game


@dataclass(frozen=True, slots=True)
class CompanyFigures:
    """One company's figures in one game."""

    won: bool
    gmv: float
    ux: float
    lowest_ux: float
    loop_closed: bool
    loop_closed_in_game: bool
    app_launched: bool          # during the game
    decisions: int              # its moves with more than one legal action
    choices: int                # legal actions summed over those moves
    actions: dict[str, int]     # action id -> times taken


@dataclass(frozen=True, slots=True)
class GameFigures:
    """One game's figures: what :class:`SimulationResult` adds up."""

    rounds: int
    actions: int
    any_loop_closed: bool
    loop_closed_in_game: bool
    target_win: bool
    companies: tuple[CompanyFigures, ...]   # in the game's company order


class DecisionStats(SessionHooks):
    """Counts per company the choices at each real decision (more than one legal action), the
    actions taken and the lowest user experience seen."""

    def __init__(self, state: GameState):
        n = len(state.players)
        self.decisions = [0] * n
        self.choices = [0] * n
        self.actions: list[dict[str, int]] = [{} for _ in range(n)]
        self.lowest = [cs.ux for cs in state.companies]
        self._legal = 0

    def before_action(self, state: GameState, company: str) -> None:
        # Asked again: players need not report what they saw.
        self._legal = len(state.legal_actions())

    def on_action(self, state: GameState, move: Move) -> None:
        i = state.players.index(move.company)
        if self._legal > 1:
            self.decisions[i] += 1
            self.choices[i] += self._legal
        counts = self.actions[i]
        counts[move.action.id] = counts.get(move.action.id, 0) + 1
        lowest = self.lowest
        for j, cs in enumerate(state.companies):
            if cs.ux < lowest[j]:
                lowest[j] = cs.ux


def game_figures(state: GameState, stats: DecisionStats) -> GameFigures:
    """The figures of a finished game."""
    closed_by = {e.company for e in state.log if e.key == "loop_closed"}
    return GameFigures(
        rounds=state.round, actions=len(state.history),
        any_loop_closed=any(cs.loop_closed for cs in state.companies),
        loop_closed_in_game=bool(closed_by), target_win=state.win_reason == "target",
        companies=tuple(CompanyFigures(
            won=state.winner_id == cs.id, gmv=cs.gmv_total, ux=cs.ux, lowest_ux=stats.lowest[i],
            loop_closed=cs.loop_closed, loop_closed_in_game=cs.id in closed_by,
            app_launched=bool(cs.launched_round), decisions=stats.decisions[i],
            choices=stats.choices[i], actions=stats.actions[i],
        ) for i, cs in enumerate(state.companies)))


# ------------------------------------------------------------------------------ the summary


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

    def add(self, c: CompanyFigures) -> None:
        self.games += 1
        self.wins += c.won
        self.gmv += c.gmv
        self.ux += c.ux
        self.min_ux += c.lowest_ux
        self.loop_closed += c.loop_closed
        self.loop_closed_in_game += c.loop_closed_in_game
        self.app_launched += c.app_launched
        self.decisions += c.decisions
        self.choices += c.choices
        for k, v in c.actions.items():
            self.actions[k] = self.actions.get(k, 0) + v

    def as_dict(self, rounds: float) -> dict[str, Any]:
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

    def add(self, game: GameFigures) -> None:
        """Count one game in (call in game order: float sums depend on it)."""
        self.rounds_total += game.rounds
        self.actions_total += game.actions
        self.any_loop_closed += game.any_loop_closed
        self.loop_closed_in_game += game.loop_closed_in_game
        self.target_wins += game.target_win
        for summary, figures in zip(self.companies.values(), game.companies):
            summary.add(figures)

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario, "games": self.games, "seed": self.seed,
            "players": self.players, "mean_rounds": self.mean_rounds,
            "loop_closed_by_someone_rate": self.any_loop_closed / max(self.games, 1),
            "loop_closed_in_game_rate": self.loop_closed_in_game / max(self.games, 1),
            "target_win_rate": self.target_wins / max(self.games, 1),
            "mean_actions": self.actions_total / max(self.games, 1),
            "companies": {c: s.as_dict(self.mean_rounds) for c, s in self.companies.items()},
        }


# ------------------------------------------------------------------------------ many games


@dataclass(frozen=True)
class _Chunk:
    """Games ``games`` (indices: game g has seed ``seed + g``) of one simulation."""

    rules_dir: str
    fingerprint: str
    scenario: str
    kinds: tuple[str, ...]
    seed: int
    games: range
    save_dir: str | None


def _play_chunk(rules: Rules, chunk: _Chunk) -> list[GameFigures]:
    from game.saves import save_game

    out = []
    for g in chunk.games:
        seed = chunk.seed + g
        state = new_game(rules, chunk.scenario, seed)
        stats = DecisionStats(state)
        seats = {cid: make_player(kind, batch_seed(seed, i))
                 for i, (cid, kind) in enumerate(zip(state.players, chunk.kinds))}
        Session(state, seats, [stats]).run_to_end()
        out.append(game_figures(state, stats))
        if chunk.save_dir is not None:
            save_game(state, Path(chunk.save_dir) / f"game-{seed:06d}.json",
                      {"players": dict(zip(state.players, chunk.kinds))})
    return out


def _play_chunk_in_worker(chunk: _Chunk) -> list[GameFigures]:
    return _play_chunk(rules_for(chunk.rules_dir, chunk.fingerprint), chunk)


def simulate(rules: Rules, scenario: str, games: int, seed: int, kinds: Sequence[str],
             save_dir: str | Path | None = None,
             progress: Callable[[int], object] | None = None, jobs: int = 1) -> SimulationResult:
    """Play ``games`` games with seeds ``seed, seed+1, ...`` and summarise them.

    With ``jobs`` > 1 the games run in that many processes, which load the rules again from
    ``rules.source_dir`` (so rules changed in memory need ``jobs=1``); the result is the same
    for any ``jobs``.
    """
    check_jobs(jobs)
    scen = rules.scenario(scenario)
    if len(kinds) != len(scen.companies):
        raise ValueError(f"need one player kind per company ({', '.join(scen.companies)}), "
                         f"got {len(kinds)}")
    result = SimulationResult(scenario, games, seed, dict(zip(scen.companies, kinds)))
    for cid in scen.companies:
        result.companies[cid] = CompanySummary()
    work = [_Chunk(str(rules.source_dir), rules.fingerprint, scenario, tuple(kinds), seed, part,
                   None if save_dir is None else str(save_dir))
            for part in chunks(0, games, CHUNK)]
    in_process = (jobs == 1 or len(work) <= 1) and cluster_address() is None   # as run_ordered decides
    play = partial(_play_chunk, rules) if in_process else _play_chunk_in_worker
    for chunk, figures in zip(work, run_ordered(play, work, jobs)):
        for game in figures:
            result.add(game)
        if progress:
            progress(len(chunk.games))
    return result
