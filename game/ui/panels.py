"""Panels beside the board: company figures, turn status, explanations, the event card."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
)

from game.engine import format_money, format_users

from .goal import goal_line
from .i18n import UiTexts
from .prices import Price, action_price, build_step_cost
from .style import INK, ink_on_light, mark_icon, money, num

METRICS = ("traffic", "capital", "ux", "users", "gmv", "loop")


class FitLabel(QLabel):
    """A label with a full text and a compact one: the full text where it fits, else the
    compact one (the full one then in the tooltip). Its minimum width is the compact text's,
    so a long value never widens its panel past a small screen, and nothing is cut off."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.full, self.compact = "", ""
        self._tip = ""

    def set_texts(self, full: str, compact: str | None = None) -> None:
        compact = full if compact is None else compact
        if (full, compact) != (self.full, self.compact):
            self.full, self.compact = full, compact
            self.updateGeometry()
        self._choose()

    def setToolTip(self, tip: str) -> None:  # noqa: N802 (Qt's name)
        self._tip = tip
        self._choose()

    def _width(self, text: str) -> int:
        m = self.contentsMargins()
        return self.fontMetrics().horizontalAdvance(text) + m.left() + m.right() + 2

    def _choose(self) -> None:
        fits = self._width(self.full) <= self.width()
        text = self.full if fits else self.compact
        if self.text() != text:
            super().setText(text)
        tip = self._tip if fits or self.full == self.compact else \
            "\n\n".join(t for t in (self.full, self._tip) if t)
        if super().toolTip() != tip:
            super().setToolTip(tip)

    def sizeHint(self) -> QSize:
        return QSize(self._width(self.full), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self._width(self.compact), super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._choose()

    def changeEvent(self, event) -> None:   # a new font (zoom): measure again
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()
            self._choose()


class CompanyPanel(QFrame):
    """One company's figures as numbers and bars; highlighted while it is that company's turn."""

    clicked = Signal(str)

    def __init__(self, rules, ui: UiTexts, company_id: str, role: str, parent=None):
        super().__init__(parent)
        self.rules, self.ui, self.company_id, self.role = rules, ui, company_id, role
        company = rules.companies[company_id]
        self.color = company.color
        self.setObjectName(f"companyPanel_{company_id}")
        self.setFrameShape(QFrame.Shape.NoFrame)     # painted: see paintEvent
        ink_on_light(self)     # its own light ground: dark text even under a dark system palette
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 6, 8, 6)
        outer.setSpacing(3)
        head = QHBoxLayout()
        self.mark = QLabel()
        self.mark.setPixmap(mark_icon(company.mark, company.color, 22).pixmap(QSize(22, 22)))
        self.title = FitLabel()
        self.title.setObjectName(f"companyTitle_{company_id}")
        self.title.setProperty("fontScale", 1.1)
        self.title.setProperty("fontBold", True)
        self.role_label = FitLabel()
        self.role_label.setObjectName(f"companyRole_{company_id}")
        head.addWidget(self.mark)
        head.addWidget(self.title, 1)
        head.addWidget(self.role_label)
        outer.addLayout(head)
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        self.names: dict[str, QLabel] = {}
        self.bars: dict[str, QProgressBar] = {}
        self.values: dict[str, FitLabel] = {}
        for r, key in enumerate(METRICS):
            name = QLabel()
            bar = QProgressBar()
            bar.setObjectName(f"bar_{key}_{company_id}")
            bar.setRange(0, 1000)
            bar.setTextVisible(False)
            bar.setFixedHeight(10)
            bar.setMinimumWidth(24)    # the bar gives way first on a narrow screen
            bar.setStyleSheet(
                "QProgressBar { border: 1px solid #999; border-radius: 3px; background: #F2F2F2; }"
                f"QProgressBar::chunk {{ background: {company.color}; }}")
            value = FitLabel()
            value.setObjectName(f"value_{key}_{company_id}")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(name, r, 0)
            grid.addWidget(bar, r, 1)
            grid.addWidget(value, r, 2)
            self.names[key], self.bars[key], self.values[key] = name, bar, value
        grid.setColumnStretch(1, 1)
        self.grid = grid
        outer.addLayout(grid)
        self.compact_per_row = 0          # 0: one figure a row with its bar
        self._active: bool | None = None
        self._set_frame(False)

    def set_compact(self, per_row: int) -> None:
        """``per_row`` figures a row without their bars (a low screen, the projector), or
        0: one figure a row with its bar."""
        if per_row == self.compact_per_row:
            return
        self.compact_per_row = per_row
        grid = self.grid
        for key in METRICS:
            for w in (self.names[key], self.bars[key], self.values[key]):
                grid.removeWidget(w)
        for c in range(grid.columnCount()):
            grid.setColumnStretch(c, 0)
        for i, key in enumerate(METRICS):
            if per_row:
                r, c = divmod(i, per_row)
                grid.addWidget(self.names[key], r, 2 * c)
                grid.addWidget(self.values[key], r, 2 * c + 1)
                self.values[key].setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                self.bars[key].hide()
            else:
                grid.addWidget(self.names[key], i, 0)
                grid.addWidget(self.bars[key], i, 1)
                grid.addWidget(self.values[key], i, 2)
                self.values[key].setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.bars[key].show()
        self.role_label.setVisible(not per_row)   # compact: the frame says whose turn
        if per_row:
            for c in range(per_row):
                grid.setColumnStretch(2 * c + 1, 1)
            grid.setHorizontalSpacing(8)
        else:
            grid.setColumnStretch(1, 1)
            grid.setHorizontalSpacing(6)

    def _set_frame(self, active: bool) -> None:
        """The frame says whose turn it is: thick in the company's colour on a white ground.
        Painted by :meth:`paintEvent` (no style sheet: setting one re-polishes every child)."""
        if active == self._active:
            return
        self._active = active
        self.update()

    def paintEvent(self, event) -> None:
        from PySide6.QtCore import QRectF
        from PySide6.QtGui import QColor, QPainter, QPen

        active = bool(self._active)
        width = 4 if active else 1
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(self.color if active else "#BBBBBB"), width))
        painter.setBrush(QColor("#FFFFFF" if active else "#F7F7F5"))
        half = width / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(half, half, -half, -half), 6, 6)
        painter.end()

    def mousePressEvent(self, event) -> None:
        self.clicked.emit(self.company_id)
        super().mousePressEvent(event)

    def refresh(self, state, lang: str) -> None:
        ui, rules, cid = self.ui, self.rules, self.company_id
        cs = state.company(cid)
        company = rules.companies[cid]
        active = state.current_company == cid and not state.is_terminal()
        self._set_frame(active)
        role = ui.t(f"role.{self.role}", lang) if self.role == "human" else \
            ui.t("role.computer_level", lang, level=ui.t(f"level.{self.role}", lang))
        # narrow: the thick frame says whose turn it is, the role alone stays
        self.role_label.set_texts(ui.t("panel.now_playing", lang) + " · " + role if active
                                  else role, role)
        others = state.companies
        eco = rules.economy
        loop_n = len(state.loop)
        gmv_max = max([c.gmv_total for c in others] + [1e-9])
        target = state.scenario.target_quarter_gmv
        values = {
            "traffic": (cs.traffic, max([c.traffic_start for c in others] + [cs.traffic, 1e-9]),
                        num(cs.traffic)),
            "capital": (cs.capital, max([c.capital for c in others] + [1e-9]), money(rules, cs.capital, lang)),
            "ux": (cs.ux, eco.ux_max, num(cs.ux, 0)),
            "users": (cs.users, eco.internet_users, format_users(cs.users, lang, unit=False)),
            "gmv": (cs.gmv_total, gmv_max,
                    ui.t("panel.gmv_value", lang, total=money(rules, cs.gmv_total, lang),
                         last=money(rules, cs.gmv_last, lang))),
            "loop": (cs.links_done, loop_n,
                     ui.t("panel.loop_closed" if cs.loop_closed else "panel.loop_value", lang,
                          done=cs.links_done, total=loop_n)),
        }
        texts = {key: [text, text] for key, (_, _, text) in values.items()}   # full, compact
        texts["gmv"][1] = money(rules, cs.gmv_total, lang)      # narrow: last quarter's goes
        for key, (v, top, _) in values.items():
            self.names[key].setText(ui.t(f"metric.{key}", lang))
            self.bars[key].setValue(int(1000 * max(0.0, min(1.0, v / top))) if top else 0)
        tips = {"gmv": ui.t("metric.gmv_tip", lang, target=money(rules, target, lang) if target else "—")}
        for key in METRICS:
            tip = tips.get(key, ui.t(f"metric.{key}_tip", lang))
            if cs.app_launched and key == "loop":
                tip += "\n" + ui.t("panel.app_share", lang, share=round(cs.app_share * 100))
            self.bars[key].setToolTip(tip)
            self.values[key].setToolTip(tip)
            self.names[key].setToolTip(tip)
        scen = state.scenario
        if scen.victory_points:      # the score of this scenario: goal points on its own scale
            goal = money(rules, state.profile(cid).goal_gmv, lang)
            points = " · " + ui.t("panel.points_value", lang, points=f"{cs.points:.1f}")
            texts["gmv"] = [t + points for t in texts["gmv"]]
            tip = ui.t("metric.points_tip", lang, goal=goal, cap=f"{scen.quarter_points_cap:g}",
                       loop=f"{scen.loop_points:g}", app=f"{scen.app_points:g}")
            for w in (self.bars["gmv"], self.values["gmv"], self.names["gmv"]):
                w.setToolTip(tip)
        if cs.app_launched:
            app = " · " + ui.t("panel.app_short", lang, share=round(cs.app_share * 100))
            texts["loop"] = [t + app for t in texts["loop"]]
        title = f"{company.name.get(lang)} · {company.app.get(lang)}"
        short_title = company.name.get(lang)
        if self.compact_per_row:
            # compact: the points go to the title, the GMV and the loop to their numbers
            texts["gmv"] = [money(rules, cs.gmv_total, lang)] * 2
            texts["loop"] = [ui.t("panel.loop_compact", lang, done=cs.links_done, total=loop_n)] * 2
            if scen.victory_points:
                pts = ui.t("panel.points_value", lang, points=f"{cs.points:.1f}")
                title, short_title = f"{short_title} · {pts}", f"{short_title} · {pts}"
        self.title.set_texts(title, short_title)
        for key, (full, compact) in texts.items():
            self.values[key].set_texts(full, compact)
        # A screen reader reads the panel as one: whose, whose turn, then every figure in full.
        sep = "，" if lang == "zh" else ", "
        self.setAccessibleName(ui.t("a11y.panel", lang, company=company.name.get(lang)))
        self.setAccessibleDescription(sep.join(
            [self.role_label.full] + [f"{ui.t(f'metric.{key}', lang)} {texts[key][0]}"
                                      for key in METRICS]))
        for key in METRICS:
            self.values[key].setAccessibleName(
                f"{ui.t(f'metric.{key}', lang)} {texts[key][0]}")


class StatusHeader(QFrame):
    """Quarter and round, whose turn, actions left, the game's seed; after the game a Debrief
    button."""

    debriefRequested = Signal()

    def __init__(self, rules, ui: UiTexts, parent=None):
        super().__init__(parent)
        self.rules, self.ui = rules, ui
        self.setObjectName("statusHeader")
        rows = QVBoxLayout(self)
        rows.setContentsMargins(6, 2, 6, 2)
        rows.setSpacing(0)
        lay = QHBoxLayout()
        lay.setContentsMargins(0, 0, 0, 0)
        rows.addLayout(lay)
        # The company to move: its goal points, rank and what it can still score.
        self.goal = FitLabel()
        self.goal.setObjectName("goalLine")
        self.goal.setProperty("fontBold", True)
        rows.addWidget(self.goal)
        self.quarter = QLabel()
        self.quarter.setObjectName("quarterLabel")
        self.mark = QLabel()
        self.turn = QLabel()
        self.turn.setObjectName("turnLabel")
        self.actions_label = QLabel()
        self.actions_label.setObjectName("actionsLabel")
        for w in (self.quarter, self.turn, self.actions_label):
            w.setProperty("fontScale", 1.25)
            w.setProperty("fontBold", True)
        lay.addWidget(self.quarter)
        lay.addSpacing(24)
        lay.addWidget(self.mark)
        lay.addWidget(self.turn)
        lay.addStretch(1)
        # the status bar's message, here while the status bar is hidden (projector mode)
        self.message = QLabel()
        self.message.setObjectName("headerMessage")
        self.message.setStyleSheet("color: #8A4B00;")
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        lay.addWidget(self.message, 2)
        self.debrief_button = QPushButton()
        self.debrief_button.setObjectName("debriefButton")
        self.debrief_button.clicked.connect(self.debriefRequested)
        self.debrief_button.hide()
        lay.addWidget(self.debrief_button)
        lay.addWidget(self.actions_label)
        self.seed = QLabel()
        self.seed.setObjectName("seedLabel")
        self.seed.setStyleSheet("color: #666666;")
        lay.addSpacing(12)
        lay.addWidget(self.seed)

    def show_message(self, text: str) -> None:
        """The status bar's message; shown while the status bar itself is hidden."""
        window = self.window()
        hidden = window is not self and window.statusBar().isHidden() \
            if hasattr(window, "statusBar") else False
        self.message.setText(self.message.fontMetrics().elidedText(
            text, Qt.TextElideMode.ElideRight, max(40, self.message.width())) if hidden else "")
        self.message.setToolTip(text if hidden else "")

    def refresh(self, state, lang: str, roles: dict[str, str]) -> None:
        ui = self.ui
        year, quarter = state.year_quarter
        self.quarter.setText(ui.t("status.quarter", lang, year=year, quarter=quarter,
                                  round=state.round, rounds=state.scenario.rounds))
        self.seed.setText(ui.t("status.seed", lang, seed=state.seed))
        self.seed.setToolTip(ui.t("status.seed_tip", lang))
        self.debrief_button.setText(ui.t("game.debrief", lang))
        self.debrief_button.setVisible(state.is_terminal())
        if state.is_terminal():
            winner = state.winner_id
            name = self.rules.companies[winner].name.get(lang) if winner else "—"
            self.turn.setText(ui.t("status.game_over", lang, company=name))
            self.actions_label.setText("")
            self.mark.clear()
            self.mark.setProperty("company", None)
            full, compact = goal_line(self.rules, ui, state, lang, winner)
            ranked = compact.rsplit(" · ", 1)[0]     # after the game: points and rank only
            self.goal.set_texts(ranked, ranked)
            return
        full, compact = goal_line(self.rules, ui, state, lang)
        self.goal.set_texts(full, compact)
        self.goal.setToolTip(ui.t("goal.tip", lang))
        cid = state.current_company
        company = self.rules.companies[cid]
        if self.mark.property("company") != cid:     # a new pixmap repaints: only on a new turn
            self.mark.setPixmap(mark_icon(company.mark, company.color, 22).pixmap(QSize(22, 22)))
            self.mark.setProperty("company", cid)
        role = roles.get(cid, "human")
        who = ui.t("role.human", lang) if role == "human" else ui.t(
            "role.computer_level", lang, level=ui.t(f"level.{role}", lang))
        self.turn.setText(ui.t("status.turn", lang, company=company.name.get(lang), role=who))
        self.actions_label.setText(ui.t("status.actions_left", lang, left=state.actions_left,
                                  total=state.scenario.actions_per_round))


def facts_html(rules, tags, lang: str, ui: UiTexts) -> str:
    """The source facts behind an item, with their tags."""
    if not tags:
        return ""
    rows = "".join(f"<li><b>{html.escape(t)}</b> {html.escape(rules.facts[t].get(lang))}</li>"
                   for t in tags if t in rules.facts)
    return f"<p><i>{html.escape(ui.t('info.facts', lang))}</i></p><ul>{rows}</ul>"


def describe_effect(rules, ui: UiTexts, effect, lang: str, players) -> str:
    """One event effect in words: what changes, by how much, for whom."""
    who = effect.who
    if who == "all":
        whom = ui.t("who.all", lang)
    elif who in ("leader", "laggard", "random"):
        whom = ui.t(f"who.{who}", lang)
    elif who.startswith("has:") or who.startswith("lacks:"):
        kind, _, cap = who.partition(":")
        whom = ui.t(f"who.{kind}", lang, capability=rules.capability(cap).name.get(lang))
    elif who in rules.companies:
        whom = rules.companies[who].name.get(lang)
    else:
        whom = who
    params = {"who": whom, "mult": f"{effect.mult:g}", "delta": f"{effect.delta:+g}"}
    if effect.type == "capital":  # money, in the reader's unit
        params["delta"] = ("+" if effect.delta >= 0 else "-") + format_money(rules, abs(effect.delta), lang)
    key = f"effect.{effect.type}"
    if effect.action and effect.type in ("demand", "ux_cost"):
        key += "_action"
        params["action"] = rules.action(effect.action).name.get(lang)
    if effect.type == "progress":
        params["capability"] = rules.capability(effect.capability).name.get(lang) \
            if effect.capability else "?"
    try:
        return ui.t(key, lang, **params)
    except KeyError:
        return f"{effect.type}（{whom}）" if lang == "zh" else f"{effect.type} ({whom})"


class InfoPanel(QTextBrowser):
    """The explanation of the hovered or selected capability, action, event or company."""

    def __init__(self, rules, ui: UiTexts, parent=None):
        super().__init__(parent)
        self.rules, self.ui = rules, ui
        self.setObjectName("infoPanel")
        self.setOpenLinks(False)
        self.subject: tuple[str, str | None, str | None] = ("intro", None, None)
        self.state = None
        self.lang = "zh"
        self._html = ""

    def show_subject(self, kind: str, item_id: str | None = None, company: str | None = None,
                     state=None, lang: str | None = None) -> None:
        self.subject = (kind, item_id, company)
        if state is not None:
            self.state = state
        if lang is not None:
            self.lang = lang
        self.show_content()

    def set_language(self, lang: str, state=None) -> None:
        self.lang = lang
        if state is not None:
            self.state = state
        self.show_content()

    def set_state(self, state, lang: str | None = None) -> None:
        """Follow a new game: a company sitting out of it is no longer shown as a player."""
        self.state = state
        if lang is not None:
            self.lang = lang
        self.show_content()

    def _subject_in_game(self) -> tuple[str, str | None, str | None]:
        """The subject, less a company that is not in the shown game (so never a KeyError)."""
        kind, item_id, company = self.subject
        if company is not None and (self.state is None or company not in self.state.players):
            company = None
        return kind, item_id, company

    def show_content(self) -> None:
        kind, item_id, company = self.subject = self._subject_in_game()
        rules, ui, lang = self.rules, self.ui, self.lang
        esc = html.escape
        parts: list[str] = []
        if kind == "capability":
            cap = rules.capability(item_id)
            pillar = rules.pillars[cap.pillar]
            parts.append(f"<h3>{esc(cap.name.get(lang))}</h3>")
            parts.append(f"<p><span style='background:{pillar.color};color:white'>&nbsp;"
                         f"{esc(pillar.name.get(lang))}&nbsp;</span></p>")
            parts.append(f"<p>{esc(cap.text.get(lang))}</p>")
            if self.state is not None and company:
                st = self.state
                cs = st.company(company)
                node = st.node_state(company, cap.id)
                cname = rules.companies[company].name.get(lang)
                parts.append("<p>" + esc(ui.t(f"info.node_{node}", lang, company=cname,
                                               k=cs.progress[cap.index], n=cap.work,
                                               cost=format_money(rules, build_step_cost(
                                                   st, company, cap.index), lang)))
                             + "</p>")
                needs = [rules.capability(r).name.get(lang) for r in cap.requires]
                if needs:
                    parts.append("<p>" + esc(ui.t("info.requires", lang,
                                                   names="、".join(needs) if lang == "zh"
                                                   else ", ".join(needs))) + "</p>")
                anys = [rules.capability(r).name.get(lang) for r in cap.requires_any]
                if anys:
                    parts.append("<p>" + esc(ui.t("info.requires_any", lang,
                                                   names=" / ".join(anys))) + "</p>")
                if company == st.current_company and node != "built" and not st.is_terminal():
                    from game.engine import Action

                    build = next(a.id for a in rules.actions if a.kind == "build")
                    reason = st.why_illegal(Action(build, cap.id))
                    if reason is not None:
                        parts.append("<p style='color:#A02020'>" + esc(ui.t(
                            "tip.not_now", lang, reason=st.explain(reason, lang))) + "</p>")
            parts.append(facts_html(rules, cap.source, lang, ui))
        elif kind == "action":
            spec = rules.action(item_id)
            parts.append(f"<h3>{esc(spec.name.get(lang))}</h3>")
            parts.append(f"<p>{esc(spec.text.get(lang))}</p>")
            costs = []
            st = self.state
            if st is not None and not st.is_terminal():
                price = action_price(st, spec)
                cname = rules.companies[st.current_company].name.get(lang)
                if price:
                    costs.append(ui.t("info.price_for", lang, company=cname))
            else:
                price = Price(spec.traffic, spec.capital, spec.ux)
            if price.traffic:
                costs.append(ui.t("info.cost_traffic", lang, value=num(price.traffic)))
            if price.capital:
                costs.append(ui.t("info.cost_capital", lang,
                                  value=format_money(rules, price.capital, lang)))
            if price.ux >= 0.05:
                costs.append(ui.t("info.cost_ux", lang, value=num(price.ux)))
            if spec.per_round:
                costs.append(ui.t("info.per_round", lang, n=spec.per_round))
            if costs:
                parts.append("<p>" + esc(" · ".join(costs)) + "</p>")
            parts.append("<p>" + esc(ui.t("info.shortcut", lang, shortcut=ui.key_label(spec.key, lang))) + "</p>")
            parts.append(facts_html(rules, spec.source, lang, ui))
        elif kind == "event":   # one event id, or several joined by commas (a round's events)
            assert item_id is not None   # every caller names the events
            for eid in item_id.split(","):
                ev = rules.events[eid]
                parts.append(f"<h3>{esc(ev.name.get(lang))}</h3><p>{esc(ev.text.get(lang))}</p>")
                effects = [describe_effect(rules, ui, e, lang, None) for e in ev.effects]
                parts.append("<ul>" + "".join(f"<li>{esc(e)}</li>" for e in effects) + "</ul>")
                if ev.rounds > 1:
                    parts.append("<p>" + esc(ui.t("event.lasts", lang, n=ev.rounds)) + "</p>")
                parts.append(facts_html(rules, ev.source, lang, ui))
        elif kind == "company":
            c = rules.companies[item_id]
            parts.append(f"<h3>{esc(c.name.get(lang))} · {esc(c.app.get(lang))}</h3>")
            parts.append(f"<p>{esc(c.text.get(lang))}</p>")
            for p in c.powers:
                pw = rules.powers[p]
                colon = "：" if lang == "zh" else ": "
                parts.append(f"<p><b>{esc(pw.name.get(lang))}</b>{colon}{esc(pw.text.get(lang))}</p>")
            parts.append(facts_html(rules, c.source, lang, ui))
        else:
            parts.append(f"<h3>{esc(ui.t('info.intro_title', lang))}</h3>")
            parts.append(f"<p>{esc(ui.t('info.intro', lang))}</p>")
            parts.append(f"<p>{esc(ui.t('info.legend', lang))}</p>")
        text = "".join(parts)
        if text != self._html:       # the same explanation again: no new layout, no repaint
            self._html = text
            self.setHtml(text)


class EventCard(QFrame):
    """The events of this quarter as a card, with their effects and source facts."""

    hovered = Signal(str)

    def __init__(self, rules, ui: UiTexts, parent=None):
        super().__init__(parent)
        self.rules, self.ui = rules, ui
        self.setObjectName("eventCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#eventCard { background: #FFF8E1; border: 2px solid #E69F00; "
                           f"border-radius: 8px; }} #eventCard QLabel {{ color: {INK}; }}")
        ink_on_light(self)
        lay = self._layout = QVBoxLayout(self)
        lay.setContentsMargins(10, 6, 10, 6)
        top = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setObjectName("eventHeading")
        self.heading.setProperty("fontScale", 1.15)
        self.heading.setProperty("fontBold", True)
        self.close_button = QPushButton()
        self.close_button.setObjectName("eventClose")
        self.close_button.setFlat(True)
        self.close_button.clicked.connect(self.hide)
        top.addWidget(self.heading, 1)
        top.addWidget(self.close_button)
        lay.addLayout(top)
        self.body = QLabel()
        self.body.setObjectName("eventBody")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.body)
        self.events: tuple[str, ...] = ()
        self.year_quarter = (0, 0)
        self.lang = "zh"
        self.compact = False
        self.compact_parts: list[str] = []   # compact: each event's name and effects (HTML)
        self.body.installEventFilter(self)
        self.hide()

    def set_compact(self, compact: bool) -> None:
        """Compact (projector mode, beside the companies): each event's name and effects, its
        story and sources in the tooltip; one event a line where each fits the card's width,
        else run on (a line saved is the board's: English is longer)."""
        if compact != self.compact:
            self.compact = compact
            self._layout.setContentsMargins(10, 3 if compact else 6, 10, 3 if compact else 6)
            self._layout.setSpacing(2 if compact else 6)
            self.show_content()

    def show_events(self, events, year_quarter, lang: str) -> None:
        self.events, self.year_quarter, self.lang = tuple(events), year_quarter, lang
        self.show_content()
        self.setVisible(bool(self.events))

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.show_content()

    def show_content(self) -> None:
        ui, rules, lang = self.ui, self.rules, self.lang
        esc = html.escape
        year, quarter = self.year_quarter
        self.heading.setText(ui.t("event.heading", lang, year=year, quarter=quarter))
        self.close_button.setText(ui.t("event.close", lang))
        parts: list[str] = []
        tips: list[str] = []
        for eid in self.events:
            ev = rules.events.get(eid)
            if ev is None:
                continue
            sep = "；" if lang == "zh" else "; "
            effects = sep.join(describe_effect(rules, ui, e, lang, None) for e in ev.effects)
            lasts = " " + ui.t("event.lasts", lang, n=ev.rounds) if ev.rounds > 1 else ""
            tags = " ".join(ev.source)
            cited = f" <span style='color:#666'>[{esc(tags)}]</span>" if tags else ""
            if self.compact:
                colon = "：" if lang == "zh" else ": "
                parts.append(f"<b>{esc(ev.name.get(lang))}</b>{colon}"
                             f"<span style='color:#8A4B00'>{esc(effects)}{esc(lasts)}</span>")
                tips.append(f"{ev.name.get(lang)} — {ev.text.get(lang)}")
                continue
            parts.append(f"<p><b>{esc(ev.name.get(lang))}</b> — {esc(ev.text.get(lang))}<br>"
                         f"<span style='color:#8A4B00'>{esc(effects)}{esc(lasts)}</span>{cited}</p>")
        self.compact_parts = parts if self.compact else []
        self.body.setText(self._compact_text() if self.compact else "".join(parts))
        self.body.setToolTip("\n\n".join(tips))
        self.setAccessibleName(ui.t("a11y.event_card", lang))
        self.setAccessibleDescription(self.heading.text())

    def _compact_text(self) -> str:
        """The compact body: one event a line if every one fits the body's width, else the
        events run on, a dot between them."""
        parts = self.compact_parts
        width = self.body.contentsRect().width()
        run_on = False
        if len(parts) > 1 and width > 0:
            doc = QTextDocument()
            doc.setDefaultFont(self.body.font())
            doc.setDocumentMargin(0)
            for part in parts:
                doc.setHtml(part)
                if doc.idealWidth() > width:
                    run_on = True
                    break
        return (" · " if run_on else "<br>").join(parts)

    def eventFilter(self, watched, event) -> bool:
        # the body's new width or font: one event a line, or run on
        if watched is self.body and self.compact and \
                event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange):
            text = self._compact_text()
            if text != self.body.text():
                self.body.setText(text)
        return super().eventFilter(watched, event)

    def enterEvent(self, event) -> None:
        if self.events:
            self.hovered.emit(",".join(self.events))
        super().enterEvent(event)
