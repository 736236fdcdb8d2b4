"""Write output files atomically: a reader never sees a half-written file."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from ..errors import FileError


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write `data` to a temporary file beside `path`, then rename it into place;
    FileError, naming `path` and the fix, if that cannot be done."""
    try:
        replace_atomic(path, data, mode)
    except OSError as exc:
        raise FileError(path, exc) from exc


def check_writable(path: Path) -> None:
    """FileError, naming `path` and the fix, unless a file can be written there now (a
    temporary one, removed): before work whose end is writing it (a batch's report)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        os.unlink(tmp)
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    except OSError as exc:
        raise FileError(path, exc) from exc


def replace_atomic(path: Path, data: bytes, mode: int, sync: bool = True) -> None:
    """Write a temporary file beside `path` (created 0600), synced unless not `sync`
    (see `sync_folder`), then give it `mode` and rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if sync:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sync_folder(folder: Path, paths: list[Path]) -> None:
    """Make files written into `folder` without syncing durable, their names too: one
    syncfs(2) of the folder's file system where the C library has it (Linux), which
    costs about what two files' fsyncs do; else an fsync of each file and the folder."""
    import ctypes  # here, not at the top: only the mail outbox syncs a folder

    try:
        syncfs = getattr(ctypes.CDLL(None, use_errno=True), "syncfs", None)
    except OSError:
        syncfs = None
    fd = os.open(folder, os.O_RDONLY)
    try:
        if syncfs is not None:
            if syncfs(fd) != 0:
                raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(folder))
            return
        for path in paths:
            with path.open("rb") as f:
                os.fsync(f.fileno())
        os.fsync(fd)
    finally:
        os.close(fd)
