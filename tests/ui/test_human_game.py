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


def test_a_person_plays_bytedance_to_the_debrief_by_clicks(qtbot, board_on, rules):
    state = new_game(rules, "default", 21)
    window = board_on(state, {"bytedance": "human", "alibaba": "heuristic", "tencent": "random"})
    advisor = make_player("heuristic", 5)
    moves = 0
    while not state.is_terminal():
        qtbot.waitUntil(lambda: state.is_terminal() or window.is_human_turn(), timeout=30_000)
        if state.is_terminal():
            break
        assert state.current_company == "bytedance"
        action = advisor.choose(state)
        before = len(state.history)
        spec = rules.action(action.id)
        if spec.kind == "build":
            window.tabs.setCurrentIndex(0)
            view = window.views["bytedance"]
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
    assert any(e.key == "built" and e.company == "bytedance" for e in state.log)
