"""Commerce: spend traffic on selling; demand now, user experience lost (less in the app)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import economy
from .base import ActionKind

if TYPE_CHECKING:
    from ..company import CompanyState
    from ..rules import ActionSpec
    from ..state import GameState


class Commerce(ActionKind):
    touches_links = True
    name = "commerce"
    eased_in_app = True   # selling in the app spares the feed (F31, F32)

    def effect(self, state: GameState, spec: ActionSpec, cs: CompanyState, target: int | None) -> None:
        economy.commerce(state, cs, spec)


KIND = Commerce()
