"""The game log as a Qt model: one row per engine log entry, rendered in words."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from game.engine import render_log

from .style import mark_icon


class LogModel(QAbstractListModel):
    """Rows of ``state.log`` rendered with :func:`render_log` in the current language."""

    def __init__(self, rules, parent=None) -> None:
        super().__init__(parent)
        self.rules = rules
        self.entries: list = []
        self.lang = "zh"
        self._cache: dict[int, str] = {}
        self._icons = {cid: mark_icon(c.mark, c.color, 14) for cid, c in rules.companies.items()}

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 (Qt's own signature; the index is immutable)
        return 0 if parent.isValid() else len(self.entries)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        entry = self.entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self._cache.get(index.row())
            if text is None:
                text = render_log(self.rules, entry, self.lang)
                self._cache[index.row()] = text
            return text
        if role == Qt.ItemDataRole.DecorationRole and entry.company in self._icons:
            return self._icons[entry.company]
        if role == Qt.ItemDataRole.FontRole and entry.key in ("round_start", "event", "event_hit", "loop_closed",
                                                              "launch_app", "ban_links",
                                                              "winner_target", "winner_score"):
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.BackgroundRole and entry.key == "round_start":
            return QColor("#ECEFF4")
        if role == Qt.ItemDataRole.UserRole:
            return entry
        return None

    def set_entries(self, log, lang: str) -> None:
        """Follow ``state.log``: append new rows, or reset after an undo or a new game."""
        log = list(log)
        if lang != self.lang:
            self.lang = lang
            self._cache.clear()
            self.beginResetModel()
            self.entries = log
            self.endResetModel()
            return
        n = len(self.entries)
        if len(log) >= n and all(a is b for a, b in zip(self.entries, log)):
            if len(log) > n:
                self.beginInsertRows(QModelIndex(), n, len(log) - 1)
                self.entries = log
                self.endInsertRows()
            return
        self.beginResetModel()
        self._cache.clear()
        self.entries = log
        self.endResetModel()
