"""The Facilitator menu wired into the main window: interventions reach the shown game and its
save, forecasts go into the save's meta, the report of several saves is written and shown, the
decisions export carries team names, and the practice round brings its coach."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QDoubleSpinBox, QMenu, QTextBrowser

from game.engine import new_game
from game.saves import save_game
from game.sim.simulate import play_game

pytestmark = pytest.mark.gui


def test_the_menu_is_there_in_both_languages(board_on, rules):
    w = board_on(new_game(rules, "default", 1))
    menu = w.findChild(QMenu, "menuFacilitator")
    assert menu is not None and menu.title() == "Facilitator"
    names = [a.objectName() for a in menu.actions()]
    assert {"actTool_intervene", "actTool_forecasts", "actTool_report", "actTool_decisions",
            "actTool_scenario_editor", "actTool_practice"} <= set(names)
    w.set_language("zh")
    assert menu.title() == "主持"


def test_an_intervention_from_the_menu_is_in_the_game_and_its_save(board_on, rules, tmp_path):
    state = new_game(rules, "default", 2)
    w = board_on(state)
    dlg = w.facilitator.tools.show_intervene()
    cid = state.players[0]
    before = state.company(cid).capital
    dlg.findChild(QDoubleSpinBox, "intervene_capital").setValue(5.0)
    dlg.apply_adjustment()
    assert state.company(cid).capital == pytest.approx(before + 5.0)
    path = tmp_path / "g.json"
    assert w.save_to(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["interventions"][0]["changes"] == {"capital": 5.0}


def test_forecasts_are_saved_with_the_game(board_on, rules, tmp_path):
    state = new_game(rules, "default", 3)
    w = board_on(state)
    dlg = w.facilitator.tools.show_forecasts()
    from PySide6.QtWidgets import QComboBox
    box = dlg.findChild(QComboBox, "forecastLoop_tencent")
    box.setCurrentIndex(box.findData("bytedance"))
    dlg.accept()
    path = tmp_path / "f.json"
    assert w.save_to(path)
    meta = json.loads(path.read_text(encoding="utf-8"))["meta"]
    assert meta["forecasts"]["tencent"]["loop_first"] == "bytedance"
    assert w.open_file(path)
    assert w.facilitator.tools.forecasts["tencent"]["loop_first"] == "bytedance"


def test_the_class_report_is_written_and_shown(board_on, rules, tmp_path):
    w = board_on(new_game(rules, "default", 4))
    paths = []
    for seed in (3, 4):
        p = tmp_path / f"table{seed}.json"
        save_game(play_game(rules, "default", seed, ["heuristic"] * 3), p, {"teams": {"alibaba": f"T{seed}"}})
        paths.append(str(p))
    dlg = w.facilitator.tools.write_report(paths, str(tmp_path / "class.html"))
    assert dlg is not None and "The whole class" in dlg.findChild(QTextBrowser, "reportText").toPlainText()
    assert "T3 (Alibaba)" in (tmp_path / "class.html").read_text(encoding="utf-8")


def test_decisions_export_from_the_menu(board_on, rules, tmp_path):
    state = play_game(rules, "default", 5, ["heuristic"] * 3)
    w = board_on(state)
    w.facilitator.teams = {"bytedance": "Red"}
    path = w.facilitator.tools.write_decisions(str(tmp_path / "d.csv"))
    assert path is not None and "Red" in path.read_text(encoding="utf-8-sig")


def test_the_practice_round_starts_with_its_coach(board_on, rules):
    w = board_on(new_game(rules, "default", 6))
    w.facilitator.tools.start_practice()
    assert w.state.scenario.id == "practice"
    coach = w.facilitator.tools.coach
    assert coach is not None and coach.parent() is not None
    from PySide6.QtWidgets import QLabel
    assert coach.findChild(QLabel, "coachText").text()
    w.set_game(new_game(rules, "default", 7), {c: "human" for c in rules.scenario("default").companies})
    assert w.facilitator.tools.coach is None      # another game: the coach goes


def test_a_search_level_plays_and_says_why(board_on, rules, qtbot):
    """New-game levels easy / normal / hard are search players; a searching computer's line
    shows in the status bar and its top options on request."""
    from PySide6.QtWidgets import QComboBox

    from game.ui.newgame import LEVELS
    assert {"easy", "normal", "hard"} <= set(LEVELS)
    state = new_game(rules, "class_period", 8)
    w = board_on(state, {"bytedance": "easy", "alibaba": "human", "tencent": "human"})
    qtbot.waitUntil(lambda: "bytedance" in w.explanations or state.current_company != "bytedance",
                    timeout=30_000)
    qtbot.waitUntil(lambda: state.current_company != "bytedance", timeout=30_000)
    assert "bytedance" in w.explanations
    exp = w.explanations["bytedance"]
    assert len(exp.options) >= 2
    html = w.facilitator.tools.reasoning_html()
    import html as html_module
    assert html_module.escape(exp.line("en")) in html
    assert html.count("<li>") == len(exp.options)
    dlg = w.show_new_game_dialog()
    level = dlg.findChild(QComboBox, "level_tencent")
    assert [level.itemData(i) for i in range(level.count())] == list(LEVELS)
    dlg.close()
