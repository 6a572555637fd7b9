"""GameState.price() is what the board shows on its buttons: it must be what the action charges."""

from pytest import approx

from game.engine import load_rules, new_game
from game.players import make_player


def test_the_price_shown_is_the_price_charged():
    rules = load_rules("rules")
    checked = 0
    for seed in range(3):
        state = new_game(rules, "default", seed)
        players = [make_player("random", seed * 10 + i) for i in range(len(state.players))]
        while not state.is_terminal():
            for action in state.legal_actions():
                kind = rules.action(action.id).kind
                if kind in ("end_turn", "ads", "buy_traffic"):  # these also pay out
                    continue
                price = state.price(action)
                cs = state.company(state.current_company)
                before = (cs.traffic, cs.capital, cs.ux)
                state.apply_action(action)
                assert before[1] - cs.capital == approx(price.capital), action
                assert before[0] - cs.traffic == approx(price.traffic) or cs.traffic == 0, action
                assert before[2] - cs.ux == approx(price.ux) or cs.ux == 0, action
                state.undo()
                checked += 1
            state.apply_action(players[state.current].choose(state))
    assert checked > 500
