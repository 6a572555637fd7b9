"""The scenario editor: checked as you type with the rules check's words; saves a scenario the
next game loads; a bad value keeps Save disabled and the file unwritten."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDoubleSpinBox, QLineEdit, QListWidget, QPushButton, QSpinBox

from game.engine import load_rules, new_game
from game.ui.scenario_editor import ScenarioEditor

pytestmark = pytest.mark.gui


@pytest.fixture
def editor(qtbot, qapp, tmp_path):
    rules = load_rules("rules")
    folder = tmp_path / "rules"
    shutil.copytree(rules.source_dir, folder)
    e = ScenarioEditor(load_rules(folder), folder, "en", base="class_period")
    qtbot.addWidget(e)
    e.show()
    return e, folder


def test_a_good_draft_saves_and_loads(editor, qtbot):
    e, folder = editor
    assert e.findChild(QPushButton, "scenarioSave").isEnabled()
    e.findChild(QLineEdit, "scenarioId").setText("rich_tencent")
    e.findChild(QDoubleSpinBox, "scenario_tencent_capital").setValue(40.0)
    with qtbot.waitSignal(e.saved, timeout=3000) as sig:
        qtbot.mouseClick(e.findChild(QPushButton, "scenarioSave"), Qt.MouseButton.LeftButton)
    assert sig.args == ["rich_tencent"]
    rules = load_rules(folder)
    assert rules.scenario("rich_tencent").company_specs["tencent"].capital == 40.0
    assert rules.scenario("rich_tencent").rounds == rules.scenario("class_period").rounds
    assert new_game(rules, "rich_tencent", 1).company("tencent").capital == 40.0


def test_problems_show_as_you_type_and_block_saving(editor, qtbot):
    e, folder = editor
    e.findChild(QSpinBox, "scenarioRounds").setValue(3)          # festivals of rounds 4-8 no longer fit
    e.findChild(QLineEdit, "scenarioScheduled_double_11").setText("4, eight")
    qtbot.waitUntil(lambda: e.findChild(QListWidget, "scenarioProblems").count() > 0, timeout=3000)
    items = [e.findChild(QListWidget, "scenarioProblems").item(i).text()
             for i in range(e.findChild(QListWidget, "scenarioProblems").count())]
    assert any("is outside 1..3" in t for t in items)
    assert any("not a list of round numbers" in t for t in items)
    assert not e.findChild(QPushButton, "scenarioSave").isEnabled()
    e.save()
    assert not any(p.name.startswith("class_period_") for p in (folder / "scenarios").iterdir())
