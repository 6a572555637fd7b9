"""Waybill terms: the e-waybill provider sets what rivals without their own pay (F07, F35).

A provider can print e-waybills for everyone at the standard fee, squeeze them (a higher fee,
more of their buyers' data), or refuse them (no fee, no data, and the rivals' sales suffer
until they print their own). Each choice is an action of this kind with its own numbers
(fee_mult, data_share, demand_loss); the terms last until the provider changes them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..reasons import Reason, Ref
from .base import ActionKind

if TYPE_CHECKING:
    from ..company import CompanyState
    from ..game import Game
    from ..rules import ActionSpec
    from ..state import GameState


class WaybillTerms(ActionKind):
    name = "waybill_terms"

    @staticmethod
    def validate(table: dict[str, Any]) -> list[tuple[str, str]]:
        if "fee_mult" not in table:
            return [("fee_mult", "a waybill_terms action needs fee_mult (1.0: the standard fee)")]
        return []

    def available_to(self, game: Game, company: int) -> bool:
        return game.waybill_provider == company

    def allowed(self, state: GameState, spec: ActionSpec, cs: CompanyState) -> bool:
        return state.game.waybill_provider == cs.index and cs.waybill_terms != terms_code(spec)

    def refusal(self, state: GameState, spec: ActionSpec, cs: CompanyState) -> Reason:
        provider = state.game.waybill_provider
        if provider != cs.index:
            return Reason("not_waybill_provider", {"action": Ref("action", spec.id)})
        return Reason("terms_in_force", {"action": Ref("action", spec.id)})

    def effect(self, state: GameState, spec: ActionSpec, cs: CompanyState, target: int | None) -> None:
        cs.waybill_terms = terms_code(spec)
        if state.logging:
            state.note(cs.id, "waybill_terms", action=Ref("action", spec.id))


def terms_code(spec: ActionSpec) -> int:
    """What a provider's ``waybill_terms`` holds once ``spec`` is in force: -1 for the
    economy's standard terms (fee times 1, the economy's data share, no refusal)."""
    standard = spec.fee_mult == 1.0 and spec.data_share is None and not spec.demand_loss
    return -1 if standard else spec.index


KIND = WaybillTerms()
