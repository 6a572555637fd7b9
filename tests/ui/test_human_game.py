"""A person plays a whole game through the board: every move by a click or a key, to the debrief.

The person's choices come from the heuristic player (so the game is sensible), but each one is
made the way a student makes it: a click on a node to build, a click on a button otherwise, and
the Enter key (plus the confirmation dialog while actions are left) to end the turn.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from game.engine import new_game
from game.players import make_player

pytestmark = pytest.mark.gui


SEATS = {"bytedance": {"bytedance": "human", "alibaba": "heuristic", "tencent": "random"},
         "alibaba": {"bytedance": "heuristic", "alibaba": "human", "tencent": "heuristic"},
         "tencent": {"bytedance": "random", "alibaba": "heuristic", "tencent": "human"}}


@pytest.mark.parametrize("me", list(SEATS))
def test_a_person_plays_a_whole_game_to_the_debrief_by_clicks(qtbot, board_on, rules, me):
    """Every seat, as a student plays it: Alibaba's waybill terms and own hosts and Tencent's
    private-domain selling go through the same buttons as ByteDance's builds and bans."""
    state = new_game(rules, "default", 21)
    window = board_on(state, SEATS[me])
    advisor = make_player("heuristic", 5)
    moves = 0
    while not state.is_terminal():
        qtbot.waitUntil(lambda: state.is_terminal() or window.is_human_turn(), timeout=30_000)
        if state.is_terminal():
            break
        assert state.current_company == me
        action = advisor.choose(state)
        before = len(state.history)
        spec = rules.action(action.id)
        if spec.kind == "build":
            window.tabs.setCurrentIndex(state.players.index(me))
            view = window.views[me]
            for _ in range(2):        # select, then click the selected node to build
                if len(state.history) > before:      # it was selected already
                    break
                qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                                 pos=view.node_center(action.target))
        elif spec.kind == "end_turn":
            window.activateWindow()
            qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
            asks = state.actions_left > 0      # the confirmation only with actions left
            qtbot.keyClick(window, Qt.Key.Key_Return)
            box = window.confirm_box
            if asks:
                assert box is not None and box.isVisible()
                qtbot.mouseClick(box.findChild(QPushButton, "confirmYes"),
                                 Qt.MouseButton.LeftButton)
            else:
                assert box is None
        else:
            button = window.action_bar.buttons[action]
            assert button.isEnabled(), button.toolTip()
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert len(state.history) > before and state.history[before] == action
        moves += 1
    qtbot.waitUntil(lambda: window.debrief is not None, timeout=30_000)
    assert window.debrief.isVisible()
    assert state.winner_id in state.players
    assert moves > 30                                      # a person's whole game, not a stub
    kinds = {rules.action(a.id).kind for a, who in zip(state.history, _movers(state)) if who == me}
    assert "commerce" in kinds and len(kinds) >= 3          # a real game: several kinds of action
    if me != "alibaba":                                      # Taobao's loop is built already
        assert any(e.key == "built" and e.company == me for e in state.log)


def _movers(state):
    from game.engine import new_game as fresh
    replay = fresh(state.rules, state.scenario.id, state.seed, state.players)
    out = []
    for a in state.history:
        out.append(replay.current_company)
        replay.apply_action(a)
    return out
