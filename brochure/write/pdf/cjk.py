"""Lines broken between characters (Chinese), by the script profile's rules.

ReportLab's own breaker for CJK text breaks anywhere, lets a closing mark hang past
the margin and keeps opening marks at a line's end. This one breaks only where
`Breaks.allowed` says a line may end, keeps every line within its width (closing
punctuation is pushed inside with the character before it, never hung), and pulls a
character down when a paragraph would end on a line too short (`min_last_line`).
"""

from __future__ import annotations

from itertools import groupby
from operator import attrgetter
from typing import Any

from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine

from ..breaks import Breaks

FUZZ = 1e-6


def characters_breaks(style: Any) -> Breaks | None:
    """The rules a paragraph style of a characters-breaking script (Chinese) carries
    (styles.py sets them), else None: its lines break at spaces only."""
    return getattr(style, "breaks", None) if getattr(style, "wordWrap", None) == "CJK" else None


def glyphs_of(frags: list[Any]) -> list[cjkU]:
    """Every character of the fragments with its fragment and width; a line break as one empty item."""
    out: list[cjkU] = []
    for frag in frags:
        text = frag.text.decode("utf8") if isinstance(frag.text, bytes) else frag.text
        out.extend(cjkU(t, frag, "utf8") for t in text) if text else out.append(cjkU(text, frag, "utf8"))
    return out


def by_fragment(glyphs: list[cjkU]) -> list[cjkU]:
    """Consecutive characters of one fragment as one piece: ReportLab makes a line of
    the same words from them, comparing each piece's fragment with the last once."""
    return [cjkU("".join(group), frag, "utf8") for frag, group in groupby(glyphs, key=attrgetter("frag"))]


def text_of(glyphs: list[cjkU]) -> str:
    """The characters, a line break as '\\n'."""
    return "".join(str(g) if str(g) else ("\n" if hasattr(g.frag, "lineBreak") else "\ufffc") for g in glyphs)


def ends(text: str, widths: list[float], max_widths: list[float], allowed: list[bool]) -> list[int]:
    """Where each line ends (an index into text): as much as fits, ending where a break is allowed."""
    out: list[int] = []
    start, n = 0, len(text)
    while start < n:
        limit = max_widths[min(len(out), len(max_widths) - 1)]
        used, i, last = 0.0, start, 0
        while i < n and text[i] != "\n":
            fits = used + widths[i] <= limit + FUZZ or text[i] == " "  # a space may end a line unseen
            if not fits and i > start:
                break
            used += widths[i]
            i += 1
            if i < n and allowed[i]:
                last = i
        if i < n and text[i] == "\n":
            end = i + 1
        elif i >= n:
            end = n
        else:
            end = last if last > start else i  # no allowed break: break where it no longer fits
        out.append(end)
        start = end
    return out


def pull_down(text: str, widths: list[float], limit: float, allowed: list[bool], line_ends: list[int], breaks: Breaks) -> None:
    """Move the last soft break back until the last line holds `min_last_line` characters,
    if the line before keeps some and the last line still fits."""
    least = breaks.script.min_last_line
    if least <= 0 or len(line_ends) < 2 or text[line_ends[-2] - 1] == "\n":
        return
    start = line_ends[-3] if len(line_ends) > 2 else 0
    if breaks.counted(text[line_ends[-2] : line_ends[-1]]) >= least:
        return
    for gap in range(line_ends[-2] - 1, start, -1):
        tail = text[gap : line_ends[-1]]
        if not allowed[gap]:
            continue
        if sum(widths[gap : line_ends[-1]]) > limit + FUZZ or not breaks.counted(text[start:gap]):
            return
        if breaks.counted(tail) >= least:
            line_ends[-2] = gap
            return


def widest_piece(frags: list[Any], breaks: Breaks) -> float:
    """The widest stretch of Chinese (or mixed) text no line may break inside: the
    narrowest a paragraph can be set."""
    glyphs = glyphs_of(frags)
    text = text_of(glyphs)
    allowed = breaks.allowed(text)
    widest = used = 0.0
    for i, glyph in enumerate(glyphs):
        if i and allowed[i]:
            used = 0.0
        if text[i] not in " \n":
            used += float(glyph.width)
            widest = max(widest, used)
    return widest


def break_cjk(frags: list[Any], max_widths: list[float], calc_bounds: bool, breaks: Breaks) -> ParaLines:
    """ReportLab paragraph lines for fragments of Chinese (or mixed) text."""
    glyphs = glyphs_of(frags)
    text = text_of(glyphs)
    widths = [float(g.width) for g in glyphs]
    allowed = breaks.allowed(text)
    line_ends = ends(text, widths, max_widths, allowed)
    pull_down(text, widths, max_widths[-1], allowed, line_ends, breaks)
    lines, start = [], 0
    for number, end in enumerate(line_ends):
        limit = max_widths[min(number, len(max_widths) - 1)]
        hard = text[end - 1] == "\n"
        first = start
        while first < end and text[first] == " " and start:  # no space at the start of a wrapped line
            first += 1
        last = end
        while last > first and text[last - 1] == " ":
            last -= 1
        used = sum(widths[first:last])
        pieces = by_fragment(glyphs[first:last] or glyphs[first:end])
        lines.append(makeCJKParaLine(pieces, limit, used, limit - used, hard, calc_bounds))
        start = end
    return ParaLines(kind=1, lines=lines)
