"""A rule-of-thumb player that plays each company sensibly from what the rules data say.

It reads its plan off the engine (the cheapest way to close the loop, then the road to the
standalone app, then the best conversion for the money), guards its users' experience, bans
outside links once its own checkout converts well, and buys traffic when it has money but no
attention. It is the baseline a stronger computer player must beat.
"""

from __future__ import annotations

from dataclasses import replace

from game.engine import Action, CompanyState, GameState

from .plan import SHARED_PLANS, PlanMemo
from .style import HeuristicStyle
from .styles import heuristic_habits


class HeuristicPlayer:
    """Deterministic for a given seed: the same state always gets the same action.

    Its build plans come from a :class:`PlanMemo` (by default the one all players share): the
    same answers as computed afresh, without the cost at every decision.
    """

    name = "heuristic"

    def __init__(self, seed: int = 0, style: HeuristicStyle | None = None,
                 plans: PlanMemo | None = None):
        self.style = style or HeuristicStyle.varied(seed)
        self.plans = plans if plans is not None else SHARED_PLANS
        self._by_company: dict[str, HeuristicStyle] = {}
        self._styles_dir: str | None = None     # the rules folder the habits above came from
        self._now = self.style      # the style of the company to move (set by choose)

    def style_for(self, company: str, rules_dir: str | None = None) -> HeuristicStyle:
        """The thresholds it plays ``company`` with: its style, with that company's habits
        (ai_styles.toml of ``rules_dir``, the game's own rules by default) unless the style
        turns them off."""
        if rules_dir != self._styles_dir:
            self._by_company.clear()
            self._styles_dir = rules_dir
        found = self._by_company.get(company)
        if found is None:
            found = self.style
            if found.habits and (changes := heuristic_habits(rules_dir).get(company)):
                found = replace(found, **changes)  # type: ignore[arg-type]  # types checked on load
            self._by_company[company] = found
        return found

    def choose(self, state: GameState) -> Action:
        legal = state.legal_actions()
        if len(legal) == 1:
            return legal[0]
        cs = state.companies[state.current]
        rules = state.rules
        st = self._now = self.style_for(cs.id, rules.source_dir)
        # Actions this company has taken in this turn. Not ``state.undoable_in_turn``: a clone
        # or a rollout (``logging=False``) keeps no undo, and the heuristic must play the same
        # there as in a game (search players roll out with it).
        taken = len(state.history) - state.turn_start

        # The legal actions by kind, in the engine's order (asked once: this player also plays
        # the search player's rollouts, where it is most of the time spent).
        by_kind: dict[str, list[Action]] = {}
        spec_of = rules.action
        for act in legal:
            kind_of = spec_of(act.id).kind
            found = by_kind.get(kind_of)
            if found is None:
                by_kind[kind_of] = [act]
            else:
                found.append(act)

        def pick(kind: str) -> Action | None:
            found = by_kind.get(kind)
            return found[0] if found else None

        # The turn's last action sells when nothing has sold yet: a quarter without selling
        # loses merchants (and a festival's demand), which cost more than a build, a launch or
        # a migration put off by one action. Without this, any action taken earlier (a ban)
        # shifted the plan so that the launch and the migrations filled a Double 11 quarter.
        # Once the app is up, users moved into it shop by themselves: moving them on beats one
        # more sale in the feed, so the rule yields to a migration then.
        moving = cs.app_launched and state.profiles[cs.index].shelf_rate > 0 and pick("migrate") is not None
        if state.actions_left == 1 and cs.commerce_traffic == 0 and cs.traffic >= 1.0 and not moving \
                and (a := self._commerce(state, by_kind.get("commerce"))) is not None:
            return a
        if (a := pick("launch_app")) is not None:
            if st.launch_sold and cs.commerce_traffic == 0 and cs.traffic >= 1.0 \
                    and (sale := self._commerce(state, by_kind.get("commerce"))) is not None:
                return sale
            return a
        if (a := self._waybill_terms(state, by_kind.get("waybill_terms"))) is not None:
            return a
        # Move users into the app when the feed needs relief, or when app users shop by
        # themselves (shelf demand): then every step also brings sales.
        if (a := pick("migrate")) is not None and (cs.ux < 90 or state.profiles[cs.index].shelf_rate > 0):
            return a

        # Ban once its own checkout converts (F34): its conversion, with the share its merchants
        # can serve, reaches ban_ratio of the partner's. Measured, the ban pays most early (the
        # links carry the whole feed and every quarter left sells in its own shops) and nothing
        # once the app has taken the feed, so it bans before the app, as the turn's second
        # action (a ban in place of the first build step delays the loop and the app), and
        # not with the turn's last action before any selling.
        if (a := pick("ban_links")) is not None and taken >= 1 \
                and not cs.app_launched and (state.actions_left > 1 or cs.commerce_traffic > 0):
            assert a.target is not None   # a ban names its partner
            partner = state.company(a.target)
            floor = state.scenario.merchant_floor

            def served(c: CompanyState) -> float:
                return (c.conversion + c.data_bonus) * (floor + (1.0 - floor) * c.merchants / 100.0)
            if served(cs) >= st.ban_ratio * served(partner):
                return a

        build = self._next_build(state, by_kind.get("build"))
        if build is not None and st.fund_ads and taken == 0 and not cs.loop_closed and cs.ux >= 75 \
                and (a := pick("ads")) is not None and cs.capital < 2 * state.price(build).capital:
            return a   # ads fund the race to the loop: two build steps a turn instead of one
        if build is not None:
            step = state.price(build).capital
            # Racing: toward the loop and the app, then toward conversion while it can pay back.
            racing = not cs.loop_closed or not cs.app_launched or (
                st.value_rounds > 0 and state.scenario.rounds - state.round >= st.value_rounds)
            # Build first; build again when rich, but only after some selling this turn, so
            # the shop never goes dark for a whole quarter.
            sold = cs.commerce_traffic > 0 or cs.traffic < 1.0
            builds = st.builds or (2 if state.scenario.victory_points else 1)
            early = taken < builds and cs.capital >= step * (
                builds - taken)
            if racing and (taken == 0 or early
                           or sold and cs.capital >= st.rush * step):
                return build
        # Hire talent for a supply-chain build, but only once the turn has sold something:
        # a quarter with no selling loses merchants (and, in round 1, the pandemic's boost).
        if (a := pick("poach")) is not None and build is not None and build.target is not None and \
                (cs.commerce_traffic > 0 or cs.traffic < 1.0) and \
                rules.capabilities[rules.capability_index(build.target)].pillar == rules.economy.talent_pillar:
            return a
        # Hire away a rival's supply-chain team (F06) while it races for its loop: its unfinished
        # work slips back a step, or it pays to keep the team, money its next build needed (hard
        # search finds this). Only once the turn has sold, and with money to spare.
        if st.setback and (poaches := by_kind.get("poach")) and (cs.commerce_traffic > 0 or cs.traffic < 1.0) \
                and cs.capital > st.reserve + 3 * state.price(poaches[0]).capital:
            talent = rules.economy.talent_pillar
            hit, least = None, 0.0
            for a in poaches:
                assert a.target is not None   # a poach names its rival
                rival = state.company(a.target)
                if (not rival.loop_closed or any(0 < rival.progress[k] < c.work for k, c in
                                                 enumerate(rules.capabilities) if c.pillar == talent)) \
                        and (hit is None or rival.capital < least):
                    hit, least = a, rival.capital   # the rival that can least afford to keep its team
            if hit is not None:
                return hit
        commerce = self._commerce(state, by_kind.get("commerce"))
        if commerce is not None:
            return commerce
        if (a := pick("content")) is not None and state.scenario.rounds - state.round >= st.content_rounds \
                and cs.capital > st.reserve + 2 * state.price(a).capital and cs.traffic < cs.traffic_start:
            return a   # attention of its own rather than bought again every quarter
        if (a := pick("buy_traffic")) is not None and cs.ux >= st.ux_floor + 5 \
                and cs.capital > st.reserve + 3 * state.price(a).capital:
            return a
        if build is not None:
            return build
        if (a := pick("ads")) is not None and cs.ux >= 75:
            return a
        end = pick("end_turn")
        assert end is not None   # a running game can always end the turn
        return end

    def _waybill_terms(self, state: GameState, terms: list[Action] | None) -> Action | None:
        """As the e-waybill provider (``terms``: its legal waybill-terms actions): refuse a rival
        that leads by ``hardball`` points and still needs the waybills, squeeze rivals that need
        them otherwise, or go back to standard."""
        if not terms:
            return None
        cs = state.companies[state.current]
        wb = state.rules.economy.waybill_capability
        k = state.rules.capability_index(wb) if wb else -1
        needing = [c for c in state.companies if c is not cs and k >= 0 and not c.built >> k & 1]
        by_kind: dict[str, Action] = {}
        for a in terms:
            spec = state.rules.action(a.id)
            key = "refuse" if spec.demand_loss else "squeeze" if spec.fee_mult > 1.0 else "standard"
            by_kind[key] = a
        if not needing:
            return by_kind.get("standard") if cs.waybill_terms >= 0 else None
        ahead = max(c.points for c in needing) - cs.points
        if ahead >= self._now.hardball and "refuse" in by_kind:
            return by_kind["refuse"]
        if ahead < self._now.hardball and cs.waybill_terms < 0 and "squeeze" in by_kind:
            return by_kind["squeeze"]
        return None

    def _commerce(self, state: GameState, commerce: list[Action] | None) -> Action | None:
        """The commerce action (of the legal ones given) with the most demand that keeps user
        experience above its floor."""
        if not commerce:
            return None
        cs = state.companies[state.current]
        rules = state.rules
        best = None
        live_floor = self._now.live_floor
        if state.scenario.rounds - state.round >= self._now.late_rounds:
            live_floor += self._now.shelf_guard * state.profiles[cs.index].shelf_rate
        for a in commerce:
            spec = rules.action(a.id)
            loss = state.price(a).ux
            floor = live_floor if spec.demand_mult > 1.0 else self._now.ux_floor
            if cs.ux - loss < floor:
                continue
            if best is None or spec.demand_mult > rules.action(best.id).demand_mult:
                best = a
        return best

    def _next_build(self, state: GameState, builds: list[Action] | None) -> Action | None:
        """The next build step (of the legal build actions given): the plan's, or the best
        conversion for the money."""
        if not builds:
            return None
        cs = state.companies[state.current]
        rules = state.rules
        build_id = next((a.id for a in rules.actions if a.kind == "build"), None)
        by_target: dict[str, Action] = {}
        for a in builds:
            if a.id == build_id and a.target is not None:
                by_target[a.target] = a
        if not by_target:
            return None
        plans = self.plans.build_plan(state, cs.id)
        prof = state.profiles[cs.index]
        if self._now.quick_wins:
            # A planned capability that one step finishes and that converts comes first: it
            # sells better from this quarter on, and it is needed anyway (hard search does so).
            for cap in plans:
                planned = by_target.get(cap)
                if planned is None:
                    continue
                k = rules.capability_index(cap)
                if rules.capabilities[k].work - cs.progress[k] == 1 and prof.cap_conversion[k] >= 0.1:
                    return planned
        for cap in plans:
            planned = by_target.get(cap)
            if planned is not None:
                return planned
        # Otherwise the best conversion for the money among what can be built now.
        best, best_value = None, 0.0
        for target, a in by_target.items():
            k = rules.capability_index(target)
            capability = rules.capabilities[k]
            value = (prof.cap_conversion[k] + capability.traffic_bonus + capability.ux_relief * 0.5) / (
                prof.step_cost[k] * capability.work + 1e-9)
            if value > best_value:
                best, best_value = a, value
        return best
