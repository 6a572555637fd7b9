"""The end-of-game debrief: who won and why, charts over the rounds, turning points, the log.

``DebriefWindow(state, rules, lang)`` works on any game state (finished or not). Its text is
in ``rules/debrief_ui.toml``; engine lines come from ``render_log``. ``export_png(path)`` and
``export_csv(path)`` write the charts and the per-round table without any dialog.

``render_debrief_screenshot(path)`` plays a whole game between heuristic players offscreen
and saves a picture of the debrief.
"""

from __future__ import annotations

import csv
import html
import math
import tomllib
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from PySide6.QtCharts import (
    QCategoryAxis,
    QChart,
    QChartView,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from game.engine import format_money, format_users, render_log
from game.paths import RULES_DIR

STRINGS_FILE = RULES_DIR / "debrief_ui.toml"

# A second cue besides colour: each mark has a marker shape and a line style.
_SHAPE = QScatterSeries.MarkerShape
MARK_STYLES: dict[str, tuple[Qt.PenStyle, QScatterSeries.MarkerShape, str]] = {
    "square": (Qt.PenStyle.SolidLine, _SHAPE.MarkerShapeRectangle, "■"),
    "circle": (Qt.PenStyle.DashLine, _SHAPE.MarkerShapeCircle, "●"),
    "triangle": (Qt.PenStyle.DotLine, _SHAPE.MarkerShapeTriangle, "▲"),
    "diamond": (Qt.PenStyle.DashDotLine, _SHAPE.MarkerShapeRotatedRectangle, "◆"),
    "star": (Qt.PenStyle.DashDotDotLine, _SHAPE.MarkerShapeStar, "★"),
    "pentagon": (Qt.PenStyle.DashDotLine, _SHAPE.MarkerShapePentagon, "⬟"),
}
_FALLBACK_MARKS = ("square", "circle", "triangle", "diamond", "star", "pentagon")

# Log keys that are turning points, in words straight from the engine's texts.
TURNING_KEYS = ("event", "event_hit", "loop_closed", "ban_links", "launch_app", "poach",
                "winner_target", "winner_score", "winner_points")
ONCE_PER_COMPANY_KEYS = ("ux_users",)          # only its first occurrence per company
# The article's figure for a year's GMV, set beside the game's own when that year ends:
# Douyin's 2020 GMV (F23) and its 2021 target (F24).
YEAR_GMV_FACTS = {2020: "F23", 2021: "F24"}

CHARTS = (  # (object name, title key, record field)
    ("chart_gmv", "chart_gmv", "gmv"),
    ("chart_traffic", "chart_traffic", "traffic"),
    ("chart_ux", "chart_ux", "ux"),
    ("chart_loop", "chart_loop", "loop_links"),
)

# Record fields (and RoundRecord figures) that are money, stored in bn yuan. People see them
# through format_money (亿元 × 10 in Chinese); the CSV keeps raw bn yuan and says so.
MONEY_FIELDS = ("gmv", "gmv_total", "capital", "market", "others_gmv")
CSV_MONEY_SUFFIX = "_bn_yuan"


def csv_column(field: str) -> str:
    """The CSV header of a figure: money columns name their unit (``gmv_bn_yuan``)."""
    return field + CSV_MONEY_SUFFIX if field in MONEY_FIELDS else field


# ---------------------------------------------------------------------------------- text

@lru_cache(maxsize=4)
def _load_strings(path: str) -> dict[str, dict[str, str]]:
    with open(path, "rb") as fh:
        return tomllib.load(fh)["text"]


def ui_text(key: str, lang: str, **params: Any) -> str:
    """A debrief string from rules/debrief_ui.toml in ``lang``, with ``params`` filled in."""
    entry = _load_strings(str(STRINGS_FILE)).get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get("en") or key
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


def fmt(value: float) -> str:
    return f"{value:,.1f}"


def _cell(value: Any) -> Any:
    """A CSV cell: floats to 6 decimals, so Excel shows 48.048 rather than 48.04800000000001."""
    if isinstance(value, float):
        r = round(value, 6)
        return int(r) if r.is_integer() and abs(r) < 1e15 else r
    return value


# ------------------------------------------------------------------------------- styling

def company_style(rules, company_id: str, index: int) -> tuple[QColor, Qt.PenStyle,
                                                              QScatterSeries.MarkerShape, str, str]:
    """(colour, line style, marker shape, mark name, mark symbol) of a company."""
    spec = rules.companies.get(company_id) if hasattr(rules.companies, "get") else None
    color = QColor(getattr(spec, "color", None) or "#777777")
    mark = getattr(spec, "mark", None)
    if mark not in MARK_STYLES:
        mark = _FALLBACK_MARKS[index % len(_FALLBACK_MARKS)]
    pen_style, shape, symbol = MARK_STYLES[mark]
    return color, pen_style, shape, mark, symbol


def _mark_polygon(mark: str, rect: QRectF) -> QPolygonF | None:
    c = rect.center()
    w, h = rect.width() / 2, rect.height() / 2
    if mark == "triangle":
        return QPolygonF([QPointF(c.x(), rect.top()), QPointF(rect.right(), rect.bottom()),
                          QPointF(rect.left(), rect.bottom())])
    if mark == "diamond":
        return QPolygonF([QPointF(c.x(), c.y() - h), QPointF(c.x() + w, c.y()),
                          QPointF(c.x(), c.y() + h), QPointF(c.x() - w, c.y())])
    if mark in ("star", "pentagon"):
        n = 5 if mark == "pentagon" else 10
        pts = []
        for i in range(n):
            r = (w if (mark == "pentagon" or i % 2 == 0) else w * 0.45)
            a = -math.pi / 2 + i * 2 * math.pi / n
            pts.append(QPointF(c.x() + r * math.cos(a), c.y() + r * math.sin(a)))
        return QPolygonF(pts)
    return None


def draw_mark(painter: QPainter, mark: str, rect: QRectF, color: QColor) -> None:
    painter.setBrush(QBrush(color))
    painter.setPen(QPen(QColor("#202020"), 1.2))
    poly = _mark_polygon(mark, rect)
    if mark == "circle":
        painter.drawEllipse(rect)
    elif poly is not None:
        painter.drawPolygon(poly)
    else:
        painter.drawRect(rect)


def mark_pixmap(mark: str, color: QColor, size: int = 18,
                line: Qt.PenStyle | None = None, line_width: int = 0) -> QPixmap:
    """A company's mark, optionally on a sample of its line style (for legends)."""
    width = line_width or size
    ratio = 2.0
    pm = QPixmap(int(width * ratio), int(size * ratio))
    pm.setDevicePixelRatio(ratio)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    if line is not None:
        pen = QPen(color, 3)
        pen.setStyle(line)
        p.setPen(pen)
        p.drawLine(QPointF(1, size / 2), QPointF(width - 1, size / 2))
    m = size * 0.72
    draw_mark(p, mark, QRectF((width - m) / 2, (size - m) / 2, m, m), color)
    p.end()
    return pm


# --------------------------------------------------------------------------- game figures

class GameFacts:
    """What the debrief shows, computed once from a game state."""

    def __init__(self, state, rules) -> None:
        self.state = state
        self.rules = rules
        self.scenario = state.scenario
        self.records = list(state.records)
        self.companies: list[str] = list(state.players)
        self.loop_total = len(self.scenario.loop)
        self.target = getattr(self.scenario, "target_quarter_gmv", None)
        self.requires_app = bool(getattr(self.scenario, "requires_app", False))
        self.fields: list[str] = []
        for rec in self.records:
            for figures in rec.companies.values():
                for k in figures:
                    if k not in self.fields:
                        self.fields.append(k)

    # names and labels
    def name(self, company_id: str, lang: str) -> str:
        try:
            return self.rules.companies[company_id].name.get(lang)
        except (KeyError, AttributeError):
            return company_id

    def app_name(self, company_id: str, lang: str) -> str:
        try:
            return self.rules.companies[company_id].app.get(lang)
        except (KeyError, AttributeError):
            return "App"

    def style(self, company_id: str):
        return company_style(self.rules, company_id, self.companies.index(company_id)
                             if company_id in self.companies else 0)

    def year_quarter(self, rnd: int) -> tuple[int, int]:
        for rec in self.records:
            if rec.round == rnd:
                return rec.year, rec.quarter
        return self.scenario.quarter_label(rnd)

    def quarter(self, rnd: int, lang: str, short: bool = True) -> str:
        y, q = self.year_quarter(rnd)
        return ui_text("quarter_short" if short else "quarter", lang, year=y, quarter=q)

    def money(self, lang: str) -> str:
        try:
            return self.rules.units["money"].get(lang)
        except (KeyError, AttributeError):
            return ""

    def fmt_money(self, value: float, lang: str, unit: bool = True) -> str:
        """An amount in bn yuan as a reader of ``lang`` sees it ("3,000亿元", "300.0 bn yuan")."""
        return format_money(self.rules, value, lang, unit=unit)

    def money_scale(self, lang: str) -> float:
        """What a value in bn yuan is multiplied by for a reader of ``lang`` (charts, axes)."""
        try:
            return float(self.rules.money_scale.get(lang, 1.0))
        except (AttributeError, TypeError, ValueError):
            return 1.0

    def value(self, rec, company_id: str, field: str) -> float:
        return float(rec.companies.get(company_id, {}).get(field, 0.0))

    # results
    def totals(self) -> dict[str, float]:
        if self.records:
            last = self.records[-1]
            return {c: self.value(last, c, "gmv_total") for c in self.companies}
        return {c: float(self.state.company(c).gmv_total) for c in self.companies}

    def ranking(self) -> list[str]:
        totals = self.totals()
        winner = self.state.winner_id
        return sorted(self.companies, key=lambda c: (c != winner, -totals[c]))

    def best_quarter(self, company_id: str) -> tuple[float, int | None]:
        best, rnd = 0.0, None
        for rec in self.records:
            v = self.value(rec, company_id, "gmv")
            if rnd is None or v > best:
                best, rnd = v, rec.round
        return best, rnd

    def end_round(self, key: str, company: str | None) -> int | None:
        for entry in reversed(self.state.log):
            if entry.key == key and (company is None or entry.company == company):
                return entry.round
        return None

    def launched_round(self, company_id: str) -> int | None:
        cs = self.state.company(company_id)
        if not getattr(cs, "app_launched", False):
            return None
        return getattr(cs, "launched_round", 0) or 0

    def counts_for_target(self, company_id: str, rnd: int) -> bool:
        """Whether a quarter's GMV would count for the target (an app launched in the game)."""
        if not self.requires_app:
            return True
        launched = self.launched_round(company_id)
        return launched is not None and 0 < launched <= rnd

    def winner_text(self, lang: str) -> tuple[str, str]:
        """(headline, why) of the result in words."""
        winner, reason = self.state.winner_id, self.state.win_reason
        target = self.fmt_money(self.target, lang) if self.target else ""
        if winner is None:
            return ui_text("no_winner", lang), ""
        headline = ui_text("winner", lang, company=self.name(winner, lang))
        if reason == "target":
            rnd = self.end_round("winner_target", winner) or (self.records[-1].round
                                                              if self.records else 1)
            rec = next((r for r in self.records if r.round == rnd), None)
            gmv = self.value(rec, winner, "gmv") if rec else self.state.company(winner).gmv_last
            why = ui_text("why_target", lang, company=self.name(winner, lang),
                          quarter=self.quarter(rnd, lang, short=False),
                          app=self.app_name(winner, lang), gmv=self.fmt_money(gmv, lang),
                          target=target)
        elif reason == "points":
            rnd = self.records[-1].round if self.records else self.state.round
            ranking = sorted(self.state.companies, key=lambda cs: -cs.points)
            why = ui_text("why_points", lang, company=self.name(winner, lang),
                          quarter=self.quarter(rnd, lang, short=False),
                          points=f"{ranking[0].points:.1f}",
                          cap=f"{self.scenario.quarter_points_cap:g}",
                          others=("、" if lang == "zh" else ", ").join(
                              f"{self.name(cs.id, lang)} {cs.points:.1f}" for cs in ranking[1:]))
        else:
            rnd = self.records[-1].round if self.records else self.state.round
            key = ("why_score_no_target" if not self.target else
                   "why_score_app" if self.requires_app else "why_score")
            why = ui_text(key, lang, company=self.name(winner, lang),
                          quarter=self.quarter(rnd, lang, short=False),
                          gmv=self.fmt_money(self.totals()[winner], lang), target=target)
        return headline, why

    # turning points
    def turning_points(self, lang: str) -> list[tuple[int, str | None, str, str]]:
        """(round, company or None, text, explanation) in the order they happened."""
        points: list[tuple[int, int, str | None, str, str]] = []
        seen_once: set[tuple[str, str | None]] = set()
        for i, entry in enumerate(self.state.log):
            if entry.key in ONCE_PER_COMPANY_KEYS:
                if (entry.key, entry.company) in seen_once:
                    continue
                seen_once.add((entry.key, entry.company))
            elif entry.key not in TURNING_KEYS:
                continue
            tip = ""
            ev = entry.params.get("event") if entry.key in ("event", "event_hit") else None
            if ev is not None:
                ev_id = getattr(ev, "id", ev)
                try:
                    tip = self.rules.events[ev_id].text.get(lang)
                except (KeyError, AttributeError):
                    tip = ""
            # the winner lines come last in their round
            order = i + (10 ** 9 if entry.key.startswith("winner") else 0)
            points.append((entry.round, order, entry.company,
                           render_log(self.rules, entry, lang), tip))
        points += self._figure_points(lang)
        points.sort(key=lambda p: (p[0], p[1]))
        return [(r, c, t, tip) for r, _, c, t, tip in points]

    def _figure_points(self, lang: str) -> list[tuple[int, int, str | None, str, str]]:
        """Moments read from the figures: lead changes, the target passed, the best quarter."""
        out: list[tuple[int, int, str | None, str, str]] = []
        leader = None
        passed: set[str] = set()
        best: tuple[float, int, str] | None = None   # (GMV, round, company) of the best quarter
        for rec in self.records:
            # mid-round order: after the round's log lines, before the winner line
            order = 10 ** 8 + rec.round
            totals = {c: self.value(rec, c, "gmv_total") for c in self.companies}
            top = max(self.companies, key=lambda c: totals[c])
            if top != leader:
                key = "tp_lead_first" if leader is None else "tp_lead_total"
                out.append((rec.round, order, top, ui_text(key, lang, company=self.name(top, lang),
                                                           gmv=self.fmt_money(totals[top], lang)),
                            ""))
                leader = top
            for c in self.companies:
                gmv = self.value(rec, c, "gmv")
                if (self.target and self.requires_app and gmv >= self.target
                        and c not in passed and not self.counts_for_target(c, rec.round)):
                    # over the target, but without an app launched in the game: say why not
                    passed.add(c)
                    key = ("tp_over_old_app" if self.launched_round(c) == 0
                           else "tp_over_no_app")
                    out.append((rec.round, order, c, ui_text(
                        key, lang, company=self.name(c, lang),
                        target=self.fmt_money(self.target, lang), gmv=self.fmt_money(gmv, lang),
                        app=self.app_name(c, lang)), ""))
                if gmv > (-1.0 if best is None else best[0]):
                    best = (gmv, rec.round, c)
        out += self._year_points(lang)
        if best is not None:
            out.append((best[1], 10 ** 8 + best[1], best[2], ui_text(
                "tp_best_quarter", lang, company=self.name(best[2], lang),
                gmv=self.fmt_money(best[0], lang)), ""))
        return out

    def _year_points(self, lang: str) -> list[tuple[int, int, str | None, str, str]]:
        """At the end of a year the article gives a GMV for: each company's GMV that year,
        beside the article's figure and its fact tag."""
        out: list[tuple[int, int, str | None, str, str]] = []
        facts = getattr(self.rules, "facts", {}) or {}
        for year, tag in YEAR_GMV_FACTS.items():
            recs = [r for r in self.records if r.year == year]
            if tag not in facts or not recs or recs[-1].quarter != 4:
                continue
            sep = "、" if lang == "zh" else ", "
            gmvs = sep.join(f"{self.name(c, lang)} "
                            + self.fmt_money(sum(self.value(r, c, "gmv") for r in recs), lang)
                            for c in self.companies)
            out.append((recs[-1].round, 10 ** 8 + recs[-1].round, None, ui_text(
                "tp_year_gmv", lang, year=year, gmvs=gmvs, fact=facts[tag].get(lang), tag=tag),
                ""))
        return out

    # the table
    def table_columns(self) -> list[str]:
        """CSV headers; money columns are raw bn yuan and named so (``gmv_bn_yuan``)."""
        return [csv_column(k) for k in ["round", "year", "quarter", "label", "company_id",
                                         "company", "market", "others_gmv", "events"]
                + self.fields]

    def table_rows(self, lang: str) -> Iterable[list[Any]]:
        for rec in self.records:
            events = ("；" if lang == "zh" else "; ").join(self._event_name(e, lang) for e in rec.events)
            for c in self.companies:
                if c not in rec.companies:
                    continue
                figures = rec.companies[c]
                yield [_cell(v) for v in
                       [rec.round, rec.year, rec.quarter, self.quarter(rec.round, lang),
                        c, self.name(c, lang), rec.market, rec.others_gmv, events]
                       + [figures.get(f, "") for f in self.fields]]

    def _event_name(self, event_id: str, lang: str) -> str:
        try:
            return self.rules.events[event_id].name.get(lang)
        except (KeyError, AttributeError):
            return str(event_id)


# ---------------------------------------------------------------------------------- charts

class LegendBar(QWidget):
    """One legend for all four charts: colour, marker shape and line style per company."""

    def __init__(self, facts: GameFacts, lang: str, parent=None):
        super().__init__(parent)
        self.setObjectName("chartLegend")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.setSpacing(6)
        for c in facts.companies:
            color, pen_style, _, mark, _ = facts.style(c)
            icon = QLabel()
            icon.setPixmap(mark_pixmap(mark, color, 20, pen_style, 54))
            layout.addWidget(icon)
            name = QLabel(facts.name(c, lang))
            f = name.font()
            f.setBold(True)
            name.setFont(f)
            layout.addWidget(name)
            layout.addSpacing(18)
        if facts.target:
            icon = QLabel()
            icon.setPixmap(_target_pixmap(54, 20))
            layout.addWidget(icon)
            layout.addWidget(QLabel(ui_text("target_line", lang,
                                            target=facts.fmt_money(facts.target, lang))))
        layout.addStretch(1)
        hint = QLabel(ui_text("legend_hint", lang))
        hint.setObjectName("legendHint")
        hint.setStyleSheet("color: #555;")
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        hint.setMinimumWidth(160)
        layout.addWidget(hint, 1)


def _target_pixmap(width: int, height: int) -> QPixmap:
    pm = QPixmap(width * 2, height * 2)
    pm.setDevicePixelRatio(2.0)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    pen = QPen(QColor("#CC3311"), 2)
    pen.setStyle(Qt.PenStyle.DashLine)
    p.setPen(pen)
    p.drawLine(QPointF(1, height / 2), QPointF(width - 1, height / 2))
    p.end()
    return pm


class ChartsPanel(QWidget):
    """GMV, traffic, user experience and loop progress over the rounds, per company."""

    def __init__(self, facts: GameFacts, lang: str, parent=None, original: GameFacts | None = None):
        super().__init__(parent)
        self.setObjectName("chartsPanel")
        self.facts = facts
        #: the game a branch came from: drawn beside it, thin and dashed
        self.original = original
        self.views: dict[str, QChartView] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        outer.addWidget(LegendBar(facts, lang))
        if original is not None:
            note = QLabel(ui_text("original_note", lang))
            note.setObjectName("originalNote")
            note.setStyleSheet("color: #555;")
            outer.addWidget(note)
        grid = QGridLayout()
        grid.setSpacing(4)
        outer.addLayout(grid, 1)
        for i, (name, title_key, field) in enumerate(CHARTS):
            view = QChartView(self._chart(title_key, field, lang))
            view.setObjectName(name)
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumSize(320, 210)
            view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            self.views[name] = view
            grid.addWidget(view, i // 2, i % 2)

    def _x_axis(self, lang: str, font: QFont) -> QCategoryAxis:
        facts = self.facts
        axis = QCategoryAxis()
        axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        rounds = sorted({r.round for r in facts.records}
                        | {r.round for r in (self.original.records if self.original else [])}) or [1]
        first, last = rounds[0], rounds[-1]
        step = max(1, math.ceil(len(rounds) / 6))
        for r in rounds:                       # every step-th quarter, ending on the last
            if (last - r) % step == 0:
                axis.append(facts.quarter(r, lang), r)
        axis.setRange(first - 0.3, last + 0.3)
        axis.setStartValue(first - 0.3)
        axis.setLabelsFont(font)
        axis.setGridLineVisible(True)
        return axis

    def _chart(self, title_key: str, field: str, lang: str) -> QChart:
        facts = self.facts
        base = QApplication.font()
        size = max(base.pointSizeF(), 10.0)
        label_font = QFont(base)
        label_font.setPointSizeF(size)
        title_font = QFont(base)
        title_font.setPointSizeF(size * 1.25)
        title_font.setBold(True)

        chart = QChart()
        chart.setTitle(ui_text(title_key, lang))
        chart.setTitleFont(title_font)
        chart.legend().hide()
        chart.setBackgroundRoundness(0)
        chart.setMargins(QMargins(4, 2, 30, 2))   # room for the last quarter's label
        chart.layout().setContentsMargins(0, 0, 0, 0)

        x_axis = self._x_axis(lang, label_font)
        y_axis = QValueAxis()
        y_axis.setLabelsFont(label_font)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)

        # money is drawn as the reader counts it (亿元 = bn yuan × 10 in Chinese)
        scale = facts.money_scale(lang) if field in MONEY_FIELDS else 1.0
        top = 0.0
        n = len(facts.companies)
        for i, c in enumerate(facts.companies):
            # a small sideways offset per company keeps tied points (same value) all visible
            dx = (i - (n - 1) / 2) * 0.07
            color, pen_style, shape, _, _ = facts.style(c)
            line = QLineSeries()
            line.setName(facts.name(c, lang))
            pen = QPen(color, 3)
            pen.setStyle(pen_style)
            line.setPen(pen)
            dots = QScatterSeries()
            dots.setName(facts.name(c, lang))
            dots.setMarkerShape(shape)
            dots.setMarkerSize(13 if shape != _SHAPE.MarkerShapeTriangle else 15)
            dots.setColor(color)
            dots.setBorderColor(QColor("#202020"))
            for rec in facts.records:
                v = facts.value(rec, c, field) * scale
                top = max(top, v)
                line.append(rec.round + dx, v)
                dots.append(rec.round + dx, v)
            for s in (line, dots):
                chart.addSeries(s)
                s.attachAxis(x_axis)
                s.attachAxis(y_axis)

        if self.original is not None:
            for c in self.original.companies:
                if c not in facts.companies:
                    continue
                color = QColor(facts.style(c)[0])
                color.setAlpha(170)
                line = QLineSeries()
                line.setName(ui_text("original", lang, company=facts.name(c, lang)))
                line.setObjectName(f"original_{c}")
                pen = QPen(color, 2)
                pen.setStyle(Qt.PenStyle.DashLine)
                line.setPen(pen)
                for rec in self.original.records:
                    v = self.original.value(rec, c, field) * scale
                    top = max(top, v)
                    line.append(rec.round, v)
                chart.addSeries(line)
                line.attachAxis(x_axis)
                line.attachAxis(y_axis)

        if field == "gmv" and facts.target and facts.records:
            target = QLineSeries()
            target.setName(ui_text("target_line", lang,
                                   target=facts.fmt_money(facts.target, lang)))
            pen = QPen(QColor("#CC3311"), 2)
            pen.setStyle(Qt.PenStyle.DashLine)
            target.setPen(pen)
            level = facts.target * scale
            target.append(facts.records[0].round - 0.3, level)
            target.append(facts.records[-1].round + 0.3, level)
            chart.addSeries(target)
            target.attachAxis(x_axis)
            target.attachAxis(y_axis)
            top = max(top, level)

        if field == "loop_links":
            total = max(facts.loop_total, 1)
            y_axis.setRange(0, total + 0.25)
            y_axis.setTickType(QValueAxis.TickType.TicksDynamic)
            y_axis.setTickAnchor(0)
            y_axis.setTickInterval(1)
            y_axis.setLabelFormat("%d")
            y_axis.setTitleText(ui_text("axis_links", lang, total=facts.loop_total))
        else:
            y_axis.setRange(0, top * 1.08 if top > 0 else 1)
            y_axis.applyNiceNumbers()
            y_axis.setLabelFormat("%.0f")
            unit = ""
            if field in MONEY_FIELDS:
                unit = facts.money(lang)
            elif field == "traffic":
                try:
                    unit = facts.rules.units["traffic"].get(lang)
                except (KeyError, AttributeError):
                    unit = ""
            elif field == "ux":
                unit = ui_text("axis_ux", lang)
            y_axis.setTitleText(unit)
        small = QFont(label_font)
        small.setPointSizeF(size * 0.9)
        y_axis.setTitleFont(small)
        return chart


# ---------------------------------------------------------------------------------- window

class DebriefWindow(QDialog):
    """The end of a game: the winner and why, charts, turning points, the log, exports."""

    languageChanged = Signal(str)

    def __init__(self, state, rules, lang: str = "zh", parent=None, zoom: float = 1.0, *,
                 teams: dict[str, str] | None = None, reasons: dict[int, str] | None = None,
                 original=None, forecasts: dict | None = None):
        super().__init__(parent)
        self.setObjectName("debriefWindow")
        self.zoom = float(zoom)
        self.state = state
        self.rules = rules
        self.lang = lang
        self.teams = dict(teams or {})         # company id -> team name (meta "teams")
        self.forecasts = dict(forecasts or {})  # meta "forecasts": revealed and scored under Lessons
        self.reasons = dict(reasons or {})     # 1-based action index -> the team's reason
        self.facts = GameFacts(state, rules)
        #: a branch's original game, drawn dashed beside it in the charts
        self.original_facts = GameFacts(original, rules) if original is not None else None
        self.charts: ChartsPanel | None = None

        font = QFont(QApplication.font())
        if font.pointSizeF() > 0:
            # at least 10 pt, times the main window's zoom (large-text mode on a projector)
            base = max(10.0, font.pointSizeF() / max(self.zoom, 0.1))
            font.setPointSizeF(base * self.zoom)
        self.setFont(font)

        root = QVBoxLayout(self)
        root.setContentsMargins(14, 10, 14, 10)
        root.setSpacing(8)

        # header: the result
        self.heading = QLabel()
        self.heading.setObjectName("debriefHeading")
        self.scenario_label = QLabel()
        self.scenario_label.setObjectName("scenarioLabel")
        self.scenario_label.setStyleSheet("color: #444;")
        head_row = QHBoxLayout()
        head_row.addWidget(self.heading)
        head_row.addSpacing(16)
        head_row.addWidget(self.scenario_label, 1)
        self.language_button = QPushButton()
        self.language_button.setObjectName("languageButton")
        self.language_button.clicked.connect(self._toggle_language)
        head_row.addWidget(self.language_button)
        root.addLayout(head_row)

        result = QFrame()
        result.setObjectName("resultBox")
        result.setFrameShape(QFrame.Shape.StyledPanel)
        result.setStyleSheet("#resultBox { background: #F7F5EF; border: 1px solid #D8D2C0; "
                             "border-radius: 6px; }")
        res = QHBoxLayout(result)
        res.setContentsMargins(12, 8, 12, 8)
        self.winner_icon = QLabel()
        self.winner_icon.setObjectName("winnerIcon")
        res.addWidget(self.winner_icon, 0, Qt.AlignmentFlag.AlignTop)
        text_col = QVBoxLayout()
        self.winner_label = QLabel()
        self.winner_label.setObjectName("winnerLabel")
        wf = QFont(font)
        wf.setPointSizeF(font.pointSizeF() * 1.7)
        wf.setBold(True)
        self.winner_label.setFont(wf)
        self.reason_label = QLabel()
        self.reason_label.setObjectName("reasonLabel")
        self.reason_label.setWordWrap(True)
        rf = QFont(font)
        rf.setPointSizeF(font.pointSizeF() * 1.1)
        self.reason_label.setFont(rf)
        self.reason_label.setMinimumWidth(380)
        text_col.addWidget(self.winner_label)
        text_col.addWidget(self.reason_label)
        text_col.addStretch(1)
        res.addLayout(text_col, 5)
        self.scores = QTableWidget()
        self.scores.setObjectName("scoresTable")
        self.scores.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.scores.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.scores.verticalHeader().hide()
        self.scores.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scores.setIconSize(QSize(18, 18))
        res.addWidget(self.scores, 7)
        root.addWidget(result)

        # tabs
        self.tabs = QTabWidget()
        self.tabs.setObjectName("debriefTabs")
        self.charts_holder = QWidget()
        self.charts_holder.setObjectName("chartsTab")
        self.charts_layout = QVBoxLayout(self.charts_holder)
        self.charts_layout.setContentsMargins(0, 4, 0, 0)
        self.turning = QTreeWidget()
        self.turning.setObjectName("turningPoints")
        self.turning.setRootIsDecorated(False)
        self.turning.setAlternatingRowColors(True)
        self.turning.setWordWrap(True)
        self.turning.setUniformRowHeights(False)
        self.turning.setIconSize(QSize(16, 16))
        self.log_view = QTextBrowser()
        self.log_view.setObjectName("gameLog")
        self.table = QTableWidget()
        self.table.setObjectName("recordsTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.lessons_view = QTextBrowser()
        self.lessons_view.setObjectName("lessonCards")
        self.lessons_view.setOpenLinks(False)
        from .review_tab import ReviewPanel
        self.review_panel = ReviewPanel(state, rules, lang)
        for w in (self.charts_holder, self.turning, self.log_view, self.table, self.lessons_view,
                  self.review_panel):
            self.tabs.addTab(w, "")
        root.addWidget(self.tabs, 1)

        # buttons
        buttons = QHBoxLayout()
        self.png_button = QPushButton()
        self.png_button.setObjectName("exportPngButton")
        self.png_button.clicked.connect(self._ask_export_png)
        self.csv_button = QPushButton()
        self.csv_button.setObjectName("exportCsvButton")
        self.csv_button.clicked.connect(self._ask_export_csv)
        self.status = QLabel()
        self.status.setObjectName("statusLabel")
        self.status.setStyleSheet("color: #444;")
        self.close_button = QPushButton()
        self.close_button.setObjectName("closeButton")
        self.close_button.clicked.connect(self.accept)
        self.report_button = QPushButton()
        self.report_button.setObjectName("exportReportButton")
        self.report_button.clicked.connect(self._ask_export_report)
        self.decisions_button = QPushButton()
        self.decisions_button.setObjectName("exportDecisionsButton")
        self.decisions_button.clicked.connect(self._ask_export_decisions)
        buttons.addWidget(self.png_button)
        buttons.addWidget(self.csv_button)
        buttons.addWidget(self.report_button)
        buttons.addWidget(self.decisions_button)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.close_button)
        root.addLayout(buttons)

        self.resize(1440, 960)
        self.set_language(lang)

    # ----------------------------------------------------------------------- language
    def t(self, key: str, **params: Any) -> str:
        return ui_text(key, self.lang, **params)

    def set_language(self, lang: str) -> None:
        """Show everything in ``lang`` ('zh' or 'en')."""
        self.lang = lang
        f, L = self.facts, lang
        title = f"{self.rules.title.get(L)}" if hasattr(self.rules, "title") else ""
        self.setWindowTitle(self.t("window_title", title=title))
        hf = QFont(self.font())
        hf.setPointSizeF(self.font().pointSizeF() * 1.35)
        hf.setBold(True)
        self.heading.setFont(hf)
        self.heading.setText(self.t("heading"))
        if f.records:
            self.scenario_label.setText(self.t(
                "scenario", scenario=f.scenario.name.get(L),
                first=f.quarter(f.records[0].round, L), last=f.quarter(f.records[-1].round, L),
                rounds=len(f.records)))
        else:
            self.scenario_label.setText(f.scenario.name.get(L))
        # the seed, so a facilitator can replay this game
        self.scenario_label.setText(self.scenario_label.text() + " · " +
                                    self.t("seed", seed=getattr(self.state, "seed", "?")))
        self.language_button.setText(self.t("language"))

        headline, why = f.winner_text(L)
        self.winner_label.setText(headline)
        self.reason_label.setText(why)
        winner = self.state.winner_id
        if winner is not None:
            color, _, _, mark, _ = f.style(winner)
            self.winner_icon.setPixmap(mark_pixmap(mark, color, 40))
        else:
            self.winner_icon.clear()
        self._fill_scores()

        self.tabs.setTabText(0, self.t("tab_charts"))
        self.tabs.setTabText(1, self.t("tab_turning"))
        self.tabs.setTabText(2, self.t("tab_log"))
        self.tabs.setTabText(3, self.t("tab_table"))
        self.tabs.setTabText(4, self.t("tab_lessons"))
        self.tabs.setTabText(5, self.review_panel.t("tab"))
        self.review_panel.set_language(L)
        self._fill_lessons()
        self._rebuild_charts()
        self._fill_turning_points()
        self._fill_log()
        self._fill_table()

        self.png_button.setText(self.t("export_png"))
        self.csv_button.setText(self.t("export_csv"))
        self.report_button.setText(self.t("export_report"))
        self.decisions_button.setText(self.t("export_decisions"))
        self.close_button.setText(self.t("close"))
        self.status.clear()

    def _toggle_language(self) -> None:
        self.set_language("en" if self.lang == "zh" else "zh")
        self.languageChanged.emit(self.lang)

    # ----------------------------------------------------------------------- contents
    def _company_item(self, company_id: str) -> QTableWidgetItem:
        color, _, _, mark, _ = self.facts.style(company_id)
        item = QTableWidgetItem(self.facts.name(company_id, self.lang))
        item.setIcon(mark_pixmap(mark, color, 18))
        return item

    def _fill_scores(self) -> None:
        f, L = self.facts, self.lang
        cols = ["col_rank", "col_company", "col_total", "col_best", "col_loop", "col_app"]
        money = f.money(L)
        self.scores.clear()
        self.scores.setColumnCount(len(cols))
        self.scores.setHorizontalHeaderLabels(
            [self.t("money_header", name=self.t(c), money=money)
             if c in ("col_total", "col_best") and money else self.t(c) for c in cols])
        ranking = f.ranking()
        totals = f.totals()
        self.scores.setRowCount(len(ranking))
        last = f.records[-1] if f.records else None
        for row, c in enumerate(ranking):
            best, best_round = f.best_quarter(c)
            links = int(f.value(last, c, "loop_links")) if last else 0
            closed = bool(f.value(last, c, "loop_closed")) if last else False
            launched = f.launched_round(c)
            if launched is None:
                app = self.t("app_none")
            elif launched == 0:
                app = self.t("app_before", app=f.app_name(c, L))
            else:
                app = self.t("app_launched", app=f.app_name(c, L), quarter=f.quarter(launched, L))
            rank = ("★ " if c == self.state.winner_id else "") + str(row + 1)
            values = [
                QTableWidgetItem(rank), self._company_item(c),
                QTableWidgetItem(f.fmt_money(totals[c], L, unit=False)),
                QTableWidgetItem(f"{f.fmt_money(best, L, unit=False)} ({f.quarter(best_round, L)})"
                                 if best_round else f.fmt_money(best, L, unit=False)),
                QTableWidgetItem(self.t("loop_closed" if closed else "loop_open", links=links,
                                        total=f.loop_total)),
                QTableWidgetItem(app),
            ]
            for col, item in enumerate(values):
                if col in (0, 2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == self.state.winner_id:
                    bf = item.font()
                    bf.setBold(True)
                    item.setFont(bf)
                self.scores.setItem(row, col, item)
        header = self.scores.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.scores.resizeColumnsToContents()
        self.scores.resizeRowsToContents()
        height = self.scores.horizontalHeader().sizeHint().height() + 4
        height += sum(self.scores.rowHeight(r) for r in range(self.scores.rowCount()))
        self.scores.setFixedHeight(height)
        self.scores.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def _rebuild_charts(self) -> None:
        layout = self.charts_layout
        if self.charts is not None:
            old, self.charts = self.charts, None
            layout.removeWidget(old)
            old.hide()
            old.setParent(None)
            old.deleteLater()
        self.charts = ChartsPanel(self.facts, self.lang, original=self.original_facts)
        layout.addWidget(self.charts)

    def _fill_turning_points(self) -> None:
        f, L = self.facts, self.lang
        self.turning.clear()
        self.turning.setHeaderLabels([self.t("col_quarter"), self.t("tab_turning")])
        points = f.turning_points(L)
        if not points:
            QTreeWidgetItem(self.turning, ["", self.t("no_turning_points")])
        event_icon = mark_pixmap("star", QColor("#9A9A9A"), 16)
        for rnd, company, text, tip in points:
            item = QTreeWidgetItem(self.turning, [f.quarter(rnd, L), text])
            if company is not None and company in f.companies:
                color, _, _, mark, _ = f.style(company)
                item.setIcon(1, mark_pixmap(mark, color, 16))
            else:
                item.setIcon(1, event_icon)
                item.setForeground(1, QBrush(QColor("#444444")))
            if tip:
                item.setToolTip(1, tip)
            if text and any(k in text for k in ("!", "！")):
                bf = item.font(1)
                bf.setBold(True)
                item.setFont(1, bf)
        self.turning.resizeColumnToContents(0)
        self.turning.setColumnWidth(0, self.turning.columnWidth(0) + 16)

    def _fill_log(self) -> None:
        f, L = self.facts, self.lang
        parts = []
        for entry in self.state.log:
            text = html.escape(render_log(self.rules, entry, L))
            if entry.key == "round_start":
                parts.append(f"<h3 style='margin-top:10px; margin-bottom:2px'>{text}</h3>")
                continue
            prefix = ""
            if entry.company in f.companies:
                color, _, _, _, symbol = f.style(entry.company)
                prefix = f"<span style='color:{color.name()}'>{symbol}</span> "
            weight = "bold" if entry.key in TURNING_KEYS else "normal"
            parts.append(f"<div style='font-weight:{weight}'>{prefix}{text}</div>")
        self.log_view.setHtml("".join(parts))

    def _fill_table(self) -> None:
        f, L = self.facts, self.lang
        fields = f.fields
        money = f.money(L)
        headers = [self.t("col_quarter"), self.t("col_company")]
        for k in fields:
            label = self.t(f"field_{k}") if ui_text(f"field_{k}", L) != f"field_{k}" else k
            if k in MONEY_FIELDS and money:
                label = self.t("money_header", name=label, money=money)
            headers.append(label)
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        rows = [(rec, c) for rec in f.records for c in f.companies if c in rec.companies]
        self.table.setRowCount(len(rows))
        for r, (rec, c) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(f.quarter(rec.round, L)))
            self.table.setItem(r, 1, self._company_item(c))
            for col, field in enumerate(fields):
                v = rec.companies[c].get(field, "")
                if field in MONEY_FIELDS and isinstance(v, (int, float)):
                    text = f.fmt_money(v, L, unit=False)
                elif field == "loop_closed" and isinstance(v, (bool, int, float)):
                    text = self.t("yes" if v else "no")
                elif field == "users" and isinstance(v, (int, float)) and L == "zh":
                    text = format_users(v, L)      # 亿 / 万, as a Chinese reader counts
                elif field == "app_share" and isinstance(v, (int, float)):
                    text = f"{v * 100:.0f}%"
                else:
                    text = fmt(v) if isinstance(v, float) else str(v)
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, 2 + col, item)
        self.table.resizeColumnsToContents()

    # ----------------------------------------------------------------------- export
    def export_png(self, path: str) -> str:
        """Save the four charts, their legend and the result as one PNG; returns the path."""
        panel = QWidget()
        panel.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        panel.setFont(self.font())
        panel.setStyleSheet("background: white;")
        lay = QVBoxLayout(panel)
        lay.setContentsMargins(16, 12, 16, 12)
        title = QLabel(f"{self.heading.text()} · {self.scenario_label.text()}")
        tf = QFont(self.font())
        tf.setPointSizeF(self.font().pointSizeF() * 1.3)
        tf.setBold(True)
        title.setFont(tf)
        lay.addWidget(title)
        result = QLabel(f"{self.winner_label.text()}  {self.reason_label.text()}")
        result.setWordWrap(True)
        lay.addWidget(result)
        lay.addWidget(ChartsPanel(self.facts, self.lang), 1)
        panel.resize(1600, 1100)
        panel.show()
        QApplication.processEvents()
        image = panel.grab()
        panel.close()
        panel.deleteLater()
        if image.isNull() or not image.save(str(path), "PNG"):
            raise OSError(f"could not write {path}")
        return str(path)

    def export_csv(self, path: str) -> str:
        """One row per round per company with every record field, UTF-8 with BOM (Excel).

        Money stays in raw bn yuan (not 亿元) for analysis; its headers say so: ``gmv_bn_yuan``.
        """
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(self.facts.table_columns())
            for row in self.facts.table_rows(self.lang):
                writer.writerow(row)
        return str(path)

    def _fill_lessons(self) -> None:
        """The lesson cards (game/debrief): what the article's moves did in this game."""
        from game.debrief import lesson_cards, load_lessons
        from game.engine import RulesError

        try:
            cards = lesson_cards(self.rules, self.state, load_lessons(self.rules), self.lang)
        except RulesError as exc:
            self.lessons_view.setPlainText(self.t("lessons_error", error=exc))
            return
        parts = self._forecast_html()
        for card in cards:
            parts.append(f"<h3>{html.escape(card.title)}</h3>")
            parts.extend(f"<p>{html.escape(line)}</p>" for line in card.lines)
            facts = "".join(f"<li><b>{html.escape(tag)}</b> {html.escape(text)}</li>" for tag, text in card.facts)
            parts.append(f"<p style='color:#555'>{html.escape(self.t('lessons_facts'))}</p><ul>{facts}</ul>")
            qs = "".join(f"<li>{html.escape(q)}</li>" for q in card.questions)
            parts.append(f"<p><b>{html.escape(self.t('lessons_questions'))}</b></p><ol>{qs}</ol><hr>")
        self.lessons_view.setHtml("".join(parts))

    def _forecast_html(self) -> list[str]:
        """Predict, then reveal: each team's forecast beside what happened, and its score."""
        from game.debrief.forecasts import outcome, read_forecasts, score
        forecasts, _ = read_forecasts(self.state, {"forecasts": self.forecasts})
        if not forecasts:
            return []
        o, L, rules = outcome(self.state), self.lang, self.rules

        def co(cid: str | None) -> str:
            return rules.name_of("company", cid, L) if cid else self.t("forecast_nobody")

        def yn(b: bool | None) -> str:
            return "—" if b is None else self.t("forecast_yes" if b else "forecast_no")
        rows = []
        for sc in score(self.state, forecasts):
            f = sc.forecast
            team = self.teams.get(f.team) or co(f.team)
            gmv = format_money(rules, f.gmv_end, L) if f.gmv_end is not None else "—"
            rows.append(f"<tr><td>{html.escape(team)}</td>"
                        f"<td>{html.escape(co(f.loop_first) if f.loop_first else '—')} → "
                        f"{html.escape(co(o.loop_first))}</td>"
                        f"<td>{html.escape(gmv)} → {html.escape(format_money(rules, o.gmv_end[f.team], L))}</td>"
                        f"<td>{html.escape(yn(f.ban_pays))} → {html.escape(yn(o.ban_pays))}</td>"
                        f"<td>{sc.total:.2f}</td></tr>")
        head = "".join(f"<th>{html.escape(self.t(k))}</th>" for k in (
            "forecast_team", "forecast_loop", "forecast_gmv", "forecast_ban", "forecast_score"))
        return [f"<h3>{html.escape(self.t('forecast_title'))}</h3>",
                f"<table border='1' cellspacing='0' cellpadding='4'><tr>{head}</tr>{''.join(rows)}</table><hr>"]

    def export_report(self, path: str) -> str:
        """The session report of this game, as one self-contained HTML file."""
        from game.debrief import ReportGame, write_report

        label = self.t("seed", seed=getattr(self.state, "seed", "?"))
        from game.debrief.forecasts import read_forecasts
        forecasts, _ = read_forecasts(self.state, {"forecasts": self.forecasts})
        return str(write_report(self.rules, [ReportGame(self.state, label, dict(self.teams),
                                                        dict(self.reasons), forecasts)], path, self.lang))

    def export_decisions(self, path: str) -> str:
        """Every team's decisions (round, action, cost, effect) as CSV, for grading."""
        from game.debrief import CsvGame, decisions_csv
        from game.saves import write_text_atomic

        game = CsvGame(self.state, teams=self.teams, reasons=self.reasons)
        return str(write_text_atomic(path, decisions_csv(self.rules, [game], self.lang)))

    def _ask_export_report(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.t("export_report"), "closed-loop-report.html",
                                              self.t("html_filter"))
        if path:
            self._run_export(self.export_report, path)

    def _ask_export_decisions(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.t("export_decisions"), "closed-loop-decisions.csv",
                                              self.t("csv_filter"))
        if path:
            self._run_export(self.export_decisions, path)

    def _ask_export_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.t("export_png"), "closed-loop-charts.png",
                                              self.t("png_filter"))
        if path:
            self._run_export(self.export_png, path)

    def _ask_export_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.t("export_csv"), "closed-loop-table.csv",
                                              self.t("csv_filter"))
        if path:
            self._run_export(self.export_csv, path)

    def _run_export(self, fn, path: str) -> None:
        try:
            fn(path)
        except OSError as exc:
            self.show_export_error(self.t("save_failed", path=path, error=exc))
            return
        self.status.setText(self.t("saved", path=path))

    def show_export_error(self, text: str) -> QMessageBox:
        """Non-modal, like the main window's errors: QMessageBox.warning's exec() would stop
        the app (and any test driving it) until someone clicks OK."""
        self.status.setText(text)
        box = QMessageBox(QMessageBox.Icon.Warning, self.windowTitle(), text, parent=self)
        box.setObjectName("exportErrorBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.show()
        return box


# ------------------------------------------------------------------------------ screenshot

def play_heuristic_game(rules, scenario: str = "default", seed: int = 3):
    """A whole game between heuristic computer players."""
    from game.engine import new_game
    from game.players import make_player
    from game.session import Session

    state = new_game(rules, scenario, seed)
    return Session(state, {cid: make_player("heuristic", seed + i)
                           for i, cid in enumerate(state.players)}).run_to_end()


def render_debrief_screenshot(path: str, lang: str = "zh", seed: int = 3,
                              size: tuple[int, int] = (1440, 960)) -> None:
    """Play a full heuristic game offscreen, open the debrief and save it as a PNG."""
    from game.engine import load_rules
    from game.ui.fonts import install_app_font

    app = QApplication.instance() or QApplication([])
    install_app_font()
    rules_dir = RULES_DIR
    rules = load_rules(str(rules_dir))
    state = play_heuristic_game(rules, "default", seed)
    window = DebriefWindow(state, rules, lang)
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    window.resize(*size)
    window.show()
    app.processEvents()
    pixmap = window.grab()
    window.close()
    window.deleteLater()
    if pixmap.isNull() or not pixmap.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")


if __name__ == "__main__":   # python -m game.ui.debrief out.png [zh|en] [seed]
    import sys

    args = sys.argv[1:]
    render_debrief_screenshot(args[0] if args else "debrief.png",
                              args[1] if len(args) > 1 else "zh",
                              int(args[2]) if len(args) > 2 else 3)
