"""The designer's tournament: strategy archetypes against each other, seat by seat.

Every seat (company) of a scenario is given every archetype, against every mix of archetypes in
the other seats: ``A`` archetypes and ``S`` seats make ``A**S`` strategy profiles. Each profile
plays the same seeds (game ``g`` has seed ``seed + g``, as ``simulate`` numbers them, and the
players of seat ``i`` get ``seed * 7919 + i``), so two profiles differ only by their players.

The profiles where at most one seat is not the baseline (the heuristic) play ``games`` games:
they give each archetype's win rate against the baseline. The others play the first
``mix_games`` of those seeds (fewer, so the full tensor stays affordable); every estimate says
how many games it rests on.

From the tensor of win rates: per seat and archetype, the win rate against the baseline with a
Wilson 95% interval and the lowest win rate against any mix of the other seats; the seat-wise
meta-game (one population per seat, payoff = win rate) is solved with α-rank and with
fictitious play (:mod:`game.sim.metagame`).

Games run in parallel processes (``jobs``); the work is cut into fixed chunks whose results are
summed in a fixed order, so the result is the same for any number of jobs.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from game.players import PLAYER_KINDS, archetype_summary
from game.players.archetypes import ARCHETYPES
from game.sim.metagame import alpha_rank_sweep, expected_payoffs, fictitious_play
from game.sim.parallel import rules_for, run_ordered
from game.sim.stats import Z95, wilson_interval  # noqa: F401 (Z95: part of this module's face)

DEFAULT_GAMES = 200
DEFAULT_MIX_GAMES = 50
DEFAULT_ARCHETYPES: tuple[str, ...] = tuple(ARCHETYPES)
CHUNK = 20            # games per unit of work handed to a process
@dataclass(frozen=True)
class TournamentSpec:
    """What to play. ``mix_games`` None: ``min(games, DEFAULT_MIX_GAMES)``."""

    scenario: str = "default"
    archetypes: tuple[str, ...] = DEFAULT_ARCHETYPES
    games: int = DEFAULT_GAMES
    mix_games: int | None = None
    seed: int = 1
    baseline: str = "heuristic"

    def resolved(self) -> TournamentSpec:
        """The spec with its defaults filled in and checked; the baseline joins the archetypes
        when it is not among them."""
        if self.games < 1:
            raise ValueError("--games must be at least 1")
        mix = min(self.games, DEFAULT_MIX_GAMES) if self.mix_games is None else self.mix_games
        if not 1 <= mix <= self.games:
            raise ValueError(f"--mix-games must be between 1 and --games ({self.games}), got {mix}")
        names = list(dict.fromkeys(self.archetypes))
        if not names:
            raise ValueError("--archetypes needs at least one archetype")
        bad = [n for n in [*names, self.baseline] if n not in PLAYER_KINDS]
        if bad:
            raise ValueError(f"unknown archetype {', '.join(bad)} (known: {', '.join(PLAYER_KINDS)})")
        if self.baseline not in names:
            names.append(self.baseline)
        return TournamentSpec(self.scenario, tuple(names), self.games, mix, self.seed, self.baseline)


def profile_games(spec: TournamentSpec, seats: int) -> list[tuple[tuple[int, ...], int]]:
    """Every profile (archetype index per seat, in itertools.product order) and its games."""
    base = spec.archetypes.index(spec.baseline)
    mix = spec.mix_games
    assert mix is not None, "profile_games needs a resolved spec"
    out = []
    for prof in itertools.product(range(len(spec.archetypes)), repeat=seats):
        others = sum(1 for a in prof if a != base)
        out.append((prof, spec.games if others <= 1 else mix))
    return out


# ------------------------------------------------------------------------------ playing

@dataclass(frozen=True)
class _Task:
    rules_dir: str
    scenario: str
    kinds: tuple[str, ...]
    seed: int
    first: int     # index of the first game
    count: int


def _play(task: _Task) -> tuple[list[int], list[int], list[float], int]:
    """Play a chunk of one profile's games: wins, wins on the target and GMV per seat, actions."""
    from game.sim.simulate import play_game

    rules = rules_for(task.rules_dir)
    n = len(task.kinds)
    wins, target, gmv, actions = [0] * n, [0] * n, [0.0] * n, 0
    for g in range(task.first, task.first + task.count):
        state = play_game(rules, task.scenario, task.seed + g, task.kinds)
        winner = state.winner
        assert winner is not None   # a finished game always has a winner
        wins[winner] += 1
        target[winner] += state.win_reason == "target"
        for i, cs in enumerate(state.companies):
            gmv[i] += cs.gmv_total
        actions += len(state.history)
    return wins, target, gmv, actions


@dataclass
class TournamentGames:
    """The raw counts, per profile (arrays of shape A**S, with a last axis of seats)."""

    spec: TournamentSpec
    seats: tuple[str, ...]
    games: np.ndarray
    wins: np.ndarray
    target_wins: np.ndarray
    gmv: np.ndarray
    head_wins: np.ndarray      # wins and GMV in the first mix_games games (which every profile plays)
    head_gmv: np.ndarray
    actions: int = 0


def play_tournament(rules_dir: str | Path, spec: TournamentSpec, jobs: int = 1,
                    progress: Callable[[int], object] | None = None) -> TournamentGames:
    """Play every profile's games, in ``jobs`` processes (1: in this one)."""
    spec = spec.resolved()
    mix = spec.mix_games
    assert mix is not None   # resolved() filled it in
    rules_dir = str(rules_dir)
    scen = rules_for(rules_dir).scenario(spec.scenario)
    seats = scen.companies
    a, s = len(spec.archetypes), len(seats)
    shape = (a,) * s
    tasks = []
    for prof, n in profile_games(spec, s):
        kinds = tuple(spec.archetypes[i] for i in prof)
        # Chunks never straddle mix_games, so the first mix_games games of every profile can
        # be told apart (see TournamentGames.head_wins).
        starts = [*range(0, mix, CHUNK), *range(mix, n, CHUNK)]
        for first in starts:
            stop = min(first + CHUNK, mix if first < mix else n)
            tasks.append((prof, _Task(rules_dir, spec.scenario, kinds, spec.seed, first, stop - first)))
    out = TournamentGames(spec, seats, np.zeros(shape, dtype=np.int64),
                          np.zeros((*shape, s), dtype=np.int64),
                          np.zeros((*shape, s), dtype=np.int64), np.zeros((*shape, s)),
                          np.zeros((*shape, s), dtype=np.int64), np.zeros((*shape, s)))

    def take(prof, task, result) -> None:
        wins, target, gmv, actions = result
        out.games[prof] += task.count
        out.wins[prof] += wins
        out.target_wins[prof] += target
        out.gmv[prof] += gmv
        if task.first < spec.mix_games:
            out.head_wins[prof] += wins
            out.head_gmv[prof] += gmv
        out.actions += actions
        if progress:
            progress(task.count)

    # Results come in the tasks' order, so the sums are made in the same order for any jobs.
    for (prof, task), result in zip(tasks, run_ordered(_play, [t for _, t in tasks], jobs,
                                                       chunksize=4)):
        take(prof, task, result)
    return out


# ------------------------------------------------------------------------------ analysis


@dataclass(frozen=True)
class Cell:
    """One archetype in one seat."""

    seat: str
    archetype: str
    games: int                     # against the baseline in every other seat
    wins: int
    win_rate: float
    ci: tuple[float, float]
    target_wins: int
    mean_gmv: float
    worst_case_win_rate: float     # lowest against any mix of archetypes in the other seats
    worst_case_ci: tuple[float, float]
    worst_case_games: int
    worst_case_mix: dict[str, str]
    mean_win_rate_over_mixes: float


@dataclass(frozen=True)
class Equilibrium:
    alpha: float
    population_size: int
    converged: bool
    masses: dict[str, dict[str, float]]        # seat -> archetype -> α-rank mass
    ranking: dict[str, list[str]]              # seat -> archetypes, best first
    top_profiles: list[tuple[dict[str, str], float]]
    nash: dict[str, dict[str, float]]          # seat -> archetype -> probability
    nash_conv: float
    nash_iterations: int
    same_games: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # seat -> kept -> its twins
    value: dict[str, float] = field(default_factory=dict)        # seat -> its win rate under alpha-rank
    nash_value: dict[str, float] = field(default_factory=dict)   # seat -> its win rate at the Nash mix
    sweep: list[tuple[float, dict[str, dict[str, float]]]] = field(default_factory=list)
    top_settled_from: float | None = None   # alpha from which each seat's top (mass >= 1%) keeps its order


@dataclass
class TournamentResult:
    spec: TournamentSpec
    seats: tuple[str, ...]
    raw: TournamentGames
    payoffs: np.ndarray                        # (S, A, ..., A) win rates
    cells: dict[str, dict[str, Cell]]
    equilibrium: Equilibrium
    notes: list[str] = field(default_factory=list)

    def kinds(self) -> dict[str, dict]:
        """Each archetype's win rate with every seat pooled, against the baseline in the other
        seats (``--rotate``): every archetype plays every seat the same number of games, so
        this is the rotated win rate of ``simulate --rotate``, with its 95% interval."""
        out: dict[str, dict] = {}
        for name in self.spec.archetypes:
            cells = [self.cells[seat][name] for seat in self.seats]
            n, w = sum(c.games for c in cells), sum(c.wins for c in cells)
            lo, hi = wilson_interval(w, n)
            out[name] = {"games": n, "wins": w, "win_rate": round(w / n, 4),
                         "ci": [round(lo, 4), round(hi, 4)],
                         "seats": {c.seat: round(c.win_rate, 4) for c in cells}}
        return out

    def as_dict(self, command: str | None = None, rotate: bool = False) -> dict:
        """JSON-ready, shaped {"seats": {seat: {archetype: {...}}}, "equilibrium": {...}, ...};
        with ``rotate`` also {"kinds": {archetype: {...}}} (see :meth:`kinds`)."""
        spec, eq = self.spec, self.equilibrium
        r4 = lambda x: round(float(x), 4)  # noqa: E731
        seats = {
            seat: {name: {
                "win_rate": r4(c.win_rate), "ci": [r4(c.ci[0]), r4(c.ci[1])], "games": c.games,
                "worst_case_win_rate": r4(c.worst_case_win_rate),
                "worst_case_ci": [r4(c.worst_case_ci[0]), r4(c.worst_case_ci[1])],
                "worst_case_games": c.worst_case_games, "worst_case_mix": c.worst_case_mix,
                "mean_win_rate_over_mixes": r4(c.mean_win_rate_over_mixes),
                "target_win_rate": r4(c.target_wins / c.games), "mean_gmv": round(c.mean_gmv, 1),
            } for name, c in cells.items()} for seat, cells in self.cells.items()}
        profiles = []
        for prof in itertools.product(range(len(spec.archetypes)), repeat=len(self.seats)):
            n = int(self.raw.games[prof])
            profiles.append([*(spec.archetypes[i] for i in prof), n,
                             *(int(w) for w in self.raw.wins[prof])])
        out = {
            "scenario": spec.scenario, "seed": spec.seed, "games": spec.games,
            "mix_games": spec.mix_games, "baseline": spec.baseline,
            "archetypes": list(spec.archetypes),
            "archetype_summaries": {a: archetype_summary(a) for a in spec.archetypes},
        }
        if command:
            out["command"] = command
        out["seats"] = seats
        if rotate:
            out["kinds"] = self.kinds()
        out["equilibrium"] = {
            "method": "alpha-rank (multi-population, one population per seat; payoff: win rate)",
            "alpha": r4(eq.alpha), "population_size": eq.population_size,
            "converged": eq.converged,
            "seats": {s: {a: round(m, 6) for a, m in ms.items()} for s, ms in eq.masses.items()},
            "ranking": eq.ranking,
            "same_games": eq.same_games,
            "top_profiles": [{"profile": p, "mass": round(m, 6)} for p, m in eq.top_profiles],
            "win_rate_in_equilibrium": {s: r4(v) for s, v in eq.value.items()},
            "top_settled_from_alpha": None if eq.top_settled_from is None else r4(eq.top_settled_from),
            "sweep": [{"alpha": r4(a), "seats": {s: {n: round(m, 4) for n, m in ms.items() if m >= 0.005}
                                                 for s, ms in step.items()}}
                      for a, step in eq.sweep],
            "nash": {
                "method": "fictitious play from uniform beliefs (best iterate)",
                "nash_conv": round(eq.nash_conv, 6), "iterations": eq.nash_iterations,
                "win_rate_in_equilibrium": {s: r4(v) for s, v in eq.nash_value.items()},
                "seats": {s: {a: round(p, 6) for a, p in ps.items()} for s, ps in eq.nash.items()},
            },
        }
        out["payoffs"] = {
            "description": "every profile: one archetype per seat (in seat order), games, wins per seat",
            "columns": [*self.seats, "games", *(f"wins_{s}" for s in self.seats)],
            "profiles": profiles,
        }
        out["notes"] = self.notes
        return out


def equivalence_classes(raw: TournamentGames, seat: int) -> dict[int, list[int]]:
    """Archetypes that played exactly the same games in ``seat`` (the same wins and GMV of
    every seat in every profile's first mix_games games), as {kept archetype: [its twins]}."""
    names = raw.spec.archetypes
    base = names.index(raw.spec.baseline)

    def key(i: int) -> bytes:
        return b"".join(np.take(x, i, axis=seat).tobytes()
                        for x in (raw.head_wins, raw.head_gmv))

    groups: dict[bytes, list[int]] = {}
    for i in range(len(names)):
        groups.setdefault(key(i), []).append(i)
    out = {}
    for members in groups.values():
        keep = base if base in members else members[0]
        out[keep] = [j for j in members if j != keep]
    return out


def analyse(raw: TournamentGames, alpha_m: int = 50, fp_iterations: int = 20000) -> TournamentResult:
    """Win rates, intervals, worst cases and the meta-game's equilibrium from the counts."""
    spec, seats = raw.spec, raw.seats
    names = spec.archetypes
    a, s = len(names), len(seats)
    base = names.index(spec.baseline)
    games = raw.games.astype(float)
    payoffs = np.stack([raw.wins[..., k] / np.maximum(games, 1) for k in range(s)])

    cells: dict[str, dict[str, Cell]] = {}
    for k, seat in enumerate(seats):
        cells[seat] = {}
        for i, name in enumerate(names):
            vs = tuple(i if j == k else base for j in range(s))
            n, w = int(raw.games[vs]), int(raw.wins[vs + (k,)])
            worst, worst_prof, rates = None, None, []
            for others in itertools.product(range(a), repeat=s - 1):
                prof = others[:k] + (i,) + others[k:]
                rate = payoffs[(k, *prof)]
                rates.append(rate)
                if worst is None or rate < worst - 1e-12:
                    worst, worst_prof = rate, prof
            assert worst_prof is not None   # a seat has at least one profile
            wn = int(raw.games[worst_prof])
            ww = int(raw.wins[worst_prof + (k,)])
            cells[seat][name] = Cell(
                seat, name, n, w, w / n, wilson_interval(w, n), int(raw.target_wins[vs + (k,)]),
                float(raw.gmv[vs + (k,)] / n), ww / wn, wilson_interval(ww, wn), wn,
                {seats[j]: names[worst_prof[j]] for j in range(s) if j != k},
                float(np.mean(rates)))

    # Archetypes that play the very same games in a seat (on paired seeds: the same wins and
    # GMV in every profile, e.g. ban_early and the heuristic in a seat with no links to ban)
    # are one strategy there: the meta-game keeps one of each such class, the baseline if it
    # is in it, else the first.
    reps = [equivalence_classes(raw, k) for k in range(s)]
    kept = [sorted(r) for r in reps]
    sub = payoffs[np.ix_(range(s), *kept)]
    ar = alpha_rank_sweep(sub, m=alpha_m)
    fp = fictitious_play(sub, iterations=fp_iterations)
    masses, nash, same = {}, {}, {}
    for k, seat in enumerate(seats):
        masses[seat] = {n: 0.0 for n in names}
        nash[seat] = {n: 0.0 for n in names}
        for pos, i in enumerate(kept[k]):
            masses[seat][names[i]] = float(ar.marginals[k][pos])
            nash[seat][names[i]] = float(fp.mixtures[k][pos])
        same[seat] = {names[i]: [names[j] for j in members] for i, members in reps[k].items() if members}

    def rank_key(seat: str) -> Callable[[str], tuple[float, float, int]]:
        return lambda n: (-round(masses[seat][n], 9), -cells[seat][n].win_rate, names.index(n))

    ranking = {seat: sorted((names[i] for i in kept[k]), key=rank_key(seat))
               for k, seat in enumerate(seats)}
    top = [({seats[j]: names[kept[j][p[j]]] for j in range(s)}, m) for p, m in ar.top_profiles(10)]
    value = {seat: float((ar.pi * sub[k]).sum()) for k, seat in enumerate(seats)}
    nash_value = {seat: float(v @ fp.mixtures[k])
                  for k, (seat, v) in enumerate(zip(seats, expected_payoffs(sub, fp.mixtures)))}
    sweep = [(float(alpha), {seat: {names[i]: float(marg[k][pos]) for pos, i in enumerate(kept[k])}
                             for k, seat in enumerate(seats)})
             for alpha, marg in zip(ar.alphas, ar.history)]

    def tops(step: dict[str, dict[str, float]]) -> dict[str, list[str]]:
        final = sweep[-1][1]

        def by_mass(seat: str) -> Callable[[str], float]:
            return lambda n: -step[seat][n]

        return {seat: sorted((n for n in final[seat] if final[seat][n] >= 0.01), key=by_mass(seat))
                for seat in seats}

    settled = None
    for alpha, step in reversed(sweep):
        if tops(step) != tops(sweep[-1][1]):
            break
        settled = alpha
    eq = Equilibrium(ar.alpha, ar.population_size, ar.converged, masses, ranking, top, nash,
                     fp.nash_conv, fp.iterations, same, value, nash_value, sweep, settled)
    notes = [
        f"Game g of every profile has seed {spec.seed} + g (paired seeds): profiles differ only "
        "by their players.",
        f"win_rate, ci, games: against '{spec.baseline}' in every other seat, {spec.games} games; "
        "ci is the Wilson 95% interval.",
        f"Profiles with two or more seats away from '{spec.baseline}' play the first "
        f"{spec.mix_games} of those seeds (mix_games): worst_case_win_rate is the lowest of "
        f"{a ** (s - 1)} such estimates, so it is noisy and biased low; worst_case_ci is its own "
        "interval.",
        "Archetypes that play the very same games in a seat (same_games: the same wins and GMV "
        "in every profile, e.g. a ban rule in a seat with no links to ban) count once in the "
        "meta-game; their twins show mass 0.",
        "equilibrium: alpha-rank over the payoff tensor of win rates (population size "
        f"{ar.population_size}, selection intensity raised until the ranking settles or the "
        "fixation probabilities would underflow); nash: fictitious play, with its NashConv "
        "(0 = exact Nash equilibrium).",
    ]
    return TournamentResult(spec, seats, raw, payoffs, cells, eq, notes)


def run_tournament(rules_dir: str | Path, spec: TournamentSpec, jobs: int = 1,
                   progress: Callable[[int], object] | None = None) -> TournamentResult:
    """Play and analyse a tournament."""
    return analyse(play_tournament(rules_dir, spec, jobs, progress))


def total_games(spec: TournamentSpec, seats: int) -> int:
    spec = spec.resolved()
    return sum(n for _, n in profile_games(spec, seats))


def canonical_command(spec: TournamentSpec, rules_dir: str | None = None,
                      extra: Sequence[str] = ()) -> str:
    """The command that plays ``spec`` (without --jobs: the result does not depend on it)."""
    spec = spec.resolved()
    parts = ["python main.py tournament", f"--games {spec.games}", f"--mix-games {spec.mix_games}",
             f"--seed {spec.seed}"]
    if spec.scenario != "default":
        parts.append(f"--scenario {spec.scenario}")
    if spec.archetypes != DEFAULT_ARCHETYPES:
        parts.append(f"--archetypes {','.join(spec.archetypes)}")
    if spec.baseline != "heuristic":
        parts.append(f"--baseline {spec.baseline}")
    if rules_dir:
        parts.append(f"--rules {rules_dir}")
    parts.extend(extra)
    return " ".join(parts)
