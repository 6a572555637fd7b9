"""Traffic, conversion, user experience, the shared market and GMV.

The market each round is finite (F21): companies split consumer spending in proportion to the
demand they create, against the pull of everyone else outside the game, so one's gain is
partly another's loss.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .events import age_modifiers, modifier
from .reasons import Money, Ref, UsersChange
from .records import RoundRecord

if TYPE_CHECKING:
    from .company import CompanyState
    from .rules import ActionSpec, Scenario
    from .state import GameState


def round_income(state: GameState, cs: CompanyState) -> None:
    """Start of round: the user base yields this round's traffic (unspent traffic is not kept)."""
    prof = state.game.profiles[cs.index]
    eco = state.game.rules.economy
    cs.traffic = (cs.users * eco.traffic_per_user * prof.traffic_factor * (1.0 + cs.traffic_bonus + cs.content)
                  * modifier(state, "traffic", cs.index))
    cs.traffic_start = cs.traffic
    cs.demand = cs.ux_lost = cs.commerce_traffic = 0.0
    if state.logging:
        state.note(cs.id, "income", traffic=cs.traffic)


def traffic_cost(state: GameState, cs: CompanyState, spec: ActionSpec) -> float:
    """Traffic an action spends: its share of the round's traffic, or its fixed amount if more."""
    base = max(spec.traffic, spec.traffic_share * cs.traffic_start) if spec.traffic_share else spec.traffic
    return base * state.game.profiles[cs.index].action_cost_mult[spec.index]


def ux_cost(state: GameState, cs: CompanyState, spec: ActionSpec) -> float:
    """User experience an action takes: commerce less for the share already in the app (F31, F32)
    and for private-domain relief; ads take it in full."""
    if not spec.ux:
        return 0.0
    prof = state.game.profiles[cs.index]
    loss = spec.ux * prof.ux_cost_mult * modifier(state, "ux_cost", cs.index, spec.index)
    if state.game.kinds[spec.index].eased_in_app:
        # The app spares the feed, but a live room's countdowns cost experience there too (F33).
        loss *= (1.0 - cs.app_share * (1.0 - spec.ux_in_app)) * (1.0 - cs.ux_relief)
    return loss


def conversion(cs: CompanyState, merchant_floor: float = 1.0) -> float:
    """Demand created per traffic point: base + built capabilities + buyer data, times the share
    of it the platform's merchants can serve (a platform that stops selling loses them)."""
    return (cs.conversion + cs.data_bonus) * (
        merchant_floor + (1.0 - merchant_floor) * cs.merchants / 100.0)


def shelf_demand(state: GameState, cs: CompanyState) -> float:
    """Demand from users who shop in the company's own app by themselves, with no push in the
    feed and no cost to user experience (F31, F32): Taobao's search shoppers, later Douyin's.
    Shoppers come back to an app they enjoy: below full experience some of them stay away."""
    scen = state.game.scenario
    return (cs.users * cs.app_share * state.game.profiles[cs.index].shelf_rate
            * conversion(cs, scen.merchant_floor)
            * (scen.shelf_ux_floor + (1.0 - scen.shelf_ux_floor) * cs.ux / 100.0)
            * modifier(state, "demand", cs.index))


def commerce(state: GameState, cs: CompanyState, spec: ActionSpec) -> None:
    """Spend traffic on selling: demand now, user experience lost (less in the app)."""
    prof = state.game.profiles[cs.index]
    spent = traffic_cost(state, cs, spec)
    mult = spec.demand_mult * prof.action_demand_mult[spec.index] * modifier(
        state, "demand", cs.index, spec.index)
    feed_share = 1.0 - cs.app_share
    floor = state.game.scenario.merchant_floor
    leaked = 0.0
    for i, (link, host, partner) in enumerate(state.game.links):
        if host == cs.index and state.links_open[i]:
            share = link.share * feed_share
            leaked += share
            state.link_demand[i] += spent * share * conversion(state.companies[partner], floor) * mult
    cs.demand += spent * (1.0 - leaked) * conversion(cs, floor) * mult
    loss = ux_cost(state, cs, spec)
    cs.ux = max(0.0, cs.ux - loss)
    cs.ux_lost += loss
    cs.commerce_traffic += spent
    if not state.logging:
        return
    if loss < 0.05 and cs.app_share >= 1.0:  # all of it in the standalone app (F31, F32)
        state.note(cs.id, "commerce_in_app", action=Ref("action", spec.id), traffic=spent)
    else:
        state.note(cs.id, "commerce", action=Ref("action", spec.id), traffic=spent, ux=loss)


def run_ads(state: GameState, cs: CompanyState, spec: ActionSpec) -> None:
    """Turn traffic into capital at a cost to user experience (F30, F31)."""
    prof = state.game.profiles[cs.index]
    spent = traffic_cost(state, cs, spec)
    gain = spent * spec.capital_per_traffic * prof.ad_mult
    loss = ux_cost(state, cs, spec)
    cs.capital += gain
    cs.ux = max(0.0, cs.ux - loss)
    cs.ux_lost += loss
    if state.logging:
        state.note(cs.id, "ads", capital=Money(gain), ux=loss)


def market_size(state: GameState) -> float:
    scen = state.game.scenario
    base = scen.market * (1.0 + scen.market_growth) ** (state.round - 1)
    mult = 1.0
    for mod in state.mods:
        if mod.type == "market":
            mult *= mod.mult
    return base * mult


def end_round(state: GameState) -> None:
    """Settle the quarter: split the market, pay fees, move users, record, check for a winner."""
    eco = state.game.rules.economy
    scen = state.game.scenario
    companies = state.companies
    logging = state.logging
    market = market_size(state)
    state.market_now = market
    demand = [cs.demand + shelf_demand(state, cs) for cs in companies]
    provider = state.game.waybill_provider
    wb = state.game.waybill_index
    fee_rate, data_share = eco.waybill_fee_rate, eco.waybill_data_share
    if provider is not None and companies[provider].waybill_terms >= 0:
        # The provider's terms (F07, F35): its fee, the data it keeps, and for a refusal the
        # sales rivals lose while they cannot print e-waybills of their own.
        terms = state.game.rules.actions[companies[provider].waybill_terms]
        fee_rate *= terms.fee_mult
        if terms.data_share is not None:
            data_share = terms.data_share
        if terms.demand_loss and wb >= 0:
            for cs in companies:
                if cs.index != provider and not cs.built >> wb & 1:
                    demand[cs.index] *= 1.0 - terms.demand_loss
    for i, (_, _, partner) in enumerate(state.game.links):
        demand[partner] += state.link_demand[i]
    total = sum(demand) + scen.others_weight
    share = [d / total if total > 0 else 0.0 for d in demand]
    gmv = [market * s for s in share]
    income = [eco.commerce_take_rate * g for g in gmv]
    counted = list(gmv)     # the GMV each company's goal points count (links' share included)

    for i, (link, host, partner) in enumerate(state.game.links):
        if state.link_demand[i] > 0 and total > 0:
            link_gmv = market * state.link_demand[i] / total
            fee = link_gmv * link.fee_rate
            counted[host] += link_gmv * link.points_share
            income[host] += fee
            if logging:
                state.note(companies[host].id, "link_fees", target=Ref("company", companies[partner].id),
                           gmv=Money(link_gmv), fee=Money(fee))

    for cs in companies:
        data = gmv[cs.index] * eco.data_per_gmv
        if wb >= 0 and not cs.built >> wb & 1:
            # Someone else prints the waybills and keeps that share of the data; it reaches a
            # player only when the scenario's provider is in the game.
            kept = data * (1.0 - data_share)
            if provider is not None and provider != cs.index:
                fee = gmv[cs.index] * fee_rate
                income[cs.index] -= fee
                income[provider] += fee
                companies[provider].data += data * data_share
                if fee > 0 and logging:
                    state.note(cs.id, "waybill_fees", target=Ref("company", companies[provider].id), fee=Money(fee))
            data = kept
        cs.data += data

    for cs in companies:
        prof = state.game.profiles[cs.index]
        idle = max(0.0, cs.traffic) * eco.idle_traffic_ad_rate * prof.ad_mult
        gain = income[cs.index] + idle
        cs.capital = max(0.0, cs.capital + gain)
        ux_part = eco.ux_sensitivity * (cs.ux - eco.ux_neutral) / 100.0
        if ux_part < 0:
            ux_part *= prof.user_loss_mult
        ux_part = min(ux_part, eco.ux_growth_cap)
        before = cs.users
        cs.users = min(eco.internet_users, max(eco.min_users, cs.users * (1.0 + prof.growth + ux_part)))
        cs.gmv_last = gmv[cs.index]
        cs.gmv_total += cs.gmv_last
        # Merchants stay where they sell: a quarter without selling loses some (F37).
        if cs.commerce_traffic > 0:
            cs.merchants = min(100.0, cs.merchants + scen.merchant_gain)
        else:
            cs.merchants = max(0.0, cs.merchants - scen.merchant_decay)
        if scen.victory_points:
            # Goal points on the company's own scale, with diminishing returns and capped per
            # quarter: results sustained over quarters win, not one festival burst.
            cs.points += quarter_points(scen, counted[cs.index] / prof.goal_gmv)
        if logging:
            state.note(cs.id, "quarter_result", gmv=Money(cs.gmv_last), income=Money(gain),
                       users_change=UsersChange(cs.users - before))
            if ux_part < 0 and cs.users < before:
                state.note(cs.id, "ux_users", ux=cs.ux)
        cs.ux = min(eco.ux_max, cs.ux + eco.ux_recovery)
        d = state.game.data_index
        cs.data_bonus = (eco.data_conversion_max * cs.data / (cs.data + eco.data_half)
                         if d < 0 or cs.built >> d & 1 else 0.0)

    if logging:
        _record(state, market, gmv)
    age_modifiers(state)
    _check_victory(state)


def quarter_points(scen: Scenario, ratio: float) -> float:
    """Goal points for one quarter whose counted GMV is ``ratio`` times the company's goal line."""
    return min(scen.quarter_points_cap, float(max(0.0, ratio) ** scen.quarter_points_power))


def _record(state: GameState, market: float, gmv: list[float]) -> None:
    scen = state.game.scenario
    companies = state.companies
    year, quarter = state.year_quarter
    state.records.append(RoundRecord(
        round=state.round, year=year, quarter=quarter, market=market,
        others_gmv=market - sum(gmv), events=state.round_events,
        companies={cs.id: {
            "gmv": cs.gmv_last, "gmv_total": cs.gmv_total, "traffic": cs.traffic_start,
            "capital": cs.capital, "ux": cs.ux, "users": cs.users, "loop_links": cs.links_done,
            "loop_closed": float(cs.loop_closed), "app_share": cs.app_share, "data": cs.data,
            "conversion": conversion(cs, scen.merchant_floor), "ux_lost": cs.ux_lost,
            "points": cs.points, "merchants": cs.merchants,
        } for cs in companies}))


def _check_victory(state: GameState) -> None:
    scen = state.game.scenario
    companies = state.companies
    target = scen.target_quarter_gmv
    if target is not None:
        # The target needs an app launched during the game (Taobao's, there from the start,
        # does not count): the race is to close the loop and launch.
        hits = [cs for cs in companies
                if cs.gmv_last >= target and (cs.launched_round or not scen.requires_app)]
        if hits:
            best = max(hits, key=lambda cs: cs.gmv_last)
            state.terminal, state.winner, state.win_reason = True, best.index, "target"
            state.note(best.id, "winner_target", gmv=Money(best.gmv_last))
            return
    if state.round >= scen.rounds:
        if scen.victory_points:
            if scen.ux_end_points:
                # Users remember how they were treated (F31): the experience a company leaves
                # them with scores once, so burning it in the last quarters is not free.
                ux_max = state.game.rules.economy.ux_max
                for cs in companies:
                    gain = scen.ux_end_points * cs.ux / ux_max
                    cs.points += gain
                    if state.logging:
                        state.note(cs.id, "ux_end_points", ux=round(cs.ux), points=f"{gain:.1f}")
            best = max(companies, key=lambda cs: (cs.points, cs.gmv_total))
            state.terminal, state.winner, state.win_reason = True, best.index, "points"
            state.note(best.id, "winner_points", points=f"{best.points:.1f}")
            return
        best = max(companies, key=lambda cs: cs.gmv_total)
        state.terminal, state.winner, state.win_reason = True, best.index, "score"
        state.note(best.id, "winner_score", gmv=Money(best.gmv_total))
