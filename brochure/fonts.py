"""The TrueType fonts shipped in brochure/fonts/, registered once per process,
and font fallback: each run of text gets a font that has its glyphs.

Every glyph in a brochure PDF comes from an embedded, subset TrueType font;
the standard Type 1 fonts (Helvetica) are never used.
"""

from __future__ import annotations

import re
import unicodedata
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

    @property
    def bold_name(self) -> str:
        """The name the bold weight is registered under."""
        return f"{self.name}-Bold"

    def path(self, weight: str) -> Path:
        """The TrueType file of a weight (Regular or Bold)."""
        return FONT_DIR / f"{self.name}-{weight}.ttf"


FAMILIES = {name: Family(name) for name in ("NotoSans", "NotoSansArabic", "NotoSansDevanagari", "NotoSansSC")}
# The main family of each script; Latin text uses the layout's font.
SCRIPT_FAMILIES = {"arabic": "NotoSansArabic", "devanagari": "NotoSansDevanagari", "han": "NotoSansSC"}
# The order in which families are tried for a character none of the earlier ones has.
FALLBACK = ("NotoSans", "NotoSansArabic", "NotoSansDevanagari", "NotoSansSC")
MARKUP = re.compile(r"(<[^>]*>|&[#\w]+;)")


@cache
def register(family_name: str) -> Family:
    """Register a family's regular and bold weights with ReportLab (once)."""
    family = FAMILIES[family_name]
    pdfmetrics.registerFont(TTFont(family.name, str(family.path("Regular"))))
    pdfmetrics.registerFont(TTFont(family.bold_name, str(family.path("Bold"))))
    # Italic maps to the upright faces: leaflets avoid italics for readability.
    for bold, italic in ((0, 0), (1, 0), (0, 1), (1, 1)):
        addMapping(family.name, bold, italic, family.bold_name if bold else family.name)
    return family


@cache
def coverage(family_name: str) -> frozenset[int]:
    """The code points a family's regular weight has glyphs for."""
    register(family_name)
    return frozenset(pdfmetrics.getFont(family_name).face.charToGlyph)


def chain_for(primary: str) -> tuple[str, ...]:
    """The fallback order for text whose main font is `primary`."""
    return (primary,) + tuple(name for name in FALLBACK if name != primary)


def family_of(char: str, chain: tuple[str, ...]) -> str:
    """The first family in `chain` that has a glyph for `char`."""
    for name in chain:
        if ord(char) in coverage(name):
            return name
    return chain[0]


def sticks_to_previous(char: str) -> bool:
    """Marks, joiners and other format characters stay in the font of the letter before them."""
    return unicodedata.category(char) in ("Mn", "Mc", "Me", "Cf")


def font_runs(text: str, chain: tuple[str, ...]) -> list[tuple[str, str]]:
    """Split plain text into (family, run) pieces, each family having the run's glyphs."""
    runs: list[tuple[str, str]] = []
    for char in text:
        if runs and (sticks_to_previous(char) or char == " "):
            name = runs[-1][0]
        else:
            name = family_of(char, chain)
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + char)
        else:
            runs.append((name, char))
    return runs


def with_fallback(markup: str, chain: tuple[str, ...]) -> str:
    """Paragraph markup with <font> tags around text the first family cannot show."""
    out: list[str] = []
    for piece in MARKUP.split(markup):
        if not piece or MARKUP.fullmatch(piece):
            out.append(piece)
            continue
        for name, run in font_runs(piece, chain):
            out.append(run if name == chain[0] else f'<font face="{name}">{run}</font>')
    return "".join(out)


def missing_glyphs(text: str, chain: tuple[str, ...]) -> set[str]:
    """Characters of `text` that no family in the chain can show."""
    return {c for c in set(text) if c.isprintable() and not c.isspace() and not any(ord(c) in coverage(n) for n in chain)}
