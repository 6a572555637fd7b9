"""kill -9 in the middle of a turn: the next start resumes with every completed action (issue 9)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from game.engine import Action

pytestmark = pytest.mark.gui
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def play_and_kill(moves: int, data: Path, config: Path) -> list[str]:
    env = dict(os.environ, CLOSED_LOOP_DATA_DIR=str(data), XDG_CONFIG_HOME=str(config),
               QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, str(HERE / "kill_driver.py"), str(moves)], env=env,
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    history = None
    deadline = time.monotonic() + 120
    try:
        for line in proc.stdout:
            if line.startswith("HISTORY "):
                import json

                history = json.loads(line[len("HISTORY "):])
                break
            if time.monotonic() > deadline:
                break
    finally:
        os.kill(proc.pid, signal.SIGKILL)               # no closeEvent, no last autosave
        proc.wait(timeout=30)
    assert history is not None, proc.stderr.read()
    assert proc.returncode == -signal.SIGKILL
    return history


def test_killed_mid_turn_resumes_with_every_completed_action(qtbot, make_window, rules,
                                                             _isolated_data, tmp_path):
    history = play_and_kill(7, _isolated_data, tmp_path / "config")
    assert len(history) >= 7
    assert rules.action(Action.parse(history[-1]).id).kind != "end_turn"   # mid-turn
    window = make_window("en")
    window.start()
    box = window.resume_box
    assert box is not None and box.isVisible()
    qtbot.mouseClick(box.findChild(QPushButton, "resumeYes"), Qt.MouseButton.LeftButton)
    assert [str(a) for a in window.state.history] == history
    assert window.state.seed == 31
    assert window.autosave_slot.index == 0               # the killed window's slot, taken over
