"""What makes the app answer quickly, checked as behaviour (never as timing: the machine is
noisy): computer turns at pace 0 update the view once per turn, the log is appended to and not
laid out again, a refresh with nothing changed repaints nothing, numpy waits for the first game,
and ``bench-ui`` runs end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication

from game.engine import Action, new_game
from game.session import SessionHooks

ROOT = Path(__file__).resolve().parents[2]


def end_turn_id(rules) -> str:
    return next(a.id for a in rules.actions if a.kind == "end_turn")


class TurnsSeen(SessionHooks):
    def __init__(self) -> None:
        self.computer_turns = 0
        self.computer_actions = 0

    def on_action(self, state, move) -> None:
        if move.by_computer:
            self.computer_actions += 1
            if state.rules.action(move.action.id).kind == "end_turn":
                self.computer_turns += 1


def test_a_pace_0_computer_turn_updates_the_view_once(qtbot, board_on, rules, monkeypatch):
    state = new_game(rules, "default", 7)
    first = state.current_company                  # a person moves first, the computers next
    others = [c for c in state.players if c != first]
    window = board_on(state, {first: "human", **{c: "heuristic" for c in others}})
    assert window.pace.value() == 0 and window.is_human_turn()
    seen = TurnsSeen()
    window.session.add_hooks(seen)
    refreshes = []
    real = window.refresh
    monkeypatch.setattr(window, "refresh", lambda: (refreshes.append(state.current_company), real()))
    window.settings.setValue("confirm_end_turn", False)
    window.request_action(Action(end_turn_id(rules)))
    qtbot.waitUntil(lambda: window.is_human_turn() and window.state.current_company == first,
                    timeout=20000)
    assert seen.computer_turns >= len(others)
    assert seen.computer_actions > seen.computer_turns        # several actions a turn...
    assert len(refreshes) == 1 + seen.computer_turns           # ...one view update each


def test_a_computer_turn_waits_for_the_repaint_of_the_last_move(qtbot, board_on, rules, monkeypatch):
    """At pace 0 the computer moves after the window has shown the person's move, not before
    (its turn starts from a posted event that comes after Qt's update request)."""
    state = new_game(rules, "default", 7)
    first = state.current_company
    window = board_on(state, {c: "human" if c == first else "heuristic" for c in state.players})
    assert window.is_human_turn()
    window.settings.setValue("confirm_end_turn", False)
    qtbot.wait(50)
    slow = window._autosave      # a slow disk: a timer set in the click is due before the repaint
    monkeypatch.setattr(window, "_autosave", lambda *a, **k: (time.sleep(0.05), slow(*a, **k))[1])
    order: list[str] = []

    class Watch(QObject):
        def eventFilter(self, obj, event):     # noqa: N802
            if event.type() == QEvent.Type.Paint and not order:
                order.append("paint")
            return False

    watch = Watch()
    QApplication.instance().installEventFilter(watch)
    window.session.add_hooks(type("H", (SessionHooks,), {      # a computer's choice only
        "on_choice": lambda self, s, c, a: order.append("computer")})())
    try:
        window.request_action(Action(end_turn_id(rules)))
        assert order == []                       # nothing played inside the click
        qtbot.waitUntil(lambda: "computer" in order, timeout=10000)
    finally:
        QApplication.instance().removeEventFilter(watch)
    assert order[0] == "paint", order


def test_the_log_is_appended_not_rebuilt(qtbot, board_on, rules):
    state = new_game(rules, "default", 7)
    window = board_on(state)
    view, model = window.log_view, window.log_model
    rebuilds = view.rebuilds
    doc = view.document()
    assert doc.blockCount() == model.rowCount() == len(state.log)
    first_block = doc.firstBlock().text()
    for _ in range(3):
        before = model.rowCount()
        appended = view.appended_rows
        action = next(a for a in state.legal_actions() if rules.action(a.id).kind != "end_turn")
        window.apply(action)
        assert model.rowCount() > before
        assert view.appended_rows - appended == model.rowCount() - before   # only the new rows
    assert view.rebuilds == rebuilds                        # the whole log never laid out again
    assert doc.firstBlock().text() == first_block
    assert doc.blockCount() == len(state.log)
    assert doc.lastBlock().text().endswith(model.text(model.rowCount() - 1))
    # an undo cuts the rows it took back from the end, still without a rebuild
    window.undo()
    assert doc.blockCount() == model.rowCount() == len(state.log)
    assert view.rebuilds == rebuilds
    # another language is a new text for every row: the one time the log is laid out again
    window.set_language("zh")
    assert view.rebuilds == rebuilds + 1
    assert doc.firstBlock().text().endswith(model.text(0))


def test_a_click_on_a_log_row_explains_it(qtbot, board_on, rules):
    state = new_game(rules, "default", 7)
    window = board_on(state)
    view = window.log_view
    row = next(i for i, e in enumerate(state.log) if e.key == "event" or "event" in e.params)
    view.scroll_to_row(row)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.row_rect(row).center())
    assert window.info.subject[0] == "event"


def test_a_refresh_with_nothing_changed_repaints_nothing(qtbot, board_on, rules):
    state = new_game(rules, "default", 7)
    window = board_on(state)
    window.apply(next(a for a in state.legal_actions() if rules.action(a.id).kind != "end_turn"))
    qtbot.wait(50)
    painted: list[str] = []

    class Watch(QObject):
        def eventFilter(self, obj, event):     # noqa: N802
            if event.type() == QEvent.Type.Paint:
                painted.append(f"{type(obj).__name__} {obj.objectName()}")
            return False

    watch = Watch()
    app = QApplication.instance()
    app.installEventFilter(watch)
    try:
        quiet = 0          # first let whatever is still pending paint (a loaded machine is slow)
        for _ in range(200):
            painted.clear()
            qtbot.wait(10)
            quiet = quiet + 1 if not painted else 0
            if quiet >= 5:
                break
        painted.clear()
        window.refresh()
        for _ in range(5):
            app.processEvents()
    finally:
        app.removeEventFilter(watch)
    assert painted == [], painted


def test_the_company_panels_have_no_style_sheet(board_on, rules):
    """Their frame is painted: a turn changing hands re-polishes no panel's children."""
    state = new_game(rules, "default", 7)
    window = board_on(state)
    assert all(p.styleSheet() == "" for p in window.panels.values())
    active = [cid for cid, p in window.panels.items() if p._active]
    assert active == [state.current_company]


def test_numpy_waits_for_the_first_game():
    code = ("import sys, game.cli; print(type(sys.modules['numpy']).__name__); "
            "from game.engine import load_rules, new_game; from game.paths import RULES_DIR; "
            "s = new_game(load_rules(RULES_DIR), 'default', 3); "
            "print(type(sys.modules['numpy']).__name__, type(s.chance.draws).__name__)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["Deferred", "module", "ndarray"]


def test_bench_ui_runs_end_to_end_and_writes_json(tmp_path):
    out = tmp_path / "ui.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CLOSED_LOOP_DATA_DIR=str(tmp_path / "data"))
    run = subprocess.run([sys.executable, "main.py", "bench-ui", "--repeats", "1", "--cold-repeats", "1",
                          "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=600,
                         env=env)
    assert run.returncode == 0, run.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    for key in ("sell", "select_node", "build", "end_turn", "end_turn_quarter", "end_turn_round_trip"):
        fig = data["clicks"][key]
        assert fig["n"] == 1 and fig["median_ms"] > 0 and fig["p95_ms"] >= fig["median_ms"]
    assert data["clicks"]["computer_turns"]["view_refreshes_in_computer_turns"] == \
        data["clicks"]["computer_turns"]["turns_per_round_trip"]
    cold = data["cold_start"]
    assert len(cold["app_s"]) == len(cold["bare_s"]) == 1 and cold["ratio"] > 0
    assert set(data["meets"]) >= {"sell", "build", "end_turn", "cold_start"}
    assert "written to" in run.stdout
