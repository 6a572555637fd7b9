"""Find a company's own style for the search players (rules/ai_styles.toml).

    python tools/tune_style.py --company tencent [--scenario default] [--games 800]
        [--random 120] [--local 120] [--seed 100] [--jobs 2] [--rules DIR]

A heuristic of one fixed style plays ``--company``; the two rivals are seed-jittered heuristics
(``make_player("heuristic", ...)``, the baseline of `simulate`). Every candidate style plays the
same ``--games`` paired games. First ``--random`` styles drawn at random, then ``--local``
perturbations of the best (one to three fields redrawn, kept when they win more). The best
styles found are then re-measured on twice as many fresh games, so the winner's figure is not
inflated by the search; the script prints them with the default style's, and the table to put
in rules/ai_styles.toml (the fields that differ from the default). A designer's tool.
"""
from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, fields, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.engine import Rules, load_rules, new_game  # noqa: E402
from game.engine.errors import RulesError  # noqa: E402
from game.players import make_player  # noqa: E402
from game.players.heuristic import HeuristicPlayer, HeuristicStyle  # noqa: E402
from game.players.styles import StyleFileError, own_style, styles  # noqa: E402
from game.sim.simulate import batch_seed  # noqa: E402

SEARCH_SEED = 10_000  # the paired games of the search are game seeds 10000, 10001, ...
FRESH_SEED = 50_000   # ... and those of the final measurement 50000, 50001, ...


@lru_cache(maxsize=2)
def rules_of(rules_dir: str) -> Rules:
    """The rules, loaded and validated once per worker process (not once per style)."""
    return load_rules(rules_dir)


def wins_of(rules_dir: str, scenario: str, seat: int, style: dict, seeds: list[int]) -> int:
    """Games of ``seeds`` won by the styled heuristic in ``seat`` (a worker's share)."""
    rules = rules_of(rules_dir)
    me = HeuristicPlayer(0, HeuristicStyle(**style))
    won = 0
    for seed in seeds:
        s = new_game(rules, scenario, seed)
        players = [me if i == seat else make_player("heuristic", batch_seed(seed, i)) for i in range(len(s.players))]
        while not s.terminal:
            s.apply_action(players[s.current].choose(s))
        won += s.winner == seat
    return won


class Bench:
    """Win rates of styles on a fixed set of games, spread over worker processes."""

    def __init__(self, pool: ProcessPoolExecutor, jobs: int, rules_dir: str, scenario: str, seat: int):
        self.pool, self.jobs, self.rules_dir, self.scenario, self.seat = pool, jobs, rules_dir, scenario, seat

    def win_rate(self, style: HeuristicStyle, seeds: list[int]) -> float:
        chunks = [seeds[i::self.jobs] for i in range(self.jobs)]
        futures = [self.pool.submit(wins_of, self.rules_dir, self.scenario, self.seat, asdict(style), c)
                   for c in chunks if c]
        return sum(f.result() for f in futures) / len(seeds)


def draw(rng: np.random.Generator) -> HeuristicStyle:
    """A style drawn from wide ranges around the heuristic's defaults."""
    return HeuristicStyle(
        ux_floor=float(rng.uniform(30, 65)), live_floor=float(rng.uniform(45, 80)),
        ban_ratio=float(rng.uniform(0.1, 0.9)), reserve=float(rng.uniform(0, 20)),
        rush=float(rng.uniform(1.0, 8.0)), builds=int(rng.integers(0, 4)),
        content_rounds=int(rng.integers(2, 13)), hardball=float(rng.uniform(0.0, 3.0)),
        value_rounds=int(rng.integers(0, 9)), fund_ads=bool(rng.random() < 0.7),
        shelf_guard=float(rng.uniform(0, 80)), late_rounds=int(rng.integers(0, 6)),
        quick_wins=bool(rng.random() < 0.7), setback=bool(rng.random() < 0.7),
        launch_sold=bool(rng.random() < 0.5), habits=False)


def perturb(rng: np.random.Generator, style: HeuristicStyle) -> HeuristicStyle:
    """``style`` with one to three fields redrawn."""
    base, fresh = asdict(style), asdict(draw(rng))
    for key in rng.choice(list(base), size=int(rng.integers(1, 4)), replace=False):
        base[str(key)] = fresh[str(key)]
    return HeuristicStyle(**base)


def toml_table(scenario: str, company: str, style: HeuristicStyle) -> str:
    """The fields of ``style`` that differ from the default, as a table of rules/ai_styles.toml."""
    default = HeuristicStyle()
    lines = [f"[search.{scenario}.{company}]"]
    for f in fields(HeuristicStyle):
        if f.name == "habits":
            continue
        value = getattr(style, f.name)
        if value != getattr(default, f.name):
            text = ("true" if value else "false") if isinstance(value, bool) else \
                (f"{value:.3g}" if isinstance(value, float) else str(value))
            lines.append(f"{f.name} = {text}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--company", required=True, help="the company to tune (a company id of the scenario)")
    p.add_argument("--scenario", default="default")
    p.add_argument("--games", type=int, default=800, help="paired games per candidate style")
    p.add_argument("--random", type=int, default=120, help="styles drawn at random")
    p.add_argument("--local", type=int, default=120, help="perturbations of the best style")
    p.add_argument("--seed", type=int, default=100, help="seeds the draws (plus the company's seat)")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--rules", default="rules", help="the rules folder (a copy, to try a change), "
                   "its ai_styles.toml included (the heuristic's habits and the present own style)")
    a = p.parse_args(argv)
    try:
        rules = rules_of(a.rules)
        styles(rules.source_dir)          # the styles file checked before any game
    except (RulesError, StyleFileError) as e:
        p.error(str(e))
    if a.scenario not in rules.scenarios:
        p.error(f"unknown scenario '{a.scenario}' (known: {', '.join(rules.scenarios)})")
    companies = rules.scenario(a.scenario).companies
    if a.company not in companies:
        p.error(f"unknown company '{a.company}' in scenario '{a.scenario}' (known: {', '.join(companies)})")
    if min(a.games, a.jobs) < 1 or min(a.random, a.local) < 0:
        p.error("--games and --jobs must be at least 1, --random and --local at least 0")
    seat = companies.index(a.company)
    rng = np.random.default_rng(a.seed + seat)
    seeds = list(range(SEARCH_SEED, SEARCH_SEED + a.games))
    fresh = list(range(FRESH_SEED, FRESH_SEED + 2 * a.games))
    with ProcessPoolExecutor(a.jobs) as pool:
        bench = Bench(pool, a.jobs, a.rules, a.scenario, seat)
        # The heuristic's own style for the company (its habits included), as a complete style.
        default = replace(HeuristicPlayer(0, HeuristicStyle()).style_for(a.company, rules.source_dir),
                          habits=False)
        scored = [(bench.win_rate(default, seeds), default)]
        print(f"default style: {scored[0][0]:.1%} of {a.games} games", flush=True)
        # The search players' present style for it, if it has one: the search may only improve it.
        own = own_style(a.scenario, a.company, rules.source_dir)
        if own != HeuristicStyle():
            scored.append((bench.win_rate(own, seeds), own))
            print(f"present own style (rules/ai_styles.toml): {scored[-1][0]:.1%}", flush=True)
        for _ in range(a.random):
            style = draw(rng)
            scored.append((bench.win_rate(style, seeds), style))
        scored.sort(key=lambda x: -x[0])
        best_rate, best = scored[0]
        print(f"best of {a.random} random styles and the present ones: {best_rate:.1%}", flush=True)
        for i in range(a.local):
            style = perturb(rng, best)
            rate = bench.win_rate(style, seeds)
            if rate > best_rate:
                best_rate, best = rate, style
                print(f"  local step {i}: {rate:.1%}", flush=True)
        finalists = [best] + [s for _, s in scored[:3] if s != best]
        print(f"re-measured on {len(fresh)} fresh games:")
        print(f"  default style: {bench.win_rate(default, fresh):.1%}")
        if own != HeuristicStyle() and own not in finalists:
            print(f"  present own style: {bench.win_rate(own, fresh):.1%}")
        results = sorted(((bench.win_rate(s, fresh), s) for s in finalists), key=lambda x: -x[0])
        for rate, style in results:
            print(f"  {rate:.1%}  {asdict(style)}")
    print("\n" + toml_table(a.scenario, a.company, results[0][1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
