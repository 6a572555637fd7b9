"""Calibration figures for the designer: win rates, GMV per year, users, points (heuristic play).

    python tools/calibrate.py [--games 200] [--seed 7] [--fixed] [--scenario default]
"""
from __future__ import annotations

import argparse
import statistics as st
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.engine import load_rules, new_game  # noqa: E402
from game.players import make_player  # noqa: E402
from game.players.heuristic import HeuristicPlayer, HeuristicStyle  # noqa: E402
from game.session import Session  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--games", type=int, default=200)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--fixed", action="store_true")
    p.add_argument("--scenario", default="default")
    p.add_argument("--rules", default="rules")
    a = p.parse_args()
    rules = load_rules(a.rules)
    wins: dict[str, int] = {}
    per = {}
    for g in range(a.games):
        s = new_game(rules, a.scenario, a.seed + g)
        players = {cid: (HeuristicPlayer(style=HeuristicStyle()) if a.fixed
                         else make_player("heuristic", a.seed + g + i))
                   for i, cid in enumerate(s.players)}
        Session(s, players).run_to_end()
        wins[s.winner_id] = wins.get(s.winner_id, 0) + 1
        for cid in s.players:
            d = per.setdefault(cid, {"y1": [], "y2": [], "y3": [], "u8": [], "pts": [], "ux": [],
                                     "minux": [], "mer": [], "loop": [], "app": []})
            recs = [r.companies[cid] for r in s.records]
            d["y1"].append(sum(r["gmv"] for r in recs[0:4]))
            d["y2"].append(sum(r["gmv"] for r in recs[4:8]))
            d["y3"].append(sum(r["gmv"] for r in recs[8:12]))
            d["u8"].append(recs[min(7, len(recs) - 1)]["users"])
            d["pts"].append(s.company(cid).points)
            d["ux"].append(recs[-1]["ux"])
            d["minux"].append(min(r["ux"] for r in recs))
            d["mer"].append(recs[-1]["merchants"])
            d["loop"].append(next((r.round for r in s.records if r.companies[cid]["loop_closed"]), 0))
            d["app"].append(bool(s.company(cid).launched_round))
    print(f"{a.games} games, {'fixed' if a.fixed else 'jittered'} heuristic, scenario {a.scenario}")
    print(f"{'company':<10}{'win':>6}{'GMV20':>8}{'GMV21':>8}{'GMV22':>8}{'users8':>8}{'points':>8}"
          f"{'UXend':>7}{'UXmin':>7}{'merch':>7}{'loopR':>7}{'app':>6}")
    for cid, d in per.items():
        m = lambda k, d=d: st.mean(d[k])  # noqa: E731
        print(f"{cid:<10}{wins.get(cid, 0) / a.games:>6.0%}{m('y1'):>8.0f}{m('y2'):>8.0f}{m('y3'):>8.0f}"
              f"{m('u8'):>8.0f}{m('pts'):>8.1f}{m('ux'):>7.0f}{m('minux'):>7.0f}{m('mer'):>7.0f}"
              f"{m('loop'):>7.1f}{m('app'):>6.0%}")


if __name__ == "__main__":
    main()
