"""Plays a game in the real app, by clicks, then waits to be killed (tests/ui/test_kill_resume.py).

    python kill_driver.py N      start the app as ``closed-loop --new``, set every company to a
                                 person, start, make N moves by clicking the action bar (End turn
                                 included, through its confirmation), print the history, wait.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton

from game.ui.app import run_app


def main() -> int:
    moves = int(sys.argv[1])
    app = QApplication(["closed-loop"])

    def window():
        from game.ui.mainwindow import MainWindow

        return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))

    def start() -> None:
        w = window()
        dlg = w.new_game_dialog
        for cid, (_, role, _) in dlg.rows.items():
            role.setCurrentIndex(0)                      # a person
        dlg.seed_random.setChecked(False)
        dlg.seed.setValue(31)
        QTest.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
        QTimer.singleShot(50, lambda: move(0))

    def move(done: int) -> None:
        w = window()
        box = getattr(w, "confirm_box", None)
        if box is not None:                              # the end-turn question: yes
            QTest.mouseClick(box.findChild(QPushButton, "confirmYes"), Qt.MouseButton.LeftButton)
            QTimer.singleShot(20, lambda: move(done + 1))
            return
        if done >= moves:
            print("HISTORY " + json.dumps([str(a) for a in w.state.history]), flush=True)
            return
        state, rules = w.state, w.rules
        legal = [a for a in state.legal_actions()
                 if a in w.action_bar.buttons and w.action_bar.buttons[a].isEnabled()]
        # mostly real moves; an End turn every fourth move so the game crosses turns
        plain = [a for a in legal if rules.action(a.id).kind != "end_turn"]
        pick = plain[done % len(plain)] if plain and done % 4 != 3 else \
            next(a for a in legal if rules.action(a.id).kind == "end_turn")
        QTest.mouseClick(w.action_bar.buttons[pick], Qt.MouseButton.LeftButton)
        if rules.action(pick.id).kind == "end_turn":
            QTimer.singleShot(20, lambda: move(done))    # answer its confirmation first
        else:
            print(f"DONE {done + 1} {pick}", flush=True)
            QTimer.singleShot(20, lambda: move(done + 1))

    QTimer.singleShot(200, start)
    return run_app(["closed-loop", "--new", "--lang", "en"]) if app else 1


if __name__ == "__main__":
    sys.exit(main())
