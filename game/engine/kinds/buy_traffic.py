"""Buy traffic: pay for attention at auction (F36, F38).

The price rises with every unit anyone has bought this round (the scenario's
``traffic_auction_step``), and when the scenario names a ``traffic_seller`` (Douyin sells ads,
F30), ``traffic_seller_share`` of what others pay goes to it: buying attention funds a rival.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..reasons import Money, Reason, Ref
from ..records import ActionPrice
from .base import EPS, ActionKind, pay

if TYPE_CHECKING:
    from ..company import CompanyState
    from ..game import Game
    from ..rules import ActionSpec
    from ..state import GameState


def capital_price(state: GameState, spec: ActionSpec, cs: CompanyState) -> float:
    """What the next unit costs this company now, after this round's bidding."""
    base = state.game.profiles[cs.index].action_capital[spec.index]
    step = state.game.scenario.traffic_auction_step
    if not step:
        return base
    bought = 0
    for c in state.companies:
        bought += c.used[spec.index]
    return base * (1.0 + step * bought)


class BuyTraffic(ActionKind):
    name = "buy_traffic"

    def rule_floor(self, game: Game, spec: ActionSpec, company: int) -> float:
        # Rich enough for the dearest the auction can get in a round: no need to add up the bids
        # (the price only rises with them, so the answer is the same).
        if not spec.per_round:
            return math.inf
        return game.profiles[company].action_capital[spec.index] * (
            1.0 + game.scenario.traffic_auction_step * spec.per_round * len(game.players)) - EPS

    def allowed(self, state: GameState, spec: ActionSpec, cs: CompanyState) -> bool:
        return cs.capital >= capital_price(state, spec, cs) - EPS

    def refusal(self, state: GameState, spec: ActionSpec, cs: CompanyState) -> Reason:
        return Reason("not_enough_capital", {"need": Money(capital_price(state, spec, cs)),
                                             "have": Money(cs.capital)})

    def price(self, state: GameState, spec: ActionSpec, cs: CompanyState, target: int | None) -> ActionPrice:
        return ActionPrice(capital=capital_price(state, spec, cs))

    def touched(self, state: GameState, spec: ActionSpec, target: int | None) -> tuple[int, ...] | None:
        seller = state.game.traffic_seller
        if seller is None or seller == state.current or not state.game.scenario.traffic_seller_share:
            return ()
        return (seller,)

    def apply(self, state: GameState, spec: ActionSpec, cs: CompanyState, target: int | None) -> None:
        price = capital_price(state, spec, cs)
        pay(state, spec, cs)    # charges the base price and counts the unit
        cs.capital -= price - state.game.profiles[cs.index].action_capital[spec.index]
        cs.traffic += spec.traffic_gain
        seller = state.game.traffic_seller
        sold = 0.0
        share = state.game.scenario.traffic_seller_share
        if seller is not None and seller != cs.index and share:
            sold = price * share
            state.companies[seller].capital += sold
        if state.logging:
            state.note(cs.id, "buy_traffic", capital=Money(price), traffic=spec.traffic_gain)
            if sold and seller is not None:
                state.note(state.game.players[seller], "traffic_sold",
                           target=Ref("company", cs.id), capital=Money(sold))


KIND = BuyTraffic()
