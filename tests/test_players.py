"""Computer players: always legal, never change the state while choosing, finish games; the
heuristic player beats the random one."""

from dataclasses import replace

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


def test_heuristic_runs_ads_to_afford_two_build_steps_toward_the_loop(rules):
    """At a turn's start, short of two build steps toward the loop and with users in good
    spirits, the heuristic runs ads first (fund_ads); without fund_ads it builds at once."""
    from game.players.heuristic import HeuristicPlayer, HeuristicStyle
    from game.testing import give_turn, set_company, start
    kinds = []
    for fund in (True, False):
        state = start("default", seed=1)
        give_turn(state, "tencent")
        assert not state.company("tencent").loop_closed
        build = HeuristicPlayer(style=HeuristicStyle(fund_ads=False))._next_build(
            state, [a for a in state.legal_actions() if rules.action(a.id).kind == "build"])
        step = state.price(build).capital
        set_company(state, "tencent", capital=1.5 * step, ux=95.0)   # one step, not two
        a = HeuristicPlayer(style=HeuristicStyle(fund_ads=fund)).choose(state)
        kinds.append(rules.action(a.id).kind)
    assert kinds == ["ads", "build"]


def test_heuristic_first_builds_what_one_step_finishes_and_converts(rules):
    """quick_wins: of the planned capabilities, one that a single step finishes and that adds
    conversion comes first (ByteDance's merchant onboarding, which its app needs anyway), as
    hard search plays it; without quick_wins the plan's cheapest-first order."""
    from game.players.heuristic import HeuristicPlayer, HeuristicStyle
    from game.testing import give_turn, start
    picks = []
    for quick in (True, False):
        state = start("default", seed=1)
        give_turn(state, "bytedance")
        builds = [a for a in state.legal_actions() if rules.action(a.id).kind == "build"]
        picks.append(HeuristicPlayer(style=HeuristicStyle(quick_wins=quick))._next_build(state, builds).target)
    k = rules.capability_index(picks[0])
    assert rules.capabilities[k].work == 1 and state.profile("bytedance").cap_conversion[k] >= 0.1
    assert picks[0] == "merchant_onboarding" and picks[1] != picks[0]


def test_heuristic_hires_away_the_team_of_the_rival_least_able_to_keep_it(rules):
    """setback: once its turn has sold, with money to spare, the heuristic poaches the racing
    rival with the least capital (it must pay to keep its team); without setback it does not."""
    from game.players.heuristic import HeuristicPlayer, HeuristicStyle
    from game.testing import give_turn, set_company, start
    picks = []
    for setback in (True, False):
        state = start("default", seed=1)
        give_turn(state, "alibaba")
        set_company(state, "alibaba", capital=200.0, ux=95.0, traffic=50.0, app_share=1.0)
        team = ["shop", "merchant_onboarding", "courier_partners", "own_payment", "own_ewaybill"]
        set_company(state, "bytedance", capital=40.0, built=team)   # neither needs e-waybills
        set_company(state, "tencent", capital=5.0, built=team)
        sell = next(a for a in state.legal_actions() if a.id == "sell")
        state.apply_action(sell)                      # the turn has sold
        state.round = state.scenario.rounds - 2       # too late for more conversion builds
        assert {a.target for a in state.legal_actions() if a.id == "poach"} == {"bytedance", "tencent"}
        a = HeuristicPlayer(style=HeuristicStyle(setback=setback)).choose(state)
        picks.append((a.id, a.target))
    assert picks[0] == ("poach", "tencent")
    assert picks[1][0] != "poach"


def test_heuristic_spares_a_shopping_apps_users_live_pushes_until_the_last_rounds(rules):
    """A live push wears user experience, and a shopping app's own buyers (shelf_rate) leave with
    it: the heuristic waits for shelf_guard x shelf_rate more experience before a live push,
    except in the last late_rounds rounds; with shelf_guard 0 it pushes at once."""
    from game.players.heuristic import HeuristicPlayer, HeuristicStyle
    from game.testing import give_turn, set_company, start

    def pick(guard, late):
        state = start("default", seed=1)
        give_turn(state, "alibaba")
        assert state.profile("alibaba").shelf_rate >= 0.5
        set_company(state, "alibaba", ux=80.0, traffic=50.0)
        commerce = [a for a in state.legal_actions() if rules.action(a.id).kind == "commerce"]
        assert any(rules.action(a.id).demand_mult > 1.0 for a in commerce)
        if late:
            state.round = state.scenario.rounds
        player = HeuristicPlayer(style=HeuristicStyle(shelf_guard=guard))
        return rules.action(player._commerce(state, commerce).id).demand_mult > 1.0
    assert pick(0.0, late=False)            # live push at once
    assert not pick(40.0, late=False)       # sells plainly to spare its buyers
    assert pick(40.0, late=True)            # the last rounds push again


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


def test_heuristic_with_launch_sold_sells_before_it_launches_the_app(rules):
    """launch_sold: at a turn's start with the app ready to launch and nothing sold, it sells
    first (a launch's turn otherwise goes to migrations and sells nothing, and the launch falls
    in Double 11); without it, it launches at once. Once the turn has sold, it launches."""
    from game.players import make_player
    from game.players.heuristic import HeuristicPlayer, HeuristicStyle
    from game.testing import start
    state = start("default", seed=1)
    players = [make_player("heuristic", i) for i in range(3)]
    while not (state.current_company == "bytedance" and state.actions_left > 1
               and any(a.id == "launch_app" for a in state.legal_actions())):
        assert not state.terminal
        state.apply_action(players[state.current].choose(state))
    assert state.company("bytedance").commerce_traffic == 0
    bare = HeuristicStyle(habits=False)     # no company habits: only the thresholds
    assert HeuristicPlayer(style=bare).choose(state).id == "launch_app"
    sale = HeuristicPlayer(style=replace(bare, launch_sold=True)).choose(state)
    assert rules.action(sale.id).kind == "commerce"
    # ByteDance's habit (rules/ai_styles.toml) is launch_sold: the heuristic sells first too.
    habitual = HeuristicPlayer(style=HeuristicStyle())
    assert habitual.style_for("bytedance", rules.source_dir).launch_sold
    assert not habitual.style_for("tencent", rules.source_dir).launch_sold
    assert habitual.choose(state) == sale
    state.apply_action(sale)
    assert HeuristicPlayer(style=replace(bare, launch_sold=True)).choose(state).id == "launch_app"
    assert habitual.choose(state).id == "launch_app"
