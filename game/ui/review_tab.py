"""The debrief's Review tab (issue 13, item 6): runs :func:`game.sim.review.review_game` in a
worker thread (its rollouts in processes) and shows each team's labelled decisions, its three
costliest with the better option and the facts behind it, and a chart of its win chance."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCharts import QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from game.engine import GameState, Rules

from .i18n import ui_texts

#: Reviews still running, with their stop flags: a review outlives a closed debrief (it is
#: told to stop, and its thread is waited for when the app quits, never destroyed running).
_RUNNING: dict[QThread, list[bool]] = {}


def stop_reviews(wait_ms: int = 30_000) -> None:
    """Tell every running review to stop and wait for their threads (the app's last step)."""
    for thread, flag in list(_RUNNING.items()):
        flag[0] = True
        thread.quit()
        thread.wait(wait_ms)


class _Worker(QObject):
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, rules_dir: str, state: GameState, samples: int, confirm: int, jobs: int,
                 flag: list[bool]):
        super().__init__()
        self.args = (rules_dir, state.clone(), samples, confirm, jobs)
        self.flag = flag

    def run(self) -> None:
        from game.sim.review import ReviewCancelled, review_game
        rules_dir, state, samples, confirm, jobs = self.args
        try:
            self.finished.emit(review_game(rules_dir, state, samples=samples, confirm=confirm, jobs=jobs,
                                           spawn=True, cancelled=lambda: self.flag[0]))
        except ReviewCancelled:
            self.failed.emit("")
        except Exception as exc:   # shown in the tab: a review must never take the debrief down
            self.failed.emit(str(exc))


class ReviewPanel(QWidget):
    reviewed = Signal(object)

    def __init__(self, state: GameState, rules: Rules, lang: str = "zh", parent: QWidget | None = None,
                 samples: int = 16, confirm: int = 48, jobs: int | None = None):
        super().__init__(parent)
        self.setObjectName("reviewPanel")
        self.state, self.rules, self.lang = state, rules, lang
        self.samples, self.confirm = samples, confirm
        from game.sim.parallel import default_jobs
        self.jobs = jobs or default_jobs()
        self.review: Any = None        # a game.sim.review.GameReview once reviewed
        self._thread: QThread | None = None
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.button = QPushButton()
        self.button.setObjectName("reviewRun")
        self.button.clicked.connect(self.start)
        self.status = QLabel()
        self.status.setObjectName("reviewStatus")
        self.text = QTextBrowser()
        self.text.setObjectName("reviewText")
        self.chart = QChartView()
        self.chart.setObjectName("reviewChart")
        self.chart.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart.setMinimumHeight(200)
        for w in (self.intro, self.button, self.status, self.text, self.chart):
            layout.addWidget(w)
        self.set_language(lang)

    def t(self, key: str, **params: object) -> str:
        return ui_texts().t(f"review.{key}", self.lang, **params)

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.intro.setText(self.t("intro"))
        self.button.setText(self.t("run"))
        if self.review is not None:
            self.show_review(self.review)

    def start(self) -> None:
        """Review the game in a worker thread; the tab stays usable meanwhile."""
        if self._thread is not None:
            return
        self.button.setEnabled(False)
        self.status.setText(self.t("running", done=0, total=len(self.state.history)))
        flag = [False]
        thread = self._thread = QThread()            # no parent: not destroyed with the tab
        worker = self.worker = _Worker(str(Path(self.rules.source_dir)), self.state, self.samples,
                                       self.confirm, self.jobs, flag)
        worker.moveToThread(thread)
        _RUNNING[thread] = flag
        thread.started.connect(worker.run)
        worker.finished.connect(thread.quit)
        worker.failed.connect(thread.quit)
        thread.finished.connect(lambda: _RUNNING.pop(thread, None))
        worker.finished.connect(self._finished)
        worker.failed.connect(self._failed)
        self.destroyed.connect(lambda *_: flag.__setitem__(0, True))    # the debrief closed: stop
        thread.start()

    def _stop(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread = None
        self.button.setEnabled(True)

    def _failed(self, error: str) -> None:
        self._stop()
        if error:                      # empty: cancelled
            self.status.setText(self.t("failed", error=error))

    def _finished(self, review: object) -> None:
        self._stop()
        self.review = review
        self.status.setText(self.t("done", samples=self.samples))
        self.show_review(review)
        self.reviewed.emit(review)

    def show_review(self, review) -> None:
        from game.debrief.timeline import action_label
        rules, lang = self.rules, self.lang
        parts = []
        for cid in self.state.players:
            counts = review.counts(cid)
            name = rules.name_of("company", cid, lang)
            parts.append(f"<h3>{html.escape(self.t('counts', company=name, **counts))}</h3><ol>")
            for d in review.costliest(cid):
                facts = f"[{', '.join(d.facts)}]" if d.facts else ""
                parts.append("<li>" + html.escape(self.t(
                    "costly", round=d.round, action=action_label(rules, d.action, lang),
                    best=action_label(rules, d.best, lang), chosen=f"{d.chosen_win:.0%}",
                    better=f"{d.best_win:.0%}", label=self.t(d.label) if d.label else self.t("small"),
                    facts=facts)) + "</li>")
            parts.append("</ol>")
        self.text.setHtml("".join(parts))
        chart = QChart()
        chart.setTitle(self.t("chart"))
        for cid in self.state.players:
            series = QLineSeries()
            series.setName(rules.name_of("company", cid, lang))
            for index, win in review.win_chance(cid):
                series.append(index, win)
            series.setPen(QPen(QColor(rules.companies[cid].color), 2))
            chart.addSeries(series)
        chart.createDefaultAxes()
        for axis in chart.axes():
            if isinstance(axis, QValueAxis) and axis.orientation() == Qt.Orientation.Vertical:
                axis.setRange(0.0, 1.0)         # a win chance
        self.chart.setChart(chart)
