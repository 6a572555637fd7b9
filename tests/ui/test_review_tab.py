"""The debrief's Review tab: runs the review off the GUI thread and shows each team's labelled
decisions and costliest three."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QTabWidget, QTextBrowser

from game.engine import load_rules
from game.sim.simulate import play_game
from game.ui.review_tab import ReviewPanel

pytestmark = pytest.mark.gui


def test_review_tab_runs_and_shows_every_team(qtbot, qapp):
    rules = load_rules("rules")
    state = play_game(rules, "class_period", 2, ["heuristic"] * 3)
    panel = ReviewPanel(state, rules, "en", samples=1, confirm=0, jobs=2)   # workers spawned
    qtbot.addWidget(panel)
    panel.show()
    with qtbot.waitSignal(panel.reviewed, timeout=120_000) as sig:
        qtbot.mouseClick(panel.findChild(QPushButton, "reviewRun"), Qt.MouseButton.LeftButton)
    review = sig.args[0]
    text = panel.findChild(QTextBrowser, "reviewText").toPlainText()
    for cid in state.players:
        assert rules.name_of("company", cid, "en") in text
        counts = review.counts(cid)
        assert f"{counts['blunder']} blunders" in text
    assert panel.findChild(QLabel, "reviewStatus").text().startswith("Done")
    assert panel.findChild(QPushButton, "reviewRun").isEnabled()
    assert len(panel.chart.chart().series()) == len(state.players)


def test_the_debrief_has_the_review_tab(qtbot, qapp):
    from game.ui.debrief import DebriefWindow
    rules = load_rules("rules")
    state = play_game(rules, "class_period", 2, ["heuristic"] * 3)
    w = DebriefWindow(state, rules, "zh")
    qtbot.addWidget(w)
    tabs = w.findChild(QTabWidget, "debriefTabs")
    assert tabs.tabText(tabs.indexOf(w.review_panel)) == "复盘评分"


def test_closing_the_debrief_mid_review_stops_it_without_a_crash(qtbot, qapp):
    """Found by the monkey: a review thread destroyed with its tab aborted the app."""
    from game.ui import review_tab
    rules = load_rules("rules")
    state = play_game(rules, "default", 2, ["heuristic"] * 3)
    panel = ReviewPanel(state, rules, "en", samples=4, confirm=4, jobs=1)
    panel.start()
    assert review_tab._RUNNING
    panel.deleteLater()
    qtbot.waitUntil(lambda: not review_tab._RUNNING, timeout=60_000)     # it stopped early


def test_a_cancelled_review_stops_early(rules):
    from game.sim.review import ReviewCancelled, review_game
    state = play_game(rules, "class_period", 2, ["heuristic"] * 3)
    seen = []

    def cancelled() -> bool:
        seen.append(1)
        return len(seen) > 3
    with pytest.raises(ReviewCancelled):
        review_game(rules.source_dir, state, samples=1, confirm=0, jobs=2, cancelled=cancelled)
    assert len(seen) == 4
