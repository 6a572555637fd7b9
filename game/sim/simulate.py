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
from game.players import LEVELS, make_player
from game.session import Move, Session, SessionHooks
from game.sim.parallel import check_jobs, chunks, cluster_address, rules_for, run_ordered
from game.sim.stats import wilson_interval

#: Games per unit of work handed to a process (any size gives the same result); games with a
#: search player (seconds each, not milliseconds) go in smaller units, so processes share them out.
CHUNK = 25
SEARCH_CHUNK = 2


def batch_seed(game_seed: int, seat: int) -> int:
    """The seed of the computer player in ``seat`` of a batch game (simulate, tournament,
    golden), so paired runs give every seat the same player on the same game seed."""
    return game_seed * 7919 + seat


def seat_kinds(kinds: Sequence[str], game: int, rotate: bool) -> tuple[str, ...]:
    """The player kind of each company in game ``game`` of a batch: ``kinds`` in the scenario's
    order, or with ``rotate`` shifted by one seat a game (game g: company i plays
    ``kinds[(i + g) % n]``), so over a multiple of n games every kind plays every seat equally."""
    if not rotate:
        return tuple(kinds)
    n = len(kinds)
    return tuple(kinds[(i + game) % n] for i in range(n))


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
    kind: str = ""              # the player kind that played it
    loop_round: int | None = None       # the round its loop closed in, if during the game
    app_round: int | None = None        # the round it launched its app in, if during the game
    built: dict[str, int] = field(default_factory=dict)   # capability -> round first built in game


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


def game_figures(state: GameState, stats: DecisionStats, kinds: Sequence[str] = ()) -> GameFigures:
    """The figures of a finished game (``kinds``: the player kind of each company)."""
    closed_by = {e.company for e in state.log if e.key == "loop_closed"}
    loop_round: dict[str, int] = {}
    built: dict[str, dict[str, int]] = {cid: {} for cid in state.players}
    for e in state.log:
        if e.company is None:
            continue
        if e.key == "loop_closed":
            loop_round.setdefault(e.company, e.round)
        elif e.key == "built":
            cap = e.params.get("capability")
            cap_id = getattr(cap, "id", cap)
            if isinstance(cap_id, str):
                built[e.company].setdefault(cap_id, e.round)
    kinds = tuple(kinds) or ("",) * len(state.players)
    return GameFigures(
        rounds=state.round, actions=len(state.history),
        any_loop_closed=any(cs.loop_closed for cs in state.companies),
        loop_closed_in_game=bool(closed_by), target_win=state.win_reason == "target",
        companies=tuple(CompanyFigures(
            won=state.winner_id == cs.id, gmv=cs.gmv_total, ux=cs.ux, lowest_ux=stats.lowest[i],
            loop_closed=cs.loop_closed, loop_closed_in_game=cs.id in closed_by,
            app_launched=bool(cs.launched_round), decisions=stats.decisions[i],
            choices=stats.choices[i], actions=stats.actions[i], kind=kinds[i],
            loop_round=loop_round.get(cs.id), app_round=cs.launched_round or None,
            built=built[cs.id],
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
    loop_rounds: int = 0          # sum of the rounds loops closed in (games where one did)
    app_rounds: int = 0           # sum of the rounds apps launched in
    built: dict[str, list[int]] = field(default_factory=dict)   # capability -> [games, round sum]
    kinds: dict[str, int] = field(default_factory=dict)         # player kind -> games in this seat

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
        if c.loop_round is not None:
            self.loop_rounds += c.loop_round
        if c.app_round is not None:
            self.app_rounds += c.app_round
        for cap, round_ in c.built.items():
            seen = self.built.setdefault(cap, [0, 0])
            seen[0] += 1
            seen[1] += round_
        if c.kind:
            self.kinds[c.kind] = self.kinds.get(c.kind, 0) + 1

    def as_dict(self, rounds: float) -> dict[str, Any]:
        n = max(self.games, 1)
        lo, hi = wilson_interval(self.wins, self.games)
        return {
            "win_rate": self.wins / n, "win_ci": [round(lo, 6), round(hi, 6)],
            "mean_gmv": self.gmv / n, "mean_ux": self.ux / n,
            "loop_closed_rate": self.loop_closed / n,
            "loop_closed_in_game_rate": self.loop_closed_in_game / n,
            "app_launched_in_game_rate": self.app_launched / n,
            "mean_rounds": rounds, "mean_lowest_ux": self.min_ux / n,
            "choices_per_decision": self.choices / max(self.decisions, 1),
            "action_share": {k: v / max(sum(self.actions.values()), 1)
                             for k, v in sorted(self.actions.items())},
            # the round the loop closed / the app launched in, over the games where it did
            "loop_closed_mean_round": self.loop_rounds / self.loop_closed_in_game
            if self.loop_closed_in_game else None,
            "app_launched_mean_round": self.app_rounds / self.app_launched if self.app_launched else None,
            # per capability built during the game: in what share of games, and in which round
            "capabilities": {cap: {"built_rate": g / n, "mean_round": r / g}
                             for cap, (g, r) in sorted(self.built.items())},
            "player_kinds": dict(sorted(self.kinds.items())),
        }


@dataclass
class KindSummary:
    """One player kind's games over every seat it played (``--rotate``)."""

    games: int = 0
    wins: int = 0
    seats: dict[str, list[int]] = field(default_factory=dict)   # company -> [games, wins]

    def add(self, company: str, c: CompanyFigures) -> None:
        self.games += 1
        self.wins += c.won
        seat = self.seats.setdefault(company, [0, 0])
        seat[0] += 1
        seat[1] += c.won

    def as_dict(self) -> dict[str, Any]:
        lo, hi = wilson_interval(self.wins, self.games)
        return {"games": self.games, "wins": self.wins, "win_rate": self.wins / max(self.games, 1),
                "win_ci": [round(lo, 6), round(hi, 6)],
                "seats": {cid: {"games": g, "wins": w, "win_rate": w / max(g, 1)}
                          for cid, (g, w) in self.seats.items()}}


@dataclass
class SimulationResult:
    scenario: str
    games: int
    seed: int
    players: dict[str, str]
    companies: dict[str, CompanySummary] = field(default_factory=dict)
    rotate: bool = False
    kinds: dict[str, KindSummary] = field(default_factory=dict)
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
        for (cid, summary), figures in zip(self.companies.items(), game.companies):
            summary.add(figures)
            if figures.kind:
                self.kinds.setdefault(figures.kind, KindSummary()).add(cid, figures)

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario, "games": self.games, "seed": self.seed,
            "players": self.players, "mean_rounds": self.mean_rounds,
            "loop_closed_by_someone_rate": self.any_loop_closed / max(self.games, 1),
            "loop_closed_in_game_rate": self.loop_closed_in_game / max(self.games, 1),
            "target_win_rate": self.target_wins / max(self.games, 1),
            "mean_actions": self.actions_total / max(self.games, 1),
            "companies": {c: s.as_dict(self.mean_rounds) for c, s in self.companies.items()},
            "rotate": self.rotate,
            # per player kind over every seat it played (with --rotate, each seat equally)
            "kinds": {k: s.as_dict() for k, s in self.kinds.items()},
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
    rotate: bool = False


def _play_chunk(rules: Rules, chunk: _Chunk) -> list[GameFigures]:
    from game.saves import save_game

    out = []
    for g in chunk.games:
        seed = chunk.seed + g
        state = new_game(rules, chunk.scenario, seed)
        stats = DecisionStats(state)
        kinds = seat_kinds(chunk.kinds, g, chunk.rotate)
        seats = {cid: make_player(kind, batch_seed(seed, i))
                 for i, (cid, kind) in enumerate(zip(state.players, kinds))}
        Session(state, seats, [stats]).run_to_end()
        out.append(game_figures(state, stats, kinds))
        if chunk.save_dir is not None:
            save_game(state, Path(chunk.save_dir) / f"game-{seed:06d}.json",
                      {"players": dict(zip(state.players, kinds))})
    return out


def _play_chunk_in_worker(chunk: _Chunk) -> list[GameFigures]:
    return _play_chunk(rules_for(chunk.rules_dir, chunk.fingerprint), chunk)


def simulate(rules: Rules, scenario: str, games: int, seed: int, kinds: Sequence[str],
             save_dir: str | Path | None = None,
             progress: Callable[[int], object] | None = None, jobs: int = 1,
             rotate: bool = False, cluster: str | None = None) -> SimulationResult:
    """Play ``games`` games with seeds ``seed, seed+1, ...`` and summarise them.

    With ``cluster`` (a Dask scheduler's address) the chunks run on that cluster's workers
    instead (same result). With ``rotate``, game g seats the kinds shifted by g (:func:`seat_kinds`): each kind plays
    every seat equally over a multiple of the number of companies, and the summary's ``kinds``
    gives each kind's win rate over all its seats.

    With ``jobs`` > 1 the games run in that many processes, which load the rules again from
    ``rules.source_dir`` (so rules changed in memory need ``jobs=1``); the result is the same
    for any ``jobs``.
    """
    check_jobs(jobs)
    scen = rules.scenario(scenario)
    if len(kinds) != len(scen.companies):
        raise ValueError(f"need one player kind per company ({', '.join(scen.companies)}), "
                         f"got {len(kinds)}")
    result = SimulationResult(scenario, games, seed, dict(zip(scen.companies, kinds)), rotate=rotate)
    for cid in scen.companies:
        result.companies[cid] = CompanySummary()
    # A cluster's workers may start elsewhere: they get the rules folder's full path.
    cluster = cluster if cluster is not None else cluster_address()
    rules_dir = str(Path(rules.source_dir).resolve()) if cluster is not None else str(rules.source_dir)
    work = [_Chunk(rules_dir, rules.fingerprint, scenario, tuple(kinds), seed, part,
                   None if save_dir is None else str(save_dir), rotate)
            for part in chunks(0, games, SEARCH_CHUNK if set(kinds) & set(LEVELS) else CHUNK)]
    in_process = cluster is None and (jobs == 1 or len(work) <= 1)      # as run_ordered decides
    play = partial(_play_chunk, rules) if in_process else _play_chunk_in_worker
    for chunk, figures in zip(work, run_ordered(play, work, jobs, cluster=cluster)):
        for game in figures:
            result.add(game)
        if progress:
            progress(len(chunk.games))
    return result
