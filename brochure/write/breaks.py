"""Where a line may break, from the script profiles' rules (scripts.py), for every writer.

`Breaks` holds the rules of one document's language and script. In words-breaking
scripts, a line breaks only at spaces, so a space inside a stretch that must stay
together (a number and its unit, a Polish one-letter word and the next word, a phone
number, a postcode, a date) is made a no-break space before the text reaches the line
breaker (`bind`). In characters-breaking scripts (Chinese), the line breaker asks
`allowed` where a line may end: never before closing or after opening punctuation,
never inside what a pattern keeps together.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from ..document import HOLDERS, Break, Inline, Inlines, Text
from ..scripts import KEEP_TOGETHER, LANGUAGE_KEEP_TOGETHER, LAST_WORDS, SCRIPTS, Script

NBSP = "\u00a0"
# Directional marks and isolates: they order the text but are not part of what the rules read.
BIDI_CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class Breaks:
    """The line-breaking rules of one language in its script."""

    script: Script
    patterns: tuple[re.Pattern[str], ...]  # what a line never breaks inside

    def kept(self, text: str) -> list[bool]:
        """For each gap between two characters of `text` (gap i is before text[i]), whether
        a pattern keeps it unbroken; directional controls are skipped when matching."""
        kept = [False] * (len(text) + 1)
        if BIDI_CONTROLS.isdisjoint(text):  # most text: no controls to skip
            for pattern in self.patterns:
                for match in pattern.finditer(text):
                    start, end = match.span()
                    kept[start + 1 : end] = [True] * max(end - start - 1, 0)
            return kept
        visible = [i for i, c in enumerate(text) if c not in BIDI_CONTROLS]
        seen = "".join(text[i] for i in visible)
        for pattern in self.patterns:
            for match in pattern.finditer(seen):
                for k in range(match.start() + 1, match.end()):
                    for gap in range(visible[k - 1] + 1, visible[k] + 1):  # controls between them too
                        kept[gap] = True
        return kept

    @lru_cache(maxsize=4096)  # noqa: B019 - the rules of a language live as long as the process (breaks_for)
    def bind(self, text: str) -> str:
        """`text` with each space a pattern keeps unbroken made a no-break space (the same
        text recurs: a clinic's name and address, the footers)."""
        if " " not in text:
            return text
        kept = self.kept(text)
        out = list(text)
        for i, c in enumerate(text):
            if c == " " and (kept[i] or kept[i + 1]):
                out[i] = NBSP
        return "".join(out)

    def allowed(self, text: str) -> list[bool]:
        """For each gap of `text` (gap i is before text[i], 0 < i < len(text)), whether a line
        may break there in a characters-breaking script: after a space, not before one; never
        at a no-break space, before closing or after opening punctuation, or inside a kept stretch."""
        kept = self.kept(text)
        out = [False] * (len(text) + 1)
        for i in range(1, len(text)):
            before, after = text[i - 1], text[i]
            if before == "\n":
                out[i] = True
            elif NBSP in (before, after) or after in " \n" or kept[i]:
                out[i] = False
            elif before == " ":
                out[i] = True
            else:
                out[i] = after not in self.script.cannot_start and before not in self.script.cannot_end
        return out

    def counted(self, text: str) -> int:
        """How many characters of `text` count towards a last line's length (not punctuation or spaces)."""
        return sum(1 for c in text if not unicodedata.category(c).startswith(("P", "Z", "C")))


@cache
def breaks_for(lang: str, script: str, display: bool = False) -> Breaks:
    """The rules of a language (its code, e.g. 'pl' or 'zh-Hans') written in a script, for
    running text or for display text (headings, titles, boxes: their last two words kept
    together)."""
    profile = SCRIPTS[script]
    own = LANGUAGE_KEEP_TOGETHER.get(lang.split("-")[0], ())
    last = (LAST_WORDS,) if display else ()
    return Breaks(profile, tuple(re.compile(p) for p in (*KEEP_TOGETHER, *profile.keep_together, *own, *last)))


def bind(runs: Inlines, breaks: Breaks) -> Inlines:
    """Inline runs with their spaces bound as `breaks` says, read across the runs (a
    one-letter word in plain text keeps with a bold word after it)."""
    texts: list[str] = []
    collect(runs, texts)
    joined = "".join(texts)
    bound = breaks.bind(joined)
    if bound == joined:  # most runs: nothing to bind, nothing to make again
        return runs
    pieces = iter(_cut(bound, [len(t) for t in texts]))
    return rebuild(runs, pieces)


def collect(runs: Inlines, texts: list[str]) -> None:
    """The text of every Text run, in reading order."""
    for run in runs:
        if isinstance(run, Text):
            texts.append(run.text)
        elif isinstance(run, HOLDERS):
            collect(run.children, texts)
        else:
            texts.append("\n" if isinstance(run, Break) else "")  # a slot holds no text here


def rebuild(runs: Inlines, pieces: Iterator[str]) -> Inlines:
    """The runs again, each Text run's text taken in turn from `pieces`."""
    out: list[Inline] = []
    for run in runs:
        if isinstance(run, Text):
            out.append(Text(next(pieces)))
        elif isinstance(run, HOLDERS):
            out.append(replace(run, children=rebuild(run.children, pieces)))
        else:
            next(pieces)
            out.append(run)
    return tuple(out)


def _cut(text: str, lengths: list[int]) -> list[str]:
    """`text` cut into pieces of the given lengths."""
    out, at = [], 0
    for length in lengths:
        out.append(text[at : at + length])
        at += length
    return out
