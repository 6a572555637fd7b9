"""Save files on disk: JSON from :mod:`game.engine.serialize`, written safely.

A save is written to a temporary file beside the target and then moved over it, so a crash or
a full disk never leaves a good save half-overwritten. Loading refuses what it cannot verify,
the app's own metadata included (:class:`SaveMeta`, shared by the app and ``replay``).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.engine import GameState, Rules, SaveError
from game.engine.files import read_regular_file
from game.engine.serialize import dumps, loads_with_meta

MAX_SAVE_BYTES = 5_000_000
CONTROLLER_KINDS = ("human", "random", "heuristic", "easy", "normal", "hard")
LANGS = ("zh", "en")
# A temporary file older than this is left over from a crash (a live write takes milliseconds).
STALE_TMP_SECONDS = 600


@dataclass(frozen=True)
class SaveMeta:
    """What the app keeps beside the game: who plays each company, the language, autosave or not.

    ``controllers`` names every company of the game (missing ones are people); ``extra`` keeps
    keys this version does not know, untouched.
    """

    controllers: dict[str, str] = field(default_factory=dict)
    lang: str | None = None
    autosave: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.extra)
        out["controllers"] = dict(self.controllers)
        if self.lang is not None:
            out["lang"] = self.lang
        out["autosave"] = self.autosave
        return out


def read_meta(state: GameState, meta: Any) -> SaveMeta:
    """Validate a save's ``meta`` object against its game; :class:`SaveError` says what is wrong."""
    if not isinstance(meta, dict):
        raise SaveError("'meta' in the save must be an object")
    controllers: dict[str, str] = {cid: "human" for cid in state.players}
    raw = meta.get("controllers", {})
    if not isinstance(raw, dict):
        raise SaveError("'meta.controllers' must map company ids to one of "
                        f"{', '.join(CONTROLLER_KINDS)} (got {type(raw).__name__})")
    for cid, kind in raw.items():
        if cid not in controllers:
            raise SaveError(f"'meta.controllers' names '{_short(cid)}', which is not in this game "
                            f"({', '.join(state.players)})")
        if kind not in CONTROLLER_KINDS:
            raise SaveError(f"'meta.controllers.{cid}' must be one of {', '.join(CONTROLLER_KINDS)} "
                            f"(got {_short(kind)})")
        controllers[cid] = kind
    lang = meta.get("lang")
    if lang is not None and lang not in LANGS:
        raise SaveError(f"'meta.lang' must be one of {', '.join(LANGS)} (got {_short(lang)})")
    autosave = meta.get("autosave", False)
    if not isinstance(autosave, bool):
        raise SaveError(f"'meta.autosave' must be true or false (got {_short(autosave)})")
    extra = {k: v for k, v in meta.items() if k not in ("controllers", "lang", "autosave")}
    return SaveMeta(controllers, lang, autosave, extra)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def save_game(state: GameState, path: str | Path, meta: SaveMeta | dict[str, Any] | None = None,
              durable: bool = True) -> Path:
    """Write ``state`` to ``path`` atomically; returns the path.

    ``durable`` also flushes the file to the disk (fsync): a power cut cannot lose it. Without
    it the write is still atomic and survives the program being killed, and costs far less,
    which is what an autosave after every action needs.
    """
    text = dumps(state, meta.to_dict() if isinstance(meta, SaveMeta) else meta)
    return write_text_atomic(path, text, durable=durable)


def write_text_atomic(path: str | Path, text: str, durable: bool = True) -> Path:
    """Write ``text`` to ``path`` through a temporary file beside it, then move it over: the
    old file stays whole until the new one is complete. Returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    remove_stale_temporaries(path)
    return path


def remove_stale_temporaries(path: str | Path, older_than: float = STALE_TMP_SECONDS) -> int:
    """Delete the temporary files a killed write to ``path`` left behind; returns how many.

    Only files named like :func:`save_game`'s temporaries for this very path, and only old
    ones, so another program writing the same save at this moment is not disturbed.
    """
    path = Path(path)
    removed = 0
    now = time.time()
    try:
        candidates = list(path.parent.glob(f".{path.name}.*.tmp"))
    except OSError:
        return 0
    for tmp in candidates:
        try:
            if now - tmp.lstat().st_mtime >= older_than:
                tmp.unlink()
                removed += 1
        except OSError:
            pass
    return removed


def load_game(rules: Rules, path: str | Path) -> tuple[GameState, SaveMeta]:
    """Read, verify and replay a save; raises :class:`SaveError` naming the file and the reason."""
    path = Path(path)
    raw = _read_save_bytes(path)
    try:
        state, meta = loads_with_meta(rules, raw)
        return state, read_meta(state, meta)
    except SaveError as exc:
        raise SaveError(f"{path}: {exc}") from None


def _read_save_bytes(path: Path) -> bytes:
    """The file's bytes: a regular file of bounded size only (a FIFO or a device never blocks
    or fills the memory)."""
    try:
        return read_regular_file(path, MAX_SAVE_BYTES)
    except OSError as exc:
        raise SaveError(f"{path}: cannot be read ({exc.strerror or exc})") from None
