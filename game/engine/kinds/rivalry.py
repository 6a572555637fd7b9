"""What the kinds aimed at a rival share: a company target, never the mover itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..actions import Action
from ..reasons import Reason, Ref
from .base import COMPANY, ILLEGAL, ActionKind, afford, gate

if TYPE_CHECKING:
    from ..company import CompanyState
    from ..game import Game
    from ..rules import ActionSpec
    from ..state import GameState


class RivalKind(ActionKind):
    """A kind whose actions name another company of the game."""

    target = COMPANY

    def values(self, game: Game, spec: ActionSpec) -> list[Action]:
        return [Action(spec.id, c) for c in game.players]

    def resolve(self, game: Game, spec: ActionSpec, action: Action, mover: int) -> int | None | Reason:
        if action.target is None:
            return Reason("needs_target", {"action": Ref("action", spec.id)})
        target = game.pos.get(action.target)
        if target is None or target == mover:
            return Reason("invalid_target", {"target": action.target, "action": Ref("action", spec.id)})
        return target

    def candidates(self, state: GameState, spec: ActionSpec) -> list[Action]:
        me = state.current
        values = state.game.target_values[spec.index]
        assert values is not None
        return [a for j, a in enumerate(values) if j != me]

    def check(self, state: GameState, spec: ActionSpec, cs: CompanyState, target: int | None,
              explain: bool) -> Reason | None:
        blocked = gate(state, spec, cs, explain)
        if blocked is not None:
            return blocked
        assert target is not None
        if not self.aim_allowed(state, cs, target):
            return self.aim_refusal(state, cs, target) if explain else ILLEGAL
        return afford(state, spec, cs, explain)

    def aim_allowed(self, state: GameState, cs: CompanyState, target: int) -> bool:
        """The kind's own rule for aiming at company ``target``."""
        raise NotImplementedError

    def aim_refusal(self, state: GameState, cs: CompanyState, target: int) -> Reason:
        """Why :meth:`aim_allowed` is False."""
        raise NotImplementedError

    def list_targets(self, state: GameState, spec: ActionSpec, cs: CompanyState, out: list[Action]) -> None:
        values = state.game.target_values[spec.index]
        assert values is not None
        me = state.current
        aim_allowed = self.aim_allowed
        for j in range(len(values)):
            if j != me and aim_allowed(state, cs, j):
                out.append(values[j])
