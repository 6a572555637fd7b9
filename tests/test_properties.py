"""Property-based: long random legal play with random undos never breaks the invariants."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine import new_game
from game.testing import check_invariants, digest, get_rules

RULES = get_rules("rules")
SCENARIOS = sorted(RULES.scenarios)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=st.sampled_from(SCENARIOS), seed=st.integers(0, 2**32 - 1),
       moves=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 19), st.integers(1, 6)),
                      min_size=20, max_size=600))
def test_random_play_with_undo_keeps_invariants(scenario, seed, moves):
    state = new_game(RULES, scenario, seed)
    digests = [digest(state)]
    for pick, roll, back in moves:
        if state.is_terminal():
            break
        if roll == 0 and state.history:  # about one move in twenty: undo a few and check
            k = min(back, len(state.history))
            for _ in range(k):
                state.undo()
            del digests[-k:]
            assert digest(state) == digests[-1], f"undo of {k} did not restore the state"
        else:
            legal = state.legal_actions()
            assert legal, "a running game has no legal action"
            if roll < 10:  # lean towards doing something before ending the turn
                legal = [a for a in legal if a.id != "end_turn"] or legal
            state.apply_action(legal[pick % len(legal)])
            digests.append(digest(state))
        problems = check_invariants(state)
        assert not problems, f"after {state.history[-1] if state.history else 'undo'}: {problems}"


@settings(max_examples=15, deadline=None)
@given(scenario=st.sampled_from(SCENARIOS), seed=st.integers(0, 2**32 - 1))
def test_games_always_end_within_the_bound(scenario, seed):
    state = new_game(RULES, scenario, seed)
    scen = state.scenario
    bound = scen.rounds * len(state.players) * (scen.actions_per_round + 1)
    i = 0
    while not state.is_terminal():
        legal = state.legal_actions()
        state.apply_action(legal[(seed + i) % len(legal)])
        i += 1
        assert i <= bound
    assert not check_invariants(state)
