"""The example from the README ("Testing your rules"): a rule test in a few lines."""

from pytest import approx

from game.testing import (
    assert_illegal, check_invariants, end_round, give_turn, play, set_company, start, step_cost,
)


def test_own_payment_costs_capital_and_raises_conversion():
    state = start("default", seed=1)                     # a fresh game; ByteDance moves first
    set_company(state, "bytedance", capital=50.0)
    before = state.company("bytedance").conversion

    for _ in range(state.rules.capability("own_payment").work):
        give_turn(state, "bytedance")                    # end turns until ByteDance moves
        play(state, "build:own_payment")                 # one build step
        end_round(state)

    assert state.node_state("bytedance", "own_payment") == "built"
    assert state.company("bytedance").conversion > before
    assert check_invariants(state) == []


def test_installments_need_own_payment(new_state):
    state = new_state(bytedance=dict(capital=50.0))      # the fixture: start() on the session's rules
    assert_illegal(state, "build:installments", "missing_prerequisites")


def test_a_build_step_costs_what_the_rules_say(new_state):
    state = new_state(seed=2, bytedance=dict(capital=50.0))
    cost = step_cost(state, "bytedance", "own_payment")   # cost x ByteDance's cost_mult
    play(state, "build:own_payment")
    assert state.company("bytedance").capital == approx(50.0 - cost)
