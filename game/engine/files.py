"""Reading a file that someone else wrote, safely: regular files only, of bounded size.

Rules folders and save files come from players and teachers. A path that names a FIFO would
block ``open()`` until a writer comes, a link to ``/dev/zero`` would never reach the end of the
file, and a huge file would fill the memory. :func:`read_regular_file` refuses all of them
with a :class:`FileReadError` that says why, before reading anything.

>>> import tempfile, os
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "a.toml").write_bytes(b"x = 1")
>>> read_regular_file(folder / "a.toml", max_bytes=100)
b'x = 1'
>>> try:
...     read_regular_file(folder, max_bytes=100)
... except FileReadError as exc:
...     print(exc.reason)
is a folder, not a file
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

__all__ = ["FileReadError", "read_regular_file"]

_CHUNK = 1 << 16


class FileReadError(OSError):
    """A path that is not a regular file, is too large, or leads out of its folder.

    An :class:`OSError`, so code that already handles unreadable files handles these too;
    ``reason`` (also ``strerror``) is the why in words, ``filename`` the path.
    """

    def __init__(self, path: str | os.PathLike[str], reason: str, code: int = errno.EINVAL):
        super().__init__(code, reason, str(path))
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.filename}: {self.reason}"

    def __reduce__(self) -> tuple[type[FileReadError], tuple[str, str, int]]:
        # OSError's own would call FileReadError(errno, strerror, filename): the wrong order.
        return type(self), (str(self.filename), self.reason, self.errno if self.errno is not None else errno.EINVAL)


def _kind(mode: int) -> str | None:
    """Why a file of this mode cannot be read as a file, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe), not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    return "is not a regular file"


def read_regular_file(path: str | os.PathLike[str], max_bytes: int, *,
                      within: str | os.PathLike[str] | None = None,
                      follow_symlinks: bool = True) -> bytes:
    """The bytes of the regular file at ``path``, at most ``max_bytes`` of them.

    Raises :class:`FileReadError` (an ``OSError``) when the path is a folder, FIFO, socket or
    device, when the file is larger than ``max_bytes``, when ``within`` is given and the path
    (links resolved) leads outside that folder, or when ``follow_symlinks`` is False and the
    path is a symbolic link. Other failures raise the usual ``OSError`` subclasses
    (``FileNotFoundError``, ``PermissionError``, ...).

    Never blocks: the kind of file is checked before it is opened, and it is opened with
    ``O_NONBLOCK`` (so a path swapped for a FIFO meanwhile cannot hang) and checked again on
    the open descriptor before a single byte is read. At most ``max_bytes + 1`` bytes are read,
    so a file that grows while it is read cannot exhaust memory either.
    """
    path = Path(path)
    if within is not None and not _inside(path, within):
        raise FileReadError(path, "leads outside its folder (a link to another place?)", errno.EACCES)
    st = os.stat(path, follow_symlinks=follow_symlinks)
    if not follow_symlinks and stat.S_ISLNK(st.st_mode):
        raise FileReadError(path, "is a symbolic link, not a regular file", errno.ELOOP)
    why = _kind(st.st_mode)
    if why is not None:
        raise FileReadError(path, why, errno.EISDIR if stat.S_ISDIR(st.st_mode) else errno.EINVAL)
    _check_size(path, st.st_size, max_bytes)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        why = _kind(st.st_mode)
        if why is not None:  # swapped between stat() and open()
            raise FileReadError(path, why)
        _check_size(path, st.st_size, max_bytes)
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(_CHUNK, left))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    _check_size(path, len(data), max_bytes)
    return data


def _inside(path: Path, folder: str | os.PathLike[str]) -> bool:
    """Whether ``path``, every link resolved, is ``folder`` or inside it."""
    root, real = os.path.realpath(folder), os.path.realpath(path)
    try:
        return os.path.commonpath([root, real]) == root
    except ValueError:  # another drive (Windows)
        return False


def _check_size(path: Path, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise FileReadError(path, f"is larger than {max_bytes:,} bytes", errno.EFBIG)
