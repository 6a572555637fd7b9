"""The capability board: one QGraphicsScene per company, drawn from the rules' networkx graph.

Capabilities stand in pillar columns (pillar colours, in the pillars' order); each node says its
state in words (locked, available, building k/n, built) besides its look. The loop strip on top
shows the company's closed loop link by link (done / missing), and on the graph the edge that
makes each link is drawn thick: green when made, red and dashed when still missing. Nodes on
the cheapest plan to close the loop, and then to launch the app while it is not launched
(``goal.app_path``), have an orange dashed outline.

The scene only reads the state; a click on a node emits :attr:`BoardScene.nodeClicked` and the
main window decides what to do with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QGraphicsPathItem, QGraphicsScene, QGraphicsView

from game.engine import format_money

from .goal import app_path
from .i18n import UiTexts
from .prices import build_step_cost
from .style import DONE_COLOR, MISSING_COLOR, PLAN_COLOR, STATE_FILL, STATE_TEXT, text_on

NODE_W, NODE_H = 164.0, 78.0
COL_GAP, ROW_GAP = 30.0, 22.0
STRIP_H, HEADER_H = 70.0, 34.0
FONT_PX = 14


def _font(px: float, bold: bool = False) -> QFont:
    f = QFont()
    f.setPixelSize(max(6, int(px)))
    f.setBold(bold)
    return f


def _tint(color: str, amount: float) -> QColor:
    """``color`` mixed with white: ``amount`` of the colour."""
    c = QColor(color)
    mix = lambda v: int(255 - (255 - v) * amount)  # noqa: E731
    return QColor(mix(c.red()), mix(c.green()), mix(c.blue()))


@dataclass
class NodeLook:
    """What a node shows: set by the board from the state, painted by :class:`NodeItem`."""

    name: str = ""
    state: str = "locked"
    state_text: str = ""
    progress: int = 0
    work: int = 1
    on_plan: bool = False
    selected: bool = False
    buildable: bool = False


class NodeItem(QGraphicsObject):
    """One capability on one company's board."""

    clicked = Signal(str)
    hovered = Signal(str)

    def __init__(self, cap_id: str, pillar_color: str, w: float = NODE_W, h: float = NODE_H,
                 font_px: float = FONT_PX):
        super().__init__()
        self.w, self.h, self.font_px = w, h, font_px
        self.cap_id = cap_id
        self.pillar_color = QColor(pillar_color)
        self.look = NodeLook()
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue(2)

    def boundingRect(self) -> QRectF:
        return QRectF(-4, -4, self.w + 8, self.h + 8)

    def set_look(self, look: NodeLook) -> None:
        self.look = look
        self.setCursor(Qt.CursorShape.PointingHandCursor if look.buildable
                       else Qt.CursorShape.ArrowCursor)
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
        # progress pips for multi-step builds
        pip_h = 0.0
        if lk.work > 1 and lk.state != "built":
            pip_h = 9.0
            w = (self.w - 16 - (lk.work - 1) * 4) / lk.work
            for i in range(lk.work):
                r = QRectF(8 + i * (w + 4), self.h - 10, w, 6)
                painter.setPen(QPen(self.pillar_color.darker(130), 1))
                painter.setBrush(self.pillar_color if i < lk.progress else QColor("#FFFFFF"))
                painter.drawRect(r)
        # name (wrapped, shrunk if needed) and state line
        painter.setPen(txt)
        state_font = _font(self.font_px - 2)
        sfm = QFontMetricsF(state_font)
        wrap = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        need = sfm.boundingRect(QRectF(0, 0, self.w - 8, 1000), wrap, lk.state_text).height()
        state_h = min(need, 2 * sfm.lineSpacing() + 1) if lk.state_text else sfm.height()
        name_rect = QRectF(6, 4, self.w - 12, self.h - 8 - state_h - pip_h)
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        px = self.font_px
        while px > 9:
            f = _font(px, True)
            br = QFontMetricsF(f).boundingRect(name_rect, int(flags), lk.name)
            if br.height() <= name_rect.height() and br.width() <= name_rect.width():
                break
            px -= 1
        painter.setFont(_font(px, True))
        painter.drawText(name_rect, int(flags), lk.name)
        painter.setFont(state_font)
        state_rect = QRectF(4, self.h - 4 - state_h - pip_h, self.w - 8, state_h)
        painter.drawText(state_rect, wrap, lk.state_text)

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

    def __init__(self, width: float, h: float = STRIP_H, font_px: float = FONT_PX):
        super().__init__()
        self.h, self.font_px = h, font_px
        self.width = width
        self.chips: list[tuple[str, str]] = []        # (name, colour)
        self.links: list[tuple[bool, str]] = []       # (done, label)
        self.title = ""

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.width, self.h)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if not self.chips:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        n = len(self.chips)
        title_w = 130.0
        painter.setFont(_font(self.font_px, True))
        painter.setPen(QColor("#222222"))
        painter.drawText(QRectF(0, 0, title_w - 8, self.h),
                         int(Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap), self.title)
        slot = (self.width - title_w) / (n + 0.6)
        chip_w = slot * 0.56
        y0, ch = 6.0, 30.0 * self.h / STRIP_H
        # back to the first pillar: the strip reads as a loop
        name0, color0 = self.chips[0]
        r = QRectF(title_w + n * slot, y0, chip_w, ch)
        painter.setPen(QPen(QColor(color0).darker(140), 1.5, Qt.PenStyle.DashLine))
        painter.setBrush(_tint(color0, 0.35))
        painter.drawRoundedRect(r, 6, 6)
        f = _font(self.font_px - 1, True)
        painter.setFont(f)
        painter.setPen(QColor("#222222"))
        painter.drawText(r, int(Qt.AlignmentFlag.AlignCenter),
                         QFontMetricsF(f).elidedText("→ " + name0, Qt.TextElideMode.ElideRight,
                                                     chip_w - 6))
        for i, (name, color) in enumerate(self.chips):
            x = title_w + i * slot
            r = QRectF(x, y0, chip_w, ch)
            painter.setPen(QPen(QColor(color).darker(140), 1.5))
            painter.setBrush(QColor(color))
            painter.drawRoundedRect(r, 6, 6)
            painter.setPen(text_on(color))
            f = _font(self.font_px - 1, True)
            painter.setFont(f)
            painter.drawText(r, int(Qt.AlignmentFlag.AlignCenter),
                             QFontMetricsF(f).elidedText(name, Qt.TextElideMode.ElideRight,
                                                         chip_w - 6))
            done, label = self.links[i]
            ax0, ax1 = x + chip_w + 4, x + slot - 6
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
            lf = _font(self.font_px - 3, not done)
            painter.setFont(lf)
            painter.setPen(col)
            lw = slot - 4
            painter.drawText(QRectF(x + chip_w - lw / 2 + (slot - chip_w) / 2, y0 + ch + 4, lw,
                                    self.h - ch - 8),
                             int(Qt.AlignmentFlag.AlignCenter),
                             QFontMetricsF(lf).elidedText(label, Qt.TextElideMode.ElideRight, lw))


class BoardScene(QGraphicsScene):
    """The capability graph of one company."""

    nodeClicked = Signal(str, str)   # company id, capability id
    nodeHovered = Signal(str, str)

    def __init__(self, rules, ui: UiTexts, company_id: str, loop: tuple[str, ...], parent=None,
                 zoom: float = 1.0):
        super().__init__(parent)
        self._set_sizes(zoom)
        self.rules, self.ui, self.company_id, self.loop = rules, ui, company_id, loop
        self.setObjectName(f"boardScene_{company_id}")
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[tuple[str, str], QGraphicsPathItem] = {}
        # kept here, not in QGraphicsItem.setData: PySide6 6.12 miscounts references there
        self.edge_kind: dict[tuple[str, str], str] = {}
        self.selected: str | None = None
        self._layout()

    def _set_sizes(self, zoom: float) -> None:
        """Text grows with the zoom (large-text mode); nodes grow to hold it."""
        self.zoom = z = max(0.5, float(zoom))
        self.font_px = FONT_PX * z
        self.node_w = NODE_W * (1 + 0.4 * (z - 1))
        self.node_h = NODE_H * z
        self.strip_h = STRIP_H * z
        self.header_h = HEADER_H * z

    def set_zoom(self, zoom: float) -> None:
        """Lay the board out again for ``zoom``; call :meth:`refresh` afterwards."""
        if abs(zoom - self.zoom) < 1e-9:
            return
        self._set_sizes(zoom)
        self.clear()
        self.nodes, self.edges, self.edge_kind = {}, {}, {}
        self._layout()

    # -------------------------------------------------------------- layout

    def _layout(self) -> None:
        rules = self.rules
        g = rules.graph
        pillars = sorted((p for p in rules.pillars.values()
                          if any(c.pillar == p.id for c in rules.capabilities)),
                         key=lambda p: p.order)
        topo = {g.ids[k]: n for n, k in enumerate(g.topological_order)}
        self.columns: dict[str, int] = {p.id: i for i, p in enumerate(pillars)}
        width = len(pillars) * (self.node_w + COL_GAP) - COL_GAP
        rows = 0
        self.pos: dict[str, QPointF] = {}
        top = self.strip_h + 14 + self.header_h + 10
        for p in pillars:
            caps = sorted((c for c in rules.capabilities if c.pillar == p.id),
                          key=lambda c: topo[c.id])
            rows = max(rows, len(caps))
            for r, c in enumerate(caps):
                self.pos[c.id] = QPointF(self.columns[p.id] * (self.node_w + COL_GAP),
                                         top + r * (self.node_h + ROW_GAP))
        self.bottom = top + rows * (self.node_h + ROW_GAP) - ROW_GAP
        self.strip = _LoopStrip(width, self.strip_h, self.font_px)
        self.strip.setPos(0, 0)
        self.addItem(self.strip)
        self.headers = {}
        for p in pillars:
            x = self.columns[p.id] * (self.node_w + COL_GAP)
            band = self.addRect(QRectF(x - 6, self.strip_h + 14, self.node_w + 12,
                                       self.bottom - self.strip_h - 14 + 12),
                                QPen(Qt.PenStyle.NoPen), QBrush(_tint(p.color, 0.14)))
            band.setZValue(-2)
            head = self.addRect(QRectF(x - 6, self.strip_h + 14, self.node_w + 12, self.header_h),
                                QPen(Qt.PenStyle.NoPen), QBrush(QColor(p.color)))
            head.setZValue(-1)
            label = self.addSimpleText("", _font(self.font_px + 1, True))
            label.setBrush(text_on(p.color))
            label.setZValue(0)
            self.headers[p.id] = (label, QRectF(x - 6, self.strip_h + 14, self.node_w + 12, self.header_h))
        for c in rules.capabilities:
            item = NodeItem(c.id, rules.pillars[c.pillar].color, self.node_w, self.node_h,
                            self.font_px)
            item.setPos(self.pos[c.id])
            item.clicked.connect(lambda cid: self.nodeClicked.emit(self.company_id, cid))
            item.hovered.connect(lambda cid: self.nodeHovered.emit(self.company_id, cid))
            self.addItem(item)
            self.nodes[c.id] = item
        back = 0
        self.bottom_extent = self.bottom + 20
        for u, v, data in g.digraph.edges(data=True):
            path, is_back = self._edge_path(u, v, back)
            back += is_back
            edge = QGraphicsPathItem(path)
            edge.setZValue(1 if not is_back else 0.5)
            self.edge_kind[(u, v)] = data.get("kind", "all")
            self.addItem(edge)
            self.edges[(u, v)] = edge
        self.setSceneRect(QRectF(-16, -6, width + 32, self.bottom_extent + 24))

    def _edge_path(self, u: str, v: str, back: int) -> tuple[QPainterPath, int]:
        pu, pv = self.pos[u], self.pos[v]
        cu, cv = self.columns[self.rules.capability(u).pillar], self.columns[self.rules.capability(v).pillar]
        path = QPainterPath()
        if cv > cu:
            a = QPointF(pu.x() + self.node_w, pu.y() + self.node_h / 2)
            b = QPointF(pv.x(), pv.y() + self.node_h / 2)
            dx = max(24.0, (b.x() - a.x()) / 2)
            path.moveTo(a)
            path.cubicTo(QPointF(a.x() + dx, a.y()), QPointF(b.x() - dx, b.y()), b)
            self._arrow(path, b, QPointF(b.x() - 10, b.y()))
            return path, 0
        if cv == cu:
            a = QPointF(pu.x() + self.node_w - 20, pu.y() + self.node_h)
            b = QPointF(pv.x() + self.node_w - 20, pv.y())
            if abs(pv.y() - pu.y()) > self.node_h + ROW_GAP + 1:  # skip over nodes between: go round
                a = QPointF(pu.x() + self.node_w, pu.y() + self.node_h * 0.7)
                b = QPointF(pv.x() + self.node_w, pv.y() + self.node_h * 0.3)
                path.moveTo(a)
                path.cubicTo(QPointF(a.x() + 26, a.y()), QPointF(b.x() + 26, b.y()), b)
                self._arrow(path, b, QPointF(b.x() + 10, b.y()))
                return path, 0
            path.moveTo(a)
            path.lineTo(b)
            self._arrow(path, b, QPointF(b.x(), b.y() - 10))
            return path, 0
        if cu - cv == 1:  # one column back: a short hook through the gap between the columns
            a = QPointF(pu.x(), pu.y() + self.node_h * 0.75)
            b = QPointF(pv.x() + self.node_w, pv.y() + self.node_h * 0.5)
            path.moveTo(a)
            path.cubicTo(QPointF(a.x() - COL_GAP, a.y()), QPointF(b.x() + COL_GAP, b.y()), b)
            self._arrow(path, b, QPointF(b.x() + 10, b.y()))
            return path, 0
        # backward: under the board
        a = QPointF(pu.x() + self.node_w / 2, pu.y() + self.node_h)
        b = QPointF(pv.x() + self.node_w / 2 + 20, pv.y() + self.node_h)
        y = self.bottom + 26 + 18 * back
        self.bottom_extent = max(self.bottom_extent, y + 6)
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
        """Redraw every node, edge and the loop strip from ``state``."""
        rules, ui, cid = self.rules, self.ui, self.company_id
        cs = state.company(cid)
        status = state.loop_status(cid)
        plan = set(app_path(state, cid))   # the loop's cheapest plan, then the app's needs
        for pid, (label, rect) in self.headers.items():
            label.setText(rules.pillars[pid].name.get(lang))
            label.setFont(_font(self.font_px + 1, True))
            br = label.boundingRect()
            label.setPos(rect.center().x() - br.width() / 2, rect.center().y() - br.height() / 2)
        for cap in rules.capabilities:
            k = cap.index
            st = state.node_state(cid, cap.id)
            cost = format_money(rules, build_step_cost(state, cid, k), lang)
            if st == "built":
                text = ui.t("node.built", lang)
            elif st == "in_progress":
                text = ui.t("node.in_progress", lang, k=cs.progress[k], n=cap.work, cost=cost)
            elif st == "available":
                steps = ui.t("node.step_one" if cap.work == 1 else "node.step_many", lang)
                text = ui.t("node.available", lang, cost=cost, n=cap.work, steps=steps)
            else:
                text = ui.t("node.locked", lang)
            buildable = is_turn and state.why_illegal(self._build_action(cap.id)) is None
            self.nodes[cap.id].set_look(NodeLook(
                name=cap.name.get(lang), state=st, state_text=text, progress=cs.progress[k],
                work=cap.work, on_plan=cap.id in plan, selected=cap.id == self.selected,
                buildable=buildable))
            self.nodes[cap.id].setToolTip(self._tooltip(state, cap, st, text, lang, is_turn))
        for (u, v), item in self.edges.items():
            both = cs.is_built(rules.capability_index(u)) and cs.is_built(rules.capability_index(v))
            style = Qt.PenStyle.DashLine if self.edge_kind[(u, v)] == "any" else Qt.PenStyle.SolidLine
            item.setPen(QPen(QColor("#555555" if both else "#A8A8A8"), 1.6 if both else 1.2, style))
            item.setZValue(1)
        for link in status.links:
            if link.via is None or tuple(link.via) not in self.edges:
                continue
            item = self.edges[tuple(link.via)]
            if link.done:
                item.setPen(QPen(QColor(DONE_COLOR), 5, Qt.PenStyle.SolidLine,
                                 Qt.PenCapStyle.RoundCap))
            else:
                item.setPen(QPen(QColor(MISSING_COLOR), 3.5, Qt.PenStyle.DashLine,
                                 Qt.PenCapStyle.RoundCap))
            item.setZValue(1.5)
        self.strip.title = ui.t("board.loop_title", lang, done=status.done, total=len(status.links))
        self.strip.chips = [(rules.pillars[p].name.get(lang), rules.pillars[p].color)
                            for p in self.loop]
        self.strip.links = []
        for link in status.links:
            if link.done:
                text = ui.t("board.link_done", lang)
            elif link.via is None:
                text = ui.t("board.link_blocked", lang)
            else:
                text = ui.t("board.link_missing", lang, cost=format_money(rules, link.cost, lang))
            self.strip.links.append((link.done, text))
        self.strip.update()

    def _build_index(self) -> int:
        return next(a.index for a in self.rules.actions if a.kind == "build")

    def _build_action(self, cap_id: str):
        from game.engine import Action

        return Action(next(a.id for a in self.rules.actions if a.kind == "build"), cap_id)

    def _tooltip(self, state, cap, st, text, lang, is_turn) -> str:
        ui = self.ui
        lines = [f"<b>{cap.name.get(lang)}</b> — {text}", cap.text.get(lang)]
        if is_turn and st != "built":
            reason = state.why_illegal(self._build_action(cap.id))
            if reason is None:
                lines.append(ui.t("node.click_to_build", lang))
            else:
                lines.append(ui.t("tip.not_now", lang, reason=state.explain(reason, lang)))
        return "<br>".join(lines)

    def select(self, cap_id: str | None) -> None:
        self.selected = cap_id


class BoardView(QGraphicsView):
    """Shows a board scene scaled to fit its view.

    The scale is computed from the view's outer size only (``maximumViewportSize``: the
    viewport as if no scroll bar were shown), never from the current viewport. Showing or
    hiding the scroll bar therefore cannot change the scale, and a resize cannot set off
    another resize: the layout has one fixed point and cannot oscillate.
    """

    def __init__(self, scene: BoardScene, parent=None):
        super().__init__(scene, parent)
        self.board_scene = scene   # scene() is typed as a plain QGraphicsScene
        self.setObjectName(f"boardView_{scene.company_id}")
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setMouseTracking(True)
        self.setBackgroundBrush(QColor("#FAFAF7"))
        # The board is always fitted to the width: a horizontal bar is never needed.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMinimumHeight(150)    # a 1024×768 screen: the action bar needs the rest

    def fit_scale(self) -> float:
        """The scale that fits the scene into this view, from the view's outer size alone."""
        rect = self.sceneRect()
        full = self.maximumViewportSize()
        if rect.width() <= 0 or rect.height() <= 0 or full.width() <= 0 or full.height() <= 0:
            return 0.0
        sw = full.width() / rect.width()
        sh = full.height() / rect.height()
        big = getattr(self.scene(), "zoom", 1.0) > 1.0
        if not big or sh >= sw:
            return min(sw, sh)      # normal text: the whole board fits, no scroll bar
        # Large text: fit the width beside a vertical scroll bar and scroll down if need be,
        # so the text is not shrunk back to its normal size.
        bar = self.style().pixelMetric(self.style().PixelMetric.PM_ScrollBarExtent, None, self)
        return max(1, full.width() - bar) / rect.width()

    def fit(self) -> None:
        scale = self.fit_scale()
        if scale <= 0:
            return
        if abs(self.transform().m11() - scale) > 1e-9 or abs(self.transform().m22() - scale) > 1e-9:
            self.resetTransform()
            self.scale(scale, scale)
            self.verticalScrollBar().setValue(self.verticalScrollBar().minimum())  # loop strip first

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
