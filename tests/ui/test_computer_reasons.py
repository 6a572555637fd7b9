"""Issue 13, item 1: a searching computer's move comes with one line a student can read, in the
game log (under the move) and on the board (a caption under it, the node it built ringed), in
the window's language, and its top three options on request; a rule-of-thumb computer's move
shows nothing extra.

The computers are stepped by hand: the pace is set high so its timer never fires by itself,
and ``_ai_step`` is called as the timer would (the decision itself still runs on the worker).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QTextBrowser, QToolButton

from game.engine import new_game
from game.players import make_player
from game.session import SessionHooks

HOLD = 2000          # ms: the pace timer is stopped before it fires; the test steps


class Positions(SessionHooks):
    """Each computer move with a copy of the position it was chosen on."""

    def __init__(self) -> None:
        self.before = None
        self.moves: list = []

    def before_action(self, state, company) -> None:
        self.before = state.clone()

    def on_action(self, state, move) -> None:
        if move.by_computer:
            self.moves.append((self.before, move.action, len(state.log)))


def open_game(make_window, state, controllers, lang="en"):
    window = make_window(lang)
    window.pace.setValue(HOLD)
    window.set_game(state, controllers)
    window.ai_timer.stop()
    return window


def computer_move(window, qtbot) -> None:
    """One computer move, as the pace timer's tick makes it."""
    n = len(window.state.history)
    window.ai_timer.stop()
    window._ai_step()
    qtbot.waitUntil(lambda: len(window.state.history) > n, timeout=60_000)
    window.ai_timer.stop()


def log_text(window) -> str:
    return window.log_view.document().toPlainText()


def hard_first(rules, seed=5):
    state = new_game(rules, "default", seed)
    first = state.current_company
    return state, first, {c: "hard" if c == first else "human" for c in state.players}


def two_hard_moves(make_window, rules, qtbot):
    """A game whose first company is a hard computer, after its first two moves, with the
    positions they were made in."""
    state, first, controllers = hard_first(rules)
    window = open_game(make_window, state, controllers)
    seen = Positions()
    window.session.add_hooks(seen)
    computer_move(window, qtbot)
    computer_move(window, qtbot)
    return state, first, window, seen


def test_the_log_carries_each_search_move_s_reason_in_the_ui_language(make_window, rules, qtbot):
    state, first, window, seen = two_hard_moves(make_window, rules, qtbot)
    assert len(seen.moves) == 2
    model, doc = window.log_model, window.log_view.document()
    for before, action, _ in seen.moves:
        # the move is the one synchronous play makes (same seed, same position)
        alone = make_player("hard", state.seed + list(state.players).index(first))
        assert alone.choose(before) == action
        line = alone.explain_last().line("en")
        row = len(before.log)                      # the move's first log line
        assert model.note(row) == line
        move_line, reason_line = doc.findBlockByNumber(row).text().split("\u2028")  # two lines
        assert move_line.endswith(model.text(row)) and reason_line.endswith(line)
        assert line in log_text(window)
        assert "expected win chance" in line
    # the two reasons differ: each move has its own
    assert model.note(len(seen.moves[0][0].log)) != model.note(len(seen.moves[1][0].log))
    # in Chinese the log is laid out again, the reasons with it
    window.set_language("zh")
    for before, _, _ in seen.moves:
        row = len(before.log)
        exp = window.log_model.explanation(row)
        assert exp is not None and "预计胜率" in exp.line("zh")
        assert window.log_view.document().findBlockByNumber(row).text().endswith(exp.line("zh"))


def test_the_board_caption_shows_the_last_reason_and_changes_with_the_next_move(make_window, rules, qtbot):
    state, first, controllers = hard_first(rules)
    window = open_game(make_window, state, controllers)
    view, scene = window.views[first], window.scenes[first]
    caption = window.findChild(QLabel, f"lastMoveCaption_{first}")
    button = window.findChild(QToolButton, f"lastMoveOptions_{first}")
    assert caption is view.caption and button is view.options_button
    qtbot.waitUntil(lambda: caption.isVisible() and button.isVisible())   # shown with the board
    assert caption.line == "" and caption.text() == window.ui.t("lastmove.empty", "en")
    assert not button.isEnabled()
    build = next(a.id for a in rules.actions if a.kind == "build")

    computer_move(window, qtbot)
    one = window.last_explained
    assert one is not None and one.company == first
    assert caption.line == one.line("en") == caption.toolTip()
    assert caption.text().rstrip("…") in one.line("en") and len(caption.text()) > 20
    assert button.isEnabled()
    assert one.action.id == build                 # seed 5: hard builds first ...
    assert scene.last_move == one.action.target and scene.last_move_mark.isVisible()
    ring = scene.last_move_mark.sceneBoundingRect()
    assert ring.contains(scene.nodes[one.action.target].sceneBoundingRect().center())

    computer_move(window, qtbot)
    two = window.last_explained
    assert two is not one and two.line("en") != one.line("en")
    assert caption.line == two.line("en")         # replaced at the next move
    if two.action.id == build:                    # the ring follows to the next build ...
        assert scene.last_move == two.action.target and scene.last_move_mark.isVisible()
    else:                                         # ... and goes with a move that builds nothing
        assert scene.last_move is None and not scene.last_move_mark.isVisible()

    # in Chinese, the same decision in Chinese
    window.set_language("zh")
    assert caption.line == two.line("zh") and "预计胜率" in caption.line
    window.set_language("en")

    # the rest of its turn, then a person's move clears the caption
    while not window.is_human_turn():
        computer_move(window, qtbot)
    last = window.last_explained
    assert last is not None and not last.forced   # its forced end of turn keeps the reason
    assert caption.line == last.line("en")
    window.apply(next(a for a in state.legal_actions() if rules.action(a.id).kind != "end_turn"))
    assert window.last_explained is None and caption.line == ""
    assert caption.text() == window.ui.t("lastmove.empty", "en")
    assert all(s.last_move is None for s in window.scenes.values())


def test_the_top_three_options_open_from_the_caption_and_the_log_line(make_window, rules, qtbot):
    state, first, window, seen = two_hard_moves(make_window, rules, qtbot)
    first_exp = window.log_model.explanation(len(seen.moves[0][0].log))
    last_exp = window.last_explained
    assert first_exp is not None and last_exp is not None and first_exp is not last_exp

    def reasoning_texts() -> list[str]:
        return [d.findChild(QTextBrowser, "reasoningText").toPlainText()
                for d in window.findChildren(QDialog, "reasoningView") if d.isVisible()]

    # the caption's button: the last decision's options
    qtbot.mouseClick(window.views[first].options_button, Qt.MouseButton.LeftButton)
    texts = reasoning_texts()
    assert len(texts) == 1
    assert last_exp.line("en") in texts[0]
    for line in last_exp.option_lines("en"):
        assert line.split(". ", 1)[1] in texts[0]
    assert len(last_exp.option_lines("en")) == 3
    # a double click on the caption: the same
    caption = window.views[first].caption
    qtbot.mouseDClick(caption, Qt.MouseButton.LeftButton, pos=caption.rect().center())
    assert len(reasoning_texts()) == 2

    # a double click on the first move's line in the log: that decision's options
    view = window.log_view
    row = len(seen.moves[0][0].log)
    view.scroll_to_row(row)
    pos = view.row_rect(row).center()
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    texts = reasoning_texts()
    assert len(texts) == 3
    newest = [t for t in texts if first_exp.line("en") in t]
    assert newest and all(line.split(". ", 1)[1] in newest[0] for line in first_exp.option_lines("en"))
    # its context menu offers the same
    menu = view.context_menu(pos)
    assert menu is not None and menu.objectName() == "logMenu"
    item = next(a for a in menu.actions() if a.objectName() == "logReasoning")
    assert item.text() == window.ui.t("tools.reasoning", "en")
    item.trigger()
    assert len(reasoning_texts()) == 4
    menu.close()
    # a row without a computer's reason (the quarter's first line) has no such menu
    assert window.log_model.explanation(0) is None
    view.scroll_to_row(0)
    assert view.context_menu(view.row_rect(0).center()) is None


def test_a_rule_of_thumb_computer_shows_nothing_extra(make_window, rules, qtbot):
    state = new_game(rules, "default", 5)
    first = state.current_company
    window = open_game(make_window, state, {c: "heuristic" if c == first else "human" for c in state.players})
    n_log = len(state.log)
    computer_move(window, qtbot)          # pace above 0: one action
    assert len(state.log) > n_log
    assert all(window.log_model.note(r) is None for r in range(window.log_model.rowCount()))
    assert "↳" not in log_text(window)
    assert window.last_explained is None and window.explanations == {}
    for view in window.views.values():    # no band under the board: nothing to say there
        assert not view.band_on and not view.caption.isVisible()
        assert view.viewportMargins().bottom() == 0


def test_the_caption_covers_nothing_of_the_board(make_window, rules, qtbot):
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QApplication

    state, first, controllers = hard_first(rules)
    window = open_game(make_window, state, controllers, lang="zh")
    window.resize(QSize(1366, 768))
    qtbot.waitUntil(lambda: window.size() == QSize(1366, 768))
    QApplication.processEvents()
    computer_move(window, qtbot)
    QApplication.processEvents()
    view = window.views[first]
    vp = view.viewport().geometry()
    cap = view.caption.geometry()
    assert view.band_on and cap.top() > vp.bottom() and cap.bottom() < view.height()
    assert view.options_button.geometry().top() > vp.bottom()
    assert not cap.intersects(view.options_button.geometry())
    for cid, node in window.scenes[first].nodes.items():
        rect = view.mapFromScene(node.sceneBoundingRect()).boundingRect()
        assert vp.translated(-vp.topLeft()).contains(rect.center()), cid
        assert rect.bottom() <= vp.height() + 6, cid
    from PySide6.QtGui import QFontInfo
    assert QFontInfo(view.caption.font()).pixelSize() >= 11
    assert "预计胜率" in view.caption.line and view.caption.text()


def test_in_projector_mode_the_caption_stands_under_the_company_panels(make_window, rules, qtbot):
    """Projector mode: the caption and its button leave the band under the board (which then
    keeps its whole height) for the row of the company panels, under them and beside the event
    card; the shown board's caption is the one on show, and it still opens the top three. Out
    of projector mode the band comes back."""
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QApplication, QWidget

    state, first, controllers = hard_first(rules)
    window = open_game(make_window, state, controllers)
    window.resize(QSize(1280, 720))
    computer_move(window, qtbot)
    assert window.last_explained is not None

    def line() -> str:          # the last decision's (the pace timer is stopped, but read it live)
        return window.last_explained.line("en")

    view = window.views[first]
    assert view.band_on and view.viewportMargins().bottom() == view.band_height() > 0

    window.a_large.trigger()
    qtbot.waitUntil(lambda: window.projector and window.size() == QSize(1280, 720))
    QApplication.processEvents()
    row = window.findChild(QWidget, "companyPanels")
    strip = window.findChild(QWidget, "lastMoveStrip")
    assert strip.isVisible() and row.isAncestorOf(strip) and row.isAncestorOf(window.event_card)
    panels_bottom = max(p.mapTo(window, p.rect().bottomLeft()).y() for p in window.panels.values())
    card = window.event_card
    for cid, v in window.views.items():
        assert v.viewportMargins().bottom() == 0 and v.band_height() == 0     # the board's room
        assert strip.isAncestorOf(v.caption) and strip.isAncestorOf(v.options_button)
        assert v.caption.isVisible() == (cid == window.tabs.currentWidget().board_scene.company_id)
    caption = window.views[window.state.current_company].caption
    top_left = caption.mapTo(window, caption.rect().topLeft())
    assert top_left.y() > panels_bottom                                        # under the panels
    assert top_left.x() + caption.width() < card.mapTo(window, card.rect().topLeft()).x()  # beside the card
    assert caption.line == line() and caption.fontInfo().pixelSize() >= 18
    # another board shown: its caption with it, the same line
    other = next(c for c in state.players if c != window.state.current_company)
    window.tabs.setCurrentIndex(list(state.players).index(other))
    QApplication.processEvents()
    assert window.views[other].caption.isVisible() and window.views[other].caption.line == line()
    # the button still opens the decision's top three
    qtbot.mouseClick(window.views[other].options_button, Qt.MouseButton.LeftButton)
    shown = [d for d in window.findChildren(QDialog, "reasoningView") if d.isVisible()]
    assert shown and line() in shown[0].findChild(QTextBrowser, "reasoningText").toPlainText()
    shown[0].close()

    window.a_large.trigger()                         # out of projector mode: the band again
    qtbot.waitUntil(lambda: not window.projector)
    QApplication.processEvents()
    assert not strip.isVisible()
    for v in window.views.values():
        assert v.caption.parent() is v and v.options_button.parent() is v
        assert v.viewportMargins().bottom() == v.band_height() > 0
    view = window.views[window.tabs.currentWidget().board_scene.company_id]
    assert view.caption.isVisible() and view.caption.geometry().top() > view.viewport().geometry().bottom()
