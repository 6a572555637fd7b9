"""The facilitator's interventions (issue 14): adjust a company with a reason, put a deck event
into the next round; logged, saved and replayed at their place, and taken back."""

from __future__ import annotations

import json

import pytest

from game.engine import SaveError, facilitator, loads, new_game, render_log, replay
from game.sim.simulate import play_game


def _play(state, n):
    for _ in range(n):
        state.apply_action(state.legal_actions()[0])


def test_adjust_sets_figures_within_bounds_and_logs_the_reason(rules):
    state = new_game(rules, "default", 1)
    cid = state.players[1]
    before = state.company(cid).capital
    facilitator.adjust(state, cid, {"capital": -5.0, "ux": 1000.0}, "payment licence refused")
    cs = state.company(cid)
    assert cs.capital == pytest.approx(max(0.0, before - 5.0))
    assert cs.ux == rules.economy.ux_max                      # kept within its bounds
    lines = [render_log(rules, e, "en") for e in state.log[-2:]]
    assert all("payment licence refused" in line for line in lines)
    assert "capital" in lines[0] and "user experience" in lines[1]


@pytest.mark.parametrize("changes, message", [
    ({"gmv_total": 1.0}, "cannot be adjusted"),
    ({"capital": float("nan")}, "finite number"),
    ({}, "nothing to change"),
])
def test_a_bad_adjustment_is_refused_and_changes_nothing(rules, changes, message):
    state = new_game(rules, "default", 1)
    snap, log = state.snapshot(), len(state.log)
    with pytest.raises(ValueError, match=message):
        facilitator.adjust(state, state.players[0], changes, "x")
    assert state.snapshot() == snap and len(state.log) == log and not state.interventions
    with pytest.raises(ValueError, match="unknown company"):
        facilitator.adjust(state, "pinduoduo", {"capital": 1.0})


def test_an_injected_event_starts_the_next_round(rules):
    state = new_game(rules, "default", 2)
    deck = [e for e, _ in state.scenario.deck]
    event = deck[0]
    facilitator.inject_event(state, event, "what if")
    assert event not in state.round_events
    while state.round == 1:
        state.apply_action(next(a for a in state.legal_actions() if rules.action(a.id).kind == "end_turn"))
    assert event in state.round_events and not state.pending_events
    with pytest.raises(ValueError, match="not in this scenario's deck"):
        facilitator.inject_event(state, "pandemic_live_boom" if "pandemic_live_boom" not in deck else "nope")


def test_interventions_are_saved_and_replayed_at_their_place(rules):
    state = new_game(rules, "default", 5)
    _play(state, 4)
    facilitator.adjust(state, state.players[2], {"capital": 20.0, "users": -50.0}, "a windfall")
    facilitator.inject_event(state, state.scenario.deck[0][0], "a shock")
    _play(state, 30)
    text = state.serialize()
    data = json.loads(text)
    assert data["format_version"] == 2 and [iv["at"] for iv in data["interventions"]] == [4, 4]
    again = loads(rules, text)
    assert again.snapshot() == state.snapshot()
    assert [e.key for e in again.log] == [e.key for e in state.log]
    assert replay(rules, "default", 5, state.history, state.players, state.interventions).snapshot() \
        == state.snapshot()
    # without the interventions the same actions give another game: the save is not fooled
    data.pop("interventions")
    with pytest.raises(SaveError, match="does not match its own replay|cannot be replayed"):
        loads(rules, json.dumps(data))
    data = json.loads(text)
    data["interventions"][0]["at"] = 10 ** 6
    with pytest.raises(SaveError, match="'at' must be a whole number"):
        loads(rules, json.dumps(data))
    data = json.loads(text)
    data["interventions"][0]["changes"] = {"gmv_total": 5}
    with pytest.raises(SaveError, match="intervention #1 cannot be replayed: 'gmv_total' cannot be adjusted"):
        loads(rules, json.dumps(data))


def test_a_save_without_interventions_stays_format_1(rules):
    state = play_game(rules, "default", 3, ["heuristic"] * 3)
    data = json.loads(state.serialize())
    assert data["format_version"] == 1 and "interventions" not in data


def test_the_facilitator_takes_back_the_last_intervention(rules):
    state = new_game(rules, "default", 6)
    _play(state, 2)
    snap, log = state.snapshot(), len(state.log)
    cid = state.players[0]
    facilitator.adjust(state, cid, {"capital": 9.0}, "bonus")
    with pytest.raises(IndexError, match="facilitator intervened"):
        state.undo()                         # a player cannot undo past it
    facilitator.undo_intervention(state)
    assert state.snapshot() == snap and len(state.log) == log and not state.interventions
    facilitator.inject_event(state, state.scenario.deck[0][0], "")
    facilitator.undo_intervention(state)
    assert not state.pending_events and state.snapshot() == snap
    facilitator.adjust(state, cid, {"capital": 9.0}, "bonus")
    _play(state, 1)
    with pytest.raises(ValueError, match="an action came after"):
        facilitator.undo_intervention(state)
    state.undo()                             # the action first, then the intervention
    facilitator.undo_intervention(state)
    assert state.snapshot() == snap


def test_the_decision_history_replays_interventions_too(rules):
    from game.debrief import decisions
    state = new_game(rules, "default", 7)
    cid = state.current_company
    facilitator.adjust(state, cid, {"capital": 50.0}, "rich")
    while not state.is_terminal() and state.round < 3:
        legal = state.legal_actions()
        builds = [a for a in legal if rules.action(a.id).kind == "build"]
        state.apply_action(builds[0] if builds else legal[0])
    ds = decisions(rules, state, "en")
    assert [d.action for d in ds] == [str(a) for a in state.history]
