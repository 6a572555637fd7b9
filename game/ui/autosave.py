"""Autosave slots: one file per open window, in ``platformdirs.user_data_dir("closed-loop")``.

``CLOSED_LOOP_DATA_DIR`` overrides the folder (tests and portable installs use it).

Each window holds one slot, ``autosave.json`` (slot 0) or ``autosave-N.json``, under a lock
file (:class:`QLockFile`, which a crashed program leaves stale and the next one takes over), so
two windows never write over each other's game. A slot whose window closed or crashed is free
again, and its unfinished game is offered to the next window that starts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from PySide6.QtCore import QLockFile

from game.saves import remove_stale_temporaries

APP_DIR_NAME = "closed-loop"
AUTOSAVE_NAME = "autosave.json"
MAX_SLOTS = 16


def data_dir() -> Path:
    override = os.environ.get("CLOSED_LOOP_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_DIR_NAME))


def slot_path(index: int, folder: Path | None = None) -> Path:
    folder = data_dir() if folder is None else folder
    return folder / (AUTOSAVE_NAME if index == 0 else f"autosave-{index}.json")


def autosave_path() -> Path:
    """Slot 0's file: the autosave of the first (usually the only) window."""
    return slot_path(0)


@dataclass
class SlotProblem:
    """Why a window has no slot of its own (e.g. the data folder cannot be written)."""

    folder: Path
    reason: str


class AutosaveSlot:
    """The autosave file this window alone writes; :meth:`acquire` picks and locks it."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = data_dir() if folder is None else Path(folder)
        self.index = 0
        self._lock: QLockFile | None = None
        self.problem: SlotProblem | None = None

    @property
    def path(self) -> Path:
        return slot_path(self.index, self.folder)

    @property
    def locked(self) -> bool:
        return self._lock is not None

    def acquire(self) -> bool:
        """Lock the lowest free slot. False (and :attr:`problem` set) if none can be locked."""
        if self._lock is not None:
            return True
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.problem = SlotProblem(self.folder, exc.strerror or str(exc))
            return False
        for index in range(MAX_SLOTS):
            if self._try_lock(index):
                return True
            if self.problem is not None:     # not "taken by another window": give up
                return False
        self.problem = SlotProblem(self.folder, f"all {MAX_SLOTS} autosave slots are in use")
        return False

    def _try_lock(self, index: int) -> bool:
        lock = QLockFile(str(self.folder / f".autosave-{index}.lock"))
        lock.setStaleLockTime(0)         # stale only when its program is gone, never by age
        if lock.tryLock(0):
            self._lock, self.index, self.problem = lock, index, None
            remove_stale_temporaries(self.path)
            return True
        if lock.error() != QLockFile.LockError.LockFailedError:  # no permission, unknown error
            self.problem = SlotProblem(self.folder, _lock_error_text(lock.error()))
        return False

    def take_over(self, index: int) -> bool:
        """Move to slot ``index`` (to resume the game a closed window left there)."""
        if index == self.index and self._lock is not None:
            return True
        old_lock = self._lock
        if not self._try_lock(index):
            return False
        if old_lock is not None:
            old_lock.unlock()
        return True

    def orphans(self) -> list[int]:
        """Slots holding a game whose window is gone (ours first), newest first."""
        found: list[tuple[float, int]] = []
        for index in range(MAX_SLOTS):
            path = slot_path(index, self.folder)
            try:
                mtime = path.stat().st_mtime
            except OSError:
                continue
            if index == self.index and self._lock is not None:
                found.append((float("inf"), index))
                continue
            probe = QLockFile(str(self.folder / f".autosave-{index}.lock"))
            probe.setStaleLockTime(0)
            if probe.tryLock(0):
                probe.unlock()
                found.append((mtime, index))
            elif probe.error() != QLockFile.LockError.LockFailedError and self._lock is None:
                found.append((mtime, index))    # cannot lock anything here: read-only folder
        return [i for _, i in sorted(found, reverse=True)]

    def remove(self, index: int | None = None) -> str | None:
        """Delete a slot's file; returns why it could not be deleted, or None."""
        path = slot_path(self.index if index is None else index, self.folder)
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            return f"{path}: {exc.strerror or exc}"
        return None

    def release(self) -> None:
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None


def _lock_error_text(error: QLockFile.LockError) -> str:
    if error == QLockFile.LockError.PermissionError:
        return "the folder cannot be written (permission denied)"
    return "the lock file cannot be created"
