"""The facilitator's console: adjustments and events reach the engine, logged with the reason,
errors are shown (never raised), and the last intervention can be taken back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QLineEdit, QPushButton

from game.engine import load_rules, new_game, render_log
from game.ui.intervene import InterveneDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def dialog(qtbot, qapp):
    rules = load_rules("rules")
    state = new_game(rules, "default", 4)
    d = InterveneDialog(state, "en")
    qtbot.addWidget(d)
    d.show()
    return d


def test_adjusting_capital_goes_into_the_game_and_the_log(dialog, qtbot):
    state = dialog.state
    company = dialog.findChild(QComboBox, "interveneCompany")
    company.setCurrentIndex(1)
    cid = state.players[1]
    before = state.company(cid).capital
    dialog.findChild(QDoubleSpinBox, "intervene_capital").setValue(-3.0)
    dialog.findChild(QLineEdit, "interveneReason").setText("licence refused")
    with qtbot.waitSignal(dialog.changed, timeout=1000):
        qtbot.mouseClick(dialog.findChild(QPushButton, "interveneApply"), Qt.MouseButton.LeftButton)
    assert state.company(cid).capital == pytest.approx(before - 3.0)
    assert "licence refused" in render_log(state.rules, state.log[-1], "en")
    assert dialog.findChild(QPushButton, "interveneUndo").isEnabled()
    qtbot.mouseClick(dialog.findChild(QPushButton, "interveneUndo"), Qt.MouseButton.LeftButton)
    assert state.company(cid).capital == pytest.approx(before)
    assert not dialog.findChild(QPushButton, "interveneUndo").isEnabled()


def test_capital_is_typed_in_the_readers_unit(qtbot, qapp):
    rules = load_rules("rules")
    state = new_game(rules, "default", 4)
    d = InterveneDialog(state, "zh")
    qtbot.addWidget(d)
    cid = state.players[0]
    before = state.company(cid).capital
    d.findChild(QDoubleSpinBox, "intervene_capital").setValue(50.0)      # 50亿元 = 5 bn yuan
    d.apply_adjustment()
    assert state.company(cid).capital == pytest.approx(before + 5.0)


def test_an_event_is_put_into_the_next_quarter(dialog, qtbot):
    state = dialog.state
    qtbot.mouseClick(dialog.findChild(QPushButton, "interveneInject"), Qt.MouseButton.LeftButton)
    event = dialog.findChild(QComboBox, "interveneEvent").currentData()
    assert state.pending_events == [event]


def test_nothing_to_change_is_said_not_raised(dialog, qtbot):
    snap = dialog.state.snapshot()
    qtbot.mouseClick(dialog.findChild(QPushButton, "interveneApply"), Qt.MouseButton.LeftButton)
    assert "Not done: nothing to change" in dialog.findChild(QLabel, "interveneStatus").text()
    assert dialog.state.snapshot() == snap
