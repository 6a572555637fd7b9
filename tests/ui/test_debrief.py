"""The end-of-game debrief: the right winner and why, language switch, CSV and PNG exports."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (QApplication, QFileDialog, QLabel, QMessageBox, QPushButton,
                               QTableWidget, QTabWidget, QTreeWidget)

from game.engine import format_money, load_rules, new_game
from game.ui.debrief import DebriefWindow, csv_column, play_heuristic_game, render_debrief_screenshot
from game.ui.fonts import install_app_font

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def rules():
    return load_rules(str(ROOT / "rules"))


@pytest.fixture(scope="module")
def finished(rules):
    state = play_heuristic_game(rules, "default", seed=3)
    assert state.is_terminal() and state.winner_id is not None
    return state


@pytest.fixture
def make_window(qtbot, qapp):
    install_app_font()

    def make(state, rules, lang="zh"):
        window = DebriefWindow(state, rules, lang)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window
    return make


def name(rules, company, lang):
    return rules.companies[company].name.get(lang)


def test_shows_the_winner_and_why(make_window, rules, finished):
    w = make_window(finished, rules, "zh")
    winner = finished.winner_id
    assert name(rules, winner, "zh") in w.findChild(QLabel, "winnerLabel").text()
    reason = w.findChild(QLabel, "reasonLabel").text()
    assert name(rules, winner, "zh") in reason
    last = finished.records[-1]
    # money as a Chinese reader counts it: 亿元, i.e. bn yuan × 10
    if finished.win_reason == "target":
        assert format_money(rules, last.companies[winner]["gmv"], "zh") in reason
        assert str(last.year) in reason
    elif finished.win_reason == "points":       # each company's goal points, the winner's first
        assert f"{finished.company(winner).points:.1f}分" in reason
        for cid in finished.players:
            assert f"{finished.company(cid).points:.1f}" in reason
    else:
        assert format_money(rules, last.companies[winner]["gmv_total"], "zh") in reason
    # the scores table lists every company, the winner first with its total GMV
    table = w.findChild(QTableWidget, "scoresTable")
    assert table.rowCount() == len(finished.players)
    assert table.item(0, 1).text() == name(rules, winner, "zh")
    total = last.companies[winner]["gmv_total"]
    assert table.item(0, 2).text() == format_money(rules, total, "zh", unit=False)
    assert float(table.item(0, 2).text().replace(",", "")) == pytest.approx(
        total * rules.money_scale["zh"], abs=0.51)
    assert rules.units["money"].get("zh") in table.horizontalHeaderItem(2).text()
    shown = {table.item(r, 1).text() for r in range(table.rowCount())}
    assert shown == {name(rules, c, "zh") for c in finished.players}


def test_score_win_is_explained_with_total_gmv(make_window, rules, finished):
    state = finished.clone()
    totals = {c: state.records[-1].companies[c]["gmv_total"] for c in state.players}
    best = max(totals, key=totals.get)
    state.winner = state.players.index(best)
    state.win_reason = "score"
    w = make_window(state, rules, "en")
    assert w.findChild(QLabel, "winnerLabel").text() == f"Winner: {name(rules, best, 'en')}"
    reason = w.findChild(QLabel, "reasonLabel").text()
    assert "highest total GMV" in reason and format_money(rules, totals[best], "en") in reason
    assert "bn yuan" in reason


def test_switches_language(make_window, rules, finished, qtbot):
    w = make_window(finished, rules, "zh")
    tabs = w.findChild(QTabWidget, "debriefTabs")
    assert tabs.tabText(0) == "图表"
    w.set_language("en")
    assert tabs.tabText(0) == "Charts"
    assert name(rules, finished.winner_id, "en") in w.findChild(QLabel, "winnerLabel").text()
    assert w.findChild(QPushButton, "exportCsvButton").text() == "Export table (CSV)"
    chart_titles = [v.chart().title() for v in w.charts.views.values()]
    assert "GMV per quarter" in chart_titles
    button = w.findChild(QPushButton, "languageButton")
    with qtbot.waitSignal(w.languageChanged) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["zh"]
    assert tabs.tabText(0) == "图表"
    assert "每季度GMV" in [v.chart().title() for v in w.charts.views.values()]


def test_charts_have_one_styled_series_per_company(make_window, rules, finished):
    w = make_window(finished, rules, "en")
    rounds = len(finished.records)
    for view in w.charts.views.values():
        series = view.chart().series()
        lines = [s for s in series if s.name() in {name(rules, c, "en") for c in finished.players}
                 and s.type() == s.SeriesType.SeriesTypeLine]
        assert len(lines) == len(finished.players)
        assert all(s.count() == rounds for s in lines)
        assert len({s.pen().style() for s in lines}) == len(lines), "line styles must differ"
        assert len({s.pen().color().name() for s in lines}) == len(lines)
        dots = [s for s in series if s.type() == s.SeriesType.SeriesTypeScatter]
        assert len({s.markerShape() for s in dots}) == len(finished.players)


def test_money_is_shown_as_the_reader_counts_it(make_window, rules, finished):
    """亿元 in Chinese (bn yuan × 10), bn yuan in English: charts, legend and turning points."""
    w = make_window(finished, rules, "zh")
    companies = {name(rules, c, "zh"): c for c in finished.players}

    def gmv_points(window, names):
        chart = window.charts.views["chart_gmv"].chart()
        return {s.name(): [p.y() for p in s.points()] for s in chart.series()
                if s.name() in names and s.type() == s.SeriesType.SeriesTypeLine}, chart

    zh_points, chart = gmv_points(w, companies)
    for label, c in companies.items():
        raw = [r.companies[c]["gmv"] for r in finished.records]
        assert zh_points[label] == pytest.approx([v * rules.money_scale["zh"] for v in raw])
    assert chart.axes(Qt.Orientation.Vertical)[0].titleText() == rules.units["money"].get("zh")
    target = finished.scenario.target_quarter_gmv
    if target:
        assert any(s.name().endswith(format_money(rules, target, "zh")) for s in chart.series())
        assert any(format_money(rules, target, "zh") in lbl.text()
                   for lbl in w.findChildren(QLabel))
    tree = w.findChild(QTreeWidget, "turningPoints")
    best = max(r.companies[c]["gmv"] for r in finished.records for c in finished.players)
    texts = [tree.topLevelItem(i).text(1) for i in range(tree.topLevelItemCount())]
    assert any(format_money(rules, best, "zh") in t for t in texts)

    w.set_language("en")
    en_names = {name(rules, c, "en"): c for c in finished.players}
    en_points, chart = gmv_points(w, en_names)
    for label, c in en_names.items():
        raw = [r.companies[c]["gmv"] for r in finished.records]
        assert en_points[label] == pytest.approx([v * rules.money_scale["en"] for v in raw])
    assert chart.axes(Qt.Orientation.Vertical)[0].titleText() == "bn yuan"
    texts = [tree.topLevelItem(i).text(1) for i in range(tree.topLevelItemCount())]
    assert any(format_money(rules, best, "en") in t for t in texts)


def test_turning_points(make_window, rules, finished):
    w = make_window(finished, rules, "en")
    tree = w.findChild(QTreeWidget, "turningPoints")
    items = [(tree.topLevelItem(i).text(0), tree.topLevelItem(i).text(1))
             for i in range(tree.topLevelItemCount())]
    labels = {f"{r.year} Q{r.quarter}" for r in finished.records}
    assert items and all(q in labels for q, _ in items)
    keys = [e.key for e in finished.log]
    texts = " | ".join(t for _, t in items)
    for key, words in (("loop_closed", "closes the loop"), ("ban_links", "bans outside links"),
                       ("launch_app", "launches a standalone")):
        if key in keys:
            assert words in texts
    assert "Event:" in texts
    assert items[-1][1].endswith("!") or "wins" in items[-1][1]


def test_export_csv_one_row_per_round_per_company(make_window, rules, finished, tmp_path):
    w = make_window(finished, rules, "zh")
    path = tmp_path / "table.csv"
    w.export_csv(str(path))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, for Excel"
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) == len(finished.records) * len(finished.players)
    fields = list(finished.records[0].companies[finished.players[0]])
    assert {csv_column(k) for k in fields} <= set(rows[0])
    # money stays in raw bn yuan (not 亿元, even in Chinese) and the header says so
    assert {"gmv_bn_yuan", "gmv_total_bn_yuan", "capital_bn_yuan", "market_bn_yuan"} <= set(rows[0])
    assert "gmv" not in rows[0]
    by_key = {(int(r["round"]), r["company_id"]): r for r in rows}
    for rec in finished.records:
        assert float(by_key[(rec.round, finished.players[0])]["market_bn_yuan"]) == pytest.approx(
            rec.market, abs=1e-5)
        for c in finished.players:
            row = by_key[(rec.round, c)]
            assert float(row["gmv_bn_yuan"]) == pytest.approx(rec.companies[c]["gmv"], abs=1e-5)
            assert float(row["gmv_total_bn_yuan"]) == pytest.approx(
                rec.companies[c]["gmv_total"], abs=1e-5)
            assert row["company"] == name(rules, c, "zh")
            assert (int(row["year"]), int(row["quarter"])) == (rec.year, rec.quarter)


def test_export_png_writes_an_image(make_window, rules, finished, tmp_path):
    w = make_window(finished, rules, "zh")
    path = tmp_path / "charts.png"
    w.export_png(str(path))
    assert path.stat().st_size > 10_000
    image = QImage(str(path))
    assert not image.isNull() and image.width() >= 800 and image.height() >= 600
    # the winner's colour appears in the picture
    color = QColor(rules.companies[finished.winner_id].color)
    found = any(QColor(image.pixel(x, y)) == color
                for y in range(0, image.height(), 3) for x in range(0, image.width(), 3))
    assert found


def test_export_buttons_use_a_file_dialog(make_window, rules, finished, tmp_path, qtbot,
                                          monkeypatch):
    w = make_window(finished, rules, "en")
    target = tmp_path / "via-button.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    qtbot.mouseClick(w.findChild(QPushButton, "exportCsvButton"), Qt.MouseButton.LeftButton)
    assert target.is_file()
    assert str(target) in w.findChild(QLabel, "statusLabel").text()
    png = tmp_path / "via-button.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(png), "")))
    qtbot.mouseClick(w.findChild(QPushButton, "exportPngButton"), Qt.MouseButton.LeftButton)
    assert png.is_file()


@pytest.mark.parametrize("button", ["exportCsvButton", "exportPngButton", "exportReportButton",
                                    "exportDecisionsButton"])
def test_a_failed_export_says_so_without_blocking(make_window, rules, finished, tmp_path, qtbot,
                                                  monkeypatch, button):
    """Found by the monkey test: a modal QMessageBox.warning stopped everything until OK."""
    w = make_window(finished, rules, "en")
    monkeypatch.setattr(QFileDialog, "getSaveFileName",    # a folder: cannot be written
                        staticmethod(lambda *a, **k: (str(tmp_path), "")))
    blocked = []

    def unblock() -> None:     # frees a modal exec(), so a regression fails instead of hanging
        modal = QApplication.activeModalWidget()
        if modal is not None:
            blocked.append(modal.objectName())
            modal.close()

    guard = QTimer(w)
    guard.setSingleShot(True)
    guard.timeout.connect(unblock)
    guard.start(500)
    qtbot.mouseClick(w.findChild(QPushButton, button), Qt.MouseButton.LeftButton)
    guard.stop()
    assert blocked == []
    box = w.findChild(QMessageBox, "exportErrorBox")
    assert box is not None and box.isVisible() and not box.isModal()
    assert str(tmp_path) in box.text()
    assert str(tmp_path) in w.findChild(QLabel, "statusLabel").text()


def test_debrief_of_an_unfinished_game(make_window, rules):
    state = new_game(rules, "default", 1)
    w = make_window(state, rules, "en")
    assert "not over" in w.findChild(QLabel, "winnerLabel").text()
    w.set_language("zh")


def test_render_debrief_screenshot(qapp, tmp_path):
    path = tmp_path / "debrief.png"
    render_debrief_screenshot(str(path), lang="en", seed=5)
    image = QImage(str(path))
    assert not image.isNull() and image.width() > 1000


def test_lessons_tab_shows_the_cards_of_this_game(make_window, rules, finished):
    from PySide6.QtWidgets import QTextBrowser

    from game.debrief import lesson_cards, load_lessons
    w = make_window(finished, rules, "en")
    tabs = w.findChild(QTabWidget, "debriefTabs")
    view = w.findChild(QTextBrowser, "lessonCards")
    assert tabs.tabText(tabs.indexOf(view)) == "Lessons"
    text = view.toPlainText()
    cards = lesson_cards(rules, finished, load_lessons(rules), "en")
    for card in cards:
        assert card.title in text
        assert card.lines[0][:60] in text
        assert card.questions[0] in text
    w.findChild(QPushButton, "languageButton").click()
    assert lesson_cards(rules, finished, load_lessons(rules), "zh")[0].title in view.toPlainText()


def test_report_and_decisions_export_from_the_debrief(make_window, rules, finished, tmp_path, qtbot,
                                                      monkeypatch):
    w = make_window(finished, rules, "en")
    report = tmp_path / "report.html"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(report), "")))
    qtbot.mouseClick(w.findChild(QPushButton, "exportReportButton"), Qt.MouseButton.LeftButton)
    page = report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Lessons" in page
    decisions = tmp_path / "decisions.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(decisions), "")))
    qtbot.mouseClick(w.findChild(QPushButton, "exportDecisionsButton"), Qt.MouseButton.LeftButton)
    rows = list(csv.reader(decisions.read_text(encoding="utf-8-sig").splitlines()))
    real = [a for a in finished.history if rules.action(a.id).kind != "end_turn"]
    assert len(rows) == len(real) + 1
    assert str(decisions) in w.findChild(QLabel, "statusLabel").text()


def test_forecasts_are_revealed_and_scored_in_the_lessons(make_window, rules, finished):
    from PySide6.QtWidgets import QTextBrowser

    from game.debrief.forecasts import outcome
    o = outcome(finished)
    w = DebriefWindow(finished, rules, "en", forecasts={
        "tencent": {"loop_first": o.loop_first, "gmv_end": finished.company("tencent").gmv_total},
        "alibaba": {"ban_pays": True}})
    w.show()
    text = w.findChild(QTextBrowser, "lessonCards").toPlainText()
    assert "Forecasts and what happened" in text
    assert "2.00" in text                       # Tencent: the loop and its GMV exactly right
    w.close()
