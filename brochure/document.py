"""Prepare one document for rendering: fill placeholders, compose Markdown.

The result, a `Prepared` document, holds only finished markup and values: the
renderer needs no content files, templates or i18n lookups of its own.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .appointments import Appointment
from .compose import Block, compose, inline_markup
from .errors import Problem
from .figures import LABELS as FIGURE_LABELS
from .fill import Filler
from .model import Comparison, Document, Layout, Leaflet, Project

LOCALISED_CLINIC_FIELDS = ("opening_hours", "out_of_hours")
# Stands in for a patient when a document is checked or built without an appointment,
# so that the placeholders of `appointment_note` are checked too.
SAMPLE_APPOINTMENT = Appointment(
    id="sample",
    name="Sample Patient",
    email="patient@example.org",
    language="en",
    documents=(),
    procedure="",
    date=dt.date(2027, 3, 12),
    time=dt.time(9, 30),
    location="Outpatient clinic",
    notes="",
    password="",
    row=0,
)
LRE, PDF = "\u202a", "\u202c"  # a left-to-right embedding, for phone numbers in right-to-left text
NBSP = "\u00a0"
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
FooterLines = Callable[[int, int], tuple[list[str], list[str]]]


@dataclass(frozen=True)
class Row:
    """One row of a comparison table: a label and one cell per leaflet."""

    key: str
    label: str
    cells: tuple[str, str]


@dataclass(frozen=True)
class PreparedSection:
    """A heading and its blocks, after the table of a comparison."""

    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Prepared:
    """A document ready to render: markup, values, and a footer function."""

    name: str
    lang: str
    locale: str
    direction: str
    script: str
    layout: Layout
    paper: str
    title: str
    title_markup: str
    subtitle: str
    author: str
    clinic_name: str
    logo: str | None
    status_notice: str
    appointment_heading: str
    appointment: tuple[str, ...]  # name, when, where[, notes]; empty unless personalised
    appointment_note: tuple[Block, ...]
    summary_heading: str
    summary: tuple[str, ...]
    body: tuple[Block, ...]
    intro: tuple[Block, ...]
    columns: tuple[str, str]
    rows: tuple[Row, ...]
    sections: tuple[PreparedSection, ...]
    other_formats: str
    contact_heading: str
    contact: tuple[tuple[str, ...], tuple[str, ...]]
    contact_note: str
    sources_heading: str
    sources: tuple[str, ...]
    colours: dict[str, str]
    qr_url: str
    qr_caption: str
    figure: tuple[str, str, dict[str, str]] | None  # kind, alt text, labels (markup)
    footer: FooterLines
    epoch: int


def paper_for(layout: Layout, project: Project, override: str | None) -> str:
    """The paper size: the command line's, else the layout's, else the clinic's."""
    return override or layout.page_size or project.clinic.paper


def prepare(
    project: Project,
    doc: Document,
    layout: Layout,
    paper: str | None,
    problems: list[Problem],
    appointment: Appointment | None = None,
) -> Prepared:
    """Fill and compose a document, personalised for an appointment if one is given;
    problems are appended, not raised."""
    strings = project.strings[doc.lang]
    clinic = project.clinic
    doc_context = dict(doc.meta.context(), reviewed_by=doc.meta.reviewed_by)
    for key in LOCALISED_CLINIC_FIELDS:
        if clinic.localised(key, doc.lang) is None:
            problems.append(
                Problem(
                    clinic.path,
                    clinic.key_lines.get(key),
                    f"'{key}' has no '{doc.lang}' text, needed by {doc.path}",
                    f"add '{doc.lang}:' under '{key}:'",
                )
            )
    rtl = strings.direction == "rtl"

    def ltr(value: str) -> str:
        """Keep a phone number, address or citation left to right inside right-to-left text."""
        return f"{LRE}{value}{PDF}" if rtl and value else value

    phone = ltr(clinic.phone.replace(" ", NBSP))  # a phone number never breaks across lines
    clinic_context = clinic.context(doc.lang)
    clinic_context["phone"] = phone
    for key in ("email", "website"):
        clinic_context[key] = ltr(clinic_context[key])
    filler = Filler(strings, {"clinic": clinic_context, "doc": doc_context}, problems)
    visit = filler.appointment_context(appointment or SAMPLE_APPOINTMENT)
    filler.context["appointment"] = visit
    filled = filler.fill(doc)
    meta = filled.meta

    def t(key: str, **values: object) -> str:
        return escape(filler.translate(key, **values))

    colours = {}
    for key, text in layout.colours.items():
        value = filler.plain(text)
        if not HEX.match(value):
            problems.append(
                Problem(
                    text.path,
                    text.line,
                    f"colour '{key}' is '{value}', not a colour like '#1f5f74'",
                    "check the layout and the clinic's colours",
                )
            )
            value = "#000000"
        colours[key] = value

    def footer(page: int, pages: int) -> tuple[list[str], list[str]]:
        left = [filler.plain(line, page=page, pages=pages) for line in layout.footer_left]
        right = [filler.plain(line, page=page, pages=pages) for line in layout.footer_right]
        return left, right

    footer(1, 1)  # fill once now, so that footer placeholder errors are found before rendering
    status = ""
    if meta.status != "approved":
        status = t(f"status.{meta.status}", reviewed_by=meta.reviewed_by)
    colon = strings.values["colon"].source if "colon" in strings.values else ": "
    where = (
        f"<b>{escape(clinic.name)}</b>",
        escape(ltr(", ".join(clinic.address))),
        f"{t('phone_label')}{colon}<b>{escape(phone)}</b>",
    )
    # Chinese lines break between any two characters, so an address without spaces
    # gets a line of its own rather than being cut in the middle.
    before_address = "<br/>" if strings.script == "han" else ""
    how = [
        f"{t('hours_label')}{colon}{escape(clinic.localised('opening_hours', doc.lang) or '')}",
        f"{t('email_label')}{colon}{before_address}{escape(ltr(clinic.email))}",
    ]
    if clinic.website:
        how.append(f"{t('website_label')}{colon}{before_address}{escape(ltr(clinic.website))}")

    visit_lines: tuple[str, ...] = ()
    visit_note: tuple[Block, ...] = ()
    if isinstance(filled, Leaflet) and filled.appointment_note is not None:
        note = compose(filled.appointment_note, problems)  # checked even when not shown
        if appointment is not None:
            visit_note = note
    if appointment is not None:
        visit_lines = (
            f"{t('appointment_name_label')}{colon}<b>{escape(visit['name'])}</b>",
            f"{t('appointment_when_label')}{colon}<b>{t('appointment_when', date=visit['date'], time=visit['time'])}</b>",
            f"{t('appointment_where_label')}{colon}{escape(visit['location'])}",
        ) + ((f"{t('appointment_notes_label')}{colon}{escape(visit['notes'])}",) if visit["notes"] else ())
    summary: tuple[str, ...] = ()
    body: tuple[Block, ...] = ()
    intro: tuple[Block, ...] = ()
    columns = ("", "")
    rows: tuple[Row, ...] = ()
    sections: tuple[PreparedSection, ...] = ()
    if isinstance(filled, Leaflet):
        summary = tuple(inline_markup(item) for item in filled.summary)
        body = compose(filled.body, problems)
    elif isinstance(filled, Comparison):
        intro = compose(filled.intro, problems)
        sections = tuple(PreparedSection(inline_markup(s.heading), compose(s.body, problems)) for s in filled.sections)
        columns, rows = comparison_table(project, filled, filler, problems)

    title_plain = filled.meta.title.source.strip()
    return Prepared(
        name=doc.name,
        lang=doc.lang,
        locale=strings.locale,
        direction=strings.direction,
        script=strings.script,
        layout=layout,
        paper=paper_for(layout, project, paper),
        title=title_plain,
        title_markup=inline_markup(meta.title),
        subtitle=inline_markup(meta.subtitle),
        author=clinic.name,
        clinic_name=escape(clinic.name),
        logo=str(clinic.logo) if clinic.logo else None,
        status_notice=status,
        appointment_heading=t("appointment_heading"),
        appointment=visit_lines,
        appointment_note=visit_note,
        summary_heading=t("summary_heading"),
        summary=summary,
        body=body,
        intro=intro,
        columns=columns,
        rows=rows,
        sections=sections,
        other_formats=t("other_formats"),
        contact_heading=t("contact_heading"),
        contact=(where, tuple(how)),
        contact_note=escape(clinic.localised("out_of_hours", doc.lang) or ""),
        sources_heading=t("sources_heading"),
        sources=tuple(ltr(inline_markup(s)) for s in meta.sources),
        colours=colours,
        qr_url=clinic.online_copy.format(doc=doc.name, lang=doc.lang) if clinic.online_copy else "",
        qr_caption=t("qr_caption"),
        figure=figure_of(filled, t),
        footer=footer,
        epoch=source_epoch(doc),
    )


def figure_of(doc: Document, t: Callable[..., str]) -> tuple[str, str, dict[str, str]] | None:
    """A leaflet's diagram: its kind, alt text and labels in the leaflet's language."""
    if not isinstance(doc, Leaflet) or doc.figure is None:
        return None
    labels = {name: t(f"figure.{name}") for name in FIGURE_LABELS}
    return doc.figure.kind, doc.figure.alt.source.strip(), labels


def comparison_table(
    project: Project, comparison: Comparison, filler: Filler, problems: list[Problem]
) -> tuple[tuple[str, str], tuple[Row, ...]]:
    """The column headings and rows of a comparison, from its two leaflets' facts."""
    leaflets = []
    for name in comparison.leaflets:
        leaflet = project.documents.get((name, comparison.lang))
        if not isinstance(leaflet, Leaflet):
            return ("", ""), ()  # reported by the checks of the project
        leaflets.append(filler.fill(leaflet))
    first, second = leaflets
    columns = (inline_markup(first.short_title), inline_markup(second.short_title))
    rows = []
    for key in comparison.rows:
        if key not in first.facts or key not in second.facts:
            continue  # reported by the checks of the project
        label = filler.translate(f"facts.{key}")
        rows.append(Row(key, escape(label), (inline_markup(first.facts[key]), inline_markup(second.facts[key]))))
    return columns, tuple(rows)


def source_epoch(doc: Document) -> int:
    """The PDF's date: SOURCE_DATE_EPOCH if set, else the document's publication date."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value)
    return calendar.timegm(doc.meta.published.timetuple())
