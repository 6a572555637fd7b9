"""Migrate: move users from the feed into the launched app, a share at a time (F31, F32)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..reasons import Reason
from .base import ActionKind

if TYPE_CHECKING:
    from ..company import CompanyState
    from ..rules import ActionSpec
    from ..state import GameState


class Migrate(ActionKind):
    name = "migrate"

    def allowed(self, state: GameState, spec: ActionSpec, cs: CompanyState) -> bool:
        return cs.app_launched and cs.app_share < 1.0

    def refusal(self, state: GameState, spec: ActionSpec, cs: CompanyState) -> Reason:
        return Reason("app_not_launched" if not cs.app_launched else "app_share_full")

    def effect(self, state: GameState, spec: ActionSpec, cs: CompanyState, target: int | None) -> None:
        cs.app_share = min(1.0, cs.app_share + spec.app_share)
        if state.logging:
            state.note(cs.id, "migrate", share=round(cs.app_share * 100))


KIND = Migrate()
