"""End turn: hand over to the next company; the last one's end settles the round."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..reasons import Reason
from ..records import ActionPrice
from .base import ActionKind

if TYPE_CHECKING:
    from ..company import CompanyState
    from ..rules import ActionSpec
    from ..state import GameState


class EndTurn(ActionKind):
    name = "end_turn"
    unused_fields = (("traffic", "traffic_share", "capital", "requires_loop", "demand_mult", "ux",
                      "capital_per_traffic", "traffic_gain", "app_share"),
                     "ending a turn costs nothing")

    def check(self, state: GameState, spec: ActionSpec, cs: CompanyState, target: int | None,
              explain: bool) -> Reason | None:
        return None

    def price(self, state: GameState, spec: ActionSpec, cs: CompanyState, target: int | None) -> ActionPrice:
        return ActionPrice()

    def touched(self, state: GameState, spec: ActionSpec, target: int | None) -> tuple[int, ...] | None:
        return None if state.turn_pos == len(state.order) - 1 else ()

    def apply(self, state: GameState, spec: ActionSpec, cs: CompanyState, target: int | None) -> None:
        if state.logging:
            state.note(cs.id, "end_turn")
        state.next_turn()


KIND = EndTurn()
