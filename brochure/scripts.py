"""Script profiles: how text in each writing system is set, in one table.

A language's strings file names its script (`script: han`); everything that
depends on it is read from here: the main font family, whether runs are shaped
(HarfBuzz), how lines break, which punctuation may not start or end a line, which
stretches of text a line may not break inside, whether an address or email gets a
line of its own, which punctuation its sentences write full width, and the longest
sentence the release gate accepts.

The line-breaking rules are data: `KEEP_TOGETHER` for every language, a script's
own `keep_together`, and `LANGUAGE_KEEP_TOGETHER` for one language's conventions.
Each is a regular expression; a line never breaks inside what it matches (the
writers read them through `write/breaks.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"  # the shipped TrueType files
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
    keep_together: tuple[str, ...] = ()  # patterns a line may not break inside (characters breaking)
    min_last_line: int = 0  # the fewest characters (punctuation not counted) a paragraph's last line holds
    full_width: str = ""  # pairs: a half-width mark and the full-width one its sentences use


# Chinese closing and opening punctuation (GB/T 15834, and the kinsoku rules in general use).
HAN_CANNOT_START = "，。、；：？！）》〉」』】〕”’…％·"
HAN_CANNOT_END = "（《〈「『【〔“‘"
# Chinese characters and full-width forms, as a regular expression class.
HAN = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
HAN_KEEP_TOGETHER = (
    rf"[^ {HAN}]{{2,}}",  # a Latin word, a number, an email address: broken only at its spaces
    rf"\d[\d.:%°]*(?:分钟|小时|个月|毫升|毫克|[{HAN}])",  # a number and what it counts: 8点, 30分钟, 2天
    r"\d+[至到~–-]\d+",  # a range: 30至60
    rf"(?<![A-Za-z])[A-Z][{HAN}]",  # a letter and the character it names: X光, B超
    r"\d{4}年\d{1,2}月\d{1,2}日",  # a date: 2026年12月1日
    r"[上下中]午\d+[点时:：]\d*分?(?:[至到][上下中]午\d+[点时:：]\d*分?)?",  # a time of day, or two: 上午8点至下午6点
    r"第\d+",  # an ordinal: 第5天
)
HAN_FULL_WIDTH = "?？!！,，;；:：(（)）"

SCRIPTS = {
    "latin": Script("latin", "", False, "words", "", "", False, 25),
    "arabic": Script("arabic", "NotoSansArabic", True, "words", "", "", False, 25),
    "devanagari": Script("devanagari", "NotoSansDevanagari", True, "words", "", "", False, 30),
    "han": Script(
        "han", "NotoSansSC", False, "characters", HAN_CANNOT_START, HAN_CANNOT_END, True, 40,
        keep_together=HAN_KEEP_TOGETHER, min_last_line=2, full_width=HAN_FULL_WIDTH,
    ),
}  # fmt: skip

# The words of a range or a ratio ("30 to 60", "1 in 100"), in the languages brochure has strings for.
RANGE_WORDS = (
    "to", "in", "of", "or", "a", "de cada", "de", "o", "na", "do", "z", "lub", "đến", "tới", "trên", "hoặc",
    "إلى", "من كل", "من", "أو", "में से", "से", "में", "या", "–", "-",
)  # fmt: skip
# In every language: what a line never breaks inside (a space in a match is a no-break space).
KEEP_TOGETHER = (
    r"\+?\d{2,5}(?: \d{3,4}){1,2}(?!\d)",  # a phone number: 01632 960 123
    r"(?<![A-Za-z\d])[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b",  # a UK postcode: RV1 2AB
    rf"\d\w*(?: (?:{'|'.join(RANGE_WORDS)}) \d\w*)+",  # a range or a ratio: 30 to 60, 1 in 10 to 1 in 100, 8am to 6pm
    r"\d\w* \w",  # a number and what it counts: 2 days, a 10p coin, 8 giờ, 60 دقيقة, 1 December
    r"(?<![A-Za-z])[A-Z]{2,} \d",  # a name and its number: NHS 111 (also after a Chinese character)
    r"\w \d{4}\b",  # a month and its year: December 2026
    r" [–—]",  # a dash stays with the word before it
)
# In display text (a heading, a title, a box's lines, narrower than running text): the last
# word stays with the one before it, so that no last line is one short word ("patients.").
LAST_WORDS = r"(?<=.{20}) \S{1,12}\s*$"  # not in a short heading: "Your / outpatient hysteroscopy"
# One language's conventions, by language code.
LANGUAGE_KEEP_TOGETHER: dict[str, tuple[str, ...]] = {
    # Polish typesetting never ends a line with a one-letter word (a conjunction or preposition).
    "en": (r"\b[Dd]ay \d+(?: to day \d+)?",),  # day 5 to day 12
    "pl": (
        r"(?<!\w)[AaIiOoUuWwZz] \S",
        r"\b[Dd]zień \d",  # Dzień 1
        r"\d\. [a-ząćęłńóśźż]",  # an ordinal and its noun: 12. dnia
    ),
    "es": (r"\d+ de \w+ de \d{4}", r"\b[Dd]ía \d"),  # 1 de diciembre de 2026, día 5
    "vi": (
        # 8 giờ sáng, 8 giờ sáng đến 6 giờ chiều
        r"\d+ giờ(?: \d+)?(?: (?:sáng|chiều|tối|trưa))?(?: đến \d+ giờ(?: \d+)?(?: (?:sáng|chiều|tối|trưa))?)?",
        r"\b(?:ngày|tháng|năm|số) \d",  # ngày 1 tháng 12 năm 2026
    ),
    "ar": (
        r"(?<!\w)(?:الساعة|بالرقم|الرقم|يوم) \d",  # الساعة 10:30, بالرقم 999
        r"\d+ صباحًا إلى \d+ مساءً",  # 8 صباحًا إلى 6 مساءً
        r"(?<!\w)لا \S",  # "do not" stays with its verb: لا تقودي (a line ending in لا reads "no")
    ),
    "hi": (r"(?:सुबह|शाम|दोपहर|रात) \d",),  # सुबह 8 बजे
}


SCRIPT_CODES = {"Latn": "latin", "Arab": "arabic", "Deva": "devanagari", "Hans": "han", "Hant": "han"}  # ISO 15924: SCRIPTS


@dataclass(frozen=True)
class Writing:
    """How CLDR says a locale's language is written."""

    tag: str  # the locale as Babel writes it: es_ES
    name: str  # the language's English name, for messages
    direction: str  # ltr | rtl (| ttb: Mongolian in its own script)
    script: str  # one of SCRIPTS, '' if none of them (Hebrew, Cyrillic)


@lru_cache(maxsize=64)
def writing_of(locale: str) -> Writing | None:
    """How a locale's language is written; None for a locale Babel does not know."""
    from babel import Locale, UnknownLocaleError  # here: only filling text and `translate` need CLDR
    from babel.core import get_global

    try:
        parsed = Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    likely = get_global("likely_subtags")
    subtags = str(likely.get(str(parsed)) or likely.get(parsed.language, ""))  # zh_Hans -> zh_Hans_CN
    code = parsed.script or next((part for part in subtags.split("_") if len(part) == 4), "")
    name = parsed.get_display_name("en") or locale
    return Writing(str(parsed), name, parsed.text_direction, SCRIPT_CODES.get(code, ""))
