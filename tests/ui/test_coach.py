"""The coach panel: steps one at a time as they apply, the lesson card at the end."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from game.engine import load_rules, new_game
from game.practice import load_practice
from game.ui.coach import CoachPanel

pytestmark = pytest.mark.gui


def test_steps_then_the_lesson_card(qtbot, qapp):
    rules = load_rules("rules")
    spec = load_practice(rules)
    panel = CoachPanel(rules, spec, "en")
    qtbot.addWidget(panel)
    state = new_game(rules, spec.scenario, 3)
    while state.current_company != spec.company:
        state.apply_action(next(a for a in state.legal_actions() if rules.action(a.id).kind == "end_turn"))
    panel.update_from(state)
    text = panel.findChild(QLabel, "coachText")
    assert text.text().startswith("You are ByteDance.")
    got_it = panel.findChild(QPushButton, "coachGotIt")
    assert got_it.isEnabled()                       # the selling step waits behind it
    got_it.click()
    assert "Sell in the feed" in text.text()
    while not state.is_terminal():
        state.apply_action(state.legal_actions()[-1])
    panel.update_from(state)
    while got_it.isEnabled():
        got_it.click()
    assert text.text().startswith("<b>Lesson card: What selling cost in user experience")
