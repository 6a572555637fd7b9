"""Where the autosave lives: ``platformdirs.user_data_dir("closed-loop")/autosave.json``.

``CLOSED_LOOP_DATA_DIR`` overrides the folder (tests and portable installs use it).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_DIR_NAME = "closed-loop"
AUTOSAVE_NAME = "autosave.json"


def data_dir() -> Path:
    override = os.environ.get("CLOSED_LOOP_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_DIR_NAME))


def autosave_path() -> Path:
    return data_dir() / AUTOSAVE_NAME


def remove_autosave() -> None:
    try:
        autosave_path().unlink()
    except FileNotFoundError:
        pass
