"""Engine speed, measured: prints figures, compared with a pure-Python baseline of the same run.

Random play, apply/undo and clones drive the engine directly (they measure its primitives);
heuristic games go through :class:`game.session.Session`, the loop every game is played by.

The machine is shared and noisy, so each figure is the best of several timed batches, and the
baseline (a fixed pure-Python workload) is measured in between: ratios to it move less than
raw rates when the machine is busy.
"""

from __future__ import annotations

import time

import numpy as np

from game.engine import load_rules, new_game
from game.players import make_player
from game.session import Session


def _baseline(n: int) -> None:
    # A fixed workload of the engine's kind: attribute reads, small-list appends, bit tests.
    class Obj:
        __slots__ = ("a", "b", "c")

        def __init__(self):
            self.a, self.b, self.c = 1, 2.0, [0] * 16

    o = Obj()
    out = []
    for i in range(n):
        if o.a >> (i & 15) & 1 or o.b > 1.0:
            out.append(o.c[i & 15])
        if len(out) > 64:
            out.clear()


def _best_rate(fn, seconds: float, batches: int = 5) -> float:
    """Best units/second over several batches of ``fn() -> units``."""
    best = 0.0
    deadline = time.perf_counter() + seconds
    for _ in range(batches):
        t = time.perf_counter()
        units = fn()
        dt = time.perf_counter() - t
        best = max(best, units / dt)
        if time.perf_counter() > deadline:
            break
    return best


def run_bench(seconds: float = 3.0, rules_dir: str = "rules") -> dict[str, float]:
    rules = load_rules(rules_dir)
    share = seconds / 5
    rng = np.random.default_rng(0)

    def random_play() -> int:
        n = 0
        for g in range(20):
            state = new_game(rules, "default", int(rng.integers(1 << 30)))
            while not state.is_terminal():
                legal = state.legal_actions()
                state.apply_action(legal[int(rng.integers(len(legal)))])
                n += 1
        return n

    def apply_undo() -> int:
        state = new_game(rules, "default", 5)
        n = 0
        for _ in range(3000):
            legal = state.legal_actions()
            if state.is_terminal():
                while state.history:
                    state.undo()
                    n += 1
                continue
            state.apply_action(legal[int(rng.integers(len(legal)))])
            n += 1
        return n

    def clones() -> int:
        state = new_game(rules, "default", 5)
        for _ in range(40):
            state.apply_action(state.legal_actions()[0])
        for _ in range(2000):
            state.clone()
        return 2000

    def heuristic_games() -> int:
        n = 0
        for g in range(3):
            state = new_game(rules, "default", g)
            seats = {cid: make_player("heuristic", g + i) for i, cid in enumerate(state.players)}
            n += len(Session(state, seats).run_to_end().history)
        return n

    def baseline() -> int:
        _baseline(200_000)
        return 200_000

    base = _best_rate(baseline, share)
    figures = {
        "random_play_actions_per_s": _best_rate(random_play, share),
        "apply_or_undo_per_s": _best_rate(apply_undo, share),
        "clone_per_s": _best_rate(clones, share),
        "heuristic_decisions_per_s": _best_rate(heuristic_games, share),
        "baseline_ops_per_s": base,
    }
    for key in ("random_play_actions_per_s", "apply_or_undo_per_s", "clone_per_s",
                "heuristic_decisions_per_s"):
        figures[key.replace("_per_s", "_per_1k_baseline_ops")] = figures[key] / base * 1000
    return figures
