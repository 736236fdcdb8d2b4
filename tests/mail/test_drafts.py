"""brochure mail and the release gate: leaflets not fit for patients are refused per
appointment; --allow-drafts sends them marked DRAFT, never counted as the real message."""

from __future__ import annotations

import csv
import email
import io
import re
import socket
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from conftest import REPO, edit, make_release_ready
from pypdf import PdfReader

HEADER = "appointment_id,patient_name,email,language,procedure,date,time,location,notes,pdf_password\n"
LANGS = ("en", "es", "pl", "vi", "ar", "zh-Hans", "hi")
TODAY = "2027-01-01"
HINT = "(brochure check --release says how to fix it; --allow-drafts sends it marked DRAFT, for testing)"


def write_rows(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def row(i: int, lang: str = "en", procedure: str = "HSG", date: str = "2027-03-12", status: str = "") -> str:
    return f"A-{i},Pat Example,pat{i}@example.org,{lang},{procedure},{date},09:30,Clinic room 2,," + status


def messages(folder: Path) -> dict[str, EmailMessage]:
    """The outbox's messages by appointment id."""
    out = {}
    for path in sorted(folder.glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        out[str(msg["X-Brochure-Appointment"])] = msg
    return out


def string(lang: str, key: str) -> str:
    """A built-in string of a language (a quoted value on one line)."""
    text = (REPO / "brochure" / "defaults" / "i18n" / f"{lang}.yaml").read_text(encoding="utf-8")
    found = re.search(rf'^{key}: "(.+)"$', text, re.M)
    assert found, key
    return found.group(1)


def line_of(path: Path, key: str) -> int:
    """The line of a front matter key."""
    return next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text.startswith(f"{key}:"))


def pdf_text(msg: EmailMessage) -> str:
    """The text of a message's leaflets, without whitespace."""
    pdfs = [p.get_content() for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
    return re.sub(r"\s+", "", " ".join(page.extract_text() for pdf in pdfs for page in PdfReader(io.BytesIO(pdf)).pages))


class Inbox:
    """An SMTP server's handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def inbox():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.address = f"127.0.0.1:{port}"
    yield handler
    controller.stop()


def test_mail_refuses_a_leaflet_that_is_not_approved_and_delivers_the_others(cli, project: Path) -> None:
    make_release_ready(project)
    hysteroscopy = project / "content" / "hysteroscopy" / "en.md"
    edit(hysteroscopy, "status: approved", "status: draft")
    spanish = project / "content" / "hsg" / "es.md"
    edit(spanish, "checked_by: B. Medical-Translator", "checked_by: null")
    appts = write_rows(project / "a.csv", [row(1), row(2, procedure="Hysteroscopy"), row(3, "es"), row(4, "pl")])
    result = cli("-C", project, "mail", appts, "--outbox", project / "out", "--report", project / "r.csv", "--today", TODAY)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    status = line_of(hysteroscopy, "status")
    expected = (
        f"failed appointment A-2: refused by the release gate: content/hysteroscopy/en.md:{status}: "
        f"status is 'draft', not 'approved': not for patients {HINT}"
    )
    assert expected in lines
    checked = line_of(spanish, "translation")
    assert (
        f"failed appointment A-3: refused by the release gate: content/hsg/es.md:{checked}: "
        f"draft translation: not checked by a qualified medical translator {HINT}"
    ) in lines
    assert "4 read: 2 sent, 0 already sent, 0 skipped, 2 failed, 0 deferred, 0 unconfirmed" in result.output
    assert sorted(messages(project / "out")) == ["A-1", "A-4"]
    report = list(csv.DictReader(io.StringIO((project / "r.csv").read_text(encoding="utf-8"))))
    assert [(r["appointment_id"], r["status"], r["reason_class"]) for r in report] == [
        ("A-1", "sent", ""),
        ("A-2", "failed", "not-approved"),
        ("A-3", "failed", "not-approved"),
        ("A-4", "sent", ""),
    ]
    assert report[1]["reason"] == expected.removeprefix("failed appointment A-2: ")
    assert "Pat Example" not in result.output and "example.org" not in result.output


def test_send_refuses_drafts_too(cli, project: Path, inbox: Inbox) -> None:
    appts = write_rows(project / "a.csv", [row(1), row(2, "ar")])
    result = cli("-C", project, "mail", appts, "--send", "--smtp", inbox.address, "--tls", "none", "--today", TODAY)
    assert result.exit_code == 1
    assert "2 read: 0 sent, 0 already sent, 0 skipped, 2 failed" in result.output
    arabic = project / "content" / "hsg" / "ar.md"
    status, record = line_of(arabic, "status"), line_of(arabic, "translation")
    assert result.stderr.splitlines()[1] == (  # every reason of the document, on one line
        f"failed appointment A-2: refused by the release gate: content/hsg/ar.md:{status}: "
        f"status is 'draft', not 'approved': not for patients; content/hsg/ar.md:{record}: "
        f"draft translation: not checked by a qualified medical translator {HINT}"
    )
    assert inbox.messages == []


def test_the_sample_is_a_draft_so_mail_refuses_it(cli, project: Path) -> None:
    result = cli("-C", project, "mail", REPO / "examples" / "appointments.csv", "--outbox", project / "out",
                 "--today", TODAY)  # fmt: skip
    assert result.exit_code == 1
    assert "12 read: 0 sent, 0 already sent, 4 skipped, 8 failed, 0 deferred, 0 unconfirmed" in result.output
    refused = [line for line in result.output.splitlines() if "refused by the release gate" in line]
    assert len(refused) == 8
    assert "failed appointment A-1008: refused by the release gate: content/hsg/en.md:5:" in result.output
    assert "content/hysteroscopy/en.md:5:" in refused[7] and "content/hsg-vs-hysteroscopy/en.yaml:3:" in refused[7]
    assert not (project / "out").exists()


def test_the_readme_sample_command_sends_drafts_marked(cli, project: Path) -> None:
    """As the README shows it: the sample is a draft, so --allow-drafts."""
    result = cli("-C", project, "mail", REPO / "examples" / "appointments.csv", "--allow-drafts", "--outbox", project / "out",
                 "--today", TODAY)  # fmt: skip
    assert result.exit_code == 1  # the sample has deliberately bad rows
    assert "12 read: 8 sent, 0 already sent, 4 skipped, 0 failed, 0 deferred, 0 unconfirmed" in result.output
    assert all("DRAFT" in str(msg["Subject"]) for msg in messages(project / "out").values())


def test_allow_drafts_marks_the_subject_and_the_body_in_every_language(cli, project: Path) -> None:
    appts = write_rows(project / "a.csv", [row(i, lang) for i, lang in enumerate(LANGS, 1)])
    result = cli("-C", project, "mail", appts, "--allow-drafts", "--outbox", project / "out", "--today", TODAY)
    assert result.exit_code == 0, result.output
    found = messages(project / "out")
    assert str(found["A-1"]["Subject"]) == "DRAFT: Your HSG appointment on 12 March 2027"
    for i, lang in enumerate(LANGS, 1):
        msg = found[f"A-{i}"]
        prefix = string(lang, "email_subject_draft").split("{{")[0]
        assert "DRAFT" in prefix and str(msg["Subject"]).startswith(prefix), lang
        line = string(lang, "email_draft")
        text = msg.get_body(("plain",)).get_content()
        assert text.count(line) == 1, lang
        assert line in msg.get_body(("html",)).get_content(), lang
    assert "Draft:notforpatients" in pdf_text(found["A-1"])  # the leaflets say so themselves, on every page


def test_a_draft_sent_over_smtp_is_marked_and_has_every_part(cli, project: Path, inbox: Inbox) -> None:
    appts = write_rows(project / "a.csv", [row(1, "zh-Hans", "HSG and hysteroscopy")])
    result = cli("-C", project, "mail", appts, "--send", "--smtp", inbox.address, "--tls", "none", "--allow-drafts",
                 "--today", TODAY)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "1 read: 1 sent, 0 already sent, 0 skipped, 0 failed" in result.output
    (msg,) = inbox.messages
    subject = str(msg["Subject"])
    assert subject.startswith(string("zh-Hans", "email_subject_draft").split("{{")[0]) and "DRAFT" in subject
    assert [p.get_content_type() for p in msg.walk()] == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "multipart/related",
        "text/html",
        "image/png",  # the logo, shown by the HTML as cid:
        "application/pdf",
        "application/pdf",
        "application/pdf",
        "text/calendar",
    ]
    leaflets = ["hsg-zh-Hans.pdf", "hysteroscopy-zh-Hans.pdf", "hsg-vs-hysteroscopy-zh-Hans.pdf"]
    assert [p.get_filename() for p in msg.iter_attachments()] == [*leaflets, "appointment.ics"]
    line = string("zh-Hans", "email_draft")
    text, html = msg.get_body(("plain",)).get_content(), msg.get_body(("html",)).get_content()
    assert text.count(line) == 1 and html.count(line) == 1
    assert text.index(line) < text.index("Pat Example")  # said before anything else of the letter
    assert all(f"({name})" in text and f"({name})" in html for name in leaflets)  # the list of what is attached
    assert "草稿：不可发给患者" in pdf_text(msg)  # the leaflets say so themselves, in Chinese


def test_a_draft_never_counts_as_the_real_message(cli, project: Path, inbox: Inbox) -> None:
    appts = write_rows(project / "a.csv", [row(1), row(2, "es")])
    send = ["-C", project, "mail", appts, "--send", "--smtp", inbox.address, "--tls", "none", "--today", TODAY]
    assert cli(*send, "--allow-drafts").exit_code == 0
    again = cli(*send, "--allow-drafts")
    assert "2 read: 0 sent, 2 already sent" in again.output  # drafts go once too
    assert [str(m["Subject"]).startswith("DRAFT") for m in inbox.messages] == [True, True]
    make_release_ready(project)
    approved = cli(*send)
    assert approved.exit_code == 0, approved.output
    assert "2 read: 2 sent, 0 already sent" in approved.output
    real = inbox.messages[2]
    assert str(real["Subject"]) == "Your HSG appointment on 12 March 2027"  # a first message, not "Changed:"
    assert real["In-Reply-To"] is None
    assert "DRAFT" not in real.get_body(("plain",)).get_content()
    assert "2 read: 0 sent, 2 already sent" in cli(*send).output


def test_an_approved_copy_is_sent_without_marks(cli, project: Path) -> None:
    make_release_ready(project)
    appts = write_rows(project / "a.csv", [row(1), row(2, "ar", "HSG and hysteroscopy")])
    for flags in ([], ["--allow-drafts"]):
        out, log = project / f"out{len(flags)}", project / f"log{len(flags)}.sqlite"
        result = cli("-C", project, "mail", appts, *flags, "--outbox", out, "--sent-log", log, "--today", TODAY)
        assert result.exit_code == 0, result.output
        found = messages(out)
        assert str(found["A-1"]["Subject"]) == "Your HSG appointment on 12 March 2027"
        for msg in found.values():
            assert "DRAFT" not in str(msg["Subject"])
            assert "DRAFT" not in msg.get_body(("plain",)).get_content()
            assert "DRAFT" not in msg.get_body(("html",)).get_content()
        assert "Draft:notforpatients" not in pdf_text(found["A-1"])


def test_past_appointments_are_skipped_before_the_gate(cli, project: Path) -> None:
    appts = write_rows(project / "a.csv", [row(1, date="2026-12-31")])
    result = cli("-C", project, "mail", appts, "--outbox", project / "out", "--today", TODAY)
    assert result.exit_code == 0  # a date that has passed is nothing to act on
    assert "skipped row 2 (appointment A-1): the appointment date has passed (today is 2027-01-01)" in result.output
    assert "1 read: 0 sent, 0 already sent, 1 skipped, 0 failed" in result.output
