"""The mail pipeline: appointments -> personalised leaflets -> messages ->
outbox or SMTP, each accepted message recorded in the sent-log at once.

Leaflets are rendered in worker processes (rendering is the slow part);
messages are delivered and recorded one by one in the main process, in the
order of the appointments file, so that a crash loses at most the message
being sent and a rerun sends only what the sent-log does not hold."""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import secrets
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from pathlib import Path

import pikepdf
from babel.lists import format_list

from .appointments import Appointment, RowError, load_appointments
from .delivery import DeliveryError, Envelope, Outbox, PermanentFailure, Smtp
from .errors import ContentError, Problem
from .load.project import layout_name
from .messages import Attachment, HeaderError, build_message, write_letter
from .model import Leaflet, Project
from .pipeline import open_project
from .prepare.prepare import prepare
from .sentlog import SentLog
from .write.pdf import PageOverflow, render_fitted

Transport = Outbox | Smtp


@dataclass
class MailReport:
    """What happened to each appointment, by id (never by name or address)."""

    sent: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    bad_rows: list[RowError] = field(default_factory=list)
    would_send: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.bad_rows

    def summary(self) -> str:
        parts = [
            f"{len(self.sent)} sent",
            f"{len(self.already_sent)} already sent",
            f"{len(self.bad_rows)} skipped (bad rows)",
            f"{len(self.failed)} failed",
        ]
        if self.would_send:
            parts.insert(0, f"{len(self.would_send)} would be sent")
        return ", ".join(parts)


# Rendering, in worker processes ----------------------------------------------------------

_PROJECT: Project | None = None


def _load_worker(root: str) -> None:
    """Load the project in a worker, unless it came with the fork of the main process."""
    global _PROJECT
    if _PROJECT is None or str(_PROJECT.root) != root:
        _PROJECT = open_project(root)


@dataclass(frozen=True)
class Draft:
    """An appointment's leaflets and message, made in a worker, not yet delivered."""

    appointment: Appointment
    pdfs: list[tuple[str, bytes]]
    digest: str
    message: Envelope | None  # composed as a first message; None if a header was refused
    error: str


def render_leaflets(project: Project, appointment: Appointment) -> list[tuple[str, bytes]]:
    """The appointment's documents, personalised, as (document name, PDF bytes)."""
    problems: list[Problem] = []
    out = []
    for name in appointment.documents:
        doc = project.documents[(name, appointment.language)]
        layout = project.layouts[layout_name(doc)]
        layout = replace(layout, page_limit=layout.personal_limit)
        prepared = prepare(project, doc, layout, None, problems, appointment)
        if problems:
            raise ContentError(problems)
        pdf, _ = render_fitted(prepared)  # a patient's copy may shrink to fit, never below the minimum size
        out.append((name, pdf))
    return out


def draft(appointment: Appointment) -> Draft:
    """Leaflets, content hash and message for one appointment (runs in a worker)."""
    assert _PROJECT is not None
    try:
        pdfs = render_leaflets(_PROJECT, appointment)
    except PageOverflow as exc:
        return Draft(appointment, [], "", None, f"the personalised leaflet does not fit: {exc}")
    digest = content_hash(appointment, pdfs)
    try:
        msg = compose_message(_PROJECT, appointment, pdfs, digest, update=False)
        return Draft(appointment, pdfs, digest, Envelope.of(msg, appointment.email), "")
    except HeaderError as exc:
        return Draft(appointment, pdfs, digest, None, str(exc))


def drafts(project: Project, appointments: list[Appointment], workers: int) -> Iterator[Draft]:
    """A draft for each appointment, in order; made in parallel when worthwhile."""
    global _PROJECT
    _PROJECT = project  # workers started by fork share it; others load it again
    if workers <= 1 or len(appointments) < 4:
        yield from map(draft, appointments)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_load_worker, initargs=(str(project.root),)
    ) as pool:
        yield from pool.map(draft, appointments, chunksize=4)


# Messages ---------------------------------------------------------------------------------


def content_hash(appointment: Appointment, pdfs: list[tuple[str, bytes]]) -> str:
    """A fingerprint of everything the patient receives: a change means a new message."""
    data = {
        k: str(getattr(appointment, k))
        for k in ("id", "name", "email", "language", "documents", "date", "time", "location", "notes", "password")
    }
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode())
    for name, pdf in pdfs:
        digest.update(name.encode() + b"\0" + hashlib.sha256(pdf).digest())
    return digest.hexdigest()


def encrypt(pdf: bytes, password: str) -> bytes:
    """AES-256 (revision 6), which poppler, pdf.js and qpdf all open."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        doc.save(out, encryption=pikepdf.Encryption(user=password, owner=secrets.token_hex(16), R=6, aes=True))
    return out.getvalue()


def procedure_names(project: Project, appointment: Appointment) -> str:
    """The leaflets' short titles in the patient's language, for the subject."""
    docs = [project.documents[(name, appointment.language)] for name in appointment.documents]
    titles = [doc.short_title.source for doc in docs if isinstance(doc, Leaflet)]
    return format_list(titles, locale=project.strings[appointment.language].locale.replace("-", "_"))


def compose_message(
    project: Project, appointment: Appointment, pdfs: list[tuple[str, bytes]], digest: str, update: bool
) -> EmailMessage:
    """The email for one appointment."""
    problems: list[Problem] = []
    letter = write_letter(project, appointment, procedure_names(project, appointment), update, problems)
    if problems:
        raise ContentError(problems)
    attachments = [
        Attachment(f"{name}-{appointment.language}.pdf", encrypt(pdf, appointment.password) if appointment.password else pdf)
        for name, pdf in pdfs
    ]
    return build_message(project, appointment, letter, attachments, digest, time.time())


# The pipeline -------------------------------------------------------------------------------


def mail(
    project_root: Path | str | Project,
    appointments_file: Path | str,
    transport: Transport,
    sent_log: Path | str | None = None,
    dry_run: bool = False,
    workers: int | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> MailReport:
    """Turn appointments into messages and deliver each one not already delivered."""
    project = project_root if isinstance(project_root, Project) else open_project(project_root)
    appointments, bad_rows = load_appointments(Path(appointments_file), project)
    report = MailReport(bad_rows=bad_rows)
    log = SentLog(Path(sent_log) if sent_log else project.root / ".brochure" / "sent-log.sqlite")
    workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
    try:
        stopped = ""
        for item in drafts(project, appointments, workers):
            if stopped:
                report.failed.append((item.appointment.id, stopped))
            else:
                stopped = deliver_one(project, item, transport, log, dry_run, report)
            if on_progress:
                on_progress(item.appointment.id)
    finally:
        transport.close()
        log.close()
    return report


def deliver_one(project: Project, item: Draft, transport: Transport, log: SentLog, dry_run: bool, report: MailReport) -> str:
    """Send one appointment's message unless the sent-log already holds it. Returns
    a reason to stop the batch (the server stayed unreachable), or ''."""
    appointment, digest = item.appointment, item.digest
    if log.was_sent(appointment.id, digest, transport.channel):
        report.already_sent.append(appointment.id)
        return ""
    if dry_run:
        report.would_send.append(appointment.id)
        return ""
    if item.message is None:
        report.failed.append((appointment.id, item.error))
        return ""
    msg = item.message
    if log.sent_before(appointment.id, transport.channel):  # a changed appointment: say so in the subject
        msg = Envelope.of(compose_message(project, appointment, item.pdfs, digest, update=True), appointment.email)
    try:
        transport.deliver(msg, appointment.id, digest)
    except PermanentFailure as exc:
        report.failed.append((appointment.id, f"refused: {exc}"))
        return ""
    except DeliveryError as exc:
        report.failed.append((appointment.id, f"not sent: {exc}"))
        return "not sent: the batch stopped after the server stayed unreachable; run again to send the rest"
    log.record(appointment.id, digest, msg.message_id, transport.channel)
    report.sent.append(appointment.id)
    return ""
