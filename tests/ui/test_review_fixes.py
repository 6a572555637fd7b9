"""Regressions from the board's review: hovering, prices, select-then-build, zoom, seed, end-turn
default, debrief button, computer errors. Any exception in a Qt slot fails the test (pytest-qt).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QEnterEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from game.engine import Action, economy, format_money, new_game
from game.players import make_player
from game.session import Session

pytestmark = pytest.mark.gui


def build_id(rules) -> str:
    return next(a.id for a in rules.actions if a.kind == "build")


def played(rules, seed: int = 7, moves: int = 30):
    state = new_game(rules, "default", seed)
    players = {cid: make_player("heuristic", seed + i) for i, cid in enumerate(state.players)}
    for _ in range(moves):
        state.apply_action(players[state.current_company].choose(state))
    return state


def hover(widget) -> None:
    p = QPointF(1, 1)
    QApplication.sendEvent(widget, QEnterEvent(p, p, p))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hover_every_button_node_and_click_every_log_row(qtbot, board_on, rules, lang):
    state = played(rules)
    window = board_on(state, lang=lang)
    buttons = list(window.action_bar.buttons.values()) + [window.action_bar.build_button]
    for b in buttons:
        hover(b)
        assert window.info.toPlainText().strip()
    # every node of every company board
    for cid, scene in window.scenes.items():
        for cap, node in scene.nodes.items():
            node.hovered.emit(cap)
            assert rules.capability(cap).name.get(lang) in window.info.toPlainText()
    # every row of the game log
    model, view = window.log_model, window.log_view
    assert model.rowCount() > 10
    for row in range(model.rowCount()):
        view.scroll_to_row(row)
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=view.row_rect(row).center())
    # the event card explains every event of the round
    window.event_card.show_events(tuple(rules.events)[:2], state.year_quarter, lang)
    hover(window.event_card)
    text = window.info.toPlainText()
    assert all(rules.events[e].name.get(lang) in text for e in tuple(rules.events)[:2])


def test_action_buttons_show_the_engines_price(board_on, rules):
    state = new_game(rules, "default", 7)
    window = board_on(state)
    cs = state.company(state.current_company)
    for action, b in window.action_bar.buttons.items():
        spec = rules.action(action.id)
        if spec.kind == "commerce":
            cost = economy.traffic_cost(state, cs, spec)
            assert f"{cost:,.0f}" in b.price_label.text() and "traffic" in b.price_label.text()
        if spec.capital:
            prof = state.profile(state.current_company)
            money = format_money(rules, spec.capital * prof.action_cost_mult[spec.index], "en")
            assert money in b.price_label.text()
    hover(window.action_bar.buttons[Action("buy_traffic")])
    prof = state.profile(state.current_company)
    spec = rules.action("buy_traffic")
    assert format_money(rules, spec.capital * prof.action_cost_mult[spec.index], "en") \
        in window.info.toPlainText()


def test_select_then_build_with_b_or_the_build_button(qtbot, board_on, rules):
    state = new_game(rules, "default", 7)
    window = board_on(state)
    me = state.current_company
    caps = [c.id for c in rules.capabilities
            if state.why_illegal(Action(build_id(rules), c.id)) is None]
    assert not window.action_bar.build_button.isEnabled()       # nothing selected yet
    window.scenes[me].nodes[caps[0]].clicked.emit(caps[0])
    assert state.history == []
    assert window.action_bar.build_button.isEnabled()
    qtbot.mouseClick(window.action_bar.build_button, Qt.MouseButton.LeftButton)
    assert state.history[-1] == Action(build_id(rules), caps[0])
    other = next(c for c in caps[1:] if state.why_illegal(Action(build_id(rules), c)) is None)
    window.scenes[me].nodes[other].clicked.emit(other)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_B)
    assert state.history[-1] == Action(build_id(rules), other)


def test_board_text_grows_with_zoom(qtbot, board_on, rules):
    state = new_game(rules, "default", 7)
    window = board_on(state)
    window.resize(1600, 1000)
    cid = state.players[0]

    def name_px() -> float:
        qtbot.wait(10)
        view = window.views[cid]
        view.fit()
        return window.scenes[cid].nodes[rules.capabilities[0].id].font_px * view.transform().m11()

    window.apply_zoom(1.0)
    normal = name_px()
    window.a_large.trigger()             # projector mode: 18 px and more
    large = name_px()
    assert large >= 18 and large > normal * 1.1
    assert QApplication.font().pointSizeF() > window._base_font.pointSizeF()   # dialogs too
    window.a_large.trigger()


def test_random_seed_is_the_one_shown_and_in_the_title(qtbot, make_window):
    window = make_window("en")
    dlg = window.show_new_game_dialog()
    assert dlg.seed_random.isChecked()
    shown = dlg.seed.value()
    qtbot.mouseClick(dlg.findChild(QPushButton, "startButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.state is not None)
    assert window.state.seed == shown
    assert str(shown) in window.windowTitle()
    assert str(shown) in window.status_header.seed.text()


def test_end_turn_confirmation_defaults_to_cancel(qtbot, board_on, rules):
    state = new_game(rules, "default", 7)
    window = board_on(state)
    end = next(a.id for a in rules.actions if a.kind == "end_turn")
    window.request_action(Action(end))
    box = window.confirm_box
    assert box is not None and state.actions_left > 0
    assert box.defaultButton() is box.findChild(QPushButton, "confirmNo")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert state.history == []


def test_debrief_button_and_language_from_the_debrief(qtbot, board_on, rules):
    state = new_game(rules, "default", 3)
    Session(state, {cid: make_player("heuristic", 3 + i)
                    for i, cid in enumerate(state.players)}).run_to_end()
    window = board_on(state, lang="en")
    button = window.status_header.debrief_button
    qtbot.waitUntil(button.isVisible)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.debrief is not None and window.debrief.isVisible())
    assert str(state.seed) in window.debrief.scenario_label.text()
    window.debrief._toggle_language()
    assert window.lang == "zh"
    window.debrief.close()
    qtbot.waitUntil(lambda: window.debrief is None)         # deleted on close
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)     # and can be opened again
    qtbot.waitUntil(lambda: window.debrief is not None)
    window.debrief.close()


class _Broken:
    def choose(self, state):
        raise RuntimeError("bot bug")


def test_a_broken_computer_does_not_stall_the_game(qtbot, board_on, rules):
    state = new_game(rules, "default", 7)
    window = board_on(state, {cid: "human" if i == 0 else "heuristic"
                              for i, cid in enumerate(state.players)})
    broken = state.players[1]
    window.computers[broken] = _Broken()
    end = next(a.id for a in rules.actions if a.kind == "end_turn")
    window.settings.setValue("confirm_end_turn", False)
    window.request_action(Action(end))
    qtbot.waitUntil(lambda: window.is_human_turn() or state.round > 1, timeout=10_000)
    assert state.current_company == state.players[0] or state.round > 1
    boxes = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, QMessageBox) and w.objectName() == "errorBox" and w.isVisible()]
    assert len(boxes) == 1 and "bot bug" in boxes[0].text()
    assert not boxes[0].isModal()
    # again next round: no second box, the skip button still works
    window.request_action(Action(end))
    window.skip_computer()
    boxes = [w for w in QApplication.topLevelWidgets()
             if isinstance(w, QMessageBox) and w.objectName() == "errorBox" and w.isVisible()]
    assert len(boxes) == 1
    assert window.is_human_turn() or state.is_terminal()
