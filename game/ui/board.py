"""The capability board: one QGraphicsScene per company, drawn from the rules' networkx graph.

Capabilities stand in pillar columns (pillar colours, in the pillars' order); each node says its
state in words (locked, available, building k/n, built) besides its look. The loop strip on top
shows the company's closed loop link by link (done / missing), and on the graph the edge that
makes each link is drawn thick: green when made, red and dashed when still missing. Nodes on
the cheapest plan to close the loop, and then to launch the app while it is not launched
(``goal.app_path``), have an orange dashed outline.

The scene only reads the state; a click on a node emits :attr:`BoardScene.nodeClicked` and the
main window decides what to do with it.

A searching computer's last move (issue 13): the node it built has a purple ring
(:meth:`BoardScene.set_last_move`), and the view keeps a band under the board (its viewport's
bottom margin, so the caption covers nothing of the board) with the decision's one line and a
button for its top three options (:meth:`BoardView.set_caption`). In projector mode the window
hosts the caption and its button elsewhere (:meth:`BoardView.set_caption_host`: under the
company panels, beside the event card) and the board keeps its whole height.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QBoxLayout,
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsView,
    QLabel,
    QSizePolicy,
    QToolButton,
)

from game.engine import Action, format_money

from .goal import app_path
from .i18n import UiTexts
from .prices import build_step_cost
from .style import (
    DONE_COLOR,
    FOCUS_COLOR,
    LAST_MOVE_COLOR,
    LAST_MOVE_FILL,
    MISSING_COLOR,
    PLAN_COLOR,
    STATE_FILL,
    STATE_TEXT,
    text_on,
)

FONT_PX = 14             # node names at the normal text size, where there is room
MIN_TEXT_PX = 11         # no text on the board under this at the normal text size
WRAP = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
STRIP_ARROW = 30.0       # the least room for the arrow between two chips of the loop strip


def _font(px: float, bold: bool = False) -> QFont:
    f = QFont()
    f.setPixelSize(max(6, int(px)))
    f.setBold(bold)
    return f


def text_range(zoom: float) -> tuple[int, int]:
    """The board's smallest and largest text size (px) at the window's text ``zoom``: at 1.0
    11 to 16 px; in projector mode (1.5) 18 to 23 px."""
    floor = max(MIN_TEXT_PX, round(MIN_TEXT_PX + 14 * (zoom - 1)))
    return floor, max(floor, round(FONT_PX * zoom) + 2)


def strip_slots(avail: float, n: int, widest: float) -> tuple[float, float]:
    """The loop strip's chip width and slot (a chip and the arrow after it) for ``n`` pillars
    and the dashed chip back to the first in ``avail`` px after the title: a chip 62 % of its
    slot, or as wide as the widest name needs (the arrows shorter)."""
    chip = max(0.62 * avail / (n + 0.62), widest + 10)
    return chip, (avail - chip) / max(1, n)


def _tint(color: str, amount: float) -> QColor:
    """``color`` mixed with white: ``amount`` of the colour."""
    c = QColor(color)
    mix = lambda v: int(255 - (255 - v) * amount)  # noqa: E731
    return QColor(mix(c.red()), mix(c.green()), mix(c.blue()))


_WIDTHS: dict[tuple, float] = {}


def _min_width(fm: QFontMetricsF, text: str) -> float:
    """The narrowest width ``text`` wraps into: its longest word (any character in Chinese)."""
    key = (fm.height(), fm.averageCharWidth(), text)
    w = _WIDTHS.get(key)
    if w is None:
        if len(_WIDTHS) > 20_000:
            _WIDTHS.clear()
        w = _WIDTHS[key] = fm.boundingRect(QRectF(0, 0, 1, 1e5), WRAP, text).width()
    return w


_HEIGHTS: dict[tuple, float] = {}


def _height(fm: QFontMetricsF, width: float, text: str) -> float:
    """The height of ``text`` wrapped to ``width`` (measured once per font, width and text)."""
    if not text:
        return 0.0
    key = (fm.height(), fm.averageCharWidth(), int(width), text)
    h = _HEIGHTS.get(key)
    if h is None:
        if len(_HEIGHTS) > 50_000:
            _HEIGHTS.clear()
        h = _HEIGHTS[key] = fm.boundingRect(QRectF(0, 0, int(width), 1e5), WRAP, text).height()
    return h


@dataclass(frozen=True)
class Spacing:
    """The room around the board's texts, in scene units: ``normal`` where the board has it,
    ``tight`` (before it is short of room at its floor size, e.g. a 1280x720 projector) a few
    pixels less around every text; the text sizes are the same."""

    margin: float                # round the whole board
    pad: float                   # inside a node, round its text
    col_gap: float
    row_gap: float
    pip_h: float                 # a build step's pip
    chip_pad: float              # a loop chip's height over its text's
    strip_top: float             # the loop strip: above its chips, and between them and the labels
    gap: float                   # under the loop strip, under the pillar headers, under the last row
    header_pad: float            # a pillar header's height over its text's
    back_step: float             # space under the board per backward edge

    @staticmethod
    def normal(px: int) -> Spacing:
        return Spacing(margin=6.0, pad=max(5.0, round(px * 0.4)), col_gap=max(10.0, round(px * 0.8)),
                       row_gap=max(8.0, round(px * 0.5)), pip_h=max(7.0, round(px * 0.5)),
                       chip_pad=8.0, strip_top=4.0, gap=8.0, header_pad=6.0, back_step=16.0)

    @staticmethod
    def tight() -> Spacing:
        return Spacing(margin=3.0, pad=4.0, col_gap=8.0, row_gap=6.0, pip_h=7.0, chip_pad=4.0, strip_top=2.0,
                       gap=4.0, header_pad=2.0, back_step=12.0)


@dataclass
class BoardLayout:
    """Where everything of a board goes, in scene units (pixels unless ``scale`` < 1)."""

    px: int                      # node names (bold), pillar headers, loop chips
    small_px: int                # node states, loop link labels
    rows: int                    # rows per column
    width: float
    height: float
    scale: float                 # the view's scale: 1 when it fits, less when it cannot
    node_h: float
    node_w: dict[str, float]
    pos: dict[str, QPointF]
    col_of: dict[str, int]
    bands: dict[str, QRectF]     # each pillar's header
    strip_h: float
    bottom: float                # the lowest node's bottom edge
    col_gap: float
    row_gap: float
    spacing: Spacing
    short: bool = False          # short state lines ("2 × 4.0") where the full ones do not fit
    short_names: bool = False    # the capabilities' short labels where their names do not fit

    def key(self) -> tuple:
        return (self.px, self.small_px, self.rows, round(self.width), round(self.height),
                round(self.node_h), self.scale, self.short, self.short_names, self.spacing)


def state_text(rules, ui: UiTexts, lang: str, cap, st: str, k: int, cost: float, short: bool) -> str:
    """A node's state line: "Can build: 2 steps × 4.0 bn yuan", or ``short`` "2 × 4.0"."""
    if st == "built":
        return ui.t("node.built", lang)
    if st == "locked":
        return ui.t("node.locked", lang)
    money = format_money(rules, cost, lang, unit=not short)
    if st == "in_progress":
        return ui.t("node.in_progress_short" if short else "node.in_progress", lang, k=k,
                    n=cap.work, cost=money)
    steps = ui.t("node.step_one" if cap.work == 1 else "node.step_many", lang)
    return ui.t("node.available_short" if short else "node.available", lang, cost=money,
                n=cap.work, steps=steps)


def _state_samples(rules, ui: UiTexts, lang: str, cap, short: bool = False) -> list[str]:
    """The longest texts a node's state line can show (a large price), to lay it out for."""
    return [state_text(rules, ui, lang, cap, st, max(0, cap.work - 1), 888.8, short)
            for st in ("available", "in_progress", "locked", "built")]


_PLANS: dict[tuple, BoardLayout] = {}


def plan_board(rules, ui: UiTexts, lang: str, width: float, height: float, floor: int, top: int,
               loop: tuple[str, ...] = ()) -> BoardLayout:
    """:func:`_plan_board`, once per size: the three boards of a game share their layout."""
    key = (id(rules), id(ui), lang, round(width), round(height), floor, top, tuple(loop))
    plan = _PLANS.get(key)
    if plan is None:
        if len(_PLANS) > 256:
            _PLANS.clear()
        plan = _PLANS[key] = _plan_board(rules, ui, lang, round(width), round(height), floor, top, loop)
    return plan


def _plan_board(rules, ui: UiTexts, lang: str, width: float, height: float, floor: int, top: int,
                loop: tuple[str, ...] = ()) -> BoardLayout:
    """Lay a board out for a ``width`` x ``height`` view: the largest text from ``top`` down to
    ``floor`` px with which every name and state line fits its node and the whole board the
    view; the most rows per column that does. Where nothing fits at ``floor``, the board gives
    up room in steps, each tried from ``top`` down before the next: short state lines, then
    tight spacing, then the capabilities' short labels (their full names stay in the tooltips).
    If even that does not fit at ``floor``, the layout that needs the least scaling down, with
    that scale."""
    g = rules.graph
    topo = {g.ids[k]: n for n, k in enumerate(g.topological_order)}
    pillars = sorted((p for p in rules.pillars.values()
                      if any(c.pillar == p.id for c in rules.capabilities)), key=lambda p: p.order)
    caps = {p.id: sorted((c for c in rules.capabilities if c.pillar == p.id), key=lambda c: topo[c.id])
            for p in pillars}
    tallest = max(len(v) for v in caps.values())
    row_options = sorted({tallest, min(tallest, 3), min(tallest, 2)}, reverse=True)
    full_names = {c.id: c.name.get(lang) for c in rules.capabilities}
    short_names = {c.id: c.short.get(lang) for c in rules.capabilities}
    heads = {p.id: p.name.get(lang) for p in pillars}
    edges = list(g.digraph.edges())
    links = [ui.t("board.link_done", lang), ui.t("board.link_blocked", lang),
             ui.t("board.link_missing", lang, cost=format_money(rules, 88.8, lang))]
    chips = [rules.pillars[p].name.get(lang) for p in loop]
    chips += [f"→ {chips[0]}"] if chips else []
    longest = max((c.name.get(lang) for c in rules.companies.values()), key=len, default="")
    links.append(f"{longest} · " + ui.t("board.loop_title", lang, done=6, total=6))   # the title
    samples = {short: {c.id: _state_samples(rules, ui, lang, c, short) for c in rules.capabilities}
               for short in (False, True)}
    # (short state lines, tight spacing, short labels): each step gives up a little more, and
    # only where the one before does not fit at any size down to the floor
    steps = ((False, False, False), (True, False, False), (True, True, False), (True, True, True))
    for short, tight, short_labels in steps:
        if short_labels and short_names == full_names:
            continue
        args = (rules, pillars, caps, short_names if short_labels else full_names, samples[short],
                heads, edges, links, chips)
        for px in range(top, floor - 1, -1):
            for rows in row_options:
                plan = _try_layout(*args, px, floor, rows, width, height, tight=tight)
                if plan is not None:
                    plan.short, plan.short_names = short, short_labels
                    return plan
    # Nothing fits 1:1 even so: lay out for a larger view at the floor with every step taken and
    # scale it down to fit; the smallest step down (largest scale) that fits, whatever the rows.
    short, tight, short_labels = steps[-1]
    args = (rules, pillars, caps, short_names, samples[short], heads, edges, links, chips)
    best: BoardLayout | None = None
    for rows in row_options:
        lo, hi = 0.2, 1.0           # scale lo fits (checked below), hi does not
        plan = _try_layout(*args, floor, floor, rows, width / lo, height / lo, tight=tight)
        if plan is None:
            continue
        for _ in range(7):
            mid = (lo + hi) / 2
            trial = _try_layout(*args, floor, floor, rows, width / mid, height / mid, tight=tight)
            if trial is None:
                hi = mid
            else:
                lo, plan = mid, trial
        plan.scale = lo
        if best is None or plan.scale > best.scale + 0.01:
            best = plan
    if best is None:       # not even at a fifth: whatever the natural layout is, scaled
        best = _try_layout(*args, floor, floor, row_options[-1], 1e5, 1e5, tight=tight)
        assert best is not None
        best.scale = min(width / best.width, height / best.height)
    best.short, best.short_names = short, short_labels
    return best


def _try_layout(rules, pillars, caps, names, samples, heads, edges, links, chips, px: int, floor: int, rows: int,
                width: float, height: float, tight: bool = False) -> BoardLayout | None:
    small = max(floor, px - 2)
    name_fm, state_fm = QFontMetricsF(_font(px, True)), QFontMetricsF(_font(small))
    head_fm = QFontMetricsF(_font(px, True))
    sp = Spacing.tight() if tight else Spacing.normal(px)
    pad, col_gap, row_gap, pip_h = sp.pad, sp.col_gap, sp.row_gap, sp.pip_h
    columns: list[tuple[str, list]] = []            # (pillar, its capabilities in this column)
    for p in pillars:
        cs = caps[p.id]
        for i in range(0, len(cs), rows):
            columns.append((p.id, cs[i:i + rows]))
    col_of = {c.id: i for i, (_, cs) in enumerate(columns) for c in cs}
    need = []
    for pid, cs in columns:
        w = max(max(_min_width(name_fm, names[c.id]), *(_min_width(state_fm, t) for t in samples[c.id]))
                for c in cs) + 2 * pad
        if sum(1 for q, _ in columns if q == pid) == 1:
            w = max(w, head_fm.horizontalAdvance(heads[pid]) + 16)
        need.append(w)
    n_cols = len(columns)
    gaps = col_gap * (n_cols - 1) + 2 * sp.margin + 12
    slack = width - gaps - sum(need)
    if slack < 0:
        return None
    used_rows = max(len(cs) for _, cs in columns)
    backs = sum(1 for u, v in edges if col_of[u] - col_of[v] >= 2)
    chip_h = name_fm.lineSpacing() + sp.chip_pad
    # the loop strip's link labels: on one line where they fit their slot, else on two
    title_w = name_fm.horizontalAdvance(links[-1]) + 12
    # the loop's chips: every pillar's name whole, with room for the arrows between them
    widest = max((name_fm.horizontalAdvance(c) for c in chips), default=0.0)
    chip_w, slot = strip_slots(width - 2 * sp.margin - title_w, max(1, len(chips) - 1), widest)
    if chips and slot - chip_w < STRIP_ARROW:
        return None
    slot -= 4
    bold_fm = QFontMetricsF(_font(small, True))          # a missing link's label is bold
    label_w = max(state_fm.horizontalAdvance(links[0]), *(bold_fm.horizontalAdvance(t) for t in links[1:-1]))
    label_lines = 1 if label_w <= slot else 2
    strip_h = sp.strip_top + chip_h + sp.strip_top + label_lines * state_fm.lineSpacing() + 2
    header_h = head_fm.lineSpacing() + sp.header_pad
    top = sp.margin + strip_h + sp.gap
    fixed = (top + header_h + sp.gap + (used_rows - 1) * row_gap + sp.gap * 0.75
             + sp.back_step * backs + sp.gap + sp.margin)
    most_h = (height - fixed) / used_rows          # the tallest a node may be
    if most_h <= 0:
        return None

    def node_height(c, w: float) -> float:
        """A node's height at width ``w``: its name, its longest state line, the build pips."""
        inner = w - 2 * pad
        state_h = max(_height(state_fm, inner, t) for t in samples[c.id])
        pips = pip_h + 2 if c.work > 1 else 0.0
        return _height(name_fm, inner, names[c.id]) + state_h + pips + 2 * pad + 2

    # each column as narrow as lets its nodes fit the height; the width left is shared out
    widths = []
    budget = slack
    for (_, cs), w in zip(columns, need):
        if max(node_height(c, w) for c in cs) > most_h:
            lo, hi = w, w + budget          # lo too narrow; hi: all the slack there is
            if max(node_height(c, hi) for c in cs) > most_h:
                return None
            while hi - lo > 2:
                mid = (lo + hi) / 2
                if max(node_height(c, mid) for c in cs) > most_h:
                    lo = mid
                else:
                    hi = mid
            budget -= hi - w
            w = hi
        widths.append(w)
    if budget < 0:
        return None
    widths = [w + budget / n_cols for w in widths]
    node_h = max(node_height(c, w) for (_, cs), w in zip(columns, widths) for c in cs)
    rest = fixed + used_rows * node_h
    if rest > height + 0.5:
        return None
    # the room left makes the nodes taller (easier to hit), up to half again
    node_h += min(node_h * 0.5, (height - rest) / used_rows)
    total_w, total_h = width, height
    pos: dict[str, QPointF] = {}
    bands: dict[str, QRectF] = {}
    node_w: dict[str, float] = {}
    x = sp.margin + 6
    y0 = top + header_h + sp.gap
    for (pid, cs), w in zip(columns, widths):
        for r, c in enumerate(cs):
            pos[c.id] = QPointF(x, y0 + r * (node_h + row_gap))
            node_w[c.id] = w
        band = QRectF(x - 5, top, w + 10, header_h)
        bands[pid] = bands[pid].united(band) if pid in bands else band
        x += w + col_gap
    bottom = y0 + used_rows * node_h + (used_rows - 1) * row_gap
    return BoardLayout(px=px, small_px=small, rows=rows, width=total_w, height=total_h, scale=1.0,
                       node_h=node_h, node_w=node_w, pos=pos, col_of=col_of, bands=bands,
                       strip_h=strip_h, bottom=bottom, col_gap=col_gap, row_gap=row_gap, spacing=sp)


@dataclass
class NodeLook:
    """What a node shows: set by the board from the state, painted by :class:`NodeItem`."""

    name: str = ""               # the full name: the tooltip's, a screen reader's
    label: str = ""              # the name on the node: the full one or its short label
    state: str = "locked"
    state_text: str = ""
    progress: int = 0
    work: int = 1
    on_plan: bool = False
    selected: bool = False
    buildable: bool = False
    focused: bool = False


class NodeItem(QGraphicsObject):
    """One capability on one company's board."""

    clicked = Signal(str)
    hovered = Signal(str)

    def __init__(self, cap_id: str, pillar_color: str, w: float = 164.0, h: float = 78.0,
                 font_px: float = FONT_PX, small_px: float | None = None):
        super().__init__()
        self.w, self.h, self.font_px = w, h, font_px
        self.small_px = small_px if small_px is not None else max(MIN_TEXT_PX, font_px - 2)
        self.name_font, self.state_font = _font(font_px, True), _font(self.small_px)
        self.spacing = Spacing.normal(int(font_px))
        self.cap_id = cap_id
        self.pillar_color = QColor(pillar_color)
        self.look = NodeLook()
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue(2)
        # drawn once into a pixmap, again only when its look changes (update()): a repaint of
        # the board, e.g. its tab shown, copies the pixmap instead of wrapping text again
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def boundingRect(self) -> QRectF:
        return QRectF(-6, -6, self.w + 12, self.h + 12)

    def set_geometry(self, w: float, h: float, font_px: float, small_px: float,
                     spacing: Spacing | None = None) -> None:
        """A new layout: size, text sizes and the room round the text."""
        spacing = spacing or Spacing.normal(int(font_px))
        if (w, h, font_px, small_px, spacing) == (self.w, self.h, self.font_px, self.small_px, self.spacing):
            return
        self.prepareGeometryChange()
        self.w, self.h, self.font_px, self.small_px, self.spacing = w, h, font_px, small_px, spacing
        self.name_font, self.state_font = _font(font_px, True), _font(small_px)
        self.update()

    def set_look(self, look: NodeLook) -> None:
        if look == self.look:
            return                      # nothing changed: no repaint
        if look.buildable != self.look.buildable:
            self.setCursor(Qt.CursorShape.PointingHandCursor if look.buildable
                           else Qt.CursorShape.ArrowCursor)
        self.look = look
        self.update()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        lk = self.look
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(0, 0, self.w, self.h)
        fill = self.pillar_color if lk.state == "built" else QColor(STATE_FILL[lk.state])
        txt = text_on(fill) if lk.state == "built" else QColor(STATE_TEXT[lk.state])
        if lk.state == "locked":
            pen = QPen(QColor("#9A9A9A"), 1.5, Qt.PenStyle.DotLine)
        elif lk.state == "available":
            pen = QPen(self.pillar_color.darker(120), 3)
        else:
            pen = QPen(self.pillar_color.darker(140), 2)
        if lk.selected:
            pen = QPen(QColor("#111111"), 4)
        painter.setPen(pen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 8, 8)
        if lk.on_plan and lk.state != "built":
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(PLAN_COLOR), 3, Qt.PenStyle.DashLine))
            painter.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), 10, 10)
        if lk.focused:     # the keyboard's node: a blue ring outside everything else
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(FOCUS_COLOR), 3))
            painter.drawRoundedRect(rect.adjusted(-5, -5, 5, 5), 11, 11)
        pad = self.spacing.pad
        # progress pips for multi-step builds
        pip_h = 0.0
        if lk.work > 1 and lk.state != "built":
            pip_h = self.spacing.pip_h + 2
            w = (self.w - 2 * pad - (lk.work - 1) * 4) / lk.work
            for i in range(lk.work):
                r = QRectF(pad + i * (w + 4), self.h - pad - pip_h + 2, w, pip_h - 3)
                painter.setPen(QPen(self.pillar_color.darker(130), 1))
                painter.setBrush(self.pillar_color if i < lk.progress else QColor("#FFFFFF"))
                painter.drawRect(r)
        # name (wrapped) and state line, in the sizes the board was laid out for
        painter.setPen(txt)
        inner = self.w - 2 * pad
        sfm = QFontMetricsF(self.state_font)
        state_h = _height(sfm, inner, lk.state_text)
        name_rect = QRectF(pad, pad, inner, self.h - 2 * pad - state_h - pip_h)
        painter.setFont(self.name_font)
        painter.drawText(name_rect, WRAP, lk.label or lk.name)
        painter.setFont(self.state_font)
        state_rect = QRectF(pad, self.h - pad - state_h - pip_h, inner, state_h)
        painter.drawText(state_rect, WRAP, lk.state_text)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.boundingRect().contains(event.pos()):
            self.clicked.emit(self.cap_id)
        super().mouseReleaseEvent(event)

    def hoverEnterEvent(self, event) -> None:
        self.hovered.emit(self.cap_id)
        super().hoverEnterEvent(event)


class _LoopStrip(QGraphicsItem):
    """The loop, pillar by pillar, with each link marked done or missing in words."""

    def __init__(self, width: float, h: float, font_px: float = FONT_PX,
                 small_px: float | None = None):
        super().__init__()
        self.h, self.font_px = h, font_px
        self.small_px = small_px if small_px is not None else max(MIN_TEXT_PX, font_px - 2)
        self.width = width
        self.spacing = Spacing.normal(int(font_px))
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)   # see NodeItem
        self.chips: list[tuple[str, str]] = []        # (name, colour)
        self.links: list[tuple[bool, str]] = []       # (done, label)
        self.title = ""

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.width, self.h)

    def set_geometry(self, width: float, h: float, font_px: float, small_px: float,
                     spacing: Spacing | None = None) -> None:
        self.prepareGeometryChange()
        self.width, self.h, self.font_px, self.small_px = width, h, font_px, small_px
        self.spacing = spacing or Spacing.normal(int(font_px))
        self.update()

    def set_content(self, title: str, chips: list, links: list) -> None:
        if (title, chips, links) != (self.title, self.chips, self.links):
            self.title, self.chips, self.links = title, chips, links
            self.update()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if not self.chips:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        n = len(self.chips)
        tf = _font(self.font_px, True)
        title_w = QFontMetricsF(tf).horizontalAdvance(self.title) + 12
        painter.setFont(tf)
        painter.setPen(QColor("#222222"))
        fm = QFontMetricsF(tf)
        ch = fm.lineSpacing() + self.spacing.chip_pad
        y0 = self.spacing.strip_top
        painter.drawText(QRectF(0, y0, title_w, ch), int(Qt.AlignmentFlag.AlignVCenter), self.title)
        name0, color0 = self.chips[0]
        widest = max(fm.horizontalAdvance(t) for t in [f"→ {name0}", *(c for c, _ in self.chips)])
        chip_w, slot = strip_slots(self.width - title_w, n, widest)
        # back to the first pillar: the strip reads as a loop
        r = QRectF(title_w + n * slot, y0, chip_w, ch)
        painter.setPen(QPen(QColor(color0).darker(140), 1.5, Qt.PenStyle.DashLine))
        painter.setBrush(_tint(color0, 0.35))
        painter.drawRoundedRect(r, 6, 6)
        painter.setFont(tf)
        painter.setPen(QColor("#222222"))
        painter.drawText(r, int(Qt.AlignmentFlag.AlignCenter),
                         fm.elidedText("→ " + name0, Qt.TextElideMode.ElideRight, chip_w - 6))
        lf = _font(self.small_px)
        for i, (name, color) in enumerate(self.chips):
            x = title_w + i * slot
            r = QRectF(x, y0, chip_w, ch)
            painter.setPen(QPen(QColor(color).darker(140), 1.5))
            painter.setBrush(QColor(color))
            painter.drawRoundedRect(r, 6, 6)
            painter.setPen(text_on(color))
            painter.setFont(tf)
            painter.drawText(r, int(Qt.AlignmentFlag.AlignCenter),
                             fm.elidedText(name, Qt.TextElideMode.ElideRight, chip_w - 6))
            done, label = self.links[i]
            ax0, ax1 = x + chip_w + 3, x + slot - 3
            ay = y0 + ch / 2
            col = QColor(DONE_COLOR if done else MISSING_COLOR)
            pen = QPen(col, 3 if done else 2.5,
                       Qt.PenStyle.SolidLine if done else Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(ax0, ay), QPointF(ax1 - 8, ay))
            painter.setBrush(col)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawPolygon(QPolygonF([QPointF(ax1, ay), QPointF(ax1 - 10, ay - 6),
                                           QPointF(ax1 - 10, ay + 6)]))
            lf.setBold(not done)
            lfm = QFontMetricsF(lf)        # measured as drawn: bold where missing
            painter.setFont(lf)
            painter.setPen(col)
            lw = slot - 4
            below = y0 + ch + self.spacing.strip_top - 1
            box = QRectF(x + chip_w / 2 + slot / 2 - lw / 2, below, lw, self.h - below)
            shown = label
            if lfm.boundingRect(QRectF(0, 0, lw, 1e5), WRAP, label).height() > box.height() + 0.5:
                shown = lfm.elidedText(label, Qt.TextElideMode.ElideRight, lw * 2 - 8)
            painter.drawText(box, WRAP, shown)


class _LastMoveMark(QGraphicsObject):
    """A ring round the node a searching computer built last (drawn above the node, never
    taking a click or a hover from it)."""

    PAD = 7.0

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("lastMoveMark")
        self.ring = QRectF()
        self.setZValue(3)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self.hide()

    def boundingRect(self) -> QRectF:
        return self.ring.adjusted(-3, -3, 3, 3)

    def set_node(self, node: QGraphicsItem | None) -> None:
        if node is None:
            self.hide()
            return
        w, h = getattr(node, "w", 0.0), getattr(node, "h", 0.0)
        rect = QRectF(node.pos().x() - self.PAD, node.pos().y() - self.PAD, w + 2 * self.PAD,
                      h + 2 * self.PAD)
        if rect != self.ring:
            self.prepareGeometryChange()
            self.ring = rect
        self.show()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(LAST_MOVE_COLOR), 3.5))
        painter.drawRoundedRect(self.ring, 12, 12)


class BoardScene(QGraphicsScene):
    """The capability graph of one company, laid out for the size it is shown at.

    :meth:`fit_to` lays the board out in the view's own pixels (the view does not scale it):
    the largest text size between the floor and the top that fits, in pillar columns of up to
    five, three or two rows (a tall pillar takes two or three columns side by side), so on a
    wide, low laptop board the nodes sit in fewer rows and keep their text readable. Only when
    nothing fits at the floor is the board drawn at its natural size and scaled down to fit.
    """

    nodeClicked = Signal(str, str)   # company id, capability id
    nodeHovered = Signal(str, str)
    nodeActivated = Signal(str, str)  # Enter or Space on the keyboard's node

    def __init__(self, rules, ui: UiTexts, company_id: str, loop: tuple[str, ...], parent=None,
                 zoom: float = 1.0, lang: str = "zh"):
        super().__init__(parent)
        self.rules, self.ui, self.company_id, self.loop = rules, ui, company_id, loop
        self.lang = lang
        self.setObjectName(f"boardScene_{company_id}")
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[tuple[str, str], QGraphicsPathItem] = {}
        # kept here, not in QGraphicsItem.setData: PySide6 6.12 miscounts references there
        self.edge_kind: dict[tuple[str, str], str] = {}
        self.selected: str | None = None
        self.focused: str | None = None          # the keyboard's node (arrow keys)
        self.title_company = False
        self._dirty = False
        self.zoom = max(0.5, float(zoom))
        self.floor_px, self.top_px = text_range(self.zoom)
        self.shown_size = (1000.0, 560.0)
        self.plan: BoardLayout | None = None
        self._last: tuple | None = None           # (state, lang, is_turn) of the last refresh
        self.last_move: str | None = None         # the node a searching computer built last
        self.last_move_mark = _LastMoveMark()
        self.addItem(self.last_move_mark)
        self.strip: _LoopStrip
        self._relayout()

    # -------------------------------------------------------------- sizes

    @property
    def font_px(self) -> float:
        """The node names' text size in scene units (times the view's scale: on screen)."""
        return self.plan.px if self.plan else FONT_PX

    def set_zoom(self, zoom: float) -> None:
        """Text sizes for ``zoom`` (the window's); the board is laid out again at the next
        :meth:`fit_to` (its view's, once the window has its new layout)."""
        if abs(zoom - self.zoom) < 1e-9:
            return
        self.zoom = max(0.5, float(zoom))
        self.floor_px, self.top_px = text_range(self.zoom)
        self._dirty = True

    def set_language(self, lang: str) -> None:
        if lang != self.lang:
            self.lang = lang
            self._relayout()

    def fit_to(self, width: float, height: float) -> None:
        """Lay the board out for a view of ``width`` x ``height`` pixels."""
        size = (max(50.0, float(width)), max(50.0, float(height)))
        if abs(size[0] - self.shown_size[0]) < 0.5 and abs(size[1] - self.shown_size[1]) < 0.5 \
                and not self._dirty:
            return
        self.shown_size = size
        self._relayout()

    def _relayout(self) -> None:
        self._dirty = False
        plan = plan_board(self.rules, self.ui, self.lang, self.shown_size[0], self.shown_size[1],
                          self.floor_px, self.top_px, self.loop)
        if self.plan is not None and plan.key() == self.plan.key():
            return
        self.plan = plan
        if not self.nodes:
            self._make_items()
        self._place_items()
        if self._last is not None:
            self.refresh(*self._last)

    # -------------------------------------------------------------- layout

    def _make_items(self) -> None:
        """Every item of the board, once: a new layout moves and resizes them (an item is
        never deleted under a click that is being delivered to it)."""
        rules = self.rules
        self.strip = _LoopStrip(100.0, 50.0)
        self.addItem(self.strip)
        self.headers = {}
        self.bands: dict[str, tuple] = {}
        assert self.plan is not None
        for pid in self.plan.bands:
            p = rules.pillars[pid]
            body = self.addRect(QRectF(), QPen(Qt.PenStyle.NoPen), QBrush(_tint(p.color, 0.14)))
            body.setZValue(-2)
            head = self.addRect(QRectF(), QPen(Qt.PenStyle.NoPen), QBrush(QColor(p.color)))
            head.setZValue(-1)
            label = self.addSimpleText("")
            label.setBrush(text_on(p.color))
            label.setZValue(0)
            self.bands[pid] = (body, head)
            self.headers[pid] = (label, QRectF())
        for c in rules.capabilities:
            item = NodeItem(c.id, rules.pillars[c.pillar].color)
            item.clicked.connect(lambda cid: self.nodeClicked.emit(self.company_id, cid))
            item.hovered.connect(lambda cid: self.nodeHovered.emit(self.company_id, cid))
            self.addItem(item)
            self.nodes[c.id] = item
        for u, v, data in rules.graph.digraph.edges(data=True):
            edge = QGraphicsPathItem()
            self.edge_kind[(u, v)] = data.get("kind", "all")
            self.addItem(edge)
            self.edges[(u, v)] = edge

    def _place_items(self) -> None:
        plan = self.plan
        assert plan is not None
        self.pos = plan.pos
        self.columns = plan.col_of
        self.bottom = plan.bottom
        margin = plan.spacing.margin
        self.strip.set_geometry(plan.width - 2 * margin, plan.strip_h, plan.px, plan.small_px, plan.spacing)
        self.strip.setPos(margin, margin)
        for pid, band in plan.bands.items():
            body, head = self.bands[pid]
            body.setRect(QRectF(band.x(), band.y(), band.width(), plan.bottom - band.y() + 6))
            head.setRect(band)
            label = self.headers[pid][0]
            label.setFont(_font(plan.px, True))
            self.headers[pid] = (label, band)
            br = label.boundingRect()
            label.setPos(band.center().x() - br.width() / 2, band.center().y() - br.height() / 2)
        for cap_id, item in self.nodes.items():
            item.set_geometry(plan.node_w[cap_id], plan.node_h, plan.px, plan.small_px, plan.spacing)
            item.setPos(plan.pos[cap_id])
        back = 0
        for (u, v), edge in self.edges.items():
            path, is_back = self._edge_path(u, v, back)
            back += is_back
            edge.setPath(path)
        self.setSceneRect(QRectF(0, 0, plan.width, plan.height))
        self.last_move_mark.set_node(self.nodes.get(self.last_move) if self.last_move else None)

    def _edge_path(self, u: str, v: str, back: int) -> tuple[QPainterPath, int]:
        plan = self.plan
        assert plan is not None
        pu, pv = plan.pos[u], plan.pos[v]
        wu, wv, h = plan.node_w[u], plan.node_w[v], plan.node_h
        cu, cv = plan.col_of[u], plan.col_of[v]
        gap = plan.col_gap
        path = QPainterPath()
        if cv > cu:
            a = QPointF(pu.x() + wu, pu.y() + h / 2)
            b = QPointF(pv.x(), pv.y() + h / 2)
            dx = max(gap, (b.x() - a.x()) / 2)
            path.moveTo(a)
            path.cubicTo(QPointF(a.x() + dx, a.y()), QPointF(b.x() - dx, b.y()), b)
            self._arrow(path, b, QPointF(b.x() - 10, b.y()))
            return path, 0
        if cv == cu:
            a = QPointF(pu.x() + wu - 20, pu.y() + h)
            b = QPointF(pv.x() + wv - 20, pv.y())
            if abs(pv.y() - pu.y()) > h + plan.row_gap + 1:  # skip over nodes between: go round
                a = QPointF(pu.x() + wu, pu.y() + h * 0.7)
                b = QPointF(pv.x() + wv, pv.y() + h * 0.3)
                path.moveTo(a)
                path.cubicTo(QPointF(a.x() + gap * 0.8, a.y()), QPointF(b.x() + gap * 0.8, b.y()), b)
                self._arrow(path, b, QPointF(b.x() + 10, b.y()))
                return path, 0
            path.moveTo(a)
            path.lineTo(b)
            self._arrow(path, b, QPointF(b.x(), b.y() - 10))
            return path, 0
        if cu - cv == 1:  # one column back: a short hook through the gap between the columns
            a = QPointF(pu.x(), pu.y() + h * 0.75)
            b = QPointF(pv.x() + wv, pv.y() + h * 0.5)
            path.moveTo(a)
            path.cubicTo(QPointF(a.x() - gap, a.y()), QPointF(b.x() + gap, b.y()), b)
            self._arrow(path, b, QPointF(b.x() + 10, b.y()))
            return path, 0
        # backward: under the board
        a = QPointF(pu.x() + wu / 2, pu.y() + h)
        b = QPointF(pv.x() + wv / 2 + 20, pv.y() + h)
        y = plan.bottom + plan.spacing.back_step * (back + 1)
        path.moveTo(a)
        path.cubicTo(QPointF(a.x(), y), QPointF(a.x() - 40, y), QPointF((a.x() + b.x()) / 2, y))
        path.cubicTo(QPointF(b.x() + 40, y), QPointF(b.x(), y), b)
        self._arrow(path, b, QPointF(b.x(), b.y() + 10))
        return path, 1

    @staticmethod
    def _arrow(path: QPainterPath, tip: QPointF, base: QPointF) -> None:
        d = tip - base
        length = (d.x() ** 2 + d.y() ** 2) ** 0.5 or 1.0
        ux, uy = d.x() / length, d.y() / length
        left = QPointF(tip.x() - 9 * ux + 5 * uy, tip.y() - 9 * uy - 5 * ux)
        right = QPointF(tip.x() - 9 * ux - 5 * uy, tip.y() - 9 * uy + 5 * ux)
        path.moveTo(left)
        path.lineTo(tip)
        path.lineTo(right)

    # -------------------------------------------------------------- refresh from state

    def refresh(self, state, lang: str, is_turn: bool) -> None:
        """Set every node, edge and the loop strip from ``state``; only what changed repaints."""
        if lang != self.lang:
            self.lang = lang
            self._last = None
            self._relayout()
        self._last = (state, lang, is_turn)
        rules, ui, cid = self.rules, self.ui, self.company_id
        cs = state.company(cid)
        status = state.loop_status(cid)
        plan = set(app_path(state, cid))   # the loop's cheapest plan, then the app's needs
        for pid, (label, rect) in self.headers.items():
            name = rules.pillars[pid].name.get(lang)
            if label.text() != name:
                label.setText(name)
                br = label.boundingRect()
                label.setPos(rect.center().x() - br.width() / 2, rect.center().y() - br.height() / 2)
        build = self._build_action_id()
        for cap in rules.capabilities:
            k = cap.index
            st = state.node_state(cid, cap.id)
            short = self.plan.short if self.plan is not None else False
            labels = self.plan.short_names if self.plan is not None else False
            cost = build_step_cost(state, cid, k) if st in ("available", "in_progress") else 0.0
            text = state_text(rules, ui, lang, cap, st, cs.progress[k], cost, short)
            reason = state.why_illegal(Action(build, cap.id)) if is_turn and st != "built" else None
            buildable = is_turn and st != "built" and reason is None
            node = self.nodes[cap.id]
            node.set_look(NodeLook(
                name=cap.name.get(lang), label=(cap.short if labels else cap.name).get(lang),
                state=st, state_text=text, progress=cs.progress[k],
                work=cap.work, on_plan=cap.id in plan, selected=cap.id == self.selected,
                buildable=buildable, focused=cap.id == self.focused))
            full = state_text(rules, ui, lang, cap, st, cs.progress[k], cost, False) if short else text
            tip = self._tooltip(state, cap, st, full, lang, is_turn, reason)
            if node.toolTip() != tip:
                node.setToolTip(tip)
        looks = {}
        for (u, v) in self.edges:
            both = cs.is_built(rules.capability_index(u)) and cs.is_built(rules.capability_index(v))
            style = Qt.PenStyle.DashLine if self.edge_kind[(u, v)] == "any" else Qt.PenStyle.SolidLine
            looks[(u, v)] = (QPen(QColor("#555555" if both else "#A8A8A8"), 1.6 if both else 1.2, style), 1.0)
        for link in status.links:
            if link.via is None or tuple(link.via) not in self.edges:
                continue
            if link.done:
                pen = QPen(QColor(DONE_COLOR), 5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
            else:
                pen = QPen(QColor(MISSING_COLOR), 3.5, Qt.PenStyle.DashLine, Qt.PenCapStyle.RoundCap)
            looks[tuple(link.via)] = (pen, 1.5)
        for key, (pen, z) in looks.items():
            item = self.edges[key]
            if item.pen() != pen:
                item.setPen(pen)
            if item.zValue() != z:
                item.setZValue(z)
        links = []
        for link in status.links:
            if link.done:
                words = ui.t("board.link_done", lang)
            elif link.via is None:
                words = ui.t("board.link_blocked", lang)
            else:
                words = ui.t("board.link_missing", lang, cost=format_money(rules, link.cost, lang))
            links.append((link.done, words))
        title = ui.t("board.loop_title", lang, done=status.done, total=len(status.links))
        if self.title_company:
            title = f"{rules.companies[cid].name.get(lang)} · {title}"
        self.strip.set_content(
            title,
            [(rules.pillars[p].name.get(lang), rules.pillars[p].color) for p in self.loop], links)

    # -------------------------------------------------------------- keyboard focus

    def set_focused(self, cap_id: str | None) -> None:
        """Put the keyboard's ring on ``cap_id`` (None: no ring)."""
        if cap_id == self.focused:
            return
        old, self.focused = self.focused, cap_id
        for c in (old, cap_id):
            if c is not None and c in self.nodes:
                node = self.nodes[c]
                node.set_look(replace(node.look, focused=c == cap_id))

    def neighbour(self, cap_id: str, dx: int, dy: int) -> str | None:
        """The node nearest ``cap_id`` in the direction (dx, dy) (one of them 0, the other ±1):
        the one ahead with the least distance, a step aside counting double."""
        here = self.nodes[cap_id].sceneBoundingRect().center()
        best, best_score = None, float("inf")
        for other, item in self.nodes.items():
            if other == cap_id:
                continue
            c = item.sceneBoundingRect().center()
            ahead = (c.x() - here.x()) * dx + (c.y() - here.y()) * dy
            aside = abs((c.x() - here.x()) * dy) + abs((c.y() - here.y()) * dx)
            if ahead <= 1:
                continue
            score = ahead + 2 * aside
            if score < best_score:
                best, best_score = other, score
        return best

    def set_title_company(self, on: bool) -> None:
        """Name the company in the loop strip (when no tab says whose board this is)."""
        if on != self.title_company:
            self.title_company = on
            if self._last is not None:
                self.refresh(*self._last)

    def _build_action_id(self) -> str:
        if not hasattr(self, "_build_id"):
            self._build_id = next(a.id for a in self.rules.actions if a.kind == "build")
        return self._build_id

    def _tooltip(self, state, cap, st, text, lang, is_turn, reason=None) -> str:
        ui = self.ui
        lines = [f"<b>{cap.name.get(lang)}</b> — {text}", cap.text.get(lang)]
        if is_turn and st != "built":
            if reason is None:
                lines.append(ui.t("node.click_to_build", lang))
            else:
                lines.append(ui.t("tip.not_now", lang, reason=state.explain(reason, lang)))
        return "<br>".join(lines)

    def select(self, cap_id: str | None) -> None:
        self.selected = cap_id

    def set_last_move(self, cap_id: str | None) -> None:
        """Ring ``cap_id``: the node a searching computer built with its last weighed move
        (None: no ring)."""
        if cap_id is not None and cap_id not in self.nodes:
            cap_id = None
        if cap_id == self.last_move:
            return
        self.last_move = cap_id
        self.last_move_mark.set_node(self.nodes[cap_id] if cap_id is not None else None)


class _Caption(QLabel):
    """One line under the board: a searching computer's reason for its last move, elided to the
    width (the whole line in the tooltip); a double click asks for the top options."""

    doubleClicked = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.line = ""                 # the whole line; the label shows it elided
        self.placeholder = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        # elided to whatever width it gets: its text never widens a layout that hosts it
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._style(muted=True)

    def _style(self, muted: bool) -> None:
        """Dark text for a reason, grey for the placeholder (contrast 7:1 and 4.9:1)."""
        self.muted = muted
        self.setStyleSheet(f"QLabel {{ background: {LAST_MOVE_FILL}; "
                           f"color: {'#5E5A66' if muted else '#1F1633'}; "
                           f"border-left: 4px solid {LAST_MOVE_COLOR}; padding: 0px 6px; }}")

    def set_line(self, line: str, placeholder: str) -> None:
        if (line, placeholder) == (self.line, self.placeholder):
            return
        self.line, self.placeholder = line, placeholder
        self.setToolTip(line)
        self.setAccessibleDescription(line or placeholder)
        self._elide()

    def _elide(self) -> None:
        text = self.line or self.placeholder
        room = max(20, self.width() - 20)
        shown = QFontMetrics(self.font()).elidedText(text, Qt.TextElideMode.ElideRight, room)
        if shown != self.text():
            self.setText(shown)
        if self.muted != (not self.line):
            self._style(muted=not self.line)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._elide()

    def mouseDoubleClickEvent(self, event) -> None:
        if self.line and event.button() == Qt.MouseButton.LeftButton:
            self.doubleClicked.emit()
            event.accept()
            return
        super().mouseDoubleClickEvent(event)


class BoardView(QGraphicsView):
    """Shows a board scene laid out for this view's size (:meth:`BoardScene.fit_to`).

    The layout is made for the view's outer size (``maximumViewportSize``) and no scroll bar
    is ever shown, so a layout cannot change the view's size and a resize cannot set off
    another: the layout has one fixed point and cannot oscillate. The scene is drawn 1:1 (its
    text sizes are the screen's pixels), scaled down only when nothing fits at the floor.
    """

    optionsRequested = Signal()     # the caption's button or a double click on it

    def __init__(self, scene: BoardScene, parent=None):
        super().__init__(scene, parent)
        self.board_scene = scene   # scene() is typed as a plain QGraphicsScene
        self.setObjectName(f"boardView_{scene.company_id}")
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setMouseTracking(True)
        self.setBackgroundBrush(QColor("#FAFAF7"))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setMinimumHeight(150)    # a 1024×768 screen: the action bar needs the rest
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)   # arrow keys move between nodes
        # the band under the board for a searching computer's reason (see set_caption_band);
        # in projector mode the window hosts the caption elsewhere (see set_caption_host)
        cid = scene.company_id
        self.band_on = False
        self.caption_host: QBoxLayout | None = None
        self.caption = _Caption(self)
        self.caption.setObjectName(f"lastMoveCaption_{cid}")
        self.caption.doubleClicked.connect(self.optionsRequested)
        self.options_button = QToolButton(self)
        self.options_button.setObjectName(f"lastMoveOptions_{cid}")
        self.options_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # the arrows stay on the board
        self.options_button.clicked.connect(self.optionsRequested)
        self.caption.hide()
        self.options_button.hide()

    def sizeHint(self) -> QSize:
        # not the scene's size: the board is laid out for the view, not the other way round
        return QSize(640, 360)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 150)

    def fit_scale(self) -> float:
        """The view's scale: 1 where the board is laid out for it, less where it cannot be."""
        plan = self.board_scene.plan
        return plan.scale if plan is not None else 1.0

    # -------------------------------------------------------------- the caption band

    def band_height(self) -> int:
        """The band's height: one line of the caption's text and a little room (0 when off, or
        when the caption is hosted outside the view)."""
        if not self.band_on or self.caption_host is not None:
            return 0
        return QFontMetrics(self.caption.font()).height() + 10

    def set_caption_host(self, host: QBoxLayout | None) -> None:
        """Where the caption and its button are: ``None``, in the band under the board (the
        view's own); a layout elsewhere in the window, which then holds them and the board
        keeps its whole height (projector mode, where the board needs every pixel: under the
        company panels, beside the event card)."""
        if host is self.caption_host:
            return
        self.caption_host = host
        if host is None:
            for w in (self.caption, self.options_button):
                w.setParent(self)            # out of the host's layout, hidden
        else:
            host.addWidget(self.caption, 1)
            host.addWidget(self.options_button)
        self.caption.setVisible(self.band_on)
        self.options_button.setVisible(self.band_on)
        self.fit()

    def set_caption_band(self, on: bool) -> None:
        """Keep a band under the board for the caption (on while a searching computer plays, so
        the board is not laid out again at every move)."""
        if on == self.band_on:
            return
        self.band_on = on
        self.caption.setVisible(on)
        self.options_button.setVisible(on)
        self.fit()

    def set_caption(self, line: str, placeholder: str, options: str, options_tip: str,
                    name: str = "") -> None:
        """The caption's line (empty: ``placeholder``, muted) and its button's words."""
        self.caption.set_line(line, placeholder)
        if name and self.caption.accessibleName() != name:
            self.caption.setAccessibleName(name)
        if self.options_button.text() != options:
            self.options_button.setText(options)
            self.options_button.setToolTip(options_tip)
            self.options_button.setAccessibleName(options)
            self._place_caption()
        self.options_button.setEnabled(bool(line))

    def _place_caption(self) -> None:
        if not self.band_on or self.caption_host is not None:
            return
        band = self.band_height()
        vp = self.viewport().geometry()
        bw = self.options_button.sizeHint().width()
        y = vp.bottom() + 1
        self.options_button.setGeometry(vp.right() - bw, y + 2, bw, band - 4)
        self.caption.setGeometry(vp.left(), y + 2, max(10, vp.width() - bw - 4), band - 4)

    def fit(self) -> None:
        band = self.band_height()
        if self.viewportMargins().bottom() != band:
            self.setViewportMargins(0, 0, 0, band)     # maximumViewportSize() leaves it out
        self._place_caption()
        full = self.maximumViewportSize()
        if full.width() <= 0 or full.height() <= 0:
            return
        self.board_scene.fit_to(full.width(), full.height())
        scale = self.fit_scale()
        if abs(self.transform().m11() - scale) > 1e-9 or abs(self.transform().m22() - scale) > 1e-9:
            self.resetTransform()
            self.scale(scale, scale)
        self.centerOn(self.sceneRect().center())

    # -------------------------------------------------------------- keyboard

    KEYS = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1)}
    ACTIVATE = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)

    def event(self, event) -> bool:
        # Enter, Space and the arrows belong to the board while it has the focus (not to the
        # window's shortcuts: Enter would end the turn)
        if event.type() == QEvent.Type.ShortcutOverride and \
                event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier) and \
                (event.key() in self.KEYS or event.key() in self.ACTIVATE):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:
        scene = self.board_scene
        key = event.key()
        if key in self.KEYS:
            start = scene.focused or scene.selected
            target: str | None
            if start is None or start not in scene.nodes:
                target = self._first_node()
            else:
                target = scene.neighbour(start, *self.KEYS[key]) if scene.focused else start
            if target is not None:
                self.focus_node(target)
            event.accept()
            return
        if key in self.ACTIVATE:
            if scene.focused is None:
                self.focus_node(self._first_node())
            else:
                scene.nodeActivated.emit(scene.company_id, scene.focused)
            event.accept()
            return
        super().keyPressEvent(event)

    def _first_node(self) -> str:
        """Where the keyboard starts: the top-left node."""
        nodes = self.board_scene.nodes
        return min(nodes, key=lambda c: (nodes[c].pos().x(), nodes[c].pos().y()))

    def focus_node(self, cap_id: str) -> None:
        """Ring a node, say it to a screen reader and explain it (as a hover does)."""
        scene = self.board_scene
        scene.set_focused(cap_id)
        self.describe_focus()
        self.ensureVisible(scene.nodes[cap_id].sceneBoundingRect(), 4, 4)
        scene.nodeHovered.emit(scene.company_id, cap_id)

    def describe_focus(self) -> None:
        """The focused node's name and state as the view's accessible name and description."""
        scene = self.board_scene
        cap = scene.focused
        if cap is None or cap not in scene.nodes:
            return
        look = scene.nodes[cap].look
        name = f"{look.name}, {look.state_text}" if look.state_text else look.name
        tip = scene.nodes[cap].toolTip().replace("<br>", "\n")
        tip = re.sub(r"<[^>]+>", "", tip)
        if self.accessibleName() != name or self.accessibleDescription() != tip:
            self.setAccessibleName(name)
            self.setAccessibleDescription(tip)
            if self.hasFocus():
                from PySide6.QtGui import QAccessible, QAccessibleEvent

                QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.NameChanged))

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        scene = self.board_scene
        if scene.focused is None and scene.nodes:
            selected = scene.selected
            self.focus_node(selected if selected is not None and selected in scene.nodes
                            else self._first_node())

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        if event.reason() == Qt.FocusReason.MouseFocusReason:   # the mouse took over: no ring
            self.board_scene.set_focused(None)

    def text_px(self, cap_id: str) -> tuple[float, float]:
        """The on-screen pixel size of a node's name and of its state line (font x scale)."""
        from PySide6.QtGui import QFontInfo

        item = self.board_scene.nodes[cap_id]
        s = self.transform().m11()
        return (QFontInfo(item.name_font).pixelSize() * s, QFontInfo(item.state_font).pixelSize() * s)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.fit()

    def node_center(self, cap_id: str):
        """Viewport position of a node's centre (for tests that click nodes)."""
        item = self.board_scene.nodes[cap_id]
        return self.mapFromScene(item.sceneBoundingRect().center())
