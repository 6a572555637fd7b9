"""Start the desktop app: ``run_app(sys.argv)`` (``closed-loop`` and ``python main.py`` call it).

Options: ``--lang zh|en``, ``--rules DIR``, ``--new`` (skip the resume question),
``--screenshot FILE.png`` (render a game in progress offscreen and exit; ``--size``, ``--projector``,
``--computers LEVEL``), and an optional save
file to open. Qt's own options (``-platform offscreen``, ``-style fusion``, ``-reverse`` ...) pass
through to Qt; anything else is a usage error (exit 2) before a window opens.
"""

from __future__ import annotations

import argparse
import sys

from game.paths import RULES_DIR

from .screenshot import parse_size

# Qt's command-line options (QGuiApplication, QApplication), with whether each takes a value.
QT_OPTIONS = {
    "-platform": True, "-platformpluginpath": True, "-platformtheme": True, "-plugin": True,
    "-qwindowgeometry": True, "-geometry": True, "-qwindowtitle": True, "-title": True,
    "-qwindowicon": True, "-style": True, "-stylesheet": True, "-display": True, "-session": True,
    "-reverse": False, "-widgetcount": False, "-nograb": False, "-dograb": False, "-sync": False,
}


def _parser(prog: str = "closed-loop") -> argparse.ArgumentParser:
    from game import __version__

    p = argparse.ArgumentParser(
        prog=prog, description="Closed Loop (闭环): the desktop game",
        epilog=f"Headless commands (simulate, tournament, rules, replay ...): {prog} --help"
        if prog != "closed-loop-gui" else None)
    p.add_argument("--version", action="version", version=f"closed-loop {__version__}")
    p.add_argument("save", nargs="?", help="a save file (.json) to open")
    p.add_argument("--lang", choices=("zh", "en"), help="interface language (default: last used, else zh)")
    p.add_argument("--rules", default=str(RULES_DIR), help="rules folder (default: the game's rules/)")
    p.add_argument("--new", action="store_true", help="start with the new-game dialog, ignoring an autosave")
    p.add_argument("--screenshot", metavar="FILE.png", help="render the board mid-game to a PNG and exit")
    p.add_argument("--seed", type=int, default=7, help="seed of the screenshot game")
    p.add_argument("--size", type=parse_size, default=(1600, 1000), metavar="WxH",
                   help="window size of the screenshot, e.g. 1366x768 (default 1600x1000)")
    p.add_argument("--actions", type=int, default=40, help="computer moves played before the screenshot")
    p.add_argument("--computers", choices=("heuristic", "random", "easy", "normal", "hard"),
                   help="the screenshot's computer players (default heuristic); a searching level "
                        "(easy, normal, hard) plays the computers' turns before the person's in the "
                        "window, so its reason shows in the log and the board's caption")
    p.add_argument("--projector", action=argparse.BooleanOptionalAction, default=None,
                   help="projector mode: 18 px text and more, the board, the companies and the event "
                        "card on one screen (remembered; --no-projector turns it off)")
    return p


def _split_qt_args(argv: list[str]) -> tuple[list[str], list[str]]:
    """``argv`` without Qt's own options (and their values), and those options."""
    ours: list[str] = []
    qt: list[str] = []
    i = 0
    while i < len(argv):
        option, eq, _ = argv[i].partition("=")
        if option in QT_OPTIONS:
            takes_value = QT_OPTIONS[option] and not eq
            qt.extend(argv[i:i + 2] if takes_value else argv[i:i + 1])
            i += 2 if takes_value else 1
        else:
            ours.append(argv[i])
            i += 1
    return ours, qt


def run_app(argv: list[str], prog: str = "closed-loop") -> int:
    """Run the app until its window closes; returns the exit code."""
    ours, qt_args = _split_qt_args(list(argv[1:]))
    args = _parser(prog).parse_args(ours)        # an unknown option: usage, exit 2, no window
    if args.screenshot:
        from .screenshot import render_screenshot

        more = {"computers": args.computers} if args.computers else {}
        render_screenshot(args.screenshot, lang=args.lang or "zh", seed=args.seed,
                          actions=args.actions, size=args.size, projector=bool(args.projector), **more)
        print(f"wrote {args.screenshot}")
        return 0

    from .platform_check import explain_missing, missing_window_libraries

    missing = missing_window_libraries()
    if missing:
        print(explain_missing(missing), file=sys.stderr)
        return 1

    # the game's own modules before Qt's: PySide6 inspects the source of every module imported
    # after it (its "feature" import hook), which the engine does not need. The players (and
    # numpy with them) wait until a game is dealt, after the first paint.
    import game.saves  # noqa: F401
    import game.session  # noqa: F401
    from game.engine import RulesError, load_rules

    # isort: split
    from PySide6.QtWidgets import QApplication, QMessageBox

    from .fonts import install_app_font
    from .i18n import UiTextError, ui_texts
    from .mainwindow import MainWindow

    app = QApplication.instance() or QApplication([argv[0] if argv else "closed-loop", *qt_args])
    app.setApplicationName("closed-loop")
    from .review_tab import stop_reviews
    app.aboutToQuit.connect(lambda: stop_reviews())     # no review thread destroyed running
    app.setOrganizationName("closed-loop")
    install_app_font()
    try:
        rules = load_rules(args.rules)
        ui = ui_texts()
    except (RulesError, UiTextError) as exc:
        print(exc, file=sys.stderr)      # also for a terminal or a log: which file, key, reason
        QMessageBox.critical(None, "Closed Loop", str(exc))
        return 2

    holder: list = []
    hook = prepare_app(app, ui, lambda: holder[0].lang if holder else (args.lang or "zh"),
                       lambda: holder[0] if holder else None)
    try:
        window = MainWindow(rules, lang=args.lang, ui=ui, projector=args.projector)
        if args.projector is not None:
            window.settings.setValue("projector", bool(args.projector))
        holder.append(window)
        window.show()
        # after the window's first paint: the new-game dialog, the resume question or the save
        if args.save:
            window._after_paint(lambda: window.open_file(args.save))
        elif args.new:
            window._after_paint(window.show_new_game_dialog)
        else:
            window._after_paint(window.start)
        return app.exec()
    finally:
        finish_app(hook)


def prepare_app(app, ui, lang, parent=lambda: None):
    """Everything a desktop app sets up before its window: the light scheme (readable on a dark
    desktop), the app icon, the log file and the crash hook. Returns the hook; give it to
    :func:`finish_app` when the app ends."""
    import logging
    import platform

    import PySide6
    from PySide6.QtCore import qVersion

    from game import __version__

    from .crash import CrashHandler, setup_logging
    from .style import app_icon, use_light_scheme

    use_light_scheme(app)
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("closed-loop")      # Wayland and task bars find the .desktop file
    path = setup_logging()
    logging.getLogger("closed_loop").info(
        "closed-loop %s starting: Python %s, Qt %s, PySide6 %s, %s", __version__,
        platform.python_version(), qVersion(), PySide6.__version__, platform.platform())
    return CrashHandler(ui, lang, path, parent).install()


def finish_app(hook) -> None:
    """Undo :func:`prepare_app`'s hook and close the log."""
    from .crash import shutdown_logging

    hook.uninstall()
    shutdown_logging()
