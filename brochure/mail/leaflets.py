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

import hashlib
import json
import os
import weakref
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from ..document import Block, Prepared
from ..errors import ContentError, FileError, Problem
from ..load.project import layout_name
from ..model import Document, Layout, Project
from ..placement import Placement
from ..prepare.prepare import SampleVisit, Visit, appointment_blocks, prepare
from ..write.files import write_atomic
from ..write.pdf.fonts import FONT_DIR
from ..write.pdf.pages import fit, place, render_fitted, scaled
from ..write.pdf.stamp import CannotStamp, Slot, find_slot, render_slot, slot_placement, stamp
from .appointments import Appointment

CACHE_FORMAT = "base-1"  # changes when what a cached base holds changes
CACHE_FOLDER = Path(".brochure") / "cache" / "pdf"
FILE_MODE, FOLDER_MODE = 0o600, 0o700  # beside patient data, like the outbox
OTHER_VISIT = SampleVisit("other", "Another Name", SampleVisit.date.replace(day=13), SampleVisit.time, "Elsewhere", "A note")


@dataclass(frozen=True)
class Base:
    """A document's base copy: its PDF, where its slot is, the factor its type was scaled
    by to fit, and the document as prepared for it; `slot` None if it cannot be stamped."""

    prepared: Prepared
    pdf: bytes = b""
    slot: Slot | None = None
    factor: float = 1.0


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
    if base.slot is None:
        return whole_copy(project, doc, layout, appointment)
    problems: list[Problem] = []
    blocks = appointment_blocks(project, doc, layout, appointment, problems)
    if problems:
        raise ContentError(problems)
    prepared = with_appointment(base.prepared, blocks)
    attempt = scaled(prepared, base.factor) if base.factor < 1.0 else prepared
    try:
        drawing = render_slot(attempt, base.slot)
    except CannotStamp:
        return whole_copy(project, doc, layout, appointment)
    return prepared, stamp(base.pdf, base.slot, drawing)


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
        if keep and base.slot is not None:
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
    return Base(prepared, pdf, slot, factor) if slot is not None else Base(prepared)


# The disk cache -------------------------------------------------------------------------------


def cache_key(project: Project, doc: Document, layout: Layout) -> str:
    """A hash of everything the base copy is made from, computed once per project and
    document in this process (a project reloaded after an edit is another object)."""
    memo = (id(project), doc.name, doc.lang, layout.name)
    known = _KEYS.get(memo)
    if known is not None and known[0]() is project:
        return known[1]
    key = compute_key(project, doc, layout)
    _KEYS[memo] = (weakref.ref(project), key)
    return key


def source_files(project: Project, doc: Document, layout: Layout) -> list[Path]:
    """The files a base copy is made from (fonts aside)."""
    names = {doc.name, *getattr(doc, "leaflets", ())}
    files = [d.path for (name, _), d in sorted(project.documents.items()) if name in names]  # translations' states too
    files += list(layout.files or (layout.path,))
    files.append(project.clinic.path)
    if project.clinic.logo is not None:
        files.append(project.clinic.logo)
    strings = project.strings[doc.lang]
    files += list(strings.files or (strings.path,))
    files += [art.path for _, art in sorted(project.figures.items())]
    return files


def compute_key(project: Project, doc: Document, layout: Layout) -> str:
    import brochure

    digest = hashlib.sha256()
    for part in (CACHE_FORMAT, brochure.__version__, doc.name, doc.lang, layout.name, os.environ.get("SOURCE_DATE_EPOCH", "")):
        digest.update(part.encode() + b"\0")
    digest.update(repr(layout).encode() + b"\0")
    for path in source_files(project, doc, layout):
        try:
            data = path.read_bytes()
        except OSError:
            data = b"(unreadable)"
        digest.update(str(path).encode() + b"\0" + hashlib.sha256(data).digest())
    code = Path(brochure.__file__).resolve().parent  # the writer's own code: a changed renderer renders again
    for path in [*sorted(FONT_DIR.glob("*.ttf")), *sorted(code.rglob("*.py"))]:
        stat = path.stat()
        digest.update(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def cache_folder(project: Project) -> Path:
    return project.root / CACHE_FOLDER


def read_cached(project: Project, key: str, doc: Document, layout: Layout, prepared: Prepared) -> Base | None:
    """The base copy kept on disk under `key`, if it is there whole and for this document,
    language and layout."""
    folder = cache_folder(project)
    try:
        record = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        pdf = (folder / f"{key}.pdf").read_bytes()
    except (OSError, ValueError):
        return None
    if (
        not isinstance(record, dict)
        or record.get("document") != [doc.name, doc.lang, layout.name]
        or record.get("sha256") != hashlib.sha256(pdf).hexdigest()
    ):
        return None
    try:
        slot = Slot(**{**record["slot"], "path": tuple(record["slot"]["path"])})
        return Base(prepared, pdf, slot, float(record["factor"]))
    except (KeyError, TypeError, ValueError):
        return None


def write_cached(project: Project, key: str, doc: Document, layout: Layout, base: Base) -> None:
    """Keep a base copy on disk (private modes, atomic writes), unless it is there already,
    and drop the earlier ones of its document, language and layout. A cache that cannot be
    written costs time, never a message."""
    folder = cache_folder(project)
    if (folder / f"{key}.json").exists():
        return
    assert base.slot is not None
    record = {
        "document": [doc.name, doc.lang, layout.name],
        "factor": base.factor,
        "slot": asdict(base.slot),
        "sha256": hashlib.sha256(base.pdf).hexdigest(),
    }
    try:
        for part in (folder.parent.parent, folder.parent, folder):
            part.mkdir(mode=FOLDER_MODE, exist_ok=True)
        os.chmod(folder, FOLDER_MODE)
        write_atomic(folder / f"{key}.pdf", base.pdf, FILE_MODE)
        write_atomic(folder / f"{key}.json", json.dumps(record, sort_keys=True).encode(), FILE_MODE)
    except (OSError, FileError):
        return
    prune(folder, key, [doc.name, doc.lang, layout.name])


def prune(folder: Path, key: str, document: list[str]) -> None:
    """Remove the base copies of the same document, language and layout kept under other
    keys: earlier versions of its content, layout or code, which no batch asks for again."""
    for path in folder.glob("*.json"):
        if path.stem == key:
            continue
        try:
            if json.loads(path.read_text(encoding="utf-8")).get("document") != document:
                continue
            path.with_suffix(".pdf").unlink(missing_ok=True)
            path.unlink()
        except (OSError, ValueError, AttributeError):
            continue  # another's record, or one being written: left alone
