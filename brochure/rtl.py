"""A right-to-left paragraph: Arabic shaped with HarfBuzz, ordered with the
Unicode bidi algorithm (python-bidi), right-aligned, with bold words, font
fallback and numbers or Latin terms in the right order on every line.

ReportLab's own right-to-left path needs a module (rlbidi) that is not on
PyPI and turns itself off for paragraphs with more than one style, so lines
are broken and ordered here and each same-style, same-direction run is drawn
with ReportLab's shaped-text support.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import uharfbuzz
from bidi import algorithm as uba
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr
from reportlab.platypus.flowables import Flowable
from reportlab.platypus.paraparser import ParaParser

from .fonts import SHAPED, private_code

FEATURES = {"kern": True, "liga": True}
ISOLATES: dict[str, int | None] = {"\u2066": 0, "\u2067": 1, "\u2068": None}  # LRI, RLI, FSI (first strong)
PDI_CHAR = "\u2069"
NEUTRAL = "\ufffc"  # the object replacement character, an other neutral (ON)
UNKNOWN_CLASSES = ("", "LRI", "RLI", "FSI", "PDI")


@dataclass(frozen=True)
class Style:
    """The drawing style of a run of characters."""

    font: str
    size: float
    colour: Any


@dataclass(frozen=True)
class Char:
    """One character in logical order, with its style and bidi level."""

    char: str
    style: Style
    level: int = 1


Line = list[Char]


def parse(markup: str, style: ParagraphStyle) -> list[Char]:
    """ReportLab paragraph markup as styled characters in logical order."""
    parser = ParaParser()
    _, frags, _ = parser.parse(markup, style)
    chars: list[Char] = []
    for frag in frags or []:
        if getattr(frag, "lineBreak", False):
            chars.append(Char("\n", Style(style.fontName, style.fontSize, style.textColor)))
            continue
        run_style = Style(frag.fontName, frag.fontSize, frag.textColor)
        chars.extend(Char(c, run_style) for c in frag.text)
    return with_levels(chars)


def with_levels(chars: list[Char]) -> list[Char]:
    """Resolve bidi embedding levels for a right-to-left paragraph."""
    levels = levels_of("".join(c.char for c in chars), 1)
    return [Char(c.char, c.style, level) for c, level in zip(chars, levels, strict=True)]


def levels_of(text: str, base: int) -> list[int]:
    """Bidi levels of `text` in a paragraph of level `base`, with isolates (LRI, RLI,
    FSI ... PDI) resolved as UAX #9 does, which python-bidi's algorithm does not: the
    text around an isolate sees it as one neutral character, and the isolate's own
    text is resolved on its own, one or two levels up, in its own direction."""
    spans = isolate_spans(text)
    if not spans:
        return plain_levels(text, base)
    outer: list[str] = []
    where = [0] * len(text)  # each character's place in the outer text
    placeholders = []
    done = 0
    for start, end in spans:
        for i in range(done, start):
            where[i] = len(outer)
            outer.append(text[i])
        placeholders.append(len(outer))
        where[start] = where[min(end, len(text) - 1)] = len(outer)
        outer.append(NEUTRAL)
        done = end + 1
    for i in range(done, len(text)):
        where[i] = len(outer)
        outer.append(text[i])
    outer_levels = plain_levels("".join(outer), base)
    embedding = plain_levels("".join(outer), base, explicit_only=True)
    levels = [outer_levels[i] for i in where]
    for (start, end), placeholder in zip(spans, placeholders, strict=True):
        inner = text[start + 1 : end]
        around = embedding[placeholder]
        direction = ISOLATES[text[start]]
        if direction is None:
            direction = first_strong(inner)
        level = around + 1 if (around + 1) % 2 == direction else around + 2
        levels[start + 1 : end] = [found - direction + level for found in levels_of(inner, direction)]
    return levels


def isolate_spans(text: str) -> list[tuple[int, int]]:
    """(initiator, matching PDI) of each outermost isolate; an isolate left open ends
    with the text (its 'PDI' is then len(text))."""
    spans, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in ISOLATES:
            start = i if depth == 0 else start
            depth += 1
        elif char == PDI_CHAR and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i))
    if depth:
        spans.append((start, len(text)))
    return spans


def first_strong(text: str) -> int:
    """0 or 1: the direction of the first strong character outside nested isolates (rule P2)."""
    depth = 0
    for char in text:
        if char in ISOLATES:
            depth += 1
        elif char == PDI_CHAR:
            depth = max(0, depth - 1)
        elif depth == 0 and uba.bidirectional(char) in ("L", "R", "AL"):
            return 0 if uba.bidirectional(char) == "L" else 1
    return 0


def plain_levels(text: str, base: int, explicit_only: bool = False) -> list[int]:
    """Bidi levels of text without isolates (python-bidi), or only its explicit embedding
    levels; a code point python-bidi has no class for (unassigned, newer than its
    Unicode, a stray PDI) counts as a neutral."""
    if not text:
        return []
    safe = "".join(NEUTRAL if uba.bidirectional(c) in UNKNOWN_CLASSES else c for c in text)
    storage = uba.get_empty_storage()
    storage["base_level"], storage["base_dir"] = base, "R" if base else "L"
    uba.get_embedding_levels(safe, storage)
    uba.explicit_embed_and_overrides(storage)
    if not explicit_only:
        uba.resolve_weak_types(storage)
        uba.resolve_neutral_types(storage, False)
        uba.resolve_implicit_levels(storage, False)
    # Rule X9 drops embedding controls (LRE ... PDF) and joiners; they take the level of
    # the character before them, so that they stay in its run.
    kept = [i for i, c in enumerate(safe) if uba.bidirectional(c) not in uba.X9_REMOVED]
    found: list[int | None] = [None] * len(safe)
    for i, info in zip(kept, storage["chars"], strict=True):
        found[i] = info["level"]
    out, level = [], base
    for value in found:
        level = value if value is not None else level
        out.append(level)
    return out


def runs(line: Line) -> list[Line]:
    """Maximal pieces of a line with one style and one level, in logical order."""
    out: list[Line] = []
    for char in line:
        if out and out[-1][-1].style == char.style and out[-1][-1].level == char.level:
            out[-1].append(char)
        else:
            out.append([char])
    return out


def visual_order(line: Line) -> list[Line]:
    """The line's runs left to right (rule L2 of the bidi algorithm)."""
    pieces = runs(line)
    if not pieces:
        return pieces
    levels = [p[0].level for p in pieces]
    for level in range(max(levels), 0, -1):  # level 1 is the lowest odd level of an RTL paragraph
        i = 0
        while i < len(pieces):
            if levels[i] >= level:
                j = i
                while j < len(pieces) and levels[j] >= level:
                    j += 1
                pieces[i:j] = pieces[i:j][::-1]
                levels[i:j] = levels[i:j][::-1]
                i = j
            else:
                i += 1
    return pieces


def shaped(run: Line) -> tuple[ShapedStr, float]:
    """A run shaped by HarfBuzz in its own direction, as text ReportLab can draw, and its width.

    Each glyph carries the text it stands for (reversed in right-to-left runs, so
    that extracted text read in reverse is the logical text)."""
    style = run[0].style
    text = "".join(c.char for c in run)
    rtl = run[0].level % 2 == 1
    key = (text, style.font, style.size, rtl)
    if key not in SHAPED:
        SHAPED[key] = shape(text, style, rtl)
    codes, data, width = SHAPED[key]
    return ShapedStr(codes, shapeData=data), width


def shape(text: str, style: Style, rtl: bool) -> tuple[str, list[ShapeData], float]:
    """HarfBuzz glyphs of a run as ReportLab code points and shape data, and the width."""
    font = pdfmetrics.getFont(style.font)
    buf = uharfbuzz.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    buf.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    hb_font = font.hbFont(style.size)
    uharfbuzz.shape(hb_font, buf, FEATURES)
    starts = sorted({info.cluster for info in buf.glyph_infos}) + [len(text)]
    span = {start: text[start:end] for start, end in zip(starts, starts[1:], strict=False)}
    seen: set[int] = set()
    codes, data = [], []
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        gid, cluster = info.codepoint, info.cluster
        piece = "" if cluster in seen else span[cluster]
        seen.add(cluster)
        own = font.face.glyphToChar.get(gid)
        if own and chr(own[0]) == piece:
            code = own[0]
        else:
            code = private_code(style.font, gid, hb_font.glyph_to_string(gid), pos.x_advance, piece[::-1] if rtl else piece)
        codes.append(chr(code))
        data.append(
            ShapeData(
                cluster,
                font.pdfScale(pos.x_advance),
                font.pdfScale(pos.y_advance),
                font.pdfScale(pos.x_offset),
                font.pdfScale(pos.y_offset),
                font.face.charWidths[code],
            )
        )
    width = sum(d.x_advance for d in data) * style.size / 1000
    return "".join(codes), data, width


def words(chars: list[Char]) -> list[Line]:
    """Split into words, each keeping its trailing space; '\\n' is its own word."""
    out: list[Line] = [[]]
    for char in chars:
        if char.char == "\n":
            out.extend([[char], []])
        else:
            out[-1].append(char)
            if char.char == " ":
                out.append([])
    return [w for w in out if w]


def width_of(chars: Line) -> float:
    """The drawn width of characters (shaped, per run)."""
    return sum(shaped(run)[1] for run in runs(chars))


def break_lines(chars: list[Char], width: float) -> list[Line]:
    """Greedy line breaking on spaces, in logical order."""
    lines: list[Line] = [[]]
    used = 0.0
    for word in words(chars):
        if word[0].char == "\n":
            lines.append([])
            used = 0.0
            continue
        trimmed = [c for c in word if c.char != " "] or word
        w = width_of(trimmed)
        if lines[-1] and used + w > width:
            lines.append([])
            used = 0.0
        lines[-1].extend(word)
        spaces = word[len(trimmed) :] if len(trimmed) < len(word) else []
        used += w + sum(stringWidth(c.char, c.style.font, c.style.size) for c in spaces)
    return [strip_spaces(line) for line in lines if strip_spaces(line)]


def strip_spaces(line: Line) -> Line:
    """A line without leading or trailing spaces."""
    start, end = 0, len(line)
    while start < end and line[start].char == " ":
        start += 1
    while end > start and line[end - 1].char == " ":
        end -= 1
    return line[start:end]


def actual_text(line: Line) -> str:
    """A PDF hex string (UTF-16BE with byte order mark) of a line's logical text."""
    text = "".join(c.char for c in line)
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class RTLParagraph(Flowable):
    """A right-aligned, right-to-left paragraph that splits across pages."""

    def __init__(
        self, markup: str, style: ParagraphStyle, bulletText: str | None = None, lines: list[Line] | None = None
    ) -> None:
        super().__init__()
        self.markup, self.style, self.bulletText = markup, style, bulletText
        self.chars = parse(markup, style) if lines is None else []
        self.lines = lines
        self.width = self.height = 0.0

    def minWidth(self) -> float:
        """The widest word: the narrowest this paragraph can be set without splitting a word."""
        return max((width_of([c for c in w if c.char != " "]) for w in words(self.chars)), default=0.0)

    def getSpaceBefore(self) -> float:
        return self.style.spaceBefore

    def getSpaceAfter(self) -> float:
        return self.style.spaceAfter

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        if self.lines is None or getattr(self, "_wrapped_for", None) != availWidth:
            if self.chars:
                self.lines = break_lines(self.chars, availWidth - self.style.leftIndent - self.style.rightIndent)
                self._wrapped_for = availWidth
        self.height = len(self.lines or []) * self.style.leading
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        lines = self.lines or []
        fits = int(availHeight // self.style.leading)
        if fits < 2 or len(lines) - fits < 2 or fits >= len(lines):
            return []  # no widows or orphans: move the whole paragraph
        first = RTLParagraph(self.markup, self.style, self.bulletText, lines[:fits])
        rest = RTLParagraph(self.markup, ParagraphStyle("rest", self.style, spaceBefore=0), None, lines[fits:])
        return [first, rest]

    def draw(self) -> None:
        canvas = self.canv
        style = self.style
        right = self.width - style.leftIndent  # the start indent is on the right
        # Right-aligned unless the style asks for the far (left) side, as footers do.
        y = self.height - style.fontSize
        for line in self.lines or []:
            pieces = [shaped(run) + (run[0].style,) for run in visual_order(line)]
            x = style.rightIndent if style.alignment == TA_LEFT else right - sum(w for _, w, _ in pieces)
            # Text extraction and copy-paste get the line in logical order.
            canvas._code.append(f"/Span <</ActualText {actual_text(line)}>> BDC")
            for text, w, run_style in pieces:
                canvas.setFont(run_style.font, run_style.size)
                canvas.setFillColor(run_style.colour)
                canvas.drawString(x, y, text)
                x += w
            canvas._code.append("EMC")
            y -= style.leading
        if self.bulletText:
            font = style.bulletFontName or style.fontName
            size = style.bulletFontSize or style.fontSize
            canvas.setFont(font, size)
            canvas.setFillColor(style.textColor)
            canvas.drawRightString(self.width - style.bulletIndent, self.height - style.fontSize, self.bulletText)
