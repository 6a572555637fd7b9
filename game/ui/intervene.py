"""The facilitator's hand on the running game: adjust a company's figures with a reason, put a
deck event into the next quarter, take the last intervention back. A view over
:mod:`game.engine.facilitator`; the main window refreshes on :attr:`InterveneDialog.changed`."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from game.engine import GameState, facilitator

from .i18n import ui_texts

FIELDS = ("capital", "users", "ux", "traffic", "merchants")
RANGES = {"capital": 10_000.0, "users": 94_000.0, "ux": 100.0, "traffic": 1_000.0, "merchants": 100.0}


class InterveneDialog(QDialog):
    """Non-modal: the facilitator keeps it open beside the board."""

    changed = Signal()

    def __init__(self, state: GameState, lang: str = "zh", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("interveneDialog")
        self.state, self.lang = state, lang
        t = self.t
        self.setWindowTitle(t("title"))
        self.setMinimumWidth(440)            # room for a typed reason
        root = QVBoxLayout(self)

        adjust = QGroupBox(t("apply"))
        form = QFormLayout(adjust)
        self.company = QComboBox()
        self.company.setObjectName("interveneCompany")
        for cid in state.players:
            self.company.addItem(state.rules.name_of("company", cid, lang), cid)
        form.addRow(t("company"), self.company)
        self.spins: dict[str, QDoubleSpinBox] = {}
        for name in FIELDS:
            spin = QDoubleSpinBox()
            spin.setObjectName(f"intervene_{name}")
            spin.setRange(-RANGES[name], RANGES[name])
            spin.setDecimals(1)
            spin.setAccessibleName(t(name))
            self.spins[name] = spin
            form.addRow(t(name), spin)
        self.reason = QLineEdit()
        self.reason.setObjectName("interveneReason")
        self.reason.setPlaceholderText(t("reason_hint"))
        self.reason.setMaxLength(facilitator.MAX_REASON)
        form.addRow(t("reason"), self.reason)
        self.apply_button = QPushButton(t("apply"))
        self.apply_button.setObjectName("interveneApply")
        self.apply_button.clicked.connect(self.apply_adjustment)
        form.addRow(self.apply_button)
        root.addWidget(adjust)

        events = QGroupBox(t("event"))
        row = QHBoxLayout(events)
        self.event_choice = QComboBox()
        self.event_choice.setObjectName("interveneEvent")
        for eid, _ in state.scenario.deck:
            self.event_choice.addItem(state.rules.name_of("event", eid, lang), eid)
        self.inject_button = QPushButton(t("inject"))
        self.inject_button.setObjectName("interveneInject")
        self.inject_button.clicked.connect(self.inject)
        row.addWidget(self.event_choice, 1)
        row.addWidget(self.inject_button)
        root.addWidget(events)

        self.undo_button = QPushButton(t("undo"))
        self.undo_button.setObjectName("interveneUndo")
        self.undo_button.clicked.connect(self.undo)
        self.status = QLabel()
        self.status.setObjectName("interveneStatus")
        self.status.setWordWrap(True)
        root.addWidget(self.undo_button)
        root.addWidget(self.status)
        self.refresh()

    def t(self, key: str, **params: object) -> str:
        return ui_texts().t(f"intervene.{key}", self.lang, **params)

    def set_state(self, state: GameState) -> None:
        """The game the main window shows now (after a load or a new game)."""
        self.state = state
        self.refresh()

    def refresh(self) -> None:
        over = self.state.is_terminal()
        self.apply_button.setEnabled(not over)
        self.inject_button.setEnabled(not over and self.event_choice.count() > 0)
        self.undo_button.setEnabled(facilitator.can_undo_intervention(self.state))

    def _done(self, text: str) -> None:
        self.status.setText(text)
        self.refresh()
        self.changed.emit()

    def _refused(self, exc: Exception) -> None:
        self.status.setText(self.t("refused", error=exc))

    def apply_adjustment(self) -> None:
        cid = self.company.currentData()
        # Typed in the reader's units: capital in 亿元 or bn yuan, users in 万 or millions.
        scale = {"capital": self.state.rules.money_scale.get(self.lang, 1.0),
                 "users": 100.0 if self.lang == "zh" else 1.0}
        changes = {name: spin.value() / scale.get(name, 1.0)
                   for name, spin in self.spins.items() if spin.value() != 0.0}
        try:
            facilitator.adjust(self.state, cid, changes, self.reason.text())
        except ValueError as exc:
            self._refused(exc)
            return
        for spin in self.spins.values():
            spin.setValue(0.0)
        self._done(self.t("done_adjust", company=self.company.currentText()))

    def inject(self) -> None:
        try:
            facilitator.inject_event(self.state, self.event_choice.currentData(), self.reason.text())
        except ValueError as exc:
            self._refused(exc)
            return
        self._done(self.t("done_event", event=self.event_choice.currentText()))

    def undo(self) -> None:
        try:
            facilitator.undo_intervention(self.state)
        except ValueError as exc:
            self._refused(exc)
            return
        self._done(self.t("done_undo"))
