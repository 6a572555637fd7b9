"""Build: spend capital to advance one capability a step; once its work is done it is built."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..actions import Action
from ..reasons import Money, Reason, Ref
from ..records import ActionPrice
from .base import CAPABILITY, EPS, ILLEGAL, ActionKind, gate

if TYPE_CHECKING:
    from ..company import CompanyState
    from ..game import Game
    from ..rules import ActionSpec
    from ..state import GameState


class Build(ActionKind):
    name = "build"
    target = CAPABILITY
    unused_fields = (("traffic", "traffic_share", "capital", "requires_loop", "demand_mult", "ux",
                      "capital_per_traffic", "traffic_gain", "app_share"),
                     "a build costs what the capability costs")

    def values(self, game: Game, spec: ActionSpec) -> list[Action]:
        return [Action(spec.id, c.id) for c in game.rules.capabilities]

    def resolve(self, game: Game, spec: ActionSpec, action: Action, mover: int) -> int | None | Reason:
        if action.target is None:
            return Reason("needs_target", {"action": Ref("action", spec.id)})
        if not game.rules.has_capability(action.target):
            return Reason("unknown_capability", {"target": action.target})
        return game.rules.capability_index(action.target)

    def check(self, state: GameState, spec: ActionSpec, cs: CompanyState, target: int | None,
              explain: bool) -> Reason | None:
        blocked = gate(state, spec, cs, explain)
        if blocked is not None:
            return blocked
        assert target is not None
        game = state.game
        k = target
        if not explain:
            return None if self._buildable(game, cs, k) else ILLEGAL
        cap = state.game.rules.capabilities[k]
        prof = game.profiles[cs.index]
        if cs.built >> k & 1:
            return Reason("already_built", {"capability": Ref("capability", cap.id)})
        if prof.locked >> k & 1:
            return Reason("locked_by_scenario", {"capability": Ref("capability", cap.id),
                                                 "company": Ref("company", cs.id)})
        if not game.graph.is_available(cs.built, k):
            idx = state.game.rules.capability_index
            missing = [c for c in cap.requires if not cs.built >> idx(c) & 1]
            if missing:
                return Reason("missing_prerequisites", {
                    "capability": Ref("capability", cap.id),
                    "missing": [Ref("capability", c) for c in missing]})
            return Reason("missing_any_prerequisite", {
                "capability": Ref("capability", cap.id),
                "missing": [Ref("capability", c) for c in cap.requires_any]})
        need = prof.build_cost[k]
        if cs.capital < need - EPS:
            return Reason("not_enough_capital", {"need": Money(need), "have": Money(cs.capital)})
        return None

    @staticmethod
    def _buildable(game: Game, cs: CompanyState, k: int) -> bool:
        """The capability-side rule (the gate aside): among what the company may build next
        (Game.buildable: not built, not locked, prerequisites met), and affordable."""
        return cs.capital >= game.profiles[cs.index].build_cost[k] - EPS and k in game.buildable(cs.index, cs.built)

    def list_targets(self, state: GameState, spec: ActionSpec, cs: CompanyState, out: list[Action]) -> None:
        capital = cs.capital
        for floor, value in state.game.build_options(spec.index, cs.index, cs.built):
            if capital >= floor:
                out.append(value)

    def price(self, state: GameState, spec: ActionSpec, cs: CompanyState, target: int | None) -> ActionPrice:
        return ActionPrice(capital=state.game.profiles[cs.index].build_cost[target] if target is not None else 0.0)

    def apply(self, state: GameState, spec: ActionSpec, cs: CompanyState, target: int | None) -> None:
        assert target is not None
        cs.used[spec.index] += 1
        state.actions_left -= 1
        game = state.game
        k = target
        cost = game.profiles[cs.index].build_cost[k]
        cs.capital -= cost
        step = 1
        if cs.talent and game.talent_mask >> k & 1:
            step += state.game.rules.economy.talent_progress
            cs.talent -= 1
        work = game.work[k]
        cs.progress[k] = min(work, cs.progress[k] + step)
        if state.logging:
            state.note(cs.id, "build_step", cost=Money(cost), capability=Ref("capability", game.capability_ids[k]),
                       progress=cs.progress[k], work=work)
        if cs.progress[k] >= work:
            state.complete_capability(cs, k)


KIND = Build()
