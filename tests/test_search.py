"""The search player (game/players/search.py): legal, deterministic, stronger than random, explains
itself; simulate --rotate gives every kind every seat. No timing assertions (the machine is shared)."""

from __future__ import annotations

import json

import pytest

from game.engine import new_game
from game.players import LEVELS, PLAYER_KINDS, HeuristicPlayer, SearchConfig, SearchPlayer, make_player
from game.session import Session
from game.sim.simulate import seat_kinds, simulate

SMALL = SearchConfig(iterations=16, shaped=0.2)


def _play(rules, seed: int, seats: dict[str, object]):
    state = new_game(rules, "default", seed)
    return Session(state, seats).run_to_end()


def test_the_levels_are_player_kinds():
    for level in ("easy", "normal", "hard"):
        assert level in PLAYER_KINDS and level in LEVELS
        player = make_player(level, 3)
        assert isinstance(player, SearchPlayer) and player.name == level
    assert LEVELS["normal"].iterations < LEVELS["hard"].iterations
    assert LEVELS["normal"].use_prior and not LEVELS["easy"].use_prior
    with pytest.raises(ValueError):
        SearchConfig(iterations=0)


def test_it_plays_legal_moves_only(rules):
    state = new_game(rules, "default", 11)
    players = [SearchPlayer(1, SMALL), SearchPlayer(2, SearchConfig(iterations=8, rollout="random")),
               HeuristicPlayer(3)]
    while not state.terminal:
        legal = state.legal_actions()
        before = state.serialize()
        action = players[state.current].choose(state)
        assert action in legal
        assert state.serialize() == before          # choose() does not change the state
        state.apply_action(action)
    assert state.winner is not None


def test_it_is_deterministic_for_a_seed_and_a_budget(rules):
    def game(seed: int) -> list[str]:
        seats = {"bytedance": SearchPlayer(seed, SMALL), "alibaba": make_player("heuristic", 5),
                 "tencent": make_player("heuristic", 6)}
        return [str(a) for a in _play(rules, 4, seats).history]

    first = game(1)
    assert game(1) == first
    # A decision depends on the position, not on what the player was asked before.
    state = new_game(rules, "default", 9)
    for _ in range(5):
        state.apply_action(make_player("heuristic", 0).choose(state))
    fresh, used = SearchPlayer(7, SMALL), SearchPlayer(7, SMALL)
    used.choose(new_game(rules, "default", 2))
    assert fresh.choose(state) == used.choose(state)
    assert fresh.explain_last() == used.explain_last()


def test_it_beats_random_players(rules):
    wins = 0
    games = 6
    for g in range(games):
        kinds = seat_kinds(["search", "random", "random"], g, rotate=True)
        state = new_game(rules, "default", 100 + g)
        seats = {cid: SearchPlayer(g, SMALL) if kind == "search" else make_player("random", 10 * g + i)
                 for i, (cid, kind) in enumerate(zip(state.players, kinds))}
        Session(state, seats).run_to_end()
        wins += seats[state.winner_id].name == "search"
    assert wins >= games - 1


def test_it_explains_its_choice_with_its_top_three_options(rules):
    state = new_game(rules, "default", 5)
    player = SearchPlayer(1, SearchConfig(iterations=40, shaped=0.2))
    action = player.choose(state)
    why = player.explain_last()
    assert why is not None and not why.forced and why.action == action
    assert why.company == state.current_company
    assert len(why.options) == 3 and why.options[0].action == action
    assert len({o.action for o in why.options}) == 3
    for o in why.options:
        assert 0.0 <= o.win <= 1.0 and 0.0 <= o.value <= 1.0 and o.samples >= 1
    assert why.candidates == len(state.legal_actions())
    # the budget, less what does not divide evenly over the stages, at least one rollout each
    assert why.candidates <= why.rollouts <= 40
    assert sum(o.samples for o in why.options) <= why.rollouts
    en, zh = why.line("en"), why.line("zh")
    assert "ByteDance" in en and f"{round(100 * why.options[0].win)}%" in en and "next best" in en
    assert "字节跳动" in zh and "预计胜率" in zh and "次优" in zh
    assert len(why.option_lines("en")) == 3 and why.option_lines("zh")[0].startswith("1. ")


def test_keep_prior_compares_the_choice_with_the_heuristics_pick_on_the_same_futures(rules):
    """keep_prior (hard): the heuristic's pick survives every halving stage, so it gets as many
    rollouts as the winner and the explanation gives the winner's paired advantage over it;
    without it a poor pick is dropped after the first stage's few rollouts. The pick here is
    made poor on purpose: ending the turn before acting."""
    from game.players.search import paired_advantage

    class EndsTurn(SearchPlayer):
        def own_policy(self, state):
            player = super().own_policy(state)

            class Prior:
                def choose(self, s):
                    return next(a for a in s.legal_actions() if a.id == "end_turn") \
                        if s is state else player.choose(s)
            return Prior()

    state = new_game(rules, "default", 3)
    end = next(a for a in state.legal_actions() if a.id == "end_turn")
    kept = EndsTurn(3, SearchConfig(iterations=60, keep_prior=True))
    dropped = EndsTurn(3, SearchConfig(iterations=60, keep_prior=False))
    assert kept.choose(state) != end and dropped.choose(state) != end
    why, other = kept.explain_last(), dropped.explain_last()
    assert why.prior == end and other.prior == end
    prior = next(o for o in why.options if o.action == end)            # still there at the end
    assert prior.samples == why.options[0].samples
    assert why.advantage > 0 and why.advantage_z > 0
    assert all(o.action != end for o in other.options)                 # dropped early
    # differences 1, 0, 0, 1: mean 0.5, variance 1/3, standard error sqrt(1/12): z = sqrt(3)
    assert paired_advantage([1, 1, 0, 1], [0, 1, 0, 0]) == (0.5, pytest.approx(3 ** 0.5))
    assert paired_advantage([1, 1], [0, 0])[1] == float("inf")
    assert paired_advantage([], []) == (0.0, 0.0)


def test_a_single_legal_action_is_taken_without_search(rules):
    state = new_game(rules, "default", 5)
    while len(state.legal_actions()) > 1:
        state.apply_action(make_player("heuristic", 0).choose(state))
    player = SearchPlayer(1, LEVELS["hard"])
    assert player.choose(state) == state.legal_actions()[0]
    why = player.explain_last()
    assert why is not None and why.forced and why.rollouts == 0 and why.options == ()
    assert "nothing else to do" in why.line("en")


def test_the_heuristic_plays_the_same_in_a_rollout_as_in_a_game(rules):
    """The search player models every company by the heuristic in its rollouts (logging=False,
    no undo): the heuristic must not depend on the undo stack."""
    for seed in range(3):
        histories = []
        for logging in (True, False):
            state = new_game(rules, "default", seed, logging=logging)
            players = [HeuristicPlayer(seed * 10 + i) for i in range(3)]
            while not state.terminal:
                state.apply_action(players[state.current].choose(state))
            histories.append([str(a) for a in state.history])
        assert histories[0] == histories[1]


def test_rotate_gives_every_kind_every_seat_and_per_kind_win_rates(rules):
    games = 6
    result = simulate(rules, "default", games, 3, ["heuristic", "random", "heuristic"], rotate=True)
    data = result.as_dict()
    assert data["rotate"] is True
    kinds = data["kinds"]
    assert set(kinds) == {"heuristic", "random"}
    assert kinds["heuristic"]["games"] == 2 * games and kinds["random"]["games"] == games
    assert sum(k["wins"] for k in kinds.values()) == games
    for k in kinds.values():
        lo, hi = k["win_ci"]
        assert 0.0 <= lo <= k["win_rate"] <= hi <= 1.0
        assert sum(s["games"] for s in k["seats"].values()) == k["games"]
        assert sum(s["wins"] for s in k["seats"].values()) == k["wins"]
    # each kind in every seat equally: random once per rotation, the heuristic twice
    assert {cid: s["games"] for cid, s in kinds["random"]["seats"].items()} == dict.fromkeys(result.companies, 2)
    assert {cid: s["games"] for cid, s in kinds["heuristic"]["seats"].items()} == dict.fromkeys(result.companies, 4)
    for c in data["companies"].values():
        assert c["player_kinds"] == {"heuristic": 4, "random": 2}
        assert c["win_ci"][0] <= c["win_rate"] <= c["win_ci"][1]
        for cap in c["capabilities"].values():
            assert 0.0 < cap["built_rate"] <= 1.0 and 1.0 <= cap["mean_round"] <= data["mean_rounds"]
        if c["loop_closed_in_game_rate"]:
            assert 1.0 <= c["loop_closed_mean_round"] <= data["mean_rounds"]


def test_simulate_with_a_search_player_is_the_same_for_any_jobs(rules):
    kinds = ["easy", "heuristic", "heuristic"]
    one = simulate(rules, "default", 3, 8, kinds, rotate=True, jobs=1).as_dict()
    two = simulate(rules, "default", 3, 8, kinds, rotate=True, jobs=2).as_dict()
    assert json.dumps(one) == json.dumps(two)
    assert one["kinds"]["easy"]["games"] == 3


def test_simulate_cli_rotates_and_prints_per_kind_figures(capsys):
    from game.cli import main

    assert main(["simulate", "--games", "3", "--seed", "2", "--players", "heuristic,random,heuristic",
                 "--rotate", "--jobs", "1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rotate"] and data["kinds"]["random"]["games"] == 3
    assert main(["simulate", "--games", "3", "--seed", "2", "--players", "heuristic,random,heuristic",
                 "--rotate", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "per kind" in out and "95% CI" in out and "Capabilities built" in out
    assert main(["simulate", "--games", "1", "--players", "hard,heuristic"]) == 2   # one kind missing


def test_bench_times_the_hard_player(rules):
    from game.sim.bench import percentile, search_decision_times

    times = search_decision_times(rules, "default", "normal", decisions=4)
    assert len(times) == 4 and all(t > 0 for t in times)
    assert percentile(times, 0.5) <= percentile(times, 0.95) <= max(times)
    assert percentile([1.0, 2.0, 3.0], 0.5) == 2.0


def test_a_small_search_plays_every_scenario_legally(rules):
    """The first quarter of every scenario, the search player in the first seat (the default
    scenario is played to the end above)."""
    for sid in rules.scenarios:
        state = new_game(rules, sid, 1)
        players = [SearchPlayer(1, SearchConfig(iterations=1, rollout="random")), make_player("heuristic", 1),
                   make_player("heuristic", 2)]
        while not state.terminal and state.round == 1:
            before = state.serialize()
            action = players[state.current].choose(state)
            assert state.serialize() == before and action in state.legal_actions()
            state.apply_action(action)


def test_simulate_on_a_local_dask_cluster_matches_the_local_run(rules):
    """--cluster: the same figures from a Dask cluster's workers as from this process."""
    distributed = pytest.importorskip("distributed")
    kinds = ["heuristic", "random", "heuristic:fixed"]
    local = simulate(rules, "default", 60, 5, kinds, rotate=True).as_dict()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        remote = simulate(rules, "default", 60, 5, kinds, rotate=True, cluster=cluster.scheduler_address).as_dict()
    assert json.dumps(remote) == json.dumps(local)


def test_a_cluster_that_is_not_there_is_a_clear_error(rules, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr("game.sim.parallel.CLUSTER_TIMEOUT", "1s")
    with pytest.raises(ValueError, match="cannot reach the Dask cluster at tcp://127.0.0.1:1"):
        simulate(rules, "default", 1, 1, ["heuristic"] * 3, cluster="tcp://127.0.0.1:1")
