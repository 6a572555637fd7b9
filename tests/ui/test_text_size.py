"""Text sizes on classroom screens (issue 12), measured as Qt renders them
(``QFontInfo(font).pixelSize()``, times the board's scale for the board's text): on a
1366×768 laptop no text under 11 px; in projector mode at 1920×1080 and 1280×720, in Chinese
and in English, the capital, the costs (action prices, build costs on the nodes) and the node
names at least 18 px. Nothing on the board is cut off to get there: where a full name does not
fit, the node shows the capability's short label from the rules (English at 1280×720). The same
holds while a searching computer plays and its caption shows (issue 13): in projector mode the
caption stands under the company panels, beside the event card, not under the board."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QTabBar, QToolButton, QWidget

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_classroom_screens import TASK_BAR, inside, mid_game, node_inside  # noqa: E402


def px(widget: QWidget) -> int:
    return QFontInfo(widget.font()).pixelSize()


def board_text_px(window, cid: str) -> dict[str, float]:
    """Every text size of one board, on screen: node names and state lines, pillar headers,
    the loop strip's chips and labels."""
    view = window.views[cid]
    scene = view.board_scene
    scale = view.transform().m11()
    sizes: dict[str, float] = {}
    for cap in scene.nodes:
        name, state = view.text_px(cap)
        sizes[f"node name {cap}"] = name
        sizes[f"node state {cap}"] = state
    for pid, (label, _) in scene.headers.items():
        sizes[f"pillar {pid}"] = QFontInfo(label.font()).pixelSize() * scale
    sizes["loop strip"] = scene.strip.font_px * scale
    sizes["loop strip labels"] = scene.strip.small_px * scale
    return sizes


def shown(window, cls) -> list[QWidget]:
    return [w for w in window.findChildren(cls) if w.isVisible() and
            (not isinstance(w, QLabel) or w.text() or w.pixmap() is None)]


def open_board(board_on, rules, qtbot, lang: str, size: QSize, projector: bool = False,
               controllers: dict | None = None):
    state = mid_game(rules)
    window = board_on(state, controllers or {cid: "human" for cid in state.players}, lang=lang)
    if projector:
        window.a_large.trigger()
        window.resize(size)
    else:
        size = window.fit_to_screen(QRect(0, 0, size.width(), size.height() - TASK_BAR))
    qtbot.waitUntil(lambda: window.size() == size)
    QApplication.processEvents()
    return state, window


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_text_under_11_px_on_a_1366x768_laptop(board_on, rules, qtbot, lang):
    state, window = open_board(board_on, rules, qtbot, lang, QSize(1366, 768))
    window.show_events()
    QApplication.processEvents()
    sizes = {f"{type(w).__name__} {w.objectName() or w.text()[:20]}": px(w)
             for w in shown(window, QLabel) + shown(window, QAbstractButton) + shown(window, QTabBar)}
    sizes.update({f"{w.objectName()}": px(w) for w in (window.log_view, window.info)})
    for i, cid in enumerate(state.players):      # each board as it is shown
        window.tabs.setCurrentIndex(i)
        QApplication.processEvents()
        sizes.update({f"{cid} {k}": v for k, v in board_text_px(window, cid).items()})
    small = {k: round(v, 1) for k, v in sizes.items() if v < 11}
    assert not small, f"text under 11 px at 1366x768 in {lang}: {small}"
    assert len(sizes) > 60          # the labels, buttons, every node and the log were measured


PROJECTOR = [pytest.param("zh", QSize(1920, 1080), id="zh-1920x1080"),
             pytest.param("en", QSize(1920, 1080), id="en-1920x1080"),
             pytest.param("zh", QSize(1280, 720), id="zh-1280x720"),
             pytest.param("en", QSize(1280, 720), id="en-1280x720")]


@pytest.mark.parametrize("lang,size", PROJECTOR)
def test_projector_mode_shows_capital_costs_and_nodes_at_18_px(board_on, rules, qtbot, lang, size):
    state, window = open_board(board_on, rules, qtbot, lang, size, projector=True)
    assert window.projector and window.settings.value("projector") in (True, "true")
    sizes: dict[str, float] = {}
    for cid, panel in window.panels.items():
        sizes[f"capital {cid}"] = px(panel.values["capital"])
        sizes[f"company {cid}"] = px(panel.title)
    bar = window.action_bar
    for b in [bar.build_button, *bar.buttons.values()]:
        if b.isVisible():
            sizes[f"price {b.objectName()}"] = px(b.price_label)
            sizes[f"name {b.objectName()}"] = px(b.name_label)
    sizes.update(board_text_px(window, state.current_company))
    small = {k: round(v, 1) for k, v in sizes.items() if v < 18}
    assert not small, f"text under 18 px in projector mode at {size.toTuple()} in {lang}: {small}"


@pytest.mark.parametrize("lang,size", PROJECTOR)
def test_projector_mode_keeps_18_px_while_a_searching_computer_s_caption_shows(
        board_on, rules, qtbot, lang, size):
    """A hard computer plays its turn (the first company's seat) and its last reason stays on
    show at the person's turn after it. In projector mode that caption and its "Top three..."
    button stand under the company panels, beside the event card, at 18 px and more: the board
    keeps its height, every text on it stays at 18 px and more, laid out 1:1 and whole, the
    caption covers none of it, and the three companies and the event card are on screen."""
    players = mid_game(rules).players           # the first company is to move
    computer = players[0]
    controllers = {cid: "hard" if cid == computer else "human" for cid in players}
    state, window = open_board(board_on, rules, qtbot, lang, size, projector=True, controllers=controllers)
    qtbot.waitUntil(lambda: window.last_explained is not None and window.is_human_turn(), timeout=120_000)
    QApplication.processEvents()
    cid = state.current_company
    assert cid != computer and window.last_explained.company == computer
    view = window.views[cid]
    caption = window.findChild(QLabel, f"lastMoveCaption_{cid}")
    button = window.findChild(QToolButton, f"lastMoveOptions_{cid}")
    assert caption is view.caption and button is view.options_button
    assert caption.isVisible() and button.isVisible() and button.isEnabled()
    assert caption.line == window.last_explained.line(lang) and len(caption.text()) > 10
    assert inside(caption, window) and inside(button, window)
    assert px(caption) >= 18 and px(button) >= 18
    # the board: every text at 18 px and more, 1:1, nothing cut off; no band under it
    sizes = board_text_px(window, cid)
    small = {k: round(v, 1) for k, v in sizes.items() if v < 18}
    assert not small, f"board text under 18 px with a computer's caption at {size.toTuple()} in {lang}: {small}"
    assert view.fit_scale() == 1.0 and not cut_off(view)
    assert view.viewportMargins().bottom() == 0
    assert all(node_inside(window, cid, cap) for cap in view.board_scene.nodes)
    # the caption covers nothing of the board; the companies and the event card are shown whole
    board = view.viewport().rect().translated(view.viewport().mapTo(window, view.viewport().rect().topLeft()))
    for w in (caption, button):
        assert not w.rect().translated(w.mapTo(window, w.rect().topLeft())).intersects(board)
    assert window.event_card.isVisible() and inside(window.event_card, window)
    assert len(window.panels) == 3 and all(inside(p, window) for p in window.panels.values())
    for p in window.panels.values():
        assert px(p.values["capital"]) >= 18


def cut_off(view) -> list[str]:
    """Whatever on a board is not shown whole, measured as it is painted: a node whose name
    (wrapped, no word wider than the node), state line and build pips do not fit inside it,
    a loop chip whose pillar name is wider than the chip."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QFontMetricsF

    from game.ui.board import WRAP, strip_slots

    scene = view.board_scene
    out = []
    for cap, item in scene.nodes.items():
        sp, look = item.spacing, item.look
        inner = item.w - 2 * sp.pad
        nfm, sfm = QFontMetricsF(item.name_font), QFontMetricsF(item.state_font)
        label = look.label or look.name
        words = label.split() if " " in label else list(label)
        pips = sp.pip_h + 2 if look.work > 1 and look.state != "built" else 0.0
        high = (nfm.boundingRect(QRectF(0, 0, inner, 1e5), WRAP, label).height()
                + sfm.boundingRect(QRectF(0, 0, inner, 1e5), WRAP, look.state_text).height()
                + pips + 2 * sp.pad)
        if high > item.h + 0.5 or max(nfm.horizontalAdvance(w) for w in words) > inner + 0.5:
            out.append(f"node {cap} ({label!r})")
    strip = scene.strip
    fm = QFontMetricsF(board_font(strip.font_px))
    title_w = fm.horizontalAdvance(strip.title) + 12
    names = [f"→ {strip.chips[0][0]}", *(c for c, _ in strip.chips)]
    chip_w, _ = strip_slots(strip.width - title_w, len(strip.chips), max(map(fm.horizontalAdvance, names)))
    out += [f"loop chip {n!r}" for n in names if fm.horizontalAdvance(n) > chip_w - 6 + 0.5]
    return out


def board_font(px: float):
    from game.ui.board import _font

    return _font(px, True)


@pytest.mark.parametrize("lang,size", PROJECTOR)
def test_projector_mode_shows_every_name_on_the_board_whole(board_on, rules, qtbot, lang, size):
    """At 18 px and more nothing on the board is cut: where a capability's full name does not
    fit (English at 1280x720) the node shows its short label from the rules, and the tooltip
    and a screen reader still get the full name."""
    state, window = open_board(board_on, rules, qtbot, lang, size, projector=True)
    view = window.views[state.current_company]
    scene = view.board_scene
    assert not cut_off(view), f"cut off in projector mode at {size.toTuple()} in {lang}"
    short = lang == "en" and size.width() == 1280
    assert scene.plan.short_names == short
    for cap in rules.capabilities:
        look = scene.nodes[cap.id].look
        assert look.name == cap.name.get(lang)                           # the full name ...
        assert look.label == (cap.short if short else cap.name).get(lang)
        assert f"<b>{cap.name.get(lang)}</b>" in scene.nodes[cap.id].toolTip()
    if short:
        assert any(c.short.en != c.name.en for c in rules.capabilities)
        cap = next(c for c in rules.capabilities if c.short.en != c.name.en)
        view.focus_node(cap.id)
        assert view.accessibleName().startswith(cap.name.en + ",")      # ... to a screen reader


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_nothing_on_a_laptops_board_is_cut_off(board_on, rules, qtbot, lang):
    state, window = open_board(board_on, rules, qtbot, lang, QSize(1366, 768))
    view = window.views[state.current_company]
    assert not cut_off(view)
    assert not view.board_scene.plan.short_names             # the full names where there is room


@pytest.mark.parametrize("lang,size", PROJECTOR)
def test_projector_event_card_runs_the_events_on_only_where_a_line_each_does_not_fit(
        board_on, rules, qtbot, lang, size):
    """Beside the companies, one event a line where each fits the card; else (English at
    1280x720) they run on, a dot between them, and the card is a line or more lower."""
    state, window = open_board(board_on, rules, qtbot, lang, size, projector=True)
    card = window.event_card
    assert card.isVisible() and card.compact and len(state.round_events) > 1
    body = card.body
    run_on = "<br>" not in body.text()
    assert run_on == (lang == "en" and size.width() == 1280)
    if run_on:
        lines_each = "<br>".join(card.compact_parts)
        assert body.heightForWidth(body.width()) < _height_of(body, lines_each)
    for ev in state.round_events:
        assert rules.events[ev].name.get(lang) in body.text()


def _height_of(label: QLabel, text: str) -> int:
    twin = QLabel()
    twin.setTextFormat(label.textFormat())
    twin.setWordWrap(True)
    twin.setFont(label.font())
    twin.setText(text)
    return twin.heightForWidth(label.width())
