"""Buy traffic: pay capital for attention bought from other platforms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..reasons import Money
from .base import ActionKind

if TYPE_CHECKING:
    from ..company import CompanyState
    from ..rules import ActionSpec
    from ..state import GameState


class BuyTraffic(ActionKind):
    name = "buy_traffic"

    def effect(self, state: "GameState", spec: "ActionSpec", cs: "CompanyState", target: int | None) -> None:
        cs.traffic += spec.traffic_gain
        if state.logging:
            state.note(cs.id, "buy_traffic", capital=Money(state.game.profiles[cs.index].action_capital[spec.index]),
                       traffic=spec.traffic_gain)


KIND = BuyTraffic()
