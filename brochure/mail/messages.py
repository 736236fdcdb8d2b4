"""Build an appointment email with Python's email package: a plain-text and
an HTML body in the patient's language, the leaflets and a calendar
invitation attached, and headers that cannot be injected into or misread."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from babel.lists import format_list
from markdown_it import MarkdownIt

from ..document import Heading, ListBlock, Paragraph, plain
from ..errors import Problem
from ..model import Project, Text
from ..prepare.compose import compose
from ..prepare.fill import Filler
from .addresses import mailbox
from .appointments import Appointment

HTML_MD = MarkdownIt("commonmark", {"html": False})
CHANGES = ("date", "time", "place")  # what a "Changed:" message can name


class HeaderError(ValueError):
    """A header value holds a line break or another control character."""


@dataclass(frozen=True)
class Attachment:
    """A file to attach, under a name safe on every system."""

    filename: str
    data: bytes
    maintype: str = "application"
    subtype: str = "pdf"
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Letter:
    """The words of an appointment email, before it becomes a MIME message."""

    subject: str
    text: str
    html: str
    event: str  # the title of the calendar entry


@dataclass(frozen=True)
class Version:
    """Where a message stands among those about one appointment: the first (sequence
    0), or a change or cancellation threaded to the first, saying what changed."""

    sequence: int = 0
    first_message_id: str = ""
    changes: tuple[str, ...] = ()  # of CHANGES; empty when something else changed


@dataclass(frozen=True)
class Enclosures:
    """What the body says about the attachments: each leaflet, and whether a password opens them."""

    leaflets: tuple[str, ...]  # "title (file name)"
    password: bool


def safe_header(value: str) -> str:
    """A header value, refused if it holds a line break or a control character."""
    if any(ord(c) < 32 or ord(c) == 127 for c in value) or len(value.splitlines()) > 1:
        raise HeaderError("a header value holds a line break or control character")
    return value


def markdown_to_text(text: Text, problems: list[Problem], rtl: bool) -> str:
    """A plain-text rendering of filled Markdown: paragraphs and '- ' lists; in
    right-to-left text the patient's values stay bidi isolates."""
    out: list[str] = []
    for block in compose(text, problems):
        if isinstance(block, Heading | Paragraph):
            out.append(plain(block.inlines, isolate=rtl))
        elif isinstance(block, ListBlock):
            out.append("\n".join(f"- {plain(item.inlines, isolate=rtl)}" for item in block.items))
    return "\n\n".join(out) + "\n"


def subject_key(appointment: Appointment, version: Version) -> str:
    """Which subject line: a first message, a change or a cancellation."""
    if appointment.cancelled:
        return "email_subject_cancel"
    return "email_subject_update" if version.sequence else "email_subject"


def write_letter(
    project: Project,
    appointment: Appointment,
    procedures: str,
    version: Version,
    enclosures: Enclosures,
    marked_draft: bool,
    problems: list[Problem],
) -> Letter:
    """Subject and bodies from the patient's language's strings: that the leaflets are
    drafts (DRAFT in the subject too), what changed, the body, the clinic's note, and
    what is attached."""
    strings = project.strings[appointment.language]
    filler = Filler(strings, {"clinic": project.clinic.context(appointment.language)}, problems)
    visit = filler.appointment_context(appointment)
    filler.context.update(appointment=visit, procedures=procedures)
    locale = filler.locale

    def paragraph(key: str, **values: object) -> str:
        return filler.render(True, strings.get(key), dict(filler.context, **values)) or ""

    parts: list[str] = [f"**{paragraph('email_draft')}**"] if marked_draft else []
    if appointment.cancelled:
        parts.append(paragraph("email_body_cancel"))
    else:
        if version.sequence:
            changed = [filler.translate(f"change_{name}") for name in version.changes] or [filler.translate("change_details")]
            parts.append(paragraph("email_changed", changes=format_list(changed, locale=locale)))
        parts.append(paragraph("email_body"))
        if appointment.notes:
            parts.append(paragraph("email_notes", notes=visit["notes"]))
        parts.append(paragraph("email_attachments", leaflets=format_list(list(enclosures.leaflets), locale=locale)))
        if enclosures.password:
            parts.append(paragraph("email_password"))
    body = strings.get("email_body")
    filled = Text("\n\n".join(parts), body.path, body.line)
    subject = filler.translate(subject_key(appointment, version), procedures=procedures, date=visit["date"])
    if marked_draft:
        subject = filler.translate("email_subject_draft", subject=subject)
    html = (
        f'<!DOCTYPE html>\n<html lang="{strings.locale.replace("_", "-")}" dir="{strings.direction}">'
        f'<head><meta charset="utf-8"></head>\n<body>\n{HTML_MD.render(filled.source)}</body>\n</html>\n'
    )
    event = filler.plain(strings.get("invitation_summary"), procedures=procedures)
    return Letter(
        " ".join(subject.split()), markdown_to_text(filled, problems, strings.direction == "rtl"), html, " ".join(event.split())
    )


def message_id(appointment_id: str, content_hash: str, sender: str) -> str:
    """A Message-ID that is the same every time the same content is sent."""
    key = hashlib.sha256(appointment_id.encode()).hexdigest()[:16]
    return f"<{key}.{content_hash[:16]}@{sender_domain(sender)}>"


def sender_domain(sender: str) -> str:
    """The domain of the clinic's sending address."""
    return parseaddr(sender)[1].rpartition("@")[2] or "brochure.invalid"


def build_message(
    project: Project,
    appointment: Appointment,
    letter: Letter,
    attachments: list[Attachment],
    content_hash: str,
    date: float,
    version: Version,
) -> EmailMessage:
    """The MIME message: text and HTML alternatives, then the attachments."""
    assert appointment.address is not None  # every checked appointment has one
    mail = project.clinic.mail
    msg = EmailMessage()
    msg["From"] = safe_header(mail.sender)
    msg["Reply-To"] = safe_header(mail.reply_to)
    msg.set_raw("To", mailbox(appointment.name, appointment.address))  # pre-folded: see addresses.mailbox
    msg["Subject"] = safe_header(letter.subject)
    msg["Date"] = format_datetime(dt.datetime.fromtimestamp(date, dt.UTC))
    msg["Message-ID"] = message_id(appointment.id, content_hash, mail.sender)
    if version.first_message_id:
        msg["In-Reply-To"] = version.first_message_id
        msg["References"] = version.first_message_id
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Brochure-Appointment"] = safe_header(appointment.id)
    msg.set_content(letter.text, subtype="plain", charset="utf-8")
    msg.add_alternative(letter.html, subtype="html", charset="utf-8")
    for attachment in attachments:
        msg.add_attachment(
            attachment.data,
            maintype=attachment.maintype,
            subtype=attachment.subtype,
            filename=attachment.filename,
            params=dict(attachment.params),
        )
    msg["Content-Language"] = appointment.language  # after the body: set_content drops Content-* headers
    return msg
