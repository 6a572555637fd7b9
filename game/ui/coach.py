"""The practice round's coach in the app: one step at a time beside the board ("Got it" shows
the next one waiting), and the lesson card when the practice ends. A view over game.practice."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from game.engine import GameState, Rules
from game.practice import Coach, PracticeSpec, Step

from .i18n import ui_texts


class CoachPanel(QFrame):
    def __init__(self, rules: Rules, spec: PracticeSpec, lang: str = "zh", parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("coachPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#coachPanel { background: #FFF8E1; border: 1px solid #E0C36A; border-radius: 6px; }")
        self.rules, self.spec, self.lang = rules, spec, lang
        self.coach = Coach(rules, spec)
        self.queue: list[Step] = []
        self.shown: Step | None = None
        self.lesson_html = ""
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("coachTitle")
        self.text = QLabel()
        self.text.setObjectName("coachText")
        self.text.setWordWrap(True)
        self.facts = QLabel()
        self.facts.setObjectName("coachFacts")
        self.facts.setStyleSheet("color: #666;")
        self.next_button = QPushButton()
        self.next_button.setObjectName("coachGotIt")
        self.next_button.clicked.connect(self.show_next)
        for w in (self.title, self.text, self.facts, self.next_button):
            layout.addWidget(w)
        self.retranslate()

    def t(self, key: str, **params: object) -> str:
        return ui_texts().t(f"coach.{key}", self.lang, **params)

    def retranslate(self, lang: str | None = None) -> None:
        self.lang = lang or self.lang
        self.title.setText(f"<b>{html.escape(self.t('title'))}</b>")
        self.next_button.setText(self.t("got_it"))
        self._show(self.shown)

    def update_from(self, state: GameState) -> None:
        """Queue every step that now applies; show the first if nothing is shown."""
        while (step := self.coach.next_step(state)) is not None:
            self.queue.append(step)
        if state.is_terminal() and not self.lesson_html:
            from game.debrief import lesson_cards, load_lessons
            card = next((c for c in lesson_cards(self.rules, state, load_lessons(self.rules), self.lang)
                         if c.key == self.spec.lesson), None)
            if card is not None:
                self.lesson_html = (f"<b>{html.escape(self.t('lesson', title=card.title))}</b><br>"
                                    + "<br>".join(html.escape(line) for line in card.lines))
        if self.shown is None:
            self.show_next()

    def show_next(self) -> None:
        if self.queue:
            self._show(self.queue.pop(0))
        elif self.lesson_html:
            self.shown = None
            self.text.setText(self.lesson_html)
            self.facts.clear()
            self.next_button.setEnabled(False)
        else:
            self.next_button.setEnabled(False)

    def _show(self, step: Step | None) -> None:
        self.shown = step
        if step is None:
            return
        self.text.setText(html.escape(step.text.get(self.lang)))
        self.facts.setText(self.t("facts", tags=", ".join(step.source)) if step.source else "")
        self.next_button.setEnabled(bool(self.queue) or bool(self.lesson_html))
