"""The quarter summary: what each company made of the quarter just settled, and why.

:func:`quarter_facts` reads the engine's public state only (the round's ``RoundRecord`` and
its log entries) and returns plain figures and texts; :class:`QuarterSummary` is the
non-modal window the main window shows between quarters when a person plays. The game goes
on behind it: it never stops the computers, and the debrief takes over at the end.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from game.engine import format_money, format_users, render_log

from .i18n import UiTexts

#: Log keys that are a company's milestones: shown as moments, not log lines.
MILESTONE_KEYS = ("loop_closed", "launch_app", "ban_links")
#: Log keys that explain a company's figures: its users, user experience, capital and GMV.
CAUSE_KEYS = ("ux_users", "event_hit", "commerce", "commerce_in_app", "ads", "link_fees",
              "waybill_fees", "poach", "poach_retention", "poach_setback", "traffic_sold")


@dataclass
class CompanyQuarter:
    """One company's quarter: figures of the round record, causes and milestones in words."""

    company: str
    name: str
    gmv: float
    capital_gained: float
    users: float
    users_change: float
    ux: float
    ux_change: float | None        # None in the first quarter (no record before it)
    points: float
    points_gained: float
    causes: list[str] = field(default_factory=list)
    milestones: list[str] = field(default_factory=list)


@dataclass
class QuarterFacts:
    round: int
    year: int
    quarter: int
    events: list[str]
    companies: list[CompanyQuarter]
    victory_points: bool


def quarter_facts(state, round_: int, lang: str) -> QuarterFacts | None:
    """The figures of settled round ``round_`` (None if it has no record: a rollout)."""
    rules = state.rules
    recs = {r.round: r for r in state.records}
    rec = recs.get(round_)
    if rec is None:
        return None
    prev = recs.get(round_ - 1)
    entries = [e for e in state.log if e.round == round_]
    events = [render_log(rules, e, lang) for e in entries if e.key == "event"]
    out = []
    for cid in state.players:
        fig = rec.companies[cid]
        before = prev.companies[cid] if prev is not None else None
        mine = [e for e in entries if e.company == cid]
        result = next((e for e in mine if e.key == "quarter_result"), None)
        gained = float(result.params["income"]) if result is not None else 0.0
        users_change = (float(result.params["users_change"]) if result is not None
                        else fig["users"] - (before["users"] if before else fig["users"]))
        out.append(CompanyQuarter(
            company=cid, name=rules.companies[cid].name.get(lang), gmv=fig["gmv"],
            capital_gained=gained, users=fig["users"], users_change=users_change,
            ux=fig["ux"], ux_change=fig["ux"] - before["ux"] if before is not None else None,
            points=fig["points"], points_gained=fig["points"] - (before["points"] if before else 0.0),
            causes=[render_log(rules, e, lang) for e in mine if e.key in CAUSE_KEYS],
            milestones=[render_log(rules, e, lang) for e in mine if e.key in MILESTONE_KEYS]))
    return QuarterFacts(round_, rec.year, rec.quarter, events, out,
                        bool(state.scenario.victory_points))


def _num(value: float, sign: bool = False) -> str:
    text = f"{abs(value):,.1f}"
    if sign:
        return ("+" if value >= 0 else "−") + text
    return ("−" if value < 0 else "") + text


def quarter_html(state, facts: QuarterFacts, ui: UiTexts, lang: str) -> str:
    """The summary as HTML: milestones first, then one block per company."""
    rules, esc = state.rules, html.escape
    t = ui.t
    parts = [f"<h2>{esc(t('quarter.heading', lang, year=facts.year, quarter=facts.quarter))}</h2>"]
    moments = [(c, m) for c in facts.companies for m in c.milestones]
    if moments:
        parts.append(f"<h3>{esc(t('quarter.milestones', lang))}</h3>")
        for _, m in moments:
            parts.append('<p style="background:#FFF1C9; color:#5A3A00; font-weight:bold; '
                         f'font-size:large; padding:6px;">★ {esc(m)}</p>')
    if facts.events:
        parts.append(f"<p><b>{esc(t('quarter.events', lang))}</b> "
                     + esc(("" if lang == "zh" else " ").join(facts.events)) + "</p>")
    for c in facts.companies:
        parts.append(f"<h3>{esc(c.name)}</h3><ul>")
        lines = [t("quarter.gmv", lang, gmv=format_money(rules, c.gmv, lang))]
        if facts.victory_points:
            lines.append(t("quarter.points", lang, gained=_num(c.points_gained, True),
                           total=_num(c.points)))
        lines.append(t("quarter.capital", lang, gained=format_money(rules, c.capital_gained, lang)))
        lines.append(t("quarter.users", lang, users=format_users(c.users, lang),
                       change=format_users(c.users_change, lang, sign=True)))
        if c.ux_change is None:
            lines.append(t("quarter.ux_first", lang, ux=_num(c.ux)))
        else:
            lines.append(t("quarter.ux", lang, ux=_num(c.ux), change=_num(c.ux_change, True)))
        parts += [f"<li>{esc(x)}</li>" for x in lines]
        parts.append("</ul>")
        if c.causes:
            parts.append(f"<p><i>{esc(t('quarter.why', lang))}</i></p><ul>")
            counts: dict[str, int] = {}
            for x in c.causes:            # the same action twice is one line, "×2"
                counts[x] = counts.get(x, 0) + 1
            parts += [f"<li>{esc(x)}{f' ×{n}' if n > 1 else ''}</li>" for x, n in counts.items()]
            parts.append("</ul>")
        else:
            parts.append(f"<p><i>{esc(t('quarter.no_causes', lang))}</i></p>")
    return "".join(parts)


class QuarterSummary(QDialog):
    """Non-modal and shown without taking the focus: the game goes on behind it."""

    enabledChanged = Signal(bool)

    def __init__(self, ui: UiTexts, lang: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("quarterSummary")
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.ui, self.lang = ui, lang
        self.state = None
        self.round: int | None = None
        self.facts: QuarterFacts | None = None
        lay = QVBoxLayout(self)
        self.text = QTextBrowser()
        self.text.setObjectName("quarterText")
        lay.addWidget(self.text, 1)
        row = QHBoxLayout()
        self.show_check = QCheckBox()
        self.show_check.setObjectName("quarterSummaryShow")
        self.show_check.setChecked(True)
        self.show_check.toggled.connect(self.enabledChanged.emit)
        row.addWidget(self.show_check)
        row.addStretch(1)
        self.continue_button = QPushButton()
        self.continue_button.setObjectName("quarterContinue")
        self.continue_button.setDefault(True)
        self.continue_button.clicked.connect(self.close)
        row.addWidget(self.continue_button)
        lay.addLayout(row)
        self.resize(560, 640)

    def show_round(self, state, round_: int) -> bool:
        """Fill in settled round ``round_`` of ``state``; False if it has no record."""
        self.state, self.round = state, round_
        self.fill()
        return self.facts is not None

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.fill()

    def fill(self) -> None:
        ui, lang = self.ui, self.lang
        self.setWindowTitle(ui.t("quarter.title", lang))
        self.show_check.setText(ui.t("quarter.show", lang))
        self.continue_button.setText(ui.t("quarter.continue", lang))
        self.continue_button.setAccessibleName(ui.t("quarter.continue", lang))
        self.show_check.setAccessibleName(ui.t("quarter.show", lang))
        self.text.setAccessibleName(ui.t("quarter.title", lang))
        if self.state is None or self.round is None:
            self.facts = None
            return
        self.facts = quarter_facts(self.state, self.round, lang)
        if self.facts is not None:
            self.text.setHtml(quarter_html(self.state, self.facts, ui, lang))
