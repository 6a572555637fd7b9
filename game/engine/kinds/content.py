"""Own content: invest in hosts and content of one's own for lasting traffic (F10, F38).

The slow answer to bought attention: each step adds ``content_gain`` to the share of extra
traffic the company's users yield every round, up to the economy's ``content_max``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..reasons import Reason
from .base import ActionKind

if TYPE_CHECKING:
    from ..company import CompanyState
    from ..rules import ActionSpec
    from ..state import GameState


class Content(ActionKind):
    name = "content"

    @staticmethod
    def validate(table: dict[str, Any]) -> list[tuple[str, str]]:
        if not table.get("content_gain"):
            return [("content_gain", "a content action needs content_gain above 0")]
        return []

    def allowed(self, state: GameState, spec: ActionSpec, cs: CompanyState) -> bool:
        return cs.content < state.game.rules.economy.content_max - 1e-9

    def refusal(self, state: GameState, spec: ActionSpec, cs: CompanyState) -> Reason:
        return Reason("content_full", {"limit": round(state.game.rules.economy.content_max * 100)})

    def effect(self, state: GameState, spec: ActionSpec, cs: CompanyState, target: int | None) -> None:
        cs.content = min(state.game.rules.economy.content_max, cs.content + spec.content_gain)
        if state.logging:
            state.note(cs.id, "content", share=round(cs.content * 100))


KIND = Content()
