"""Save files on disk: JSON from :mod:`game.engine.serialize`, written safely.

A save is written to a temporary file beside the target and then moved over it, so a crash or
a full disk never leaves a good save half-overwritten. Loading refuses what it cannot verify.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from game.engine import GameState, Rules, SaveError
from game.engine.serialize import dumps, loads_with_meta

MAX_SAVE_BYTES = 5_000_000


def save_game(state: GameState, path: str | Path, meta: dict[str, Any] | None = None) -> Path:
    """Write ``state`` to ``path`` atomically; returns the path."""
    path = Path(path)
    text = dumps(state, meta)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def load_game(rules: Rules, path: str | Path) -> tuple[GameState, dict[str, Any]]:
    """Read, verify and replay a save; raises :class:`SaveError` naming the file and the reason."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_SAVE_BYTES:
            raise SaveError(f"{path}: {size:,} bytes is too large for a save")
        raw = path.read_bytes()
    except OSError as exc:
        raise SaveError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        return loads_with_meta(rules, raw)
    except SaveError as exc:
        raise SaveError(f"{path}: {exc}") from None
