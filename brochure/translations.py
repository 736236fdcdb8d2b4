"""Translation tracking: which documents exist in which language, and whether
each translation is current, stale (its source changed since) or a draft."""

from __future__ import annotations

import hashlib
from pathlib import Path


def source_hash(path: Path) -> str:
    """A short fingerprint of a source file's text, stored in its translations."""
    data = path.read_bytes().replace(b"\r\n", b"\n")
    return hashlib.sha256(data).hexdigest()[:16]
