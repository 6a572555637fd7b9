"""The installed Qt bindings must not leak references to None (PySide6 6.12 on Python 3.11 does,
and the app then aborts mid-game with "none_dealloc: deallocating None")."""

import sys

from PySide6.QtWidgets import QLabel


def test_qt_calls_do_not_use_up_references_to_none(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for i in range(5000):
        label.setText(str(i))
        label.setToolTip("")
    # Python 3.12+ reports a fixed huge count for its immortal None; 3.11 must stay level.
    assert sys.getrefcount(None) >= before - 50
