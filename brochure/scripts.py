"""Script profiles: how text in each writing system is set, in one table.

A language's strings file names its script (`script: han`); everything that
depends on it is read from here: the main font family, whether runs are shaped
(HarfBuzz), how lines break, which punctuation may not start or end a line, how
whether an address or email gets a line of its own, and the longest sentence the
release gate accepts.
"""

from __future__ import annotations

from dataclasses import dataclass

# The font families shipped in brochure/fonts/, each as <Family>-Regular.ttf and -Bold.ttf.
FONT_FAMILIES = ("NotoSans", "NotoSansArabic", "NotoSansDevanagari", "NotoSansSC")
# The order in which families are tried for a character the main family lacks.
FALLBACK = FONT_FAMILIES


@dataclass(frozen=True)
class Script:
    """How one writing system is set."""

    name: str
    family: str  # the main font family; '' means the layout's font
    shaped: bool  # set by HarfBuzz (complex scripts), or by the font's own glyphs
    line_breaking: str  # words (break at spaces) | characters (break between any two, with rules)
    cannot_start: str  # punctuation that may not begin a line
    cannot_end: str  # punctuation that may not end a line
    own_line_for_addresses: bool  # an email or web address is set on a line of its own
    sentence_limit: int  # the longest sentence a release accepts (words; characters when breaking by characters)


# Chinese closing and opening punctuation (GB/T 15834, and the kinsoku rules in general use).
HAN_CANNOT_START = "，。、；：？！）》〉」』】〕”’…％·"
HAN_CANNOT_END = "（《〈「『【〔“‘"

SCRIPTS = {
    "latin": Script("latin", "", False, "words", "", "", False, 25),
    "arabic": Script("arabic", "NotoSansArabic", True, "words", "", "", False, 25),
    "devanagari": Script("devanagari", "NotoSansDevanagari", True, "words", "", "", False, 30),
    "han": Script("han", "NotoSansSC", False, "characters", HAN_CANNOT_START, HAN_CANNOT_END, True, 40),
}
