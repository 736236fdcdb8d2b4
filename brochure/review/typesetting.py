"""The page linter: what a typesetter would mark on a document's pages, read from what
the PDF writer placed (placement.py), not from the PDF.

Each rule looks at the lines and frames of one document in one language and layout
and reports the page and the text: text outside its frame, panel or cell; text on
text; an empty frame or panel; a heading or lead-in left at the foot of a page or
panel; a nearly empty page after one with room; punctuation that may not start or end
a line; a one-letter Polish word at a line end; a number torn from its unit; a phone
number, postcode, date or time broken over two lines.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from ..placement import Frame, Line, Placement
from ..scripts import SCRIPTS

HANG = 0.5  # of an em: how far punctuation may hang outside its frame, panel or cell
CLOSE = 0.25  # of an em: nearer than this, two lines on one baseline read as one
ROOM = 0.85  # a page or panel filled less than this has room ...
NEARLY_EMPTY = 0.25  # ... for the next one, if it holds less than this
FLOW_AREAS = ("frame", "cell", "box")  # where the content flows (not furniture)

# What each rule reports, as a warning says it.
RULES = {
    "outside": "text outside its frame, panel or cell",
    "overlap": "text overlaps or runs into other text",
    "empty": "an empty panel",
    "stranded": "a heading or lead-in ends the page or panel",
    "nearly-empty": "a nearly empty page or panel after one with room",
    "punctuation": "punctuation that may not start or end a line",
    "one-letter": "a one-letter word ends the line",
    "torn-number": "a number torn from what it belongs to",
    "split": "a value broken over two lines",
}

# Punctuation no line may start or end with, in every script (the script profiles add their own).
NO_START = ",.;:!?%…،؛؟"
NO_END = "¿¡"
# Words that belong with the number before them: units of time and measure, as the leaflets write them.
UNITS = frozenset(
    """
    % mm cm ml mg kg km h min am pm a.m. p.m.
    minute minutes hour hours day days week weeks month months year years
    minuto minutos hora horas día días semana semanas mes meses año años
    minut minuty minutę godzin godziny godzinę godz. dni dzień tygodni tygodnie miesięcy lat
    phút giờ ngày tuần tháng năm
    دقيقة دقائق ساعة ساعات يوم أيام أسبوع أسابيع شهر أشهر صباحًا صباحا مساءً مساء
    मिनट घंटे घंटा दिन सप्ताह हफ़्ते महीने साल बजे
    """.split()
)
# The same in Chinese, which has no spaces: a unit is how the next line starts.
HAN_UNITS = ("分钟", "小时", "天", "周", "个月", "岁", "次", "毫升", "毫克", "秒", "点")
ACRONYM = re.compile(r"(?:^|\s)[A-Z]{2,5}$")  # NHS, before its number (111)
NUMBER_END = re.compile(r"(?:^|[\s(])\d+(?:[.,:]\d+)?$")
PHONE = re.compile(r"\+?\(?\d[\d\s().\-\u2011\u00a0]{5,}\d")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b")
TIME = re.compile(r"\d{1,2}[:.]\d{2}(?:\s*(?:[ap]\.?\s?m\.?|AM|PM|ص|م))?")
HAN_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?")


@dataclass(frozen=True)
class Finding:
    """One thing marked on a document in one language and layout: on `page`, and on
    the pages `also` where the same recurs (a footer's, which is on every page)."""

    name: str
    lang: str
    layout: str
    paper: str
    page: int
    rule: str
    text: str
    also: tuple[int, ...] = ()

    @property
    def pages(self) -> str:
        """'page 3', 'pages 1-7' or 'pages 2, 5'."""
        pages = (self.page, *self.also)
        if len(pages) == 1:
            return f"page {self.page}"
        if list(pages) == list(range(pages[0], pages[-1] + 1)):
            return f"pages {pages[0]}-{pages[-1]}"
        return "pages " + ", ".join(map(str, pages))

    @property
    def message(self) -> str:
        """The finding as a warning says it (after the document's file)."""
        return f"[{self.lang}, {self.layout}] {self.pages}: {RULES[self.rule]}: {self.text}"


def lint(placed: Placement) -> list[Finding]:
    """Everything the rules find on a document's pages, by its first page; what recurs
    page after page (the same text but for its numbers) is one finding."""
    recurring: dict[tuple[str, str, int], list[tuple[int, str]]] = {}
    for check in CHECKS:
        for rule, page, text in check(placed):
            key = (rule, re.sub(r"\d+", "#", text), 0)
            while any(seen == page for seen, _ in recurring.get(key, [])):
                key = (key[0], key[1], key[2] + 1)  # the same twice on one page: two findings
            recurring.setdefault(key, []).append((page, shorten(text)))
    findings = []
    for (rule, _, _), found in recurring.items():
        (first, text), also = found[0], sorted({page for page, _ in found} - {found[0][0]})
        findings.append(Finding(placed.name, placed.lang, placed.layout, placed.paper, first, rule, text, tuple(also)))
    return sorted(findings, key=lambda f: (f.page, list(RULES).index(f.rule)))


Report = Iterator[tuple[str, int, str]]  # (rule, page, text)


def shorten(text: str, most: int = 60) -> str:
    """Text on one line, cut in the middle if long."""
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most // 2 - 1] + "…" + text[-(most // 2 - 1) :]


# Geometry -------------------------------------------------------------------------------


def outside(placed: Placement) -> Report:
    """Lines that reach outside the frame, panel, cell or box they are set in, by more
    than punctuation may hang (half an em) across, or a quarter of an em down or up."""
    for line in placed.lines:
        box, bounds = line.box, line.bounds
        if bounds.width <= 0:
            continue
        hang, rise = HANG * line.size, CLOSE * line.size
        if box.x < bounds.x - hang or box.right > bounds.right + hang or box.y < bounds.y - rise or box.top > bounds.top + rise:
            yield "outside", line.page, line.text


def overlap(placed: Placement) -> Report:
    """Two lines whose boxes overlap, or that share a baseline nearer than a quarter of
    an em (they read as one string)."""
    by_page: dict[int, list[Line]] = defaultdict(list)
    for line in placed.lines:
        by_page[line.page].append(line)
    for page, lines in by_page.items():
        lines.sort(key=lambda line: line.box.y)
        for i, a in enumerate(lines):
            for b in lines[i + 1 :]:
                if b.box.y >= a.box.top:
                    break
                if touching(a, b):
                    yield "overlap", page, f"{a.text} | {b.text}"


def touching(a: Line, b: Line) -> bool:
    """Whether two lines overlap, or run into each other on one baseline."""
    high = min(a.box.top, b.box.top) - max(a.box.y, b.box.y)
    wide = min(a.box.right, b.box.right) - max(a.box.x, b.box.x)
    if high > 0.5 and wide > 0.5:
        return True
    same_line = high > 0.5 * min(a.box.height, b.box.height)
    return same_line and a.block != b.block and wide > -CLOSE * min(a.size, b.size)


def empty(placed: Placement) -> Report:
    """Frames and panels with nothing in them (a tri-fold's inside panel left blank)."""
    used = {(line.page, line.frame) for line in placed.lines}
    for frame in placed.frames:
        if frame.filled <= 0 and (frame.page, frame.name) not in used:
            yield "empty", frame.page, frame.name


def stranded(placed: Placement) -> Report:
    """A heading or lead-in that is the lowest line of its page or panel: what it
    introduces is on the next."""
    lowest: dict[tuple[int, str], Line] = {}
    for line in placed.lines:
        key = (line.page, line.frame)
        if line.area in FLOW_AREAS and (key not in lowest or line.box.y < lowest[key].box.y):
            lowest[key] = line
    for (page, _), line in lowest.items():
        if line.kind in ("heading", "lead-in"):
            yield "stranded", page, line.text


def nearly_empty(placed: Placement) -> Report:
    """A page or panel holding less than a quarter of its height after one filled less
    than ROOM: what it holds would have fitted before (a page of sources alone)."""
    flow = [frame for frame in placed.frames if not frame.fixed]
    for before, after in zip(flow, flow[1:], strict=False):
        if fill(before) < ROOM and 0 < fill(after) < NEARLY_EMPTY:
            first = next((line.text for line in placed.lines if (line.page, line.frame) == (after.page, after.name)), "")
            yield "nearly-empty", after.page, f"{fill(after):.0%} full after {fill(before):.0%}: {first}"


def fill(frame: Frame) -> float:
    """How much of a frame's height is used."""
    return frame.filled / frame.box.height


# Line ends ------------------------------------------------------------------------------


def punctuation(placed: Placement) -> Report:
    """Lines that start with closing punctuation or end with opening punctuation, by
    the rules of every script and the document's own (kinsoku for Chinese)."""
    script = SCRIPTS[placed.script]
    no_start, no_end = NO_START + script.cannot_start, NO_END + script.cannot_end
    for line in placed.lines:
        text = visible(line.text)
        if not text:
            continue
        first, last = text[0], text[-1]
        if first in no_start or unicodedata.category(first) in ("Pe", "Pf"):
            yield "punctuation", line.page, line.text
        elif last in no_end or unicodedata.category(last) in ("Ps", "Pi"):
            yield "punctuation", line.page, line.text


def visible(text: str) -> str:
    """Text without spaces and format characters (bidi controls) at its ends."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf").strip()


def breaks(placed: Placement) -> Iterator[tuple[Line, Line]]:
    """Each place a paragraph breaks from one line to the next: (the line before, the line after)."""
    last: dict[int, Line] = {}
    for line in placed.lines:
        if line.block in last:
            yield last[line.block], line
        last[line.block] = line


def one_letter(placed: Placement) -> Report:
    """A one-letter word (w, i, o, z, a, u) at the end of a line of Polish, which
    Polish typesetting moves to the next line."""
    for before, _ in breaks(placed):
        if before.lang.startswith("pl") and re.search(r"(?:^|\s)[^\W\d_]$", visible(before.text)):
            yield "one-letter", before.page, before.text


def torn_number(placed: Placement) -> Report:
    """A number at a line's end whose unit starts the next (8 / giờ sáng, 60 / دقيقة,
    30 / 分钟), or a name at a line's end whose number starts the next (NHS / 111)."""
    han = SCRIPTS[placed.script].line_breaking == "characters"
    for before, after in breaks(placed):
        end, start = visible(before.text), visible(after.text)
        if not end or not start:
            continue
        number = NUMBER_END.search(end) or (han and end[-1].isdigit())
        unit = start.split()[0].rstrip(",.;:").lower() in UNITS or (han and start.startswith(HAN_UNITS))
        if (number and unit) or (ACRONYM.search(end) and start[0].isdigit()):
            yield "torn-number", before.page, f"{tail(end)} / {head(start)}"


def split_value(placed: Placement) -> Report:
    """A phone number, postcode, date or time with a line break inside it."""
    han = SCRIPTS[placed.script].line_breaking == "characters"
    patterns = value_patterns(placed.lang)
    for before, after in breaks(placed):
        end, start = visible(before.text)[-40:], visible(after.text)[:40]
        joined = end + ("" if han else " ") + start
        at = len(end)
        for kind, pattern in patterns:
            for match in pattern.finditer(joined):
                if match.start() < at < match.end() and (kind != "phone" or digits(match.group()) >= 7):
                    yield "split", before.page, f"{kind}: {tail(end)} / {head(start)}"
                    break


def digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


@cache
def value_patterns(lang: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The values no line may break inside, for a language (its month names for dates)."""
    from babel.dates import get_month_names

    locale = lang.replace("-", "_")
    names = {n for context in ("format", "stand-alone") for n in get_month_names("wide", context, locale).values()}
    months = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    date = re.compile(
        rf"\d{{1,2}}\.?\s+(?:de\s+)?(?:{months})(?:,?\s+(?:de\s+|năm\s+)?\d{{4}})?|(?:{months}),?\s+\d{{1,4}}(?:,\s*\d{{4}})?",
        re.IGNORECASE,
    )
    return (("phone", PHONE), ("postcode", POSTCODE), ("time", TIME), ("date", date), ("date", HAN_DATE))


def tail(text: str, most: int = 20) -> str:
    return text if len(text) <= most else "…" + text[-most:]


def head(text: str, most: int = 20) -> str:
    return text if len(text) <= most else text[:most] + "…"


CHECKS: tuple[Callable[[Placement], Report], ...] = (
    outside,
    overlap,
    empty,
    stranded,
    nearly_empty,
    punctuation,
    one_letter,
    torn_number,
    split_value,
)
