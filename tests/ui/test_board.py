"""The Qt board driven by clicks and keys (pytest-qt, offscreen).

Any exception raised inside a Qt slot fails the test (pytest-qt's default capture is on).
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton

from game.engine import Action, new_game
from game.saves import load_game
from game.ui import autosave

pytestmark = pytest.mark.gui


def build_id(rules) -> str:
    return next(a.id for a in rules.actions if a.kind == "build")


def action_of_kind(rules, kind: str) -> str:
    return next(a.id for a in rules.actions if a.kind == kind)


def activate(qtbot, window) -> None:
    """Shortcuts only fire in the active window."""
    window.activateWindow()
    window.raise_()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_node(qtbot, window, company: str, cap: str) -> None:
    window.tabs.setCurrentIndex(list(window.state.players).index(company))
    view = window.views[company]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.node_center(cap))


def build_by_clicks(qtbot, window, company: str, cap: str) -> None:
    """The first click selects a node, a click on the selected node builds it."""
    click_node(qtbot, window, company, cap)
    click_node(qtbot, window, company, cap)


# ------------------------------------------------------------------ new game


def test_start_a_game_from_the_dialog(qtbot, make_window, rules):
    window = make_window("en")
    window.start()                                   # no autosave: the dialog opens
    dlg = window.new_game_dialog
    assert dlg is not None and dlg.isVisible()
    assert dlg.findChild(type(dlg.scenario), "scenarioCombo").currentData() == "default"
    assert rules.scenarios["default"].text.get("en")[:20] in dlg.scenario_text.text()
    dlg.findChild(type(dlg.scenario), "role_bytedance").setCurrentIndex(0)      # human
    dlg.findChild(type(dlg.scenario), "role_alibaba").setCurrentIndex(1)        # computer
    dlg.findChild(type(dlg.scenario), "level_alibaba").setCurrentIndex(1)       # random
    dlg.findChild(type(dlg.scenario), "role_tencent").setCurrentIndex(2)        # out
    qtbot.mouseClick(dlg.seed_random, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, dlg.seed_random.height() // 2))   # the box, not the blank
    assert not dlg.seed_random.isChecked()
    dlg.seed.setValue(1234)
    click(qtbot, dlg.findChild(QPushButton, "startButton"))
    qtbot.waitUntil(lambda: window.state is not None)
    s = window.state
    assert s.players == ("bytedance", "alibaba")
    assert s.seed == 1234
    assert window.controllers == {"bytedance": "human", "alibaba": "random"}
    assert set(window.panels) == {"bytedance", "alibaba"}


def test_dialog_needs_one_company(qtbot, make_window):
    window = make_window("en")
    dlg = window.show_new_game_dialog()
    for cid in dlg.rows:
        dlg.rows[cid][1].setCurrentIndex(2)
    assert not dlg.ok_button.isEnabled()
    assert dlg.warning.text()


# ------------------------------------------------------------------ playing


def test_build_a_capability_by_clicking_its_node(qtbot, board_on, rules):
    state = new_game(rules, "default", 7)
    window = board_on(state)
    me = state.current_company
    cap = next(c.id for c in rules.capabilities
               if state.why_illegal(Action(build_id(rules), c.id)) is None)
    before = state.company(me).progress[rules.capability_index(cap)]
    click_node(qtbot, window, me, cap)
    assert state.history == []                           # the first click only selects
    assert window.scenes[me].nodes[cap].look.selected
    assert rules.capability(cap).name.get("en") in window.info.toPlainText()
    click_node(qtbot, window, me, cap)
    assert state.history[-1] == Action(build_id(rules), cap)
    assert state.company(me).progress[rules.capability_index(cap)] == before + 1
    assert window.scenes[me].nodes[cap].look.state in ("in_progress", "built")
    assert rules.capability(cap).name.get("en") in window.info.toPlainText()


def test_clicking_a_locked_node_explains_and_changes_nothing(qtbot, board_on, rules):
    state = new_game(rules, "default", 7)
    window = board_on(state)
    me = state.current_company
    cap = next(c.id for c in rules.capabilities if state.node_state(me, c.id) == "locked")
    click_node(qtbot, window, me, cap)
    assert state.history == []
    reason = state.explain(state.why_illegal(Action(build_id(rules), cap)), "en")
    assert reason in window.statusBar().currentMessage()
    assert window.scenes[me].nodes[cap].look.state_text == window.ui.t("node.locked", "en")


def test_illegal_action_is_disabled_with_its_reason(board_on, rules):
    state = new_game(rules, "default", 7)
    window = board_on(state)
    launch = Action(action_of_kind(rules, "launch_app"))
    reason = state.why_illegal(launch)
    assert reason is not None
    button = window.action_bar.buttons[launch]
    assert not button.isEnabled()
    assert state.explain(reason, "en") in button.toolTip()
    legal = [a for a in window.action_bar.buttons if state.why_illegal(a) is None]
    assert legal and all(window.action_bar.buttons[a].isEnabled() for a in legal)


def test_undo_with_ctrl_z(qtbot, board_on, rules):
    state = new_game(rules, "default", 7)
    window = board_on(state)
    sell = next(a for a in window.action_bar.buttons
                if rules.action(a.id).kind == "commerce" and state.why_illegal(a) is None)
    ux = state.company(state.current_company).ux
    click(qtbot, window.action_bar.buttons[sell])
    assert state.history == [sell]
    assert window.undo_button.isEnabled()
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert state.history == []
    assert state.company(state.current_company).ux == ux
    assert not window.undo_button.isEnabled()


def test_end_turn_asks_first_and_then_cannot_be_undone(qtbot, board_on, rules):
    state = new_game(rules, "default", 7)
    window = board_on(state)
    first = state.current_company
    end = Action(action_of_kind(rules, "end_turn"))
    click(qtbot, window.action_bar.buttons[end])
    box = window.confirm_box
    assert box is not None and box.isVisible()
    click(qtbot, box.findChild(QPushButton, "confirmNo"))
    assert state.current_company == first
    click(qtbot, window.action_bar.buttons[end])
    click(qtbot, window.confirm_box.findChild(QPushButton, "confirmYes"))
    assert state.current_company != first
    assert not window.undo_button.isEnabled()


def test_dont_ask_again_skips_the_confirmation(qtbot, board_on, rules):
    state = new_game(rules, "default", 7)
    window = board_on(state)
    end = Action(action_of_kind(rules, "end_turn"))
    click(qtbot, window.action_bar.buttons[end])
    window.confirm_box.checkBox().setChecked(True)
    click(qtbot, window.confirm_box.findChild(QPushButton, "confirmYes"))
    assert not window.a_confirm.isChecked()
    second = state.current_company
    click(qtbot, window.action_bar.buttons[end])
    assert state.current_company != second


def test_keyboard_shortcut_from_the_rules(qtbot, board_on, rules):
    state = new_game(rules, "default", 7)
    window = board_on(state)
    spec = next(a for a in rules.actions if a.kind == "commerce"
                and state.why_illegal(Action(a.id)) is None and len(a.key) == 1)
    activate(qtbot, window)
    qtbot.keyClick(window, spec.key.lower())
    assert state.history == [Action(spec.id)]


def test_computer_turns_play_out_and_skip(qtbot, board_on, rules, ui_settings):
    ui_settings.setValue("pace_ms", 2000)                  # slow: only Skip can be this fast
    state = new_game(rules, "default", 3)
    window = board_on(state, {"bytedance": "heuristic", "alibaba": "human",
                              "tencent": "heuristic"})
    assert window.ai_timer.isActive()
    assert window.skip_button.isEnabled()
    click(qtbot, window.skip_button)
    assert state.current_company == "alibaba"
    assert not window.ai_timer.isActive()
    assert len(state.history) > 0


# ------------------------------------------------------------------ explaining


def test_node_on_another_board_shows_explanation_and_fact(qtbot, board_on, rules):
    state = new_game(rules, "default", 7)
    window = board_on(state)
    other = next(c for c in state.players if c != state.current_company)
    cap = next(c for c in rules.capabilities if c.source)
    click_node(qtbot, window, other, cap.id)
    text = window.info.toPlainText()
    assert cap.text.get("en")[:30] in text
    assert cap.source[0] in text
    assert rules.facts[cap.source[0]].get("en")[:30] in text
    assert state.history == []


def test_event_card_shows_the_rounds_events(board_on, rules):
    state = new_game(rules, "default", 7)
    assert state.round_events, "the default scenario schedules an event in round 1"
    window = board_on(state)
    assert window.event_card.isVisible()
    ev = rules.events[state.round_events[0]]
    assert ev.name.get("en") in window.event_card.body.text()
    assert ev.source[0] in window.event_card.body.text()


def test_log_panel_renders_the_log(board_on, rules):
    from game.engine import render_log

    state = new_game(rules, "default", 7)
    window = board_on(state)
    model = window.log_view.model()
    assert model.rowCount() == len(state.log)
    assert model.data(model.index(0, 0)) == render_log(rules, state.log[0], "en")


def test_the_log_shows_each_company_s_mark_after_a_new_game_and_a_language_switch(board_on, rules):
    """The companies' marks are images of the log's document; clearing the document (a new
    game, another language, the whole log taken back) drops a document's images, so they are
    added again each time: never a broken-image icon in their place."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QImage, QTextDocument

    state = new_game(rules, "default", 7)
    window = board_on(state)
    view = window.log_view

    def marks_shown() -> bool:
        doc = view.document()
        return all(isinstance(doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(f"mark:{cid}")),
                              QImage) for cid in state.players)

    assert view.rebuilds >= 1 and marks_shown()
    window.set_language("zh")
    window.set_game(new_game(rules, "default", 8))
    assert marks_shown()
    view.model().set_entries([], "zh")          # every row taken back: the document cleared
    view.model().set_entries(window.state.log, "zh")
    assert marks_shown()


# ------------------------------------------------------------------ language, zoom


def test_switch_language_while_playing(qtbot, board_on, rules):
    state = new_game(rules, "default", 7)
    window = board_on(state, lang="zh")
    year, quarter = state.year_quarter
    assert "季度" in window.status_header.quarter.text()
    end = Action(action_of_kind(rules, "end_turn"))
    assert window.action_bar.buttons[end].text().startswith(rules.action(end.id).name.get("zh"))
    zh_log = window.log_view.model().data(window.log_view.model().index(0, 0))
    click(qtbot, window.findChild(QPushButton, "langButton"))
    assert window.lang == "en"
    assert window.status_header.quarter.text().startswith(f"{year} Q{quarter}")
    assert window.action_bar.buttons[end].text().startswith(rules.action(end.id).name.get("en"))
    assert window.log_view.model().data(window.log_view.model().index(0, 0)) != zh_log
    assert window.menuBar().actions()[0].text() == "&File"
    assert state.history == []                              # nothing restarted


def test_zoom_keys_and_large_text(qtbot, board_on, rules):
    window = board_on(new_game(rules, "default", 7))
    z = window.zoom
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom > z
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom == pytest.approx(z)
    window.a_large.trigger()
    assert window.zoom >= 1.5
    window.a_large.trigger()
    assert window.zoom == pytest.approx(1.0)


# ------------------------------------------------------------------ files


def test_save_and_reopen(qtbot, board_on, make_window, rules, tmp_path, monkeypatch):
    state = new_game(rules, "default", 11)
    window = board_on(state, {"bytedance": "human", "alibaba": "human", "tencent": "random"})
    sell = next(a for a in window.action_bar.buttons
                if rules.action(a.id).kind == "commerce" and state.why_illegal(a) is None)
    click(qtbot, window.action_bar.buttons[sell])
    path = tmp_path / "class.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    window.a_save_as.trigger()
    assert path.exists()
    assert json.loads(path.read_text(encoding="utf-8"))["meta"]["controllers"]["tencent"] == "random"
    other = make_window("en")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    other.a_open.trigger()
    assert other.state is not None
    assert other.state.snapshot() == state.snapshot()
    assert other.controllers == window.controllers
    assert other.save_path == path


def test_bad_save_is_a_message_not_a_traceback(qtbot, make_window, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    window = make_window("en")
    assert window.open_file(bad) is False
    box = window.findChild(QMessageBox, "errorBox")
    assert box is not None and box.isVisible()
    assert "JSON" in box.text()
    assert window.state is None


def test_autosave_each_round_and_resume(qtbot, board_on, make_window, rules):
    state = new_game(rules, "default", 5)
    first = board_on(state)
    path = autosave.autosave_path()
    assert path.exists()                                   # saved at the start of round 1
    saved, meta = load_game(rules, path)
    assert saved.round == 1 and meta.autosave is True
    first.close()                                          # its game waits for the next window
    window = make_window("en")
    window.start()
    box = window.resume_box
    assert box is not None and box.isVisible()
    click(qtbot, box.findChild(QPushButton, "resumeYes"))
    assert window.state is not None and window.state.snapshot() == saved.snapshot()


def test_declining_resume_removes_the_autosave(qtbot, board_on, make_window, rules):
    board_on(new_game(rules, "default", 5)).close()
    assert autosave.autosave_path().exists()
    window = make_window("en")
    window.start()
    click(qtbot, window.resume_box.findChild(QPushButton, "resumeNo"))
    assert not autosave.autosave_path().exists()
    assert window.new_game_dialog is not None


# ------------------------------------------------------------------ a whole game


def test_three_computers_play_to_the_debrief(qtbot, make_window, rules, ui_settings):
    ui_settings.setValue("pace_ms", 0)
    window = make_window("en")
    dlg = window.show_new_game_dialog()
    for cid in dlg.rows:
        dlg.rows[cid][1].setCurrentIndex(1)                # computer
        dlg.rows[cid][2].setCurrentIndex(0)                # heuristic
    click(qtbot, dlg.findChild(QPushButton, "startButton"))
    qtbot.waitUntil(lambda: window.state is not None)
    assert set(window.controllers.values()) == {"heuristic"}
    qtbot.waitUntil(lambda: window.debrief is not None, timeout=120_000)
    s = window.state
    assert s.is_terminal() and s.winner_id in s.players
    assert window.debrief.isVisible()
    assert not autosave.autosave_path().exists()           # a finished game leaves no autosave
    assert window.status_header.turn.text().startswith("Game over")
    assert not any(b.isEnabled() for b in window.action_bar.buttons.values())
    window.set_language("zh")                              # the debrief follows the language


def test_screenshot_renders(tmp_path):
    from game.ui.screenshot import render_screenshot

    out = tmp_path / "board.png"
    render_screenshot(str(out), lang="en", seed=7, actions=10)
    assert out.exists() and out.stat().st_size > 20_000


def test_a_screenshot_with_searching_computers_shows_the_last_one_s_reason(tmp_path, monkeypatch):
    """``--screenshot ... --computers hard``: the computers play their turns before the
    person's in the window (on the worker), so the picture has the last reason in the caption
    (in projector mode under the company panels) and in the log."""
    import game.ui.mainwindow as mw
    from game.ui.screenshot import render_screenshot

    seen: dict = {}
    grab = mw.MainWindow.grab

    def looked_at(self, *args):
        cid = self.state.current_company
        seen.update(human=self.is_human_turn(), exp=self.last_explained,
                    shown=self.views[cid].caption.isVisible(), line=self.views[cid].caption.line,
                    log=self.log_view.document().toPlainText())
        return grab(self, *args)

    monkeypatch.setattr(mw.MainWindow, "grab", looked_at)
    out = tmp_path / "hard.png"
    render_screenshot(str(out), lang="en", seed=7, size=(1280, 720), projector=True, computers="hard")
    assert out.exists() and out.stat().st_size > 20_000
    assert seen["human"] and seen["exp"] is not None and seen["shown"]
    assert seen["line"] == seen["exp"].line("en") and seen["line"] in seen["log"]


def test_goal_points_show_on_the_company_panels(qtbot, board_on, rules):
    """In a scenario won on goal points, every panel shows the company's points and how to score."""
    scen = next((s for s in rules.scenarios.values() if s.victory_points), None)
    if scen is None:
        pytest.skip("no scenario is won on goal points")
    state = new_game(rules, scen.id, 3)
    state.company(state.players[0]).points = 4.25
    window = board_on(state)
    panel = window.panels[state.players[0]]
    value = panel.values["gmv"]
    for per_row in (0, 2):      # the full panel (beside the GMV) and the compact (in the title)
        panel.set_compact(per_row)
        panel.refresh(state, "en")
        shown = value.text() + " " + panel.title.text()
        assert "4.2 pts" in shown or "4.3 pts" in shown
    assert "Goal points" in value.toolTip()
