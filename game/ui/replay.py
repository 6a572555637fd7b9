"""The replay viewer (issue 14, item 5): a saved game, step by step, in a window of its own.

The state shown at step ``k`` is ``new_game(rules, scenario, seed, players)`` with the save's
first ``k`` actions applied, on a state of the viewer's own: the loaded game is never changed.
Forward one action applies the next action to that state; back (or any jump backwards) plays
the first ``k`` actions again from the start, which takes milliseconds for a whole game.

The board, the company panels and the charts are the main window's widgets, driven through
their public methods (``BoardScene.refresh``, ``CompanyPanel.refresh``, ``ChartsPanel``).
"Branch from here" asks the main window (``branchRequested(k)``) to start a new game from the
state at step ``k``, with the same seed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSlider,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from game.engine import GameState, Rules, new_game
from game.saves import load_game

from .board import BoardScene, BoardView
from .facilitator import read_session_meta, rules_for_save
from .i18n import UiTexts
from .panels import CompanyPanel
from .style import mark_icon

# Turning points that come from one log line (the rest, a new leader, from a quarter's record).
_LOG_KINDS = ("loop_closed", "launch_app", "ban_links", "waybill_terms", "event")


class ReplayWindow(QMainWindow):
    """A saved game step by step; see the module's docstring."""

    branchRequested = Signal(int)
    stepChanged = Signal(int)

    def __init__(self, full: GameState, rules: Rules, ui: UiTexts, lang: str = "zh",
                 meta: Any = None, path: str | Path = "", parent=None):
        super().__init__(parent)
        self.setObjectName("replayWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.full, self.rules, self.ui, self.lang = full, rules, ui, lang
        self.path = Path(path) if path else Path("")
        self.history = list(full.history)
        self.n = len(self.history)
        extra = dict(getattr(meta, "extra", {}) or {})
        self.meta_extra = extra
        self.controllers: dict[str, str] = dict(getattr(meta, "controllers", {}) or {})
        session = read_session_meta(extra, full.players)
        self.teams: dict[str, str] = session["teams"]
        self.bookmarks: list[dict[str, Any]] = [b for b in session["bookmarks"]
                                                if b["index"] <= self.n]
        self.reasons: dict[str, str] = session["reasons"]
        self._index_game()
        self.k = 0
        self.state = self._fresh()
        self._charts_key: tuple | None = None
        self._build()
        self.set_language(lang)
        self.go(0)

    @classmethod
    def from_file(cls, path: str | Path, builtin: Rules, ui: UiTexts, lang: str = "zh",
                  parent=None) -> ReplayWindow:
        """Open a save (with the rules it names in its meta): SaveError if it cannot be read."""
        rules = rules_for_save(builtin, path)
        full, meta = load_game(rules, path)
        return cls(full, rules, ui, lang, meta, path, parent)

    # ------------------------------------------------------------------ the game, indexed

    def _fresh(self) -> GameState:
        full = self.full
        return new_game(self.rules, full.scenario.id, full.seed, full.players)

    def state_at(self, k: int) -> GameState:
        """A new state: the game after its first ``k`` actions."""
        state = self._fresh()
        for action in self.history[:k]:
            state.apply_action(action)
        return state

    def _index_game(self) -> None:
        """One pass over the game: each step's round, log length and number of records, so the
        round steps and the turning points know their actions."""
        state = self._fresh()
        self.rounds = [state.round]
        self.log_len = [len(state.log)]
        self.rec_len = [len(state.records)]
        self.movers: list[str] = []          # movers[k - 1]: the company that played action k
        for action in self.history:
            self.movers.append(state.current_company)
            state.apply_action(action)
            self.rounds.append(state.round)
            self.log_len.append(len(state.log))
            self.rec_len.append(len(state.records))
        self.turning: list[tuple[int, str]] = []
        try:
            from game.debrief import load_lessons, turning_points

            points = turning_points(self.rules, self.full, load_lessons(self.rules), self.lang)
        except Exception:  # noqa: BLE001 - a rules folder without lessons: no turning points
            points = []
        for p in points:
            k = self._turning_step(p)
            if k is not None:
                self.turning.append((k, p.text))
        self._points = points

    def _turning_step(self, point) -> int | None:
        """The step at which a turning point has happened."""
        log = self.full.log
        if point.kind in _LOG_KINDS:
            for pos, e in enumerate(log):
                if e.key == point.kind and e.round == point.round and (
                        point.kind == "event" or e.company == point.company):
                    return next((k for k, n in enumerate(self.log_len) if n > pos), None)
            return None
        # a new leader: when that quarter's record was written
        for i, rec in enumerate(self.full.records):
            if rec.round == point.round:
                return next((k for k, n in enumerate(self.rec_len) if n > i), None)
        return None

    # ------------------------------------------------------------------ the window

    def _build(self) -> None:
        central = QWidget()
        root = QVBoxLayout(central)
        root.setContentsMargins(6, 6, 6, 6)
        nav = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for name, slot in (("first", lambda: self.go(0)),
                           ("back_round", self.back_round), ("back", lambda: self.go(self.k - 1)),
                           ("forward", lambda: self.go(self.k + 1)),
                           ("forward_round", self.forward_round), ("last", lambda: self.go(self.n))):
            b = QPushButton()
            b.setObjectName("replay_" + name)
            b.clicked.connect(slot)
            nav.addWidget(b)
            self.buttons[name] = b
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("replaySlider")
        self.slider.setRange(0, self.n)
        self.slider.valueChanged.connect(lambda v: self.go(v) if v != self.k else None)
        nav.addWidget(self.slider, 1)
        root.addLayout(nav)
        row = QHBoxLayout()
        self.position = QLabel()
        self.position.setObjectName("replayPosition")
        self.position.setProperty("fontBold", True)
        self.last_action = QLabel()
        self.last_action.setObjectName("replayLastAction")
        row.addWidget(self.position)
        row.addSpacing(16)
        row.addWidget(self.last_action, 1)
        self.turning_combo = QComboBox()
        self.turning_combo.setObjectName("replayTurning")
        self.turning_combo.setMinimumWidth(220)
        self.turning_combo.activated.connect(self._turning_chosen)
        self.bookmark_combo = QComboBox()
        self.bookmark_combo.setObjectName("replayBookmarks")
        self.bookmark_combo.setMinimumWidth(160)
        self.bookmark_combo.activated.connect(self._bookmark_chosen)
        self.branch_button = QPushButton()
        self.branch_button.setObjectName("replayBranch")
        self.branch_button.clicked.connect(lambda: self.branchRequested.emit(self.k))
        for w in (self.turning_combo, self.bookmark_combo, self.branch_button):
            row.addWidget(w)
        root.addLayout(row)
        panels = QHBoxLayout()
        self.panels: dict[str, CompanyPanel] = {}
        for cid in self.full.players:
            p = CompanyPanel(self.rules, self.ui, cid, self.controllers.get(cid, "human"))
            p.set_compact(3)
            panels.addWidget(p)
            self.panels[cid] = p
        root.addLayout(panels)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("replaySplitter")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("replayBoards")
        self.scenes: dict[str, BoardScene] = {}
        self.views: dict[str, BoardView] = {}
        for cid in self.full.players:
            scene = BoardScene(self.rules, self.ui, cid, self.full.loop, None, lang=self.lang)
            view = BoardView(scene)
            scene.setParent(view)
            self.scenes[cid], self.views[cid] = scene, view
            c = self.rules.companies[cid]
            self.tabs.addTab(view, mark_icon(c.mark, c.color, 16), "")
        split.addWidget(self.tabs)
        self.charts_holder = QWidget()
        self.charts_holder.setObjectName("replayCharts")
        self.charts_layout = QVBoxLayout(self.charts_holder)
        self.charts_layout.setContentsMargins(0, 0, 0, 0)
        self.charts: QWidget | None = None
        split.addWidget(self.charts_holder)
        split.setSizes([700, 600])
        root.addWidget(split, 1)
        self.setCentralWidget(central)
        for keys, slot in ((Qt.Key.Key_Right, lambda: self.go(self.k + 1)),
                           (Qt.Key.Key_Left, lambda: self.go(self.k - 1)),
                           (Qt.Key.Key_PageDown, self.forward_round),
                           (Qt.Key.Key_PageUp, self.back_round),
                           (Qt.Key.Key_Home, lambda: self.go(0)),
                           (Qt.Key.Key_End, lambda: self.go(self.n))):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)
        self.resize(1366, 768)

    def set_language(self, lang: str) -> None:
        ui = self.ui
        self.lang = lang
        self.setWindowTitle(ui.t("replay.title", lang, name=self.path.name or "—"))
        for name, b in self.buttons.items():
            b.setText(ui.t(f"replay.{name}", lang))
        self.branch_button.setText(ui.t("replay.branch", lang))
        self.branch_button.setToolTip(ui.t("replay.branch_tip", lang))
        self._fill_jumps()
        for i, cid in enumerate(self.full.players):
            team = self.teams.get(cid)
            name = self.rules.companies[cid].name.get(lang)
            self.tabs.setTabText(i, f"{team} · {name}" if team else name)
        self._charts_key = None
        self._show()

    def _fill_jumps(self) -> None:
        ui, lang = self.ui, self.lang
        self.turning_combo.clear()
        self.turning_combo.addItem(ui.t("replay.turning", lang), None)
        for k, text in self.turning:
            self.turning_combo.addItem(text, k)
        self.bookmark_combo.clear()
        self.bookmark_combo.addItem(ui.t("replay.bookmarks", lang), None)
        for b in self.bookmarks:
            label = b.get("label") or ui.t("facil.bookmark_default", lang, index=b["index"])
            self.bookmark_combo.addItem(f"{b['index']} · {label}", b["index"])
        self.bookmark_combo.setEnabled(bool(self.bookmarks))

    def _turning_chosen(self, i: int) -> None:
        k = self.turning_combo.itemData(i)
        if k is not None:
            self.go(int(k))

    def _bookmark_chosen(self, i: int) -> None:
        k = self.bookmark_combo.itemData(i)
        if k is not None:
            self.go(int(k))

    # ------------------------------------------------------------------ moving

    def go(self, k: int) -> None:
        """Show the game after its first ``k`` actions (clamped to the game)."""
        k = max(0, min(self.n, int(k)))
        if k == self.k + 1:
            self.state.apply_action(self.history[self.k])
        elif k != self.k:
            self.state = self.state_at(k)
        self.k = k
        self._show()
        self.stepChanged.emit(k)

    def forward_round(self) -> None:
        """To the first action of the next quarter (or the end)."""
        now = self.rounds[self.k]
        self.go(next((k for k in range(self.k + 1, self.n + 1) if self.rounds[k] != now), self.n))

    def back_round(self) -> None:
        """To the start of this quarter, or of the one before when already there."""
        k = self.k
        start = k
        while start > 0 and self.rounds[start - 1] == self.rounds[k]:
            start -= 1
        if start == k and k > 0:
            prev = self.rounds[k - 1]
            start = k - 1
            while start > 0 and self.rounds[start - 1] == prev:
                start -= 1
        self.go(start)

    def _show(self) -> None:
        if not hasattr(self, "slider"):
            return
        s, lang, ui = self.state, self.lang, self.ui
        year, quarter = s.year_quarter
        self.position.setText(ui.t("replay.position", lang, k=self.k, n=self.n, year=year,
                                   quarter=quarter, round=s.round, rounds=s.scenario.rounds))
        if self.k == 0:
            self.last_action.setText(ui.t("replay.start_text", lang))
        else:
            from game.debrief.timeline import action_label

            action = self.history[self.k - 1]
            company = self._mover(self.k)
            name = self.teams.get(company) or self.rules.companies[company].name.get(lang)
            text = ui.t("replay.last_action", lang, company=name,
                        action=action_label(self.rules, str(action), lang))
            reason = self.reasons.get(str(self.k))
            self.last_action.setText(text + (f" — “{reason}”" if reason else ""))
        self.slider.blockSignals(True)
        self.slider.setValue(self.k)
        self.slider.blockSignals(False)
        self.buttons["back"].setEnabled(self.k > 0)
        self.buttons["first"].setEnabled(self.k > 0)
        self.buttons["back_round"].setEnabled(self.k > 0)
        for name in ("forward", "forward_round", "last"):
            self.buttons[name].setEnabled(self.k < self.n)
        for p in self.panels.values():
            p.refresh(s, lang)
        for scene in self.scenes.values():
            scene.refresh(s, lang, False)
        if not s.is_terminal():
            self.tabs.setCurrentIndex(list(s.players).index(s.current_company))
        key = (len(s.records), lang)
        if key != self._charts_key:       # the charts change only when a quarter is settled
            self._charts_key = key
            self._rebuild_charts()

    def _mover(self, k: int) -> str:
        """The company that played action ``k`` (1-based)."""
        return self.movers[k - 1]

    def _rebuild_charts(self) -> None:
        from .debrief import ChartsPanel, GameFacts

        if self.charts is not None:
            old, self.charts = self.charts, None
            self.charts_layout.removeWidget(old)
            old.hide()
            old.setParent(None)
            old.deleteLater()
        if not self.state.records:          # no quarter settled yet: nothing to draw
            return
        charts = ChartsPanel(GameFacts(self.state, self.rules), self.lang)
        charts.setMinimumSize(QSize(400, 300))
        self.charts_layout.addWidget(charts)
        self.charts = charts
