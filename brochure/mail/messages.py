"""Build an appointment email: a plain-text and an
HTML body in the patient's language, the leaflets and a calendar invitation
attached, and headers that cannot be injected into or misread.

The body is made of the document model's blocks: the letter's paragraphs (from the
language's strings), the appointment box and the contact block of the patient's
first leaflet, as prepared for the leaflet itself. The HTML writer and the text
writer write them, so the email reads as the leaflet does."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from email.utils import format_datetime, parseaddr
from functools import cache as cache_for_process
from pathlib import Path

from babel.lists import format_list

from .. import cache
from ..document import Block, Callout, Footer, Paragraph, Prepared, Title
from ..errors import Problem
from ..model import Project, Text
from ..prepare.compose import compose
from ..prepare.fill import Filler
from ..prepare.prepare import bold, clinic_context, words
from ..write.html import ImageRef, render_email
from ..write.html.email_body import LOGO_SIZE
from ..write.png import PageImage, logo_png
from ..write.text import detail, render_text
from .addresses import mailbox
from .appointments import Appointment
from .delivery import Envelope
from .mime import Leaf, Multipart, message_bytes

CHANGES = ("date", "time", "place")  # what a "Changed:" message can name
LETTERHEAD_PARTS = ("title", "appointment", "contact")  # what an email shows of a leaflet


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
    logo: PageImage | None = None  # the image the HTML shows as cid:<logo_id>


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


def subject_key(appointment: Appointment, version: Version) -> str:
    """Which subject line: a first message, a change or a cancellation."""
    if appointment.cancelled:
        return "email_subject_cancel"
    return "email_subject_update" if version.sequence else "email_subject"


def letterhead(docs: list[Prepared]) -> Prepared:
    """What an email shows of the patient's leaflets: the first one's language, colours,
    clinic (logo and name) and contact block, and its appointment box with every leaflet's
    advice on getting ready. Only those parts, so that it is small to pass between processes."""
    first = docs[0]
    boxes = [block for doc in docs for block in doc.part("appointment") if isinstance(block, Callout)]
    parts = {name: first.part(name) for name in LETTERHEAD_PARTS}
    if boxes:
        details = tuple(block for block in boxes[0].blocks if detail(block))
        advice = tuple(block for box in boxes for block in box.blocks if not detail(block))
        parts["appointment"] = (replace(boxes[0], blocks=(*details, *advice)),)
    return replace(first, parts=parts, footer=Footer((), ()))


def appointment_box(head: Prepared, cancelled: bool) -> tuple[Block, ...]:
    """The appointment box; a cancellation's shows what was cancelled, not how to get ready."""
    boxes = head.part("appointment")
    if not cancelled:
        return boxes
    return tuple(replace(box, blocks=tuple(filter(detail, box.blocks))) if isinstance(box, Callout) else box for box in boxes)


def logo_id(project: Project) -> str:
    """The Content-ID of the logo's part, without its angle brackets."""
    return f"logo@{sender_domain(project.clinic.mail.sender)}"


def write_letter(
    project: Project,
    appointment: Appointment,
    procedures: str,
    version: Version,
    enclosures: Enclosures,
    head: Prepared,
    marked_draft: bool,
    problems: list[Problem],
) -> Letter:
    """Subject and bodies from the patient's language's strings and the letterhead (see
    `letterhead`): the clinic, that the leaflets are drafts (DRAFT in the subject too), what
    changed, the letter, the appointment box, what is attached, and the contacts."""
    strings = project.strings[appointment.language]
    filler = Filler(strings, {"clinic": clinic_context(project, appointment.language)}, problems)
    visit = filler.appointment_context(appointment)
    filler.context.update(appointment=visit, procedures=procedures)
    locale = filler.locale

    def paragraphs(key: str, **values: object) -> tuple[Block, ...]:
        source = strings.get(key)
        filled = filler.render(True, source, dict(filler.context, **values)) or ""
        return compose(Text(filled, source.path, source.line), problems)

    subject = filler.translate(subject_key(appointment, version), procedures=procedures, date=visit["date"])
    if marked_draft:
        subject = filler.translate("email_subject_draft", subject=subject)
    subject = " ".join(subject.split())
    blocks: list[Block] = []
    if marked_draft:
        blocks.append(Callout("status", (), (Paragraph(bold(filler.translate("email_draft"))),)))
    if appointment.cancelled:
        blocks += paragraphs("email_body_cancel")
    else:
        if version.sequence:
            changed = [filler.translate(f"change_{name}") for name in version.changes] or [filler.translate("change_details")]
            blocks += paragraphs("email_changed", changes=format_list(changed, locale=locale))
        blocks += paragraphs("email_body")
    blocks += appointment_box(head, appointment.cancelled)
    if not appointment.cancelled:
        blocks += paragraphs("email_attachments", leaflets=format_list(list(enclosures.leaflets), locale=locale))
        if enclosures.password:
            blocks += paragraphs("email_password")
    blocks += head.part("contact")
    clinic = next(block for block in head.part("title") if isinstance(block, Title))
    title = replace(clinic, title=words(subject), subtitle=())
    logo = letter_logo(project.root, clinic.logo, clinic.logo.stat().st_mtime_ns) if clinic.logo else None
    image = ImageRef(f"cid:{logo_id(project)}", *shown_size(logo)) if logo else None
    html = render_email(head, title, tuple(blocks), image)
    text = render_text((title, *blocks), head.direction == "rtl")
    event = filler.plain(strings.get("invitation_summary"), procedures=procedures)
    return Letter(subject, text, html, " ".join(event.split()), logo)


LOGO_KIND = "logo"  # kept in .brochure/cache/logo/


def logo_entry(logo: Path) -> tuple[str, list[str]]:
    """The email's logo's key in the disk cache (its file and how it is drawn) and name."""
    pixels = str(2 * LOGO_SIZE)
    return cache.files_key([logo], LOGO_KIND, pixels), [LOGO_KIND, pixels]


@cache_for_process
def letter_logo(root: Path, logo: Path, modified: int) -> PageImage:
    """The clinic's logo as the email shows it (png.logo_png), from the disk cache where
    `keep_logo` put it (drawing an SVG logo takes longer than a message); once per
    process and version of the file (`modified`: its time)."""
    key, name = logo_entry(logo)
    found = cache.read(root, LOGO_KIND, key, name, ".png")
    if found is not None:
        png, record = found
        return PageImage(png, int(record["width"]), int(record["height"]))
    return logo_png(logo, 2 * LOGO_SIZE)


def keep_logo(project: Project) -> None:
    """Put the email's logo into the disk cache, unless it is there (a batch that is not a dry run)."""
    logo = project.clinic.logo
    if logo is None:
        return
    key, name = logo_entry(logo)
    if cache.read(project.root, LOGO_KIND, key, name, ".png") is None:
        image = logo_png(logo, 2 * LOGO_SIZE)
        cache.write(project.root, LOGO_KIND, key, name, ".png", image.png, {"width": image.width, "height": image.height})


def shown_size(logo: PageImage) -> tuple[int, int]:
    """The size the logo is shown at: LOGO_SIZE on its longer side."""
    scale = LOGO_SIZE / max(logo.width, logo.height)
    return round(logo.width * scale), round(logo.height * scale)


def message_id(appointment_id: str, content_hash: str, sender: str, sequence: int = 0) -> str:
    """A Message-ID that is the same every time the same content is sent as the same
    version (a retry); a content sent again after another (a change undone) has its own."""
    key = hashlib.sha256(appointment_id.encode()).hexdigest()[:16]
    version = f".{sequence}" if sequence else ""
    return f"<{key}.{content_hash[:16]}{version}@{sender_domain(sender)}>"


@cache_for_process
def sender_address(sender: str) -> str:
    """The clinic's sending address, without its display name."""
    return parseaddr(sender)[1]


def sender_domain(sender: str) -> str:
    """The domain of the clinic's sending address."""
    return sender_address(sender).rpartition("@")[2] or "brochure.invalid"


def build_message(
    project: Project,
    appointment: Appointment,
    letter: Letter,
    attachments: list[Attachment],
    content_hash: str,
    date: float,
    version: Version,
) -> Envelope:
    """The MIME message, serialised (CRLF line ends, as SMTP and .eml files want): text
    and HTML alternatives (the HTML with its logo), then the attachments; header values
    for SMTPUTF8 if the recipient's address needs it."""
    address = appointment.address
    assert address is not None  # every checked appointment has one
    mail = project.clinic.mail
    msg_id = message_id(appointment.id, content_hash, mail.sender, version.sequence)
    headers = [
        ("From", mail.sender),
        ("Reply-To", mail.reply_to),
        ("To", mailbox(appointment.name, address)),  # pre-folded: see addresses.mailbox
        ("Subject", letter.subject),
        ("Date", format_datetime(dt.datetime.fromtimestamp(date, dt.UTC))),
        ("Message-ID", msg_id),
    ]
    if version.first_message_id:
        headers += [("In-Reply-To", version.first_message_id), ("References", version.first_message_id)]
    headers += [
        ("Auto-Submitted", "auto-generated"),
        ("X-Brochure-Appointment", appointment.id),
        ("Content-Language", appointment.language),
    ]
    html: Leaf | Multipart = Leaf("text/html", letter.html)
    if letter.logo is not None:  # the HTML and its logo are one multipart/related part
        logo = Leaf("image/png", letter.logo.png, (("Content-Disposition", "inline"), ("Content-ID", f"<{logo_id(project)}>")))
        html = Multipart("related", (html, logo))
    files = tuple(
        Leaf(
            "; ".join([f"{a.maintype}/{a.subtype}", *(f'{k}="{v}"' for k, v in a.params)]),
            a.data,
            (("Content-Disposition", f'attachment; filename="{a.filename}"'),),
        )
        for a in attachments
    )
    body = Multipart("mixed", (Multipart("alternative", (Leaf("text/plain", letter.text), html)), *files))
    data = message_bytes(headers, body, address.smtputf8, msg_id)
    return Envelope(data, sender_address(mail.sender), address.addr_spec, msg_id, address.smtputf8)
