"""The Chinese font the app ships, so Chinese renders on a machine without any CJK font.

``assets/fonts/`` holds a subset of Noto Sans CJK SC (SIL Open Font License 1.1, see
``assets/fonts/OFL.txt``) made by ``tools/subset_font.py``: the 3,755 common characters plus
every character of the rules. Call :func:`install_app_font` once a ``QApplication`` exists::

    app = QApplication(sys.argv)
    family = install_app_font()
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtGui import QFontDatabase, QGuiApplication

from game.paths import ASSETS_DIR

FONT_DIR = Path(os.environ.get("CLOSED_LOOP_FONT_DIR",
                               ASSETS_DIR / "fonts"))
REGULAR_FILE = "NotoSansSC-ClosedLoop-Regular.otf"
OPTIONAL_FILES = ("NotoSansSC-ClosedLoop-Bold.otf",)

_loaded: dict[Path, int] = {}      # font file -> QFontDatabase id, once per process


def font_path() -> Path:
    """The regular face shipped with the game."""
    return FONT_DIR / REGULAR_FILE


def _add(path: Path) -> list[str]:
    if path in _loaded and QFontDatabase.applicationFontFamilies(_loaded[path]):
        return QFontDatabase.applicationFontFamilies(_loaded[path])
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if families:
        _loaded[path] = font_id
    return families


def install_app_font() -> str:
    """Load the shipped CJK font and make it the application's default family.

    The point size of the current application font is kept. Returns the family name.
    Raises RuntimeError, naming the file, when there is no QApplication yet or the font
    cannot be loaded.
    """
    app = QGuiApplication.instance()
    if app is None:
        raise RuntimeError("install_app_font() needs a QApplication: create it first")
    path = font_path()
    if not path.is_file():
        raise RuntimeError(f"The Chinese font {path} is missing: run tools/subset_font.py "
                           "or restore assets/fonts/ from the repository")
    families = _add(path)
    if not families:
        raise RuntimeError(f"Qt could not load the Chinese font {path} "
                           "(QFontDatabase.addApplicationFont failed): the file may be damaged; "
                           "run tools/subset_font.py to rebuild it")
    for name in OPTIONAL_FILES:            # the bold face is welcome but not required
        if (FONT_DIR / name).is_file():
            _add(FONT_DIR / name)
    family = families[0]
    font = QGuiApplication.font()
    font.setFamily(family)
    font.setFamilies([family])
    QGuiApplication.setFont(font)
    return family
