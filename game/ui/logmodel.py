"""The game log: a Qt model of ``state.log`` and the view that shows it.

:class:`LogModel` follows ``state.log`` row by row: an action appends rows, an undo removes the
last ones, only a new game or a new language resets it. :class:`LogView` shows the model as
wrapped text (a read-only text document, one paragraph per row) and follows the model's
signals: appended rows are appended to the document and only they are wrapped and laid out;
removed rows are cut from its end. The whole log is laid out again only on a reset (a new game,
another language) or a new width.

A searching computer's move carries its reason (issue 13): :meth:`LogModel.add_note` ties the
decision's explanation to the move's first log row, and the view shows it as a second, indented
line of that row in the log's language; a double click on the row (or its context menu) asks
for the decision's top three options (:attr:`LogView.reasoningRequested`).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, Qt, QUrl, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextImageFormat,
)
from PySide6.QtWidgets import QMenu, QTextBrowser

from game.engine import render_log

from .style import mark_icon

BOLD_KEYS = frozenset(("round_start", "event", "event_hit", "loop_closed", "launch_app", "ban_links",
                       "winner_target", "winner_score"))
ROUND_BACKGROUND = "#ECEFF4"
ALTERNATE_BACKGROUND = "#F6F6F6"
ICON_PX = 14
NOTE_COLOR = "#4B3A78"          # a computer's reason under its move (contrast 9.9:1 on white)
NOTE_MARK = "\u2003↳ "          # the reason's line starts indented under the move


class LogModel(QAbstractListModel):
    """Rows of ``state.log`` rendered with :func:`render_log` in the current language."""

    def __init__(self, rules, parent=None) -> None:
        super().__init__(parent)
        self.rules = rules
        self.entries: list = []
        self.lang = "zh"
        self._cache: dict[int, str] = {}
        self.teams: dict[str, str] = {}       # company -> its team's name, heading its lines
        self._icons = {cid: mark_icon(c.mark, c.color, ICON_PX) for cid, c in rules.companies.items()}
        # row -> (its log entry, a searching computer's explanation of the move it starts)
        self._notes: dict[int, tuple[object, object]] = {}

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 (Qt's own signature; the index is immutable)
        return 0 if parent.isValid() else len(self.entries)

    def text(self, row: int) -> str:
        """Row ``row`` in words (rendered once per language)."""
        text = self._cache.get(row)
        if text is None:
            entry = self.entries[row]
            text = render_log(self.rules, entry, self.lang)
            team = self.teams.get(entry.company or "")
            if team:
                text = f"【{team}】{text}"
            self._cache[row] = text
        return text

    # ---------------------------------------------------------------- computers' reasons

    def add_note(self, row: int, entry, explanation) -> None:
        """Tie ``explanation`` (a search player's ``SearchExplanation``) to row ``row``, whose
        log entry is ``entry``: added before the row is appended, the view shows it with the
        row."""
        self._notes[row] = (entry, explanation)

    def clear_notes(self) -> None:
        self._notes.clear()

    def explanation(self, row: int):
        """The computer's explanation of the move that row ``row`` starts, or None."""
        found = self._notes.get(row)
        if found is None or not 0 <= row < len(self.entries) or self.entries[row] is not found[0]:
            return None     # the row is another entry now (an undo, another game)
        return found[1]

    def note(self, row: int) -> str | None:
        """Row ``row``'s reason in words (the explanation's one line), or None."""
        exp = self.explanation(row)
        return exp.line(self.lang) if exp is not None else None

    def set_teams(self, teams: dict[str, str]) -> None:
        """Head each company's lines with its team's name (the view lays the log out again)."""
        if teams != self.teams:
            self.teams = dict(teams)
            self._reset(self.entries)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        entry = self.entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            note = self.note(index.row())
            return self.text(index.row()) + (f"\n{note}" if note else "")
        if role == Qt.ItemDataRole.DecorationRole and entry.company in self._icons:
            return self._icons[entry.company]
        if role == Qt.ItemDataRole.FontRole and entry.key in BOLD_KEYS:
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.BackgroundRole and entry.key == "round_start":
            return QColor(ROUND_BACKGROUND)
        if role == Qt.ItemDataRole.UserRole:
            return entry
        return None

    def set_entries(self, log, lang: str) -> bool:
        """Follow ``state.log``: append new rows, remove rows an undo took back, or reset after
        a new game or in another language. Returns whether rows were appended."""
        n = len(self.entries)
        if lang != self.lang:
            self.lang = lang
            self._reset(list(log))
            return False
        m = len(log)
        same = min(n, m)
        # the entries are the engine's own objects: the shared part is the same objects
        if all(self.entries[i] is log[i] for i in range(same)):
            if m > n:
                self.beginInsertRows(QModelIndex(), n, m - 1)
                self.entries.extend(log[n:])
                self.endInsertRows()
                return True
            if m < n:
                self.beginRemoveRows(QModelIndex(), m, n - 1)
                del self.entries[m:]
                for row in range(m, n):
                    self._cache.pop(row, None)
                    self._notes.pop(row, None)
                self.endRemoveRows()
            return False
        self._reset(list(log))
        return False

    def _reset(self, log: list) -> None:
        self.beginResetModel()
        self._cache.clear()
        self.entries = log
        self.endResetModel()


class LogView(QTextBrowser):
    """The log as wrapped paragraphs, one per row of a :class:`LogModel`; emits
    :attr:`entryClicked` with the engine's log entry of a clicked row."""

    entryClicked = Signal(object)
    reasoningRequested = Signal(object)    # a computer's explanation: show its top options

    def __init__(self, model: LogModel, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("logView")
        self.setOpenLinks(False)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._model = model
        self.appended_rows = 0          # rows laid out one by one (a test reads these)
        self.reasoning_text = ""        # the context menu's item: the window sets it in its language
        self.rebuilds = 0               # whole-log layouts: a new game or another language
        doc = self.document()
        doc.setUndoRedoEnabled(False)
        self._marks = {cid: icon.pixmap(ICON_PX, ICON_PX).toImage() for cid, icon in model._icons.items()}
        self._add_marks()
        model.rowsInserted.connect(self._inserted)
        model.rowsRemoved.connect(self._removed)
        model.modelReset.connect(self._rebuild)
        self._rebuild()

    def model(self) -> LogModel:
        return self._model

    # ---------------------------------------------------------------- following the model

    def _add_marks(self) -> None:
        """The companies' marks as the document's images (``mark:<company>``). QTextDocument.clear()
        drops a document's resources: they are added again after every clear."""
        doc = self.document()
        for cid, image in self._marks.items():
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"mark:{cid}"), image)

    def _rebuild(self) -> None:
        self.rebuilds += 1
        self.document().clear()
        self._add_marks()
        self._append(0, self._model.rowCount() - 1)

    def _inserted(self, parent, first: int, last: int) -> None:
        self.appended_rows += last - first + 1
        self._append(first, last)

    def _removed(self, parent, first: int, last: int) -> None:
        doc = self.document()
        if first == 0:
            doc.clear()
            self._add_marks()
            return
        # from the end of row first-1's paragraph to the end of the document
        cursor = QTextCursor(doc.findBlockByNumber(first - 1))
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()

    def _append(self, first: int, last: int) -> None:
        if last < first:
            return
        model = self._model
        bar = self.verticalScrollBar()
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.beginEditBlock()
        for row in range(first, last + 1):
            entry = model.entries[row]
            block = QTextBlockFormat()
            block.setTopMargin(1)
            block.setBottomMargin(1)
            if entry.key == "round_start":
                block.setBackground(QBrush(QColor(ROUND_BACKGROUND)))
            elif row % 2:
                block.setBackground(QBrush(QColor(ALTERNATE_BACKGROUND)))
            block.setProperty(QTextFormat.Property.UserProperty, row)
            chars = QTextCharFormat()
            chars.setFontWeight(QFont.Weight.Bold if entry.key in BOLD_KEYS else QFont.Weight.Normal)
            if row == 0:
                cursor.setBlockFormat(block)
                cursor.setBlockCharFormat(chars)
            else:
                cursor.insertBlock(block, chars)
            if entry.company in model._icons:
                image = QTextImageFormat()
                image.setName(f"mark:{entry.company}")
                image.setWidth(ICON_PX)
                image.setHeight(ICON_PX)
                image.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignMiddle)
                cursor.insertImage(image)
                cursor.insertText(" ", chars)
            cursor.insertText(model.text(row), chars)
            note = model.note(row)
            if note:
                # a second line of the same paragraph (one paragraph per row: row_at holds)
                why = QTextCharFormat()
                why.setFontWeight(QFont.Weight.Normal)     # not italic: Chinese has none
                why.setForeground(QBrush(QColor(NOTE_COLOR)))
                cursor.insertText("\u2028" + NOTE_MARK + note, why)
        cursor.endEditBlock()
        bar.setValue(bar.maximum())      # the newest row in sight

    # ---------------------------------------------------------------- rows on screen

    def row_at(self, pos) -> int | None:
        """The row under the viewport position ``pos``, or None."""
        cursor = self.cursorForPosition(pos)
        block = cursor.block()
        rect = self.document().documentLayout().blockBoundingRect(block)
        y = pos.y() + self.verticalScrollBar().value()
        if not block.isValid() or not rect.top() <= y <= rect.bottom():
            return None
        row = block.blockFormat().property(QTextFormat.Property.UserProperty)
        return row if isinstance(row, int) and 0 <= row < self._model.rowCount() else None

    def row_rect(self, row: int) -> QRect:
        """Row ``row``'s paragraph in viewport coordinates (after :meth:`scroll_to_row`)."""
        block = self.document().findBlockByNumber(row)
        rect = self.document().documentLayout().blockBoundingRect(block)
        return rect.translated(0, -self.verticalScrollBar().value()).toRect()

    def scroll_to_row(self, row: int) -> None:
        block = self.document().findBlockByNumber(row)
        self.setTextCursor(QTextCursor(block))
        self.ensureCursorVisible()

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            row = self.row_at(event.position().toPoint())
            if row is not None:
                self.entryClicked.emit(self._model.entries[row])

    def mouseDoubleClickEvent(self, event) -> None:
        super().mouseDoubleClickEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            row = self.row_at(event.position().toPoint())
            exp = self._model.explanation(row) if row is not None else None
            if exp is not None:
                self.reasoningRequested.emit(exp)

    def context_menu(self, pos) -> QMenu | None:
        """The menu of the row at viewport position ``pos``: its computer's top options, when
        the row is a searching computer's move (None otherwise)."""
        row = self.row_at(pos)
        exp = self._model.explanation(row) if row is not None else None
        if exp is None:
            return None
        menu = QMenu(self)
        menu.setObjectName("logMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        act = menu.addAction(self.reasoning_text)
        act.setObjectName("logReasoning")
        act.triggered.connect(lambda _=False, e=exp: self.reasoningRequested.emit(e))
        return menu

    def contextMenuEvent(self, event) -> None:
        menu = self.context_menu(event.pos())
        if menu is None:
            super().contextMenuEvent(event)
            return
        menu.popup(event.globalPos())     # not exec(): the game goes on behind it
