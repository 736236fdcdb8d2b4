"""Prepare one document for the writers: fill its placeholders, compose its
Markdown, and make every part a layout can name (title, summary, body, contact
box ...) as blocks of the neutral document model (brochure.document).

After this stage there is no template, no markup and no content file to read:
the writers get plain data.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..defaults import DEFAULTS
from ..document import (
    Block,
    Break,
    Callout,
    Contact,
    Figure,
    FigureLabel,
    Footer,
    Heading,
    Info,
    Inline,
    Inlines,
    LineLimit,
    Link,
    ListBlock,
    ListItem,
    Paragraph,
    Prepared,
    QRCode,
    Slot,
    Span,
    Strong,
    Table,
    Text,
    Title,
    plain,
)
from ..errors import Problem
from ..model import LOCALISED_CLINIC_FIELDS, PAGE_MARK, PAGES_MARK, Comparison, Document, Layout, Leaflet, Project
from ..palette import MIN_CONTRAST, Faint, palette
from ..review.translations import CHECKED, SOURCE, status_of
from ..scripts import SCRIPTS
from .compose import compose, inline_text, isolate_ltr
from .fill import PAGE_SLOTS, Filler

APPOINTMENT_LINES = {"name": 2, "date": 2, "location": 3, "notes": 6}  # lines of the appointment box
NBSP = "\u00a0"
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


class Visit(Protocol):
    """What prepare reads of an appointment (brochure mail's rows satisfy it)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def date(self) -> dt.date: ...
    @property
    def time(self) -> dt.time: ...
    @property
    def location(self) -> str: ...
    @property
    def notes(self) -> str: ...
    @property
    def procedure(self) -> str: ...


@dataclass(frozen=True)
class SampleVisit:
    """Stands in for a patient when a document is checked or built without an appointment,
    so that the placeholders of `appointment_note` are checked too."""

    id: str = "sample"
    name: str = "Sample Patient"
    date: dt.date = dt.date(2027, 3, 12)
    time: dt.time = dt.time(9, 30)
    location: str = "Outpatient clinic"
    notes: str = ""
    procedure: str = ""


def paper_for(layout: Layout, project: Project, override: str | None) -> str:
    """The paper size: the command line's, else the layout's, else the clinic's."""
    return override or layout.page_size or project.clinic.paper


def words(text: str) -> Inlines:
    """Plain text as inline runs."""
    return (Text(text),) if text else ()


def bold(text: str) -> Inlines:
    """Plain text in bold."""
    return (Strong(words(text)),) if text else ()


@dataclass
class Context:
    """What every part of one document is made from."""

    project: Project
    doc: Document  # filled
    layout: Layout
    filler: Filler
    problems: list[Problem]
    visit: Visit | None

    @property
    def lang(self) -> str:
        return self.doc.lang

    def t(self, key: str, **values: object) -> str:
        """An i18n string, filled."""
        return self.filler.translate(key, **values)

    @property
    def colon(self) -> str:
        """Between a label and its value (full width in Chinese)."""
        strings = self.project.strings[self.lang]
        return strings.values["colon"].source if "colon" in strings.values else ": "

    def labelled(self, label_key: str, value: Inlines) -> Inlines:
        """'Label: value'."""
        return (Text(self.t(label_key) + self.colon), *value)


def check_localised_fields(project: Project, doc: Document, problems: list[Problem]) -> None:
    """The clinic's texts a patient reads exist in the document's language."""
    clinic = project.clinic
    for key in LOCALISED_CLINIC_FIELDS:
        if clinic.lacks(key, doc.lang):
            problems.append(
                Problem(
                    clinic.path,
                    clinic.key_lines.get(key),
                    f"'{key}' has no '{doc.lang}' text, needed by {doc.path}",
                    f"add '{doc.lang}:' under '{key}:'",
                )
            )


def clinic_context(project: Project, lang: str) -> dict[str, Any]:
    """The clinic as placeholders in a language. Values that must stay left to right (phone,
    email, web address) are isolated; a phone number never breaks across lines."""
    context = project.clinic.context(lang)
    context["phone"] = isolate_ltr(project.clinic.phone.replace(" ", NBSP))
    for key in ("email", "website"):
        context[key] = isolate_ltr(context[key])
    return context


def make_filler(project: Project, doc: Document, problems: list[Problem], visit: Visit | None) -> Filler:
    """The filler of one document, with the clinic, the document and an appointment as
    placeholders."""
    context = {"clinic": clinic_context(project, doc.lang), "doc": doc.meta.context()}
    filler = Filler(project.strings[doc.lang], context, problems)
    filler.context["appointment"] = filler.appointment_context(visit or SampleVisit())
    return filler


def colours_of(project: Project, layout: Layout, filler: Filler, problems: list[Problem]) -> dict[str, str]:
    """The layout's colours, filled from the clinic's brand colours and checked: each text
    colour readable on its background (brochure.palette), which the writers then use as it is."""
    colours, before_all = {}, len(problems)
    for key, text in layout.colours.items():
        before = len(problems)
        value = filler.plain(text)
        if not HEX.match(value) and len(problems) == before:  # a failed placeholder is reported once, by itself
            problems.append(
                Problem(
                    text.path,
                    text.line,
                    f"colour '{key}' is '{value}', not a colour like '#1f5f74'",
                    "check the layout and the clinic's colours",
                )
            )
        colours[key] = value if HEX.match(value) else "#000000"
    if len(problems) == before_all:
        for pair in faint_pairs(palette(colours).replaced):
            problems.append(faint_problem(project, layout, pair))
    return colours


def footer_line(text: str) -> Inlines:
    """A filled footer line, its page marks as slots."""
    runs: list[Inline] = []
    for piece in re.split(f"([{PAGE_MARK}{PAGES_MARK}])", text):
        if piece == PAGE_MARK:
            runs.append(Slot("page"))
        elif piece == PAGES_MARK:
            runs.append(Slot("pages"))
        elif piece:
            runs.append(Text(piece))
    return tuple(runs)


def footer_of(c: Context) -> Footer:
    """The footer's lines, filled once for every page (the numbers are slots)."""
    start, end = (
        tuple(footer_line(c.filler.plain(line, **PAGE_SLOTS)) for line in side)
        for side in (c.layout.footer_left, c.layout.footer_right)
    )
    return Footer(start, end)


# The parts a layout can name ---------------------------------------------------------------


def title_part(c: Context) -> tuple[Block, ...]:
    clinic = c.project.clinic
    title, subtitle = (inline_text(text, c.problems) for text in (c.doc.meta.title, c.doc.meta.subtitle))
    return (Title(words(clinic.name), clinic.logo, title, subtitle),)


def status_part(c: Context) -> tuple[Block, ...]:
    """Why this copy is not for patients yet, and an unchecked translation."""
    meta = c.doc.meta
    lines = []
    if meta.status != "approved":
        lines.append(c.t(f"status.{meta.status}", reviewed_by=meta.reviewed_by))
    if status_of(c.project, c.doc.name, c.lang).state not in (SOURCE, CHECKED):
        lines.append(c.t("translation_unchecked"))
    return (Callout("status", (), tuple(Paragraph(bold(line)) for line in lines)),) if lines else ()


def appointment_part(c: Context) -> tuple[Block, ...]:
    """The patient's appointment and how to get ready, in personalised copies only.
    The note is composed (and so checked) in every copy. Each of the patient's values
    is in its own direction and has a most number of lines (APPOINTMENT_LINES)."""
    note = compose(c.doc.appointment_note, c.problems) if isinstance(c.doc, Leaflet) and c.doc.appointment_note else ()
    if c.visit is None:
        return ()
    visit = c.filler.context["appointment"]

    def own(value: str) -> Inlines:
        return (Span(words(value), "auto"),)

    lines = {
        "name": c.labelled("appointment_name_label", (Strong(own(c.visit.name)),)),
        "date": c.labelled("appointment_when_label", bold(c.t("appointment_when", date=visit["date"], time=visit["time"]))),
        "location": c.labelled("appointment_where_label", own(c.visit.location)),
    }
    if c.visit.notes:
        lines["notes"] = c.labelled("appointment_notes_label", own(c.visit.notes))
    details = tuple(Paragraph(line, limit=LineLimit(key, APPOINTMENT_LINES[key])) for key, line in lines.items())
    return (Callout("appointment", words(c.t("appointment_heading")), (*details, *note)),)


def appointment_blocks(
    project: Project, doc: Document, layout: Layout, visit: Visit, problems: list[Problem]
) -> tuple[Block, ...]:
    """The appointment box of a document personalised for `visit`, alone: what a stamp
    draws on a copy prepared for another appointment (the document's own note filled
    for this one)."""
    filler = make_filler(project, doc, problems, visit)
    filled: Document = doc
    if isinstance(doc, Leaflet) and doc.appointment_note is not None:
        filled = dataclasses.replace(doc, appointment_note=filler.fill(doc.appointment_note))
    return appointment_part(Context(project, filled, layout, filler, problems, visit))


def summary_part(c: Context) -> tuple[Block, ...]:
    if not isinstance(c.doc, Leaflet):
        return ()
    items = ListBlock(tuple(ListItem(inline_text(point, c.problems)) for point in c.doc.summary))
    return (Callout("summary", words(c.t("summary_heading")), (items,)),)


def figure_part(c: Context) -> tuple[Block, ...]:
    """The leaflet's diagram, labelled in its language."""
    if not isinstance(c.doc, Leaflet) or c.doc.figure is None or c.doc.figure.name not in c.project.figures:
        return ()
    art = c.project.figures[c.doc.figure.name]
    strings = c.project.strings[c.lang].values
    if any(f"figure.{a.id}" not in strings for a in art.labels):
        return ()  # a label without its string is the project's problem (check_figure): nothing is built
    labels = tuple(FigureLabel(a.id, words(c.t(f"figure.{a.id}")), a.side, a.point) for a in art.labels)
    return (Figure(art.name, c.doc.figure.alt.source.strip(), art.box, art.shapes, labels),)


def body_part(c: Context) -> tuple[Block, ...]:
    return compose(c.doc.body, c.problems) if isinstance(c.doc, Leaflet) else ()


def intro_part(c: Context) -> tuple[Block, ...]:
    return compose(c.doc.intro, c.problems) if isinstance(c.doc, Comparison) else ()


def sections_part(c: Context) -> tuple[Block, ...]:
    """A comparison's sections after its table: a heading and its blocks each."""
    if not isinstance(c.doc, Comparison):
        return ()
    out: list[Block] = []
    for section in c.doc.sections:
        out.append(Heading(2, inline_text(section.heading, c.problems)))
        out.extend(compose(section.body, c.problems))
    return tuple(out)


def table_part(c: Context) -> tuple[Block, ...]:
    """A comparison's table: one column per leaflet, one row per fact, from the leaflets' facts."""
    if not isinstance(c.doc, Comparison):
        return ()
    leaflets = []
    for name in c.doc.leaflets:
        leaflet = c.project.documents.get((name, c.lang))
        if not isinstance(leaflet, Leaflet):
            return ()  # reported by the checks of the project
        leaflets.append(c.filler.fill(leaflet))
    first, second = leaflets
    rows = tuple(
        (words(c.t(f"facts.{key}")), (inline_text(first.facts[key], c.problems), inline_text(second.facts[key], c.problems)))
        for key in c.doc.rows
        if key in first.facts and key in second.facts  # missing ones are reported by the checks of the project
    )
    return (Table((), (inline_text(first.short_title), inline_text(second.short_title)), rows),)


def other_formats_part(c: Context) -> tuple[Block, ...]:
    return (Paragraph(bold(c.t("other_formats")), "strong"),)


def names_part(layout: Layout, name: str) -> bool:
    """Whether a layout places a part, in its blocks or on a fixed panel."""
    lists = (layout.blocks, *layout.panels.values())
    return any(name == item or (isinstance(item, tuple) and name in item) for items in lists for item in items)


def notes_part(c: Context) -> tuple[Block, ...]:
    """Room for the patient's questions and notes (a tri-fold's last panel), in the layouts
    that place it only: its words are not part of the leaflet's text elsewhere."""
    if not names_part(c.layout, "notes"):
        return ()
    return (Callout("notes", words(c.t("notes_heading")), (Paragraph(words(c.t("notes_prompt")), "note"),)),)


def contact_part(c: Context) -> tuple[Block, ...]:
    """The clinic's contact details; phone, email and website are links. In Chinese, where
    lines break between any two characters, an address gets a line of its own."""
    clinic = c.project.clinic
    own_line: Inlines = (Break(),) if SCRIPTS[c.project.strings[c.lang].script].own_line_for_addresses else ()
    phone = clinic.phone.replace(" ", NBSP)
    where = (
        bold(clinic.name),
        (Span(words(", ".join(clinic.address)), "ltr"),),
        c.labelled(
            "phone_label", (Link("tel", "tel:" + re.sub(r"[^\d+]", "", clinic.phone), (Strong((Span(words(phone), "ltr"),)),)),)
        ),
    )
    how = [
        c.labelled("hours_label", words(clinic.localised("opening_hours", c.lang) or "")),
        c.labelled("email_label", (*own_line, Link("mailto", f"mailto:{clinic.email}", (Span(words(clinic.email), "ltr"),)))),
    ]
    if clinic.website:
        how.append(c.labelled("website_label", (*own_line, Link("url", clinic.website, (Span(words(clinic.website), "ltr"),)))))
    note = words(clinic.localised("out_of_hours", c.lang) or "")
    return (Contact(words(c.t("contact_heading")), where, tuple(how), note),)


def online_copy(c: Context) -> str:
    """The web address of this document's online copy ('' if the clinic has none), in the
    layout's view of it (the large-print view: the page's #large-print)."""
    template = c.project.clinic.online_copy
    if not template:
        return ""
    url = template.format(doc=c.doc.name, lang=c.lang)
    return f"{url}#{c.layout.online_view}" if c.layout.online_view else url


def qr_part(c: Context) -> tuple[Block, ...]:
    url = online_copy(c)
    if not url:
        return ()
    caption = c.t("qr_caption")
    return (QRCode(url, words(caption), f"{caption} {url}"),)


def sources_part(c: Context) -> tuple[Block, ...]:
    """The sources, in the language they were written in (a translation's source's)."""
    translation = c.doc.meta.translation
    lang = translation.source if translation else ""
    items = tuple(ListItem((Span(inline_text(s), "ltr", lang),)) for s in c.doc.meta.sources)
    return (Heading(3, words(c.t("sources_heading"))), ListBlock(items, small=True))


def about_part(c: Context) -> tuple[Block, ...]:
    """Not a replacement for advice, how to give feedback, the leaflet's code and owner."""
    meta = c.doc.meta
    feedback = c.project.clinic.localised("feedback", c.lang) or ""
    lines = (bold(c.t("not_advice")), words(feedback), words(f"{c.t('leaflet_code', code=meta.code)} · {meta.department}"))
    return tuple(Paragraph(line, "note") for line in lines if line)


PARTS: dict[str, Callable[[Context], tuple[Block, ...]]] = {
    "title": title_part,
    "status": status_part,
    "appointment": appointment_part,
    "summary": summary_part,
    "figure": figure_part,
    "body": body_part,
    "intro": intro_part,
    "table": table_part,
    "sections": sections_part,
    "other_formats": other_formats_part,
    "notes": notes_part,
    "contact": contact_part,
    "qr": qr_part,
    "sources": sources_part,
    "about": about_part,
}


def info_of(c: Context, subtitle: Inlines) -> Info:
    """What the document says about itself, for metadata and the status band."""
    meta = c.doc.meta
    translation = status_of(c.project, c.doc.name, c.lang).state
    band = c.t(f"status_band.{meta.status}") if meta.status != "approved" else ""
    keywords = (
        f"status={meta.status}; translation={translation}; code={meta.code}; "
        f"version={meta.version}; review-due={meta.review_due.isoformat()}"
    )
    return Info(
        meta.title.source.strip(), plain(subtitle), c.project.clinic.name, keywords, band, source_epoch(c.doc), online_copy(c)
    )


def prepare(
    project: Project,
    doc: Document,
    layout: Layout,
    paper: str | None,
    problems: list[Problem],
    visit: Visit | None = None,
) -> Prepared:
    """Fill and compose a document, personalised for an appointment if one is given;
    problems are appended, not raised."""
    strings = project.strings[doc.lang]
    check_localised_fields(project, doc, problems)
    filler = make_filler(project, doc, problems, visit)
    c = Context(project, filler.fill(doc), layout, filler, problems, visit)
    parts = {name: make(c) for name, make in PARTS.items()}
    footer = footer_of(c)
    parts["edition"] = tuple(Paragraph(line, "small") for line in footer.start)
    title = parts["title"][0]
    assert isinstance(title, Title)
    return Prepared(
        name=doc.name,
        lang=doc.lang,
        locale=strings.locale.replace("_", "-"),
        direction=strings.direction,
        script=strings.script,
        layout=layout,
        paper=paper_for(layout, project, paper),
        info=info_of(c, title.subtitle),
        colours=colours_of(project, layout, filler, problems),
        parts=parts,
        footer=footer,
        print_colours={c.project.clinic.colours[name].lower(): cmyk for name, cmyk in c.project.clinic.print_colours.items()},
    )


def source_epoch(doc: Document) -> int:
    """The document's date: SOURCE_DATE_EPOCH if set, else its publication date."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value)
    return calendar.timegm(doc.meta.published.timetuple())


def faint_pairs(pairs: tuple[Faint, ...]) -> list[Faint]:
    """The worst of the pairs that share a colour: changing it may mend the others."""
    out: list[Faint] = []
    for pair in sorted(pairs, key=lambda f: f.ratio):
        if not {pair.key, pair.background_key} & {k for f in out for k in (f.key, f.background_key)} - {None}:
            out.append(pair)
    return out


def faint_problem(project: Project, layout: Layout, pair: Faint) -> Problem:
    """A text colour too faint on its background, told where one of the two is set: the
    clinic profile for a brand colour, else the layout; the project's file before a
    built-in one (which the clinic did not change)."""
    places, names = [], []
    for key, colour in ((pair.key, pair.colour), (pair.background_key, pair.background)):
        if key is None:
            names.append(f"white ({colour})")
            continue
        text = layout.colours[key]
        brand = re.search(r"clinic\.colours\.(\w+)", text.source)
        clinic = project.clinic
        places.append((clinic.path, clinic.key_lines.get(f"colours.{brand.group(1)}")) if brand else (text.path, text.line))
        names.append(f"the clinic's '{brand.group(1)}' ({colour})" if brand else f"the layout's '{key}' ({colour})")
    path, line = next((p for p in places if not Path(p[0]).is_relative_to(DEFAULTS)), places[0])
    return Problem(
        path,
        line,
        f"the {pair.where}, {names[0]} on {names[1]}, has a contrast of {pair.ratio:.2f}:1; text needs {MIN_CONTRAST}:1",
        "change one of the two colours",
    )
