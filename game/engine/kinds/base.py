"""What every action kind does, and the checks most of them share.

A kind is one mechanic (build, commerce, ads, ...). Its object answers, for an action of that
kind: which of them are legal now (``legal``), why one is not (``check``), what it costs
(``price``) and what it does (``apply``). The state dispatches to the kind of the action's
spec; it never compares kind names. A new kind is one new module in this package plus rules
data (``kind = "..."`` in actions.toml).

``check(..., explain=False)`` is the fast path the legal-action list uses: it returns the
shared ``ILLEGAL`` reason instead of building a detailed one.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, ClassVar

from ..actions import Action
from ..economy import traffic_cost, ux_cost
from ..reasons import Money, Reason, Ref
from ..records import ActionPrice

if TYPE_CHECKING:
    from ..company import CompanyState
    from ..game import Game
    from ..rules import ActionSpec
    from ..state import GameState

ILLEGAL = Reason("illegal")
EPS = 1e-9

#: ``target`` values of a kind: what its actions name after the colon.
NO_TARGET, CAPABILITY, COMPANY = "none", "capability", "company"


class ActionKind:
    """One mechanic. Subclasses set ``name`` and override what differs from the default."""

    name: ClassVar[str] = ""
    target: ClassVar[str] = NO_TARGET
    #: Whether its user-experience cost falls with the app's share and private-domain relief.
    eased_in_app: ClassVar[bool] = False
    #: Whether it changes the outside links' state (open flags, demand sent): undo then keeps them.
    touches_links: ClassVar[bool] = False
    #: Fields of an actions.toml table this kind ignores, with the reason (the loader refuses them).
    unused_fields: ClassVar[tuple[tuple[str, ...], str] | None] = None

    @staticmethod
    def validate(table: dict[str, Any]) -> list[tuple[str, str]]:
        """Problems of an actions.toml table of this kind: (field, message) pairs."""
        return []

    # ---------------------------------------------------------------- the action space

    def values(self, game: Game, spec: ActionSpec) -> list[Action]:
        """Every action of ``spec`` a game can name, in a fixed order."""
        return [Action(spec.id)]

    def resolve(self, game: Game, spec: ActionSpec, action: Action, mover: int) -> int | None | Reason:
        """The target's index (or None), or the reason the action names no valid target."""
        if action.target is not None:
            return Reason("invalid_target", {"target": action.target, "action": Ref("action", spec.id)})
        return None

    def available_to(self, game: Game, company: int) -> bool:
        """Whether company ``company`` can ever take actions of this kind in this game (the
        legal-action list skips the kind for it, and the board does not list it)."""
        return True

    def candidates(self, state: GameState, spec: ActionSpec) -> list[Action]:
        """The actions the board lists for the mover (legal or not)."""
        return self.values(state.game, spec) if self.available_to(state.game, state.current) else []

    # ---------------------------------------------------------------- legality

    def check(self, state: GameState, spec: ActionSpec, cs: CompanyState, target: int | None,
              explain: bool) -> Reason | None:
        """None if legal now (the game is not over), else the rule it breaks."""
        blocked = gate(state, spec, cs, explain)
        if blocked is not None:
            return blocked
        if not self.allowed(state, spec, cs):
            return self.refusal(state, spec, cs) if explain else ILLEGAL
        return afford(state, spec, cs, explain)

    def allowed(self, state: GameState, spec: ActionSpec, cs: CompanyState) -> bool:
        """The kind's own condition on the mover, beyond the shared gate and the base price."""
        return True

    def rule_floor(self, game: Game, spec: ActionSpec, company: int) -> float:
        """Capital with which :meth:`allowed` surely holds for ``company`` (the legal-action list
        then skips asking it); infinity when no amount of capital settles it."""
        return math.inf

    def refusal(self, state: GameState, spec: ActionSpec, cs: CompanyState) -> Reason:
        """Why :meth:`allowed` is False."""
        return ILLEGAL

    def list_targets(self, state: GameState, spec: ActionSpec, cs: CompanyState, out: list[Action]) -> None:
        """For kinds with targets: append the legal actions of ``spec``, once the mover has
        passed the shared gate, the price and :meth:`allowed` (the state checks those)."""
        raise NotImplementedError

    # ---------------------------------------------------------------- price and effect

    def price(self, state: GameState, spec: ActionSpec, cs: CompanyState, target: int | None) -> ActionPrice:
        return ActionPrice(traffic_cost(state, cs, spec), state.game.profiles[cs.index].action_capital[spec.index],
                           ux_cost(state, cs, spec))

    def touched(self, state: GameState, spec: ActionSpec, target: int | None) -> tuple[int, ...] | None:
        """Players other than the mover this action changes (for undo); None: the whole state."""
        return ()

    def apply(self, state: GameState, spec: ActionSpec, cs: CompanyState, target: int | None) -> None:
        """Take the action (already checked): pay for it, then its effect."""
        pay(state, spec, cs)
        self.effect(state, spec, cs, target)

    def effect(self, state: GameState, spec: ActionSpec, cs: CompanyState, target: int | None) -> None:
        raise NotImplementedError


# -------------------------------------------------------------------- shared checks and costs

def gate(state: GameState, spec: ActionSpec, cs: CompanyState, explain: bool) -> Reason | None:
    """The checks every kind but end_turn makes: scenario, turn budget, limits, prerequisites."""
    game = state.game
    i = spec.index
    if game.disabled[i]:
        return Reason("disabled_by_scenario", {"action": Ref("action", spec.id)}) if explain else ILLEGAL
    if state.actions_left <= 0:
        return Reason("no_actions_left") if explain else ILLEGAL
    if spec.per_round and cs.used[i] >= spec.per_round:
        return Reason("per_round_limit", {"limit": spec.per_round}) if explain else ILLEGAL
    req = game.requires_mask[i]
    if cs.built & req != req:
        if not explain:
            return ILLEGAL
        idx = state.game.rules.capability_index
        return Reason("requires_capability", {
            "missing": [Ref("capability", c) for c in spec.requires if not cs.built >> idx(c) & 1]})
    if spec.requires_loop and not cs.loop_closed:
        if not explain:
            return ILLEGAL
        missing = [Ref("loop_link", f"{ls.source}>{ls.target}") for ls in state.loop_status(cs.id).missing]
        return Reason("requires_loop", {"missing": missing})
    return None


def afford(state: GameState, spec: ActionSpec, cs: CompanyState, explain: bool) -> Reason | None:
    """Whether the mover has the traffic and capital the action costs."""
    need_traffic = traffic_cost(state, cs, spec)
    if need_traffic and cs.traffic < need_traffic - EPS:
        return Reason("not_enough_traffic", {"need": need_traffic, "have": cs.traffic}) if explain else ILLEGAL
    need_capital = state.game.profiles[cs.index].action_capital[spec.index]
    if need_capital and cs.capital < need_capital - EPS:
        return Reason("not_enough_capital", {"need": Money(need_capital), "have": Money(cs.capital)}) \
            if explain else ILLEGAL
    return None


def pay(state: GameState, spec: ActionSpec, cs: CompanyState) -> None:
    """Count the action against the turn and the round, and charge its traffic and capital."""
    cs.used[spec.index] += 1
    state.actions_left -= 1
    if spec.traffic or spec.traffic_share:   # (a free action leaves traffic and capital exactly as they are)
        cs.traffic = max(0.0, cs.traffic - traffic_cost(state, cs, spec))
    capital = state.game.profiles[cs.index].action_capital[spec.index]
    if capital:
        cs.capital -= capital
