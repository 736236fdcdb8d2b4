"""Check a logo file when the clinic profile is loaded, without drawing it: the
extension is one we can draw, and the file is what it says it is (an SVG with a
size, a PNG or JPEG with its signature). Drawing it is the PDF writer's job."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class LogoError(ValueError):
    """The logo file cannot be used."""


def check_logo(path: Path) -> None:
    """Raise LogoError if the file is not an image brochure can draw."""
    suffix = path.suffix.lower()
    if suffix not in LOGO_SUFFIXES:
        raise LogoError(f"'{path.suffix}' is not a logo format (use SVG, PNG or JPEG)")
    data = path.read_bytes()
    if suffix == ".svg":
        check_svg(data)
    elif suffix == ".png":
        if not data.startswith(PNG_SIGNATURE) or len(data) < 24 or data[12:16] != b"IHDR":
            raise LogoError("not a readable image (no PNG header)")
        width, height = struct.unpack(">II", data[16:24])
        if not width or not height:
            raise LogoError("the image is empty")
    elif not data.startswith(b"\xff\xd8\xff"):
        raise LogoError("not a readable image (no JPEG header)")


def check_svg(data: bytes) -> None:
    """An SVG document with a size (width and height, or a viewBox)."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise LogoError(f"not a readable SVG file ({exc})") from None
    if root.tag.rpartition("}")[2] != "svg":
        raise LogoError("not a readable SVG file (no <svg> element)")
    if not (root.get("viewBox") or (root.get("width") and root.get("height"))):
        raise LogoError("not a readable SVG file (no size: give it a viewBox)")
