"""The clinic's logo, drawn from SVG (as vector art, with svglib) or PNG/JPEG, scaled
to fit a box. The loader has checked the file (load/assets.py)."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from reportlab.graphics.shapes import Drawing
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image


class LogoError(ValueError):
    """The logo file cannot be drawn (it passed the loader's checks: rare)."""


@cache
def _svg(path: Path) -> Drawing:
    from svglib.svglib import svg2rlg  # here: 70 ms to import, and only an SVG logo needs it

    logging.getLogger("svglib").setLevel(logging.ERROR)
    try:
        drawing = svg2rlg(str(path))
    except Exception as exc:  # svglib raises lxml and value errors of many kinds
        raise LogoError(f"not a readable SVG file ({type(exc).__name__})") from None
    if drawing is None or not drawing.width or not drawing.height:
        raise LogoError("not a readable SVG file (no drawing in it)")
    return drawing


def logo_flowable(path: Path, box: float, font: str) -> Flowable:
    """The logo scaled to fit a square box of `box` points, keeping its proportions.
    `font` is where the drawing's state starts, so no standard font is put in the PDF."""
    if path.suffix.lower() == ".svg":
        art = _svg(path)
        scale = box / max(art.width, art.height)
        drawing = Drawing(art.width * scale, art.height * scale)
        drawing.add(art)
        drawing.scale(scale, scale)
        drawing.initialFontName = font
        return drawing
    width, height = ImageReader(str(path)).getSize()
    scale = box / max(width, height)
    return Image(str(path), width=width * scale, height=height * scale)
