"""Where the game's own folders are, wherever it is started from.

In a source checkout (``python main.py``, an editable install) the rules and assets are the
top-level ``rules/`` and ``assets/`` folders beside ``game/``. An installed copy (a wheel, pipx,
a PyInstaller bundle) carries them inside the package as ``game/_data/rules`` and
``game/_data/assets``: ``setup.py`` copies them there when it builds the wheel. The packaged copy
wins when it is there; a checkout never has one (``game/_data/`` is not in git).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The folder that holds ``game/``: the checkout, or ``site-packages`` when installed."""

PACKAGED_DATA = Path(str(files("game") / "_data"))
"""Where an installed copy keeps its rules and assets (see ``setup.py``)."""


def _data_dir(name: str) -> Path:
    packaged = PACKAGED_DATA / name
    if packaged.is_dir():
        return packaged
    beside = ROOT / name
    if beside.is_dir():
        return beside
    return packaged        # missing in both places: name the place an installed copy looks


RULES_DIR = _data_dir("rules")
ASSETS_DIR = _data_dir("assets")

CHECKOUT: Path | None = ROOT if (ROOT / "pyproject.toml").is_file() and (ROOT / "game").is_dir() \
    and (ROOT / "rules").is_dir() else None
"""The source checkout the game runs from, or None when it runs installed: developer commands
(golden playthroughs, the rulebook) work on the checkout's files."""
