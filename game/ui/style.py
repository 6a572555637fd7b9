"""Shared look: company marks, node-state colours, number formatting.

Company colours come from the rules (Okabe-Ito); the mark shape is the second cue, drawn by
:func:`draw_mark` everywhere a company's colour appears.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPen, QPixmap, QPolygonF

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
FOCUS_COLOR = "#0B57D0"     # the board node the keyboard is on
LAST_MOVE_COLOR = "#6A3FB5"  # a searching computer's last move: the node's ring, the caption's edge
LAST_MOVE_FILL = "#F2EDFA"   # the caption under the board


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


# ---------------------------------------------------------------- a light scheme on any system
LIGHT = {
    "Window": "#EFEFEF", "WindowText": "#111111", "Base": "#FFFFFF", "AlternateBase": "#F5F5F5",
    "ToolTipBase": "#FFFFDC", "ToolTipText": "#111111", "PlaceholderText": "#6E6E6E",
    "Text": "#111111", "Button": "#EFEFEF", "ButtonText": "#111111", "BrightText": "#FFFFFF",
    "Light": "#FFFFFF", "Midlight": "#E3E3E3", "Mid": "#A0A0A0", "Dark": "#7A7A7A",
    "Shadow": "#4A4A4A", "Highlight": "#2F6DB5", "HighlightedText": "#FFFFFF",
    "Link": "#0B57A4", "LinkVisited": "#6A3D9A",
}
DISABLED_TEXT = "#606060"   # 5:1 and more on the light window and button colour
INK = "#111111"             # text on the game's own light panels


def light_palette() -> QPalette:
    """The game's light palette: its panels, cards and board are drawn for it."""
    pal = QPalette()
    for name, value in LIGHT.items():
        pal.setColor(getattr(QPalette.ColorRole, name), QColor(value))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(DISABLED_TEXT))
    return pal


def use_light_scheme(app) -> None:
    """Pin the Fusion style and the light palette, whatever the system's (dark) scheme."""
    from PySide6.QtWidgets import QStyleFactory

    styles = list(QStyleFactory.keys())
    if "Fusion" in styles:
        app.setStyle("Fusion")
    app.setPalette(light_palette())


def ink_on_light(widget) -> None:
    """Give ``widget`` (and its children) dark text: it paints its own light background."""
    pal = widget.palette()
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Active, role, QColor(INK))
        pal.setColor(QPalette.ColorGroup.Inactive, role, QColor(INK))
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(DISABLED_TEXT))
    widget.setPalette(pal)


def relative_luminance(color: QColor | str) -> float:
    """WCAG 2 relative luminance of a colour."""
    c = QColor(color)

    def lin(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF())


def contrast_ratio(a: QColor | str, b: QColor | str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def app_icon() -> QIcon:
    """The app's icon (assets/icons/closed-loop.svg and .png), set on every window."""
    from game.paths import ASSETS_DIR

    icon = QIcon()
    for name in ("closed-loop.svg", "closed-loop-256.png", "closed-loop-64.png"):
        path = ASSETS_DIR / "icons" / name
        if path.is_file():
            icon.addFile(str(path))
    return icon
