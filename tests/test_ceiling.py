"""tools/ceiling.py: the perfect-information lookahead probe behind issue 13's figures.

Its claims rest on two properties, tested here: its rollouts are exact (a rollout predicts the
game that really follows, to the last goal point), and depth-1 lookahead never ends a game
worse than the style it improves on.
"""
from __future__ import annotations

import pytest

from game.engine import load_rules, new_game
from game.players import HeuristicPlayer, make_player
from game.players.styles import own_style
from game.session import Session
from game.sim.simulate import batch_seed, seat_kinds


@pytest.fixture(scope="module")
def ceiling(tool):
    return tool("ceiling")


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def _seats(ceiling, rules, seed, game, depth):
    state = new_game(rules, "default", seed + game)
    me = seat_kinds(["oracle", "heuristic", "heuristic"], game, True).index("oracle")
    rivals = {i: make_player("heuristic", batch_seed(seed + game, i)).choose
              for i in range(3) if i != me}
    own = HeuristicPlayer(0, own_style("default", state.players[me], rules.source_dir))
    return state, me, ceiling.Oracle(depth, me, own, rivals)


@pytest.mark.parametrize("game", [0, 1, 2])
def test_a_rollout_is_the_game_that_really_follows(ceiling, rules, game):
    state, me, oracle = _seats(ceiling, rules, 3, game, "style")
    predicted = state.clone(logging=False)
    oracle.playout(predicted, 0)
    seats = {cid: (oracle if i == me else make_player("heuristic", batch_seed(3 + game, i)))
             for i, cid in enumerate(state.players)}
    Session(state, seats, ()).run_to_end()
    assert [c.points for c in predicted.companies] == [c.points for c in state.companies]
    assert predicted.winner == state.winner


@pytest.mark.parametrize("game", [0, 1])
def test_depth_one_never_ends_worse_than_the_style(ceiling, rules, game):
    ends = {}
    for depth in ("style", "1"):
        r = ceiling.play(rules, "default", 3, game, depth)
        ends[depth] = (float(r.won), r.margin)
    assert ends["1"] >= ends["style"]


def test_the_whole_turn_plan_is_played_as_planned(ceiling, rules):
    state, me, oracle = _seats(ceiling, rules, 3, 0, "turn")
    while state.current != me:
        state.apply_action(oracle.rivals[state.current](state))
    plan = oracle.best_turn(state)
    played = []
    if plan:                               # a plan that beats the style's turn, played whole
        for _ in plan:
            a = oracle.choose(state)
            played.append(a)
            state.apply_action(a)
        assert played == plan
    else:                                  # none better: the style's own move
        assert oracle.choose(state) == oracle.own.choose(state)


def test_the_command_prints_the_win_rate_per_seat(ceiling, capsys):
    assert ceiling.main(["--depth", "1", "--games", "3"]) == 0
    out = capsys.readouterr().out
    assert "oracle at depth 1: won" in out and "of 3" in out
    assert sum(line.strip().split()[0] in ("bytedance", "alibaba", "tencent")
               for line in out.splitlines()) == 3


@pytest.mark.parametrize("args, said", [
    (["--depth", "3"], "invalid choice: '3'"),
    (["--scenario", "nope"], "unknown scenario 'nope'"),
    (["--rules", "/no/such/folder"], "not a rules folder"),
    (["--games", "0"], "--games and --jobs must be at least 1"),
])
def test_a_mistyped_option_is_a_usage_error(ceiling, capsys, args, said):
    with pytest.raises(SystemExit) as exc:
        ceiling.main(args)
    assert exc.value.code == 2
    assert said in capsys.readouterr().err
