"""Launch the app: a standalone shopping app, once the loop is closed (F31, F32)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..reasons import Reason
from .base import ActionKind

if TYPE_CHECKING:
    from ..company import CompanyState
    from ..game import Game
    from ..rules import ActionSpec
    from ..state import GameState


class LaunchApp(ActionKind):
    name = "launch_app"

    @staticmethod
    def validate(table: dict[str, Any]) -> list[tuple[str, str]]:
        if not table.get("requires_loop", False):
            return [("requires_loop", "a launch_app action needs requires_loop = true: "
                                      "an app is launched on a closed loop")]
        return []

    def available_to(self, game: Game, company: int) -> bool:
        # An app there from the start (Taobao's) is never launched again.
        return not game.scenario.company_specs[game.players[company]].app_launched

    def allowed(self, state: GameState, spec: ActionSpec, cs: CompanyState) -> bool:
        return not cs.app_launched

    def refusal(self, state: GameState, spec: ActionSpec, cs: CompanyState) -> Reason:
        return Reason("app_already_launched")

    def effect(self, state: GameState, spec: ActionSpec, cs: CompanyState, target: int | None) -> None:
        cs.app_launched = True
        cs.launched_round = state.round
        cs.app_share = max(cs.app_share, spec.app_share)
        if state.game.scenario.victory_points:
            cs.points += state.game.scenario.app_points
        if state.logging:
            state.note(cs.id, "launch_app")


KIND = LaunchApp()
