"""The mail pipeline: appointments -> personalised leaflets -> messages ->
outbox or SMTP, exactly once, with one outcome for every row of the file.

Leaflets are rendered in worker processes, never more than LOOKAHEAD per
worker ahead of delivery, so memory stays flat however slow the server is;
a worker ends as soon as the main process is gone. Messages are delivered one
by one in the main process, in file order: "attempting" is committed to the
sent-log before a message is handed over and "accepted" after the server's
250. What one appointment meets (a refusal, a deferral, a leaflet that does not
fit) is that appointment's outcome; deferred ones are tried again at the end.
Only what makes every message fail (the server unreachable, TLS, login, a
sent-log that cannot be written) stops the batch, and the rest are reported
as not sent."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import secrets
import threading
import time
import zoneinfo
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from babel.lists import format_list

from ..defaults import shown
from ..document import Prepared
from ..errors import ContentError, Problem
from ..model import Leaflet, Project
from ..pipeline import open_project
from ..prepare.prepare import prepare
from ..review.gate import verdict
from ..write.files import check_writable
from ..write.pdf import PageOverflow
from ..write.pdf.flowables import ValueTooLong
from ..write.pdf.fonts import missing_glyphs, script_chain
from .appointments import Appointment, load_appointments
from .delivery import ConnectionFailure, Deferred, DeliveryError, Envelope, Outbox, Refused, Unconfirmed
from .invitations import Invitation, ics, method
from .leaflets import base_copy, personal_copy, personal_layout
from .messages import CHANGES, Attachment, Enclosures, Version, build_message, keep_logo, letterhead, sender_address, write_letter
from .mime import HeaderError
from .report import ALREADY_SENT, DEFERRED, FAILED, SENT, SKIPPED, UNCONFIRMED, WOULD_SEND, MailReport, Outcome
from .sentlog import ACCEPTED, ATTEMPTING, History, LogWriteError, SentLog

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .smtp import Smtp

Transport = Union[Outbox, "Smtp"]  # smtp.py (smtplib, ssl) is imported only where a batch sends
LOOKAHEAD = 4  # messages per worker rendered ahead of delivery
CHECK_BEFORE_RESENDING = "may have been delivered: check before resending (then use --resend-unconfirmed)"
NOT_APPROVED = "not-approved"  # the reason class of a message whose leaflets the release gate refuses
GATE_HINT = "brochure check --release says how to fix it; --allow-drafts sends it marked DRAFT, for testing"


# Rendering, in worker processes ----------------------------------------------------------

_PROJECT: Project | None = None


def _start_worker(root: str, parent: int) -> None:
    """Load the project in a worker (unless it came with the fork) and watch the parent."""
    global _PROJECT
    if _PROJECT is None or str(_PROJECT.root) != root:
        _PROJECT = open_project(root)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    """End this worker as soon as the process that started it is gone, even if it was killed."""
    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(1)


@dataclass(frozen=True)
class Draft:
    """An appointment's leaflets and first message, made in a worker, not yet delivered;
    or the reason it cannot be sent."""

    appointment: Appointment
    pdfs: tuple[tuple[str, bytes], ...]
    digest: str
    message: Envelope | None  # composed as a first message
    error: str = ""
    reason_class: str = ""
    marked_draft: bool = False  # its leaflets are not approved: sent marked DRAFT (--allow-drafts)
    head: Prepared | None = None  # what the email shows of the leaflets (messages.letterhead)


# The release gate --------------------------------------------------------------------------


@dataclass(frozen=True)
class Gate:
    """Why each of a batch's documents may not go to a patient, by (document, language),
    one line each; with `allow_drafts` they go all the same, marked as drafts."""

    refused: dict[tuple[str, str], str]
    allow_drafts: bool = False

    def refusal(self, appointment: Appointment) -> str:
        """Why the appointment's leaflets may not go to the patient ('' if they may)."""
        keys = [(name, appointment.language) for name in appointment.documents]
        return "; ".join(self.refused[key] for key in keys if key in self.refused)


def release_gate(project: Project, appointments: list[Appointment], today: dt.date, allow_drafts: bool, keep: bool) -> Gate:
    """The release gate's verdict on `today` for every document of the batch, asked once
    each (reading grades kept in the project's cache if `keep`: not in a dry run)."""
    refused = {}
    for key in dict.fromkeys((name, a.language) for a in appointments for name in a.documents):
        problems = verdict(project, project.documents[key], today, keep).problems
        if problems:
            refused[key] = "; ".join(gate_reason(project, problem) for problem in problems)
    return Gate(refused, allow_drafts)


def gate_reason(project: Project, problem: Problem) -> str:
    """One of the gate's problems, short: its file from the project's folder, no hint."""
    path = Path(problem.path)
    where = path.relative_to(project.root).as_posix() if path.is_relative_to(project.root) else shown(path)
    return f"{where}:{problem.line}: {problem.message}" if problem.line else f"{where}: {problem.message}"


def leaflets(
    project: Project, appointment: Appointment, names: tuple[str, ...], keep: bool = True
) -> tuple[list[Prepared], tuple[tuple[str, bytes], ...]]:
    """The appointment's documents personalised for it, and their PDFs as (document name,
    PDF bytes): each the document's base copy stamped with the appointment box
    (leaflets.personal_copy; `keep` writes the base copies' disk cache). ContentError if
    a document has a problem."""
    copies = [personal_copy(project, name, appointment, keep) for name in names]
    return [doc for doc, _ in copies], tuple((name, pdf) for name, (_, pdf) in zip(names, copies, strict=True))


def first_prepared(project: Project, appointment: Appointment) -> Prepared:
    """The appointment's first document prepared for it, not rendered: what a
    cancellation's email shows (ContentError if it has a problem)."""
    problems: list[Problem] = []
    doc = project.documents[(appointment.documents[0], appointment.language)]
    prepared = prepare(project, doc, personal_layout(project, doc), None, problems, appointment)
    if problems:
        raise ContentError(problems)
    return prepared


def glyph_problem(project: Project, appointment: Appointment) -> str:
    """Which code points of the patient's values no shipped font has, or ''."""
    chain = script_chain(project.strings[appointment.language].script)
    for name in ("name", "location", "notes"):
        missing = sorted(missing_glyphs(getattr(appointment, name), chain))
        if missing:
            shown = ", ".join(f"U+{ord(c):04X}" for c in missing)
            column = project.clinic.appointments.column(name)
            return f"'{column}' holds {shown}, which no font can show (check it in the scheduling system)"
    return ""


def make_draft(project: Project, appointment: Appointment, gate: Gate, keep: bool = True) -> Draft:
    """Leaflets, content hash and first message for one appointment, or why not. Leaflets
    the release gate refuses are not sent, unless the gate allows drafts: then the message
    is marked as one. A cancellation carries no leaflets, so the gate does not stop it.
    `keep` writes the disk cache of the leaflets' base copies (not in a dry run)."""

    def failed(reason: str, reason_class: str) -> Draft:
        return Draft(appointment, (), "", None, reason, reason_class)

    refusal = gate.refusal(appointment)
    if refusal and not gate.allow_drafts and not appointment.cancelled:
        return failed(f"refused by the release gate: {refusal} ({GATE_HINT})", NOT_APPROVED)
    marked = bool(refusal) and gate.allow_drafts
    problem = glyph_problem(project, appointment)
    if problem:
        return failed(problem, "glyphs")
    if appointment.cancelled:  # a cancellation carries no leaflets; it is composed when sent
        head = letterhead([first_prepared(project, appointment)])
        return Draft(appointment, (), content_hash(appointment, (), marked), None, marked_draft=marked, head=head)
    try:
        docs, pdfs = leaflets(project, appointment, appointment.documents, keep)
    except PageOverflow as exc:
        return failed(f"the personalised leaflet does not fit: {exc}", "layout")
    except ValueTooLong as exc:
        column = project.clinic.appointments.column(exc.value)
        return failed(f"'{column}' {exc} (shorten it in the scheduling system)", "layout")
    digest = content_hash(appointment, pdfs, marked)
    head = letterhead(docs)
    try:
        message = compose_message(project, appointment, pdfs, head, digest, Version(), marked)
    except HeaderError as exc:
        return failed(str(exc), "header")
    return Draft(appointment, pdfs, digest, message, marked_draft=marked, head=head)


def draft(appointment: Appointment, gate: Gate, keep: bool = True) -> Draft:
    """make_draft in a worker: a content problem or a bug costs one appointment, not the batch."""
    assert _PROJECT is not None
    try:
        return make_draft(_PROJECT, appointment, gate, keep)
    except ContentError as exc:
        return Draft(appointment, (), "", None, exc.message.replace("\n", "; "), "content")
    except Exception as exc:  # noqa: BLE001 - reported per appointment, by type only (its text may hold patient data)
        reason = f"internal error while preparing this appointment ({type(exc).__name__}): please report it"
        return Draft(appointment, (), "", None, reason, "internal")


def warm(name: str, lang: str) -> None:
    """Render a document's base copy in a worker, before the appointments that need it,
    and keep it on disk; a problem is left for those appointments to report."""
    assert _PROJECT is not None
    try:
        doc = _PROJECT.documents[(name, lang)]
        base_copy(_PROJECT, doc, personal_layout(_PROJECT, doc), keep=True)
    except Exception:  # noqa: BLE001, S110 - each appointment that needs it reports it
        pass


def drafts(project: Project, appointments: list[Appointment], workers: int, gate: Gate, keep: bool = True) -> Iterator[Draft]:
    """A draft for each appointment, in order; made in parallel when worthwhile, with at
    most LOOKAHEAD per worker waiting to be delivered."""
    global _PROJECT
    _PROJECT = project  # workers started by fork share it; others load it again
    if workers <= 1 or len(appointments) < 4:
        yield from (draft(a, gate, keep) for a in appointments)
        return
    import multiprocessing  # here: only a batch with workers needs them
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(str(project.root), os.getpid())
    )
    try:
        if keep:  # each base copy rendered by one worker and kept on disk, where the others find it
            for name, lang in dict.fromkeys((n, a.language) for a in appointments if not a.cancelled for n in a.documents):
                pool.submit(warm, name, lang)
        todo = iter(appointments)
        window: deque[Future[Draft]] = deque(pool.submit(draft, a, gate, keep) for a in islice(todo, workers * LOOKAHEAD))
        while window:
            item = window.popleft().result()
            following = next(todo, None)
            if following is not None:
                window.append(pool.submit(draft, following, gate, keep))
            yield item
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# Messages ---------------------------------------------------------------------------------


def content_hash(appointment: Appointment, pdfs: tuple[tuple[str, bytes], ...], marked_draft: bool = False) -> str:
    """A fingerprint of everything the patient receives: a change means a new message."""
    data = {
        k: str(getattr(appointment, k))
        for k in ("id", "name", "email", "language", "documents", "date", "time", "location", "notes", "password")
    }
    if appointment.cancelled:
        data["status"] = "cancelled"
    if marked_draft:
        data["draft"] = "yes"
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode())
    for name, pdf in pdfs:
        digest.update(name.encode() + b"\0" + hashlib.sha256(pdf).digest())
    return digest.hexdigest()


def encrypt(pdf: bytes, password: str) -> bytes:
    """AES-256 (revision 6), which poppler, pdf.js and qpdf all open."""
    import pikepdf  # here: only an encrypted copy needs it

    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        doc.save(out, encryption=pikepdf.Encryption(user=password, owner=secrets.token_hex(16), R=6, aes=True))
    return out.getvalue()


def procedure_names(project: Project, appointment: Appointment) -> str:
    """The leaflets' short titles in the patient's language, for the subject."""
    docs = [project.documents[(name, appointment.language)] for name in appointment.documents]
    titles = [doc.short_title.source for doc in docs if isinstance(doc, Leaflet)]
    return format_list(titles, locale=project.strings[appointment.language].locale.replace("-", "_"))


def facts_of(appointment: Appointment) -> dict[str, Any]:
    """What the sent-log keeps of a message, to say what a later one changed (no patient data)."""
    return {
        "date": appointment.date.isoformat(),
        "time": appointment.time.isoformat("minutes"),
        "place": appointment.location,
        "cancelled": appointment.cancelled,
    }


def version_of(history: History, appointment: Appointment) -> Version:
    """The message's place after those already accepted for the appointment."""
    if not history.versions:
        return Version()
    now = facts_of(appointment)
    changes = tuple(name for name in CHANGES if history.last_facts.get(name, now[name]) != now[name])
    return Version(history.versions, history.first_message_id, changes)


def compose_message(
    project: Project,
    appointment: Appointment,
    pdfs: tuple[tuple[str, bytes], ...],
    head: Prepared,
    digest: str,
    version: Version,
    marked_draft: bool = False,
) -> Envelope:
    """The email for one appointment, serialised: leaflets (encrypted if the row has a
    password), the body saying what is attached, and the calendar invitation; DRAFT in
    its subject and body if its leaflets are drafts."""
    assert appointment.address is not None
    lang = appointment.language
    attachments = [
        Attachment(f"{name}-{lang}.pdf", encrypt(pdf, appointment.password) if appointment.password else pdf)
        for name, pdf in pdfs
    ]
    titles = [project.documents[(name, lang)].meta.title.source.strip() for name, _ in pdfs]
    enclosures = Enclosures(
        tuple(f"{title} ({a.filename})" for title, a in zip(titles, attachments, strict=True)), bool(appointment.password)
    )
    problems: list[Problem] = []
    procedures = procedure_names(project, appointment)
    letter = write_letter(project, appointment, procedures, version, enclosures, head, marked_draft, problems)
    if problems:
        raise ContentError(problems)
    mail = project.clinic.mail
    invitation = Invitation(
        appointment_id=appointment.id,
        start=dt.datetime.combine(appointment.date, appointment.time),
        minutes=mail.invitation_minutes,
        timezone=project.clinic.timezone,
        summary=letter.event,
        location=appointment.location,
        organizer=sender_address(mail.sender),
        attendee=appointment.address.addr_spec,
        sequence=version.sequence,
        cancelled=appointment.cancelled,
    )
    now = time.time()
    calendar = ics(invitation, dt.datetime.fromtimestamp(now, dt.UTC))
    params = (("method", method(invitation)), ("charset", "utf-8"))
    attachments.append(Attachment("appointment.ics", calendar, "text", "calendar", params))
    return build_message(project, appointment, letter, attachments, digest, now, version)


# Delivery ---------------------------------------------------------------------------------


class Stop(Exception):
    """The batch cannot go on: it stopped at appointment `at`, whose outcome is
    `outcome` unless the report has it already."""

    def __init__(self, outcome: Outcome | None, reason: str, at: str = "") -> None:
        super().__init__(reason)
        self.outcome, self.at = outcome, at or (outcome.id if outcome else "")


@dataclass(frozen=True)
class Sender:
    """Delivers drafts through one transport, recording each step in the sent-log."""

    project: Project
    transport: Transport
    log: SentLog
    gate: Gate
    dry_run: bool = False
    resend_unconfirmed: bool = False
    unsettled: list[tuple[str, str, str]] = field(default_factory=list)  # delivered, not yet recorded accepted

    def channel(self, item: Draft) -> str:
        """Where the sent-log records a message: a message marked DRAFT apart from the real
        ones, so that it never counts as sent, nor as the first of a thread, once the
        leaflets are approved."""
        return f"{self.transport.channel} draft" if item.marked_draft else self.transport.channel

    def deliver(self, item: Draft, final: bool) -> Outcome | None:
        """The outcome of one appointment; None if the server deferred it and the batch
        will try it again at its end (`final` is that second try). Stop if the batch
        cannot go on."""
        a, channel = item.appointment, self.channel(item)

        def outcome(status: str, reason_class: str = "", reason: str = "", message_id: str = "") -> Outcome:
            return Outcome(a.row, a.id, status, reason_class, reason, message_id)

        if item.error:
            return outcome(FAILED, item.reason_class, item.error)
        state = self.log.state(a.id, item.digest, channel)
        history = self.log.history(a.id, channel)
        if state == ACCEPTED and history.last_hash == item.digest:
            return outcome(ALREADY_SENT)  # and still what the patient was last told (not a change since undone)
        if state == ATTEMPTING and not self.resend_unconfirmed:
            return outcome(
                UNCONFIRMED, "unconfirmed", f"an earlier run handed it over without an answer: {CHECK_BEFORE_RESENDING}"
            )
        if a.cancelled and not history.booked:
            return outcome(SKIPPED, "cancelled", "cancelled before any message was sent")
        if self.dry_run:
            return outcome(WOULD_SEND)
        version = version_of(history, a)
        try:
            envelope = item.message if item.message is not None and version == Version() else self.recompose(item, version)
        except (HeaderError, ContentError) as exc:
            return outcome(FAILED, "content", str(exc).replace("\n", "; "))

        def before_data() -> None:
            try:
                # SMTP's attempts are synced before DATA; an outbox's with its group (see settle)
                synced = self.transport.group == 1
                facts = dict(facts_of(a), sequence=version.sequence, first=version.first_message_id)
                self.log.attempting(a.id, item.digest, channel, envelope.message_id, facts, synced)
            except LogWriteError as exc:
                raise Stop(outcome(FAILED, "sent-log", f"not sent: the sent-log cannot be written ({exc})"), f"{exc}") from None

        try:
            self.transport.deliver(envelope, a.id, item.digest, before_data)
        except Unconfirmed as exc:
            return outcome(UNCONFIRMED, exc.reason_class, f"{exc}: {CHECK_BEFORE_RESENDING}", envelope.message_id)
        except DeliveryError as exc:
            self.forget(item, outcome)
            if isinstance(exc, ConnectionFailure):
                raise Stop(outcome(FAILED, exc.reason_class, f"not sent: {exc}"), str(exc)) from None
            if isinstance(exc, Deferred):
                return outcome(DEFERRED, exc.reason_class, f"{exc} (a rerun tries again)") if final else None
            prefix = "refused: " if isinstance(exc, Refused) else ""
            return outcome(FAILED, exc.reason_class, f"{prefix}{exc}")
        self.unsettled.append((a.id, item.digest, channel))
        return outcome(SENT, "cancellation" if a.cancelled else "", "", envelope.message_id)

    def settle(self, report: MailReport, due: bool = False) -> None:
        """Record the messages delivered since the last time as accepted, once the
        transport has made them durable: for the outbox one sync of its folder for a
        group of messages, for SMTP each message (the server's answer). With `due`, only
        when a group is complete. If that cannot be done, the report calls them
        unconfirmed and the batch stops."""
        if not self.unsettled or (due and len(self.unsettled) < self.transport.group):
            return
        messages = list(self.unsettled)
        self.unsettled.clear()
        try:
            self.transport.settle()
            self.log.accepted(messages)
        except LogWriteError as exc:
            unconfirm(report, messages, "sent-log", f"delivered, but the sent-log cannot record it ({exc})")
            raise Stop(None, str(exc), messages[-1][0]) from None
        except DeliveryError as exc:
            unconfirm(report, messages, exc.reason_class, f"written, but {exc}")
            raise Stop(None, str(exc), messages[-1][0]) from None

    def recompose(self, item: Draft, version: Version) -> Envelope:
        """The message as a change, a cancellation, or threaded after earlier ones."""
        assert item.head is not None  # every draft without an error has one
        return compose_message(self.project, item.appointment, item.pdfs, item.head, item.digest, version, item.marked_draft)

    def forget(self, item: Draft, outcome: Callable[..., Outcome]) -> None:
        """Drop the attempt of a message the server definitely did not take."""
        try:
            self.log.forget(item.appointment.id, item.digest, self.channel(item))
        except LogWriteError as exc:
            raise Stop(outcome(FAILED, "sent-log", f"the sent-log cannot be written ({exc})"), str(exc)) from None


def unconfirm(report: MailReport, messages: list[tuple[str, str, str]], reason_class: str, reason: str) -> None:
    """Call the messages the report has as sent unconfirmed, saying why."""
    ids = {appointment_id for appointment_id, _, _ in messages}
    reason = f"{reason}: {CHECK_BEFORE_RESENDING}"
    report.outcomes = [
        replace(o, status=UNCONFIRMED, reason_class=reason_class, reason=reason) if o.id in ids and o.status == SENT else o
        for o in report.outcomes
    ]


def deliver_all(
    sender: Sender, appointments: list[Appointment], workers: int, report: MailReport, on_progress: Callable[[int, int], None]
) -> None:
    """Every appointment's outcome; deferred ones are tried once more at the end;
    `on_progress(done, total)` after each appointment has one."""
    pending, final, finished = appointments, False, 0
    while pending:
        deferred: list[Appointment] = []
        done = 0
        try:
            for item in drafts(sender.project, pending, workers, sender.gate, not sender.dry_run):
                done += 1
                outcome = sender.deliver(item, final)
                if outcome is None:
                    deferred.append(item.appointment)
                    continue
                report.outcomes.append(outcome)
                sender.settle(report, due=True)
                finished += 1
                on_progress(finished, len(appointments))
            sender.settle(report)
        except KeyboardInterrupt:
            with contextlib.suppress(Stop):  # the report is not printed; the sent-log keeps the count
                sender.settle(report)  # what was delivered before the interrupt is recorded as sent
            raise
        except Stop as stop:
            if stop.outcome is not None:
                report.outcomes.append(stop.outcome)
            try:
                sender.settle(report)  # what was delivered before the stop
            except Stop:
                pass  # the report calls those unconfirmed
            report.stopped = f"the batch stopped at appointment {stop.at}: {stop}"
            for a in [*pending[done:], *deferred]:
                report.outcomes.append(Outcome(a.row, a.id, FAILED, "stopped", f"not sent: {report.stopped}; run again"))
            return
        pending, final = deferred, True


def ignore_progress(done: int, total: int) -> None:
    """No progress to show."""


def clinic_today(project: Project) -> dt.date:
    """Today's date where the clinic is."""
    return dt.datetime.now(zoneinfo.ZoneInfo(project.clinic.timezone)).date()


def mail(
    project_root: Path | str | Project,
    appointments_file: Path | str,
    transport: Transport,
    sent_log: Path | str | None = None,
    dry_run: bool = False,
    workers: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    *,
    resend_unconfirmed: bool = False,
    wait: bool = False,
    report_file: Path | str | None = None,
    today: dt.date | None = None,
    allow_drafts: bool = False,
) -> MailReport:
    """Turn appointments into messages and deliver each one not already delivered.

    `dry_run` reads the sent-log (if there is one) and sends, writes and records
    nothing but the report. Appointments before `today` (the clinic's) are skipped.
    A message whose leaflets do not pass the release gate on `today` fails, unless
    `allow_drafts`: then it is marked DRAFT, and recorded apart from real messages."""
    project = project_root if isinstance(project_root, Project) else open_project(project_root)
    today = today or clinic_today(project)
    batch = load_appointments(Path(appointments_file), project, today)
    gate = release_gate(project, batch.appointments, today, allow_drafts, keep=not dry_run)
    if not dry_run:
        keep_logo(project)
    if report_file:
        check_writable(Path(report_file))  # before anything is sent: its end is the report
    report = MailReport(batch.read, list(batch.skipped))
    path = Path(sent_log) if sent_log else project.root / ".brochure" / "sent-log.sqlite"
    mode = project.clinic.mail.file_mode
    log = SentLog.read_only(path) if dry_run else SentLog.open(path, mode, wait)
    sender = Sender(project, transport, log, gate, dry_run, resend_unconfirmed)
    try:
        deliver_all(sender, batch.appointments, workers or min(os.cpu_count() or 1, 4), report, on_progress or ignore_progress)
    finally:
        transport.close()
        log.close()
    if report_file:
        report.write(Path(report_file), mode)
    return report
