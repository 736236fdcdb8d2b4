"""Write output files atomically: a reader never sees a half-written file."""

from __future__ import annotations

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


def replace_atomic(path: Path, data: bytes, mode: int) -> None:
    """Write a temporary file beside `path` (created 0600), synced, then give it `mode`
    and rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
