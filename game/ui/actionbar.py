"""Buttons for every non-build action of the rules (one per target for targeted actions).

Building is done by clicking a node. An action that is not allowed now is disabled, and its
tooltip says why, in the engine's own words (``state.explain(state.why_illegal(a), lang)``).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

from game.engine import Action

from .i18n import UiTexts
from .style import mark_icon

TARGETED = ("ban_links", "poach")


def _wrapping_layout():
    from .flowlayout import FlowLayout

    return FlowLayout()


class ActionButton(QPushButton):
    hovered = Signal(str)

    def __init__(self, spec_id: str, parent=None):
        super().__init__(parent)
        self.spec_id = spec_id

    def enterEvent(self, event) -> None:
        self.hovered.emit(self.spec_id)
        super().enterEvent(event)


class ActionBar(QWidget):
    """Emits :attr:`actionTriggered` with an :class:`Action`; never applies it itself."""

    actionTriggered = Signal(object)
    actionHovered = Signal(str)

    def __init__(self, rules, ui: UiTexts, players: tuple[str, ...], parent=None):
        super().__init__(parent)
        self.rules, self.ui = rules, ui
        self.setObjectName("actionBar")
        self.buttons: dict[Action, ActionButton] = {}
        lay = _wrapping_layout()
        self.setLayout(lay)
        for spec in rules.actions:
            if spec.kind == "build":
                continue
            if spec.kind in TARGETED:
                targets = [c for c in players]
            else:
                targets = [None]
            for t in targets:
                action = Action(spec.id, t)
                b = ActionButton(spec.id)
                b.setObjectName(f"action_{spec.id}" + (f"_{t}" if t else ""))
                b.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
                if t:
                    c = rules.companies[t]
                    b.setIcon(mark_icon(c.mark, c.color, 16))
                if spec.kind == "end_turn":
                    b.setProperty("fontScale", 1.0)
                    b.setProperty("fontBold", True)
                b.clicked.connect(lambda _=False, a=action: self.actionTriggered.emit(a))
                b.hovered.connect(self.actionHovered)
                lay.addWidget(b)
                self.buttons[action] = b

    def refresh(self, state, lang: str, human_turn: bool) -> None:
        ui, rules = self.ui, self.rules
        candidates = set(state.candidate_actions())
        for action, b in self.buttons.items():
            spec = rules.action(action.id)
            name = spec.name.get(lang)
            if action.target:
                name = ui.t("action.targeted", lang, action=name,
                            target=rules.companies[action.target].name.get(lang))
            key = spec.key
            b.setText(f"{name}  [{ui.key_label(key, lang)}]")
            # Show what the engine says this company could name (e.g. links only to partners).
            visible = action.target is None or action in candidates
            b.setVisible(visible)
            tip = spec.text.get(lang)
            if state.is_terminal():
                b.setEnabled(False)
                b.setToolTip(tip + "\n\n" + ui.t("tip.game_over", lang))
                continue
            if not human_turn:
                b.setEnabled(False)
                b.setToolTip(tip + "\n\n" + ui.t("tip.computer_turn", lang))
                continue
            reason = state.why_illegal(action)
            b.setEnabled(reason is None)
            if reason is None:
                b.setToolTip(tip)
            else:
                b.setToolTip(tip + "\n\n" + ui.t("tip.not_now", lang,
                                                  reason=state.explain(reason, lang)))
