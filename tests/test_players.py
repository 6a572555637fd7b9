"""Computer players: always legal, never change the state while choosing, finish games; the
heuristic player beats the random one."""

import numpy as np
import pytest

from game.engine import new_game
from game.players import LEVELS, PLAYER_KINDS, make_player
from game.session import Session
from game.sim.invariants import PlayerContract
from game.sim.simulate import play_game

GAMES = 20


# The search levels (easy, normal, hard) think for up to a second a move: tests/test_search.py
# plays them with small budgets.
@pytest.mark.parametrize("kind", [k for k in PLAYER_KINDS if k not in LEVELS])
def test_players_choose_legal_actions_and_finish(rules, kind):
    for sid in rules.scenarios:
        state = new_game(rules, sid, 1)
        seats = {cid: make_player(kind, i) for i, cid in enumerate(state.players)}
        # The contract: the state untouched while choosing, a legal choice; run_to_end: an end
        # within the game's action bound.
        Session(state, seats, [PlayerContract()]).run_to_end()
        assert state.winner is not None


def test_unknown_player_kind():
    with pytest.raises(ValueError, match="unknown player kind"):
        make_player("genius")


def test_heuristic_is_deterministic(rules):
    a = play_game(rules, "default", 3, ["heuristic"] * 3)
    b = play_game(rules, "default", 3, ["heuristic"] * 3)
    assert [str(x) for x in a.history] == [str(x) for x in b.history]


def test_heuristic_beats_random_for_every_company(rules):
    """Same seeds: a company earns more GMV on average when the heuristic plays it (others random)."""
    scen = rules.scenario("default")
    n = len(scen.companies)
    for i, cid in enumerate(scen.companies):
        kinds = ["random"] * n
        base = np.mean([play_game(rules, "default", s, kinds).company(cid).gmv_total for s in range(GAMES)])
        kinds[i] = "heuristic"
        smart = np.mean([play_game(rules, "default", s, kinds).company(cid).gmv_total for s in range(GAMES)])
        assert smart > base, f"{cid}: heuristic mean GMV {smart:.1f} <= random {base:.1f}"


def _play_logging(rules, kinds: dict[str, str], seed: int):
    """Play the default game with the given kinds (heuristic elsewhere); yield (state before,
    action) for every decision."""
    state = new_game(rules, "default", seed)
    players = {cid: make_player(kinds.get(cid, "heuristic"), seed + i) for i, cid in enumerate(state.players)}
    while not state.is_terminal():
        a = players[state.current_company].choose(state)
        yield state, a
        state.apply_action(a)


def test_waybill_hardball_refuses_at_once_and_keeps_refusing(rules):
    """As the e-waybill provider (Alibaba in the default game) it refuses its waybills with its
    first action and never goes back to other terms."""
    for seed in (1, 2, 3):
        refused = False
        for state, a in _play_logging(rules, {"alibaba": "waybill_hardball"}, seed):
            if state.current_company != "alibaba":
                continue
            spec = rules.action(a.id)
            if not refused:
                assert spec.kind == "waybill_terms" and spec.demand_loss, (seed, state.round, a)
                refused = True
            else:
                assert spec.kind != "waybill_terms", (seed, state.round, a)
                assert rules.actions[state.company("alibaba").waybill_terms].demand_loss
        assert refused


def test_hosts_first_grows_its_hosts_whenever_it_may(rules):
    """Whenever growing its own hosts is legal, hosts_first does that before anything else."""
    grown_by = {}
    for cid in ("bytedance", "alibaba", "tencent"):
        grown = 0
        for state, a in _play_logging(rules, {cid: "hosts_first"}, 5):
            if state.current_company != cid:
                continue
            legal_content = [x for x in state.legal_actions() if rules.action(x.id).kind == "content"]
            if legal_content:
                assert rules.action(a.id).kind == "content", (cid, state.round, a)
                grown += 1
        grown_by[cid] = grown
    assert grown_by["bytedance"] > 0 and grown_by["alibaba"] > 0   # Tencent has no live rooms to host


def _tencent_with_app(rules, app_share):
    from game.testing import give_turn, set_company, start
    state = start("default", seed=1)
    cid = "tencent"
    give_turn(state, cid)
    launch = next(s for s in rules.actions if s.kind == "launch_app")
    plan = state.loop_status(cid).plan
    set_company(state, cid, capital=1000.0, traffic=1000.0, ux=95.0,
                built=[*plan, *launch.requires], app_launched=True, app_share=app_share)
    assert state.company(cid).loop_closed and state.company(cid).app_launched
    return state, cid


def test_heuristic_keeps_building_conversion_while_it_can_pay_back(rules):
    """After the loop and the app, the heuristic goes on building conversion first while at least
    value_rounds quarters are left; with value_rounds 0 it sells instead."""
    from game.players.heuristic import HeuristicPlayer, HeuristicStyle
    kinds = []
    for value_rounds in (4, 0):
        state, _ = _tencent_with_app(rules, app_share=1.0)    # every user in the app: no migrating
        a = HeuristicPlayer(style=HeuristicStyle(value_rounds=value_rounds)).choose(state)
        kinds.append(rules.action(a.id).kind)
    assert kinds[0] == "build"
    assert kinds[1] == "commerce"


def test_heuristic_moves_users_into_a_shopping_app_rather_than_one_last_sale(rules):
    """The turn's last action sells when nothing has sold yet, except once the app is up and its
    users shop by themselves: then moving more of them in comes first."""
    from game.players.heuristic import HeuristicPlayer, HeuristicStyle
    from game.testing import play
    state, cid = _tencent_with_app(rules, app_share=0.25)
    assert state.profile(cid).shelf_rate > 0
    migrate = next(s for s in rules.actions if s.kind == "migrate")
    while state.actions_left > 1:
        play(state, migrate.id)
    assert state.company(cid).commerce_traffic == 0
    a = HeuristicPlayer(style=HeuristicStyle()).choose(state)
    assert rules.action(a.id).kind == "migrate"
