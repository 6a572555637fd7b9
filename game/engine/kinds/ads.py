"""Ads: turn traffic into capital at a cost to user experience (F30, F31)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import economy
from .base import ActionKind

if TYPE_CHECKING:
    from ..company import CompanyState
    from ..rules import ActionSpec
    from ..state import GameState


class Ads(ActionKind):
    name = "ads"

    def effect(self, state: GameState, spec: ActionSpec, cs: CompanyState, target: int | None) -> None:
        economy.run_ads(state, cs, spec)


KIND = Ads()
