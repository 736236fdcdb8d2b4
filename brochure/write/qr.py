"""The modules of a QR code, for any writer: which squares are dark, encoded once per text."""

from __future__ import annotations

from functools import lru_cache

QUIET_ZONE = 4  # modules of white around the code, as the standard asks


@lru_cache(maxsize=512)
def modules(text: str) -> tuple[tuple[bool, ...], ...]:
    """The dark (True) and light modules of a QR code for `text`, error correction M
    (not raised even where the version would hold more), the smallest version that holds it."""
    import segno  # here: only a document rendered (not one read from the cache) draws a code

    code = segno.make_qr(text, error="m", boost_error=False)
    return tuple(tuple(bool(m) for m in row) for row in code.matrix)
