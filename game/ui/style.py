"""Shared look: company marks, node-state colours, number formatting.

Company colours come from the rules (Okabe-Ito); the mark shape is the second cue, drawn by
:func:`draw_mark` everywhere a company's colour appears.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap, QPolygonF

# Node-state look. The state is also written in words on every node (not colour alone).
STATE_FILL = {
    "built": None,            # the pillar colour
    "in_progress": "#FFF4D6",
    "available": "#FFFFFF",
    "locked": "#E6E6E6",
}
STATE_TEXT = {"built": "#FFFFFF", "in_progress": "#222222", "available": "#222222",
              "locked": "#777777"}
DONE_COLOR = "#1B7F3B"      # a made loop link
MISSING_COLOR = "#C0392B"   # a missing loop link
PLAN_COLOR = "#D55E00"      # capabilities on the cheapest plan to close the loop
CURRENT_BORDER = "#222222"


def text_on(color: QColor | str) -> QColor:
    """Black or white, whichever reads better on ``color``."""
    c = QColor(color)
    lum = 0.2126 * c.redF() + 0.7152 * c.greenF() + 0.0722 * c.blueF()
    return QColor("#111111") if lum > 0.55 else QColor("#FFFFFF")


def draw_mark(painter: QPainter, mark: str, rect: QRectF, color: QColor | str,
              outline: QColor | str = "#222222") -> None:
    """Draw a company mark (square, circle, triangle...) filling ``rect``."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(color))
    painter.setPen(QPen(QColor(outline), max(1.0, rect.width() / 12)))
    r = rect.adjusted(1, 1, -1, -1)
    if mark == "circle":
        painter.drawEllipse(r)
    elif mark == "triangle":
        painter.drawPolygon(QPolygonF([QPointF(r.center().x(), r.top()), r.bottomRight(),
                                       r.bottomLeft()]))
    elif mark == "diamond":
        c = r.center()
        painter.drawPolygon(QPolygonF([QPointF(c.x(), r.top()), QPointF(r.right(), c.y()),
                                       QPointF(c.x(), r.bottom()), QPointF(r.left(), c.y())]))
    elif mark == "star":
        c, pts = r.center(), []
        for i in range(10):
            rad = (r.width() / 2) if i % 2 == 0 else r.width() / 5
            a = -math.pi / 2 + i * math.pi / 5
            pts.append(QPointF(c.x() + rad * math.cos(a), c.y() + rad * math.sin(a)))
        painter.drawPolygon(QPolygonF(pts))
    else:  # square and anything unknown
        painter.drawRect(r)
    painter.restore()


def mark_icon(mark: str, color: str, size: int = 32) -> QIcon:
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    draw_mark(p, mark, QRectF(2, 2, size - 4, size - 4), color)
    p.end()
    return QIcon(pix)


def money(rules, value: float, lang: str) -> str:
    """A money figure (bn yuan) as the reader counts it, without the unit: "300" (亿元) or "30.0"."""
    from game.engine import format_money

    if value == float("inf"):
        return "∞"
    return format_money(rules, value, lang, unit=False)


def num(value: float, digits: int = 1) -> str:
    """A number as the engine's texts show it (thousands separator, one decimal)."""
    if value == float("inf"):
        return "∞"
    return f"{value:,.{digits}f}"
