"""The TrueType fonts shipped in brochure/fonts/, registered once per process.

Every glyph in a brochure PDF comes from an embedded, subset TrueType font;
the standard Type 1 fonts (Helvetica) are never used.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).parent / "fonts"


@dataclass(frozen=True)
class Family:
    """A font family: the file of each weight and the names ReportLab knows them by."""

    name: str
    regular: str
    bold: str

    @property
    def bold_name(self) -> str:
        """The name the bold weight is registered under."""
        return f"{self.name}-Bold"


FAMILIES = {
    "NotoSans": Family("NotoSans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
}


@cache
def register(family_name: str) -> Family:
    """Register a family's regular and bold weights with ReportLab (once)."""
    family = FAMILIES[family_name]
    pdfmetrics.registerFont(TTFont(family.name, str(FONT_DIR / family.regular)))
    pdfmetrics.registerFont(TTFont(family.bold_name, str(FONT_DIR / family.bold)))
    # Italic maps to the upright faces: leaflets avoid italics for readability.
    for bold, italic, face in ((0, 0, family.name), (1, 0, family.bold_name), (0, 1, family.name), (1, 1, family.bold_name)):
        addMapping(family.name, bold, italic, face)
    return family
