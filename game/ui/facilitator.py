"""The facilitator's tools in the main window (issue 14, items 1, 2 and 5).

A :class:`Facilitator` is attached to a :class:`~game.ui.mainwindow.MainWindow` and keeps what
a class session adds to a game, all saved in the save's ``meta`` and restored on load:

- ``teams``: a team name per company (free text: several people per team), shown in the
  company panels and the log, and used by the report;
- ``timer``: minutes per turn; a countdown in the status header that turns red at 0 and only
  tells the room time is up (the turn does not end by itself);
- ``rules_dir``: the rules folder the game was started with (None: the built-in rules);
- ``bookmarks``: ``[{"index": actions so far, "label": text}]`` (Ctrl+B);
- ``reasons``: ``{"<1-based action index>": the team's reason}`` (a note on the last decision);
- ``branch``: ``{"source": save file, "index": k}`` for a game branched in the replay viewer;
- ``paused``: whether the computer players were paused.

It also pauses and resumes the computer players, shows a status line per team (thinking /
done / waiting) and hands a seat to the computer and back. The window calls it from a few
places only (see ``facilitator`` in mainwindow.py), so its own code stays here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QIdentityProxyModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QVBoxLayout,
)

from game.engine import GameState, Rules, RulesError, SaveError, load_rules
from game.saves import MAX_SAVE_BYTES

from .window_memory import last_folder, remember_folder

if TYPE_CHECKING:
    from .mainwindow import MainWindow
    from .replay import ReplayWindow

META_KEYS = ("teams", "timer", "rules_dir", "bookmarks", "reasons", "branch", "paused")
MAX_TEXT = 2000
# A mark per status: all a narrow panel shows (the words are in its tooltip)
STATUS_MARKS = {"thinking": "▶", "thinking_computer": "▶", "done": "✓", "waiting": "○",
                "paused": "‖", "over": "■"}
COMPUTER_KIND = "heuristic"


def peek_meta(path: str | Path) -> dict[str, Any]:
    """The ``meta`` object of a save file without verifying the game ({} when unreadable: the
    full load then says what is wrong)."""
    try:
        from game.engine.files import read_regular_file

        data = json.loads(read_regular_file(Path(path), MAX_SAVE_BYTES))
    except (OSError, ValueError, RecursionError):
        return {}
    meta = data.get("meta") if isinstance(data, dict) else None
    return meta if isinstance(meta, dict) else {}


def rules_for_save(builtin: Rules, path: str | Path) -> Rules:
    """The rules a save was played with: its ``meta.rules_dir`` if it names one, else
    ``builtin``. A named folder that is gone or broken is a :class:`SaveError` saying so."""
    folder = peek_meta(path).get("rules_dir")
    if not isinstance(folder, str) or not folder:
        return builtin
    try:
        return load_rules(folder)
    except RulesError as exc:
        raise SaveError(f"{path}: its rules folder {folder} has problems:\n{exc}") from None
    except Exception as exc:  # noqa: BLE001 - a missing or unreadable folder
        raise SaveError(f"{path}: its rules folder {folder} cannot be read "
                        f"({type(exc).__name__}: {exc})") from None


def read_session_meta(extra: dict[str, Any], players) -> dict[str, Any]:
    """The facilitator's keys of a save's meta, cleaned: anything of the wrong shape is left
    out rather than refused (a hand-edited save still opens)."""
    out: dict[str, Any] = {"teams": {}, "timer": 0, "rules_dir": None, "bookmarks": [],
                           "reasons": {}, "branch": None,
                           "paused": extra.get("paused") is True}
    teams = extra.get("teams")
    if isinstance(teams, dict):
        out["teams"] = {c: str(v)[:MAX_TEXT] for c, v in teams.items()
                        if c in players and isinstance(v, str) and v.strip()}
    timer = extra.get("timer")
    if isinstance(timer, int) and not isinstance(timer, bool) and 0 <= timer <= 600:
        out["timer"] = timer
    rules_dir = extra.get("rules_dir")
    if isinstance(rules_dir, str) and rules_dir:
        out["rules_dir"] = rules_dir
    marks = extra.get("bookmarks")
    if isinstance(marks, list):
        out["bookmarks"] = [{"index": m["index"], "label": str(m.get("label", ""))[:MAX_TEXT]}
                            for m in marks if isinstance(m, dict) and isinstance(m.get("index"), int)
                            and not isinstance(m.get("index"), bool) and m["index"] >= 0]
    reasons = extra.get("reasons")
    if isinstance(reasons, dict):
        out["reasons"] = {str(k): str(v)[:MAX_TEXT] for k, v in reasons.items()
                          if str(k).isdigit() and int(k) >= 1 and isinstance(v, str) and v.strip()}
    branch = extra.get("branch")
    if isinstance(branch, dict) and isinstance(branch.get("index"), int):
        out["branch"] = {"source": str(branch.get("source", "")), "index": branch["index"]}
    return out


def short_teams(teams: dict[str, str]) -> dict[str, str]:
    return {cid: short_team(t) for cid, t in teams.items()}


def short_team(team: str) -> str:
    """A team's name without its members: "红队：小王、小李" -> "红队", "Red (Ann, Bo)" -> "Red"."""
    head = re.split(r"[：:（(,，、]", team, maxsplit=1)[0].strip()
    return head or team


class StatusLabel(QLabel):
    """A team's status beside its company's name: the longest of its texts that fits (the team
    and the status in words, down to the status's mark alone; the longest is the tooltip). It
    asks for no more room than its shortest text, so the panels (and the board) keep their size."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.texts: list[str] = [""]

    @property
    def full(self) -> str:
        return self.texts[0]

    def set_texts(self, *texts: str) -> None:
        texts_list = [t for t in dict.fromkeys(texts) if t] or [""]
        if texts_list != self.texts:
            self.texts = texts_list
            self.updateGeometry()
        self._choose()

    def _width(self, text: str) -> int:
        m = self.contentsMargins()
        return self.fontMetrics().horizontalAdvance(text) + m.left() + m.right() + 2

    def _choose(self) -> None:
        text = next((t for t in self.texts if self._width(t) <= self.width()), self.texts[-1])
        if self.text() != text:
            self.setText(text)
        tip = self.texts[0] if text != self.texts[0] else ""
        if self.toolTip() != tip:
            self.setToolTip(tip)

    def sizeHint(self) -> QSize:
        return QSize(self._width(self.texts[-1]), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self._width(self.texts[-1]), super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._choose()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()
            self._choose()


class TeamLogModel(QIdentityProxyModel):
    """The log with each company's line headed by its team's name."""

    def __init__(self, source, parent=None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.teams: dict[str, str] = {}

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        value = super().data(index, role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) and self.teams \
                and isinstance(value, str):
            entry = super().data(index, Qt.ItemDataRole.UserRole)
            team = self.teams.get(getattr(entry, "company", None) or "")
            if team:
                return f"【{team}】{value}"
        return value


class Facilitator(QObject):
    """The session's extras for one main window; see the module's docstring."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("facilitator")
        self.w = window
        self.builtin_rules: Rules = window.rules
        self.teams: dict[str, str] = {}
        self.timer_minutes = 0
        self.rules_dir: str | None = None
        self.bookmarks: list[dict[str, Any]] = []
        self.reasons: dict[str, str] = {}
        self.branch: dict[str, Any] | None = None
        self.original: GameState | None = None     # the original game, for a branch
        self.paused = False
        self.replays: list[ReplayWindow] = []
        self.input_box: QInputDialog | None = None
        self.status_labels: dict[str, StatusLabel] = {}
        self.team_labels: dict[str, QLabel] = {}
        self.remaining: int | None = None     # seconds left in this turn, None: no countdown
        self._turn_key: tuple | None = None
        self.clock = QTimer(self)
        self.clock.setObjectName("turnClock")
        self.clock.setInterval(1000)
        self.clock.timeout.connect(self.tick)
        self.countdown: QLabel | None = None
        self._build_actions()
        from .facilitator_tools import FacilitatorTools
        self.tools = FacilitatorTools(window)     # the Facilitator menu's tools

    # ------------------------------------------------------------------ construction

    def _act(self, name: str, slot, shortcut: str | None = None, checkable: bool = False) -> QAction:
        a = QAction(self.w)
        a.setObjectName(name)
        if shortcut:
            a.setShortcut(QKeySequence(shortcut))
        a.setCheckable(checkable)
        a.triggered.connect(slot)
        self.w.addAction(a)
        return a

    def _build_actions(self) -> None:
        w = self.w
        self.a_pause = self._act("actPauseComputers", self.set_paused, "Ctrl+Shift+Space", True)
        self.a_bookmark = self._act("actBookmark", lambda: self.ask_bookmark(), "Ctrl+B")
        self.a_note = self._act("actNote", lambda: self.ask_note(), "Ctrl+Shift+N")
        self.a_replay = self._act("actReplay", lambda: self.replay_dialog(), "Ctrl+Shift+R")
        w.m_file.insertAction(w.a_save_as, self.a_replay)
        w.m_file.insertSeparator(w.a_save_as)
        w.m_game.addSeparator()
        for a in (self.a_pause, self.a_bookmark, self.a_note):
            w.m_game.addAction(a)
        self.m_seats = w.m_game.addMenu("")
        self.m_seats.setObjectName("menuSeats")
        self.m_seats.aboutToShow.connect(self._fill_seats_menu)
        w.toolbar.addSeparator()
        w.toolbar.addAction(self.a_pause)
        w.toolbar.addAction(self.a_bookmark)
        pause_button = w.toolbar.widgetForAction(self.a_pause)
        if pause_button is not None:
            pause_button.setObjectName("pauseButton")
        self.log_proxy: TeamLogModel | None = None

    def install_log_proxy(self) -> None:
        """Show the log through the team-name proxy, where the window's log view is an item
        view (a view that draws the log model itself is left as it is)."""
        view = self.w.log_view
        if not isinstance(view, QAbstractItemView):
            self.log_proxy = None          # a view that draws the model itself: the model heads the lines
            self.w.log_model.set_teams(short_teams(self.teams))
            return
        if self.log_proxy is None:
            self.log_proxy = TeamLogModel(self.w.log_model, self)
        self.log_proxy.teams = dict(self.teams)
        if view.model() is not self.log_proxy:
            view.setModel(self.log_proxy)

    def retranslate(self) -> None:
        ui, lang = self.w.ui, self.w.lang
        self.a_pause.setText(ui.t("facil.pause", lang))
        self.a_pause.setToolTip(ui.t("facil.pause_tip", lang))
        self.a_bookmark.setText(ui.t("facil.bookmark", lang))
        self.a_note.setText(ui.t("facil.note", lang))
        self.a_replay.setText(ui.t("facil.replay", lang))
        self.m_seats.setTitle(ui.t("facil.seats", lang))
        self.tools.retranslate()
        for r in self.replays:
            r.set_language(lang)

    # ------------------------------------------------------------------ rules

    def use_rules(self, rules: Rules, rules_dir: str | None) -> None:
        """Play the next game with ``rules`` (from ``rules_dir``, None: the built-in ones)."""
        w = self.w
        self.rules_dir = rules_dir
        if rules is w.rules:
            return
        w.rules = rules
        for part in (w.event_card, w.info, w.log_model):
            part.rules = rules
        if w.how_to is not None:
            w.how_to.close()
            w.how_to = None

    def rules_for(self, path: str | Path) -> Rules:
        return rules_for_save(self.builtin_rules, path)

    # ------------------------------------------------------------------ games and saves

    def set_game(self, state, extra: dict[str, Any] | None) -> None:
        """A game is shown: take the session's keys from ``extra`` (a save's meta), or start
        empty."""
        meta = read_session_meta(extra or {}, state.players)
        self.teams = meta["teams"]
        self.timer_minutes = meta["timer"]
        if extra is not None and "rules_dir" in extra:
            self.rules_dir = meta["rules_dir"]
        self.bookmarks = meta["bookmarks"]
        self.reasons = meta["reasons"]
        self.branch = meta["branch"]
        self.paused = meta["paused"]
        self.a_pause.setChecked(self.paused)
        self.original = None
        if self.branch is not None and self.branch.get("source"):
            self.original = self._load_original(self.branch["source"])
        self._turn_key = None
        self.remaining = None
        self.clock.stop()
        if self.log_proxy is not None:
            self.log_proxy.teams = dict(self.teams)
        else:
            self.w.log_model.set_teams(short_teams(self.teams))
        self.tools.set_game(state, extra)

    def _load_original(self, source: str):
        from game.saves import load_game

        try:
            return load_game(self.rules_for(source), source)[0]
        except (SaveError, OSError):
            return None

    def meta_extra(self) -> dict[str, Any]:
        """The session's keys for the save's meta."""
        out: dict[str, Any] = {"teams": dict(self.teams), "timer": self.timer_minutes,
                               "bookmarks": [dict(b) for b in self.bookmarks],
                               "reasons": dict(self.reasons), "paused": self.paused}
        if self.rules_dir:
            out["rules_dir"] = self.rules_dir
        if self.branch is not None:
            out["branch"] = dict(self.branch)
        out.update(self.tools.meta_extra())
        return out

    def game_area_built(self) -> None:
        """The panels and the header are new: add the team lines and the countdown."""
        w = self.w
        self.install_log_proxy()
        self.status_labels, self.team_labels = {}, {}
        for cid, panel in w.panels.items():
            team = QLabel()
            team.setObjectName(f"teamName_{cid}")
            team.setProperty("fontBold", True)
            team.setWordWrap(True)
            # the status beside the company's name (no row of its own: the board keeps its
            # height); on a compact panel the team's name goes there too, where it fits
            status = StatusLabel()
            status.setObjectName(f"teamStatus_{cid}")
            status.setStyleSheet("color: #555555;")
            lay = panel.layout()
            assert isinstance(lay, QVBoxLayout)     # the panel's rows: name, figures
            item = lay.itemAt(0)
            head = item.layout() if item is not None else None
            assert isinstance(head, QHBoxLayout)    # mark, name, role
            head.insertWidget(2, status, 1)
            lay.insertWidget(1, team)           # under the company's name
            panel.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            panel.customContextMenuRequested.connect(
                lambda pos, c=cid, p=panel: self.seat_menu(c).popup(p.mapToGlobal(pos)))
            self.team_labels[cid], self.status_labels[cid] = team, status
        self.countdown = QLabel()
        self.countdown.setObjectName("turnCountdown")
        self.countdown.setProperty("fontScale", 1.25)
        self.countdown.setProperty("fontBold", True)
        self.countdown.hide()
        rows = w.status_header.layout()
        item = rows.itemAt(0) if rows is not None else None
        header = item.layout() if item is not None else None     # the header's first row
        assert isinstance(header, QHBoxLayout)
        header.insertWidget(header.count() - 3, self.countdown)

    # ------------------------------------------------------------------ every refresh

    def refresh(self) -> None:
        """After every change: the team lines, the status lines, the countdown, and notes or
        bookmarks of actions that were taken back."""
        w, s = self.w, self.w.state
        self.tools.refresh()
        if s is None:
            return
        n = len(s.history)
        self.reasons = {k: v for k, v in self.reasons.items() if int(k) <= n}
        self.bookmarks = [b for b in self.bookmarks if b["index"] <= n]
        for cid, label in self.team_labels.items():
            compact = bool(getattr(w.panels.get(cid), "compact_per_row", 0))
            label.setText(self.teams.get(cid, ""))
            label.setVisible(bool(self.teams.get(cid)) and not compact)
        for cid, status in self.status_labels.items():
            compact = bool(getattr(w.panels.get(cid), "compact_per_row", 0))
            key = self.status_key(cid)
            text = f"{STATUS_MARKS[key]} {w.ui.t('facil.status_' + key, w.lang)}"
            team = self.teams.get(cid)
            # where the panel is narrow only the mark stays (the words go to the tooltip)
            mark = STATUS_MARKS[key]
            if team and compact:     # the team's name has no line of its own here
                short = short_team(team)
                status.set_texts(f"{team} {text}", f"{short} {text}", f"{short} {mark}")
            else:
                status.set_texts(text, mark)
        self._follow_turn()
        self._show_countdown()
        self.a_pause.setChecked(self.paused)
        self.a_note.setEnabled(self.last_decision() is not None)

    def status_key(self, cid: str) -> str:
        """A team's status: thinking (a person's or the computer's turn), done or waiting this
        quarter; paused, over."""
        w, s = self.w, self.w.state
        if s is None or s.is_terminal():
            return "over"
        computer = w.session is not None and w.session.seats.get(cid) is not None
        if cid == s.current_company:
            if computer:
                return "paused" if self.paused else "thinking_computer"
            return "thinking"
        try:
            pos = [s.players[i] for i in s.order].index(cid)
        except (ValueError, IndexError):
            return "waiting"
        return "done" if pos < s.turn_pos else "waiting"

    def status(self, cid: str) -> str:
        """A team's status line in words."""
        return self.w.ui.t(f"facil.status_{self.status_key(cid)}", self.w.lang)

    # ------------------------------------------------------------------ pause

    def set_paused(self, paused: bool) -> None:
        """Pause (no computer move until resumed) or resume the computer players."""
        w = self.w
        self.paused = bool(paused)
        self.a_pause.setChecked(self.paused)
        if self.paused:
            w.ai_timer.stop()
            self.clock.stop()
        w.statusBar().showMessage(w.ui.t("facil.paused" if self.paused else "facil.resumed",
                                         w.lang), 4000)
        if w.state is not None:
            w.refresh()
            if not self.paused:
                w._schedule_ai()

    # ------------------------------------------------------------------ seats

    def seat_menu(self, cid: str) -> QMenu:
        """A company's menu: hand its seat to the computer, or give it back to its team."""
        menu = QMenu(self.w)
        menu.setObjectName(f"seatMenu_{cid}")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._seat_actions(menu, [cid])
        return menu

    def _fill_seats_menu(self) -> None:
        self.m_seats.clear()
        s = self.w.state
        if s is not None:
            self._seat_actions(self.m_seats, list(s.players))

    def _seat_actions(self, menu: QMenu, companies: list[str]) -> None:
        w = self.w
        ui, lang = w.ui, w.lang
        for cid in companies:
            name = self.team_name(cid)
            computer = w.controllers.get(cid, "human") != "human"
            a = menu.addAction(ui.t("facil.to_team" if computer else "facil.to_computer", lang,
                                    company=name))
            a.setObjectName(f"seat_{cid}")
            a.setEnabled(w.state is not None and not w.state.is_terminal())
            a.triggered.connect(lambda _=False, c=cid, h=computer: self.set_seat(
                c, "human" if h else COMPUTER_KIND))

    def set_seat(self, cid: str, kind: str) -> None:
        """Hand ``cid``'s seat to a computer player (``kind``) or to its team ("human")."""
        w = self.w
        session, s = w.session, w.state
        if session is None or s is None or cid not in s.players:
            return
        if kind == "human":
            session.seats[cid] = None
        else:
            from game.players import make_player

            session.seats[cid] = make_player(kind, s.seed + list(s.players).index(cid))
        w.controllers[cid] = kind
        if cid in w.panels:
            w.panels[cid].role = kind
        key = "facil.taken_back" if kind == "human" else "facil.handed"
        w.statusBar().showMessage(w.ui.t(key, w.lang, company=self.team_name(cid)), 5000)
        if w.confirm_box is not None and kind != "human" and cid == s.current_company:
            w.confirm_box.reject()
        w._autosave()
        w.refresh()
        w._schedule_ai()

    def team_name(self, cid: str) -> str:
        company = self.w.rules.companies[cid].name.get(self.w.lang)
        team = self.teams.get(cid)
        if not team:
            return company
        return f"{team}（{company}）" if self.w.lang == "zh" else f"{team} ({company})"

    # ------------------------------------------------------------------ bookmarks and notes

    def add_bookmark(self, label: str = "") -> dict[str, Any] | None:
        """Bookmark the current moment: the number of actions played so far."""
        w, s = self.w, self.w.state
        if s is None:
            return None
        mark = {"index": len(s.history), "label": label.strip()[:MAX_TEXT]}
        self.bookmarks = [b for b in self.bookmarks if b["index"] != mark["index"]] + [mark]
        self.bookmarks.sort(key=lambda b: b["index"])
        w.statusBar().showMessage(w.ui.t("facil.bookmarked", w.lang, index=mark["index"]), 5000)
        w._autosave()
        return mark

    def ask_bookmark(self) -> QInputDialog | None:
        """Ctrl+B: bookmark now (the moment of the key), then ask for an optional label."""
        mark = self.add_bookmark()
        if mark is None:
            return None
        ui, lang = self.w.ui, self.w.lang

        def labelled(text: str) -> None:
            for b in self.bookmarks:
                if b is mark:
                    b["label"] = text.strip()[:MAX_TEXT]
            self.w._autosave()

        return self._ask("bookmarkDialog", ui.t("facil.bookmark_title", lang),
                         ui.t("facil.bookmark_prompt", lang, index=mark["index"]), labelled)

    def last_decision(self) -> int | None:
        """The 1-based index of the last action that is a decision (not the end of a turn)."""
        s = self.w.state
        if s is None:
            return None
        rules = self.w.rules
        for i in range(len(s.history), 0, -1):
            if rules.action(s.history[i - 1].id).kind != "end_turn":
                return i
        return None

    def add_note(self, text: str, index: int | None = None) -> int | None:
        """The team's reason for decision ``index`` (default: the last decision); empty text
        removes it."""
        if index is None:
            index = self.last_decision()
        if index is None:
            return None
        text = text.strip()[:MAX_TEXT]
        if text:
            self.reasons[str(index)] = text
        else:
            self.reasons.pop(str(index), None)
        w = self.w
        w.statusBar().showMessage(w.ui.t("facil.noted", w.lang, index=index), 5000)
        w._autosave()
        return index

    def decision_company(self, index: int) -> str:
        """The company that played action ``index`` (replayed: the log does not say for every
        action)."""
        from game.debrief.timeline import decisions

        s = self.w.state
        for d in decisions(self.w.rules, s, self.w.lang)[index - 1:index]:
            return d.company
        return s.current_company

    def ask_note(self) -> QInputDialog | None:
        w = self.w
        ui, lang = w.ui, w.lang
        index = self.last_decision()
        if index is None or w.state is None:
            w.statusBar().showMessage(ui.t("facil.note_none", lang), 5000)
            return None
        from game.debrief.timeline import action_label

        action = action_label(w.rules, str(w.state.history[index - 1]), lang)
        team = self.team_name(self.decision_company(index))
        return self._ask("noteDialog", ui.t("facil.note_title", lang),
                         ui.t("facil.note_prompt", lang, team=team, action=action, index=index),
                         lambda text: self.add_note(text, index), self.reasons.get(str(index), ""))

    def _ask(self, name: str, title: str, prompt: str, done, text: str = "") -> QInputDialog:
        """A small non-blocking question (the game goes on behind it)."""
        if self.input_box is not None:
            self.input_box.close()
        box = QInputDialog(self.w)
        box.setObjectName(name)
        box.setWindowTitle(title)
        box.setLabelText(prompt)
        box.setTextEchoMode(QLineEdit.EchoMode.Normal)
        box.setTextValue(text)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.textValueSelected.connect(done)
        box.destroyed.connect(lambda _=None, b=box: self._asked(b))
        self.input_box = box
        box.show()
        return box

    def _asked(self, box) -> None:
        if self.input_box is box:
            self.input_box = None

    # ------------------------------------------------------------------ the turn timer

    def _follow_turn(self) -> None:
        s = self.w.state
        key = (s.round, s.turn_pos, s.current_company) if s is not None else None
        if key != self._turn_key:
            self._turn_key = key
            self.remaining = self.timer_minutes * 60 if self.timer_minutes > 0 else None
        running = (self.remaining is not None and self.w.is_human_turn() and not self.paused
                   and self.remaining > 0)
        if running and not self.clock.isActive():
            self.clock.start()
        elif not running:
            self.clock.stop()

    def tick(self) -> None:
        """One second of the turn timer (the QTimer's timeout; tests call it directly)."""
        if self.remaining is None or self.paused or not self.w.is_human_turn():
            return
        self.remaining = max(0, self.remaining - 1)
        if self.remaining == 0:
            self.clock.stop()
        self._show_countdown()

    def _show_countdown(self) -> None:
        label = self.countdown
        if label is None:
            return
        shown = self.remaining is not None and self.w.is_human_turn()
        label.setVisible(shown)
        if not shown:
            return
        ui, lang = self.w.ui, self.w.lang
        assert self.remaining is not None
        m, sec = divmod(self.remaining, 60)
        if self.remaining > 0:
            label.setText(ui.t("facil.timer_left", lang, time=f"{m}:{sec:02d}"))
            label.setStyleSheet("color: #202020; padding: 0 8px;")
            label.setProperty("timeUp", False)
        else:
            label.setText(ui.t("facil.timer_up", lang))
            label.setStyleSheet("color: #FFFFFF; background: #C62828; border-radius: 4px; "
                                "padding: 0 8px;")
            label.setProperty("timeUp", True)
        label.setToolTip(ui.t("facil.timer_tip", lang))

    # ------------------------------------------------------------------ replay and branch

    def replay_dialog(self) -> ReplayWindow | None:
        w = self.w
        start = str(w.save_path.parent if w.save_path else last_folder(w.settings))
        path, _ = QFileDialog.getOpenFileName(w, w.ui.t("facil.replay", w.lang), start,
                                              "Closed Loop (*.json);;* (*)")
        if not path:
            return None
        remember_folder(w.settings, path)
        return self.open_replay(path)

    def open_replay(self, path: str | Path) -> ReplayWindow | None:
        """Open a save in a replay viewer (a window of its own); None with a message if it
        cannot be read."""
        from .replay import ReplayWindow

        w = self.w
        try:
            window = ReplayWindow.from_file(path, self.builtin_rules, w.ui, w.lang)
        except SaveError as exc:
            w.show_error(w.ui.t("replay.open_failed", w.lang, error=str(exc)))
            return None
        except Exception as exc:  # noqa: BLE001 - never a traceback for a file
            w.show_error(w.ui.t("replay.open_failed", w.lang, error=f"{type(exc).__name__}: {exc}"))
            return None
        window.branchRequested.connect(lambda k, r=window: self.branch_from(r, k))
        window.destroyed.connect(lambda _=None, r=window: self._replay_gone(r))
        self.replays.append(window)
        window.show()
        return window

    def _replay_gone(self, window) -> None:
        if window in self.replays:
            self.replays.remove(window)

    def branch_from(self, replay: ReplayWindow, k: int) -> bool:
        """Start a new game in this window from step ``k`` of ``replay``: the same rules,
        scenario, seed and companies, the first ``k`` actions played again. The original is
        kept for the debrief's charts."""
        from game.engine import new_game

        w = self.w
        rules = replay.rules
        state = new_game(rules, replay.full.scenario.id, replay.full.seed, replay.full.players)
        for action in replay.history[:k]:
            state.apply_action(action)
        meta = dict(replay.meta_extra)
        meta["bookmarks"] = [b for b in replay.bookmarks if b.get("index", 0) <= k]
        meta["reasons"] = {i: r for i, r in replay.reasons.items() if int(i) <= k}
        meta["branch"] = {"source": str(replay.path), "index": k}
        rules_dir = meta.get("rules_dir") if isinstance(meta.get("rules_dir"), str) else None
        self.use_rules(rules, rules_dir)
        w.config = None
        w.set_game(state, dict(replay.controllers), None, extra=meta)
        self.original = replay.full
        w.statusBar().showMessage(w.ui.t("replay.branched", w.lang, index=k), 8000)
        w.raise_()
        w.activateWindow()
        return True

    def debrief_args(self) -> dict[str, Any]:
        """What the debrief window shows besides the game: team names, reasons, the original."""
        return {"teams": dict(self.teams),
                "reasons": {int(k): v for k, v in self.reasons.items()},
                "original": self.original, "forecasts": dict(self.tools.forecasts)}
