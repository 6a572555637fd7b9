"""Find each company's goal_gmv so that heuristic players win about equally often (a bid).

    python tools/tune_goals.py [--games 300] [--iterations 8] [--rules DIR]

Plays the default scenario with the jittered and the fixed heuristic in every seat, moves each
goal by the ratio of its win rate to a fair share, and prints the goals to put in
rules/companies.toml. A designer's tool: the rules stay data.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from types import MappingProxyType

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.engine import load_rules, new_game  # noqa: E402
from game.players import make_player  # noqa: E402
from game.players.heuristic import HeuristicPlayer, HeuristicStyle  # noqa: E402
from game.session import Session  # noqa: E402


def with_goals(rules, scenario: str, goals: dict[str, float]):
    scen = rules.scenario(scenario)
    specs = {c: dataclasses.replace(s, goal_gmv=goals[c]) for c, s in scen.company_specs.items()}
    scen2 = dataclasses.replace(scen, company_specs=MappingProxyType(specs))
    return dataclasses.replace(rules, scenarios=MappingProxyType({**rules.scenarios, scenario: scen2}))


def win_rates(rules, scenario: str, games: int, seed: int, fixed: bool,
              points: dict[str, list[float]] | None = None) -> dict[str, float]:
    wins: dict[str, int] = {c: 0 for c in rules.scenario(scenario).companies}
    for g in range(games):
        s = new_game(rules, scenario, seed + g)
        players = {cid: (HeuristicPlayer(style=HeuristicStyle()) if fixed
                         else make_player("heuristic", seed + g + i))
                   for i, cid in enumerate(s.players)}
        Session(s, players).run_to_end()
        wins[s.winner_id] += 1
        if points is not None:
            for cs in s.companies:
                points.setdefault(cs.id, []).append(cs.points)
    return {c: w / games for c, w in wins.items()}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--games", type=int, default=300)
    p.add_argument("--iterations", type=int, default=8)
    p.add_argument("--seed", type=int, default=1000)
    p.add_argument("--scenario", default="default")
    p.add_argument("--rules", default="rules", help="the rules folder to tune (a copy, to try a change)")
    p.add_argument("--step", type=float, default=1.0)
    p.add_argument("--by", choices=("points", "wins"), default="points")
    p.add_argument("--start", type=lambda t: {k: float(v) for k, v in (x.split("=") for x in t.split(","))},
                   help="starting goals, e.g. bytedance=140,alibaba=1100,tencent=150")
    a = p.parse_args()
    rules = load_rules(a.rules)
    goals = {c: s.goal_gmv for c, s in rules.scenario(a.scenario).company_specs.items()}
    for c, g in (a.start or {}).items():
        goals[c] = g
    for it in range(a.iterations):
        r = with_goals(rules, a.scenario, goals)
        pts: dict[str, list[float]] = {}
        jit = win_rates(r, a.scenario, a.games, a.seed, False, pts)
        fix = win_rates(r, a.scenario, a.games, a.seed, True, pts)
        mean = {c: sum(v) / len(v) for c, v in pts.items()}
        overall = sum(mean.values()) / len(mean)
        print(it, {c: round(g, 1) for c, g in goals.items()},
              "points", {c: round(v, 2) for c, v in mean.items()},
              "jittered", {c: f"{v:.0%}" for c, v in jit.items()},
              "fixed", {c: f"{v:.0%}" for c, v in fix.items()}, flush=True)
        # move each goal to even out the mean points
        for c in goals:
            if a.by == "wins":   # small steps: win rates are steep in the goals
                won = (jit[c] + fix[c]) / 2
                goals[c] *= ((won + 0.02) / (1 / len(goals) + 0.02)) ** a.step
            else:
                # points go as (GMV / goal) ** quarter_points_power: invert that power
                goals[c] *= (mean[c] / overall) ** (a.step / rules.scenario(a.scenario).quarter_points_power)
    print("goals:", {c: round(g, 1) for c, g in goals.items()})


if __name__ == "__main__":
    main()
