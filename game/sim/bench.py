"""Engine speed, measured: figures, and with a probe, the ratio to it measured in the same run.

Random play, apply/undo and clones drive the engine directly (they measure its primitives);
heuristic games go through :class:`game.session.Session`, the loop every game is played by.

The machine is shared and noisy, so each figure is the best of several timed batches, and the
batches of the engine and of the probe (``../shared/bench/lean_engine_probe.py``, a lean
pure-Python engine of this game's shape) are interleaved: both see the same load, and their
ratio moves far less than either rate.

Random play is measured twice: as a rollout (``logging=False``: how search players and sweeps
play; ``random_actions_per_s`` and ``probe_ratio``) and checked, logged and undoable (how the app,
saves and tests play; ``checked_actions_per_s`` and ``checked_probe_ratio``).
"""

from __future__ import annotations

import importlib.util
import random
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from game.engine import load_rules, new_game
from game.engine.rules import Rules
from game.players import make_player
from game.session import Session

BATCH_GAMES = 40


def load_probe(path: str | Path) -> ModuleType:
    """The probe file as a module (it must define ``play(seed, chooser) -> actions``)."""
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no such probe file")
    spec = importlib.util.spec_from_file_location("lean_engine_probe", p)
    if spec is None or spec.loader is None:
        raise ImportError(f"{p}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not callable(getattr(module, "play", None)):
        raise ImportError(f"{p}: the probe has no play(seed, chooser) function")
    return module


def random_play(rules: Rules, scenario: str, logging: bool, seed: int) -> Callable[[], int]:
    """A batch of random games (legal actions + apply, new games included): returns actions."""
    rng = random.Random(seed)

    def batch() -> int:
        n = 0
        pick = rng.random
        for _ in range(BATCH_GAMES):
            state = new_game(rules, scenario, rng.randrange(1 << 30), logging=logging)
            legal_actions, apply = state.legal_actions, state.apply_action
            while not state.terminal:
                legal = legal_actions()
                apply(legal[int(pick() * len(legal))])
                n += 1
        return n

    return batch


def search_decision_times(rules: Rules, scenario: str = "default", level: str = "hard",
                          decisions: int = 120, seed: int = 1) -> list[float]:
    """Seconds per real decision (more than one legal action) of a search player, one ``level``
    player against heuristics in the other seats, its seat rotating game by game, until
    ``decisions`` are timed. Forced moves (only end_turn) are left out: they take no search."""
    from game.players.search import make_search_player

    times: list[float] = []
    game = 0
    while len(times) < decisions:
        state = new_game(rules, scenario, seed + game)
        n = len(state.players)
        seat = game % n
        players = [make_search_player(level, seed + game) if i == seat else make_player("heuristic", 31 * game + i)
                   for i in range(n)]
        search = players[seat]
        while not state.terminal and len(times) < decisions:
            if state.current == seat and len(state.legal_actions()) > 1:
                t = time.perf_counter()
                action = search.choose(state)
                times.append(time.perf_counter() - t)
            else:
                action = players[state.current].choose(state)
            state.apply_action(action)
        game += 1
    return times


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``values``, by linear interpolation (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    pos = (len(ordered) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def _timed(fn: Callable[[], int]) -> float:
    t = time.perf_counter()
    units = fn()
    return units / (time.perf_counter() - t)


def run_bench(seconds: float = 3.0, rules_dir: str = "rules", scenario: str = "default",
              probe: str | Path | None = None, search_decisions: int | None = None) -> dict[str, Any]:
    """Best-of-batches rates; with ``probe``, the probe's rate and our ratios to it; the hard
    search player's seconds per decision (p50, p95) over ``search_decisions`` decisions (None:
    120, or 6 for a short run of under a second; 0: not measured)."""
    rules = load_rules(rules_dir)
    probe_mod = load_probe(probe) if probe else None
    rng = random.Random(0)

    def apply_undo() -> int:
        state = new_game(rules, scenario, 5)
        n = 0
        for _ in range(3000):
            legal = state.legal_actions()
            if state.is_terminal():
                while state.history:
                    state.undo()
                    n += 1
                continue
            state.apply_action(legal[int(rng.random() * len(legal))])
            n += 1
        return n

    def clones() -> int:
        state = new_game(rules, scenario, 5)
        for _ in range(40):
            state.apply_action(state.legal_actions()[0])
        for _ in range(2000):
            state.clone()
        return 2000

    def heuristic_games() -> int:
        n = 0
        for g in range(3):
            state = new_game(rules, scenario, g)
            seats = {cid: make_player("heuristic", g + i) for i, cid in enumerate(state.players)}
            n += len(Session(state, seats).run_to_end().history)
        return n

    def probe_batch() -> int:
        assert probe_mod is not None
        pick = random.Random(1).random
        return sum(probe_mod.play(g, pick) for g in range(200))

    jobs: dict[str, Callable[[], int]] = {
        "checked_actions_per_s": random_play(rules, scenario, True, 1),
        "rollout_actions_per_s": random_play(rules, scenario, False, 2),
        "apply_or_undo_per_s": apply_undo,
        "clone_per_s": clones,
        "heuristic_decisions_per_s": heuristic_games,
    }
    if probe_mod is not None:
        jobs["probe_actions_per_s"] = probe_batch
    best = dict.fromkeys(jobs, 0.0)
    deadline = time.perf_counter() + seconds
    rounds = 0
    # Round-robin over the jobs until time is up (at least three rounds): interleaved, so a
    # busy moment of the machine hits every figure alike.
    while rounds < 3 or time.perf_counter() < deadline:
        for key, fn in jobs.items():
            best[key] = max(best[key], _timed(fn))
        rounds += 1
    # "Random play" is the rollout (the mode search players and sweeps play in); the checked,
    # logged and undoable figure is reported beside it (issue 11 asks for both).
    figures: dict[str, Any] = {"random_play_mode": "rollout",
                               "random_actions_per_s": round(best["rollout_actions_per_s"], 1)}
    figures.update({k: round(v, 1) for k, v in best.items()})
    if probe_mod is not None:
        figures["probe_ratio"] = round(best["rollout_actions_per_s"] / best["probe_actions_per_s"], 3)
        figures["checked_probe_ratio"] = round(best["checked_actions_per_s"] / best["probe_actions_per_s"], 3)
        figures["probe"] = str(probe)
    figures["scenario"] = scenario
    figures["rounds"] = rounds
    if search_decisions is None:
        search_decisions = 120 if seconds >= 1.0 else 6
    if search_decisions > 0:
        times = search_decision_times(rules, scenario, "hard", search_decisions)
        figures["hard_decisions"] = len(times)
        figures["hard_p50_s"] = round(percentile(times, 0.5), 4)
        figures["hard_p95_s"] = round(percentile(times, 0.95), 4)
        figures["hard_max_s"] = round(max(times), 4)
    return figures
