"""Start the desktop app: ``run_app(sys.argv)`` (``python main.py`` calls it).

Options: ``--lang zh|en``, ``--rules DIR``, ``--new`` (skip the resume question),
``--screenshot FILE.png`` (render a game in progress offscreen and exit), and an optional save
file to open.
"""

from __future__ import annotations

import argparse
import sys
import traceback

from game.paths import RULES_DIR


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="closed-loop", description="Closed Loop (闭环): the desktop game")
    p.add_argument("save", nargs="?", help="a save file (.json) to open")
    p.add_argument("--lang", choices=("zh", "en"), help="interface language (default: last used, else zh)")
    p.add_argument("--rules", default=str(RULES_DIR), help="rules folder (default: the game's rules/)")
    p.add_argument("--new", action="store_true", help="start with the new-game dialog, ignoring an autosave")
    p.add_argument("--screenshot", metavar="FILE.png", help="render the board mid-game to a PNG and exit")
    p.add_argument("--seed", type=int, default=7, help="seed of the screenshot game")
    p.add_argument("--actions", type=int, default=40, help="computer moves played before the screenshot")
    return p


def run_app(argv: list[str]) -> int:
    """Run the app until its window closes; returns the exit code."""
    args, qt_args = _parser().parse_known_args(list(argv[1:]))
    if args.screenshot:
        from .screenshot import render_screenshot

        render_screenshot(args.screenshot, lang=args.lang or "zh", seed=args.seed,
                          actions=args.actions)
        print(f"wrote {args.screenshot}")
        return 0

    from .platform_check import explain_missing, missing_window_libraries

    missing = missing_window_libraries()
    if missing:
        print(explain_missing(missing), file=sys.stderr)
        return 1

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMessageBox

    from game.engine import RulesError, load_rules

    from .fonts import install_app_font
    from .i18n import UiTextError, ui_texts
    from .mainwindow import MainWindow

    app = QApplication.instance() or QApplication([argv[0] if argv else "closed-loop", *qt_args])
    app.setApplicationName("closed-loop")
    app.setOrganizationName("closed-loop")
    install_app_font()
    try:
        rules = load_rules(args.rules)
        ui = ui_texts()
    except (RulesError, UiTextError) as exc:
        print(exc, file=sys.stderr)      # also for a terminal or a log: which file, key, reason
        QMessageBox.critical(None, "Closed Loop", str(exc))
        return 2

    shown: set[str] = set()
    boxes: list = []

    def excepthook(kind, value, tb) -> None:  # the last line of defence: no silent crash
        traceback.print_exception(kind, value, tb)
        text = f"{kind.__name__}: {value}"
        if text in shown:          # the same error again (e.g. on every repaint): once is enough
            return
        shown.add(text)
        box = QMessageBox(QMessageBox.Icon.Critical, "Closed Loop", text)
        box.setWindowModality(Qt.WindowModality.NonModal)   # the class can play on
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _=0, b=box: boxes.remove(b) if b in boxes else None)
        boxes.append(box)
        box.show()

    sys.excepthook = excepthook
    window = MainWindow(rules, lang=args.lang, ui=ui)
    window.show()
    if args.save:
        window.open_file(args.save)
    elif args.new:
        window.show_new_game_dialog()
    else:
        window.start()
    return app.exec()
