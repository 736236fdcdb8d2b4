"""The modules of a QR code, for any writer: which squares are dark, encoded once per text."""

from __future__ import annotations

from functools import lru_cache

from reportlab.graphics.barcode import qrencoder

QUIET_ZONE = 4  # modules of white around the code, as the standard asks


@lru_cache(maxsize=512)
def modules(text: str) -> tuple[tuple[bool, ...], ...]:
    """The dark (True) and light modules of a QR code for `text`, error correction M."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    return tuple(tuple(bool(m) for m in row) for row in code.modules)
