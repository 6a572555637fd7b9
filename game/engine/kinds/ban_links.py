"""Ban links: stop carrying a rival's shop links in the feed (F03, F34)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..actions import Action
from ..reasons import Reason, Ref
from .rivalry import RivalKind

if TYPE_CHECKING:
    from ..company import CompanyState
    from ..game import Game
    from ..rules import ActionSpec
    from ..state import GameState


class BanLinks(RivalKind):
    touches_links = True
    name = "ban_links"

    def available_to(self, game: Game, company: int) -> bool:
        return bool(game.partner_links[company])

    def candidates(self, state: GameState, spec: ActionSpec) -> list[Action]:
        partners = {s.partner for s in state.game.links if s.host == state.current}
        values = state.game.target_values[spec.index]
        assert values is not None
        return [a for j, a in enumerate(values) if j in partners]

    def aim_allowed(self, state: GameState, cs: CompanyState, target: int) -> bool:
        link = state.game.link_of.get((cs.index, target))
        return link is not None and state.links_open[link]

    def aim_refusal(self, state: GameState, cs: CompanyState, target: int) -> Reason:
        return Reason("no_outside_links", {"target": Ref("company", state.game.players[target])})

    def list_targets(self, state: GameState, spec: ActionSpec, cs: CompanyState, out: list[Action]) -> None:
        values = state.game.target_values[spec.index]
        assert values is not None
        links_open = state.links_open
        for partner, link in state.game.partner_links[cs.index]:
            if links_open[link]:
                out.append(values[partner])

    def effect(self, state: GameState, spec: ActionSpec, cs: CompanyState, target: int | None) -> None:
        assert target is not None
        for i, slot in enumerate(state.game.links):
            if slot.host == cs.index and slot.partner == target:
                state.links_open[i] = False
        if state.logging:
            state.note(cs.id, "ban_links", target=Ref("company", state.game.players[target]))


KIND = BanLinks()
