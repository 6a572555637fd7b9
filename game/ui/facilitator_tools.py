"""The Facilitator menu: the facilitator's hand on the game (engine interventions), the teams'
forecasts, the scenario editor, the whole class's session report, the decisions export and
the practice round with its coach. Each tool is its own widget; this wires them to the window
through its public names."""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
)

from game.engine import ClosedLoopError, load_rules, new_game

if TYPE_CHECKING:
    from .coach import CoachPanel
    from .intervene import InterveneDialog
    from .mainwindow import MainWindow
    from .scenario_editor import ScenarioEditor


class FacilitatorTools(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("facilitatorTools")
        self.w = window
        self.forecasts: dict[str, Any] = {}
        self.intervene: InterveneDialog | None = None
        self.editor: ScenarioEditor | None = None
        self.coach: CoachPanel | None = None
        self.report_view: QDialog | None = None
        m = self.m = QMenu(window)
        m.setObjectName("menuFacilitator")
        self.menu = window.menuBar().insertMenu(window.m_help.menuAction(), m)
        self.actions_by_name: dict[str, QAction] = {}
        for name, slot in (("reasoning", self.show_reasoning),
                           ("intervene", self.show_intervene), ("forecasts", self.show_forecasts),
                           ("report", self.ask_report), ("decisions", self.ask_decisions),
                           ("scenario_editor", self.show_editor), ("practice", self.start_practice)):
            a = QAction(window)
            a.setObjectName(f"actTool_{name}")
            a.triggered.connect(lambda _=False, f=slot: f())
            m.addAction(a)
            self.actions_by_name[name] = a
        self.retranslate()

    def t(self, key: str, **params: object) -> str:
        return self.w.ui.t(f"tools.{key}", self.w.lang, **params)

    def retranslate(self) -> None:
        self.m.setTitle(self.t("menu"))
        for name, a in self.actions_by_name.items():
            a.setText(self.t(name))
        if self.coach is not None:
            self.coach.retranslate(self.w.lang)

    def refresh(self) -> None:
        s = self.w.state
        has_game = s is not None
        for name in ("intervene", "forecasts", "decisions"):
            self.actions_by_name[name].setEnabled(has_game)
        if self.intervene is not None and has_game:
            self.intervene.set_state(s)
        if self.coach is not None and has_game:
            self.coach.update_from(s)

    # ---------------------------------------------------------------- meta

    def set_game(self, state, extra: dict[str, Any] | None) -> None:
        raw = (extra or {}).get("forecasts")
        self.forecasts = dict(raw) if isinstance(raw, dict) else {}
        if self.coach is not None and state.scenario.id != self.coach.spec.scenario:
            self._drop_coach()          # another game than the practice: no coach

    def meta_extra(self) -> dict[str, Any]:
        return {"forecasts": dict(self.forecasts)} if self.forecasts else {}

    def _say(self, text: str) -> None:
        self.w.statusBar().showMessage(text, 10000)

    # ---------------------------------------------------------------- the tools

    def reasoning_html(self, explanations: list | None = None) -> str:
        """Each searching computer's last decision (or the decisions given): its line and its
        top three options."""
        import html
        lang = self.w.lang
        parts = []
        for exp in (self.w.explanations.values() if explanations is None else explanations):
            parts.append(f"<p><b>{html.escape(exp.line(lang))}</b></p><ol>")
            parts.extend(f"<li>{html.escape(line)}</li>" for line in exp.option_lines(lang))
            parts.append("</ol>")
        return "".join(parts) or f"<p>{html.escape(self.t('reasoning_none'))}</p>"

    def _text_window(self, name: str, title: str, page: str, width: int, height: int) -> QDialog:
        """A non-modal window showing ``page`` (HTML): objectNames ``<name>View``, ``<name>Text``."""
        dlg = QDialog(self.w)
        dlg.setObjectName(f"{name}View")
        dlg.setWindowTitle(title)
        layout = QVBoxLayout(dlg)
        view = QTextBrowser()
        view.setObjectName(f"{name}Text")
        view.setHtml(page)
        layout.addWidget(view)
        dlg.resize(width, height)
        dlg.show()
        return dlg

    def show_reasoning(self, explanations: list | None = None) -> QDialog:
        """The reasoning window: every searching computer's last decision, or ``explanations``
        (one decision picked in the log or on the board)."""
        return self._text_window("reasoning", self.t("reasoning_title"),
                                 self.reasoning_html(explanations), 620, 360)

    def show_intervene(self):
        from .intervene import InterveneDialog
        if self.w.state is None:
            return None
        if self.intervene is None:
            self.intervene = InterveneDialog(self.w.state, self.w.lang, self.w)
            self.intervene.changed.connect(self.w.after_change)
        self.intervene.set_state(self.w.state)
        self.intervene.show()
        return self.intervene

    def show_forecasts(self):
        from .forecast import ForecastDialog
        if self.w.state is None:
            return None
        dlg = ForecastDialog(self.w.state, self.w.lang, self.w.facilitator.teams, self.forecasts, self.w)

        def done() -> None:
            self.forecasts = dlg.forecasts()
            self._say(self.t("forecasts_saved", count=len(self.forecasts)))
            self.w.after_change()         # autosaved with the game
        dlg.accepted.connect(done)
        dlg.setModal(False)
        dlg.show()
        return dlg

    def editor_folder(self) -> Path:
        """Where the editor saves: the session's rules folder, else the user's own copy of
        the built-in rules (made on first use; the installed copy may not be writable)."""
        fac = self.w.facilitator
        if fac.rules_dir:
            return Path(fac.rules_dir)
        from game.paths import RULES_DIR

        from .autosave import data_dir
        folder = Path(data_dir()) / "rules"
        if not folder.is_dir():
            shutil.copytree(RULES_DIR, folder)
        return folder

    def show_editor(self):
        from .scenario_editor import ScenarioEditor
        try:
            folder = self.editor_folder()
            rules = load_rules(folder)
        except (OSError, ClosedLoopError) as exc:
            self.w.show_error(self.t("failed", error=exc))
            return None
        self.editor = ScenarioEditor(rules, folder, self.w.lang, parent=self.w)

        def saved(_: str) -> None:
            try:      # the next new game offers the folder with the new scenario
                self.w.facilitator.use_rules(load_rules(folder), str(folder))
            except ClosedLoopError as exc:
                self.w.show_error(self.t("failed", error=exc))
                return
            self._say(self.t("scenario_saved", folder=folder))
        self.editor.saved.connect(saved)
        self.editor.show()
        return self.editor

    def ask_report(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self.w, self.t("report_saves"), "", self.t("json_filter"))
        if not paths:
            return
        out, _ = QFileDialog.getSaveFileName(self.w, self.t("report_out"), "closed-loop-class-report.html",
                                             self.t("html_filter"))
        if out:
            self.write_report(paths, out)

    def write_report(self, paths: list[str], out: str) -> QDialog | None:
        """The session report of these saves, written to ``out`` and shown in the app."""
        from game.debrief import build_report
        from game.debrief.report import game_from_save
        from game.saves import write_text_atomic
        games = []
        try:
            for p in paths:
                games.append(game_from_save(self.w.facilitator.rules_for(p), p)[0])
            page = build_report(games[0].state.rules, games, self.w.lang)
            path = write_text_atomic(out, page)
        except (OSError, ClosedLoopError, ValueError) as exc:
            self.w.show_error(self.t("failed", error=exc))
            return None
        self._say(self.t("written", path=path))
        return self._show_page(page, path)

    def _show_page(self, page: str, path: Path) -> QDialog:
        dlg = self._text_window("report", self.t("report_title"), page, 900, 640)
        row = QHBoxLayout()
        browser = QPushButton(self.t("open_browser"))
        browser.setObjectName("reportOpenBrowser")
        browser.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
        row.addStretch(1)
        row.addWidget(browser)
        layout = dlg.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addLayout(row)
        self.report_view = dlg
        return dlg

    def ask_decisions(self) -> None:
        if self.w.state is None:
            return
        out, _ = QFileDialog.getSaveFileName(self.w, self.t("decisions"), "closed-loop-decisions.csv",
                                             self.t("csv_filter"))
        if out:
            self.write_decisions(out)

    def write_decisions(self, out: str) -> Path | None:
        from game.debrief import CsvGame, decisions_csv
        from game.saves import write_text_atomic
        fac = self.w.facilitator
        reasons = {int(k): v for k, v in fac.reasons.items()}
        try:
            path = write_text_atomic(out, decisions_csv(
                self.w.state.rules, [CsvGame(self.w.state, "", fac.teams, reasons)], self.w.lang))
        except OSError as exc:
            self.w.show_error(self.t("failed", error=exc))
            return None
        self._say(self.t("written", path=path))
        return path

    def start_practice(self) -> None:
        """A practice game: the student's company a person, the others the computer, and the
        coach beside the board."""
        from game.practice import load_practice

        from .coach import CoachPanel
        rules = self.w.rules
        try:
            spec = load_practice(rules)
        except ClosedLoopError as exc:
            self.w.show_error(self.t("failed", error=exc))
            return
        state = new_game(rules, spec.scenario, random.randrange(1 << 31))
        controllers = {cid: ("human" if cid == spec.company else "heuristic") for cid in state.players}
        self._drop_coach()
        self.w.set_game(state, controllers)
        self.coach = CoachPanel(rules, spec, self.w.lang, self.w)
        self.w.side_layout.insertWidget(0, self.coach)
        self.coach.update_from(state)

    def _drop_coach(self) -> None:
        if self.coach is not None:
            self.coach.setParent(None)
            self.coach.deleteLater()
            self.coach = None


