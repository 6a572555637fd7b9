"""Buttons for every non-build action of the rules (one per target for targeted actions).

Building: click a node to select it, then click it again, press B or use the Build button. An
action that is not allowed now is disabled, and its
tooltip says why, in the engine's own words (``state.explain(state.why_illegal(a), lang)``).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from game.engine import Action, format_money

from .i18n import UiTexts
from .prices import action_price, build_step_cost, price_text
from .style import mark_icon

TARGETED = ("ban_links", "poach")


def _wrapping_layout():
    from .flowlayout import FlowLayout

    return FlowLayout()


class ActionButton(QPushButton):
    """A button with the action's name and, in small text below it, its real price now."""

    hovered = Signal(str)

    def __init__(self, spec_id: str, parent=None):
        super().__init__(parent)
        self.spec_id = spec_id
        lay = self._content = QVBoxLayout(self)
        lay.setContentsMargins(8, 3, 8, 3)
        lay.setSpacing(0)
        top = self._top = QHBoxLayout()
        top.setSpacing(4)
        top.addStretch(1)
        self.icon_label = QLabel()
        self.icon_label.hide()
        self.name_label = QLabel()
        self.name_label.setObjectName(f"name_{spec_id}")
        self.price_label = QLabel()
        self.price_label.setObjectName(f"price_{spec_id}")
        self.price_label.setProperty("fontScale", 0.8)
        self.price_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        top.addWidget(self.icon_label)
        top.addWidget(self.name_label)
        top.addStretch(1)
        lay.addLayout(top)
        lay.addWidget(self.price_label)
        for w in (self.icon_label, self.name_label, self.price_label):
            w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def set_inline(self, inline: bool) -> None:
        """The price beside the name (one line: projector mode) or under it."""
        top = self._top
        if inline and self._content.indexOf(self.price_label) >= 0:
            self._content.removeWidget(self.price_label)
            top.insertWidget(top.count() - 1, self.price_label)
        elif not inline and top.indexOf(self.price_label) >= 0:
            top.removeWidget(self.price_label)
            self._content.addWidget(self.price_label)
        self.updateGeometry()

    def set_mark(self, icon) -> None:
        self.icon_label.setPixmap(icon.pixmap(QSize(16, 16)))
        self.icon_label.show()

    def set_texts(self, name: str, price: str) -> None:
        if (name, price) == (self.name_label.text(), self.price_label.text()):
            return             # unchanged: no new layout, no repaint
        self.name_label.setText(name)
        self.price_label.setText(price)
        if self.price_label.isHidden() == bool(price):
            self.price_label.setVisible(bool(price))
        self.updateGeometry()

    def set_accessible(self, name: str, price: str, about: str, why_not: str | None) -> None:
        """What a screen reader says: the name and the price, and why the button is disabled."""
        said = f"{name}, {price}" if price else name
        if self.accessibleName() != said:
            self.setAccessibleName(said)
        description = f"{why_not}\n{about}" if why_not else about
        if self.accessibleDescription() != description:
            self.setAccessibleDescription(description)

    def set_state(self, enabled: bool, tip: str, visible: bool = True) -> None:
        """Enabled, tooltip and shown: each set only when it changes (no repaint, no layout)."""
        if self.isHidden() == visible:
            self.setVisible(visible)
        if self.isEnabled() != enabled:
            self.setEnabled(enabled)
        if self.toolTip() != tip:
            self.setToolTip(tip)

    def text(self) -> str:  # noqa: D401 - the name line, as a plain button's text would be
        return self.name_label.text()

    def sizeHint(self) -> QSize:
        return self._content.sizeHint().expandedTo(QSize(40, 28))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

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
        self.build_id = next(a.id for a in rules.actions if a.kind == "build")
        self.selected: str | None = None
        self.compact = False
        self.build_button = ActionButton(self.build_id)
        self.build_button.setObjectName("buildButton")
        self.build_button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.build_button.clicked.connect(self._build_clicked)
        self.build_button.hovered.connect(self.actionHovered)
        lay.addWidget(self.build_button)
        for spec in rules.actions:
            if spec.kind == "build":
                continue
            targets: list[str | None]
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
                    b.set_mark(mark_icon(c.mark, c.color, 16))
                if spec.kind == "end_turn":
                    b.setProperty("fontScale", 1.0)
                    b.setProperty("fontBold", True)
                b.clicked.connect(lambda _=False, a=action: self.actionTriggered.emit(a))
                b.hovered.connect(self.actionHovered)
                lay.addWidget(b)
                self.buttons[action] = b

    def set_compact(self, compact: bool) -> None:
        """Projector mode: each button on one line (name and price), without its key, 4 px
        apart (not 6)."""
        self.compact = compact
        from .flowlayout import FlowLayout

        layout = self.layout()
        if isinstance(layout, FlowLayout):
            layout.set_spacing(4 if compact else 6)
        for b in [self.build_button, *self.buttons.values()]:
            b.set_inline(compact)

    def _label(self, name: str, key: str, lang: str) -> str:
        return name if self.compact else f"{name}  [{self.ui.key_label(key, lang)}]"

    def _build_clicked(self) -> None:
        if self.selected:
            self.actionTriggered.emit(Action(self.build_id, self.selected))

    def _refresh_build(self, state, lang: str, human_turn: bool, selected: str | None) -> None:
        ui, rules, b = self.ui, self.rules, self.build_button
        self.selected = selected
        key = rules.action(self.build_id).key
        price = ""
        if selected:
            name = ui.t("build.button_named", lang, name=rules.capability(selected).name.get(lang))
            if not state.is_terminal() and state.node_state(state.current_company, selected) != "built":
                price = ui.t("price.capital", lang, value=format_money(rules, build_step_cost(
                    state, state.current_company, rules.capability_index(selected)), lang))
        else:
            name = ui.t("build.button", lang)
        b.set_texts(self._label(name, key, lang), price)
        tip = rules.action(self.build_id).text.get(lang)
        why: str | None
        if state.is_terminal():
            why = ui.t("tip.game_over", lang)
        elif not human_turn:
            why = ui.t("tip.computer_turn", lang)
        elif not selected:
            why = ui.t("build.none_tip", lang)
        else:
            reason = state.why_illegal(Action(self.build_id, selected))
            why = None if reason is None else ui.t("tip.not_now", lang,
                                                   reason=state.explain(reason, lang))
        b.set_state(why is None, tip if why is None else tip + "\n\n" + why)
        b.set_accessible(name, price, tip, why)

    def refresh(self, state, lang: str, human_turn: bool, selected: str | None = None) -> None:
        ui, rules = self.ui, self.rules
        self._refresh_build(state, lang, human_turn, selected)
        candidates = set(state.candidate_actions())
        for action, b in self.buttons.items():
            spec = rules.action(action.id)
            name = spec.name.get(lang)
            if action.target:
                name = ui.t("action.targeted", lang, action=name,
                            target=rules.companies[action.target].name.get(lang))
            key = spec.key
            price = "" if state.is_terminal() else price_text(rules, ui, action_price(state, spec), lang)
            b.set_texts(self._label(name, key, lang), price)
            # Show what the engine says this company could name (links only to partners, waybill
            # terms only for the provider).
            visible = action in candidates
            tip = spec.text.get(lang)
            why: str | None
            if state.is_terminal():
                why = ui.t("tip.game_over", lang)
            elif not human_turn:
                why = ui.t("tip.computer_turn", lang)
            else:
                reason = state.why_illegal(action)
                why = None if reason is None else ui.t("tip.not_now", lang,
                                                       reason=state.explain(reason, lang))
            b.set_state(why is None, tip if why is None else tip + "\n\n" + why, visible)
            b.set_accessible(name, price, tip, why)
