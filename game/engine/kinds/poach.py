"""Poach: hire a rival's team; the next talent build goes faster, the rival is set back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..actions import Action
from ..reasons import Money, Reason, Ref
from .rivalry import RivalKind

if TYPE_CHECKING:
    from ..company import CompanyState
    from ..rules import ActionSpec
    from ..state import GameState


class Poach(RivalKind):
    name = "poach"

    def aim_allowed(self, state: GameState, cs: CompanyState, target: int) -> bool:
        game = state.game
        rival = state.companies[target]
        has_team = rival.built & game.talent_mask or any(rival.progress[k] for k in game.talent_caps)
        return bool(has_team) and cs.talent < state.game.rules.economy.max_talent

    def aim_refusal(self, state: GameState, cs: CompanyState, target: int) -> Reason:
        rival = state.companies[target]
        if cs.talent >= state.game.rules.economy.max_talent and (
                rival.built & state.game.talent_mask or any(rival.progress[k] for k in state.game.talent_caps)):
            return Reason("talent_full", {"limit": state.game.rules.economy.max_talent})
        return Reason("nothing_to_poach", {"target": Ref("company", rival.id)})

    def list_targets(self, state: GameState, spec: ActionSpec, cs: CompanyState, out: list[Action]) -> None:
        if cs.talent >= state.game.rules.economy.max_talent:
            return
        game = state.game
        values = game.target_values[spec.index]
        assert values is not None
        tm, caps = game.talent_mask, game.talent_caps
        for j, rival in enumerate(state.companies):
            if j == cs.index:
                continue
            if rival.built & tm:
                out.append(values[j])
                continue
            progress = rival.progress
            for k in caps:
                if progress[k]:
                    out.append(values[j])
                    break

    def touched(self, state: GameState, spec: ActionSpec, target: int | None) -> tuple[int, ...] | None:
        return () if target is None else (target,)

    def effect(self, state: GameState, spec: ActionSpec, cs: CompanyState, target: int | None) -> None:
        assert target is not None
        game = state.game
        rival = state.companies[target]
        price = game.profiles[cs.index].action_capital[spec.index]
        cs.talent += 1
        state.note(cs.id, "poach", target=Ref("company", rival.id))
        tm = game.talent_mask
        work = game.work
        best = max((k for k in range(len(rival.progress))
                    if tm >> k & 1 and 0 < rival.progress[k] < work[k]),
                   key=lambda k: rival.progress[k], default=None)
        if best is not None:
            rival.progress[best] -= 1
            state.note(rival.id, "poach_setback", target=Ref("company", rival.id),
                       capability=Ref("capability", game.capability_ids[best]))
        else:
            # Nothing unfinished to set back: the rival pays to keep the rest of its team.
            bill = min(price, rival.capital)
            rival.capital -= bill
            state.note(rival.id, "poach_retention", target=Ref("company", rival.id), capital=Money(bill))


KIND = Poach()
