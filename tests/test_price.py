"""GameState.price() is what the board shows on its buttons: it must be what the action charges."""

from pytest import approx

from game.engine import GameState, load_rules, new_game
from game.players import make_player
from game.session import Session, SessionHooks


class PriceCheck(SessionHooks):
    """Before every move of a game: each legal action, tried and taken back, charges its price."""

    checked = 0

    def before_action(self, state: GameState, company: str) -> None:
        for action in state.legal_actions():
            kind = state.rules.action(action.id).kind
            if kind in ("end_turn", "ads", "buy_traffic"):  # these also pay out
                continue
            price = state.price(action)
            cs = state.company(company)
            before = (cs.traffic, cs.capital, cs.ux)
            state.apply_action(action)
            assert before[1] - cs.capital == approx(price.capital), action
            assert before[0] - cs.traffic == approx(price.traffic) or cs.traffic == 0, action
            assert before[2] - cs.ux == approx(price.ux) or cs.ux == 0, action
            state.undo()
            self.checked += 1


def test_the_price_shown_is_the_price_charged():
    rules = load_rules("rules")
    check = PriceCheck()
    for seed in range(3):
        state = new_game(rules, "default", seed)
        seats = {cid: make_player("random", seed * 10 + i) for i, cid in enumerate(state.players)}
        Session(state, seats, [check]).run_to_end()
    assert check.checked > 500
