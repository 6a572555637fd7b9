"""Help → How to play: how this scenario is won, what a turn is, the loop and the app.

Every sentence is a text of ``rules/ui.toml`` (``[howto]``) filled in from the rules: the
scenario's victory settings (goal points or GMV, the points for the loop and the app, the
regulator), each company's goal line, the number of actions, the loop's pillars and what
launching the app needs. So the dialog follows the data: a scenario with other victory rules
explains those. A button opens the full rulebook (docs/rules.md) with the system's viewer.

Beside that text, one tab per company of the scenario (``howToCompany_<id>``): its goal line
and how it scores, its powers (strengths) and hard things, where it starts (built, loop, app,
the cheapest path to the app) and a few sensible first moves (``[howto_moves]``). A last tab,
``howToRulebook``, shows the rulebook itself, only the half in the current language.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from game.engine import format_money, format_users, new_game
from game.engine.economy import quarter_points
from game.paths import CHECKOUT, PACKAGED_DATA, ROOT

from .goal import app_path, app_possible
from .i18n import UiTexts

RULEBOOK_NAME = Path("docs") / "rules.md"


def rulebook_candidates() -> list[Path]:
    """Where the rulebook may be: the checkout's docs/, a packaged copy, beside the package."""
    places = [CHECKOUT / RULEBOOK_NAME] if CHECKOUT is not None else []
    places += [PACKAGED_DATA / RULEBOOK_NAME, ROOT / RULEBOOK_NAME]
    return list(dict.fromkeys(places))


def find_rulebook() -> Path | None:
    """The rulebook file, or None when this installation has none."""
    return next((p for p in rulebook_candidates() if p.is_file()), None)


def open_url(url: QUrl) -> bool:
    """Open ``url`` with the system (a separate function so tests can stand in for it)."""
    return QDesktopServices.openUrl(url)


def _join(items: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(items)


def how_to_play_html(rules, ui: UiTexts, scenario, lang: str) -> str:
    """The dialog's text for ``scenario`` (an engine Scenario) in ``lang``, as HTML."""
    t = lambda _key, **kw: ui.t(f"howto.{_key}", lang, **kw)  # noqa: E731
    esc = html.escape
    money = lambda v: format_money(rules, v, lang)  # noqa: E731
    companies = [cid for cid in scenario.companies if cid in scenario.company_specs]
    specs = scenario.company_specs

    def date(round_number: int) -> str:
        year, quarter = scenario.quarter_label(round_number)
        return t("date", year=year, quarter=quarter)

    def para(text: str) -> str:
        return f"<p>{esc(text)}</p>"

    parts = [f"<p><i>{esc(t('scenario', name=scenario.name.get(lang)))}</i></p>",
             f"<h3>{esc(t('win_heading'))}</h3>",
             para(t("length", rounds=scenario.rounds, start=date(1), end=date(scenario.rounds)))]
    from_start = [rules.companies[c].app.get(lang) for c in companies if specs[c].app_launched]
    if scenario.target_quarter_gmv:
        text = t("target", target=money(scenario.target_quarter_gmv))
        if scenario.requires_app:
            text += (" " if lang == "en" else "") + t("target_app")
        parts.append(para(text))
    if scenario.victory_points:
        double = quarter_points(scenario, 2.0)
        parts.append(para(t("points", double=f"{double:.1f}".rstrip("0").rstrip("."),
                            cap=f"{scenario.quarter_points_cap:g}")))
        lines = [t("goal_line", company=rules.companies[c].name.get(lang),
                   goal=money(specs[c].goal_gmv)) for c in companies]
        parts.append(para(t("goal_lines", lines=_join(lines, lang))))
        bonus = []
        if scenario.loop_points:
            bonus.append(t("loop_points", points=f"{scenario.loop_points:g}"))
        if scenario.app_points:
            text = t("app_points", points=f"{scenario.app_points:g}")
            if from_start:
                text += (" " if lang == "en" else "") + t("app_exists", apps=_join(from_start, lang))
            bonus.append(text)
        if bonus:
            parts.append("<ul>" + "".join(f"<li>{esc(b)}</li>" for b in bonus) + "</ul>")
        parts.append(f"<p><b>{esc(t('points_end'))}</b></p>")
        if scenario.regulator_event and scenario.regulator_event in rules.events:
            parts.append(para(t("regulator", lead=f"{scenario.regulator_lead:g}",
                                event=rules.events[scenario.regulator_event].name.get(lang))))
    else:
        parts.append(f"<p><b>{esc(t('gmv_end'))}</b></p>")

    by_kind = {a.kind: a for a in rules.actions}
    parts.append(f"<h3>{esc(t('turn_heading'))}</h3>")
    end = by_kind.get("end_turn")
    if end is not None:
        parts.append(para(t("turn", actions=scenario.actions_per_round, end=end.name.get(lang),
                            shortcut=ui.key_label(end.key, lang))))
    build = by_kind.get("build")
    if build is not None:
        parts.append(para(t("build", shortcut=ui.key_label(build.key, lang))))

    parts.append(f"<h3>{esc(t('loop_heading'))}</h3>")
    pillars = [rules.pillars[p].name.get(lang) for p in scenario.loop if p in rules.pillars]
    if pillars:
        loop = " → ".join(pillars + pillars[:1])
        parts.append(para(t("loop", n=len(pillars), loop=loop)))

    launch = by_kind.get("launch_app")
    if launch is not None and launch.id not in scenario.disabled_actions:
        parts.append(f"<h3>{esc(t('app_heading'))}</h3>")
        needs = _join([rules.capability(c).name.get(lang) for c in launch.requires], lang) or "—"
        key = "app_needs_loop" if launch.requires_loop else "app_needs"
        parts.append(para(t(key, action=launch.name.get(lang), shortcut=ui.key_label(launch.key, lang),
                            needs=needs, cost=money(launch.capital))))
        parts.append(para(launch.text.get(lang)))
        migrate = by_kind.get("migrate")
        if migrate is not None and migrate.id not in scenario.disabled_actions:
            colon = "：" if lang == "zh" else ": "
            parts.append(f"<p><b>{esc(migrate.name.get(lang))}</b>{colon}"
                         f"{esc(migrate.text.get(lang))}</p>")
    return "".join(parts)


ZH_ANCHOR = '<a id="中文"></a>'
EN_ANCHOR = '<a id="english"></a>'


def rulebook_half(text: str, lang: str) -> str:
    """The part of the rulebook's Markdown in ``lang``: the generated book is a Chinese half
    (after the 中文 anchor) and an English half (after the english anchor). Without the
    anchors, the book's two top-level (``# ``) titles split it; failing that, all of it."""
    if ZH_ANCHOR in text and EN_ANCHOR in text:
        zh_start = text.index(ZH_ANCHOR) + len(ZH_ANCHOR)
        en_at = text.index(EN_ANCHOR)
        part = text[zh_start:en_at] if lang == "zh" else text[en_at + len(EN_ANCHOR):]
    else:
        lines = text.splitlines(keepends=True)
        tops = [i for i, line in enumerate(lines) if line.startswith("# ")]
        if len(tops) >= 2:
            part = "".join(lines[tops[0]:tops[1]] if lang == "zh" else lines[tops[1]:])
        else:
            part = text
    part = part.strip()
    if part.endswith("---"):           # the rule between the halves
        part = part[:-3].rstrip()
    return part + "\n"


def _start_state(rules, scenario):
    """The scenario's opening position (None when it cannot be set up here)."""
    try:
        return new_game(rules, scenario.id, 0, logging=False)
    except Exception:   # a scenario passed in that the rules do not know: no position
        return None


def company_card_html(rules, ui: UiTexts, scenario, company_id: str, lang: str,
                      start=None) -> str:
    """One company's how-to card: goal, scoring, strengths, start, first moves (HTML)."""
    t = lambda _key, **kw: ui.t(f"howto_card.{_key}", lang, **kw)  # noqa: E731
    esc = html.escape
    money = lambda v: format_money(rules, v, lang)  # noqa: E731
    company = rules.companies[company_id]
    spec = scenario.company_specs[company_id]
    name, app = company.name.get(lang), company.app.get(lang)
    sep = "、" if lang == "zh" else ", "

    def head(key: str) -> str:
        return f"<h3>{esc(t(key))}</h3>"

    def para(text: str) -> str:
        return f"<p>{esc(text)}</p>"

    parts = [f"<h2>{esc(t('heading', company=name, app=app))}</h2>", para(company.text.get(lang))]
    cs = start.company(company_id) if start is not None else None
    loop_closed = bool(cs is not None and start.loop_status(company_id).closed)
    parts.append(head("goal_heading"))
    if scenario.victory_points:
        double = quarter_points(scenario, 2.0)
        parts.append(para(t("goal", goal=money(spec.goal_gmv),
                            double=f"{double:.1f}".rstrip("0").rstrip("."),
                            cap=f"{scenario.quarter_points_cap:g}")))
        bonus = []
        if scenario.loop_points:
            bonus.append(t("loop_done_bonus") if loop_closed else
                         t("bonus_loop", points=f"{scenario.loop_points:g}"))
        if scenario.app_points:
            bonus.append(t("no_app_bonus", app=app) if spec.app_launched else
                         t("bonus_app", points=f"{scenario.app_points:g}"))
        if bonus:
            parts.append("<ul>" + "".join(f"<li>{esc(b)}</li>" for b in bonus) + "</ul>")
    elif scenario.target_quarter_gmv:
        parts.append(para(t("goal_gmv", target=money(scenario.target_quarter_gmv))))

    parts.append(head("powers_heading"))
    colon = "：" if lang == "zh" else ": "
    items = [f"<li><b>{esc(rules.powers[p].name.get(lang))}</b>{colon}"
             f"{esc(rules.powers[p].text.get(lang))}</li>"
             for p in spec.powers if p in rules.powers]
    if items:
        parts.append("<ul>" + "".join(items) + "</ul>")
    hard = []
    for key, mult in spec.cost_mult.items():
        if mult <= 1:
            continue
        if key in rules.pillars:
            hard.append(rules.pillars[key].name.get(lang))
        else:
            try:
                hard.append(rules.capability(key).name.get(lang))
            except KeyError:
                continue
    if hard:
        parts.append(head("hard_heading"))
        parts.append(para(t("hard", items=sep.join(hard))))

    parts.append(head("start_heading"))
    built = [rules.capability(c).name.get(lang) for c in spec.built]
    lines = []
    if built:
        lines.append(t("start_built", caps=sep.join(built)))
    if start is not None and cs is not None:
        status = start.loop_status(company_id)
        lines.append(t("start_loop_closed") if status.closed else
                     t("start_loop", done=status.done, total=len(status.links)))
        lines.append(t("start_figures", capital=money(cs.capital),
                       users=format_users(cs.users, lang), ux=f"{cs.ux:.0f}"))
    lines.append(t("start_app", app=app) if spec.app_launched else t("start_no_app"))
    if start is not None and not spec.app_launched and app_possible(start):
        path = [rules.capability(c).name.get(lang) for c in app_path(start, company_id)]
        if path:
            lines.append(t("path", caps=" → ".join(path)))
    parts.append("<ul>" + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>")

    key = f"howto_moves.{company_id}"
    if key in ui.table:
        moves = [m.strip() for m in ui.t(key, lang).split("|") if m.strip()]
        parts.append(head("moves_heading"))
        parts.append("<ol>" + "".join(f"<li>{esc(m)}</li>" for m in moves) + "</ol>")
    if not spec.app_launched and start is not None and app_possible(start):
        parts.append(f"<p><i>{esc(t('plan_note'))}</i></p>")
    return "".join(parts)


class HowToPlayDialog(QDialog):
    """Non-modal: the game goes on behind it. ``set_scenario`` / ``set_language`` refill it."""

    def __init__(self, rules, ui: UiTexts, lang: str, scenario, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("howToPlay")
        self.rules, self.ui, self.lang, self.scenario = rules, ui, lang, scenario
        self.rulebook = find_rulebook()
        lay = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("howToTabs")
        self.text = QTextBrowser()
        self.text.setObjectName("howToText")
        self.text.setOpenLinks(False)
        self.tabs.addTab(self.text, "")
        self.cards: dict[str, QTextBrowser] = {}
        self.book = QTextBrowser()
        self.book.setObjectName("howToRulebook")
        self.book.setOpenLinks(False)
        self.tabs.addTab(self.book, "")
        self._book_lang: str | None = None
        lay.addWidget(self.tabs, 1)
        self.rulebook_note = QLabel()
        self.rulebook_note.setObjectName("rulebookNote")
        self.rulebook_note.setWordWrap(True)
        self.rulebook_note.setStyleSheet("color: #A02020;")
        lay.addWidget(self.rulebook_note)
        row = QHBoxLayout()
        self.rulebook_button = QPushButton()
        self.rulebook_button.setObjectName("openRulebook")
        self.rulebook_button.setAutoDefault(False)
        self.rulebook_button.clicked.connect(self.open_rulebook)
        row.addWidget(self.rulebook_button)
        row.addStretch(1)
        self.close_button = QPushButton()
        self.close_button.setObjectName("howToClose")
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.close)
        row.addWidget(self.close_button)
        lay.addLayout(row)
        self._failed = False
        self.resize(720, 640)
        self.fill()

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.fill()

    def set_scenario(self, scenario) -> None:
        self.scenario = scenario
        self.fill()

    def fill(self) -> None:
        ui, lang = self.ui, self.lang
        self.setWindowTitle(ui.t("howto.title", lang))
        self.text.setHtml(how_to_play_html(self.rules, ui, self.scenario, lang))
        self.tabs.setTabText(self.tabs.indexOf(self.text), ui.t("howto_card.tab_win", lang))
        self._fill_cards()
        self._fill_rulebook()
        self.rulebook_button.setText(ui.t("howto.rulebook", lang))
        self.close_button.setText(ui.t("howto.close", lang))
        book = self.rulebook
        self.rulebook_button.setEnabled(book is not None)
        if book is None:
            looked = rulebook_candidates()[0]
            self.rulebook_button.setToolTip("")
            self.rulebook_note.setText(ui.t("howto.rulebook_missing", lang, path=str(looked)))
        else:
            self.rulebook_button.setToolTip(ui.t("howto.rulebook_tip", lang, path=str(book)))
            self.rulebook_note.setText(
                ui.t("howto.rulebook_failed", lang, path=str(book)) if self._failed else "")
        self.rulebook_note.setVisible(bool(self.rulebook_note.text()))

    def _fill_cards(self) -> None:
        """One tab per company of the scenario, between How to win and the rulebook."""
        scen, lang = self.scenario, self.lang
        wanted = [c for c in scen.companies if c in scen.company_specs and c in self.rules.companies]
        if list(self.cards) != wanted:
            for card in self.cards.values():
                self.tabs.removeTab(self.tabs.indexOf(card))
                card.deleteLater()
            self.cards = {}
            for i, cid in enumerate(wanted):
                card = QTextBrowser()
                card.setObjectName(f"howToCompany_{cid}")
                card.setOpenLinks(False)
                self.tabs.insertTab(1 + i, card, "")
                self.cards[cid] = card
        start = _start_state(self.rules, scen)
        for cid, card in self.cards.items():
            card.setHtml(company_card_html(self.rules, self.ui, scen, cid, lang, start))
            self.tabs.setTabText(self.tabs.indexOf(card), self.rules.companies[cid].name.get(lang))

    def _fill_rulebook(self) -> None:
        """The rulebook's half in the current language, as Markdown (read once per language)."""
        lang = self.lang
        self.tabs.setTabText(self.tabs.indexOf(self.book), self.ui.t("howto_card.tab_rulebook", lang))
        if self._book_lang == lang:
            return
        self._book_lang = lang
        text = None
        if self.rulebook is not None:
            try:
                text = self.rulebook.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = None
        if text is None:
            self.book.setPlainText(self.ui.t("howto_card.rulebook_missing", lang))
        else:
            self.book.setMarkdown(rulebook_half(text, lang))

    def open_rulebook(self) -> bool:
        """Open the rulebook with the system's viewer; say so in the dialog if that fails."""
        if self.rulebook is None:
            return False
        ok = bool(open_url(QUrl.fromLocalFile(str(self.rulebook))))
        self._failed = not ok
        self.fill()
        return ok
