"""Computer players: always legal, never change the state while choosing, finish games; the
heuristic player beats the random one."""

import numpy as np
import pytest

from game.engine import new_game
from game.players import PLAYER_KINDS, make_player
from game.session import Session
from game.sim.invariants import PlayerContract
from game.sim.simulate import play_game

GAMES = 20


@pytest.mark.parametrize("kind", PLAYER_KINDS)
def test_players_choose_legal_actions_and_finish(rules, kind):
    for sid in rules.scenarios:
        state = new_game(rules, sid, 1)
        seats = {cid: make_player(kind, i) for i, cid in enumerate(state.players)}
        # The contract: the state untouched while choosing, a legal choice; run_to_end: an end
        # within the game's action bound.
        Session(state, seats, [PlayerContract()]).run_to_end()
        assert state.winner is not None


def test_unknown_player_kind():
    with pytest.raises(ValueError, match="unknown player kind"):
        make_player("genius")


def test_heuristic_is_deterministic(rules):
    a = play_game(rules, "default", 3, ["heuristic"] * 3)
    b = play_game(rules, "default", 3, ["heuristic"] * 3)
    assert [str(x) for x in a.history] == [str(x) for x in b.history]


def test_heuristic_beats_random_for_every_company(rules):
    """Same seeds: a company earns more GMV on average when the heuristic plays it (others random)."""
    scen = rules.scenario("default")
    n = len(scen.companies)
    for i, cid in enumerate(scen.companies):
        kinds = ["random"] * n
        base = np.mean([play_game(rules, "default", s, kinds).company(cid).gmv_total for s in range(GAMES)])
        kinds[i] = "heuristic"
        smart = np.mean([play_game(rules, "default", s, kinds).company(cid).gmv_total for s in range(GAMES)])
        assert smart > base, f"{cid}: heuristic mean GMV {smart:.1f} <= random {base:.1f}"
