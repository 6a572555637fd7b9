"""Regression tests for the faults random input found (issue 9), driving the real widgets.

Each test reproduces one fault the way a user met it: a resize loop in large-text mode, a
new game that leaves a company out, a save whose metadata the app did not expect, a damaged
settings file, an autosave folder that cannot be written, a full disk.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from game.engine import new_game
from game.saves import load_game, save_game
from game.ui import autosave

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]


def error_texts(window) -> list[str]:
    return [b.text() for b in window.findChildren(QMessageBox, "errorBox") if b.isVisible()]


# ------------------------------------------------------------------ the large-text freeze


class ResizeCounter(QObject):
    """Counts resizes of a view; past ``limit`` it breaks the loop (so a regression fails
    instead of hanging the test run) by fixing the scroll bar."""

    def __init__(self, view, limit: int = 200):
        super().__init__()
        self.view, self.limit, self.count, self.broke = view, limit, 0, False

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.count += 1
            if self.count > self.limit and not self.broke:
                self.broke = True
                self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        return False


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_large_text_resize_settles(qtbot, make_window, rules, lang):
    """At the sizes where a shown/hidden scroll bar used to resize the board forever."""
    window = make_window(lang)
    state = new_game(rules, "default", 1)
    window.set_game(state, {cid: "human" for cid in state.players})
    counters = {}
    for cid, view in window.views.items():
        counters[cid] = ResizeCounter(view)
        view.viewport().installEventFilter(counters[cid])
    most = 0
    # the heights where the loop was seen (English 1237, Chinese 1177-1185) and around them
    for height in [*range(1174, 1190), *range(1232, 1242)]:
        for step in (lambda: window.resize(1600, height), lambda: window.apply_zoom(1.5),
                     window.show_events, window.event_card.hide, lambda: window.apply_zoom(1.0)):
            for c in counters.values():
                c.count = 0
            step()
            QApplication.processEvents()
            most = max(most, *(c.count for c in counters.values()))
            assert not any(c.broke for c in counters.values()), f"resize loop at height {height}"
    assert most <= 12          # a few layout passes; the old loop ran past 200


def test_large_text_fits_the_width_and_scrolls(qtbot, make_window, rules):
    window = make_window("en")
    state = new_game(rules, "default", 1)
    window.set_game(state, {cid: "human" for cid in state.players})
    window.resize(1600, 900)
    window.apply_zoom(1.5)
    QApplication.processEvents()
    view = window.views[state.current_company]
    scene_w = view.sceneRect().width() * view.transform().m11()
    assert scene_w <= view.viewport().width() + 1          # no horizontal overflow
    assert scene_w >= 0.9 * view.viewport().width()        # and the text is not shrunk back
    window.apply_zoom(1.0)
    QApplication.processEvents()
    rect = view.sceneRect()
    s = view.transform().m11()
    assert rect.width() * s <= view.viewport().width() + 1
    assert rect.height() * s <= view.viewport().height() + 1   # normal text: the whole board


# ------------------------------------------------------------------ a company leaves the game


def test_new_game_without_the_company_last_explained(qtbot, make_window, rules):
    window = make_window("en")
    state = new_game(rules, "default", 2)
    window.set_game(state, {cid: "human" for cid in state.players})
    window.scenes["tencent"].nodeHovered.emit("tencent", "own_payment")   # hover a Tencent node
    assert window.info.subject[2] == "tencent"
    two = [c for c in state.players if c != "tencent"]
    smaller = new_game(rules, "default", 3, companies=two)
    window.set_game(smaller, {two[0]: "human", two[1]: "heuristic"})
    assert "tencent" not in window.scenes
    window.set_language("zh")                        # re-renders the explanation panel
    window.set_language("en")
    # the game is whole: the computer moves once the person ends the turn
    end = next(a.id for a in rules.actions if a.kind == "end_turn")
    window.settings.setValue("confirm_end_turn", False)
    from game.engine import Action

    window.request_action(Action(end))
    qtbot.waitUntil(lambda: len(smaller.history) > 3, timeout=10_000)   # the computer's moves


# ------------------------------------------------------------------ save metadata


@pytest.mark.parametrize("controllers", [[1, 2, 3], "heuristic", {"tencent": 7},
                                         {"nobody": "human"}])
def test_save_with_wrong_controllers_is_refused_by_app_and_replay(qtbot, make_window, rules,
                                                                   tmp_path, controllers):
    state = new_game(rules, "default", 4)
    path = save_game(state, tmp_path / "odd.json", {"controllers": controllers})
    window = make_window("en")
    assert window.open_file(path) is False
    assert window.state is None
    [text] = error_texts(window)
    assert "meta.controllers" in text
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "replay", str(path)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 1
    assert "meta.controllers" in out.stderr and "Traceback" not in out.stderr
    # the same reason, word for word, in the app and in replay
    reason = text.splitlines()[-1]
    assert reason in out.stderr


def test_set_game_survives_controllers_of_the_wrong_type(qtbot, make_window, rules):
    window = make_window("en")
    state = new_game(rules, "default", 4)
    window.set_game(state, ["heuristic"])            # a caller's mistake: everyone a person
    assert set(window.controllers.values()) == {"human"}


# ------------------------------------------------------------------ startup


def test_damaged_autosave_in_a_read_only_folder(qtbot, make_window, read_only,
                                                _isolated_data):
    _isolated_data.mkdir(parents=True)
    (_isolated_data / "autosave.json").write_text("{damaged", encoding="utf-8")
    read_only(_isolated_data)
    window = make_window("en")
    window.start()                                   # no OSError: it says what it could not do
    texts = " ".join(error_texts(window))
    assert "could not be read, nor removed" in texts
    assert "Autosave could not save" in texts
    assert window.autosave_warning.isVisible()
    assert window.new_game_dialog is not None and window.new_game_dialog.isVisible()


def started_on_a_read_only_autosave(make_window, rules, read_only, folder):
    """A window started on an unfinished autosave in a folder it cannot write: (window, game)."""
    state = new_game(rules, "default", 5)
    save_game(state, folder / "autosave.json", {"autosave": True})
    read_only(folder)
    window = make_window("en")
    window.start()
    return window, state


def test_declining_resume_in_a_read_only_folder(qtbot, make_window, rules, read_only,
                                                _isolated_data):
    window, _ = started_on_a_read_only_autosave(make_window, rules, read_only, _isolated_data)
    box = window.resume_box
    qtbot.mouseClick(box.findChild(QPushButton, "resumeNo"), Qt.MouseButton.LeftButton)
    assert any("could not be removed" in t for t in error_texts(window))
    assert window.new_game_dialog is not None and window.new_game_dialog.isVisible()


def test_resume_in_a_read_only_folder_plays_on(qtbot, make_window, rules, read_only,
                                               _isolated_data):
    window, state = started_on_a_read_only_autosave(make_window, rules, read_only,
                                                    _isolated_data)
    qtbot.mouseClick(window.resume_box.findChild(QPushButton, "resumeYes"),
                     Qt.MouseButton.LeftButton)
    assert window.state is not None and window.state.snapshot() == state.snapshot()
    assert window.autosave_warning.isVisible()       # it cannot autosave, and says so


def test_corrupt_settings_do_not_stop_the_app(qtbot, rules, tmp_path, app_font):
    from game.ui.mainwindow import MainWindow

    ini = tmp_path / "bad.ini"
    ini.write_text("[General]\nzoom=abc\npace_ms=-5\nlang=fr\nconfirm_end_turn=maybe\n",
                   encoding="utf-8")
    settings = QSettings(str(ini), QSettings.Format.IniFormat)
    window = MainWindow(rules, settings=settings)
    qtbot.addWidget(window)
    window.show()
    assert window.zoom == 1.0 and window.lang == "zh" and window.pace.value() == 600
    assert window._confirm_end() is True
    window.start()
    message = window.statusBar().currentMessage()
    for key in ("zoom", "pace_ms", "lang", "confirm_end_turn"):
        assert key in message


# ------------------------------------------------------------------ saving that cannot fail silently


def test_autosave_failure_is_shown_at_once_with_a_way_out(qtbot, board_on, rules, monkeypatch,
                                                          tmp_path):
    import game.ui.mainwindow as mw
    from PySide6.QtWidgets import QFileDialog

    state = new_game(rules, "default", 6)
    window = board_on(state)

    def full_disk(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(mw, "save_game", full_disk)
    sell = next(a for a in window.action_bar.buttons
                if rules.action(a.id).kind == "commerce" and state.why_illegal(a) is None)
    qtbot.mouseClick(window.action_bar.buttons[sell], Qt.MouseButton.LeftButton)
    [text] = error_texts(window)
    assert "No space left on device" in text
    assert window.autosave_warning.isVisible()
    # the next failures do not pile up boxes, the mark stays
    window.apply(next(a for a in state.legal_actions() if rules.action(a.id).kind != "end_turn"))
    assert len(error_texts(window)) == 1
    # "Save elsewhere" saves the game to a folder of the player's choice
    monkeypatch.undo()
    target = tmp_path / "elsewhere.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    box = window.findChild(QMessageBox, "errorBox")
    qtbot.mouseClick(box.findChild(QPushButton, "saveElsewhere"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(target.exists)
    assert load_game(rules, target)[0].snapshot() == state.snapshot()
    # autosave works again after the next action: the mark goes away
    window.apply(next(a for a in state.legal_actions() if rules.action(a.id).kind != "end_turn"))
    assert not window.autosave_warning.isVisible()


def test_failed_save_offers_to_save_elsewhere(qtbot, board_on, rules, tmp_path):
    window = board_on(new_game(rules, "default", 6))
    blocked = tmp_path / "a-file"
    blocked.write_text("x", encoding="utf-8")
    assert window.save_to(blocked / "game.json") is False      # a folder that is a file
    box = window.findChild(QMessageBox, "errorBox")
    assert box.findChild(QPushButton, "saveElsewhere") is not None


def test_autosave_after_every_action(qtbot, board_on, rules):
    state = new_game(rules, "default", 7)
    window = board_on(state)
    for _ in range(3):
        action = next(a for a in state.legal_actions() if rules.action(a.id).kind != "end_turn")
        window.apply(action)
        saved, meta = load_game(rules, window.autosave_slot.path)
        assert saved.history == state.history and meta.autosave is True


def test_one_autosave_slot_per_window(qtbot, board_on, make_window, rules):
    a = board_on(new_game(rules, "default", 8))
    b = board_on(new_game(rules, "default", 9))
    assert a.autosave_slot.path != b.autosave_slot.path
    assert load_game(rules, a.autosave_slot.path)[0].seed == 8
    assert load_game(rules, b.autosave_slot.path)[0].seed == 9
    # a third window started while both play is offered neither of their games
    c = make_window("en")
    c.start()
    assert getattr(c, "resume_box", None) is None and c.new_game_dialog is not None
    # once b closes, its game waits for the next window
    b.close()
    d = make_window("en")
    d.start()
    assert d.resume_box is not None
    qtbot.mouseClick(d.resume_box.findChild(QPushButton, "resumeYes"), Qt.MouseButton.LeftButton)
    assert d.state.seed == 9 and d.autosave_slot.path == slot_of(b)


def slot_of(window) -> Path:
    return window.autosave_slot.path


def test_stale_temporary_files_are_cleaned(qtbot, board_on, rules, _isolated_data):
    _isolated_data.mkdir(parents=True)
    stale = _isolated_data / ".autosave.json.abc123.tmp"
    stale.write_text("half a save", encoding="utf-8")
    os.utime(stale, (1, 1))                          # left by a kill long ago
    fresh = _isolated_data / ".autosave.json.def456.tmp"
    fresh.write_text("a write in progress", encoding="utf-8")
    board_on(new_game(rules, "default", 10))
    assert not stale.exists()
    assert fresh.exists()                            # possibly another program's live write
    assert json.loads(autosave.autosave_path().read_text(encoding="utf-8"))["seed"] == 10


def app_until_said(args: list[str], env: dict, wanted: tuple[str, ...]) -> tuple[bool, str]:
    """Start ``python main.py ARGS`` in a real process and read its stderr until every ``wanted``
    text has appeared (30 s at most); then kill it. Returns (still running then, stderr)."""
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), *args],
                            env=dict(os.environ, QT_QPA_PLATFORM="offscreen", **env), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
    reader.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None \
            and not all(w in "".join(lines) for w in wanted):
        time.sleep(0.1)
    running = proc.poll() is None
    proc.kill()                                      # a window, or a message box, waits for a user
    proc.wait(timeout=30)
    reader.join(timeout=10)
    return running, "".join(lines)


def test_the_app_starts_with_a_read_only_folder_damaged_autosave_and_bad_settings(
        read_only, tmp_path):
    """``python main.py`` as a class would start it, in a real process: it opens and says what
    it could not do, with no traceback."""
    data, config = tmp_path / "data", tmp_path / "config" / "closed-loop"
    data.mkdir()
    config.mkdir(parents=True)
    (data / "autosave.json").write_text("{damaged", encoding="utf-8")
    (config / "closed-loop.conf").write_text("[General]\nzoom=abc\n", encoding="utf-8")
    read_only(data)
    wanted = ("zoom = 'abc'", "could not be read, nor removed", "Autosave could not save")
    running, err = app_until_said(
        ["--lang", "en"], {"CLOSED_LOOP_DATA_DIR": str(data),
                           "XDG_CONFIG_HOME": str(tmp_path / "config")}, wanted)
    assert running, err                              # the window is up, not crashed
    assert "Traceback" not in err
    for w in wanted:
        assert w in err


def test_the_app_with_a_broken_rules_folder_names_the_file(tmp_path):
    """A non-UTF-8 rules file: the app says which file and why (no traceback, no crash)."""
    from game.testing import copy_rules

    folder = copy_rules(tmp_path / "rules")
    with open(folder / "actions.toml", "ab") as fh:
        fh.write(b"\xff\xfe broken")
    _, err = app_until_said(["--rules", str(folder)],
                            {"CLOSED_LOOP_DATA_DIR": str(tmp_path / "d"),
                             "XDG_CONFIG_HOME": str(tmp_path / "c")}, ("not UTF-8",))
    assert "actions.toml" in err and "not UTF-8" in err
    assert "Traceback" not in err
