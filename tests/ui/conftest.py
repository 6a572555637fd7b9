"""Fixtures for driving the Qt app with pytest-qt (offscreen).

``board_on(state)`` opens the main window on any GameState, so a rule author can check what the
board shows in a few lines::

    def test_shop_shows_built(board_on, new_state):
        window = board_on(new_state(seed=1))
        assert window.scenes["bytedance"].nodes["shop"].look.state == "built"

Every test gets its own settings file and autosave folder: nothing touches the user's. Every test
here is marked ``gui`` (see :func:`pytest_collection_modifyitems`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)      # before pytest's own -m selection
def pytest_collection_modifyitems(items):
    """Every test under tests/ui drives Qt: mark it ``gui``, so ``-m "not gui"`` leaves them out
    and ``-m gui`` runs only them. (A ``pytestmark`` in a conftest.py is ignored by pytest; this
    hook sees every collected item, so it marks only those in this folder.)"""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _isolated_data(tmp_path, monkeypatch):
    """Autosaves go to a temporary folder for each test."""
    data = tmp_path / "user-data"
    monkeypatch.setenv("CLOSED_LOOP_DATA_DIR", str(data))
    return data


@pytest.fixture(autouse=True)
def _no_leftover_app_state():
    """A test never leaves the crash hook, the log file or Qt's Chinese catalogue behind."""
    import sys

    hook = sys.excepthook
    yield
    from game.ui.crash import shutdown_logging
    from game.ui.qt_locale import reset_qt_language

    sys.excepthook = hook
    shutdown_logging()
    reset_qt_language()


@pytest.fixture(scope="session")
def app_font(qapp):
    from game.ui.fonts import install_app_font

    return install_app_font()


@pytest.fixture
def ui_settings(tmp_path):
    """A private settings file; end-turn confirmation on, fast computer pace."""
    s = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    s.setValue("pace_ms", 0)
    return s


@pytest.fixture
def make_window(qtbot, rules, ui_settings, app_font):
    """Factory: a shown MainWindow (no game yet) in ``lang``."""
    from game.ui.mainwindow import MainWindow

    def factory(lang: str = "en", settings=None) -> MainWindow:
        window = MainWindow(rules, lang=lang, settings=settings or ui_settings)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield factory


@pytest.fixture
def board_on(make_window):
    """Open the main window on ``state``: ``board_on(state, controllers=None, lang="en")``.

    ``controllers`` maps company ids to "human", "random" or "heuristic" (default: all human,
    so nothing moves by itself).
    """
    def factory(state, controllers: dict | None = None, lang: str = "en"):
        window = make_window(lang)
        window.set_game(state, controllers or {cid: "human" for cid in state.players})
        return window

    return factory


@pytest.fixture
def read_only(tmp_path):
    """Make folders read-only for this test, also as root (the immutable flag); skip if the
    machine allows neither."""
    made: list[Path] = []

    def make(folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            if shutil.which("chattr") is None or \
                    subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
                pytest.skip("cannot make a folder read-only for root here (no chattr +i)")
        else:
            folder.chmod(0o555)
        made.append(folder)
        probe = folder / ".probe"
        try:
            probe.touch()
        except OSError:
            return folder
        probe.unlink()
        pytest.skip("the folder stayed writable")

    yield make
    for folder in made:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
        else:
            folder.chmod(0o755)
