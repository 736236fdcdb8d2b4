"""The content model: frozen dataclasses that every later stage reads.

Strings that may hold Jinja2 placeholders are `Text`: the source and where it
came from, so that a placeholder error can name its file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATUSES = ("draft", "reviewed", "approved")
# Footers are filled before the pages exist: `page` and `pages` become these marks
# (Unicode noncharacters, never in text), which the writer replaces with the numbers.
PAGE_MARK, PAGES_MARK = "\ufdd0", "\ufdd1"
FACT_KEYS = (
    "what_it_shows",
    "how_it_is_done",
    "anaesthesia",
    "pain",
    "duration",
    "timing",
    "preparation",
    "risks",
    "can_treat",
    "results",
)


ALL = "all"  # on the command line: every language
DOCUMENT_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # a document's folder name: safe in a path and a URL
LOCALISED_CLINIC_FIELDS = ("opening_hours", "out_of_hours", "feedback", "results_time")  # a text per language


@dataclass(frozen=True)
class Text:
    """A content string (Markdown or plain), with its file and line."""

    source: str
    path: Path
    line: int


@dataclass(frozen=True)
class MailSettings:
    """Who appointment emails come from, and the default SMTP server."""

    sender: str
    reply_to: str
    smtp_host: str
    smtp_port: int
    tls: str  # starttls | ssl | none
    retry_delay: float = 1.0  # seconds before the first retry; doubled each time
    rate: float = 0.0  # messages per minute at most; 0 for no limit
    data_timeout: float = 600.0  # seconds to wait for the answer to a message (RFC 5321: 10 minutes)
    invitation_minutes: int = 60  # how long the calendar entry of an appointment lasts
    file_mode: int = 0o600  # outbox files, sent-log and reports hold patient data


@dataclass(frozen=True)
class AppointmentFormat:
    """How the scheduling system exports appointments: columns, separator, status words."""

    columns: dict[str, str]  # appointment field -> column name (CSV header or JSON key)
    delimiter: str = ","
    statuses: dict[str, str] = field(default_factory=dict)  # status word (case-folded) -> booked | cancelled

    def column(self, name: str) -> str:
        """The column that holds an appointment field."""
        return self.columns.get(name, name)


@dataclass(frozen=True)
class Clinic:
    """The clinic profile from content/clinic.yaml."""

    path: Path
    name: str
    address: tuple[str, ...]
    phone: str
    email: str
    website: str
    opening_hours: dict[str, str]  # language -> text; "*" for every language
    out_of_hours: dict[str, str]
    feedback: dict[str, str]  # how to tell the clinic what you think of a leaflet
    results_time: dict[str, str]  # roughly when results reach the patient ("within 2 weeks"); empty: not said
    logo: Path | None
    colours: dict[str, str]
    default_language: str
    paper: str
    key_lines: dict[str, int]
    procedures: dict[str, tuple[str, ...]]  # procedure name -> documents to attach (matched ignoring case)
    online_copy: str  # URL of a document's online copy, with {doc} and {lang}; for QR codes
    appointments: AppointmentFormat
    mail: MailSettings
    timezone: str = "UTC"  # IANA name: appointment times in invitations, and "today"
    languages: tuple[str, ...] = ()  # the languages the clinic offers; empty: those its documents are in
    print_colours: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)  # colour name -> CMYK, 0 to 1

    def localised(self, key: str, lang: str) -> str | None:
        """A per-language field in `lang`, or None if the profile has no text for it."""
        values: dict[str, str] = getattr(self, key)
        return values.get(lang, values.get("*"))

    def lacks(self, key: str, lang: str) -> bool:
        """Whether a per-language field the profile has (the required ones always) has no
        text in `lang`."""
        return bool(getattr(self, key)) and self.localised(key, lang) is None

    def context(self, lang: str) -> dict[str, Any]:
        """The clinic as template variables (`clinic.phone` ...) in a language."""
        return {
            "name": self.name,
            "address": list(self.address),
            "phone": self.phone,
            "email": self.email,
            "website": self.website,
            "opening_hours": self.localised("opening_hours", lang) or "",
            "out_of_hours": self.localised("out_of_hours", lang) or "",
            "results_time": self.localised("results_time", lang) or "",
            "colours": dict(self.colours),
        }


@dataclass(frozen=True)
class Strings:
    """The furniture strings of one language: the built-in file's (brochure/defaults/i18n),
    each replaced by the project's content/i18n/<lang>.yaml where it has the key."""

    lang: str
    path: Path  # where a missing string is to be added: the project's file, else the built-in one
    locale: str
    direction: str
    script: str
    language_name: str
    values: dict[str, Text]
    sentence_limit: int  # the longest sentence a release accepts (words; characters for Chinese)
    files: tuple[Path, ...] = ()  # the files read, the project's first

    def get(self, key: str) -> Text:
        """The string for a dotted key; KeyError if it is missing."""
        return self.values[key]


@dataclass(frozen=True)
class Translation:
    """Where a translated document came from and who made and checked it."""

    source: str  # the language translated from
    source_hash: str  # source_hash() of that file when it was translated
    translated_by: str
    checked_by: str  # empty until a qualified medical translator has checked it
    line: int


@dataclass(frozen=True)
class Meta:
    """What every document carries: title, status, version and dates."""

    title: Text
    subtitle: Text
    status: str  # draft | reviewed | approved
    version: str
    published: dt.date
    review_due: dt.date
    reviewed_by: str  # the clinician who reviewed the content
    reviewed_on: dt.date | None
    approved_by: str  # who approved it for patients (clinical governance)
    approved_on: dt.date | None
    code: str  # the leaflet code, the same in every language
    department: str  # the department that owns the document, in the document's language
    layout: str
    sources: tuple[Text, ...]
    translation: Translation | None

    def context(self) -> dict[str, Any]:
        """Template variables for `doc.*` (before filling)."""
        return {
            "title": self.title.source,
            "version": self.version,
            "status": self.status,
            "published": self.published,
            "review_due": self.review_due,
            "reviewed_by": self.reviewed_by,
            "approved_by": self.approved_by,
            "code": self.code,
            "department": self.department,
        }


@dataclass(frozen=True)
class FigureSpec:
    """Which diagram a leaflet shows (a file in content/figures/), and its alt text."""

    name: str
    alt: Text


@dataclass(frozen=True)
class Shape:
    """One shape of a figure, in the figure's own box (y up): an SVG-style path
    (M, L, C, Z), a circle (cx, cy, r) or an ellipse (x1, y1, x2, y2)."""

    kind: str  # path | circle | ellipse
    points: tuple[float, ...]  # the circle's or ellipse's numbers (a path's are in `path`)
    path: str = ""  # SVG path data of M, L, C and Z commands, e.g. 'M 78 92 C 55 104 38 100 30 86'
    fill: str = ""  # '#rrggbb', or '' for none
    stroke: str = ""
    width: float = 1.0

    def commands(self) -> list[tuple[str, tuple[float, ...]]]:
        """The path as (command, numbers) pairs; ValueError if it is not M, L, C and Z."""
        return path_commands(self.path)


PATH_ARGS = {"M": 2, "L": 2, "C": 6, "Z": 0}  # the numbers each path command takes


def path_commands(path: str) -> list[tuple[str, tuple[float, ...]]]:
    """SVG path data of absolute M, L, C and Z commands as (command, numbers) pairs."""
    tokens = re.findall(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)", path)
    if re.sub(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)|[\s,]", "", path) or not tokens or tokens[0] != "M":
        raise ValueError("a path starts with M and holds only M, L, C and Z commands with their numbers")
    out: list[tuple[str, tuple[float, ...]]] = []
    i = 0
    while i < len(tokens):
        command = tokens[i]
        count = PATH_ARGS.get(command)
        args = tokens[i + 1 : i + 1 + (count or 0)]
        if count is None or len(args) != count or any(a.isalpha() for a in args):
            raise ValueError(f"'{command}' needs {count} numbers" if count is not None else f"unknown command '{command}'")
        out.append((command, tuple(float(a) for a in args)))
        i += 1 + count
    return out


@dataclass(frozen=True)
class Anchor:
    """Where a figure's label points, and the side of the drawing it sits on (a
    drawing is not mirrored for right-to-left text: the body is the same)."""

    id: str  # its text is figure.<id> in each language's strings
    side: str  # left | right
    point: tuple[float, float]


@dataclass(frozen=True)
class FigureArt:
    """A diagram from content/figures/<name>.yaml: shapes drawn in order, then labels."""

    name: str
    path: Path
    box: tuple[float, float]
    shapes: tuple[Shape, ...]
    labels: tuple[Anchor, ...]


@dataclass(frozen=True)
class Leaflet:
    """A leaflet in one language: front matter and Markdown body."""

    name: str
    lang: str
    path: Path
    meta: Meta
    short_title: Text
    summary: tuple[Text, ...]
    facts: dict[str, Text]
    body: Text
    key_lines: dict[str, int]
    appointment_note: Text | None = None  # Markdown shown in personalised copies
    figure: FigureSpec | None = None


@dataclass(frozen=True)
class Section:
    """A heading with a Markdown body."""

    heading: Text
    body: Text


@dataclass(frozen=True)
class Comparison:
    """A handout comparing two leaflets fact by fact."""

    name: str
    lang: str
    path: Path
    meta: Meta
    leaflets: tuple[str, str]
    rows: tuple[str, ...]
    intro: Text
    sections: tuple[Section, ...]
    key_lines: dict[str, int]


Document = Leaflet | Comparison


@dataclass(frozen=True)
class Layout:
    """A resolved layout: page, typography, colours, footer and block order."""

    name: str
    path: Path
    document: str
    page_size: str | None
    sheet: str  # single | double (two of the paper side by side: A4 -> A3, Letter -> Tabloid)
    orientation: str
    margins: tuple[float, float, float, float]  # top, right, bottom, left, in points
    font: str
    body_size: float
    leading: float
    title_size: float
    h2_size: float
    h3_size: float
    small_size: float
    min_size: float
    measure: float  # the widest a line of running text (and a box of it) may be, in points; 0: the frame's width
    colours: dict[str, Text]
    footer_left: tuple[Text, ...]
    footer_right: tuple[Text, ...]
    blocks: tuple[str | tuple[str, ...], ...]  # the parts in order; a tuple is a row of parts side by side
    panels: dict[str, tuple[str | tuple[str, ...], ...]]  # a fold's fixed panels and their parts (folds.py)
    label_width: float
    online_view: str  # the view of the online copy this layout's QR code opens ('' for the page as it is)
    page_limit: int  # pages (a tri-fold's two sides are two pages)
    personal_limit: int  # pages of a copy personalised for an appointment (it has one box more)
    fold: str  # a name in folds.FOLDS
    bleed: float  # points of artwork beyond the trim edge, with print marks
    print_marks: bool
    band: float  # height of the brand-colour band across the top of page 1
    files: tuple[Path, ...] = ()  # the files it was read from: its own, then those it extends
    appointment_slot: float = 0.0  # points: the fixed height of a personalised copy's appointment box; 0: none


@dataclass(frozen=True)
class Project:
    """Everything loaded from a project folder, checked and ready to build."""

    root: Path
    clinic: Clinic
    strings: dict[str, Strings]
    documents: dict[tuple[str, str], Document]
    layouts: dict[str, Layout]
    document_names: tuple[str, ...]  # leaflets first, then comparisons
    figures: dict[str, FigureArt]
    languages: tuple[str, ...]  # the clinic's languages (its `languages:`, else those with documents), its default first


def fill_page_slots(line: str, page: int, pages: int) -> str:
    """A footer line with its page slots filled."""
    return line.replace(PAGE_MARK, str(page)).replace(PAGES_MARK, str(pages))
