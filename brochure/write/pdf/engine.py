"""ReportLab, set up once for the PDF writer: binary streams, the text map of shaped
glyphs, words shaped one font at a time and list bullets as labels in the structure
tree (Chinese lines are broken by our own rules, in cjk.py). Nothing else in brochure
changes ReportLab; nothing happens at import."""

from __future__ import annotations

from functools import cache
from typing import Any

from reportlab import rl_config
from reportlab.pdfbase import ttfonts
from reportlab.platypus import paragraph

from .fonts import shape_by_font, to_unicode_cmap
from .tagging import label_of


@cache
def setup() -> None:
    """Configure ReportLab for brochure's PDFs (once per process)."""
    # Binary streams: ASCII85 only makes files a quarter larger and costs time (pure Python).
    rl_config.useA85 = 0
    # Shaped glyphs without a code point of their own are given their letters in the
    # ToUnicode map, so that copy, search and speech get the text back.
    ttfonts.makeToUnicodeCMap = to_unicode_cmap
    # A word whose letters come from two fonts (a name mixing scripts) is shaped one font at a time.
    paragraph.shapeFragWord = shape_by_font
    # A list item's bullet or number is its label (Lbl) in the structure tree, apart from its body.
    draw_bullet = paragraph._drawBullet

    def draw_bullet_as_label(canvas: Any, *args: Any, **kwargs: Any) -> Any:
        with label_of(canvas):
            return draw_bullet(canvas, *args, **kwargs)

    paragraph._drawBullet = draw_bullet_as_label
