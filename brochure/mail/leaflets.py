"""A patient's copy of a leaflet: the approved document rendered once, stamped per patient.

The base copy of a (document, language, layout, content version) is the document
prepared for a stand-in appointment and rendered with its appointment box left empty,
a slot of the layout's fixed height (`appointment: {slot: ...}`); it is made once per
process and kept on disk under the project's .brochure/cache/pdf/, keyed by a hash of
everything that makes it (the document's files, the layout's, the clinic profile and
its logo, the language's strings, the figures, the fonts, the package version). Each
patient's copy is then that base, page for page, with the appointment box stamped into
the slot (write/pdf/stamp.py): what the patient receives is the reviewed leaflet.

A layout without a slot (the tri-fold: its cover holds the title, summary and diagram,
and an appointment box of fixed height does not fit it beside them), or a document
whose text outside the box names the appointment, is rendered whole for each patient,
as before."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace

from .. import cache
from ..document import Block, Prepared
from ..errors import ContentError, Problem
from ..load.project import layout_name
from ..model import Document, Layout, Project
from ..placement import Placement
from ..prepare.prepare import SampleVisit, Visit, appointment_blocks, prepare
from ..write.pdf.pages import fit, place, render_fitted, scaled
from ..write.pdf.stamp import CannotStamp, Slot, Target, find_slot, render_slot, slot_placement, stamp, target_of
from .appointments import Appointment

CACHE_FORMAT = "base-2"  # changes when what a cached base holds changes
CACHE_KIND = "pdf"  # kept in .brochure/cache/pdf/
OTHER_VISIT = SampleVisit("other", "Another Name", SampleVisit.date.replace(day=13), SampleVisit.time, "Elsewhere", "A note")


@dataclass(frozen=True)
class Base:
    """A document's base copy: its PDF, what a stamp changes in it (its slot among it),
    the factor its type was scaled by to fit, and the document as prepared for it;
    `target` None if it cannot be stamped."""

    prepared: Prepared
    pdf: bytes = b""
    target: Target | None = None
    factor: float = 1.0

    @property
    def slot(self) -> Slot | None:
        """Where the appointment box goes, None if the copy cannot be stamped."""
        return self.target.slot if self.target is not None else None


_BASES: dict[str, Base] = {}  # by cache key, in this process
_KEYS: dict[tuple[int, str, str, str], tuple[weakref.ref[Project], str]] = {}


def personal_layout(project: Project, doc: Document) -> Layout:
    """The document's layout as a personalised copy has it: its personal page limit."""
    layout = project.layouts[layout_name(doc)]
    return replace(layout, page_limit=layout.personal_limit)


def personal_copy(project: Project, name: str, appointment: Appointment, keep: bool = True) -> tuple[Prepared, bytes]:
    """A document personalised for an appointment and its PDF: the base copy stamped with
    the appointment box (written to the disk cache if `keep` and not there yet), or the
    copy rendered whole where it cannot be stamped. ContentError if the document has a
    problem; PageOverflow or ValueTooLong (naming the value) if it does not fit."""
    doc = project.documents[(name, appointment.language)]
    layout = personal_layout(project, doc)
    base = base_copy(project, doc, layout, keep)
    if base.target is None:
        return whole_copy(project, doc, layout, appointment)
    problems: list[Problem] = []
    blocks = appointment_blocks(project, doc, layout, appointment, problems)
    if problems:
        raise ContentError(problems)
    prepared = with_appointment(base.prepared, blocks)
    attempt = scaled(prepared, base.factor) if base.factor < 1.0 else prepared
    try:
        return prepared, stamp(base.pdf, base.target, render_slot(attempt, base.target.slot))
    except CannotStamp:
        return whole_copy(project, doc, layout, appointment)


def personal_placement(project: Project, name: str, appointment: Appointment) -> Placement:
    """What the pages of an appointment's copy of a document place, as sent (the base
    copy and its stamp), for the page linter."""
    doc = project.documents[(name, appointment.language)]
    layout = personal_layout(project, doc)
    base = base_copy(project, doc, layout, keep=False)
    if base.slot is None:
        return place(whole_prepared(project, doc, layout, appointment, []), fit=True)
    prepared = with_appointment(base.prepared, appointment_blocks(project, doc, layout, appointment, []))
    attempt = scaled(prepared, base.factor) if base.factor < 1.0 else prepared
    return slot_placement(attempt, base.slot, place(base.prepared, fit=True))


def whole_copy(project: Project, doc: Document, layout: Layout, appointment: Visit) -> tuple[Prepared, bytes]:
    """The copy prepared and rendered whole for the appointment (no slot)."""
    problems: list[Problem] = []
    prepared = whole_prepared(project, doc, layout, appointment, problems)
    if problems:
        raise ContentError(problems)
    return prepared, render_fitted(prepared)[0]


def whole_prepared(project: Project, doc: Document, layout: Layout, appointment: Visit, problems: list[Problem]) -> Prepared:
    """The document prepared for the appointment with its box in the flow, not a slot."""
    return prepare(project, doc, replace(layout, appointment_slot=0.0), None, problems, appointment)


def with_appointment(p: Prepared, blocks: tuple[Block, ...]) -> Prepared:
    """A prepared document with another appointment box."""
    return replace(p, parts={**p.parts, "appointment": blocks})


def base_copy(project: Project, doc: Document, layout: Layout, keep: bool) -> Base:
    """The document's base copy: from this process's memory, else the disk cache, else rendered."""
    key = cache_key(project, doc, layout)
    if key in _BASES:
        return _BASES[key]
    problems: list[Problem] = []
    prepared = prepare(project, doc, layout, None, problems, SampleVisit())
    if problems:
        raise ContentError(problems)
    cached = read_cached(project, key, doc, layout, prepared) if layout.appointment_slot > 0 else None
    if cached is not None:  # only a stampable copy is kept, and the key covers what made it so
        base = cached
    elif layout.appointment_slot <= 0 or not stampable(project, doc, layout, prepared):
        base = Base(prepared)
    else:
        base = rendered_base(prepared)
        if keep and base.target is not None:
            write_cached(project, key, doc, layout, base)
    _BASES[key] = base
    return base


def stampable(project: Project, doc: Document, layout: Layout, prepared: Prepared) -> bool:
    """Whether the document is the same for every patient outside its appointment box:
    prepared for another appointment, nothing else changes."""
    other = prepare(project, doc, layout, None, [], OTHER_VISIT)
    return with_appointment(other, ()) == with_appointment(prepared, ())


def rendered_base(prepared: Prepared) -> Base:
    """Render the base copy (shrunk to fit as a personalised copy may be) and find its slot."""
    pdf, factor = fit(prepared)
    slot = find_slot(pdf)
    return Base(prepared, pdf, target_of(pdf, slot), factor) if slot is not None else Base(prepared)


# The disk cache -------------------------------------------------------------------------------


def cache_key(project: Project, doc: Document, layout: Layout) -> str:
    """The base copy's key in the disk cache (cache.py), computed once per project and
    document in this process (a project reloaded after an edit is another object)."""
    memo = (id(project), doc.name, doc.lang, layout.name)
    known = _KEYS.get(memo)
    if known is not None and known[0]() is project:
        return known[1]
    key = cache.key(project, doc, layout, CACHE_FORMAT)
    _KEYS[memo] = (weakref.ref(project), key)
    return key


def read_cached(project: Project, key: str, doc: Document, layout: Layout, prepared: Prepared) -> Base | None:
    """The base copy kept on disk under `key`, if it is there whole and for this document,
    language and layout."""
    found = cache.read(project.root, CACHE_KIND, key, [doc.name, doc.lang, layout.name], ".pdf")
    if found is None:
        return None
    pdf, record = found
    try:
        return Base(prepared, pdf, Target.from_record(record["target"]), float(record["factor"]))
    except (KeyError, TypeError, ValueError, AttributeError):  # not a record this version wrote
        return None


def write_cached(project: Project, key: str, doc: Document, layout: Layout, base: Base) -> None:
    """Keep a base copy on disk, unless it is there already (see cache.write)."""
    assert base.target is not None
    record = {"factor": base.factor, "target": base.target.record()}
    cache.write(project.root, CACHE_KIND, key, [doc.name, doc.lang, layout.name], ".pdf", base.pdf, record)
