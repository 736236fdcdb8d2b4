"""The TrueType fonts shipped in brochure/fonts/, registered with ReportLab once
per process, and font fallback: each run of text gets a font that has its glyphs.

Every glyph in a brochure PDF comes from an embedded, subset TrueType font;
the standard Type 1 fonts (Helvetica) are never used.
"""

from __future__ import annotations

import hashlib
import html
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import paragraph as paragraph_module

from ...scripts import FALLBACK, FONT_DIR, FONT_FAMILIES, SCRIPTS


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


FAMILIES = {name: Family(name) for name in FONT_FAMILIES}
BOLD_NAMES = frozenset(family.bold_name for family in FAMILIES.values())
TAG_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def subset_tag(name: str, widths: object) -> str:
    """Six capital letters that tell one font subset from another (ISO 32000 9.6.4):
    from the font's name and the glyphs the subset holds, so the same for the same subset."""
    digest = hashlib.sha256(f"{name}\x00{widths}".encode()).digest()
    return "".join(TAG_LETTERS[b % 26] for b in digest[:6])


def escape(text: str) -> str:
    """Text made safe inside a paragraph's markup (&, < and >)."""
    return html.escape(text, quote=False)


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


@cache
def covered_chars(family_name: str) -> frozenset[str]:
    """The characters a family's regular weight has glyphs for."""
    return frozenset(map(chr, coverage(family_name)))


def chain_for(primary: str) -> tuple[str, ...]:
    """The fallback order for text whose main font is `primary`."""
    return (primary,) + tuple(name for name in FALLBACK if name != primary)


def script_chain(script: str) -> tuple[str, ...]:
    """The fallback order for text in a script (latin, arabic, devanagari, han)."""
    return chain_for(SCRIPTS[script].family or FALLBACK[0])


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


def with_fallback(text: str, chain: tuple[str, ...], bold: bool = False) -> str:
    """Plain text as paragraph markup: escaped, with <font> tags around the runs the
    first family cannot show, naming the bold weight in bold text (inside <b>, ReportLab
    takes a face as it is named)."""
    if covered_chars(chain[0]).issuperset(text):
        return escape(text)
    out = []
    for name, run in font_runs(text, chain):
        face = FAMILIES[name].bold_name if bold else name
        out.append(escape(run) if name == chain[0] else f'<font face="{face}">{escape(run)}</font>')
    return "".join(out)


def missing_glyphs(text: str, chain: tuple[str, ...]) -> set[str]:
    """Characters of `text` that no family in the chain can show: anything but spaces
    and control characters, unassigned and private-use code points included (a font
    lacking a format character such as a bidi mark would draw a box for it too)."""
    return {
        c
        for c in set(text)
        if not c.isspace() and unicodedata.category(c) != "Cc" and not any(ord(c) in coverage(n) for n in chain)
    }


# Shaped glyphs that have no code point of their own (Arabic contextual forms built
# from a dotless letter and its dots, Devanagari conjuncts) get private-use code
# points from ReportLab. The text each one stands for is kept here so that the
# PDF's ToUnicode map gives the letters back to text extraction and copy-paste.
PRIVATE_TEXT: dict[tuple[str, int], str] = {}
# Shaped words and spaces, reused within a document (their code points are only valid
# until the next reset): (text, font, size, right-to-left, script) -> glyphs.
SHAPED: dict[tuple[str, str, float, bool, str], Any] = {}


def private_codes(font_name: str, glyphs: Iterable[tuple[int, str, int, str]]) -> list[int]:
    """Private-use code points for glyphs (id, name, advance, the text each stands for):
    one per glyph and text."""
    font = pdfmetrics.getFont(font_name)
    face = font.face.name.decode("latin-1")
    codes = []
    for gid, name, advance, text in glyphs:
        code: int = font.hbAddPrivate(f"{name}\x00{text}", gid, advance)
        PRIVATE_TEXT[(face, code)] = text
        codes.append(code)
    return codes


def reset_private_codes() -> None:
    """Forget the private-use code points of the previous document.

    ReportLab numbers them in order of first use in the process; starting each
    document afresh makes the numbering, and so the PDF bytes, depend on the
    document alone."""
    PRIVATE_TEXT.clear()
    SHAPED.clear()
    for font in list(pdfmetrics._fonts.values()):
        unis = getattr(font, "_TTFont__hbUnis", None)
        if not unis:
            continue
        face = font.face
        for code in unis.values():
            gid = face.charToGlyph.pop(code, None)
            face.charWidths.pop(code, None)
            if gid is not None and code in face.glyphToChar.get(gid, []):
                face.glyphToChar[gid].remove(code)
                if not face.glyphToChar[gid]:
                    del face.glyphToChar[gid]
        font._TTFont__hbUnis = {}
        font._TTFont__hbPrivate = 0xE000


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, with private-use codes mapped to their text, and
    characters beyond the Basic Multilingual Plane (196 of the general standard Chinese
    characters, such as 𫖮) written in UTF-16, where ReportLab writes their bare code point."""
    face_name = fontname.split("+", 1)[-1]
    lines = REPORTLAB_TO_UNICODE(fontname, subset).split("\n")
    for i, code in enumerate(subset):
        text = PRIVATE_TEXT.get((face_name, code))
        if text is None and code > 0xFFFF:
            text = chr(code)
        if text is not None:
            old = f"<{i:02X}> <{code:04X}>"
            lines[lines.index(old)] = f"<{i:02X}> <{text.encode('utf-16-be').hex().upper()}>"
    return "\n".join(lines)


REPORTLAB_TO_UNICODE = ttfonts.makeToUnicodeCMap  # replaced by to_unicode_cmap in engine.setup()
REPORTLAB_SHAPE = paragraph_module.shapeFragWord  # replaced by shape_by_font in engine.setup()


def shape_by_font(word: Any, *args: Any, **kwargs: Any) -> Any:
    """Shape a paragraph word one font at a time.

    ReportLab shapes a word whose pieces are in different fonts (font fallback
    inside a word, as in a name mixing scripts) with the first piece's font, and
    then draws its glyph numbers from the others, which crashes or draws the wrong
    glyphs."""
    pieces = word[1:]
    if len(pieces) < 2 or isinstance(word, ttfonts.ShapedFragWord):
        return REPORTLAB_SHAPE(word, *args, **kwargs)
    if len({f.fontName for f, _ in pieces if not hasattr(f, "cbDefn")}) == 1:
        return REPORTLAB_SHAPE(word, *args, **kwargs)
    groups: list[list[Any]] = []
    for piece in pieces:
        if groups and (hasattr(piece[0], "cbDefn") or piece[0].fontName == groups[-1][-1][0].fontName):
            groups[-1].append(piece)
        else:
            groups.append([piece])
    width, out = 0.0, []
    for group in groups:
        start = sum(stringWidth(text, f.fontName, f.fontSize) for f, text in group if not hasattr(f, "cbDefn"))
        shaped = REPORTLAB_SHAPE([start, *group], *args, **kwargs)
        width += shaped[0]
        out.extend(shaped[1:])
    return ttfonts.makeShapedFragWord(word)([width, *out])
