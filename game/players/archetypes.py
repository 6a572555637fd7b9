"""Strategy archetypes: the lines a class finds, written as small computer players.

Each archetype is a :class:`~game.players.base.Player` over the engine's public API
(``legal_actions``, ``price``, ``loop_status``, ``company``, ``profile``, ``node_state`` and the
rules data). They pick actions by *kind* (build, commerce, ads, buy_traffic, launch_app,
migrate, ban_links, poach, end_turn), never by company or action id, so every archetype plays
any seat of any scenario; when its favourite action is illegal it falls back to the next one it
knows, and in the end to ``end_turn``, which is always legal.

Some archetypes are "the heuristic, except ...": they hand every decision they do not care
about to a :class:`HeuristicPlayer` made with the same seed, so on paired seeds they differ from
the heuristic in that seat only by their rule.

All are deterministic for their seed (most use no randomness at all).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import cast

from game.engine import Action, GameState

from .heuristic import HeuristicPlayer
from .plan import SHARED_PLANS, PlanMemo
from .style import HeuristicStyle

# The heuristic's default floors: a commerce action that would take user experience below
# them is skipped by the archetypes that guard it.
SELL_FLOOR = HeuristicStyle.ux_floor
LIVE_FLOOR = HeuristicStyle.live_floor


class _View:
    """A read-only view of a state for a delegate player, with the legal actions already
    known (not asked again), or some left out (the heuristic's judgement with one kind of
    action forbidden)."""

    def __init__(self, state: GameState, legal: list[Action]):
        self._state = state
        self._legal = legal

    def legal_actions(self) -> list[Action]:
        return list(self._legal)

    def __getattr__(self, name: str):
        return getattr(self._state, name)


class Turn:
    """What an archetype needs to know about the decision in front of it."""

    def __init__(self, state: GameState, legal: list[Action], plans: PlanMemo | None = None):
        self.state = state
        self.legal = legal
        self.plans = plans if plans is not None else SHARED_PLANS
        self.rules = state.rules
        self.cid = state.current_company
        self.cs = state.company(self.cid)
        self.by_kind: dict[str, list[Action]] = {}
        for a in legal:
            self.by_kind.setdefault(self.rules.action(a.id).kind, []).append(a)

    # ---------------------------------------------------------------- simple picks

    def first(self, kind: str) -> Action | None:
        """The first legal action of a kind (in the engine's stable order), or None."""
        found = self.by_kind.get(kind)
        return found[0] if found else None

    @property
    def end_turn(self) -> Action:
        return self.by_kind["end_turn"][0]

    @property
    def actions_taken(self) -> int:
        """Actions this company has taken in this turn so far."""
        return self.state.scenario.actions_per_round - self.state.actions_left

    def demand(self, a: Action) -> float:
        """Demand a commerce action creates per traffic point, with the company's powers."""
        spec = self.rules.action(a.id)
        return spec.demand_mult * self.state.profile(self.cid).action_demand_mult[spec.index]

    def commerce(self, sell_floor: float | None = SELL_FLOOR,
                 live_floor: float | None = LIVE_FLOOR) -> Action | None:
        """The legal commerce action with the most demand whose user-experience cost keeps the
        company above its floor (``live_floor`` for actions stronger than plain selling).
        Floors of None: at any cost to users."""
        best, best_demand = None, -1.0
        for a in self.by_kind.get("commerce", ()):
            floor = live_floor if self.rules.action(a.id).demand_mult > 1.0 else sell_floor
            if floor is not None and self.cs.ux - self.state.price(a).ux < floor:
                continue
            d = self.demand(a)
            if d > best_demand:
                best, best_demand = a, d
        return best

    def affordable(self, a: Action | None, reserve: float = 0.0) -> Action | None:
        """``a`` if the company keeps ``reserve`` capital after paying for it."""
        if a is None:
            return None
        return a if self.cs.capital - self.state.price(a).capital >= reserve - 1e-9 else None

    # ---------------------------------------------------------------- building

    def _build_action(self, cap: str) -> Action | None:
        for a in self.by_kind.get("build", ()):
            if a.target == cap:
                return a
        return None

    def loop_plan(self) -> list[str] | None:
        """Capabilities still to build to close the loop, in a buildable order; None when the
        scenario makes the loop impossible for this company."""
        status = self.plans.loop_status(self.state, self.cid)
        if any(not link.done and link.via is None for link in status.links):
            return None
        return list(status.plan)

    def plan_to(self, cap: str) -> list[str] | None:
        """Unbuilt capabilities (``cap`` last) that make ``cap`` built, cheapest first when a
        prerequisite may be any of several; None when it cannot be built in this game."""
        rules = self.rules
        prof = self.state.profile(self.cid)
        progress = self.cs.progress
        memo: dict[str, list[str] | None] = {}

        def cost(plan: Iterable[str]) -> float:
            total = 0.0
            for c in plan:
                k = rules.capability_index(c)
                total += prof.build_cost[k] * (rules.capabilities[k].work - progress[k])
            return total

        def need(c: str) -> list[str] | None:
            if c in memo:
                return memo[c]
            k = rules.capability_index(c)
            if self.cs.built >> k & 1:
                memo[c] = []
                return []
            memo[c] = None          # guards against cycles
            if prof.locked >> k & 1:
                return None
            spec = rules.capabilities[k]
            out: list[str] = []
            for r in spec.requires:
                sub = need(r)
                if sub is None:
                    return None
                out += [x for x in sub if x not in out]
            if spec.requires_any and not any(self.cs.built >> rules.capability_index(r) & 1
                                             for r in spec.requires_any):
                options = [p for p in (need(r) for r in spec.requires_any) if p is not None]
                if not options:
                    return None
                best = min(options, key=cost)
                out += [x for x in best if x not in out]
            out.append(c)
            memo[c] = out
            return out

        return need(cap)

    def app_plan(self) -> list[str] | None:
        """The loop plan, then what launching the app needs (its required capabilities); None
        when the app cannot be launched in this game (loop impossible, action disabled)."""
        plan = self.loop_plan()
        if plan is None:
            return None
        launch = [s for s in self.rules.actions if s.kind == "launch_app"]
        if not launch or self.cs.app_launched:
            return plan
        if all(s.id in self.state.scenario.disabled_actions for s in launch):
            return None
        for spec in launch:
            for cap in spec.requires:
                sub = self.plan_to(cap)
                if sub is None:
                    return None
                plan += [c for c in sub if c not in plan]
        return plan

    def saving_for_launch(self) -> bool:
        """Whether all the app needs is built and only capital is missing to launch it: then
        an archetype that wants the app keeps its capital."""
        if self.cs.app_launched or self.first("launch_app") is not None:
            return False
        plan = self.app_plan()
        return plan is not None and not plan and self.cs.loop_closed

    def build_from(self, plan: list[str] | None) -> Action | None:
        """The first step of ``plan`` that is legal now (affordable, prerequisites met)."""
        for cap in plan or ():
            a = self._build_action(cap)
            if a is not None:
                return a
        return None

    def best_value_build(self) -> Action | None:
        """Among the legal build steps, the most conversion, traffic and relief for the money."""
        prof = self.state.profile(self.cid)
        best, best_value = None, 0.0
        for a in self.by_kind.get("build", ()):
            if a.target is None:
                continue
            k = self.rules.capability_index(a.target)
            cap = self.rules.capabilities[k]
            value = (prof.cap_conversion[k] + cap.traffic_bonus + cap.ux_relief * 0.5) / (
                prof.build_cost[k] * cap.work + 1e-9)
            if value > best_value:
                best, best_value = a, value
        return best

    # ---------------------------------------------------------------- the calendar

    def market_boosted(self) -> bool:
        """Whether an event makes this quarter's market bigger than its trend (a festival)."""
        scen = self.state.scenario
        trend = scen.market * (1.0 + scen.market_growth) ** (self.state.round - 1)
        return self.state.market_size() > trend * 1.05

    def last_round(self) -> bool:
        return self.state.round >= self.state.scenario.rounds


class Archetype:
    """Base of the scripted archetypes: ``pick`` names an action or None (then end the turn)."""

    name = "archetype"
    summary = ""

    def __init__(self, seed: int = 0):
        self.seed = seed
        self.plans: PlanMemo = SHARED_PLANS
        self._heuristic: HeuristicPlayer | None = None

    @property
    def heuristic(self) -> HeuristicPlayer:
        """The seed's heuristic player, for decisions this archetype leaves to it."""
        if self._heuristic is None:
            self._heuristic = HeuristicPlayer(self.seed, plans=self.plans)
        return self._heuristic

    def ask_heuristic(self, t: Turn) -> Action:
        """The heuristic's choice here."""
        return self.heuristic.choose(cast(GameState, _View(t.state, t.legal)))  # a view quacks as a state

    def heuristic_without(self, t: Turn, forbidden: Callable[[str], bool]) -> Action:
        """The heuristic's choice with the actions of the kinds ``forbidden`` says left out."""
        legal = [a for a in t.legal if not forbidden(t.rules.action(a.id).kind)]
        if not legal:
            return t.end_turn
        return self.heuristic.choose(cast(GameState, _View(t.state, legal)))

    def choose(self, state: GameState) -> Action:
        legal = state.legal_actions()
        if len(legal) == 1:
            return legal[0]
        t = Turn(state, legal, self.plans)
        a = self.pick(t)
        # Whatever a script names, only a legal action leaves here.
        return a if a is not None and a in legal else t.end_turn

    def pick(self, t: Turn) -> Action | None:  # pragma: no cover - overridden
        raise NotImplementedError


class AdsOnly(Archetype):
    name = "ads_only"
    summary = "runs ads with every action it can; nothing else"

    def pick(self, t: Turn) -> Action | None:
        return t.first("ads")


class NoFeedSelling(Archetype):
    name = "no_feed_selling"
    summary = ("never sells in the feed before its app: ads fund the loop and the app, then "
               "moves users over and sells in the app (and buys traffic to sell more)")

    def pick(self, t: Turn) -> Action | None:
        if (a := t.first("launch_app")) is not None:
            return a
        if not t.cs.app_launched:
            plan = t.app_plan()
            if plan is None:      # no app in this game: sell as the heuristic does
                return self.ask_heuristic(t)
            return t.build_from(plan) or t.first("ads")
        return self.in_app(t)

    def in_app(self, t: Turn) -> Action | None:
        if (a := t.first("migrate")) is not None:
            return a
        if (a := t.commerce(None, None)) is not None:
            return a
        buy = t.first("buy_traffic")        # more traffic to sell, keeping a step's worth back
        if buy is not None and t.affordable(buy, reserve=t.state.price(buy).capital):
            return buy
        return t.best_value_build() or t.first("ads")


class FestivalBurst(NoFeedSelling):
    name = "festival_burst"
    summary = ("the playtest's dominant line: no selling in the feed, ads fund the loop and "
               "the app, then all commerce in the app in festival quarters (and the last)")

    def in_app(self, t: Turn) -> Action | None:
        if (a := t.first("migrate")) is not None:
            return a
        if t.market_boosted() or t.last_round():
            if (a := t.commerce(None, None)) is not None:
                return a
            return t.first("buy_traffic") or t.first("ads")
        return t.best_value_build() or t.first("ads")


class NeverBuild(Archetype):
    name = "never_build"
    summary = "the heuristic, but never builds a capability"

    def pick(self, t: Turn) -> Action | None:
        # The heuristic's order of preference with the builds (and the poaching that only
        # serves them) taken out, written out because asking the heuristic with the builds
        # hidden still costs it a loop plan at every decision.
        st = self.heuristic.style
        cs = t.cs
        if (a := t.first("launch_app")) is not None:
            return a
        if (a := t.first("ban_links")) is not None and a.target is not None:
            partner = t.state.company(a.target)
            if cs.conversion + cs.data_bonus >= st.ban_ratio * (partner.conversion + partner.data_bonus):
                return a
        if (a := t.first("migrate")) is not None and cs.ux < 90:
            return a
        if (a := t.commerce(st.ux_floor, st.live_floor)) is not None:
            return a
        if (a := t.first("buy_traffic")) is not None and cs.ux >= st.ux_floor + 5 \
                and cs.capital > st.reserve + 3 * t.state.price(a).capital:
            return a
        if (a := t.first("ads")) is not None and cs.ux >= 75:
            return a
        return None


class _Restyled(Archetype):
    """The seed's heuristic with some style fields changed (``changes``), nothing else."""

    changes: dict[str, object] = {}

    def __init__(self, seed: int = 0):
        super().__init__(seed)
        style = replace(HeuristicStyle.varied(seed), **self.changes)  # type: ignore[arg-type]
        self._heuristic = HeuristicPlayer(seed, style, plans=self.plans)

    def pick(self, t: Turn) -> Action | None:
        return self.ask_heuristic(t)


class SellAtAnyCost(_Restyled):
    name = "sell_at_any_cost"
    summary = ("the heuristic with no care for users: sells (the strongest pitch first) and "
               "buys traffic whatever it costs user experience")
    changes = {"ux_floor": 0.0, "live_floor": 0.0}


class BuyTrafficOnly(Archetype):
    name = "buy_traffic_only"
    summary = ("buys traffic whenever it can and sells it (guarding user experience like the "
               "heuristic); never builds, never runs ads")

    def pick(self, t: Turn) -> Action | None:
        return t.first("buy_traffic") or t.commerce()


class RushLoop(Archetype):
    name = "rush_loop"
    summary = ("builds toward the closed loop with every action, runs ads when it cannot "
               "afford the next step; the heuristic once the loop is closed")

    def pick(self, t: Turn) -> Action | None:
        plan = t.loop_plan()
        if t.cs.loop_closed or plan is None:
            return self.ask_heuristic(t)
        return t.build_from(plan) or t.first("ads") or t.commerce()


class RushApp(Archetype):
    name = "rush_app"
    summary = ("builds toward the app with every action (ads when short of capital), launches "
               "it and moves every user over; the heuristic after that")

    def pick(self, t: Turn) -> Action | None:
        if (a := t.first("launch_app")) is not None:
            return a
        if t.cs.app_launched:
            return t.first("migrate") or self.ask_heuristic(t)
        plan = t.app_plan()
        if plan is None:
            return self.ask_heuristic(t)
        return t.build_from(plan) or t.first("ads") or t.commerce()


class BanEarly(Archetype):
    name = "ban_early"
    summary = "bans every outside link at the first chance; otherwise the heuristic"

    def pick(self, t: Turn) -> Action | None:
        return t.first("ban_links") or self.ask_heuristic(t)


class NeverBan(Archetype):
    name = "never_ban"
    summary = "the heuristic, but never bans outside links"

    def pick(self, t: Turn) -> Action | None:
        return self.heuristic_without(t, lambda kind: kind == "ban_links")


class Balanced(Archetype):
    name = "balanced"
    summary = ("two build steps a turn when it can pay for them (loop, app, then value) and a "
               "sale with the rest, guarding user experience (60/70); launches and migrates; no "
               "ads, no bought traffic, no bans")

    def pick(self, t: Turn) -> Action | None:
        if (a := t.first("launch_app")) is not None:
            return a
        if (a := t.first("migrate")) is not None:
            return a
        if t.actions_taken < 2 and not t.saving_for_launch() \
                and (a := t.build_from(t.app_plan()) or t.best_value_build()) is not None:
            return a
        return t.commerce(60.0, 70.0)


class WaybillHardball(Archetype):
    name = "waybill_hardball"
    summary = ("as the e-waybill provider refuses its waybills to every rival at once and keeps "
               "them refused; otherwise the heuristic")

    def pick(self, t: Turn) -> Action | None:
        for a in t.by_kind.get("waybill_terms", ()):
            if t.rules.action(a.id).demand_loss:     # the refusal (already on: not legal again)
                return a
        return self.heuristic_without(t, lambda kind: kind == "waybill_terms")


class HostsFirst(Archetype):
    name = "hosts_first"
    summary = "grows its own hosts (content) whenever it may, before anything else; otherwise the heuristic"

    def pick(self, t: Turn) -> Action | None:
        return t.first("content") or self.ask_heuristic(t)


class WaybillFirst(Archetype):
    name = "waybill_first"
    summary = ("prints its own e-waybills as soon as it can (Douyin's own e-waybill, F07, F35): "
               "its turn's first action builds toward them until they are built; otherwise the heuristic")

    def pick(self, t: Turn) -> Action | None:
        cap = t.rules.economy.waybill_capability
        if cap and t.actions_taken == 0 and not t.cs.built >> t.rules.capability_index(cap) & 1 \
                and (a := t.build_from(t.plan_to(cap))) is not None:
            return a
        return self.ask_heuristic(t)


class SupplyFirst(Archetype):
    name = "supply_first"
    summary = ("goods before anything else: its turn's first action builds a supply-chain step "
               "while there is one to build (the pillar rivals can hire away, F06); otherwise the heuristic")

    def pick(self, t: Turn) -> Action | None:
        if t.actions_taken == 0:
            pillar = t.rules.economy.talent_pillar
            caps = t.rules.capabilities
            for a in t.by_kind.get("build", ()):
                if a.target is not None and caps[t.rules.capability_index(a.target)].pillar == pillar:
                    return a
        return self.ask_heuristic(t)


class NoApp(Archetype):
    name = "no_app"
    summary = ("never launches a standalone app: its commerce stays in the feed and its mini "
               "programs, and the capital goes elsewhere; otherwise the heuristic")

    def pick(self, t: Turn) -> Action | None:
        return self.heuristic_without(t, lambda kind: kind in ("launch_app", "migrate"))


class TalentRaid(Archetype):
    name = "talent_raid"
    summary = ("hires away a rival's supply-chain team every quarter it can once the turn has "
               "sold (F06), the rival with unfinished work first; otherwise the heuristic")

    def pick(self, t: Turn) -> Action | None:
        poaches = t.by_kind.get("poach")
        if poaches and t.cs.commerce_traffic > 0:
            talent = t.rules.economy.talent_pillar
            for a in poaches:
                rival = t.state.company(a.target) if a.target else None
                if rival is not None and any(0 < rival.progress[k] < c.work for k, c in
                                             enumerate(t.rules.capabilities) if c.pillar == talent):
                    return a
            return poaches[0]
        return self.ask_heuristic(t)


class Harvest(_Restyled):
    name = "harvest"
    summary = ("stops investing once its loop and app are done: no more builds for conversion, "
               "every action sells; otherwise the heuristic")
    changes = {"value_rounds": 0}


class SellThenLaunch(_Restyled):
    name = "sell_then_launch"
    summary = ("the heuristic, but sells before it launches its app in every seat (the heuristic's "
               "ByteDance does so by habit; its Tencent launches at the first chance, and that turn "
               "then migrates users and sells nothing)")
    changes = {"launch_sold": True}


class Heuristic(HeuristicPlayer):
    """The rule-of-thumb player, as an archetype (seed-jittered style): exactly
    :class:`HeuristicPlayer`, with a summary for the tournament's pages."""

    summary = "the project's rule-of-thumb player (style jittered by seed)"


class FixedHeuristic(Heuristic):
    """The heuristic with its default style in every game (no seed jitter)."""

    name = "heuristic:fixed"
    summary = "the rule-of-thumb player with its default style fixed"

    def __init__(self, seed: int = 0):
        super().__init__(seed, HeuristicStyle())


#: Every archetype by name, in the tournament's default order.
ARCHETYPES: dict[str, type] = {
    cls.name: cls for cls in (
        AdsOnly, NoFeedSelling, NeverBuild, SellAtAnyCost, BuyTrafficOnly, RushLoop, RushApp,
        BanEarly, NeverBan, Balanced, FestivalBurst, WaybillHardball, HostsFirst, SellThenLaunch,
        WaybillFirst, SupplyFirst, NoApp, TalentRaid, Harvest, Heuristic,
    )
}

#: Player kinds that are not in the default tournament but can be named.
EXTRA_KINDS: dict[str, type] = {FixedHeuristic.name: FixedHeuristic}


def archetype_summary(name: str) -> str:
    cls = ARCHETYPES.get(name) or EXTRA_KINDS.get(name)
    return getattr(cls, "summary", "") if cls else ""
