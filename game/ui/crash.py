"""The app's log file and its last line of defence against an unhandled exception.

:func:`setup_logging` writes the ``closed_loop`` logger to ``logs/closed-loop.log`` in the
user's data folder (where the autosaves are; ``CLOSED_LOOP_DATA_DIR`` overrides it), rotated
at 512 KB with three old files kept. :class:`CrashHandler` is a ``sys.excepthook``: it writes
the traceback to that log and shows a crash dialog (objectName ``crashDialog``) with the log's
path and the news that the game is autosaved, never the traceback itself. ``install()`` keeps
the hook it replaces and ``uninstall()`` (or leaving the ``with`` block) puts it back.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from .i18n import UiTexts

LOGGER_NAME = "closed_loop"
LOG_NAME = "closed-loop.log"
LOG_MAX_BYTES = 512 * 1024
LOG_BACKUPS = 3

log = logging.getLogger(LOGGER_NAME)


def log_path(folder: Path | None = None) -> Path:
    """The log file: ``logs/closed-loop.log`` in ``folder`` (default: the user's data folder)."""
    from .autosave import data_dir

    return (data_dir() if folder is None else Path(folder)) / "logs" / LOG_NAME


def setup_logging(folder: Path | None = None, level: int = logging.INFO) -> Path | None:
    """Log to a rotating file; returns its path. Calling it again for the same file is harmless;
    for another file it moves the log there. A data folder that cannot be written (a locked-down
    classroom laptop) moves the log to the temporary folder; None if no file can be written
    at all (then the app runs without a log file)."""
    import tempfile

    for path in (log_path(folder), Path(tempfile.gettempdir()) / "closed-loop-logs" / LOG_NAME):
        try:
            return _log_to(path, level)
        except OSError as exc:
            print(f"closed-loop: no log file at {path}: {exc.strerror or exc}", file=sys.stderr)
    return None


def _log_to(path: Path, level: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    for h in list(log.handlers):
        if isinstance(h, logging.handlers.RotatingFileHandler):
            if Path(h.baseFilename) == path.resolve():
                return path
            log.removeHandler(h)
            h.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(level)
    return path


def shutdown_logging() -> None:
    """Close and remove the log file handlers (tests; the end of the app)."""
    for h in list(log.handlers):
        if isinstance(h, logging.handlers.RotatingFileHandler):
            log.removeHandler(h)
            h.close()


ExceptHook = Callable[..., object]


class CrashHandler:
    """``sys.excepthook`` of the app: log the traceback, tell the player in plain words."""

    def __init__(self, ui: UiTexts, lang: Callable[[], str], log_file: Path | None,
                 parent: Callable[[], QWidget | None] = lambda: None):
        self.ui, self.lang, self.log_file, self.parent = ui, lang, log_file, parent
        self.previous: ExceptHook | None = None
        self.shown: set[str] = set()
        self.dialogs: list[QMessageBox] = []

    # --- installing -------------------------------------------------------------------------
    def install(self) -> CrashHandler:
        if sys.excepthook is not self:
            self.previous = sys.excepthook
            sys.excepthook = self
        return self

    def uninstall(self) -> None:
        if sys.excepthook is self:
            sys.excepthook = self.previous or sys.__excepthook__
        self.previous = None

    def __enter__(self) -> CrashHandler:
        return self.install()

    def __exit__(self, *exc) -> None:
        self.uninstall()

    # --- the hook ---------------------------------------------------------------------------
    def __call__(self, kind, value, tb) -> None:
        if issubclass(kind, KeyboardInterrupt):          # Ctrl+C in a terminal: not a crash
            (self.previous or sys.__excepthook__)(kind, value, tb)
            return
        log.error("Unhandled exception", exc_info=(kind, value, tb))
        for h in log.handlers:
            h.flush()
        text = f"{kind.__name__}: {value}"
        print(text, f"(details: {self.log_file})", file=sys.stderr)
        if text in self.shown:          # the same error again (e.g. on every repaint): once is enough
            return
        self.shown.add(text)
        if QApplication.instance() is not None:
            self.show_dialog()

    def show_dialog(self) -> QMessageBox:
        ui, lang = self.ui, self.lang()
        box = QMessageBox(QMessageBox.Icon.Critical, ui.t("crash.title", lang),
                          ui.t("crash.text", lang), parent=self.parent())
        box.setObjectName("crashDialog")
        box.setInformativeText(ui.t("crash.log", lang, path=str(self.log_file)) + "\n"
                               + ui.t("crash.report", lang) if self.log_file is not None
                               else ui.t("crash.no_log", lang))
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if self.log_file is not None:
            copy = box.addButton(ui.t("crash.copy", lang), QMessageBox.ButtonRole.ActionRole)
            copy.setObjectName("crashCopy")
            copy.clicked.disconnect()        # keep the box open after copying
            copy.clicked.connect(lambda: QApplication.clipboard().setText(str(self.log_file)))
        ok = box.addButton(ui.t("crash.close", lang), QMessageBox.ButtonRole.AcceptRole)
        ok.setObjectName("crashClose")
        box.setWindowModality(Qt.WindowModality.NonModal)   # the class can play on
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _=0, b=box: self.dialogs.remove(b) if b in self.dialogs else None)
        self.dialogs.append(box)
        box.show()
        return box
