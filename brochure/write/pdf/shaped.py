"""A shaped paragraph for complex scripts: text shaped with HarfBuzz, ordered with
the Unicode bidi algorithm (python-bidi), with bold words, font fallback, and
numbers or Latin terms in the right order on every line. Right to left for
Arabic (right-aligned), left to right for Devanagari.

ReportLab's own right-to-left path needs a module (rlbidi) that is not on PyPI
and turns itself off for paragraphs with more than one style, and its own
shaping gives conjuncts no text; so lines are broken and ordered here, and each
same-style, same-direction run is drawn with ReportLab's shaped-text support,
every glyph carrying the letters it stands for, every line its logical text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, NamedTuple

import uharfbuzz
from bidi import algorithm as uba
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import ShapeData
from reportlab.platypus.flowables import Flowable
from reportlab.platypus.paraparser import ParaParser

from ..breaks import BIDI_CONTROLS, NBSP
from .cjk import characters_breaks
from .fonts import SHAPED, private_codes
from .tagging import label_of

FEATURES = {"kern": True, "liga": True}
LRE, RLE, PDF = "\u202a", "\u202b", "\u202c"
ISOLATES: dict[str, int | None] = {"\u2066": 0, "\u2067": 1, "\u2068": None}  # LRI, RLI, FSI (first strong)
PDI_CHAR = "\u2069"
NEUTRAL = "\ufffc"  # the object replacement character, an other neutral (ON)
UNKNOWN_CLASSES = ("", "LRI", "RLI", "FSI", "PDI")  # classes python-bidi cannot resolve
# The classes that raise the level of some text in a left-to-right paragraph: right-to-left
# letters, Arabic digits and the explicit controls (anything else stays at level 0, UAX #9).
RAISING = frozenset(("R", "AL", "AN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"))


@dataclass(frozen=True)
class Style:
    """The drawing style of a run of characters."""

    font: str
    size: float
    colour: Any
    link: str = ""  # the target of a link the run is part of


class Char(NamedTuple):
    """One character in logical order, with its style and bidi level (a tuple: a
    paragraph makes one for every character)."""

    char: str
    style: Style
    level: int = 1


Line = list[Char]


def parse(markup: str, style: ParagraphStyle, rtl: bool = True) -> list[Char]:
    """ReportLab paragraph markup as styled characters in logical order, with their levels."""
    parser = ParaParser()
    _, frags, _ = parser.parse(markup, style)
    pieces: list[tuple[str, Style]] = []
    for frag in frags or []:
        if getattr(frag, "lineBreak", False):
            pieces.append(("\n", Style(style.fontName, style.fontSize, style.textColor)))
            continue
        links = getattr(frag, "link", None) or []
        pieces.append((frag.text, Style(frag.fontName, frag.fontSize, frag.textColor, links[0][1] if links else "")))
    return leveled(pieces, rtl)


def leveled(pieces: list[tuple[str, Style]], rtl: bool) -> list[Char]:
    """The characters of styled pieces of text, each with its bidi level in a paragraph
    of the given direction; the directional controls that mark embedded runs and
    isolates are then dropped (never drawn, never in the text)."""
    levels = iter(levels_of("".join(text for text, _ in pieces), 1 if rtl else 0))  # taken piece by piece
    return [Char(c, s, level) for text, s in pieces for c, level in zip(text, levels, strict=False) if c not in BIDI_CONTROLS]


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
    if not text or base == 0 and RAISING.isdisjoint(map(uba.bidirectional, text)):
        return [base] * len(text)  # nothing raises a left-to-right paragraph's level
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


# The complex scripts shaped here, by Unicode block. A run is shaped as the complex
# script it holds: HarfBuzz would guess from its first letter, and a run "NHS 111 पर ..."
# is not Latin (Latin letters shaped as Devanagari come out as they are).
SCRIPT_BLOCKS = (
    ("Deva", 0x0900, 0x097F),
    ("Deva", 0xA8E0, 0xA8FF),
    ("Arab", 0x0600, 0x06FF),
    ("Arab", 0x0750, 0x077F),
    ("Arab", 0x08A0, 0x08FF),
    ("Arab", 0xFB50, 0xFDFF),
    ("Arab", 0xFE70, 0xFEFF),
)


@cache
def script_of(char: str) -> str:
    """'Deva' or 'Arab' for a character of those scripts, else ''."""
    code = ord(char)
    return next((name for name, first, last in SCRIPT_BLOCKS if first <= code <= last), "")


def needs_shaping(text: str) -> bool:
    """Whether `text` holds letters HarfBuzz must shape (Arabic, Devanagari): a paragraph
    holding them (a patient's name in Arabic or Hindi in an English leaflet) is a shaped
    paragraph, whatever the document's script."""
    return not text.isascii() and any(map(script_of, set(text)))


def runs(line: Line) -> list[Line]:
    """Maximal pieces of a line with one style and one level, in logical order."""
    out: list[Line] = []
    for char in line:
        last = out[-1][-1] if out else None
        if last is not None and last.level == char.level and (last.style is char.style or last.style == char.style):
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


@dataclass(frozen=True)
class Glyphs:
    """A shaped run: ReportLab code points, HarfBuzz positions, the text each glyph
    stands for ('' for a glyph whose text its cluster's main glyph carries), and the width."""

    codes: str
    data: tuple[ShapeData, ...]
    texts: tuple[str, ...]
    width: float


@dataclass(frozen=True)
class Shape:
    """A piece of text as HarfBuzz shapes it, the same in every document: each glyph's
    own code point (0 if it needs a private-use one), what the private-use codes are made
    of (glyph id, name, width, text), and the positions, texts and width of `Glyphs`."""

    own: tuple[int, ...]
    private: tuple[tuple[int, str, int, str], ...]
    data: tuple[ShapeData, ...]
    texts: tuple[str, ...]
    width: float


def shaped(run: Line) -> Glyphs:
    """A run's glyphs in drawing order: each word and space of it shaped on its own in
    the run's script, once per document, so that a line draws the glyphs line breaking
    measured."""
    style, rtl = run[0].style, run[0].level % 2 == 1
    text = "".join(c.char for c in run)
    script = next(filter(None, map(script_of, text)), "")
    pieces = [glyphs_of(piece, style, rtl, script) for piece in re.split("( )", text) if piece]
    if len(pieces) == 1:
        return pieces[0]
    if rtl:
        pieces.reverse()
    return Glyphs(
        "".join(p.codes for p in pieces),
        tuple(d for p in pieces for d in p.data),
        tuple(t for p in pieces for t in p.texts),
        sum(p.width for p in pieces),
    )


def glyphs_of(text: str, style: Style, rtl: bool, script: str) -> Glyphs:
    """A word or a space shaped with this document's private-use code points (cached
    for the document)."""
    key = (text, style.font, style.size, rtl, script)
    if key not in SHAPED:
        found = shape(text, style.font, style.size, rtl, script)
        made = iter(private_codes(style.font, found.private))
        codes = "".join(chr(own or next(made)) for own in found.own)
        SHAPED[key] = Glyphs(codes, found.data, found.texts, found.width)
    glyphs: Glyphs = SHAPED[key]
    return glyphs


@lru_cache(maxsize=8192)
def shape(text: str, font_name: str, size: float, rtl: bool, script: str) -> Shape:
    """HarfBuzz glyphs of text in its direction and script (HarfBuzz's guess if none),
    with ReportLab's shape data (cached for the process: nothing in it depends on the
    document).

    Each cluster's text goes to its widest glyph (a letter, not its dots or marks), so
    that a reader finds it where the letter is drawn; in right-to-left runs a private
    code's text is reversed, so that extracted text read in reverse is the logical text."""
    font = pdfmetrics.getFont(font_name)
    buf = uharfbuzz.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    if script:
        buf.script = script
    buf.direction = "rtl" if rtl else "ltr"
    buf.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    hb_font = font.hbFont(size)
    uharfbuzz.shape(hb_font, buf, FEATURES)
    infos, positions = buf.glyph_infos, buf.glyph_positions
    starts = sorted({info.cluster for info in infos}) + [len(text)]
    span = {start: text[start:end] for start, end in zip(starts, starts[1:], strict=False)}
    main: dict[int, int] = {}  # cluster -> index of its widest glyph
    for i, (info, pos) in enumerate(zip(infos, positions, strict=True)):
        if info.cluster not in main or pos.x_advance > positions[main[info.cluster]].x_advance:
            main[info.cluster] = i
    owns, private, data, texts = [], [], [], []
    for i, (info, pos) in enumerate(zip(infos, positions, strict=True)):
        gid, cluster = info.codepoint, info.cluster
        piece = span[cluster] if main[cluster] == i else ""
        # A glyph moved by an offset (a mark over its letter) is given a width that ends it
        # where the next glyph starts: no gap, so no space is read into the middle of a word.
        width = pos.x_advance - pos.x_offset if pos.x_advance - pos.x_offset >= 0 else pos.x_advance
        own = font.face.glyphToChar.get(gid)
        if own and chr(own[0]) == piece and font.face.charWidths.get(own[0]) == font.pdfScale(width):
            code, code_width = own[0], font.face.charWidths[own[0]]
        else:
            code, code_width = 0, width  # a private code's width is the glyph's (private_codes)
            name = f"{hb_font.glyph_to_string(gid)}\x00{width}"
            private.append((gid, name, width, reversed_letters(piece) if rtl else piece))
        owns.append(code)
        texts.append(piece)
        data.append(
            ShapeData(
                cluster,
                font.pdfScale(pos.x_advance),
                font.pdfScale(pos.y_advance),
                font.pdfScale(pos.x_offset),
                font.pdfScale(pos.y_offset),
                code_width,
            )
        )
    width = sum(d.x_advance for d in data) * size / 1000
    return Shape(tuple(owns), tuple(private), tuple(data), tuple(texts), width)


def reversed_letters(text: str) -> str:
    """Text with its letters in reverse order, each keeping its marks after it: what a
    glyph of a right-to-left run stands for, as a reader that reverses the run wants it."""
    letters: list[str] = []
    for char in text:
        if letters and unicodedata.category(char).startswith("M"):
            letters[-1] += char
        else:
            letters.append(char)
    return "".join(reversed(letters))


def draw_line(canvas: Any, x: float, y: float, pieces: list[tuple[Glyphs, Style]], rtl: bool) -> list[str]:
    """Draw a line's shaped runs, left to right from (x, y), as one text object.

    Every glyph's text is in the ToUnicode map, so copy, search and speech get the
    letters back. A left-to-right line (Devanagari) also carries its logical text as
    ActualText, for the readers that take it: the letters of conjuncts and of vowel
    signs drawn before their consonant. A right-to-left line does not (readers order
    it from the glyphs' positions themselves, and would reverse it); there, a glyph
    that carries no text of its own (Arabic dots) is marked as standing for none (an
    empty ActualText), so readers neither print a replacement character for it nor
    break the word around it. Such glyphs that take no room (a letter's dots) are not
    drawn in the line at all but returned, to be drawn after the paragraph's lines:
    some readers start a new piece of text at every mark and every change of rise."""
    out = []
    if not rtl:
        out.append(f"/Span <</ActualText {text_string(logical_text(pieces))}>> BDC")
    out.append("BT")
    shown: list[str] = []  # the glyphs shown since the last flush, and the shifts between them
    shift = 0.0  # the shift after the last glyph shown

    def flush() -> None:
        nonlocal shift
        if shift != 0:
            shown.append(fp_str(shift))
        if shown:
            out.append(f"{shown[0]} Tj" if len(shown) == 1 and shown[0].startswith("(") else f"[{' '.join(shown)}] TJ")
        shown.clear()
        shift = 0.0

    def show(byte: int, before: float, after: float) -> None:
        nonlocal shift
        if (shift := shift + before) != 0:
            shown.append(fp_str(shift))
        shown.append(f"({canvas._escape(bytes([byte]))})")
        shift = after

    rise = 0.0
    overlay: list[str] = []  # glyphs without text or advance (a letter's dots), drawn apart
    for glyphs, style in pieces:
        font = pdfmetrics.getFont(style.font)
        colour = colour_operator(style.colour)
        scale = style.size / 1000
        out.append(f"{colour} 1 0 0 1 {fp_str(x)} {fp_str(y)} Tm")
        pen, i = x, 0
        for subset, chunk in font.splitString(glyphs.codes, canvas._doc):
            flush()
            name = f"{font.getSubsetInternalName(subset, canvas._doc)} {fp_str(style.size)} Tf"
            out.append(name)
            for byte in chunk:
                sd, textless = glyphs.data[i], rtl and not glyphs.texts[i]
                i += 1
                if textless and sd.x_advance == 0:
                    at = f"{fp_str(pen + sd.x_offset * scale)} {fp_str(y + sd.y_offset * scale)}"
                    overlay.append(f"{colour} {name} 1 0 0 1 {at} Tm ({canvas._escape(bytes([byte]))}) Tj")
                    continue
                if (new_rise := style.size * sd.y_offset / 1000) != rise:
                    flush()
                    out.append(f"{fp_str(new_rise)} Ts")
                    rise = new_rise
                if textless:
                    flush()
                    out.append("/Span <</ActualText <FEFF>>> BDC")
                show(byte, -sd.x_offset, sd.width - sd.x_advance + sd.x_offset)
                if textless:
                    flush()
                    out.append("EMC")
                pen += sd.x_advance * scale
        flush()
        x += glyphs.width
    if rise:
        out.append("0 Ts")
    out.append("ET")
    if not rtl:
        out.append("EMC")
    canvas._code.append(" ".join(out))
    return overlay


def logical_text(pieces: list[tuple[Glyphs, Style]]) -> str:
    """The text of a left-to-right line's runs, in order."""
    return "".join("".join(glyphs.texts) for glyphs, _ in pieces)


def text_string(text: str) -> str:
    """A PDF text string (UTF-16BE with byte order mark, as hex)."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def colour_operator(colour: Any) -> str:
    """The fill-colour operator for a ReportLab colour (RGB)."""
    red, green, blue = (colour.red, colour.green, colour.blue) if colour is not None else (0, 0, 0)
    return f"{fp_str(red)} {fp_str(green)} {fp_str(blue)} rg"


def words(chars: list[Char], gaps: list[bool] | None = None) -> list[Line]:
    """Split into words, each keeping its trailing space; '\\n' is its own word. Where
    `gaps` (a characters-breaking script's, Breaks.allowed) lets a line break between two
    letters (Chinese), a word ends there too."""
    out: list[Line] = [[]]
    for i, char in enumerate(chars):
        if char.char == "\n":
            out.extend([[char], []])
        else:
            if gaps is not None and gaps[i] and out[-1]:
                out.append([])
            out[-1].append(char)
            if char.char == " ":
                out.append([])
    return [w for w in out if w]


def width_of(chars: Line) -> float:
    """The drawn width of characters (shaped, per run)."""
    return sum(shaped(run).width for run in runs(chars))


def break_lines(chars: list[Char], width: float, gaps: list[bool] | None = None) -> list[Line]:
    """Greedy line breaking on spaces (and `gaps`, see `words`), in logical order."""
    lines: list[Line] = [[]]
    used = 0.0
    for word in words(chars, gaps):
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
    return [[as_space(c) for c in strip_spaces(line)] for line in lines if strip_spaces(line)]


def as_space(char: Char) -> Char:
    """A no-break space, once lines are broken, a plain space: it only said where not to
    break, and readers (pypdf) order the words around a no-break space wrongly."""
    return char._replace(char=" ") if char.char == NBSP else char


def strip_spaces(line: Line) -> Line:
    """A line without leading or trailing spaces."""
    start, end = 0, len(line)
    while start < end and line[start].char == " ":
        start += 1
    while end > start and line[end - 1].char == " ":
        end -= 1
    return line[start:end]


class ShapedParagraph(Flowable):
    """A paragraph of shaped text in its own direction that splits across pages:
    right-aligned when right to left (unless the style asks otherwise)."""

    def __init__(
        self,
        markup: str,
        style: ParagraphStyle,
        rtl: bool,
        bulletText: str | None = None,
        lines: list[Line] | None = None,
    ) -> None:
        super().__init__()
        self.markup, self.style, self.rtl, self.bulletText = markup, style, rtl, bulletText
        self.chars = parse(markup, style, rtl) if lines is None else []
        self.lines = lines
        self.width = self.height = 0.0

    def minWidth(self) -> float:
        """The widest word: the narrowest this paragraph can be set without splitting a word."""
        return max((width_of([c for c in w if c.char != " "]) for w in words(self.chars, self.gaps())), default=0.0)

    def gaps(self) -> list[bool] | None:
        """Where a line may break between two letters, for a characters-breaking script
        (its rules are the style's `breaks`, as for cjk.py); None: at spaces only."""
        breaks = characters_breaks(self.style)
        return None if breaks is None else breaks.allowed("".join(c.char for c in self.chars))

    def getSpaceBefore(self) -> float:
        return self.style.spaceBefore

    def getSpaceAfter(self) -> float:
        return self.style.spaceAfter

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        if self.lines is None or getattr(self, "_wrapped_for", None) != availWidth:
            if self.chars:
                width = availWidth - self.style.leftIndent - self.style.rightIndent
                self.lines = break_lines(self.chars, width, self.gaps())
                self._wrapped_for = availWidth
        self.height = len(self.lines or []) * self.style.leading
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        lines = self.lines or []
        fits = int(availHeight // self.style.leading)
        if fits < 2 or len(lines) - fits < 2 or fits >= len(lines):
            return []  # no widows or orphans: move the whole paragraph
        first = self.copy(lines[:fits], self.style, self.bulletText)
        rest = self.copy(lines[fits:], ParagraphStyle("rest", self.style, spaceBefore=0), None)
        return [first, rest]

    def copy(self, lines: list[Line], style: ParagraphStyle, bullet: str | None) -> ShapedParagraph:
        """The same paragraph (and class) holding only some of its lines."""
        part = self.__class__(self.markup, style, self.rtl, bullet, lines)
        part.__dict__.update({k: v for k, v in self.__dict__.items() if k not in part.__dict__})
        return part

    def line_start(self, line_width: float) -> float:
        """Where a line of this width starts, from the left."""
        style = self.style
        if style.alignment == TA_CENTER:
            return (self.width - line_width) / 2
        if self.rtl:  # the start indent is on the right
            return style.rightIndent if style.alignment == TA_LEFT else self.width - style.leftIndent - line_width
        return self.width - style.rightIndent - line_width if style.alignment == TA_RIGHT else style.leftIndent

    def link_areas(self, x: float, y: float, pieces: list[tuple[Glyphs, Style]]) -> None:
        """A link annotation over each stretch of a line that is a link."""
        start = x
        for (glyphs, run_style), following in zip(pieces, [*pieces[1:], None], strict=True):
            end = x + glyphs.width
            if run_style.link and (following is None or following[1].link != run_style.link):
                size = run_style.size
                self.canv.linkURL(run_style.link, (start, y - size * 0.25, end, y + size * 0.9), relative=1)
            if following is None or following[1].link != run_style.link:
                start = end
            x = end

    def draw(self) -> None:
        canvas = self.canv
        style = self.style
        y = self.height - style.fontSize
        overlay: list[str] = []
        start = len(canvas._code)
        for line in self.lines or []:
            pieces = [(shaped(run), run[0].style) for run in visual_order(line)]
            x = self.line_start(sum(glyphs.width for glyphs, _ in pieces))
            overlay += draw_line(canvas, x, y, pieces, self.rtl)
            self.link_areas(x, y, pieces)
            y -= style.leading
        if overlay:  # glyphs that stand for no text: an empty ActualText, so readers print nothing for them
            canvas._code.insert(start, " ".join(["/Span <</ActualText <FEFF>>> BDC BT", *overlay, "ET EMC"]))
        if self.bulletText:
            with label_of(canvas):
                canvas.setFont(style.bulletFontName or style.fontName, style.bulletFontSize or style.fontSize)
                canvas.setFillColor(style.textColor)
                top = self.height - style.fontSize
                if self.rtl:
                    canvas.drawRightString(self.width - style.bulletIndent, top, self.bulletText)
                else:
                    canvas.drawString(style.bulletIndent, top, self.bulletText)
