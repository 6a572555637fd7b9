"""Classroom screens (issue 12): the window fits the screen it opens on, and at 1366×768 and
1024×768, in Chinese and English, End turn, every action button and the side panel lie inside
the window, not clipped; Help → How to play explains how this scenario is won; the end-turn
confirmation only asks while actions are left."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QTextBrowser, QWidget

from game.engine import Action, format_money, new_game
from game.players import make_player
from game.session import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_vocabulary_ui import check, widget_texts  # noqa: E402

pytestmark = pytest.mark.gui

TASK_BAR = 40     # a screen's available height is less a task bar


def mid_game(rules, seed: int = 7):
    """As the README screenshot: 40 heuristic moves, then the computers play on to the first
    company's turn (a person's)."""
    state = new_game(rules, "default", seed)
    session = Session(state, {cid: make_player("heuristic", seed + i)
                              for i, cid in enumerate(state.players)})
    session.play(max_actions=40)
    session.seats[state.players[0]] = None
    session.play(max_actions=1000)
    assert not state.is_terminal() and state.current_company == state.players[0]
    return state


def inside(widget: QWidget, window: QWidget) -> bool:
    """Shown whole: inside the window and not cut by any parent (its visible region is all of
    it)."""
    if not widget.isVisible():
        return False
    top_left = widget.mapTo(window, widget.rect().topLeft())
    box = QRect(top_left, widget.size())
    return window.rect().contains(box) and \
        widget.visibleRegion().boundingRect() == widget.rect()


# ------------------------------------------------------------------------------ screens

def test_the_window_opens_fitted_to_its_screen(qtbot, rules, ui_settings, app_font, monkeypatch):
    from game.ui import mainwindow

    small = QRect(0, 0, 1024, 768 - TASK_BAR)
    screen = QApplication.primaryScreen()
    monkeypatch.setattr(type(screen), "availableGeometry", lambda self: QRect(small))
    window = mainwindow.MainWindow(rules, lang="en", settings=ui_settings)
    qtbot.addWidget(window)
    fw, fh = mainwindow.FRAME_ALLOWANCE
    assert window.width() <= small.width() - fw and window.height() <= small.height() - fh
    assert window.size() != QSize(*mainwindow.DEFAULT_SIZE)
    big = QRect(0, 0, 2560, 1440)
    assert window.fit_to_screen(big) == QSize(*mainwindow.DEFAULT_SIZE)


def node_inside(window, cid: str, cap: str) -> bool:
    """A board node shown whole: inside its view's viewport, the view inside the window."""
    view = window.views[cid]
    item = view.board_scene.nodes[cap]
    box = view.mapFromScene(item.sceneBoundingRect().adjusted(6, 6, -6, -6)).boundingRect()
    port = view.viewport()
    top_left = port.mapTo(window, box.topLeft())
    return port.rect().contains(box) and window.rect().contains(QRect(top_left, box.size()))


SCREENS = [((1366, 768), False), ((1024, 768), False), ((1920, 1080), True), ((1280, 720), True)]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("screen,projector", SCREENS,
                         ids=["1366x768", "1024x768", "projector-1920x1080", "projector-1280x720"])
def test_every_control_is_on_screen(board_on, rules, qtbot, lang, screen, projector):
    """Every action button, End turn, the side panel or the event card, the company panels
    and every node of the board lie inside the window: on a laptop (a window fitted to the
    screen less a task bar) and in projector mode (the whole screen)."""
    state = mid_game(rules)
    window = board_on(state, {cid: "human" for cid in state.players}, lang=lang)
    if projector:
        window.a_large.trigger()
        available = QRect(0, 0, *screen)
        window.resize(*screen)
        size = QSize(*screen)
    else:
        available = QRect(0, 0, screen[0], screen[1] - TASK_BAR)
        size = window.fit_to_screen(available)
    qtbot.waitUntil(lambda: window.size() == size)
    QApplication.processEvents()
    # the window can be that small (its minimum does not push it past the screen)
    assert window.minimumSizeHint().width() <= size.width(), window.minimumSizeHint()
    assert window.minimumSizeHint().height() <= size.height(), window.minimumSizeHint()
    assert window.width() <= available.width() and window.height() <= available.height()
    buttons = [b for b in window.action_bar.buttons.values() if b.isVisibleTo(window)]
    end = [b for a, b in window.action_bar.buttons.items()
           if rules.action(a.id).kind == "end_turn"]
    assert end and end[0] in buttons
    off = [b.objectName() for b in buttons + [window.action_bar.build_button]
           if not inside(b, window)]
    assert not off, f"cut off at {screen} in {lang}: {off}"
    if projector:
        window.show_events()
        QApplication.processEvents()
        assert inside(window.event_card, window)
    else:
        side = window.findChild(QWidget, "sidePanel")
        assert side.width() >= 150 and inside(side, window)
    for p in window.panels.values():
        assert inside(p, window), p.objectName()
    cid = state.current_company
    off = [cap for cap in window.scenes[cid].nodes if not node_inside(window, cid, cap)]
    assert not off, f"board nodes cut off at {screen} in {lang}: {off}"


# ------------------------------------------------------------------------------ how to play

def test_help_opens_how_to_play_with_the_victory_rules(make_window, rules, qtbot):
    window = make_window("en")
    window.a_help.trigger()
    dlg = window.findChild(QWidget, "howToPlay")
    assert dlg is not None and dlg.isVisible()
    text = dlg.findChild(QTextBrowser, "howToText").toPlainText()
    scen = rules.scenario("default")
    assert scen.victory_points           # the default game is won on goal points
    assert "most goal points wins" in text
    assert f"+{scen.loop_points:g} points" in text and f"+{scen.app_points:g} points" in text
    assert f"at most {scen.quarter_points_cap:g} a quarter" in text
    for c in scen.companies:                         # each company's own goal line, from the data
        assert format_money(rules, scen.company_specs[c].goal_gmv, "en") in text
    assert "Taobao" in text                          # its app from the start scores nothing
    assert f"up to {scen.actions_per_round} actions" in text and "End turn" in text
    assert "Traffic → Storefront" in text and "Mall page" in text
    window.set_language("zh")
    zh = dlg.findChild(QTextBrowser, "howToText").toPlainText()
    assert "目标分最多的公司获胜" in zh and "闭环" in zh and "独立App" in zh
    assert dlg.windowTitle() == "怎么玩"


def test_how_to_play_follows_the_scenario_data(make_window, rules, qtbot):
    """Another scenario's victory settings give another text (no sentence is hard-wired)."""
    from dataclasses import replace

    from game.ui.howto import how_to_play_html
    scen = rules.scenario("default")
    gmv = replace(scen, victory_points=False, target_quarter_gmv=900.0, rounds=8)
    window = make_window("en")
    html = how_to_play_html(rules, window.ui, gmv, "en")
    assert "goal points" not in html and "highest total GMV wins" in html
    assert "8 rounds" in html and "reaches 900" in html


def test_how_to_play_in_chinese_keeps_the_glossary(make_window, qtbot):
    window = make_window("zh")
    dlg = window.show_how_to_play()
    problems = check(widget_texts(dlg))
    assert not problems, "\n".join(problems)
    shown = dlg.findChild(QTextBrowser, "howToText").toPlainText()
    assert "怎样获胜" in shown and "目标线" in shown and "How" not in shown


def test_the_rulebook_opens_from_the_dialog(make_window, qtbot, monkeypatch):
    from game.ui import howto

    opened = []
    monkeypatch.setattr(howto, "open_url", lambda url: opened.append(url.toLocalFile()) or True)
    dlg = make_window("en").show_how_to_play()
    button = dlg.findChild(QPushButton, "openRulebook")
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1 and opened[0].endswith("rules.md") and Path(opened[0]).is_file()
    assert not dlg.findChild(QLabel, "rulebookNote").isVisible()


def test_no_rulebook_is_said_in_the_dialog(make_window, qtbot, monkeypatch, tmp_path):
    from game.ui import howto

    monkeypatch.setattr(howto, "rulebook_candidates", lambda: [tmp_path / "docs" / "rules.md"])
    dlg = make_window("en").show_how_to_play()
    dlg.close()
    window = dlg.parent()
    window.how_to = None
    dlg = window.show_how_to_play()
    assert not dlg.findChild(QPushButton, "openRulebook").isEnabled()
    note = dlg.findChild(QLabel, "rulebookNote")
    assert note.isVisible() and "not found" in note.text()


# ------------------------------------------------------------------------------ end turn

def test_no_confirmation_when_no_actions_are_left(board_on, rules, qtbot):
    state = new_game(rules, "default", 7)
    window = board_on(state)
    first = state.current_company
    end = next(a for a in window.action_bar.buttons if rules.action(a.id).kind == "end_turn")
    for _ in range(20):
        if state.actions_left == 0:
            break
        move = next(a for a in state.legal_actions()
                    if rules.action(a.id).kind not in ("end_turn",))
        assert window.apply(move)
    assert state.actions_left == 0 and state.current_company == first
    qtbot.mouseClick(window.action_bar.buttons[end], Qt.MouseButton.LeftButton)
    assert window.confirm_box is None
    assert state.current_company != first


def test_the_confirmation_still_asks_with_actions_left(board_on, rules, qtbot):
    state = new_game(rules, "default", 7)
    window = board_on(state)
    end = Action(next(a.id for a in rules.actions if a.kind == "end_turn"))
    qtbot.mouseClick(window.action_bar.buttons[end], Qt.MouseButton.LeftButton)
    box = window.confirm_box
    assert box is not None and box.isVisible()
    assert str(state.actions_left) in box.text()
    box.findChild(QPushButton, "confirmNo").click()
