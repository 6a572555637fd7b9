"""The main window: a view over one game :class:`~game.session.Session`.

It reads the session's state to draw the board and panels; every change of the game goes
through the session: a person's actions (``session.apply`` / ``session.undo``) and the
computers' (``session.step``, one action per tick of a QTimer at the pace the user sets, or
``session.play`` all at once with Skip). A computer player that fails is reported once and its
turn ended (the session's ``on_player_error`` hook), so a class's game never stalls.

A searching computer (easy, normal, hard) decides on a worker thread (:mod:`.thinker`): its
decision starts as soon as it is to move, is shown at the pace set (or at once at pace 0), and
is played through the session on the GUI thread; a decision that no longer fits the game (a new
game, a seat handed back, the facilitator's hand) is dropped. Its one-line reason goes under the
move in the game log and into the caption under the board, whose node it built is marked
(issue 13). In projector mode the caption stands under the company panels, beside the event
card, not in a band under the board: the board keeps its whole height.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRect, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QFont, QFontInfo, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSlider,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from game.engine import Action, IllegalActionError, SaveError, new_game, render_log
from game.saves import CONTROLLER_KINDS, SaveMeta, load_game, save_game
from game.session import PlayerError, Session, SessionHooks

from .actionbar import ActionBar
from .autosave import AutosaveSlot, slot_path
from .board import BoardScene, BoardView
from .facilitator import Facilitator
from .i18n import UiTexts, ui_texts
from .logmodel import LogModel, LogView
from .newgame import GameConfig, NewGameDialog
from .panels import CompanyPanel, EventCard, InfoPanel, StatusHeader
from .qt_locale import use_qt_language
from .settings import SettingsReader
from .style import app_icon, mark_icon
from .thinker import DecidedSeat, Thinker, Thought, thinks_off_thread
from .window_memory import last_folder, remember_folder, restore_window, save_window

if TYPE_CHECKING:
    from .debrief import DebriefWindow  # imported when first opened
    from .howto import HowToPlayDialog
    from .quarter import QuarterSummary

DEFAULT_SIZE = (1600, 1000)     # on a screen with room for it
FRAME_ALLOWANCE = (16, 40)      # what a window manager adds around a window: borders, title bar
ZOOM_STEPS = (0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0)
LARGE_TEXT_ZOOM = 1.5          # projector mode: 18 px text (the 12 px default x 1.5)
MIN_TEXT_PX = 11               # no text under this at the normal size
PROJECTOR_MIN_PX = 18          # nor under this in projector mode
COMPACT_BELOW = 900            # a window lower than this shows the company figures compactly
DEFAULT_PACE_MS = 600
AI_KICK = QEvent.Type(QEvent.registerEventType())   # pace 0: see MainWindow._schedule_ai


class _Kick(QObject):
    """Calls ``call`` when it receives the event type ``kind``."""

    def __init__(self, kind: QEvent.Type, call, parent=None, once: bool = False) -> None:
        super().__init__(parent)
        self.kind, self.call, self.once = kind, call, once

    def event(self, event) -> bool:
        if event.type() == self.kind:
            self.call()
            if self.once:
                self.deleteLater()
            return True
        return super().event(event)
SAVE_FILTER = "Closed Loop (*.json)"
_APP_BASE_FONT: QFont | None = None


class _WindowHooks(SessionHooks):
    """What the window does when the session says so."""

    def __init__(self, window: MainWindow):
        self.window = window
        self._explained: tuple[int, Any] | None = None   # (log length, reason) of a choice

    def on_player_error(self, state, company: str, error: PlayerError) -> Action:
        # Say so once and end the computer's turn, so the game never stalls.
        traceback.print_exception(error.error, file=sys.stderr)
        self.window._computer_error(f"{type(error.error).__name__}: {error.error}")
        return Action(next(a.id for a in state.rules.actions if a.kind == "end_turn"))

    def on_choice(self, state, company: str, action: Action) -> None:
        # A searching computer says why (issue 13): its line under the move in the log, in the
        # caption under the board (the status bar then shows the move's own log line); its top
        # three options on request
        # (a double click on the log line, the caption's button, Facilitator -> The computer's
        # reasoning).
        player = self.window.computers.get(company)
        explain = getattr(player, "explain_last", None)
        exp = explain() if callable(explain) else None
        if exp is not None and getattr(exp, "action", None) != action:
            exp = None        # not this move's reason (a failed player's stand-in move)
        self._explained = (len(state.log), exp) if exp is not None else None
        if exp is not None and not exp.forced:
            self.window.explanations[company] = exp

    def on_action(self, state, move) -> None:
        explained, self._explained = self._explained, None
        exp = None
        if explained is not None and move.by_computer and explained[1].action == move.action:
            row, exp = explained
            if row < len(state.log):   # the move's first log line carries its reason
                self.window.log_model.add_note(row, state.log[row], exp)
        self.window.show_last_move(move, exp)

    def on_round_end(self, state, round_: int) -> None:
        # Skip plays many rounds at once: keep the autosave at most a round behind.
        if self.window._skipping and not state.is_terminal():
            self.window._autosave()
        # The summary is shown after the action, from after_change (the last round settled).
        self.window._settled_round = round_


class MainWindow(QMainWindow):
    """The whole game on one screen. ``session`` (and ``state``) are None until a game starts."""

    gameChanged = Signal()

    def __init__(self, rules, lang: str | None = None, settings: QSettings | None = None,
                 ui: UiTexts | None = None, parent=None, projector: bool | None = None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.about_box = None
        self.explanations: dict = {}          # company -> its searching computer's last reasons
        self.last_explained = None            # the last weighed decision: the board's caption
        self.rules = rules
        self.ui = ui or ui_texts()
        self.settings = settings if settings is not None else QSettings("closed-loop", "closed-loop")
        self.prefs = SettingsReader(self.settings)
        self.lang = lang if lang in ("zh", "en") else self.prefs.choice("lang", "zh", ("zh", "en"))
        self.autosave_slot = AutosaveSlot()
        self.autosave_slot.acquire()
        self.autosave_error: str | None = None
        self._autosave_errors_shown: set[str] = set()
        self.session: Session | None = None
        self.controllers: dict[str, str] = {}
        self._skipping = False
        self.config: GameConfig | None = None
        self.save_path: Path | None = None
        self.debrief: DebriefWindow | None = None
        self.new_game_dialog: NewGameDialog | None = None
        self.how_to: HowToPlayDialog | None = None
        self.quarter_summary: QuarterSummary | None = None
        self._settled_round: int | None = None     # set by the session's on_round_end hook
        self.confirm_box: QMessageBox | None = None    # the end-turn question while it is open
        self.selected_cap: str | None = None
        self.selected_company: str | None = None
        self._errors_shown: set[str] = set()
        self._seen_round: int | None = None
        self._seen_turn: tuple[int, int] | None = None
        self._debriefed = False
        self.scenes: dict[str, BoardScene] = {}
        self.views: dict[str, BoardView] = {}
        self.panels: dict[str, CompanyPanel] = {}
        self.action_bar: ActionBar | None = None
        global _APP_BASE_FONT
        if _APP_BASE_FONT is None:   # before any zoom: QApplication's font follows the zoom
            _APP_BASE_FONT = QFont(QApplication.font())
        self._base_font = QFont(_APP_BASE_FONT)
        self.zoom = self.prefs.number("zoom", 1.0, ZOOM_STEPS[0], ZOOM_STEPS[-1])
        self.projector = self.prefs.flag("projector", False)
        if projector is not None:
            self.projector = bool(projector)
        if self.projector:
            self.zoom = LARGE_TEXT_ZOOM
        self._arranged: tuple | None = None
        self.ai_timer = QTimer(self)
        self.ai_timer.setObjectName("aiTimer")
        self.ai_timer.setSingleShot(True)
        self.ai_timer.timeout.connect(self._ai_step)
        self._ai_kick = _Kick(AI_KICK, self._ai_kicked, self)
        self._ai_kick_pending = False
        # a searching computer decides on a worker thread (see .thinker)
        self.thinker = Thinker(self)
        self.thinker.thought.connect(self._thought_arrived)
        self._ready: Thought | None = None      # a decision made, waiting for the pace
        self._thought_due = False               # the pace has come while the computer thinks
        self._skip_on = False                   # Skip plays on as each decision arrives
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._stop_thinking)
        self._closed = False
        self._build_actions()
        self._build_static()
        self.facilitator = Facilitator(self)   # teams, timer, pause, seats, bookmarks, replay
        self._build_shortcuts()
        self._build_autosave_warning()
        if not restore_window(self, self.settings):   # last run's size and place, if it still fits
            self.fit_to_screen()
        self.apply_zoom(self.zoom)
        self.setWindowIcon(app_icon())
        use_qt_language(self.lang)     # Qt's own dialogs and buttons in the game's language
        self.retranslate()
        self.refresh()  # no game yet: undo and skip start disabled

    @property
    def state(self):
        """The game shown (the session's state), or None."""
        return self.session.state if self.session is not None else None

    @property
    def computers(self) -> dict:
        """Company id -> its computer player, None for a person: the session's seats."""
        return self.session.seats if self.session is not None else {}

    # ================================================================ construction

    def _act(self, name: str, slot, shortcut=None, checkable=False) -> QAction:
        a = QAction(self)
        a.setObjectName(name)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))
        a.setCheckable(checkable)
        a.triggered.connect(slot)
        self.addAction(a)
        return a

    def _build_actions(self) -> None:
        K = QKeySequence.StandardKey
        self.a_new = self._act("actNew", lambda: self.show_new_game_dialog(), K.New)
        self.a_open = self._act("actOpen", lambda: self.open_dialog(), K.Open)
        self.a_save = self._act("actSave", lambda: self.save(), K.Save)
        self.a_save_as = self._act("actSaveAs", lambda: self.save_as_dialog(), "Ctrl+Shift+S")
        self.a_quit = self._act("actQuit", self.close, "Ctrl+Q")
        self.a_undo = self._act("actUndo", lambda: self.undo(), K.Undo)
        self.a_skip = self._act("actSkip", lambda: self.skip_computer(), "Ctrl+K")
        self.a_confirm = self._act("actConfirmEnd", self._toggle_confirm, checkable=True)
        self.a_confirm.setChecked(self._confirm_end())
        self.a_debrief = self._act("actDebrief", lambda: self.open_debrief(force=True))
        self.a_quarter = self._act("actQuarterSummary", self._set_quarter_summaries, checkable=True)
        self.a_quarter.setChecked(self._quarter_summaries())
        self.a_events = self._act("actShowEvents", lambda: self.show_events())
        self.a_zoom_in = self._act("actZoomIn", lambda: self.step_zoom(+1))
        self.a_zoom_in.setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++"),
                                     QKeySequence(K.ZoomIn)])
        self.a_zoom_out = self._act("actZoomOut", lambda: self.step_zoom(-1), "Ctrl+-")
        self.a_zoom_reset = self._act("actZoomReset", lambda: self.set_projector(False)
                                     if self.projector else self.apply_zoom(1.0), "Ctrl+0")
        self.a_large = self._act("actLargeText", self._toggle_large, "Ctrl+Shift+P", checkable=True)
        self.a_full = self._act("actFullScreen", self.toggle_full_screen, "F11", checkable=True)
        self.a_help = self._act("actHelp", lambda: self.show_how_to_play(), "F1")
        self.a_about = self._act("actAbout", lambda: self.show_about())
        self.a_about.setMenuRole(QAction.MenuRole.AboutRole)
        self.lang_group = QActionGroup(self)
        self.a_lang = {}
        for code, label in (("zh", "中文"), ("en", "English")):
            a = self._act(f"actLang_{code}", lambda _=False, c=code: self.set_language(c),
                          checkable=True)
            a.setText(label)
            a.setChecked(code == self.lang)
            self.lang_group.addAction(a)
            self.a_lang[code] = a

        mb = self.menuBar()
        self.m_file = mb.addMenu("")
        self.m_file.setObjectName("menuFile")
        for a in (self.a_new, self.a_open, self.a_save, self.a_save_as):
            self.m_file.addAction(a)
        self.m_file.addSeparator()
        self.m_file.addAction(self.a_quit)
        self.m_game = mb.addMenu("")
        self.m_game.setObjectName("menuGame")
        for a in (self.a_undo, self.a_skip, self.a_events, self.a_confirm, self.a_quarter,
                  self.a_debrief):
            self.m_game.addAction(a)
        self.m_view = mb.addMenu("")
        self.m_view.setObjectName("menuView")
        self.m_lang = self.m_view.addMenu("")
        for a in self.a_lang.values():
            self.m_lang.addAction(a)
        for a in (self.a_zoom_in, self.a_zoom_out, self.a_zoom_reset, self.a_large, self.a_full):
            self.m_view.addAction(a)
        self.m_help = mb.addMenu("")
        self.m_help.addAction(self.a_help)
        self.m_help.addSeparator()
        self.m_help.addAction(self.a_about)

        tb = self.toolbar = QToolBar(self)
        tb.setObjectName("mainToolBar")
        tb.setMovable(False)
        tb.setIconSize(QSize(16, 16))
        self.addToolBar(tb)
        tb.addAction(self.a_new)
        tb.addAction(self.a_open)
        tb.addAction(self.a_save)
        tb.addSeparator()
        self.undo_button = QPushButton()
        self.undo_button.setObjectName("undoButton")
        self.undo_button.clicked.connect(self.undo)
        tb.addWidget(self.undo_button)
        tb.addSeparator()
        self.pace_label = QLabel()
        tb.addWidget(self.pace_label)
        self.pace = QSlider(Qt.Orientation.Horizontal)
        self.pace.setObjectName("paceSlider")
        self.pace.setRange(0, 2000)
        self.pace.setSingleStep(100)
        self.pace.setPageStep(250)
        self.pace.setFixedWidth(140)
        self.pace.setValue(self.prefs.integer("pace_ms", DEFAULT_PACE_MS, 0, 2000))
        self.pace.valueChanged.connect(self._pace_changed)
        tb.addWidget(self.pace)
        self.pace_value = QLabel()
        self.pace_value.setObjectName("paceValue")
        tb.addWidget(self.pace_value)
        self.skip_button = QPushButton()
        self.skip_button.setObjectName("skipButton")
        self.skip_button.clicked.connect(self.skip_computer)
        tb.addWidget(self.skip_button)
        tb.addSeparator()
        self.lang_button = QPushButton()
        self.lang_button.setObjectName("langButton")
        self.lang_button.clicked.connect(
            lambda: self.set_language("en" if self.lang == "zh" else "zh"))
        tb.addWidget(self.lang_button)
        tb.addAction(self.a_zoom_out)
        tb.addAction(self.a_zoom_in)
        tb.addAction(self.a_full)

    def _build_static(self) -> None:
        """The right column (event card, explanations, log) and an empty game area."""
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.game_area = QWidget()
        self.game_area.setObjectName("gameArea")
        self.game_layout = QVBoxLayout(self.game_area)
        self.game_layout.setContentsMargins(6, 6, 6, 6)
        self._game_spacing = self.game_layout.spacing()      # the style's; less in projector mode
        self.placeholder = QLabel()
        self.placeholder.setObjectName("noGameLabel")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.game_layout.addWidget(self.placeholder)
        self.splitter.addWidget(self.game_area)

        side = self.side = QWidget()
        side.setObjectName("sidePanel")
        sl = self.side_layout = QVBoxLayout(side)
        sl.setContentsMargins(4, 6, 6, 6)
        self.event_card = EventCard(self.rules, self.ui)
        self.event_card.hovered.connect(
            lambda eid: self.info.show_subject("event", eid, state=self.state, lang=self.lang))
        sl.addWidget(self.event_card)
        self.info_title = QLabel()
        self.info_title.setObjectName("infoTitle")
        self.info_title.setProperty("fontScale", 1.0)
        self.info_title.setProperty("fontBold", True)
        sl.addWidget(self.info_title)
        self.info: InfoPanel = InfoPanel(self.rules, self.ui)
        sl.addWidget(self.info, 3)
        self.log_title = QLabel()
        self.log_title.setObjectName("logTitle")
        self.log_title.setProperty("fontScale", 1.0)
        self.log_title.setProperty("fontBold", True)
        sl.addWidget(self.log_title)
        self.log_model = LogModel(self.rules, self)
        self.log_view = LogView(self.log_model)     # appended to, never rebuilt by an action
        self.log_view.entryClicked.connect(self._log_clicked)
        self.log_view.reasoningRequested.connect(self.show_reasoning)
        sl.addWidget(self.log_view, 4)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([1180, 420])
        self.setCentralWidget(self.splitter)
        self.info.show_subject("intro", lang=self.lang)

    def _build_autosave_warning(self) -> None:
        """A lasting mark in the status bar while autosave fails, with a way to save elsewhere."""
        self.autosave_warning = QPushButton()
        self.autosave_warning.setObjectName("autosaveWarning")
        self.autosave_warning.setFlat(True)
        self.autosave_warning.setStyleSheet("color: #A02020; font-weight: bold;")
        self.autosave_warning.clicked.connect(lambda: self.save_as_dialog())
        self.autosave_warning.hide()
        self.statusBar().addPermanentWidget(self.autosave_warning)

    def _build_shortcuts(self) -> None:
        """One shortcut per ActionSpec.key (the rules choose the keys)."""
        self.shortcuts: dict[str, QShortcut] = {}
        taken = {QKeySequence(s).toString() for a in self.actions() for s in a.shortcuts()}
        for spec in self.rules.actions:
            if not spec.key:
                continue
            seq = QKeySequence(spec.key)
            if seq.isEmpty() or seq.toString() in taken:
                continue
            sc = QShortcut(seq, self)
            sc.setObjectName(f"shortcut_{spec.id}")
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(lambda s=spec: self._shortcut(s))
            self.shortcuts[spec.id] = sc
            taken.add(seq.toString())

    def _build_game_area(self) -> None:
        """Panels, boards and the action bar for the companies of the current game."""
        self._place_event_card(beside_companies=False)   # out of the row about to go
        for i in reversed(range(self.game_layout.count())):
            item = self.game_layout.itemAt(i)
            w = item.widget() if item is not None else None
            if w is not None and w is not self.placeholder:
                self.game_layout.takeAt(i)
                w.setParent(None)
                w.deleteLater()
        self.placeholder.hide()
        state, rules = self.state, self.rules
        self.status_header = StatusHeader(rules, self.ui)
        self.statusBar().messageChanged.connect(self.status_header.show_message)
        self.status_header.debriefRequested.connect(lambda: self.open_debrief(force=True))
        self.game_layout.addWidget(self.status_header)
        panels_row = QHBoxLayout()
        panels_row.setSpacing(6)
        self.panels = {}
        for cid in state.players:
            p = CompanyPanel(rules, self.ui, cid, self.controllers.get(cid, "human"))
            p.clicked.connect(self._panel_clicked)
            panels_row.addWidget(p)
            self.panels[cid] = p
        # Under the panels, in projector mode: the caption of a searching computer's last move
        # (one page per board, the shown board's on top), beside the event card, not in the
        # board's height. Where the card is the taller (English at 1280x720) it costs nothing;
        # else the row is a line higher (Chinese at 1280x720: node names 18-19 px, not 19).
        self.caption_stack = QStackedWidget()
        self.caption_stack.setObjectName("lastMoveStrip")
        self.caption_stack.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.caption_pages: dict[str, QHBoxLayout] = {}
        for cid in state.players:
            page = QWidget()
            page.setObjectName(f"lastMoveStrip_{cid}")
            lay = QHBoxLayout(page)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.setSpacing(4)
            self.caption_stack.addWidget(page)
            self.caption_pages[cid] = lay
        self.caption_stack.hide()
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(3)
        column.addLayout(panels_row, 1)
        column.addWidget(self.caption_stack)
        row = QHBoxLayout()
        row.setSpacing(6)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(column)
        holder = QWidget()
        holder.setObjectName("companyPanels")
        holder.setLayout(row)
        self.cards_row = row
        self.game_layout.addWidget(holder)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("boardTabs")
        self.scenes, self.views = {}, {}
        for cid in state.players:
            scene = BoardScene(rules, self.ui, cid, state.loop, None, zoom=self.zoom, lang=self.lang)
            scene.nodeClicked.connect(self.node_clicked)
            scene.nodeHovered.connect(self._node_hovered)
            scene.nodeActivated.connect(self.node_activated)
            view = BoardView(scene)
            scene.setParent(view)          # owned by its view: deleted with it
            view.optionsRequested.connect(lambda: self.show_reasoning(self.last_explained))
            self.scenes[cid], self.views[cid] = scene, view
            c = rules.companies[cid]
            self.tabs.addTab(view, mark_icon(c.mark, c.color, 16), "")
        self.tabs.currentChanged.connect(self.caption_stack.setCurrentIndex)
        self.game_layout.addWidget(self.tabs, 1)
        self.action_bar = ActionBar(rules, self.ui, state.players)
        self.action_bar.actionTriggered.connect(self.request_action)
        self.action_bar.actionHovered.connect(
            lambda aid: self.info.show_subject("action", aid, state=self.state, lang=self.lang))
        self.game_layout.addWidget(self.action_bar)
        self.facilitator.game_area_built()

    # ================================================================ starting games

    def start(self) -> None:
        """At program start: offer to resume an unfinished autosave, else ask for a new game.

        The autosaves looked at are this window's and those of windows that closed or crashed;
        nothing found there (damaged, unreadable, a read-only folder) stops the app starting.
        """
        self._report_startup_problems()
        slot = self.autosave_slot
        for index in slot.orphans():
            path = slot_path(index, slot.folder)
            try:
                state, meta = load_game(self.facilitator.rules_for(path), path)
            except SaveError as exc:
                why = slot.remove(index)
                if why is None:
                    self.show_error(self.ui.t("error.autosave_bad", self.lang, error=str(exc)))
                else:
                    self.show_error(self.ui.t("error.autosave_bad_kept", self.lang,
                                              error=str(exc), why=why))
                continue
            if state.is_terminal():
                slot.remove(index)
                continue
            if slot.locked:
                slot.take_over(index)
            self._offer_resume(state, meta, index)
            return
        self.show_new_game_dialog()

    def _report_startup_problems(self) -> None:
        """Say once what the app could not do at start: settings it ignored, no autosave."""
        problems = list(dict.fromkeys(self.prefs.problems))
        if problems:
            text = self.ui.t("error.settings_bad", self.lang, problems="; ".join(problems))
            print(text, file=sys.stderr)
            self.statusBar().showMessage(text, 15000)
            self.prefs.problems.clear()
        problem = self.autosave_slot.problem
        if problem is not None:
            self._autosave_failed(f"{problem.folder}: {problem.reason}")

    def _offer_resume(self, state, meta: SaveMeta, index: int) -> None:
        ui, lang = self.ui, self.lang
        year, quarter = state.year_quarter
        box = QMessageBox(self)
        box.setObjectName("resumeBox")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(ui.t("resume.title", lang))
        box.setText(ui.t("resume.text", lang, year=year, quarter=quarter,
                         scenario=state.scenario.name.get(lang)))
        yes = box.addButton(ui.t("resume.yes", lang), QMessageBox.ButtonRole.YesRole)
        yes.setObjectName("resumeYes")
        no = box.addButton(ui.t("resume.no", lang), QMessageBox.ButtonRole.NoRole)
        no.setObjectName("resumeNo")
        self.resume_box: QMessageBox | None = box

        def done() -> None:
            if box.clickedButton() is yes:
                self.facilitator.use_rules(state.rules, meta.extra.get("rules_dir"))
                self.set_game(state, meta.controllers, None, extra=meta.extra)
            else:
                why = self.autosave_slot.remove(index)
                if why is not None:
                    self.show_error(self.ui.t("error.autosave_not_removed", self.lang, error=why))
                self.show_new_game_dialog()
            self.resume_box = None

        box.finished.connect(lambda _: done())
        box.open()

    def show_new_game_dialog(self) -> NewGameDialog:
        if self.new_game_dialog is not None:
            self.new_game_dialog.raise_()
            return self.new_game_dialog
        dlg = NewGameDialog(self.facilitator.builtin_rules, self.ui, self.lang, self,
                            previous=self.config)    # a rules folder chosen comes back with it
        self.new_game_dialog = dlg

        def accepted() -> None:
            cfg = dlg.config()
            if cfg.lang != self.lang:
                self.set_language(cfg.lang)
            self.start_game(cfg)

        def finished(_: int) -> None:
            self.new_game_dialog = None
            dlg.deleteLater()

        dlg.accepted.connect(accepted)
        dlg.finished.connect(finished)
        dlg.open()
        return dlg

    def start_game(self, cfg: GameConfig) -> None:
        rules = cfg.rules or self.facilitator.builtin_rules
        try:
            state = new_game(rules, cfg.scenario, cfg.seed, companies=cfg.companies)
        except (ValueError, KeyError) as exc:
            self.show_error(str(exc))
            return
        self.facilitator.use_rules(rules, cfg.rules_dir if cfg.rules is not None else None)
        self.config = cfg
        self.set_game(state, cfg.controllers, None,
                      extra={"teams": dict(cfg.teams), "timer": cfg.timer_minutes})

    def set_game(self, state, controllers: dict | None = None, save_path: Path | None = None,
                 extra: dict | None = None) -> None:
        """Show ``state`` (new, loaded or given by a test) and play on from it. ``extra`` is
        the session's part of a save's meta (teams, timer, bookmarks, reasons)."""
        self.ai_timer.stop()
        self.thinker.cancel()        # a decision still running belongs to the last game
        self._ready, self._thought_due, self._skip_on = None, False, False
        self.explanations = {}
        self.last_explained = None
        if self.debrief is not None:
            self.debrief.close()
            self.debrief = None
        if self.quarter_summary is not None:
            self.quarter_summary.close()
        self._settled_round = None
        self.event_card.hide()
        ctl = {}
        if not isinstance(controllers, dict):   # a caller's mistake must not break the window
            controllers = {}
        for cid in state.players:
            v = controllers.get(cid, "human")
            ctl[cid] = v if v in CONTROLLER_KINDS else "human"
        self.controllers = ctl
        if self.config is None or set(self.config.controllers) != set(ctl):
            self.config = GameConfig(state.scenario.id, dict(ctl), state.seed, self.lang)
        from game.players import make_player  # with numpy: after the first paint, not before

        seats = {cid: None if kind == "human" else make_player(kind, state.seed + i)
                 for i, (cid, kind) in enumerate(ctl.items())}
        self.session = Session(state, seats, [_WindowHooks(self)])
        self.facilitator.set_game(state, extra)
        self.save_path = Path(save_path) if save_path else None
        self.selected_cap = None
        self.selected_company = None
        self._errors_shown = set()
        self._seen_round = None
        self._seen_turn = None
        self._debriefed = state.is_terminal()
        self.info.set_state(state, self.lang)
        if self.how_to is not None:
            self.how_to.set_scenario(state.scenario)
        self._build_game_area()
        self.log_model.clear_notes()
        self.log_model.set_entries([], self.lang)
        self.apply_zoom(self.zoom)
        self.retranslate()
        self.after_change()
        self.gameChanged.emit()

    # ================================================================ playing

    def is_human_turn(self) -> bool:
        return self.session is not None and self.session.is_human_turn()

    def _build_id(self) -> str:
        return next(a.id for a in self.rules.actions if a.kind == "build")

    def node_clicked(self, company: str, cap: str) -> None:
        """First click selects a node (and explains it); a click on the selected node builds."""
        again = self.selected_cap == cap and self.selected_company == company
        self.selected_cap, self.selected_company = cap, company
        for s in self.scenes.values():
            s.select(cap if s.company_id == company else None)
        self.info.show_subject("capability", cap, company, state=self.state, lang=self.lang)
        if self.state is None:
            return
        if not self.is_human_turn():
            self.refresh()
            return
        if company != self.state.current_company:
            name = self.rules.companies[company].name.get(self.lang)
            self.statusBar().showMessage(self.ui.t("msg.not_your_board", self.lang, company=name), 5000)
            self.refresh()
            return
        if self.state.node_state(company, cap) == "built":
            self.refresh()
            return
        action = Action(self._build_id(), cap)
        reason = self.state.why_illegal(action)
        if again or reason is not None:
            self.request_action(action)   # builds, or says why not
            return
        name = self.rules.capability(cap).name.get(self.lang)
        self.statusBar().showMessage(self.ui.t("build.selected", self.lang, name=name), 8000)
        self.refresh()

    def node_activated(self, company: str, cap: str) -> None:
        """Enter or Space on the keyboard's node: as a click on the selected node (builds it
        when it may be built, else says why not)."""
        self.selected_cap, self.selected_company = cap, company
        self.node_clicked(company, cap)
        view = self.views.get(company)
        if view is not None:
            view.describe_focus()

    def request_action(self, action: Action) -> None:
        """From a button, a key or a node: check, confirm end of turn, apply."""
        state = self.state
        if state is None or not self.is_human_turn():
            return
        reason = state.why_illegal(action)
        if reason is not None:
            msg = self.ui.t("tip.not_now", self.lang, reason=state.explain(reason, self.lang))
            self.statusBar().showMessage(msg, 6000)
            self.refresh()
            return
        if self.rules.action(action.id).kind == "end_turn" and self._confirm_end() \
                and state.actions_left > 0:   # nothing left to lose: no question
            self._confirm_end_turn(action)
            return
        self.apply(action)

    def _confirm_end_turn(self, action: Action) -> None:
        ui, lang, state = self.ui, self.lang, self.state
        box = QMessageBox(self)
        box.setObjectName("confirmEndTurn")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(ui.t("confirm.title", lang))
        name = self.rules.companies[state.current_company].name.get(lang)
        # only asked with actions left (request_action): say how many
        box.setText(ui.t("confirm.text", lang, company=name) + "\n"
                    + ui.t("confirm.unused", lang, left=state.actions_left))
        yes = box.addButton(ui.t("confirm.yes", lang), QMessageBox.ButtonRole.YesRole)
        yes.setObjectName("confirmYes")
        no = box.addButton(ui.t("common.cancel", lang), QMessageBox.ButtonRole.NoRole)
        no.setObjectName("confirmNo")
        # Enter twice must not end a turn with actions left: the default is Cancel
        box.setDefaultButton(no)
        box.setEscapeButton(no)
        check = QCheckBox(ui.t("confirm.dont_ask", lang))
        check.setObjectName("confirmDontAsk")
        box.setCheckBox(check)
        self.confirm_box = box

        def done() -> None:
            if check.isChecked():
                self.settings.setValue("confirm_end_turn", False)
                self.a_confirm.setChecked(False)
            if box.clickedButton() is yes and self.state is state:
                self.apply(action)
            self.confirm_box = None
            box.deleteLater()

        box.finished.connect(lambda _: done())
        box.open()

    def apply(self, action: Action) -> bool:
        """Send one action to the game; an error becomes a message, never a traceback."""
        session = self.session

        def play() -> None:
            assert session is not None, "no game"   # an error shown by _played, as ever
            session.apply(action)

        if not self._played(play):
            return False
        self.after_change()
        return True

    def _played(self, play) -> bool:
        """Run ``play()`` (one or more moves of the session); an error becomes a message."""
        try:
            play()
        except IllegalActionError as exc:
            self.show_error(self.ui.t("error.illegal", self.lang,
                                      reason=self.state.explain(exc.reason, self.lang)))
            return False
        except Exception as exc:  # an engine bug must not kill a class's game
            traceback.print_exc(file=sys.stderr)
            self.show_error(self.ui.t("error.engine", self.lang, error=f"{type(exc).__name__}: {exc}"))
            return False
        return True

    def undo(self) -> None:
        s, session = self.state, self.session
        if s is None or session is None or not self.is_human_turn() or s.undoable_in_turn <= 0:
            return
        try:
            session.undo()
        except Exception as exc:
            self.show_error(self.ui.t("error.engine", self.lang, error=str(exc)))
            return
        self.statusBar().showMessage(self.ui.t("msg.undone", self.lang), 3000)
        self.after_change()

    def _shortcut(self, spec) -> None:
        if self.state is None or not self.is_human_turn():
            return
        if spec.kind == "build":
            if self.selected_cap:
                self.request_action(Action(spec.id, self.selected_cap))
            else:
                self.statusBar().showMessage(self.ui.t("msg.select_first", self.lang), 5000)
            return
        if spec.kind in ("ban_links", "poach"):
            targets = [a.target for a in self.state.candidate_actions() if a.id == spec.id]
            legal = [c for c in targets if self.state.why_illegal(Action(spec.id, c)) is None]
            if len(legal) == 1:
                self.request_action(Action(spec.id, legal[0]))
            elif legal:
                menu = QMenu(self)
                menu.setObjectName(f"targetMenu_{spec.id}")
                menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                for c in legal:
                    co = self.rules.companies[c]
                    a = menu.addAction(mark_icon(co.mark, co.color, 16), co.name.get(self.lang))
                    a.triggered.connect(lambda _=False, t=c: self.request_action(Action(spec.id, t)))
                bar = self.action_bar
                btn = bar.buttons.get(Action(spec.id, legal[0])) if bar is not None else None
                menu.popup(btn.mapToGlobal(btn.rect().bottomLeft()) if btn else self.cursor().pos())
            elif targets:
                self.request_action(Action(spec.id, targets[0]))  # shows the reason
            return
        self.request_action(Action(spec.id))

    # ---------------------------------------------------------------- computer turns

    def _schedule_ai(self) -> None:
        s = self.state
        if s is None or s.is_terminal() or self.is_human_turn() or self.facilitator.paused:
            self.ai_timer.stop()
            return
        if self._skip_on:            # Skip drives the computers (see _skip_step)
            return
        self._start_thinking()       # a searching computer starts now; its move comes at the pace
        if self.ai_timer.isActive() or self._ai_kick_pending:
            return
        pace = self.pace.value()
        if pace > 0:
            self.ai_timer.start(pace)
            return
        # Pace 0: the computer moves as soon as the window has repainted. A posted event of
        # lower priority than Qt's own update request comes after the repaint; it starts the
        # timer, so the computer's turn runs in the next pass of the event loop, after the
        # window has shown the last move (a timer alone may fire before the repaint).
        self._ai_kick_pending = True
        QCoreApplication.postEvent(self._ai_kick, QEvent(AI_KICK),
                                   int(Qt.EventPriority.LowEventPriority.value) - 1)

    def _ai_kicked(self) -> None:
        self._ai_kick_pending = False
        s = self.state
        if self._closed or s is None or s.is_terminal() or self.is_human_turn():
            return
        if not self.ai_timer.isActive():
            self.ai_timer.start(0)

    def _mover_thinks_off_thread(self) -> bool:
        session = self.session
        if session is None or session.is_over():
            return False
        return thinks_off_thread(session.seats.get(session.state.current_company))

    def _start_thinking(self) -> bool:
        """Start the decision of a searching computer to move on the worker, unless it is made
        or being made. Returns whether a decision for this position is on its way or ready."""
        session = self.session
        if session is None or self._closed or not self._mover_thinks_off_thread():
            return False
        if self._ready is not None and self.thinker.is_current(self._ready.ticket, session):
            return True
        self._ready = None
        ticket = self.thinker.ticket
        if ticket is not None:       # running: this position's, or a stale one to wait for
            return self.thinker.is_current(ticket, session)
        self.thinker.think(session)
        self.facilitator.refresh()   # "the computer is thinking"
        return True

    def _take_ready(self) -> Thought | None:
        """The decision made for the position in front of us, if any (a stale one is dropped)."""
        ready, self._ready = self._ready, None
        if ready is not None and self.thinker.is_current(ready.ticket, self.session):
            return ready
        return None

    def _play_thought(self, thought: Thought) -> bool:
        """Play a decision made on the worker through the session, as any computer move."""
        session = self.session
        assert session is not None
        company = thought.ticket.company
        player = session.seats[company]

        def play() -> None:
            session.seats[company] = DecidedSeat(player, thought)
            try:
                session.step()
            finally:
                session.seats[company] = player

        return self._played(play)

    def _thought_arrived(self, thought: Thought) -> None:
        """A decision ended on the worker (on the GUI thread now): keep it if it still fits the
        game, then go on where the computers were waiting for it."""
        if not self._closed and self.thinker.is_current(thought.ticket, self.session):
            self._ready = thought
        if self._closed:
            return
        if self._skip_on:
            self._skip_step()
            return
        due, self._thought_due = self._thought_due, False
        if due:
            self._ai_step()
        elif self._ready is None:
            self._schedule_ai()      # a stale one ended: the computer to move goes on

    def _ai_step(self) -> None:
        """One computer move at the pace set; at pace 0 the computer's whole turn, then one
        update of the view (not one after every action). A searching computer's move is the
        decision made on the worker: played now if it is ready, else as soon as it arrives."""
        session = self.session
        if session is None or session.is_over() or session.is_human_turn() \
                or self.facilitator.paused or self._skip_on:
            return
        if self._mover_thinks_off_thread():
            ready = self._take_ready()
            if ready is None:
                self._thought_due = True    # _thought_arrived steps again
                self._start_thinking()
                return
            if self._play_thought(ready):
                self.after_change()
            return
        if self.thinker.busy:
            # a stale decision still running: no player chooses on two threads at once
            self._thought_due = True
            return
        s = session.state
        mover, round_ = s.current_company, s.round

        def play() -> None:
            if self.pace.value() > 0:
                session.step()
            else:
                session.play(until=lambda st: st.current_company != mover or st.round != round_)

        if self._played(play):
            self.after_change()

    def show_last_move(self, move, explanation) -> None:
        """After every move (the session's hook): a searching computer's weighed decision
        becomes the board's caption and marks the node it built; a forced move of it (its turn
        ends: nothing else to do) leaves the caption as it is; any other move clears it."""
        if explanation is not None and explanation.forced:
            return
        self.last_explained = explanation

    def _refresh_last_move(self) -> None:
        """The caption under every board and the mark on the node of the last weighed decision."""
        session, lang = self.session, self.lang
        exp = self.last_explained
        searching = session is not None and any(thinks_off_thread(p) for p in session.seats.values())
        text = exp.line(lang) if exp is not None else ""
        build = self._build_id()
        band = searching or exp is not None
        if self.views:
            # projector mode: the caption under the company panels (see _arrange)
            self.caption_stack.setVisible(band and self.projector)
        for cid, view in self.views.items():
            view.set_caption_band(band)
            view.set_caption(text, self.ui.t("lastmove.empty", lang), self.ui.t("lastmove.options", lang),
                             self.ui.t("lastmove.options_tip", lang), self.ui.t("lastmove.caption_name", lang))
            target = None
            if exp is not None and exp.company == cid and exp.action.id == build:
                target = exp.action.target
            self.scenes[cid].set_last_move(target)

    def show_reasoning(self, explanation=None):
        """The top three options of ``explanation`` (a log line's or the caption's decision),
        or of every searching computer's last decision."""
        return self.facilitator.tools.show_reasoning([explanation] if explanation is not None else None)

    def _stop_thinking(self) -> None:
        """Drop the decision in progress and wait for the worker to end (the window closes or
        the app quits: no thread may outlive them)."""
        self.thinker.cancel()
        self._ready, self._thought_due, self._skip_on = None, False, False
        self.thinker.wait()

    def _computer_error(self, error: str) -> None:
        """Show a computer player's error once (non-modal); repeats go to the status bar."""
        text = self.ui.t("error.computer", self.lang, error=error)
        self.statusBar().showMessage(text, 8000)
        box = getattr(self, "_computer_error_box", None)
        if error in self._errors_shown or (box is not None and box.isVisible()):
            return
        self._errors_shown.add(error)
        self._computer_error_box = self.show_error(text)

    def skip_computer(self) -> None:
        """Play the computers' moves at once, up to the next person's turn or the end (the
        autosave follows round by round: see _WindowHooks). The rule-of-thumb and random
        computers play at once; a searching computer's decisions still run on the worker, each
        played as it arrives, so the window stays alive while they think."""
        session = self.session
        if session is None or self.facilitator.paused:
            return
        self.ai_timer.stop()
        self._skip_on = True
        self._skip_step()

    def _skip_step(self) -> None:
        """Skip's loop: play on until a person is to move, the game ends or the computers are
        paused; return while a searching computer thinks (its decision calls this again)."""
        session = self.session
        while True:
            if session is None or session.is_over() or session.is_human_turn() \
                    or self.facilitator.paused or self._closed:
                break
            if self.thinker.busy and not self._mover_thinks_off_thread():
                return                       # a stale decision ends first
            if self._mover_thinks_off_thread():
                ready = self._take_ready()
                if ready is None:
                    self._start_thinking()
                    self.refresh()
                    return
                if not self._play_thought(ready):
                    break
                self.after_change()         # each searched move shown, with its reason
                continue
            self._skipping = True
            try:
                ok = self._played(lambda: session.play(
                    max_actions=100_000,
                    until=lambda st: thinks_off_thread(session.seats.get(st.current_company))))
            finally:
                self._skipping = False
            if not ok:
                break
        self._skip_on = False
        self.after_change()

    # ---------------------------------------------------------------- after every change

    def after_change(self) -> None:
        s = self.state
        if s is None:
            return
        new_round = self._seen_round != s.round
        if new_round:
            self._seen_round = s.round
            self.event_card.show_events(s.round_events, s.year_quarter, self.lang)
            if s.round_events:
                self.info.show_subject("event", ",".join(s.round_events), state=s, lang=self.lang)
        # after every completed action, so a killed app loses at most the action in progress:
        # atomic at once; on the disk itself (fsync, against a power cut) once a quarter, after
        # the window has shown the new quarter
        if not s.is_terminal() and self._autosave(durable=False) and new_round:
            self._after_paint(self._sync_autosave)
        turn = (s.round, s.turn_pos)
        if turn != self._seen_turn and not s.is_terminal():
            self._seen_turn = turn
            idx = list(s.players).index(s.current_company)
            self.tabs.setCurrentIndex(idx)
        if s.log:
            last = s.log[-1]
            if last.key not in ("round_start", "income"):
                self.statusBar().showMessage(render_log(self.rules, last, self.lang), 8000)
        self.refresh()
        settled, self._settled_round = self._settled_round, None
        if settled is not None and not s.is_terminal():
            self.show_quarter_summary(settled, automatic=True)
        if s.is_terminal():
            self.ai_timer.stop()
            if self.quarter_summary is not None:   # the debrief takes over
                self.quarter_summary.close()
            why = self.autosave_slot.remove()
            if why is not None:
                self.statusBar().showMessage(self.ui.t("error.autosave_not_removed", self.lang,
                                                       error=why), 8000)
            if not self._debriefed:
                self._debriefed = True
                self.open_debrief()
        else:
            self._schedule_ai()

    def refresh(self) -> None:
        """Redraw everything from the state (cheap enough to do after every action)."""
        s, lang = self.state, self.lang
        human = self.is_human_turn()
        if s is None:
            self.undo_button.setEnabled(False)
            self.a_undo.setEnabled(False)
            self.skip_button.setEnabled(False)
            self.a_skip.setEnabled(False)
            return
        self.status_header.refresh(s, lang, self.controllers)
        for p in self.panels.values():
            p.refresh(s, lang)
        for cid, scene in self.scenes.items():
            scene.refresh(s, lang, human and cid == s.current_company)
            if scene.focused is not None:
                self.views[cid].describe_focus()
        for i, cid in enumerate(s.players):
            c = self.rules.companies[cid]
            label = c.name.get(lang)
            if cid == s.current_company and not s.is_terminal():
                label = self.ui.t("board.tab_current", lang, company=label)
            if self.tabs.tabText(i) != label:        # the same text again still repaints
                self.tabs.setTabText(i, label)
        sel = self.selected_cap if self.selected_company == s.current_company else None
        assert self.action_bar is not None   # built with the game, like the boards
        self.action_bar.refresh(s, lang, human, sel)
        can_undo = human and s.undoable_in_turn > 0
        self.undo_button.setEnabled(can_undo)
        self.a_undo.setEnabled(can_undo)
        self.undo_button.setToolTip(self.ui.t("tip.undo", lang) if can_undo
                                    else self.ui.t("tip.undo_none", lang))
        computer_turn = not s.is_terminal() and not human
        self.skip_button.setEnabled(computer_turn)
        self.a_skip.setEnabled(computer_turn)
        self.a_debrief.setEnabled(s.is_terminal())
        self.log_model.set_entries(s.log, lang)      # the view appends the new rows only
        self.a_save.setEnabled(True)
        self.a_save_as.setEnabled(True)
        if self.info.subject[0] == "capability":
            self.info.set_language(lang, s)
        self._refresh_last_move()
        self.facilitator.refresh()

    def _autosave(self, durable: bool = True) -> bool:
        """Write this window's autosave; a failure is shown at once, with a way out."""
        if self.state is None:
            return False
        slot = self.autosave_slot
        if not slot.locked:
            problem = slot.problem
            self._autosave_failed(f"{problem.folder}: {problem.reason}" if problem else "no slot")
            return False
        try:
            save_game(self.state, slot.path, self._meta(autosave=True), durable=durable)
        except (OSError, SaveError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self._autosave_failed(f"{slot.path}: {reason}")
            return False
        if self.autosave_error is not None:
            self.autosave_error = None
            self.autosave_warning.hide()
        return True

    def _sync_autosave(self) -> None:
        """Flush the autosave to the disk (fsync): a power cut cannot lose the quarter."""
        path = self.autosave_slot.path
        if not self.autosave_slot.locked or path is None:
            return
        try:
            with open(path, "rb+") as fh:
                os.fsync(fh.fileno())
        except OSError as exc:
            self._autosave_failed(f"{path}: {exc.strerror or exc}")

    def _after_paint(self, call) -> None:
        """Call ``call`` once the window has repainted: a posted event of lower priority than
        Qt's own update request is delivered after it."""
        QCoreApplication.postEvent(_Kick(AI_KICK, call, self, once=True), QEvent(AI_KICK),
                                   int(Qt.EventPriority.LowEventPriority.value) - 1)

    def _autosave_failed(self, error: str) -> None:
        """A lasting warning in the status bar; a message box the first time for each reason."""
        self.autosave_error = error
        self.autosave_warning.setText(self.ui.t("autosave.off", self.lang))
        self.autosave_warning.setToolTip(self.ui.t("autosave.off_tip", self.lang, error=error))
        self.autosave_warning.show()
        if error not in self._autosave_errors_shown:
            self._autosave_errors_shown.add(error)
            self.show_error(self.ui.t("error.autosave_off", self.lang, error=error),
                            offer_save_as=self.state is not None)

    def _meta(self, autosave: bool = False) -> SaveMeta:
        return SaveMeta(dict(self.controllers), self.lang, autosave, self.facilitator.meta_extra())

    def open_debrief(self, force: bool = False) -> None:
        if self.state is None or not self.state.is_terminal():
            return
        if self.debrief is not None and not force:
            return
        try:
            from .debrief import DebriefWindow

            if self.debrief is not None:
                self.debrief.close()
            dlg = DebriefWindow(self.state, self.rules, self.lang, self, zoom=self.zoom,
                                **self.facilitator.debrief_args())
            dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dlg.languageChanged.connect(self._debrief_language)
            dlg.destroyed.connect(lambda _=None, d=dlg: self._debrief_gone(d))
            self.debrief = dlg
            dlg.show()
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)
            self.show_error(self.ui.t("error.engine", self.lang, error=f"{type(exc).__name__}: {exc}"))

    def show_quarter_summary(self, round_: int, automatic: bool = False) -> QuarterSummary | None:
        """The summary of settled round ``round_``, non-modal: the game goes on behind it.
        Shown by itself only when a person plays and the setting is on."""
        s = self.state
        if s is None or self.session is None:
            return None
        if automatic and (not self._quarter_summaries()
                          or all(seat is not None for seat in self.session.seats.values())):
            return None
        from .quarter import QuarterSummary

        if self.quarter_summary is None:
            self.quarter_summary = QuarterSummary(self.ui, self.lang, self)
            self.quarter_summary.enabledChanged.connect(self._set_quarter_summaries)
        dlg = self.quarter_summary
        dlg.lang = self.lang
        dlg.show_check.blockSignals(True)
        dlg.show_check.setChecked(self._quarter_summaries())
        dlg.show_check.blockSignals(False)
        if not dlg.show_round(s, round_):
            return None
        dlg.show()
        dlg.raise_()
        return dlg

    def _quarter_summaries(self) -> bool:
        return self.prefs.flag("quarter_summary", True)

    def _set_quarter_summaries(self, checked: bool) -> None:
        self.settings.setValue("quarter_summary", bool(checked))
        self.a_quarter.setChecked(bool(checked))

    def show_events(self) -> None:
        """Show this quarter's event card again (after "Got it")."""
        s = self.state
        if s is None or not s.round_events:
            self.statusBar().showMessage(self.ui.t("msg.no_events", self.lang), 4000)
            return
        self.event_card.show_events(s.round_events, s.year_quarter, self.lang)
        self.info.show_subject("event", ",".join(s.round_events), state=s, lang=self.lang)

    def _debrief_language(self, lang: str) -> None:
        if lang != self.lang:
            self.set_language(lang)

    def _debrief_gone(self, dlg) -> None:
        if self.debrief is dlg:
            self.debrief = None

    # ================================================================ files

    def save(self) -> bool:
        if self.state is None:
            return False
        if self.save_path is None:
            return self.save_as_dialog()
        return self.save_to(self.save_path)

    def save_as_dialog(self) -> bool:
        if self.state is None:
            return False
        start = str(self.save_path or last_folder(self.settings) / "closed-loop-save.json")
        path, _ = QFileDialog.getSaveFileName(self, self.ui.t("file.save_as", self.lang), start,
                                              SAVE_FILTER)
        if not path:
            return False
        remember_folder(self.settings, path)
        if not path.lower().endswith(".json"):
            path += ".json"
        return self.save_to(path)

    def save_to(self, path) -> bool:
        try:
            save_game(self.state, path, self._meta())
        except (OSError, SaveError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.show_error(self.ui.t("error.save_failed", self.lang, path=str(path), error=reason),
                            offer_save_as=True)
            return False
        self.save_path = Path(path)
        self.statusBar().showMessage(self.ui.t("msg.saved", self.lang, path=str(path)), 5000)
        self.retranslate()
        return True

    def open_dialog(self) -> bool:
        start = str(self.save_path.parent if self.save_path else last_folder(self.settings))
        path, _ = QFileDialog.getOpenFileName(self, self.ui.t("file.open", self.lang), start,
                                              SAVE_FILTER + ";;* (*)")
        if not path:
            return False
        remember_folder(self.settings, path)
        return self.open_file(path)

    def open_file(self, path) -> bool:
        try:
            state, meta = load_game(self.facilitator.rules_for(path), path)
        except SaveError as exc:
            self.show_error(self.ui.t("error.open_failed", self.lang, error=str(exc)))
            return False
        except Exception as exc:
            traceback.print_exc(file=sys.stderr)
            self.show_error(self.ui.t("error.open_failed", self.lang, error=f"{type(exc).__name__}: {exc}"))
            return False
        self.config = None
        self.facilitator.use_rules(state.rules, meta.extra.get("rules_dir"))
        self.set_game(state, meta.controllers, path, extra=meta.extra)
        self.statusBar().showMessage(self.ui.t("msg.opened", self.lang, path=str(path)), 5000)
        return True

    # ================================================================ errors and settings

    def show_error(self, text: str, offer_save_as: bool = False) -> QMessageBox:
        """A message box that does not block the event loop (tests and computer turns go on).

        ``offer_save_as`` adds a button that saves the game elsewhere (a save that failed).
        """
        print(text, file=sys.stderr)        # what the player was told, also for the record
        box = QMessageBox(self)
        box.setObjectName("errorBox")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.ui.t("error.title", self.lang))
        box.setText(text)
        box.addButton(QMessageBox.StandardButton.Ok)
        if offer_save_as:
            elsewhere = box.addButton(self.ui.t("error.save_elsewhere", self.lang),
                                      QMessageBox.ButtonRole.ActionRole)
            elsewhere.setObjectName("saveElsewhere")
            # after the box has closed: the file dialog must not open under it
            elsewhere.clicked.connect(lambda: QTimer.singleShot(0, self.save_as_dialog))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.NonModal)   # the game goes on behind it
        box.show()
        self.last_error = text
        return box

    def _shown_scenario(self):
        """The scenario of the game shown, or before any game the first one offered."""
        if self.state is not None:
            return self.state.scenario
        scenarios = self.rules.scenarios
        return scenarios["default"] if "default" in scenarios else \
            min(scenarios.values(), key=lambda s: s.order)

    def show_how_to_play(self) -> HowToPlayDialog:
        """Help → How to play: how this game is won, a turn, the loop, the app, the rulebook."""
        from .howto import HowToPlayDialog

        self.info.show_subject("intro", lang=self.lang)
        if self.how_to is None:
            self.how_to = HowToPlayDialog(self.rules, self.ui, self.lang, self._shown_scenario(),
                                          self)
        else:
            self.how_to.set_language(self.lang)
            self.how_to.set_scenario(self._shown_scenario())
        self.how_to.show()
        self.how_to.raise_()
        self.how_to.activateWindow()
        return self.how_to

    def _confirm_end(self) -> bool:
        return self.prefs.flag("confirm_end_turn", True)

    def _toggle_confirm(self, checked: bool) -> None:
        self.settings.setValue("confirm_end_turn", bool(checked))

    def _pace_changed(self, value: int) -> None:
        self.settings.setValue("pace_ms", int(value))
        self.pace_value.setText(self.ui.t("toolbar.pace_value", self.lang, s=f"{value / 1000:.1f}"))
        if self.ai_timer.isActive():
            self.ai_timer.start(value)

    def _panel_clicked(self, cid: str) -> None:
        if self.state is not None and cid in self.state.players:
            self.tabs.setCurrentIndex(list(self.state.players).index(cid))
        self.info.show_subject("company", cid, state=self.state, lang=self.lang)

    def _node_hovered(self, company: str, cap: str) -> None:
        self.info.show_subject("capability", cap, company, state=self.state, lang=self.lang)

    def _log_clicked(self, entry) -> None:
        ev = entry.params.get("event")
        cap = entry.params.get("capability")
        act = entry.params.get("action")
        if ev is not None and getattr(ev, "kind", None) == "event":
            self.info.show_subject("event", ev.id, state=self.state, lang=self.lang)
        elif cap is not None and getattr(cap, "kind", None) == "capability":
            self.info.show_subject("capability", cap.id, entry.company, state=self.state,
                                   lang=self.lang)
        elif act is not None and getattr(act, "kind", None) == "action":
            self.info.show_subject("action", act.id, state=self.state, lang=self.lang)
        elif self.rules.has_action(entry.key):
            self.info.show_subject("action", entry.key, state=self.state, lang=self.lang)

    def show_about(self):
        """Help → About: versions, licences, the data folder; non-modal, one at a time."""
        from .about import AboutBox

        if self.about_box is not None:
            self.about_box.close()
        self.about_box = AboutBox(self.rules, self.ui, self.lang, self)
        self.about_box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.about_box.destroyed.connect(lambda _=None: setattr(self, "about_box", None))
        self.about_box.show()
        return self.about_box

    # ================================================================ language, zoom, screen

    def set_language(self, lang: str) -> None:
        """Switch every text to ``lang`` while playing; nothing restarts."""
        if lang not in ("zh", "en"):
            return
        self.lang = lang
        self.settings.setValue("lang", lang)
        self.a_lang[lang].setChecked(True)
        use_qt_language(lang)
        self.retranslate()
        self.log_model.set_entries(self.state.log if self.state else [], lang)
        self.info.set_language(lang, self.state)
        self.event_card.set_language(lang)
        if self.new_game_dialog is not None:
            self.new_game_dialog.set_language(lang)
        if self.how_to is not None:
            self.how_to.set_language(lang)
        if self.quarter_summary is not None:
            self.quarter_summary.set_language(lang)
        if self.debrief is not None and hasattr(self.debrief, "set_language"):
            self.debrief.set_language(lang)
        self.refresh()

    def retranslate(self) -> None:
        ui, lang = self.ui, self.lang
        t = lambda k, **kw: ui.t(k, lang, **kw)  # noqa: E731
        title = self.rules.title.get(lang)
        if self.state is not None:
            title += " — " + t("status.seed", seed=self.state.seed)
        if self.save_path:
            title += f" — {self.save_path.name}"
        self.setWindowTitle(title)
        self.m_file.setTitle(t("menu.file"))
        self.m_game.setTitle(t("menu.game"))
        self.m_view.setTitle(t("menu.view"))
        self.m_lang.setTitle(t("menu.language"))
        self.m_help.setTitle(t("menu.help"))
        for a, key in ((self.a_new, "file.new"), (self.a_open, "file.open"),
                       (self.a_save, "file.save"), (self.a_save_as, "file.save_as"),
                       (self.a_quit, "file.quit"), (self.a_undo, "game.undo"),
                       (self.a_skip, "game.skip"), (self.a_confirm, "game.confirm_end"),
                       (self.a_quarter, "quarter.menu"),
                       (self.a_debrief, "game.debrief"), (self.a_events, "game.show_events"),
                       (self.a_zoom_in, "view.zoom_in"),
                       (self.a_zoom_out, "view.zoom_out"), (self.a_zoom_reset, "view.zoom_reset"),
                       (self.a_large, "view.projector"), (self.a_full, "view.full_screen"),
                       (self.a_help, "help.how_to_play"), (self.a_about, "about.menu")):
            a.setText(t(key))
        self.undo_button.setText(t("game.undo_button"))
        self.skip_button.setText(t("toolbar.skip"))
        self.skip_button.setToolTip(t("toolbar.skip_tip"))
        self.pace_label.setText(t("toolbar.pace") + " ")
        self.pace.setToolTip(t("toolbar.pace_tip"))
        self.pace_value.setText(t("toolbar.pace_value", s=f"{self.pace.value() / 1000:.1f}"))
        self.lang_button.setText(t("toolbar.language"))
        self.lang_button.setToolTip(t("toolbar.language_tip"))
        self.placeholder.setText(t("main.no_game"))
        self.info_title.setText(t("main.info_title"))
        self.log_title.setText(t("main.log_title"))
        self.log_view.reasoning_text = t("tools.reasoning")
        self.autosave_warning.setText(t("autosave.off"))
        if self.autosave_error is not None:
            self.autosave_warning.setToolTip(t("autosave.off_tip", error=self.autosave_error))
        self.facilitator.retranslate()

    def apply_zoom(self, zoom: float) -> None:
        """Scale every text (projector mode); the board is laid out again for its text size.
        No text goes under MIN_TEXT_PX (in projector mode PROJECTOR_MIN_PX)."""
        self.zoom = max(ZOOM_STEPS[0], min(ZOOM_STEPS[-1], float(zoom)))
        self.settings.setValue("zoom", self.zoom)
        f = QFont(self._base_font)
        floor_px = PROJECTOR_MIN_PX if self.projector else MIN_TEXT_PX
        if f.pointSizeF() > 0:
            px_per_pt = QFontInfo(f).pixelSize() / f.pointSizeF()
            floor_pt = floor_px / px_per_pt if px_per_pt > 0 else 0.0
            f.setPointSizeF(max(floor_pt, f.pointSizeF() * self.zoom))
        else:
            px_per_pt, floor_pt = 0.0, 0.0
            f.setPixelSize(max(floor_px, int(f.pixelSize() * self.zoom)))
        self.setFont(f)
        QApplication.setFont(f)   # dialogs and message boxes follow the zoom too
        self.info.document().setDefaultFont(f)
        for w in self.findChildren(QWidget):
            scale = w.property("fontScale")
            if not scale:
                # style-sheeted panels stop font inheritance, so set every widget's font
                fw = f
            else:
                fw = QFont(f)
                if f.pointSizeF() > 0:
                    fw.setPointSizeF(max(floor_pt, f.pointSizeF() * float(scale)))
                else:
                    fw.setPixelSize(max(floor_px, int(f.pixelSize() * float(scale))))
                fw.setBold(bool(w.property("fontBold")))
            if w.font() != fw:
                w.setFont(fw)
        self.a_large.setChecked(self.projector)
        for view in self.views.values():
            view.board_scene.set_zoom(self.zoom)   # the board's text grows with the zoom
        self._arrange(force=True)
        layout = self.layout()
        if layout is not None:
            layout.activate()        # the views get their new sizes now: one layout each
        for view in self.views.values():
            view.fit()
        if self.state is not None and self.views:
            self.refresh()
        self.game_area.updateGeometry()

    def set_projector(self, on: bool) -> None:
        """Projector mode: 18 px text and more (capital, costs and node names included), the
        board, the three companies and the event card on one screen; the tool bar, the
        explanation and the log step aside. Remembered in the settings."""
        self.projector = bool(on)
        self.settings.setValue("projector", self.projector)
        total = max(1, self.splitter.width())
        self.splitter.setSizes([int(total * 0.73), int(total * 0.27)])   # the side, when shown
        self.apply_zoom(LARGE_TEXT_ZOOM if self.projector else 1.0)

    def _arrange(self, force: bool = False) -> None:
        """Fit the window's parts to its size and mode: the company figures compact on a low
        window or a projector, and in projector mode without the tool bar, the explanation and
        the log."""
        low = self.projector or self.height() < COMPACT_BELOW * max(1.0, self.zoom)
        per_row = 0
        if low:
            # three figures a row where a panel has the room (about 26 characters), else two
            em = QFontInfo(self.font()).pixelSize()
            per_row = 3 if self.width() * 0.72 / 3 >= 27 * em else 2
        key = (self.projector, per_row, bool(self.panels))
        if key == self._arranged and not force:
            return
        self._arranged = key
        on = self.projector
        self.toolbar.setVisible(not on)
        self.statusBar().setVisible(not on)    # its messages go to the status header
        # projector: the event card beside the companies, the board the whole width
        self._place_event_card(beside_companies=on and bool(self.panels))
        self.side.setVisible(not (on and bool(self.panels)))
        self.event_card.set_compact(on)
        # projector: 3 px between the parts, not 6, and no frame round the board (no tab bar
        # there): the room is the board's, which needs it most in English at 1280x720
        room = 3 if on else 6
        self.game_layout.setContentsMargins(room, room, room, room)
        self.game_layout.setSpacing(3 if on else self._game_spacing)
        if self.panels:
            self.tabs.tabBar().setVisible(not on)    # the company panels choose the board
            self.tabs.setDocumentMode(on)
            # projector: a searching computer's caption under the company panels, beside the
            # event card, not in a band that takes the board's height
            for cid, view in self.views.items():
                view.set_caption_host(self.caption_pages[cid] if on else None)
            self.caption_stack.setCurrentIndex(self.tabs.currentIndex())
            self.caption_stack.setVisible(on and any(v.band_on for v in self.views.values()))
        for scene in self.scenes.values():
            scene.set_title_company(on)
        if self.action_bar is not None:
            self.action_bar.set_compact(on)
        for p in self.panels.values():
            p.set_compact(per_row)
            if self.state is not None:
                p.refresh(self.state, self.lang)
        if self.state is not None and self.action_bar is not None:
            self.refresh()

    def _place_event_card(self, beside_companies: bool) -> None:
        card = self.event_card
        if beside_companies:
            if card.parent() is not self.findChild(QWidget, "companyPanels"):
                self.cards_row.addWidget(card, 1)
        elif card.parent() is not self.side:
            shown = not card.isHidden()
            self.side_layout.insertWidget(0, card)
            card.setVisible(shown)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._arrange()

    def fit_to_screen(self, available: QRect | None = None) -> QSize:
        """Size and place the window to fit ``available`` (the screen's available geometry:
        without task bars and docks), at most DEFAULT_SIZE; returns the size chosen."""
        if available is None:
            screen = self.screen() or QApplication.primaryScreen()
            if screen is None:
                available = QRect(0, 0, *DEFAULT_SIZE)
            else:
                available = screen.availableGeometry()
        fw, fh = FRAME_ALLOWANCE
        size = QSize(max(320, min(DEFAULT_SIZE[0], available.width() - fw)),
                     max(240, min(DEFAULT_SIZE[1], available.height() - fh)))
        self.resize(size)
        self.move(available.x() + max(0, (available.width() - fw - size.width()) // 2),
                  available.y() + max(0, (available.height() - fh - size.height()) // 2))
        return size

    def step_zoom(self, direction: int) -> None:
        steps = list(ZOOM_STEPS)
        i = min(range(len(steps)), key=lambda k: abs(steps[k] - self.zoom))
        self.apply_zoom(steps[max(0, min(len(steps) - 1, i + direction))])

    def _toggle_large(self, checked: bool) -> None:
        self.set_projector(checked)

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
            self.a_full.setChecked(False)
        else:
            self.showFullScreen()
            self.a_full.setChecked(True)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._closed:              # shown again after a close: the computers play on
            self._closed = False
            self._schedule_ai()

    def closeEvent(self, event) -> None:
        save_window(self, self.settings)
        self._closed = True
        self.ai_timer.stop()
        self._stop_thinking()      # a decision in progress is dropped; its thread ends here
        if self.state is not None and not self.state.is_terminal():
            self._autosave()
        self.autosave_slot.release()   # a later window may resume this game
        super().closeEvent(event)
