"""Build an appointment email with Python's email package: a plain-text and
an HTML body in the patient's language, the leaflets attached, and headers
that cannot be injected into."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from markdown_it import MarkdownIt

from .appointments import Appointment
from .document import Heading, ListBlock, Paragraph, plain
from .errors import Problem
from .model import Project, Text
from .prepare.compose import compose
from .prepare.fill import Filler

HTML_MD = MarkdownIt("commonmark", {"html": False})


class HeaderError(ValueError):
    """A header value holds a line break or another control character."""


@dataclass(frozen=True)
class Attachment:
    """A PDF to attach, under a file name safe on every system."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class Letter:
    """The words of an appointment email, before it becomes a MIME message."""

    subject: str
    text: str
    html: str


def safe_header(value: str) -> str:
    """A header value, refused if it holds a line break or a control character."""
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise HeaderError("a header value holds a line break or control character")
    return value


def markdown_to_text(text: Text, problems: list[Problem]) -> str:
    """A plain-text rendering of filled Markdown: paragraphs and '- ' lists."""
    out: list[str] = []
    for block in compose(text, problems):
        if isinstance(block, Heading | Paragraph):
            out.append(plain(block.inlines))
        elif isinstance(block, ListBlock):
            out.append("\n".join(f"- {plain(item.inlines)}" for item in block.items))
    return "\n\n".join(out) + "\n"


def write_letter(project: Project, appointment: Appointment, procedures: str, update: bool, problems: list[Problem]) -> Letter:
    """Subject and bodies from the patient's language's strings."""
    strings = project.strings[appointment.language]
    filler = Filler(strings, {"clinic": project.clinic.context(appointment.language)}, problems)
    visit = filler.appointment_context(appointment)
    filler.context.update(appointment=visit, procedures=procedures)
    subject_key = "email_subject_update" if update else "email_subject"
    subject = filler.translate(subject_key, procedures=procedures, date=visit["date"])
    body = strings.get("email_body")
    filled = Text(filler.markdown(body), body.path, body.line)
    text = markdown_to_text(filled, problems)
    direction = strings.direction
    html = (
        f'<!DOCTYPE html>\n<html lang="{strings.locale.replace("_", "-")}" dir="{direction}">'
        f'<head><meta charset="utf-8"></head>\n<body>\n{HTML_MD.render(filled.source)}</body>\n</html>\n'
    )
    return Letter(subject=" ".join(subject.split()), text=text, html=html)


def message_id(appointment_id: str, content_hash: str, sender: str) -> str:
    """A Message-ID that is the same every time the same content is sent."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "brochure.invalid"
    key = hashlib.sha256(appointment_id.encode()).hexdigest()[:16]
    return f"<{key}.{content_hash[:16]}@{domain}>"


def build_message(
    project: Project, appointment: Appointment, letter: Letter, attachments: list[Attachment], content_hash: str, date: float
) -> EmailMessage:
    """The MIME message: text and HTML alternatives, then the PDFs."""
    mail = project.clinic.mail
    msg = EmailMessage()
    msg["From"] = safe_header(mail.sender)
    msg["Reply-To"] = safe_header(mail.reply_to)
    msg["To"] = Address(display_name=safe_header(appointment.name), addr_spec=safe_header(appointment.email))
    msg["Subject"] = safe_header(letter.subject)
    msg["Date"] = formatdate(date, localtime=False)
    msg["Message-ID"] = message_id(appointment.id, content_hash, mail.sender)
    msg["X-Brochure-Appointment"] = safe_header(appointment.id)
    msg.set_content(letter.text, subtype="plain", charset="utf-8")
    msg.add_alternative(letter.html, subtype="html", charset="utf-8")
    for attachment in attachments:
        msg.add_attachment(attachment.data, maintype="application", subtype="pdf", filename=attachment.filename)
    msg["Content-Language"] = appointment.language  # after the body: set_content drops Content-* headers
    return msg
