"""The board by keyboard (issue 12): the arrow keys move a visible ring between the nodes (the
nearest one in that direction), Enter or Space builds the ringed node when it may be built
(as a click on a selected node does) and says why not otherwise; a screen reader hears the
ringed node's name and state."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from game.engine import Action, new_game

pytestmark = pytest.mark.gui


def build_id(rules) -> str:
    return next(a.id for a in rules.actions if a.kind == "build")


def focused_board(board_on, rules, qtbot, lang="en"):
    state = new_game(rules, "default", 7)
    window = board_on(state, lang=lang)
    me = state.current_company
    view = window.views[me]
    view.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(view.hasFocus)
    return state, window, view, view.board_scene


def test_focus_shows_a_ring_and_arrows_move_it_to_the_nearest_node(board_on, rules, qtbot):
    state, window, view, scene = focused_board(board_on, rules, qtbot)
    start = scene.focused
    assert start is not None and scene.nodes[start].look.focused       # visible at once
    pos = {c: n.sceneBoundingRect().center() for c, n in scene.nodes.items()}
    moved = set()
    for key, (dx, dy) in view.KEYS.items():
        scene.set_focused(start)
        here = scene.focused
        expected = scene.neighbour(here, dx, dy)
        qtbot.keyClick(view, key)
        if expected is None:
            assert scene.focused == here
            continue
        now = scene.focused
        assert now == expected and now != here
        d = pos[now] - pos[here]
        assert d.x() * dx + d.y() * dy > 0                              # in that direction
        assert scene.nodes[now].look.focused and not scene.nodes[here].look.focused
        moved.add(now)
    assert moved
    # right from the left-most node, then left again comes back
    first = view._first_node()
    scene.set_focused(first)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    right = scene.focused
    assert right != first and pos[right].x() > pos[first].x()
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert scene.focused == first


def test_the_screen_reader_hears_the_focused_node(board_on, rules, qtbot):
    state, window, view, scene = focused_board(board_on, rules, qtbot)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    cap = rules.capability(scene.focused)
    assert cap.name.get("en") in view.accessibleName()
    assert scene.nodes[cap.id].look.state_text in view.accessibleName()
    assert cap.text.get("en") in view.accessibleDescription()
    assert cap.name.get("en") in window.info.toPlainText()                # explained, as a hover


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Space])
def test_enter_or_space_builds_the_focused_node(board_on, rules, qtbot, key):
    state, window, view, scene = focused_board(board_on, rules, qtbot)
    me = state.current_company
    legal = [c for c in scene.nodes if state.why_illegal(Action(build_id(rules), c)) is None]
    assert legal
    scene.set_focused(legal[0])
    qtbot.keyClick(view, key)
    assert state.history == [Action(build_id(rules), legal[0])]           # built, turn not ended
    assert state.current_company == me and window.confirm_box is None
    assert "1/" in scene.nodes[legal[0]].look.state_text or \
        scene.nodes[legal[0]].look.state == "built"


def test_enter_on_a_locked_node_says_why_and_changes_nothing(board_on, rules, qtbot):
    state, window, view, scene = focused_board(board_on, rules, qtbot, lang="en")
    locked = next(c for c in scene.nodes if state.node_state(state.current_company, c) == "locked")
    scene.set_focused(locked)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert state.history == []
    reason = state.explain(state.why_illegal(Action(build_id(rules), locked)), "en")
    assert reason in window.statusBar().currentMessage()


def test_enter_off_the_board_still_ends_the_turn(board_on, rules, qtbot):
    """The window's Enter shortcut (End turn) is untouched when the board has no focus."""
    state = new_game(rules, "default", 7)
    window = board_on(state)
    window.action_bar.setFocus()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    qtbot.keyClick(window.action_bar, Qt.Key.Key_Return)
    assert window.confirm_box is not None             # End turn asks (actions are left)
    window.confirm_box.reject()
