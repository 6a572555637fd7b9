"""The game state and its small public surface, in the manner of OpenSpiel's State.

>>> from game.engine import load_rules, new_game
>>> state = new_game(load_rules("rules"), "default", seed=7)
>>> state.current_company
'bytedance'
>>> a = state.legal_actions()[0]
>>> state.apply_action(a); state.undo() == a
True

``legal_actions()``, ``apply_action()``, ``undo()``, ``is_terminal()``, ``returns()`` and
``serialize()`` serve the board, the computer players and the tests alike. All randomness comes
from one seeded ``numpy.random.Generator`` held in the state, so a seed plus the action list
replays a game exactly.
"""

from __future__ import annotations

import hashlib
from typing import Any, Iterable

import numpy as np

from . import economy, events
from .actions import Action
from .errors import IllegalActionError
from .graph import LoopStatus
from .reasons import Money, Reason, Ref
from .rules import ActionSpec, Rules, Scenario
from .state import ActionPrice, CompanyProfile, CompanyState, LogEntry, RoundRecord
from .text import render_reason

_ILLEGAL = Reason("illegal")


class GameState:
    """A game in progress. Create one with :func:`new_game`; change it only by actions."""

    def __init__(self, rules: Rules, scenario: Scenario, seed: int,
                 companies: Iterable[str] | None = None):
        self.rules = rules
        self.scenario = scenario
        self.graph = rules.graph
        self.loop = scenario.loop
        self.seed = int(seed)
        players = tuple(companies) if companies is not None else scenario.companies
        unknown = [c for c in players if c not in scenario.companies]
        if unknown or not players or len(set(players)) != len(players):
            raise ValueError(
                f"companies must be distinct ids from scenario '{scenario.id}': "
                f"{', '.join(scenario.companies)} (got {', '.join(players) or 'none'})")
        # Keep the scenario's order whatever order the caller named them in.
        self.players: tuple[str, ...] = tuple(c for c in scenario.companies if c in players)
        self._pos = {cid: i for i, cid in enumerate(self.players)}
        self.profiles = tuple(CompanyProfile.build(rules, scenario, scenario.company_specs[c], i)
                              for i, c in enumerate(self.players))
        self.companies: list[CompanyState] = [self._initial_company(i) for i in range(len(self.players))]
        self.links = tuple((link, self._pos[link.host], self._pos[link.partner])
                           for link in scenario.outside_links
                           if link.host in self._pos and link.partner in self._pos)
        self.links_open = [True] * len(self.links)
        self.link_demand = [0.0] * len(self.links)
        provider = scenario.waybill_provider
        self.waybill_provider: int | None = self._pos.get(provider) if provider else None
        eco = rules.economy
        self.waybill_index = rules.capability_index(eco.waybill_capability) if eco.waybill_capability else -1
        self.data_index = rules.capability_index(eco.data_capability) if eco.data_capability else -1
        self.talent_mask = self.graph.pillar_mask.get(eco.talent_pillar, 0)
        self._talent_caps = tuple(k for k in range(len(rules.capabilities)) if self.talent_mask >> k & 1)
        self._link_of = {(h, p): i for i, (_, h, p) in enumerate(self.links)}
        self._work = tuple(c.work for c in rules.capabilities)
        self._end_turn = next(a for a in rules.actions if a.kind == "end_turn")
        self._disabled = frozenset(rules.action(a).index for a in scenario.disabled_actions)
        self._requires_mask = tuple(sum(1 << rules.capability_index(c) for c in a.requires)
                                    for a in rules.actions)
        self._action_values = [Action(a.id) for a in rules.actions]
        self._build_values = [[Action(a.id, c.id) for c in rules.capabilities] if a.kind == "build"
                              else None for a in rules.actions]
        self._company_values = [[Action(a.id, c) for c in self.players]
                                if a.kind in ("ban_links", "poach") else None for a in rules.actions]
        # A fixed numbering of every action of this game, for bots that need integer actions.
        self.action_space: tuple[Action, ...] = tuple(
            a for spec in rules.actions for a in (
                self._build_values[spec.index] or self._company_values[spec.index]
                or [self._action_values[spec.index]]))
        self._action_number = {a: i for i, a in enumerate(self.action_space)}

        # All chance in a game: two uniform draws per round (the event deck), drawn from the
        # seed up front. The mutable state then holds no generator: undo and clone stay cheap,
        # and a search player can resample the future with clone(chance_seed=...).
        self.draws: np.ndarray = np.random.Generator(np.random.PCG64(self.seed)).random(
            (scenario.rounds, 2))
        self.round = 1
        self.order: tuple[int, ...] = ()
        self.turn_pos = 0
        self.current = 0
        self.actions_left = 0
        self.turn_start = 0
        self.terminal = False
        self.winner: int | None = None
        self.win_reason: str | None = None
        self.market_now = 0.0
        self.mods: list[tuple] = []
        self.round_events: tuple[str, ...] = ()
        self.history: list[Action] = []
        self.log: list[LogEntry] = []
        self.records: list[RoundRecord] = []
        self._undo: list[tuple] = []
        self._start_round()

    # ------------------------------------------------------------------ setup

    def _initial_company(self, i: int) -> CompanyState:
        spec = self.scenario.company_specs[self.players[i]]
        rules = self.rules
        cs = CompanyState()
        cs.id, cs.index = spec.id, i
        cs.progress = [0] * len(rules.capabilities)
        cs.built = 0
        for cap in spec.built:
            k = rules.capability_index(cap)
            cs.progress[k] = rules.capabilities[k].work
            cs.built |= 1 << k
        cs.users, cs.capital, cs.ux = spec.users, spec.capital, spec.ux
        cs.traffic = cs.traffic_start = 0.0
        cs.app_launched, cs.app_share = spec.app_launched, spec.app_share
        cs.launched_round = 0 if spec.app_launched else None
        cs.gmv_total = cs.gmv_last = cs.demand = cs.data = cs.data_bonus = 0.0
        cs.ux_lost = cs.commerce_traffic = 0.0
        cs.talent = 0
        cs.points = 0.0
        cs.merchants = spec.merchants
        cs.used = [0] * len(rules.actions)
        self._refresh_built(cs)
        return cs

    def _refresh_built(self, cs: CompanyState) -> None:
        """Recompute what follows from the built set (only when a capability completes)."""
        prof = self.profiles[cs.index]
        conv = self.rules.economy.base_conversion + prof.conversion_extra
        bonus = relief = 0.0
        for k, cap in enumerate(self.rules.capabilities):
            if cs.built >> k & 1:
                conv += prof.cap_conversion[k]
                bonus += cap.traffic_bonus
                relief += cap.ux_relief
        cs.conversion, cs.traffic_bonus = conv, bonus
        cs.ux_relief = min(relief, self.rules.economy.ux_relief_cap)
        cs.loop_closed = self.graph.loop_closed(self.loop, cs.built)
        cs.links_done = self.graph.links_done(self.loop, cs.built)

    # ------------------------------------------------------------------ queries

    @property
    def current_company(self) -> str:
        """Id of the company to move."""
        return self.players[self.current]

    def current_player(self) -> int:
        """Index in ``players`` of the company to move (OpenSpiel's name for it)."""
        return self.current

    def action_to_int(self, action: Action | str) -> int:
        """The action's number in :attr:`action_space` (the same in every state of a game)."""
        return self._action_number[Action.parse(action) if isinstance(action, str) else action]

    def int_to_action(self, number: int) -> Action:
        return self.action_space[number]

    def legal_mask(self) -> list[bool]:
        """One flag per :attr:`action_space` entry: legal now or not."""
        mask = [False] * len(self.action_space)
        for a in self.legal_actions():
            mask[self._action_number[a]] = True
        return mask

    def company(self, company_id: str) -> CompanyState:
        return self.companies[self._pos[company_id]]

    def profile(self, company_id: str) -> CompanyProfile:
        return self.profiles[self._pos[company_id]]

    @property
    def year_quarter(self) -> tuple[int, int]:
        return self.scenario.quarter_label(self.round)

    def is_terminal(self) -> bool:
        return self.terminal

    @property
    def winner_id(self) -> str | None:
        return None if self.winner is None else self.players[self.winner]

    def scores(self) -> dict[str, float]:
        """Total GMV (bn yuan) per company so far: the score."""
        return {cs.id: cs.gmv_total for cs in self.companies}

    def returns(self) -> list[float]:
        """Per company in ``players`` order: 1 for the winner, 0 for the others (0s until the end)."""
        return [1.0 if self.winner == i else 0.0 for i in range(len(self.players))]

    def score_shares(self) -> list[float]:
        """Per company in ``players`` order: its share of the players' total GMV so far (a dense
        signal for search players; the winner is decided by :meth:`returns`)."""
        total = sum(cs.gmv_total for cs in self.companies)
        n = len(self.companies)
        return [cs.gmv_total / total if total > 0 else 1.0 / n for cs in self.companies]

    def node_state(self, company_id: str, capability: str) -> str:
        """'built', 'in_progress', 'available' or 'locked' (the scenario's locks count as locked)."""
        cs = self.company(company_id)
        k = self.rules.capability_index(capability)
        if cs.built >> k & 1:
            return "built"
        if cs.progress[k] > 0:
            return "in_progress"
        prof = self.profiles[cs.index]
        if prof.locked >> k & 1 or not self.graph.is_available(cs.built, k):
            return "locked"
        return "available"

    def loop_status(self, company_id: str) -> LoopStatus:
        """Which loop links are made, and the cheapest plan for each missing one."""
        cs = self.company(company_id)
        prof = self.profiles[cs.index]
        return self.graph.loop_status(self.loop, cs.built, prof.build_cost, cs.progress, self._work,
                                      prof.locked)

    def links_open_to(self, host: str) -> list[str]:
        """Partners whose links the host still carries."""
        return [self.players[p] for (_, h, p), is_open in zip(self.links, self.links_open)
                if is_open and self.players[h] == host]

    def market_size(self) -> float:
        """Consumer spending (bn yuan) this round, with event modifiers."""
        return economy.market_size(self)

    # ------------------------------------------------------------------ legality

    def legal_actions(self) -> list[Action]:
        """Every action the current company may take now, in a stable order."""
        if self.terminal:
            return []
        if self.actions_left <= 0:
            return [self._action_values[self._end_turn.index]]
        out: list[Action] = []
        cs = self.companies[self.current]
        check = self._check
        for spec in self.rules.actions:
            kind = spec.kind
            if kind == "build":
                if spec.index in self._disabled or (spec.per_round and cs.used[spec.index] >= spec.per_round):
                    continue
                # Fast path of _check for builds (a test holds the two equal).
                values = self._build_values[spec.index]
                built, capital = cs.built, cs.capital
                prof = self.profiles[cs.index]
                blocked = built | prof.locked
                req = self._requires_mask[spec.index]
                if built & req != req:
                    continue
                is_available = self.graph.is_available
                build_cost = prof.build_cost
                for k in range(len(values)):
                    if not blocked >> k & 1 and capital >= build_cost[k] - 1e-9 and is_available(built, k):
                        out.append(values[k])
            elif kind in ("ban_links", "poach"):
                values = self._company_values[spec.index]
                for j in range(len(values)):
                    if j != self.current and check(spec, j, cs, False) is None:
                        out.append(values[j])
            elif check(spec, None, cs, False) is None:
                out.append(self._action_values[spec.index])
        return out

    def price(self, action: Action | str, company: str | None = None) -> ActionPrice:
        """What ``action`` costs ``company`` (default: the one to move) now, as the engine will
        charge it: the board shows this on its buttons."""
        action = Action.parse(action) if isinstance(action, str) else action
        spec = self.rules.action(action.id)
        cs = self.company(company) if company else self.companies[self.current]
        prof = self.profiles[cs.index]
        if spec.kind == "build":
            k = self.rules.capability_index(action.target) if action.target else -1
            return ActionPrice(capital=prof.build_cost[k] if k >= 0 else 0.0)
        if spec.kind == "end_turn":
            return ActionPrice()
        return ActionPrice(economy.traffic_cost(self, cs, spec),
                           spec.capital * prof.action_cost_mult[spec.index],
                           economy.ux_cost(self, cs, spec))

    def candidate_actions(self) -> list[Action]:
        """Every action the current company could name (legal or not), in legal_actions' order.

        The board lists these and disables the illegal ones, with ``why_illegal`` as the reason.
        """
        me = self.current_company
        partners = {self.players[p] for _, h, p in self.links if h == self.current}
        rules = self.rules
        return [a for a in self.action_space
                if a.target is None or rules.action(a.id).kind == "build"
                or a.target != me and (rules.action(a.id).kind != "ban_links" or a.target in partners)]

    def why_illegal(self, action: Action | str) -> Reason | None:
        """None if the action is legal now, else the rule it breaks (a :class:`Reason`)."""
        if isinstance(action, str):
            try:
                action = Action.parse(action)
            except ValueError:
                return Reason("unknown_action", {"action": action})
        resolved = self._resolve(action)
        if isinstance(resolved, Reason):
            return resolved
        spec, target = resolved
        return self._check(spec, target, self.companies[self.current], True)

    def is_legal(self, action: Action | str) -> bool:
        return self.why_illegal(action) is None

    def explain(self, reason: Reason, lang: str = "en") -> str:
        """A reason in words, in Chinese or English."""
        return render_reason(self.rules, reason, lang)

    def _resolve(self, action: Action) -> tuple[ActionSpec, int | None] | Reason:
        rules = self.rules
        if not rules.has_action(action.id):
            return Reason("unknown_action", {"action": action.id})
        spec = rules.action(action.id)
        if spec.kind == "build":
            if action.target is None:
                return Reason("needs_target", {"action": Ref("action", spec.id)})
            if not rules.has_capability(action.target):
                return Reason("unknown_capability", {"target": action.target})
            return spec, rules.capability_index(action.target)
        if spec.kind in ("ban_links", "poach"):
            if action.target is None:
                return Reason("needs_target", {"action": Ref("action", spec.id)})
            if action.target not in self._pos or action.target == self.current_company:
                return Reason("invalid_target", {"target": action.target, "action": Ref("action", spec.id)})
            return spec, self._pos[action.target]
        if action.target is not None:
            return Reason("invalid_target", {"target": action.target, "action": Ref("action", spec.id)})
        return spec, None

    def _check(self, spec: ActionSpec, target: int | None, cs: CompanyState,
               explain: bool) -> Reason | None:
        """The one place that decides legality. Returns None when legal."""
        if self.terminal:
            return Reason("game_over") if explain else _ILLEGAL
        kind = spec.kind
        if kind == "end_turn":
            return None
        if spec.index in self._disabled:
            return Reason("disabled_by_scenario", {"action": Ref("action", spec.id)}) if explain else _ILLEGAL
        if self.actions_left <= 0:
            return Reason("no_actions_left") if explain else _ILLEGAL
        if spec.per_round and cs.used[spec.index] >= spec.per_round:
            return Reason("per_round_limit", {"limit": spec.per_round}) if explain else _ILLEGAL
        prof = self.profiles[cs.index]
        req = self._requires_mask[spec.index]
        if cs.built & req != req:
            missing = [c for c in spec.requires if not cs.built >> self.rules.capability_index(c) & 1]
            if missing:
                return Reason("requires_capability", {
                    "missing": [Ref("capability", c) for c in missing]}) if explain else _ILLEGAL
        cost_mult = prof.action_cost_mult[spec.index]
        if kind == "build":
            k = target
            cap = self.rules.capabilities[k]
            if cs.built >> k & 1:
                return Reason("already_built", {"capability": Ref("capability", cap.id)}) if explain else _ILLEGAL
            if prof.locked >> k & 1:
                return Reason("locked_by_scenario", {"capability": Ref("capability", cap.id),
                                                     "company": Ref("company", cs.id)}) if explain else _ILLEGAL
            if not self.graph.is_available(cs.built, k):
                if not explain:
                    return _ILLEGAL
                missing = [c for c in cap.requires if not cs.built >> self.rules.capability_index(c) & 1]
                if missing:
                    return Reason("missing_prerequisites", {
                        "capability": Ref("capability", cap.id),
                        "missing": [Ref("capability", c) for c in missing]})
                return Reason("missing_any_prerequisite", {
                    "capability": Ref("capability", cap.id),
                    "missing": [Ref("capability", c) for c in cap.requires_any]})
            need = prof.build_cost[k]
            if cs.capital < need - 1e-9:
                return Reason("not_enough_capital", {"need": Money(need), "have": Money(cs.capital)}) if explain else _ILLEGAL
            return None
        if spec.requires_loop and not cs.loop_closed:
            if not explain:
                return _ILLEGAL
            missing = [Ref("loop_link", f"{ls.source}>{ls.target}")
                       for ls in self.loop_status(cs.id).missing]
            return Reason("requires_loop", {"missing": missing})
        if kind == "launch_app" and cs.app_launched:
            return Reason("app_already_launched") if explain else _ILLEGAL
        if kind == "migrate":
            if not cs.app_launched:
                return Reason("app_not_launched") if explain else _ILLEGAL
            if cs.app_share >= 1.0:
                return Reason("app_share_full") if explain else _ILLEGAL
        if kind == "ban_links":
            link = self._link_of.get((cs.index, target))
            if link is None or not self.links_open[link]:
                return Reason("no_outside_links", {"target": Ref("company", self.players[target])}) \
                    if explain else _ILLEGAL
        if kind == "poach":
            rival = self.companies[target]
            has_team = rival.built & self.talent_mask or any(rival.progress[k] for k in self._talent_caps)
            if not has_team:
                return Reason("nothing_to_poach", {"target": Ref("company", rival.id)}) if explain else _ILLEGAL
            if cs.talent >= self.rules.economy.max_talent:
                return Reason("talent_full", {"limit": self.rules.economy.max_talent}) if explain else _ILLEGAL
        need_traffic = economy.traffic_cost(self, cs, spec)
        if need_traffic and cs.traffic < need_traffic - 1e-9:
            return Reason("not_enough_traffic", {"need": need_traffic, "have": cs.traffic}) if explain else _ILLEGAL
        need_capital = spec.capital * cost_mult
        if need_capital and cs.capital < need_capital - 1e-9:
            return Reason("not_enough_capital", {"need": Money(need_capital), "have": Money(cs.capital)}) if explain else _ILLEGAL
        return None

    # ------------------------------------------------------------------ acting

    def apply_action(self, action: Action | str) -> None:
        """Apply a legal action for the current company.

        Raises :class:`IllegalActionError` naming the broken rule; the state is then unchanged.
        """
        if isinstance(action, str):
            try:
                action = Action.parse(action)
            except ValueError as exc:
                reason = Reason("unknown_action", {"action": action})
                raise IllegalActionError(action, self.current_company, reason, str(exc)) from None
        resolved = self._resolve(action)
        if isinstance(resolved, Reason):
            reason = resolved
        else:
            spec, target = resolved
            reason = self._check(spec, target, self.companies[self.current], True)
        if reason is not None:
            raise IllegalActionError(action, self.current_company, reason,
                                     render_reason(self.rules, reason, "en"))
        self._push_undo(spec, target)
        self.history.append(action)
        self._do(spec, target)

    def _push_undo(self, spec: ActionSpec, target: int | None) -> None:
        saved = {self.current: self.companies[self.current]}
        if spec.kind == "poach":
            saved[target] = self.companies[target]
        round_ends = spec.kind == "end_turn" and self.turn_pos == len(self.order) - 1
        if round_ends:
            saved = dict(enumerate(self.companies))
        # Copies go into the record; the live objects keep changing, so a reference to
        # state.company(...) held by a bot or the board stays valid across actions and undo.
        saved = {i: cs.copy() for i, cs in saved.items()}
        self._undo.append((
            saved, len(self.log), len(self.records),
            (self.round, self.order, self.turn_pos, self.current, self.actions_left,
             self.turn_start, self.terminal, self.winner, self.win_reason, self.market_now,
             self.round_events),
            self.links_open[:], self.link_demand[:], self.mods[:] if round_ends else None,
        ))

    def undo(self) -> Action:
        """Take back the last action (any company's); returns it. Raises IndexError if none."""
        if not self._undo:
            raise IndexError("nothing to undo")
        saved, log_len, rec_len, globs, links_open, link_demand, mods = self._undo.pop()
        for i, cs in saved.items():
            self.companies[i].restore(cs)
        del self.log[log_len:]
        del self.records[rec_len:]
        (self.round, self.order, self.turn_pos, self.current, self.actions_left, self.turn_start,
         self.terminal, self.winner, self.win_reason, self.market_now, self.round_events) = globs
        self.links_open, self.link_demand = links_open, link_demand  # the record's own copies
        if mods is not None:
            self.mods = mods
        return self.history.pop()

    @property
    def undoable_in_turn(self) -> int:
        """How many actions the current company has taken this turn (and may take back)."""
        return min(len(self.history) - self.turn_start, len(self._undo))

    def _do(self, spec: ActionSpec, target: int | None) -> None:
        cs = self.companies[self.current]
        kind = spec.kind
        if kind == "end_turn":
            self._log(cs.id, "end_turn")
            self._next_turn()
            return
        cs.used[spec.index] += 1
        self.actions_left -= 1
        prof = self.profiles[cs.index]
        cost_mult = prof.action_cost_mult[spec.index]
        cs.traffic = max(0.0, cs.traffic - economy.traffic_cost(self, cs, spec))
        if kind != "build":
            cs.capital -= spec.capital * cost_mult
        if kind == "build":
            self._build_step(cs, target, prof.build_cost[target])
        elif kind == "commerce":
            economy.commerce(self, cs, spec)
        elif kind == "ads":
            economy.run_ads(self, cs, spec)
        elif kind == "buy_traffic":
            cs.traffic += spec.traffic_gain
            self._log(cs.id, "buy_traffic", capital=Money(spec.capital * cost_mult), traffic=spec.traffic_gain)
        elif kind == "launch_app":
            cs.app_launched = True
            cs.launched_round = self.round
            cs.app_share = max(cs.app_share, spec.app_share)
            if self.scenario.victory_points:
                cs.points += self.scenario.app_points
            self._log(cs.id, "launch_app")
        elif kind == "migrate":
            cs.app_share = min(1.0, cs.app_share + spec.app_share)
            self._log(cs.id, "migrate", share=round(cs.app_share * 100))
        elif kind == "ban_links":
            for i, (_, h, p) in enumerate(self.links):
                if h == cs.index and p == target:
                    self.links_open[i] = False
            self._log(cs.id, "ban_links", target=Ref("company", self.players[target]))
        elif kind == "poach":
            self._poach(cs, self.companies[target], spec.capital * cost_mult)

    def _build_step(self, cs: CompanyState, k: int, cost: float) -> None:
        cap = self.rules.capabilities[k]
        cs.capital -= cost
        step = 1
        if cs.talent and self.talent_mask >> k & 1:
            step += self.rules.economy.talent_progress
            cs.talent -= 1
        cs.progress[k] = min(cap.work, cs.progress[k] + step)
        self._log(cs.id, "build_step", cost=Money(cost), capability=Ref("capability", cap.id),
                  progress=cs.progress[k], work=cap.work)
        if cs.progress[k] >= cap.work:
            self._complete(cs, k)

    def _complete(self, cs: CompanyState, k: int) -> None:
        was_closed = cs.loop_closed
        cs.built |= 1 << k
        self._refresh_built(cs)
        self._log(cs.id, "built", capability=Ref("capability", self.rules.capabilities[k].id))
        if cs.loop_closed and not was_closed:
            self._log(cs.id, "loop_closed")
            if self.scenario.victory_points:
                cs.points += self.scenario.loop_points

    def _poach(self, cs: CompanyState, rival: CompanyState, price: float) -> None:
        cs.talent += 1
        self._log(cs.id, "poach", target=Ref("company", rival.id))
        tm = self.talent_mask
        best = max((k for k in range(len(rival.progress))
                    if tm >> k & 1 and 0 < rival.progress[k] < self._work[k]),
                   key=lambda k: rival.progress[k], default=None)
        if best is not None:
            rival.progress[best] -= 1
            self._log(rival.id, "poach_setback", target=Ref("company", rival.id),
                      capability=Ref("capability", self.rules.capabilities[best].id))
        else:
            # Nothing unfinished to set back: the rival pays to keep the rest of its team.
            bill = min(price, rival.capital)
            rival.capital -= bill
            self._log(rival.id, "poach_retention", target=Ref("company", rival.id), capital=Money(bill))

    def _log(self, company: str | None, key: str, **params: Any) -> None:
        self.log.append(LogEntry(self.round, company, key, params))

    # ------------------------------------------------------------------ rounds

    def _next_turn(self) -> None:
        self.turn_pos += 1
        if self.turn_pos >= len(self.order):
            economy.end_round(self)
            if self.terminal:
                return
            self.round += 1
            self._start_round()
        else:
            self._begin_turn()

    def _begin_turn(self) -> None:
        self.current = self.order[self.turn_pos]
        self.actions_left = self.scenario.actions_per_round
        self.turn_start = len(self.history)

    def _start_round(self) -> None:
        n = len(self.players)
        shift = (self.round - 1) % n
        self.order = tuple(list(range(n))[shift:] + list(range(n))[:shift])
        self.turn_pos = 0
        year, quarter = self.year_quarter
        self._log(None, "round_start", year=year, quarter=quarter)
        self.round_events = events.start_round(self)
        for cs in self.companies:
            for i in range(len(cs.used)):
                cs.used[i] = 0
            economy.round_income(self, cs)
        for i in range(len(self.link_demand)):
            self.link_demand[i] = 0.0
        self._begin_turn()

    # ------------------------------------------------------------------ copying and saving

    def clone(self, chance_seed: int | None = None) -> "GameState":
        """An independent copy (for search players): shares rules, profiles and graph.

        With ``chance_seed``, the events of the rounds still to come are drawn afresh, so a
        search player does not plan on the real future deck.

        The copy can undo only actions applied to it after the copy was made: undo records
        hold the very objects they restore, so sharing them would tie the two states together.
        """
        new = GameState.__new__(GameState)
        new.__dict__.update(self.__dict__)
        new.companies = [cs.copy() for cs in self.companies]
        new.links_open = self.links_open[:]
        new.link_demand = self.link_demand[:]
        new.mods = self.mods[:]
        new.history = self.history[:]
        new.log = self.log[:]
        new.records = self.records[:]
        new._undo = []
        if chance_seed is not None:
            future = np.random.Generator(np.random.PCG64(chance_seed)).random(self.draws.shape)
            new.draws = np.concatenate([self.draws[:self.round], future[self.round:]])
        return new

    def snapshot(self) -> dict[str, Any]:
        """Key figures of the state, JSON-ready: saves carry it so a replay can be checked."""
        return {
            "round": self.round, "current": self.current_company, "actions_left": self.actions_left,
            "terminal": self.terminal, "winner": self.winner_id,
            "links_open": list(self.links_open),
            "round_events": list(self.round_events),
            # A digest of the chance draws: a save with an edited seed is caught at once.
            "chance": hashlib.sha256(self.draws.tobytes()).hexdigest()[:16],
            "companies": {cs.id: {
                "progress": list(cs.progress), "users": round(cs.users, 6),
                "traffic": round(cs.traffic, 6), "capital": round(cs.capital, 6),
                "ux": round(cs.ux, 6), "gmv_total": round(cs.gmv_total, 6),
                "app_launched": cs.app_launched, "app_share": round(cs.app_share, 6),
                "talent": cs.talent, "data": round(cs.data, 6)} for cs in self.companies},
        }

    def serialize(self) -> str:
        """The game as JSON text: rules version, scenario, seed, actions and a snapshot."""
        from .serialize import dumps

        return dumps(self)

    @staticmethod
    def deserialize(rules: Rules, text: str | bytes) -> "GameState":
        """The inverse of :meth:`serialize`: replays and verifies; raises SaveError if it can't."""
        from .serialize import loads

        return loads(rules, text)


def new_game(rules: Rules, scenario: str = "default", seed: int = 0,
             companies: Iterable[str] | None = None) -> GameState:
    """Start a game of a scenario. ``companies`` leaves some of the scenario's companies out."""
    return GameState(rules, rules.scenario(scenario), seed, companies)


def replay(rules: Rules, scenario: str, seed: int, actions: Iterable[Action | str],
           companies: Iterable[str] | None = None) -> GameState:
    """Play an action list from the start; raises IllegalActionError at the first bad action."""
    state = new_game(rules, scenario, seed, companies)
    for a in actions:
        state.apply_action(a)
    return state
