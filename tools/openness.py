"""Does the ending stay open? How often a game is already settled at a given round.

    python tools/openness.py [--rules rules] [--scenario default] [--games 60] [--redraws 20] [--seed 500]

Plays ``--games`` games with the heuristic in every seat. At the start of rounds 4, 6, 8 and 10
it takes the position as it stands and plays it to the end ``--redraws`` times, each time with
the later events drawn afresh (``clone(chance_seed=...)``) and the same players. A game is
*settled* at a round when one company wins at least 90% of those redrawn futures. The share of
settled games per round is the measure: the playtest of the first build found 87% settled by
round 6; a game that stays open keeps that share low until the last rounds.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.engine import load_rules, new_game  # noqa: E402
from game.engine.errors import RulesError  # noqa: E402
from game.players import make_player  # noqa: E402
from game.sim.simulate import batch_seed  # noqa: E402

ROUNDS = (4, 6, 8, 10)
SETTLED = 0.9


def settled_shares(rules_dir: str, scenario: str, games: int, redraws: int, seed: int) -> dict[int, float]:
    rules = load_rules(rules_dir)
    last = rules.scenario(scenario).rounds
    rounds = [r for r in ROUNDS if r < last]
    settled: Counter[int] = Counter()
    for g in range(games):
        game_seed = seed + g
        state = new_game(rules, scenario, game_seed)
        players = [make_player("heuristic", batch_seed(game_seed, i)) for i in range(len(state.players))]
        snapshots = {}
        while not state.terminal:
            if state.round in rounds and state.round not in snapshots:   # the round's first position
                snapshots[state.round] = state.clone()
            state.apply_action(players[state.current].choose(state))
        for r, snap in snapshots.items():
            wins: Counter[int] = Counter()
            for j in range(redraws):
                sim = snap.clone(chance_seed=j * 7919 + g, logging=False)
                while not sim.terminal:
                    sim.apply_action(players[sim.current].choose(sim))
                wins[sim.winner] += 1
            settled[r] += wins.most_common(1)[0][1] >= SETTLED * redraws
    return {r: settled[r] / games for r in rounds}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rules", default="rules")
    p.add_argument("--scenario", default="default")
    p.add_argument("--games", type=int, default=60)
    p.add_argument("--redraws", type=int, default=20)
    p.add_argument("--seed", type=int, default=500)
    a = p.parse_args()
    try:
        shares = settled_shares(a.rules, a.scenario, a.games, a.redraws, a.seed)
    except KeyError as e:                 # an unknown scenario: the rules name the known ones
        p.error(str(e.args[0]))
    except RulesError as e:               # a broken rules folder: its file, key and reason
        p.error(str(e))
    print(f"{a.scenario}, {a.games} games from seed {a.seed}, {a.redraws} redrawn futures each: "
          "settled (one company wins >= 90% of the futures) at the start of round")
    print("  " + ", ".join(f"{r}: {share:.0%}" for r, share in shares.items()))


if __name__ == "__main__":
    main()
