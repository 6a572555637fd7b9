"""Monkey test: thousands of seeded random inputs over whole sessions of the real app.

The long runs go through ``python -m game.ui.monkey`` in subprocesses (two seeds at once, one per
core): a hang there ends that process with the trail and the stacks (the monkey's watchdog), and
the test fails with that message instead of running into the CI timeout. The detectors
themselves (exceptions, stalls, blocking modals, the watchdog) are checked in-process here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from game.ui.monkey import Monkey

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
RUNS = {11: "zh", 12: "en"}       # seed -> language
ACTIONS = 1200                    # per seed; about 25 s each on a 2-core machine
RUN_TIMEOUT = 300                 # the watchdog ends a hung step after 20 s; this is the backstop


def _tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(none)"
    keep = [line for line in text.splitlines() if "propagateSizeHints" not in line]
    return "\n".join(keep[-lines:])


@pytest.fixture(scope="module")
def monkey_runs(tmp_path_factory):
    """Both seeds start at once; each test waits for its own."""
    runs = {}
    for seed, lang in RUNS.items():
        d = tmp_path_factory.mktemp(f"monkey-{seed}")
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CLOSED_LOOP_DATA_DIR=str(d / "data"))
        cmd = [sys.executable, "-m", "game.ui.monkey", "--actions", str(ACTIONS), "--seed", str(seed),
               "--lang", lang, "--out", str(d / "report.json"), "--trail", str(d / "trail.txt"),
               "--hang", "20"]
        with open(d / "stdout.txt", "w") as out, open(d / "stderr.txt", "w") as err:
            proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=err)
        runs[seed] = (proc, d, time.monotonic())
    yield runs
    for proc, _, _ in runs.values():
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("seed", list(RUNS))
def test_random_inputs_find_no_exception_stall_or_hang(monkey_runs, seed):
    proc, d, started = monkey_runs[seed]
    try:
        rc = proc.wait(timeout=max(1.0, RUN_TIMEOUT - (time.monotonic() - started)))
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        pytest.fail(f"monkey seed {seed} still running after {RUN_TIMEOUT} s; last inputs:\n"
                    f"{_tail(d / 'trail.txt', 30)}")
    assert rc == 0, (f"monkey seed {seed} failed (exit {rc}; 3 = hang). Replay: python -m "
                     f"game.ui.monkey --actions {ACTIONS} --seed {seed} --lang {RUNS[seed]}\n"
                     f"{_tail(d / 'stdout.txt', 200)}\n--- stderr ---\n{_tail(d / 'stderr.txt')}")
    report = json.loads((d / "report.json").read_text(encoding="utf-8"))
    assert report["ok"] and report["inputs"] == ACTIONS
    # whole sessions, not one screen: games start and end, dialogs are answered, restarts
    assert report["games_started"] >= 5 and report["games_finished"] >= 1, report
    for kind in ("play", "click", "key", "menu", "answer", "resize", "zoom", "popup", "restart"):
        assert report["counts"].get(kind, 0) > 0, (kind, report["counts"])
    assert report["step_max_ms"] <= 1000


# ------------------------------------------------------------------ the detectors, in-process

@pytest.fixture
def monkey(make_window, tmp_path):
    font = QFont(QApplication.font())      # the app zooms QApplication's font: put it back
    window = make_window("en")
    yield Monkey(window, seed=5, folder=tmp_path / "monkey")
    QApplication.setFont(font)


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_is_a_failure_with_the_trail(monkey):
    def boom() -> None:
        raise ValueError("boom in a slot")

    with monkey.session():
        monkey.do("test", "nothing", lambda: None)
        monkey.do("test", "a timer's slot raises", lambda: QTimer.singleShot(0, boom))
    [f] = monkey.failures.values()
    assert f.kind == "exception" and "boom in a slot" in f.message and "ValueError" in f.detail
    assert f.input == "#1 test a timer's slot raises" == f.trail[-1]
    assert "#0 test nothing" in f.text() and "#1 test a timer's slot raises" in f.text()


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_an_override_is_a_failure(monkey, qtbot):
    class Broken(QWidget):
        armed = False

        def resizeEvent(self, event) -> None:     # PySide6 raises this in the caller
            if self.armed:
                raise KeyError("resize")

    w = Broken()
    qtbot.addWidget(w)
    w.show()
    w.armed = True
    with monkey.session():
        monkey.do("test", "resize a broken widget", lambda: w.resize(321, 123))
    [f] = monkey.failures.values()
    assert f.kind == "exception" and "resize" in f.message


def test_a_caught_and_printed_exception_is_a_failure(monkey):
    def swallow() -> None:                         # as the app does for an engine error
        try:
            {}["missing"]
        except KeyError:
            traceback.print_exc()

    with monkey.session():
        monkey.do("test", "swallow", swallow)
    [f] = monkey.failures.values()
    assert f.kind == "caught" and "missing" in f.message


def test_a_slow_step_is_a_stall(monkey):
    monkey.stall_s = 0.2
    with monkey.session():
        monkey.do("test", "fast", lambda: None)
        monkey.do("test", "slow", lambda: time.sleep(0.3))
    [f] = monkey.failures.values()
    assert f.kind == "stall" and f.input == "#1 test slow"


def test_a_blocking_modal_is_reported_and_closed(monkey):
    with monkey.session():
        monkey.do("test", "modal", lambda: QMessageBox.warning(monkey.window, "t", "blocks"))
    [f] = monkey.failures.values()
    assert f.kind == "modal" and "QMessageBox" in f.message
    assert "test_monkey.py" in f.detail           # the stack names the exec() call
    assert QApplication.activeModalWidget() is None


def test_file_dialogs_answer_from_the_monkeys_folder_and_are_put_back(monkey):
    before = sys.excepthook, QFileDialog.getOpenFileName, QFileDialog.getSaveFileName
    with monkey.session():
        answers = {QFileDialog.getOpenFileName(None, "", "", "")[0] for _ in range(40)}
        saves = {QFileDialog.getSaveFileName(None, "", "x.png", "")[0] for _ in range(20)}
    assert "" in answers and "" in saves                  # sometimes cancelled
    assert all(a.startswith(str(monkey.folder)) for a in answers | saves if a)
    assert any(a.endswith("finished.json") for a in answers)
    assert any("/bad/" in a for a in answers)
    assert (sys.excepthook, QFileDialog.getOpenFileName, QFileDialog.getSaveFileName) == before


def test_a_short_random_session_in_process(monkey):
    report = monkey.run(actions=150)
    assert report.ok, report.summary()
    assert report.inputs == 150 and report.games_started >= 1


@pytest.mark.parametrize("loop, code", [
    ("while True: pass", 3),                              # the watchdog thread reports it
    ("import re; re.match('(a+)+$', 'a' * 64 + 'b')", 1),  # holds the GIL: faulthandler's exit
])
def test_the_watchdog_ends_a_hung_step_with_its_stack(tmp_path, loop, code):
    script = ("import sys\nfrom game.ui.monkey import Watchdog\n"
              "w = Watchdog(0.5, lambda m: print(m, file=sys.stderr, flush=True), backstop_s=0.5)\n"
              "w.__enter__()\nw.arm('#7 resize 1600x1237')\n" + loop + "\n")
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert proc.returncode == code, proc.stderr
    assert "most recent call first" in proc.stderr
    if code == 3:
        assert "#7 resize 1600x1237" in proc.stderr
