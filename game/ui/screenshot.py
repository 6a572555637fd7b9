"""Render the main window with a game in progress to a PNG, offscreen (for the README)."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

MIN_SIZE = (640, 480)
MAX_SIZE = (7680, 4320)


def parse_size(text: str) -> tuple[int, int]:
    """``--size WxH`` for argparse: "1366x768" (or 1366×768) -> (1366, 768); anything else, or a
    size out of 640x480 ... 7680x4320, is a usage error."""
    w, sep, h = text.strip().lower().replace("×", "x").partition("x")
    if not sep or not w.isdigit() or not h.isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not a size WIDTHxHEIGHT, e.g. 1366x768")
    size = (int(w), int(h))
    if not (MIN_SIZE[0] <= size[0] <= MAX_SIZE[0] and MIN_SIZE[1] <= size[1] <= MAX_SIZE[1]):
        raise argparse.ArgumentTypeError(
            f"size {size[0]}x{size[1]} is out of range {MIN_SIZE[0]}x{MIN_SIZE[1]} ... "
            f"{MAX_SIZE[0]}x{MAX_SIZE[1]}")
    return size


SEARCH_LEVELS = ("easy", "normal", "hard")


def render_screenshot(path: str, lang: str = "zh", seed: int = 7, actions: int = 40,
                      size: tuple[int, int] = (1600, 1000), zoom: float = 1.0,
                      projector: bool = False, computers: str = "heuristic") -> None:
    """Play ``actions`` heuristic moves of a default game, show the board, save a PNG
    (``projector``: in projector mode). The first company is a person's, the others are
    ``computers``; a searching level (easy, normal, hard) plays the computers' moves before the
    person's turn in the window (on its worker thread), so the last one's reason shows in the
    log and in the board's caption."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QSettings, QTemporaryDir
    from PySide6.QtWidgets import QApplication

    from game.engine import load_rules, new_game
    from game.paths import RULES_DIR
    from game.players import make_player
    from game.session import Session

    from .fonts import install_app_font
    from .mainwindow import MainWindow

    app = QApplication.instance() or QApplication(["closed-loop-screenshot"])
    install_app_font()
    rules = load_rules(RULES_DIR)
    state = new_game(rules, "default", seed)
    session = Session(state, {cid: make_player("heuristic", seed + i)
                              for i, cid in enumerate(state.players)})
    session.play(max_actions=actions)
    # As in the app with one person (the first company) against the computer: the computers
    # play on until it is the person's turn (searching computers: in the window, below; the
    # heuristic plays on to a computer's turn first).
    human = state.players[0]
    searching = computers in SEARCH_LEVELS
    if searching:
        while state.current_company == human and not state.is_terminal():
            session.step()
    else:
        session.seats[human] = None
        session.play(max_actions=1000)
    tmp = QTemporaryDir()
    settings = QSettings(str(Path(tmp.path()) / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("confirm_end_turn", True)
    old = os.environ.get("CLOSED_LOOP_DATA_DIR")
    os.environ["CLOSED_LOOP_DATA_DIR"] = tmp.path()      # never touch the user's autosave
    try:
        window = MainWindow(rules, lang=lang, settings=settings, projector=projector)
        window.resize(*size)
        controllers = {cid: computers for cid in state.players}
        controllers[human] = "human"
        window.set_game(state, controllers)
        if not projector:
            window.apply_zoom(zoom)
        window.show()
        for _ in range(5):
            app.processEvents()
        if searching:                    # the computers think on the worker: wait for them
            deadline = time.monotonic() + 300
            while not (window.is_human_turn() or state.is_terminal()):
                if time.monotonic() > deadline:
                    raise TimeoutError("the computers did not reach the person's turn in 300 s")
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            for _ in range(5):
                app.processEvents()
        first = state.current_company
        caps = state.loop_status(first).plan
        if caps:
            window._node_hovered(first, caps[0])
            window.selected_cap, window.selected_company = caps[0], first
            window.scenes[first].select(caps[0])
            window.refresh()
        app.processEvents()
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        window.ai_timer.stop()
        window.close()
    finally:
        if old is None:
            os.environ.pop("CLOSED_LOOP_DATA_DIR", None)
        else:
            os.environ["CLOSED_LOOP_DATA_DIR"] = old
