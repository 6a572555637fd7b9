"""One test per mechanic of the model: each fails if its mechanic breaks.

Every expected figure is computed from the rules' own numbers at test time, so the tests keep
passing while the numbers are tuned, and fail when the behaviour changes.
"""

import math
import re

import pytest

from game.engine import IllegalActionError, load_rules
from game.engine.economy import conversion
from game.engine.events import apply_event, modifier
from game.testing import (
    assert_illegal, assert_invariants, copy_rules, digest, end_round, give_turn, legal, play,
    reason, set_company, start, step_cost,
)

RICH = dict(capital=1000.0, traffic=1000.0, ux=90.0)


def action_of(rules, kind, without_requires=True):
    for a in rules.actions:
        if a.kind == kind and (not without_requires or not a.requires):
            return a
    pytest.skip(f"no action of kind {kind}")


def spend(state, action):
    """Apply an action; return (traffic spent, ux lost, capital change, demand change) for the mover."""
    cs = state.companies[state.current]
    before = (cs.traffic, cs.ux, cs.capital, cs.demand)
    cid = cs.id
    play(state, action)
    cs = state.company(cid)
    return before[0] - cs.traffic, before[1] - cs.ux, cs.capital - before[2], cs.demand - before[3]


def leaked_share(state, cid):
    cs = state.company(cid)
    return sum(link.share * (1.0 - cs.app_share)
               for (link, h, _), is_open in zip(state.links, state.links_open)
               if is_open and state.players[h] == cid)


# ------------------------------------------------------------------ traffic and capital

def test_traffic_comes_from_users(rules):
    eco = rules.economy
    s1, s2 = start(seed=0), start(seed=0)
    for cs in s1.companies:  # round 1: traffic = users x rate x factor x (1 + bonus) x events
        prof = s1.profile(cs.id)
        expected = (cs.users * eco.traffic_per_user * prof.traffic_factor * (1 + cs.traffic_bonus)
                    * modifier(s1, "traffic", cs.index))
        assert cs.traffic == pytest.approx(expected)
        assert cs.traffic_start == pytest.approx(expected)
    cid = s1.players[0]
    users = s1.company(cid).users
    set_company(s2, cid, users=min(users * 2, eco.internet_users))
    end_round(s1), end_round(s2)
    a, b = s1.company(cid), s2.company(cid)
    assert b.users > a.users
    assert b.traffic > a.traffic
    assert b.traffic / a.traffic == pytest.approx(b.users / a.users)


def test_capital_pays_builds():
    state = start(seed=0)
    cid = state.current_company
    builds = [a for a in legal(state) if a.startswith("build:")]
    assert builds, "no capability can be built at the start"
    cap = builds[0].split(":")[1]
    cost = step_cost(state, cid, cap)
    assert cost > 0
    set_company(state, cid, capital=cost - 0.01)
    assert_illegal(state, f"build:{cap}", "not_enough_capital")
    set_company(state, cid, capital=cost + 1.0)
    play(state, f"build:{cap}")
    assert state.company(cid).capital == pytest.approx(1.0)
    assert state.company(cid).progress[state.rules.capability_index(cap)] == 1


def test_step_cost_follows_company_cost_mult(rules):
    """cost_mult (per pillar and per capability) makes a company's build steps dearer or cheaper."""
    state = start(seed=0)
    for cid in state.players:
        spec = state.scenario.company_specs[cid]
        for cap in rules.capabilities:
            expected = cap.cost * spec.cost_mult.get(cap.pillar, 1.0) * spec.cost_mult.get(cap.id, 1.0)
            assert step_cost(state, cid, cap.id) == pytest.approx(expected), (cid, cap.id)
    dearer = [(cid, p) for cid in state.players
              for p, m in state.scenario.company_specs[cid].cost_mult.items() if m > 1.0]
    assert dearer, "no company finds any pillar harder (F36)"


def test_multi_step_build(rules):
    state = start(seed=0)
    cid = state.current_company
    cs = state.company(cid)
    cap = next((c for c in rules.capabilities if c.work >= 2 and not cs.is_built(c.index)), None)
    if cap is None:
        pytest.skip("no multi-step capability to build")
    set_company(state, cid, built=list(cap.requires) + list(cap.requires_any[:1]), capital=1000.0)
    conv_before = state.company(cid).conversion
    for step in range(1, cap.work + 1):
        give_turn(state, cid)
        assert state.node_state(cid, cap.id) == ("available" if step == 1 else "in_progress")
        play(state, f"build:{cap.id}")
        assert state.company(cid).progress[cap.index] == step
        if step < cap.work:
            assert state.node_state(cid, cap.id) == "in_progress"
            assert state.company(cid).conversion == conv_before
            end_round(state)
    assert state.node_state(cid, cap.id) == "built"
    prof = state.profile(cid)
    assert state.company(cid).conversion == pytest.approx(conv_before + prof.cap_conversion[cap.index])
    assert_invariants(state)


# ------------------------------------------------------------------ user experience and users

def test_commerce_lowers_ux_and_app_share_relieves_it(rules):
    sell = action_of(rules, "commerce")
    assert sell.ux > 0
    losses = {}
    for share in (0.0, 0.5, 1.0):
        state = start(seed=0)
        cid = next(c for c in state.players if state.company(c).app_share == 0.0)
        give_turn(state, cid)
        set_company(state, cid, **RICH, app_share=share)
        cs = state.company(cid)
        prof = state.profile(cid)
        _, loss, _, _ = spend(state, sell.id)
        expected = (sell.ux * (1 - share) * (1 - cs.ux_relief) * prof.ux_cost_mult
                    * modifier(state, "ux_cost", cs.index, sell.index))
        assert loss == pytest.approx(expected)
        losses[share] = loss
    assert losses[0.0] > 0
    assert losses[0.5] == pytest.approx(losses[0.0] / 2)
    assert losses[1.0] == 0.0


def test_private_domain_relieves_ux(rules):
    sell = action_of(rules, "commerce")
    relief_caps = [c for c in rules.capabilities if c.ux_relief > 0]
    if not relief_caps:
        pytest.skip("no capability relieves UX")
    cap = relief_caps[0]
    state0 = start(seed=0)
    cid = next((c for c in state0.players if not state0.company(c).is_built(cap.index)
                and state0.company(c).app_share < 1.0 and state0.company(c).ux_relief == 0), None)
    if cid is None:
        pytest.skip(f"every company already has {cap.id}")
    results = []
    for with_cap in (False, True):
        state = start(seed=0)
        give_turn(state, cid)
        set_company(state, cid, **RICH)
        if with_cap:
            set_company(state, cid, built=[cap.id])
        relief = state.company(cid).ux_relief
        _, loss, _, _ = spend(state, sell.id)
        results.append((relief, loss))
    (r0, l0), (r1, l1) = results
    assert r0 == 0 and r1 > 0
    assert r1 == pytest.approx(min(rules.economy.ux_relief_cap, sum(c.ux_relief for c in rules.capabilities
                                            if state.company(cid).is_built(c.index))))
    assert l1 == pytest.approx(l0 * (1 - r1))
    assert l1 < l0


def test_ads_cost_ux_and_give_capital(rules):
    ads = action_of(rules, "ads")
    state = start(seed=0)
    cid = state.current_company
    set_company(state, cid, **RICH)
    prof = state.profile(cid)
    spent, loss, gain, _ = spend(state, ads.id)
    assert spent > 0
    assert gain == pytest.approx(spent * ads.capital_per_traffic * prof.ad_mult)
    assert loss == pytest.approx(ads.ux * prof.ux_cost_mult * modifier(state, "ux_cost", prof.index, ads.index))


def test_low_ux_shrinks_users(rules):
    eco = rules.economy
    cid = start(seed=0).players[0]
    users = {}
    for ux in (0.0, eco.ux_max):
        state = start(seed=0)
        set_company(state, cid, ux=ux)
        before = state.company(cid).users
        prof = state.profile(cid)
        end_round(state)
        part = eco.ux_sensitivity * (ux - eco.ux_neutral) / 100.0
        if part < 0:
            part *= prof.user_loss_mult
        part = min(part, eco.ux_growth_cap)
        expected = min(eco.internet_users, max(eco.min_users, before * (1 + prof.growth + part)))
        assert state.company(cid).users == pytest.approx(expected)
        # UX recovers a little every quarter.
        assert state.company(cid).ux == pytest.approx(min(eco.ux_max, ux + eco.ux_recovery))
        users[ux] = (before, state.company(cid).users)
    assert users[0.0][1] < users[eco.ux_max][1]
    growth = start(seed=0).profile(cid).growth
    if growth + eco.ux_sensitivity * (0 - eco.ux_neutral) / 100 * start(seed=0).profile(cid).user_loss_mult < 0:
        assert users[0.0][1] < users[0.0][0], "users at zero UX did not shrink"


# ------------------------------------------------------------------ GMV and the market

def test_gmv_conversion_rises_with_built_capabilities(rules):
    sell = action_of(rules, "commerce")
    state0 = start(seed=0)
    cid = state0.players[0]
    cs0 = state0.company(cid)
    cap = next((c for c in rules.capabilities if not cs0.is_built(c.index)
                and state0.profile(cid).cap_conversion[c.index] > 0
                and state0.graph.is_available(cs0.built, c.index)), None)
    if cap is None:
        pytest.skip("nothing with conversion to build")
    gmv, conv = [], []
    for with_cap in (False, True):
        state = start(seed=0)
        set_company(state, cid, **RICH)
        if with_cap:
            set_company(state, cid, built=[cap.id])
        conv.append(state.company(cid).conversion)
        play(state, sell.id)
        end_round(state)
        gmv.append(state.company(cid).gmv_total)
    assert conv[1] == pytest.approx(conv[0] + state0.profile(cid).cap_conversion[cap.index])
    assert gmv[1] > gmv[0] > 0


def test_commerce_demand_is_traffic_times_conversion(rules):
    sell = action_of(rules, "commerce")
    state = start(seed=0)
    cid = state.current_company
    set_company(state, cid, **RICH)
    cs = state.company(cid)
    prof = state.profile(cid)
    conv = conversion(cs, state.scenario.merchant_floor)
    leak = leaked_share(state, cid)
    spent, _, _, demand = spend(state, sell.id)
    mult = sell.demand_mult * prof.action_demand_mult[sell.index] * modifier(state, "demand", prof.index, sell.index)
    assert demand == pytest.approx(spent * (1 - leak) * conv * mult)


def test_market_is_finite_and_split(rules):
    """One company's extra demand lowers another's GMV; all GMV stays within the market."""
    sell = action_of(rules, "commerce")
    state0 = start(seed=0)
    linked = {(state0.players[h], state0.players[p]) for _, h, p in state0.links}
    a, b = next((x, y) for x in state0.players for y in state0.players
                if x != y and (x, y) not in linked and state0.players.index(x) < state0.players.index(y))
    gmv_b = []
    for a_sells in (False, True):
        state = start(seed=0)
        set_company(state, a, **RICH)
        set_company(state, b, **RICH)
        give_turn(state, a)
        if a_sells:
            play(state, sell.id, sell.id)
        give_turn(state, b)
        play(state, sell.id)
        end_round(state)
        rec = state.records[-1]
        assert sum(v["gmv"] for v in rec.companies.values()) <= rec.market + 1e-9
        assert rec.others_gmv > 0
        gmv_b.append(state.company(b).gmv_total)
    assert 0 < gmv_b[1] < gmv_b[0]


# ------------------------------------------------------------------ outside links

def test_outside_links_send_demand_and_fees_and_ban_stops_them(rules):
    sell = action_of(rules, "commerce")
    ban = action_of(rules, "ban_links", without_requires=False)
    state0 = start(seed=0)
    if not state0.links:
        pytest.skip("no outside links in the default scenario")
    link, h, p = state0.links[0]
    host, partner = state0.players[h], state0.players[p]
    out = {}
    for banned in (False, True):
        state = start(seed=0)
        give_turn(state, host)
        set_company(state, host, **RICH, built=list(ban.requires))
        if banned:
            play(state, f"{ban.id}:{partner}")
            assert partner not in state.links_open_to(host)
        play(state, sell.id)
        end_round(state)
        fees = [e for e in state.log if e.key == "link_fees" and e.company == host]
        out[banned] = (state.company(host).gmv_total, state.company(partner).gmv_total, fees)
    (host_open, partner_open, fees_open), (host_banned, partner_banned, fees_banned) = out[False], out[True]
    assert partner_open > 0, "the partner gains buyers through the links"
    assert partner_banned < partner_open, "banned links send the partner nothing more"
    assert host_banned > host_open, "banning keeps the buyers in the host's own shop"
    assert len(fees_open) == 1 and not fees_banned
    assert fees_open[0].params["fee"] == pytest.approx(fees_open[0].params["gmv"] * link.fee_rate)
    # the link's GMV is part of the partner's (which also has its own shoppers)
    assert 0 < fees_open[0].params["gmv"] <= partner_open


def test_ban_links_needs_a_shop(rules):
    ban = action_of(rules, "ban_links", without_requires=False)
    state = start(seed=0)
    if not state.links or not ban.requires:
        pytest.skip("no links or the ban needs nothing")
    _, h, p = state.links[0]
    host, partner = state.players[h], state.players[p]
    give_turn(state, host)
    set_company(state, host, **RICH, unbuilt=list(ban.requires))
    assert_illegal(state, f"{ban.id}:{partner}", "requires_capability")
    set_company(state, host, built=list(ban.requires))
    assert reason(state, f"{ban.id}:{partner}") is None


def test_ban_links_disabled_by_scenario(rules):
    ban = action_of(rules, "ban_links", without_requires=False)
    scen = next((s for s in rules.scenarios.values() if ban.id in s.disabled_actions), None)
    if scen is None:
        pytest.skip("no scenario disables the ban")
    state = start(scen.id, seed=0)
    _, h, p = state.links[0]
    give_turn(state, state.players[h])
    set_company(state, state.players[h], **RICH, built=list(ban.requires))
    assert_illegal(state, f"{ban.id}:{state.players[p]}", "disabled_by_scenario")


# ------------------------------------------------------------------ e-waybills

def _one_sale_by_a_waybill_payer(rules, own: bool):
    """A round in which a company without an own e-waybill (or, with ``own``, with one) sells
    once; returns the state after settlement, the payer, the provider and data before."""
    eco = rules.economy
    wb = rules.capability_index(eco.waybill_capability)
    state = start(seed=0)
    provider = state.scenario.waybill_provider
    payer = next(c for c in state.players if c != provider and not state.company(c).is_built(wb))
    give_turn(state, payer)
    set_company(state, payer, **RICH)
    if own:
        set_company(state, payer, built=[eco.waybill_capability])
    data_before = {cs.id: cs.data for cs in state.companies}
    play(state, action_of(rules, "commerce").id)
    end_round(state)
    return state, payer, provider, data_before


def test_ewaybill_fees_and_data_go_to_the_provider(rules):
    eco = rules.economy
    wb = rules.capability_index(eco.waybill_capability)
    for own in (False, True):
        state, payer, provider, data_before = _one_sale_by_a_waybill_payer(rules, own)
        gmv = {c: v["gmv"] for c, v in state.records[-1].companies.items()}
        fees = [e for e in state.log if e.key == "waybill_fees" and e.company == payer]
        if own:
            assert not fees, "an own e-waybill pays no fees"
            assert state.company(payer).data - data_before[payer] == pytest.approx(gmv[payer] * eco.data_per_gmv)
        else:
            assert len(fees) == 1
            assert fees[0].params["fee"] == pytest.approx(gmv[payer] * eco.waybill_fee_rate)
            assert state.company(payer).data - data_before[payer] == pytest.approx(
                gmv[payer] * eco.data_per_gmv * (1 - eco.waybill_data_share))
        # The provider's data: its own plus the share handed over by every payer.
        handed = sum(gmv[c] * eco.data_per_gmv * eco.waybill_data_share for c in state.players
                     if c != provider and not state.company(c).is_built(wb))
        pcs = state.company(provider)
        own_data = gmv[provider] * eco.data_per_gmv * (1 if pcs.is_built(wb) else 1 - eco.waybill_data_share)
        assert pcs.data - data_before[provider] == pytest.approx(own_data + handed)


def test_ewaybill_fee_moves_capital_to_the_provider(rules):
    """Same play, the payer with and without an own e-waybill: the provider earns less without fees."""
    provider_capital = []
    for own in (False, True):
        state, _, provider, _ = _one_sale_by_a_waybill_payer(rules, own)
        provider_capital.append(state.company(provider).capital)
    assert provider_capital[0] > provider_capital[1]


def test_quarter_settlement_pays_commission_fees_and_idle_ads(rules):
    """Capital at the end of a quarter: commission on GMV, link fees earned, e-waybill fees paid
    or received, and ad income from unspent traffic, for every company, exactly."""
    eco = rules.economy
    sell = action_of(rules, "commerce")
    state = start(seed=0)
    for cid in state.players:
        give_turn(state, cid)
        set_company(state, cid, **RICH)
        play(state, sell.id)
    # Every company has moved this round once the last one has sold; settle now.
    before = {cs.id: (cs.capital, cs.traffic) for cs in state.companies}
    r = state.round
    end_round(state)
    assert state.round == r + 1
    gmv = {c: v["gmv"] for c, v in state.records[-1].companies.items()}
    settle = [e for e in state.log if e.round == r]
    paid = {c: 0.0 for c in state.players}
    waybill = {c: 0.0 for c in state.players}
    for e in settle:
        if e.key == "waybill_fees":
            waybill[e.company] -= e.params["fee"]
            waybill[e.params["target"].id] += e.params["fee"]
        if e.key == "link_fees":
            paid[e.company] += e.params["fee"]
    wb = rules.capability_index(eco.waybill_capability)
    provider = state.scenario.waybill_provider
    for cid in state.players:
        cs = state.company(cid)
        if provider in state.players and cid != provider and not cs.is_built(wb) and gmv[cid] > 0:
            assert waybill[cid] == pytest.approx(-gmv[cid] * eco.waybill_fee_rate), cid
        capital, traffic = before[cid]
        idle = traffic * eco.idle_traffic_ad_rate * state.profile(cid).ad_mult
        expected = max(0.0, capital + eco.commerce_take_rate * gmv[cid] + paid[cid] + waybill[cid] + idle)
        # The round record holds capital as settled, before the next round's events.
        assert state.records[-1].companies[cid]["capital"] == pytest.approx(expected), cid
    if provider in state.players:
        assert waybill[provider] > 0, "the e-waybill provider received no fees"


def test_buyer_data_raises_conversion_only_with_the_data_capability(rules):
    eco = rules.economy
    if not eco.data_capability:
        pytest.skip("no data capability")
    d = rules.capability_index(eco.data_capability)
    state = start(seed=0)
    with_cap, without = state.players[0], state.players[1]
    set_company(state, with_cap, built=[eco.data_capability], data=eco.data_half)
    set_company(state, without, unbuilt=[eco.data_capability], data=eco.data_half)
    end_round(state)
    for cid in (with_cap, without):
        cs = state.company(cid)
        expected = eco.data_conversion_max * cs.data / (cs.data + eco.data_half) if cs.is_built(d) else 0.0
        assert cs.data_bonus == pytest.approx(expected), cid
    assert state.company(with_cap).data_bonus > 0
    assert state.company(without).data_bonus == 0


# ------------------------------------------------------------------ talent

def _talent_setup(rules):
    eco = rules.economy
    caps = [c for c in rules.capabilities if c.pillar == eco.talent_pillar and c.work >= 2]
    if not caps:
        pytest.skip("no multi-step capability in the talent pillar")
    return eco, caps[0]


def test_poach_sets_the_rival_back_and_speeds_own_build(rules):
    eco, cap = _talent_setup(rules)
    poach = action_of(rules, "poach")
    state = start(seed=0)
    me = state.current_company
    rival = next(c for c in state.players if c != me)
    prereq = list(cap.requires) + list(cap.requires_any[:1])
    set_company(state, rival, built=prereq, progress={cap.id: cap.work - 1})
    set_company(state, me, **RICH, built=prereq, talent=0)
    play(state, f"{poach.id}:{rival}")
    assert state.company(me).talent == 1
    assert state.company(rival).progress[cap.index] == cap.work - 2
    assert any(e.key == "poach_setback" and e.company == rival for e in state.log)
    play(state, f"build:{cap.id}")
    assert state.company(me).progress[cap.index] == min(cap.work, 1 + eco.talent_progress)
    assert state.company(me).talent == 0
    assert_invariants(state)


def test_talent_only_speeds_its_pillar(rules):
    eco, _ = _talent_setup(rules)
    state = start(seed=0)
    me = state.current_company
    cs = state.company(me)
    other = next((c for c in rules.capabilities if c.pillar != eco.talent_pillar and c.work >= 2
                  and not cs.is_built(c.index)), None)
    if other is None:
        pytest.skip("no other multi-step capability")
    set_company(state, me, **RICH, built=list(other.requires) + list(other.requires_any[:1]), talent=1)
    play(state, f"build:{other.id}")
    assert state.company(me).progress[other.index] == 1
    assert state.company(me).talent == 1


def test_poach_needs_a_team_and_has_a_limit(rules):
    eco = rules.economy
    poach = action_of(rules, "poach")
    state = start(seed=0)
    me = state.current_company
    rival = next(c for c in state.players if c != me)
    team = [c.id for c in rules.capabilities if c.pillar == eco.talent_pillar]
    set_company(state, me, **RICH)
    set_company(state, rival, unbuilt=team)
    assert_illegal(state, f"{poach.id}:{rival}", "nothing_to_poach")
    set_company(state, rival, built=team[:1])
    set_company(state, me, talent=eco.max_talent)
    assert_illegal(state, f"{poach.id}:{rival}", "talent_full")
    set_company(state, me, talent=0)
    assert reason(state, f"{poach.id}:{rival}") is None
    assert_illegal(state, f"{poach.id}:{me}", "invalid_target")


# ------------------------------------------------------------------ events

def test_scheduled_events_happen_in_their_rounds(rules):
    state = start("default", seed=0)
    scen = state.scenario
    while not state.is_terminal():
        expected = scen.scheduled.get(state.round, ())
        assert state.round_events[:len(expected)] == tuple(expected), state.round
        logged = [e.params["event"].id for e in state.log
                  if e.key in ("event", "event_hit") and e.round == state.round]
        assert logged == list(state.round_events)
        end_round(state)


def test_deck_draws_are_reproducible_and_independent_of_play(rules):
    def events_of(seed, busy):
        state = start("default", seed=seed)
        seen = []
        while not state.is_terminal():
            seen.append(state.round_events)
            if busy:
                for a in legal(state):
                    if not a.startswith("end_turn") and state.is_legal(a):
                        play(state, a)
                        break
            end_round(state)
        return seen

    assert events_of(5, False) == events_of(5, False)
    assert events_of(5, False) == events_of(5, True), "the deck must not depend on what is played"
    assert len({tuple(events_of(s, False)) for s in range(6)}) > 1, "every seed draws the same"


def test_lasting_modifiers_expire(rules):
    scen = rules.scenario("default")
    deck = {e for e, _ in scen.deck}
    pick = None
    for r, evs in scen.scheduled.items():
        for eid in evs:
            ev = rules.events[eid]
            window = range(r, r + ev.rounds)
            again = any(eid in scen.scheduled.get(x, ()) for x in range(r + 1, r + ev.rounds + 1))
            if (any(e.type in ("market", "traffic", "demand", "ux_cost") for e in ev.effects)
                    and eid not in deck and not again and r + ev.rounds <= scen.rounds):
                pick = (eid, window)
                break
        if pick:
            break
    if pick is None:
        pytest.skip("no scheduled lasting event to watch")
    eid, window = pick
    state = start("default", seed=0)
    while state.round <= window.stop and not state.is_terminal():
        active = any(m[5] == eid for m in state.mods)
        assert active == (state.round in window), (eid, state.round)
        end_round(state)


def test_market_event_changes_the_market(rules):
    state = start("default", seed=0)
    scen = state.scenario
    base = scen.market * (1 + scen.market_growth) ** (state.round - 1)
    mult = math.prod(m[2] for m in state.mods if m[0] == "market")
    assert state.market_size() == pytest.approx(base * mult)
    end_round(state)
    assert state.records[0].market == pytest.approx(base * mult)


def _independent_mask(state, who):
    if who == "all":
        return set(state.players)
    if who in state.players:
        return {who}
    if who.startswith(("has:", "lacks:")):
        kind, _, cap = who.partition(":")
        k = state.rules.capability_index(cap)
        return {c for c in state.players if state.company(c).is_built(k) == (kind == "has")}
    return None  # leader / laggard: depends on GMV so far


@pytest.mark.parametrize("etype", ["capital", "ux", "users", "progress"])
def test_immediate_event_effects(rules, etype):
    eco = rules.economy
    events = [(ev, e) for ev in rules.events.values() for e in ev.effects if e.type == etype]
    if not events:
        pytest.skip(f"no {etype} event")
    for ev, eff in events:
        if len(ev.effects) != 1:
            continue
        state = start("default", seed=0)
        whom = _independent_mask(state, eff.who)
        if whom is None:
            continue
        before = {cs.id: cs.copy() for cs in state.companies}
        apply_event(state, ev)
        for cs in state.companies:
            b = before[cs.id]
            if cs.id not in whom:
                assert (cs.capital, cs.ux, cs.users, cs.progress) == (b.capital, b.ux, b.users, b.progress)
            elif etype == "capital":
                assert cs.capital == pytest.approx(max(0.0, b.capital + eff.delta))
            elif etype == "ux":
                assert cs.ux == pytest.approx(min(eco.ux_max, max(0.0, b.ux + eff.delta)))
            elif etype == "users":
                assert cs.users == pytest.approx(min(eco.internet_users, max(eco.min_users, b.users * eff.mult)))
            elif etype == "progress":
                k = rules.capability_index(eff.capability)
                if b.is_built(k) or not state.graph.is_available(b.built, k):
                    assert cs.progress[k] == b.progress[k]
                else:
                    assert cs.progress[k] == min(rules.capabilities[k].work, b.progress[k] + int(eff.delta))
        assert_invariants(state)


# ------------------------------------------------------------------ company powers

def test_ad_mult_power(rules):
    ads = action_of(rules, "ads")
    gains = {}
    for cid in start(seed=0).players:
        state = start(seed=0)
        give_turn(state, cid)
        set_company(state, cid, **RICH)
        spent, _, gain, _ = spend(state, ads.id)
        powers = [rules.powers[p] for p in state.scenario.company_specs[cid].powers]
        assert gain == pytest.approx(spent * ads.capital_per_traffic * math.prod(p.ad_mult for p in powers))
        gains[cid] = gain / spent
    boosted = [c for c in gains if state.profile(c).ad_mult > 1]
    plain = [c for c in gains if state.profile(c).ad_mult == 1]
    for b in boosted:
        for p in plain:
            assert gains[b] > gains[p]


def test_action_demand_mult_power(rules):
    """E.g. top hosts: a company's live pushes create more demand than the same push elsewhere."""
    found = False
    for cid in rules.scenario("default").companies:
        powers = [rules.powers[p] for p in rules.scenario("default").company_specs[cid].powers]
        for power in powers:
            for aid, mult in power.action_demand_mult.items():
                spec = rules.action(aid)
                state = start(seed=0)
                give_turn(state, cid)
                set_company(state, cid, **RICH, built=list(spec.requires))
                cs = state.company(cid)
                conv = conversion(cs, state.scenario.merchant_floor)
                leak = leaked_share(state, cid)
                spent, _, _, demand = spend(state, aid)
                expected = (spent * (1 - leak) * conv * spec.demand_mult * mult
                            * modifier(state, "demand", cs.index, spec.index))
                assert demand == pytest.approx(expected), (cid, power.id, aid)
                found = True
    if not found:
        pytest.skip("no power changes an action's demand")


def test_action_cost_mult_power(rules):
    buy = action_of(rules, "buy_traffic")
    for cid in start(seed=0).players:
        state = start(seed=0)
        give_turn(state, cid)
        set_company(state, cid, capital=1000.0)
        spent, _, capital_change, _ = spend(state, buy.id)
        mult = state.profile(cid).action_cost_mult[buy.index]
        assert -capital_change == pytest.approx(buy.capital * mult)
        assert -spent == pytest.approx(buy.traffic_gain)


# ------------------------------------------------------------------ turns, legality, undo

def test_actions_per_round_and_turn_order_rotation(rules):
    state = start(seed=0)
    n = len(state.players)
    apr = state.scenario.actions_per_round
    cid = state.current_company
    set_company(state, cid, **RICH)
    for _ in range(apr):
        assert state.actions_left > 0
        choice = next(a for a in legal(state) if a != "end_turn")
        play(state, choice)
    assert state.actions_left == 0
    assert legal(state) == ["end_turn"]
    assert_illegal(state, action_of(rules, "commerce").id, "no_actions_left")
    for r in range(1, min(state.scenario.rounds, n + 2)):
        assert state.round == r
        assert state.current_company == state.players[(r - 1) % n]
        end_round(state)


ILLEGAL_CASES = [
    ("no_such_action", "unknown_action"),
    ("build", "needs_target"),
    ("build:no_such_capability", "unknown_capability"),
    ("end_turn:bytedance", "invalid_target"),
]


@pytest.mark.parametrize("action,code", ILLEGAL_CASES)
def test_illegal_actions_raise_and_change_nothing(action, code):
    state = start(seed=0)
    exc = assert_illegal(state, action, code)
    assert f"rule: {code}" in str(exc)
    assert exc.company == state.current_company


def test_illegal_build_reasons(rules):
    state = start(seed=0)
    cid = state.current_company
    cs = state.company(cid)
    built = next(c for c in rules.capabilities if cs.is_built(c.index))
    assert_illegal(state, f"build:{built.id}", "already_built")
    locked = next(c for c in rules.capabilities
                  if not cs.is_built(c.index) and not state.graph.is_available(cs.built, c.index))
    exc = assert_illegal(state, f"build:{locked.id}")
    assert exc.reason.code in ("missing_prerequisites", "missing_any_prerequisite")
    assert {r.id for r in exc.reason.params["missing"]} <= set(locked.requires + locked.requires_any)
    assert state.explain(exc.reason, "zh") and state.explain(exc.reason, "en")


def test_undo_restores_exactly_across_round_ends(rules):
    import numpy as np

    state = start(seed=3)
    rng = np.random.default_rng(0)
    digests = []
    while state.round < 3:
        digests.append(digest(state))
        options = state.legal_actions()
        busy = [a for a in options if a.id != "end_turn"] or options
        state.apply_action(busy[int(rng.integers(len(busy)))] if rng.random() < 0.7 else options[-1])
    assert state.records, "no round ended"
    for expected in reversed(digests):
        state.undo()
        assert digest(state) == expected
    with pytest.raises(IndexError):
        state.undo()


def test_undo_returns_the_action_and_allows_replaying_it():
    state = start(seed=1)
    a = state.legal_actions()[0]
    before = digest(state)
    state.apply_action(a)
    after = digest(state)
    assert state.undo() == a
    assert digest(state) == before
    state.apply_action(a)
    assert digest(state) == after


# ------------------------------------------------------------------ the end and the app

def _rules_with_target(tmp_path, target, requires_app=True):
    d = copy_rules(tmp_path / "rules")
    path = d / "scenarios" / "default.toml"
    text = path.read_text(encoding="utf-8")
    # the victory of the GMV race (mode "gmv"), whatever the default scenario uses
    text = re.sub(r"(?m)^(target_quarter_gmv|requires_app|mode)\s*=.*$\n", "", text)
    text, n = re.subn(r"(?m)^\[victory\]\n", "[victory]\nmode = \"gmv\"\n"
                      f"target_quarter_gmv = {target}\n"
                      f"requires_app = {'true' if requires_app else 'false'}\n", text)
    assert n == 1
    path.write_text(text, encoding="utf-8")
    return load_rules(d)


def test_winner_on_score_after_the_last_round(tmp_path):
    rules = _rules_with_target(tmp_path, 1e12)
    from game.sim.simulate import play_game

    state = play_game(rules, "default", 4, ["heuristic"] * len(rules.scenario("default").companies))
    assert state.is_terminal()
    assert state.round == state.scenario.rounds
    assert state.win_reason == "score"
    best = max(state.companies, key=lambda cs: cs.gmv_total)
    assert state.winner_id == best.id
    assert state.returns()[state.winner] == 1.0 and sum(state.returns()) == 1.0
    assert state.legal_actions() == []
    assert_illegal(state, "end_turn", "game_over")
    assert_invariants(state)


def test_winner_on_target_needs_a_launched_app(tmp_path):
    rules = _rules_with_target(tmp_path, 0.001, requires_app=True)
    sell = action_of(rules, "commerce")
    state = start("default", seed=0, rules=rules)
    # A company whose app was there from the start does not count; one launched in play does.
    preexisting = [cs.id for cs in state.companies if cs.app_launched]
    for cid in preexisting:
        give_turn(state, cid)
        set_company(state, cid, **RICH)
        play(state, sell.id)
    end_round(state)
    assert not state.is_terminal() or state.win_reason == "target" and state.winner_id not in preexisting
    if state.is_terminal():
        return
    cid = next(c for c in state.players if c not in preexisting)
    give_turn(state, cid)
    set_company(state, cid, **RICH, built=list(state.loop_status(cid).plan))
    set_company(state, cid, app_launched=True, app_share=0.0)
    play(state, sell.id)
    end_round(state)
    assert state.is_terminal()
    assert state.win_reason == "target"
    assert state.winner_id == cid
    assert_invariants(state)


def test_launch_app_needs_closed_loop_and_mall_page(rules):
    launch = action_of(rules, "launch_app", without_requires=False)
    state = start(seed=0)
    cid = next(c for c in state.players if not state.company(c).app_launched)
    give_turn(state, cid)
    set_company(state, cid, **RICH)
    status = state.loop_status(cid)
    assert not status.closed
    code = reason(state, launch.id)
    assert code in ("requires_capability", "requires_loop")
    if launch.requires:  # the mall page without the loop
        set_company(state, cid, built=list(launch.requires))
        if not state.company(cid).loop_closed:
            assert_illegal(state, launch.id, "requires_loop")
    if launch.requires_loop:  # the loop without the mall page
        state2 = start(seed=0)
        give_turn(state2, cid)
        set_company(state2, cid, **RICH, built=list(state2.loop_status(cid).plan))
        assert state2.company(cid).loop_closed
        if launch.requires and not all(state2.company(cid).is_built(rules.capability_index(r))
                                       for r in launch.requires):
            assert_illegal(state2, launch.id, "requires_capability")
    set_company(state, cid, built=list(state.loop_status(cid).plan) + list(launch.requires))
    assert state.company(cid).loop_closed
    play(state, launch.id)
    cs = state.company(cid)
    assert cs.app_launched and cs.launched_round == state.round
    assert cs.app_share == pytest.approx(max(state.scenario.company_specs[cid].app_share, launch.app_share))
    if state.actions_left:
        assert_illegal(state, launch.id, "app_already_launched")


def test_migrate_moves_commerce_to_the_app(rules):
    migrate = action_of(rules, "migrate", without_requires=False)
    state = start(seed=0)
    cid = next(c for c in state.players if not state.company(c).app_launched)
    give_turn(state, cid)
    set_company(state, cid, **RICH)
    assert_illegal(state, migrate.id, "app_not_launched")
    set_company(state, cid, app_launched=True, app_share=0.5)
    play(state, migrate.id)
    assert state.company(cid).app_share == pytest.approx(min(1.0, 0.5 + migrate.app_share))
    set_company(state, cid, app_share=1.0)
    assert_illegal(state, migrate.id, "app_share_full")


def test_buy_traffic_is_limited_per_round(rules):
    buy = action_of(rules, "buy_traffic")
    if not buy.per_round or buy.per_round >= rules.scenario("default").actions_per_round:
        pytest.skip("buy_traffic has no binding per-round limit")
    state = start(seed=0)
    set_company(state, state.current_company, capital=1000.0)
    play(state, *[buy.id] * buy.per_round)
    assert_illegal(state, buy.id, "per_round_limit")


def test_illegal_error_is_a_clear_message(rules):
    state = start(seed=0)
    cid = state.current_company
    set_company(state, cid, capital=0.0)
    cap = next((a for a in ["build:" + c.id for c in rules.capabilities]
                if state.why_illegal(a) is not None and state.why_illegal(a).code == "not_enough_capital"), None)
    if cap is None:
        pytest.skip("nothing is blocked by capital alone")
    with pytest.raises(IllegalActionError) as info:
        state.apply_action(cap)
    msg = str(info.value)
    assert cap in msg and cid in msg and "not_enough_capital" in msg


# ------------------------------------------------------------------ goals, merchants, shelf, regulator

TRIAL = "default"   # the scenario that turns these rules on


def _sell_or_not(seed: int, sells: bool):
    """One round in which the first company sells once or not at all; the others only end turns."""
    sell = action_of(load_rules("rules"), "commerce")
    state = start(TRIAL, seed=seed)
    cid = state.current_company
    set_company(state, cid, **RICH)
    if sells:
        play(state, sell.id)
    end_round(state)
    return state, cid


def test_merchants_stay_where_they_sell_and_leave_a_quiet_platform(rules):
    eco = rules.scenario(TRIAL)
    sold, cid = _sell_or_not(1, True)
    quiet, _ = _sell_or_not(1, False)
    start_merchants = rules.scenario(TRIAL).company_specs[cid].merchants
    assert sold.company(cid).merchants == pytest.approx(min(100.0, start_merchants + eco.merchant_gain))
    assert quiet.company(cid).merchants == pytest.approx(max(0.0, start_merchants - eco.merchant_decay))
    # and fewer merchants convert less of the same traffic
    a, b = sold.company(cid), quiet.company(cid)
    if eco.merchant_floor < 1.0 and a.merchants != b.merchants:
        assert conversion(b, eco.merchant_floor) < conversion(a, eco.merchant_floor)


def test_app_users_shop_by_themselves_without_cost_to_experience(rules):
    """Shelf demand: a company with an app share has demand with no action at all (F32)."""
    from game.engine.economy import shelf_demand

    state = start(TRIAL, seed=2)
    cid = next(c for c in state.players if state.profile(c).shelf_rate > 0)
    set_company(state, cid, app_share=0.0)
    assert shelf_demand(state, state.company(cid)) == 0.0
    set_company(state, cid, app_share=0.5)
    cs = state.company(cid)
    scen = rules.scenario(TRIAL)
    assert shelf_demand(state, cs) == pytest.approx(
        cs.users * 0.5 * state.profile(cid).shelf_rate * conversion(cs, scen.merchant_floor)
        * (scen.shelf_ux_floor + (1 - scen.shelf_ux_floor) * cs.ux / 100)
        * modifier(state, "demand", cs.index))
    ux = cs.ux
    give_turn(state, cid)
    end_round(state)
    assert state.company(cid).gmv_last > 0 and state.company(cid).ux >= ux   # no selling, no UX cost


def test_goal_points_are_gmv_over_the_company_goal_with_diminishing_returns_capped(rules):
    scen = rules.scenario(TRIAL)
    if not scen.victory_points:
        pytest.skip("the trial scenario is not won on points")
    state = start(TRIAL, seed=3)
    end_round(state)
    for cs in state.companies:
        ratio = cs.gmv_last / state.profile(cs.id).goal_gmv
        expected = min(scen.quarter_points_cap, ratio ** scen.quarter_points_power)
        assert cs.points == pytest.approx(expected)
    assert scen.quarter_points_power < 1.0    # diminishing returns: twice the goal is not twice the points


def test_closing_the_loop_and_launching_the_app_score_once(rules):
    scen = rules.scenario(TRIAL)
    if not scen.victory_points or not scen.loop_points:
        pytest.skip("no milestone points")
    launch = action_of(rules, "launch_app", without_requires=False)
    state = start(TRIAL, seed=4)
    cid = next(c for c in state.players if not state.company(c).loop_closed)
    give_turn(state, cid)
    status = state.loop_status(cid)
    set_company(state, cid, **RICH, built=[*status.plan, *launch.requires], progress={})
    cs = state.company(cid)
    before = cs.points
    # set_company rebuilt the state without the build action: close the last link by a build
    assert cs.loop_closed
    set_company(state, cid, unbuilt=[status.plan[-1]] if status.plan else [])
    if state.company(cid).loop_closed:
        pytest.skip("the loop does not hang on one capability")
    last = status.plan[-1]
    set_company(state, cid, progress={last: rules.capability(last).work - 1})
    play(state, f"{action_of(rules, 'build', without_requires=False).id}:{last}")
    assert state.company(cid).loop_closed
    assert state.company(cid).points == pytest.approx(before + scen.loop_points)
    play(state, launch.id)
    assert state.company(cid).points == pytest.approx(before + scen.loop_points + scen.app_points)


def test_the_regulator_watches_a_leader_far_ahead(rules):
    scen = rules.scenario(TRIAL)
    if scen.regulator_event is None:
        pytest.skip("no regulator in the trial scenario")
    state = start(TRIAL, seed=5)
    leader = state.players[1]
    state.company(leader).points = 1000.0            # far ahead whatever the first quarter gives
    end_round(state)
    assert scen.regulator_event in state.round_events
    idx = state.players.index(leader)
    mods = [m for m in state.mods if m[5] == scen.regulator_event]
    assert mods and all(m[3] == 1 << idx for m in mods)     # on the leader, by points, alone
    assert modifier(state, "demand", idx) < modifier(state, "demand", (idx + 1) % len(state.players))


def test_points_victory_goes_to_the_most_points(rules):
    from game.sim.simulate import play_game

    if not rules.scenario(TRIAL).victory_points:
        pytest.skip("the trial scenario is not won on points")
    state = play_game(rules, TRIAL, 6, ["heuristic"] * 3)
    assert state.win_reason == "points"
    assert state.company(state.winner_id).points == max(cs.points for cs in state.companies)


def test_an_event_aimed_at_random_lands_on_one_company_chosen_by_the_pick():
    from game.engine.events import who_mask
    state = start("default", seed=3)
    n = len(state.companies)
    masks = [who_mask(state, "random", (i + 0.5) / n) for i in range(n)]
    assert masks == [1 << i for i in range(n)]          # each company for its slice of [0, 1)
    assert who_mask(state, "random", 0.999999) == 1 << (n - 1)


def test_live_push_wears_users_out_inside_the_app_too(rules):
    """ux_in_app: a live push sold through the app still costs that share of its experience (F33),
    where a plain sale through the app costs none."""
    from game.engine.economy import ux_cost

    live = next((a for a in rules.actions if a.kind == "commerce" and a.ux_in_app > 0), None)
    if live is None:
        pytest.skip("no commerce action costs experience in the app")
    sell = action_of(rules, "commerce")
    assert sell.ux_in_app == 0.0
    state = start(TRIAL, seed=0)
    cid = next(c for c in state.players if state.company(c).app_share == 0.0)
    give_turn(state, cid)
    set_company(state, cid, **RICH, built=live.requires, app_share=1.0)
    cs = state.company(cid)
    prof = state.profile(cid)
    assert ux_cost(state, cs, sell) == 0.0
    expected = (live.ux * live.ux_in_app * (1 - cs.ux_relief) * prof.ux_cost_mult
                * modifier(state, "ux_cost", cs.index, live.index))
    assert expected > 0
    assert ux_cost(state, cs, live) == pytest.approx(expected)
    _, loss, _, _ = spend(state, live.id)
    assert loss == pytest.approx(expected)
    # halfway into the app: the feed's part in full, the app's part at ux_in_app
    set_company(state, cid, app_share=0.5)
    cs = state.company(cid)
    assert ux_cost(state, cs, live) == pytest.approx(expected / live.ux_in_app * (0.5 + 0.5 * live.ux_in_app))


def test_shelf_demand_falls_with_user_experience(rules):
    """shelf_ux_floor: shoppers come back by themselves to an app they enjoy (F31, F33)."""
    from game.engine.economy import shelf_demand

    floor = rules.scenario(TRIAL).shelf_ux_floor
    if floor >= 1.0:
        pytest.skip("shelf demand does not depend on user experience in this scenario")
    state = start(TRIAL, seed=2)
    cid = next(c for c in state.players if state.profile(c).shelf_rate > 0)
    set_company(state, cid, app_share=0.5, ux=100.0)
    full = shelf_demand(state, state.company(cid))
    assert full > 0
    set_company(state, cid, ux=50.0)
    assert shelf_demand(state, state.company(cid)) == pytest.approx(full * (floor + (1 - floor) * 0.5))
    set_company(state, cid, ux=0.0)
    assert shelf_demand(state, state.company(cid)) == pytest.approx(full * floor)



def _to_last_quarter(scen, seed):
    state = start(TRIAL, seed=seed)
    while state.round < scen.rounds:
        end_round(state)
        assert not any(e.key == "ux_end_points" for e in state.log)   # nothing before the end
    return state


def test_user_experience_scores_once_at_the_end(rules):
    """ux_end_points (F31): after the last quarter each company scores ux_end_points x UX / ux_max."""
    scen = rules.scenario(TRIAL)
    if not scen.ux_end_points:
        pytest.skip("the trial scenario scores no user experience at the end")
    state = _to_last_quarter(scen, seed=4)
    end_round(state)
    assert state.is_terminal()
    ends = {e.company: e for e in state.log if e.key == "ux_end_points"}
    assert set(ends) == set(state.players)
    for cs in state.companies:
        assert float(ends[cs.id].params["points"]) == pytest.approx(
            scen.ux_end_points * cs.ux / rules.economy.ux_max, abs=0.051)


def test_worn_out_users_cost_points_at_the_end(rules):
    """Two copies of the last quarter that differ only in one company's experience: the worn-out
    one ends at least the end score's difference behind (its users and shelf shoppers fall too)."""
    scen = rules.scenario(TRIAL)
    if not scen.ux_end_points:
        pytest.skip("the trial scenario scores no user experience at the end")
    a = _to_last_quarter(scen, seed=4)
    b = a.clone()
    cid = a.players[0]
    a.company(cid).ux, b.company(cid).ux = 90.0, 30.0
    end_round(a)
    end_round(b)
    gap = a.company(cid).points - b.company(cid).points
    assert gap >= scen.ux_end_points * 60.0 / rules.economy.ux_max - 1e-6
