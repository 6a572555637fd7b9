"""What the window remembers between runs (QSettings): its geometry and state, and the folder of
the last save opened or written.

A remembered geometry is used only if it still fits a screen that is there now (a laptop
unplugged from its projector gets a window fitted to its own screen); a damaged value is ignored.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow

GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"
FOLDER_KEY = "files/last_folder"


def _blob(settings: QSettings, key: str) -> QByteArray | None:
    try:
        raw = settings.value(key)
    except Exception:  # noqa: BLE001 - a value Qt cannot convert must not stop the app
        return None
    if isinstance(raw, QByteArray) and not raw.isEmpty():
        return raw
    if isinstance(raw, bytes) and raw:
        return QByteArray(raw)
    return None


def save_window(window: QMainWindow, settings: QSettings) -> None:
    """Remember ``window``'s geometry (normal size and place, maximised or not) and its state."""
    settings.setValue(GEOMETRY_KEY, window.saveGeometry())
    settings.setValue(STATE_KEY, window.saveState())


def fits(rect: QRect, available: QRect) -> bool:
    """``rect`` (a window's normal geometry) lies within ``available``, give or take a frame."""
    slack = 40        # title bar and borders are outside the normal geometry
    return (rect.isValid() and available.adjusted(-slack, -slack, slack, slack).contains(rect)
            and rect.width() <= available.width() and rect.height() <= available.height())


def restore_window(window: QMainWindow, settings: QSettings, available: QRect | None = None) -> bool:
    """Give ``window`` its remembered geometry and state if there is one and it fits ``available``
    (default: the available geometry of the screen it would be on); returns whether it did. The
    caller fits the window to the screen otherwise."""
    geometry = _blob(settings, GEOMETRY_KEY)
    if geometry is None:
        return False
    before = (window.geometry(), window.windowState())
    if not window.restoreGeometry(geometry):
        return False
    rect = window.normalGeometry() if window.isMaximized() else window.geometry()
    if available is None:
        screen = QGuiApplication.screenAt(rect.center()) or window.screen()
        available = screen.availableGeometry() if screen is not None else None
    if available is None or not fits(rect, available):
        window.setWindowState(before[1])
        window.setGeometry(before[0])
        return False
    if window.windowState() & Qt.WindowState.WindowFullScreen:   # full screen is chosen each time
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowFullScreen)
    state = _blob(settings, STATE_KEY)
    if state is not None:
        window.restoreState(state)
    return True


def last_folder(settings: QSettings) -> Path:
    """The folder of the last save opened or written, if it is still there; else the home folder."""
    try:
        raw = settings.value(FOLDER_KEY)
    except Exception:  # noqa: BLE001
        raw = None
    if isinstance(raw, str) and raw:
        folder = Path(raw)
        if folder.is_absolute() and folder.is_dir():
            return folder
    return Path.home()


def remember_folder(settings: QSettings, path: str | Path) -> None:
    """Remember the folder of ``path`` (a file chosen in an Open or Save dialog)."""
    settings.setValue(FOLDER_KEY, str(Path(path).resolve().parent))
