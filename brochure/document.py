"""The prepared document: what every writer (PDF, HTML, the email body) consumes.

Plain data, made by the prepare stage: semantic blocks holding neutral inline
runs. Nothing here is markup for any writer, nothing is a template, nothing
calls back into an earlier stage. A layout names the parts of a document
(`title`, `summary`, `body`, `contact` ...) in the order they are set; each part
is a tuple of blocks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .model import Layout, Shape

# Inline runs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Plain text."""

    text: str


@dataclass(frozen=True)
class Strong:
    """Important words, set in bold."""

    children: Inlines


@dataclass(frozen=True)
class Emphasis:
    """Stressed words."""

    children: Inlines


LINK_KINDS = ("tel", "mailto", "url")


@dataclass(frozen=True)
class Link:
    """A link: a phone number (tel), an email address (mailto) or a web address (url)."""

    kind: str
    target: str  # the full URI: tel:+441632960123, mailto:..., https://...
    children: Inlines


@dataclass(frozen=True)
class Break:
    """A line break inside a paragraph."""


@dataclass(frozen=True)
class Span:
    """Text in another direction or language than what surrounds it: a phone number,
    an address or an English term in Arabic text."""

    children: Inlines
    direction: str = ""  # ltr | rtl | '' for the surrounding direction
    lang: str = ""  # a language tag, '' for the document's


@dataclass(frozen=True)
class Slot:
    """A number only a writer knows: the page number or the page count (in footers)."""

    name: str  # page | pages


Inline = Text | Strong | Emphasis | Link | Break | Span | Slot
Inlines = tuple[Inline, ...]
HOLDERS = (Strong, Emphasis, Link, Span)  # the runs that hold runs (a tuple: isinstance with it is fast)


ISOLATE_MARKS = {"ltr": "\u2066", "rtl": "\u2067", "auto": "\u2068"}  # LRI, RLI, FSI; each ends with PDI


def plain(inlines: Inlines, isolate: bool = False) -> str:
    """The text of inline runs, without any structure (slots left out); with `isolate`,
    a span in a direction of its own keeps it as bidi isolate marks (for plain-text email)."""
    out = []
    for run in inlines:
        if isinstance(run, Text):
            out.append(run.text)
        elif isinstance(run, Break):
            out.append("\n")
        elif isinstance(run, Span) and isolate and run.direction:
            out.append(f"{ISOLATE_MARKS[run.direction]}{plain(run.children, isolate)}\u2069")
        elif isinstance(run, HOLDERS):
            out.append(plain(run.children, isolate))
    return "".join(out)


# Blocks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """A section heading: level 2 for sections, 3 below them (the title is level 1)."""

    level: int
    inlines: Inlines


PARAGRAPH_ROLES = ("body", "lead_in", "strong", "small", "note")


@dataclass(frozen=True)
class LineLimit:
    """The most lines a paragraph holding a patient's value may take (`value` names it:
    name, date, location, notes); a value that needs more is refused, not squeezed."""

    value: str
    lines: int


@dataclass(frozen=True)
class Paragraph:
    """A paragraph. `lead_in` introduces what follows (it ends in a colon) and keeps
    with it; `small` is small print (sources, edition lines); `note` an aside."""

    inlines: Inlines
    role: str = "body"
    limit: LineLimit | None = None


@dataclass(frozen=True)
class ListItem:
    """One item of a list; depth 0 at the top, 1 for a nested list."""

    inlines: Inlines
    depth: int = 0


@dataclass(frozen=True)
class ListBlock:
    """A bulleted or numbered list."""

    items: tuple[ListItem, ...]
    ordered: bool = False
    small: bool = False
    start: int = 1  # the first number of a numbered list

    def marks(self) -> tuple[str, ...]:
        """Each item's mark: its number in a numbered list (counted from `start`), else a
        bullet; a dash for an item below another."""
        out, number = [], self.start
        for item in self.items:
            if item.depth:
                out.append("–")
            elif self.ordered:
                out.append(f"{number}.")
                number += 1
            else:
                out.append("•")
        return tuple(out)


CALLOUT_KINDS = ("help", "note", "summary", "status", "appointment")


@dataclass(frozen=True)
class Callout:
    """A box set apart from the text: `help` (when to get help), `summary` (in short),
    `status` (not for patients yet), `appointment` (a patient's appointment), `note`,
    `notes` (room for the patient's own questions and notes: the PDF rules its lines)."""

    kind: str
    title: Inlines
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Table:
    """A table with a header row and, in each row, a header cell then data cells."""

    corner: Inlines
    columns: tuple[Inlines, ...]
    rows: tuple[tuple[Inlines, tuple[Inlines, ...]], ...]  # (row header, cells)


@dataclass(frozen=True)
class Title:
    """The clinic (its logo and name) above the document's title and subtitle."""

    clinic: Inlines
    logo: Path | None
    title: Inlines
    subtitle: Inlines


@dataclass(frozen=True)
class Contact:
    """The clinic's contact details: where (name, address, phone) and how (hours,
    email, website), then what to do out of hours."""

    heading: Inlines
    where: tuple[Inlines, ...]
    how: tuple[Inlines, ...]
    note: Inlines


@dataclass(frozen=True)
class FigureLabel:
    """A label of a figure: its text, which side it sits on and the point it names."""

    id: str
    inlines: Inlines
    side: str  # left | right of the drawing (a drawing is not mirrored)
    anchor: tuple[float, float]


@dataclass(frozen=True)
class Figure:
    """A labelled diagram drawn as vectors, with alt text for readers who cannot see it."""

    name: str
    alt: str
    box: tuple[float, float]  # width and height of the drawing's own coordinates
    shapes: tuple[Shape, ...]
    labels: tuple[FigureLabel, ...]


@dataclass(frozen=True)
class QRCode:
    """A QR code for a web address, with a caption; its alt text names the address."""

    url: str
    caption: Inlines
    alt: str


Block = Heading | Paragraph | ListBlock | Callout | Table | Title | Contact | Figure | QRCode


def walk(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Every block, and every block inside a callout, in reading order."""
    for block in blocks:
        yield block
        if isinstance(block, Callout):
            yield from walk(block.blocks)


# The document ----------------------------------------------------------------------------

# The parts of each kind of document a layout can name, in `blocks:` or a fold's panels.
COMMON_PARTS = ("title", "status", "other_formats", "contact", "qr", "sources", "about", "edition")
PARTS = {
    "leaflet": COMMON_PARTS + ("appointment", "summary", "figure", "body", "notes"),
    "comparison": COMMON_PARTS + ("intro", "table", "sections"),
}
# The parts every layout of a kind must place: what the document says, whether it is
# approved yet, and whom to call (and a personalised leaflet's appointment).
REQUIRED_PARTS = {
    "leaflet": ("title", "status", "appointment", "summary", "body", "contact"),
    "comparison": ("title", "status", "intro", "table", "sections", "contact"),
}


@dataclass(frozen=True)
class Footer:
    """The lines at the foot of every page, at its start and end sides; they may hold
    `Slot`s for the page number and count."""

    start: tuple[Inlines, ...]
    end: tuple[Inlines, ...]


@dataclass(frozen=True)
class Info:
    """What a document says about itself: for metadata, the status band and file names."""

    title: str
    subtitle: str
    author: str
    keywords: str
    status_band: str  # on every page of a document that is not approved ('' once it is)
    epoch: int  # the document's date, seconds since 1970 (reproducible output)
    url: str  # the online copy ('' if none)


@dataclass(frozen=True)
class Prepared:
    """A document in one language and layout, ready for any writer."""

    name: str
    lang: str
    locale: str  # a language tag: en-GB, zh-Hans-CN
    direction: str  # ltr | rtl
    script: str  # latin | arabic | devanagari | han (see scripts.py)
    layout: Layout
    paper: str  # a4 | letter
    info: Info
    colours: dict[str, str]  # layout colour name -> '#rrggbb'
    parts: dict[str, tuple[Block, ...]] = field(default_factory=dict)
    footer: Footer = Footer((), ())
    print_colours: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)  # '#rrggbb' -> CMYK for print shops

    def part(self, name: str) -> tuple[Block, ...]:
        """The blocks of a part named in the layout (none if the document has no such part)."""
        return self.parts.get(name, ())
