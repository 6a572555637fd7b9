"""Learn to win inside the app (issue 12, item 2): the goal and the distance to it always on
screen, the highlighted cheapest path that leads to the app, a how-to card per company and the
rulebook readable in the app in the current language."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QTabWidget, QTextBrowser

from game.engine import format_money, new_game

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_vocabulary_ui import check, widget_texts  # noqa: E402

pytestmark = pytest.mark.gui


# ------------------------------------------------------------------ goal and distance

def test_goal_line_shows_points_rank_and_what_is_open(board_on, rules, qtbot):
    state = new_game(rules, "default", 7)
    scen = state.scenario
    state.company("bytedance").points = 7.2
    state.company("tencent").points = 7.6
    state.company("alibaba").points = 3.0
    window = board_on(state)
    window.resize(1600, 900)
    window.refresh()
    line = window.findChild(QLabel, "goalLine")
    assert line is not None
    qtbot.waitUntil(line.isVisible)     # shown once the new game area is laid out
    assert state.current_company == "bytedance"
    full = line.full
    assert "ByteDance: 7.2 goal points · 2nd, 0.4 behind Tencent" in line.text()
    missing = len(state.loop_status("bytedance").missing)
    assert f"loop: {missing} links missing (+{scen.loop_points:g} when closed)" in full
    assert f"app not launched (+{scen.app_points:g} when launched)" in full
    assert f"{scen.rounds} quarters left to score" in full

    # after an action (end of the turn) it follows the company to move
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_Return)
    if window.confirm_box is not None and window.confirm_box.isVisible():
        qtbot.mouseClick(window.confirm_box.findChild(QPushButton, "confirmYes"),
                         Qt.MouseButton.LeftButton)
    assert state.current_company == "alibaba"
    assert line.text().startswith("Alibaba: 3.0 goal points · 3rd, 4.6 behind Tencent")
    assert "app not launched" not in line.full and "links missing" not in line.full  # Taobao, loop

    # and on a language switch
    window.set_language("zh")
    assert line.text().startswith("阿里巴巴：目标分3.0 · 第3名，落后腾讯4.6分")
    assert not check(widget_texts(window.status_header)), check(widget_texts(window.status_header))


def test_goal_line_for_the_leader(board_on, rules):
    state = new_game(rules, "default", 7)
    state.company("bytedance").points = 5.0
    state.company("tencent").points = 4.5
    window = board_on(state, lang="zh")
    window.refresh()
    assert window.findChild(QLabel, "goalLine").text().startswith(
        "字节跳动：目标分5.0 · 第1名，领先腾讯0.5分")


# ------------------------------------------------------------------ path to the app

def test_cheapest_path_leads_on_to_the_app(board_on, rules):
    """Loop closed, Mall page unbuilt: the outline goes on to what Launch app requires."""
    state = new_game(rules, "default", 7)
    cid = "bytedance"
    cs = state.company(cid)
    for cap in state.loop_status(cid).plan:      # a test's shortcut: the loop built at once
        cs.built |= 1 << rules.capability_index(cap)
    assert state.loop_status(cid).closed and not state.loop_status(cid).plan
    launch = next(a for a in rules.actions if a.kind == "launch_app")
    assert "mall_page" in launch.requires
    assert state.node_state(cid, "mall_page") != "built" and not cs.app_launched
    window = board_on(state)
    window.refresh()
    nodes = window.scenes[cid].nodes
    on_plan = {c for c, node in nodes.items() if node.look.on_plan}
    assert on_plan, "nothing highlighted although Launch app is still locked"
    assert "mall_page" in on_plan
    assert all(state.node_state(cid, c) != "built" for c in on_plan)


def test_no_app_path_once_the_app_is_there(board_on, rules):
    state = new_game(rules, "default", 7)
    window = board_on(state)
    nodes = window.scenes["alibaba"].nodes      # Taobao: loop closed, app from the start
    assert not any(node.look.on_plan for node in nodes.values())


# ------------------------------------------------------------------ how-to cards, rulebook

def test_a_how_to_card_per_company(make_window, rules, qtbot):
    window = make_window("en")
    dlg = window.show_how_to_play()
    scen = rules.scenario("default")
    tabs = dlg.findChild(QTabWidget, "howToTabs")
    for cid in scen.companies:
        card = dlg.findChild(QTextBrowser, f"howToCompany_{cid}")
        assert card is not None, cid
        assert tabs.tabText(tabs.indexOf(card)) == rules.companies[cid].name.get("en")
        text = card.toPlainText()
        spec = scen.company_specs[cid]
        assert format_money(rules, spec.goal_gmv, "en") in text
        for p in spec.powers:
            assert rules.powers[p].name.get("en") in text
            assert rules.powers[p].text.get("en") in text
        assert "At the start" in text and "First sensible moves" in text
        for cap in spec.built:
            assert rules.capability(cap).name.get("en") in text
    bd = dlg.findChild(QTextBrowser, "howToCompany_bytedance").toPlainText()
    assert "none yet" in bd and "Cheapest path to the app" in bd and "Mall page" in bd
    ali = dlg.findChild(QTextBrowser, "howToCompany_alibaba").toPlainText()
    assert "Taobao is live" in ali and "no app points" in ali
    window.set_language("zh")
    dlg = window.show_how_to_play()
    zh = dlg.findChild(QTextBrowser, "howToCompany_tencent").toPlainText()
    assert "特长" in zh and "开局几步" in zh and "微信私域" in zh
    assert tabs.tabText(tabs.indexOf(dlg.findChild(QTextBrowser, "howToCompany_tencent"))) == "腾讯"
    problems = check(widget_texts(dlg))
    assert not problems, "\n".join(problems)


def test_the_rulebook_is_readable_in_the_dialog(make_window, qtbot):
    window = make_window("en")
    dlg = window.show_how_to_play()
    book = dlg.findChild(QTextBrowser, "howToRulebook")
    tabs = dlg.findChild(QTabWidget, "howToTabs")
    assert book is not None and tabs.tabText(tabs.indexOf(book)) == "Rulebook"
    en = book.toPlainText()
    assert "Rulebook" in en and "The goal and how to win" in en
    assert "目标与胜负" not in en and "规则书" not in en
    assert "<a id" not in en and "Generated from" not in en
    window.set_language("zh")
    zh = book.toPlainText()
    assert "目标与胜负" in zh and "The goal and how to win" not in zh
    assert tabs.tabText(tabs.indexOf(book)) == "规则书"


def test_rulebook_half_without_anchors():
    from game.ui.howto import rulebook_half
    text = "# 规则书\n\n中文\n\n# Rulebook\n\nEnglish\n"
    assert rulebook_half(text, "zh").startswith("# 规则书") and "English" not in rulebook_half(text, "zh")
    assert rulebook_half(text, "en").startswith("# Rulebook") and "中文" not in rulebook_half(text, "en")


def test_no_rulebook_file_is_said_in_the_tab(make_window, qtbot, monkeypatch, tmp_path):
    from game.ui import howto

    monkeypatch.setattr(howto, "rulebook_candidates", lambda: [tmp_path / "docs" / "rules.md"])
    dlg = make_window("en").show_how_to_play()
    assert "not found" in dlg.findChild(QTextBrowser, "howToRulebook").toPlainText()


def test_goal_line_keeps_what_is_open_on_a_small_screen(board_on, rules, qtbot):
    state = new_game(rules, "default", 7)
    window = board_on(state)
    window.resize(1024, 768)
    line = window.findChild(QLabel, "goalLine")
    qtbot.waitUntil(line.isVisible)
    window.refresh()
    shown = line.text()
    assert "goal points" in shown and "links missing" in shown and "rounds left" in shown
    assert line.width() >= line.fontMetrics().horizontalAdvance(shown)   # not cut off
