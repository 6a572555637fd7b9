"""How much can lookahead win in this game? A probe with perfect information.

    python tools/ceiling.py [--depth style|1|turn|2] [--games 30] [--seed 3] [--jobs 2]
        [--scenario default] [--rules DIR] [--json]

An *oracle* plays one seat against two seed-jittered heuristics (the baseline of `simulate`),
seats rotated by game as in ``simulate --rotate``. It is not a fair player: it knows the
future. Each rival is modelled by that rival's very policy (``make_player`` with the same
seed), and every rollout runs on the real chance (``state.clone()`` without a
``chance_seed``), so a rollout is exactly the game that would follow. Its own company is played
by its tuned style (rules/ai_styles.toml, as the search players' rollouts), improved by
lookahead of a chosen depth:

- ``style``: the style alone, no lookahead (the base the others improve on);
- ``1``: at each decision, the action whose exact rollout (the style after it) ends best;
- ``turn``: at its turn's first decision, the best sequence of the whole turn's actions, each
  sequence followed by the style;
- ``2``: at each decision, the action whose exact rollout *of the depth-1 oracle* ends best.

"Ends best": a win first, then the goal-point margin over the best rival; the style's own pick
is tried first and kept unless another action ends strictly better, so on a given game depth 1
never ends worse than the style (the rollout algorithm's improvement property; tested).

What it tells a designer: how much a better plan over the same style can win at most when
nothing is hidden. docs/ai.md has the figures behind issue 13's target (hard's search is a
sampled, honest version of depth 1). Depth 2 costs about 80 s a game on one core.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.engine import Action, GameState, Rules, load_rules, new_game  # noqa: E402
from game.engine.errors import RulesError  # noqa: E402
from game.paths import RULES_DIR  # noqa: E402
from game.players import HeuristicPlayer, make_player  # noqa: E402
from game.players.styles import StyleFileError, own_style, styles  # noqa: E402
from game.session import Session  # noqa: E402
from game.sim.simulate import batch_seed, seat_kinds  # noqa: E402
from game.sim.stats import wilson_interval  # noqa: E402

DEPTHS = ("style", "1", "turn", "2")
Policy = Callable[[GameState], Action]


class Oracle:
    """Plays company ``me`` with exact lookahead of ``depth`` over ``own`` (its style), knowing
    the rivals' policies (``rivals``: seat index -> policy) and the real future."""

    def __init__(self, depth: str, me: int, own: HeuristicPlayer, rivals: dict[int, Policy]):
        if depth not in DEPTHS:
            raise ValueError(f"depth must be one of {', '.join(DEPTHS)}, got {depth!r}")
        self.depth, self.me, self.own, self.rivals = depth, me, own, rivals
        self._plan: list[Action] = []
        self._plan_at = -1          # history length at which the plan's next action is due

    # ----------------------------------------------------------------- exact rollouts

    def value(self, state: GameState) -> tuple[float, float]:
        """A finished game from its own side: (won, goal-point margin over the best rival)."""
        mine = state.companies[self.me].points
        rival = max(c.points for i, c in enumerate(state.companies) if i != self.me)
        return (1.0 if state.winner == self.me else 0.0), mine - rival

    def playout(self, state: GameState, lookahead: int) -> tuple[float, float]:
        """Play ``state`` (a copy) to the end: itself with ``lookahead`` levels, rivals by model."""
        while not state.terminal:
            if state.current == self.me:
                action = self.best(state, lookahead) if lookahead > 0 else self.own.choose(state)
            else:
                action = self.rivals[state.current](state)
            state.apply_action(action)
        return self.value(state)

    def best(self, state: GameState, lookahead: int) -> Action:
        """The action whose exact rollout with ``lookahead - 1`` levels after it ends best."""
        legal = state.legal_actions()
        if len(legal) == 1:
            return legal[0]
        prior = self.own.choose(state)
        found, best_value = prior, None
        for action in [prior] + [a for a in legal if a != prior]:
            sim = state.clone(logging=False)
            sim.apply_action(action)
            v = self.playout(sim, lookahead - 1)
            if best_value is None or v > best_value:
                found, best_value = action, v
        return found

    def best_turn(self, state: GameState) -> list[Action]:
        """The sequence of this turn's actions whose exact rollout (the style after the turn)
        ends best; the style's own turn unless another ends strictly better."""
        best_value = self.playout(state.clone(logging=False), 0)
        found: list[Action] = []

        def walk(s: GameState, prefix: list[Action]) -> None:
            nonlocal best_value, found
            for action in s.legal_actions():
                sim = s.clone(logging=False)
                sim.apply_action(action)
                if sim.terminal or sim.current != self.me or action.id == "end_turn":
                    v = self.playout(sim, 0)
                    if v > best_value:
                        found, best_value = prefix + [action], v
                else:
                    walk(sim, prefix + [action])
        walk(state, [])
        return found

    # ----------------------------------------------------------------- a player

    def choose(self, state: GameState) -> Action:
        if self.depth == "style":
            return self.own.choose(state)
        if self.depth == "turn":
            if self._plan and self._plan_at == len(state.history):
                self._plan_at += 1
                return self._plan.pop(0)
            plan = self.best_turn(state)
            if not plan:
                self._plan = []
                return self.own.choose(state)
            self._plan, self._plan_at = plan[1:], len(state.history) + 1
            return plan[0]
        return self.best(state, int(self.depth))


@dataclass(frozen=True)
class GameResult:
    game: int
    company: str            # the oracle's seat
    won: bool
    margin: float           # its goal points minus the best rival's


def play(rules: Rules, scenario: str, seed: int, game: int, depth: str) -> GameResult:
    """Game ``game`` of a batch: the oracle in the rotated seat, heuristics elsewhere."""
    state = new_game(rules, scenario, seed + game)
    kinds = seat_kinds(["oracle", "heuristic", "heuristic"], game, True)
    seats: dict[str, Policy | object] = {}
    rivals: dict[int, Policy] = {}
    me = kinds.index("oracle")
    for i, cid in enumerate(state.players):
        if i != me:
            seats[cid] = make_player("heuristic", batch_seed(seed + game, i))
            rivals[i] = make_player("heuristic", batch_seed(seed + game, i)).choose   # its own copy
    cid = state.players[me]
    own = HeuristicPlayer(0, own_style(scenario, cid, rules.source_dir))
    oracle = Oracle(depth, me, own, rivals)
    seats[cid] = oracle
    Session(state, seats, ()).run_to_end()
    won, margin = oracle.value(state)
    return GameResult(game, cid, won > 0, round(margin, 4))


def _work(args: tuple[str | None, str, int, int, str]) -> GameResult:
    rules_dir, scenario, seed, game, depth = args
    return play(load_rules(rules_dir or RULES_DIR), scenario, seed, game, depth)


def summary(results: Sequence[GameResult], depth: str) -> dict[str, object]:
    wins = sum(r.won for r in results)
    low, high = wilson_interval(wins, len(results))
    seats: dict[str, dict[str, int]] = {}
    for r in results:
        row = seats.setdefault(r.company, {"games": 0, "wins": 0})
        row["games"] += 1
        row["wins"] += r.won
    return {"depth": depth, "games": len(results), "wins": wins, "win_rate": wins / len(results),
            "win_ci": [round(low, 4), round(high, 4)], "seats": seats}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--depth", choices=DEPTHS, default="1")
    p.add_argument("--games", type=int, default=30)
    p.add_argument("--seed", type=int, default=3)
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--scenario", default="default")
    p.add_argument("--rules", default=None, help="a rules folder (default: the game's own)")
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    try:
        rules = load_rules(a.rules or RULES_DIR)
        styles(rules.source_dir)      # the own styles file, validated before any game
    except (RulesError, StyleFileError) as e:
        p.error(str(e))
    if a.scenario not in rules.scenarios:
        p.error(f"unknown scenario '{a.scenario}' (known: {', '.join(rules.scenarios)})")
    if len(rules.scenario(a.scenario).companies) != 3:
        p.error(f"scenario '{a.scenario}' has {len(rules.scenario(a.scenario).companies)} companies; "
                "the probe seats an oracle and two heuristics")
    if a.games < 1 or a.jobs < 1:
        p.error("--games and --jobs must be at least 1")
    work = [(a.rules, a.scenario, a.seed, g, a.depth) for g in range(a.games)]
    if a.jobs == 1:
        results = [_work(w) for w in work]
    else:
        with ProcessPoolExecutor(a.jobs) as pool:
            results = list(pool.map(_work, work))
    out = summary(results, a.depth)
    if a.json:
        print(json.dumps({**out, "games_detail": [asdict(r) for r in results]}, indent=1))
    else:
        ci = out["win_ci"]
        assert isinstance(ci, list)
        print(f"oracle at depth {a.depth}: won {out['wins']} of {out['games']} "
              f"({100 * out['win_rate']:.1f}% [{100 * ci[0]:.1f}-{100 * ci[1]:.1f}]) "
              f"against two heuristics, seats rotated, seeds {a.seed}..{a.seed + a.games - 1}")
        for cid, row in out["seats"].items():   # type: ignore[union-attr]
            print(f"  {cid:10s} {row['wins']} of {row['games']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
