"""brochure mail: messages, outbox, SMTP on loopback, faults, exactly once."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import email
import io
import json
import os
import re
import signal
import socket
import ssl
import stat
import subprocess
import sys
import threading
import time
from collections import Counter
from email import policy
from pathlib import Path

import icalendar
import pikepdf
import pypdfium2 as pdfium
import pytest
from aiosmtpd.controller import Controller
from conftest import REPO, edit, make_release_ready
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from brochure.mail import messages, sentlog
from brochure.mail.batch import mail
from brochure.mail.delivery import Outbox
from brochure.mail.smtp import Smtp

HEADER = "appointment_id,patient_name,email,language,procedure,date,time,location,notes,pdf_password\n"
TODAY = dt.date(2027, 1, 1)


@pytest.fixture
def project(project: Path) -> Path:
    """The sample project signed off, as a clinic mails it: drafts are refused (test_drafts.py)."""
    make_release_ready(project)
    return project


class Recorder:
    """An SMTP handler that keeps what it accepts and can be told to refuse or stall."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.raw: list[bytes] = []
        self.plan: list[str] = []  # answers for the next DATA commands; "" means accept
        self.refuse: dict[str, str] = {}  # recipient -> answer to RCPT TO
        self.stalls: list[float] = []  # seconds to wait before answering the next DATA commands (after keeping the message)
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001, ANN201
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201
        with self.lock:
            if self.plan:
                answer = self.plan.pop(0)
                if answer:
                    return answer
            self.raw.append(envelope.content)
            self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        if self.stalls:
            await asyncio.sleep(self.stalls.pop(0))
        return "250 OK"

    def ids(self) -> list[str]:
        return [str(m["X-Brochure-Appointment"]) for m in self.messages]


def start_server(**kw) -> tuple[Recorder, Controller]:
    handler = Recorder()
    handler.port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port, **kw)
    controller.start()
    return handler, controller


@pytest.fixture
def smtp_server():
    handler, controller = start_server()
    yield handler
    controller.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_appointments(path: Path, rows: list[str], header: str = HEADER) -> Path:
    path.write_text(header + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def row(
    i: int,
    lang: str = "en",
    procedure: str = "HSG",
    name: str = "Pat Example",
    mail_to: str = "",
    date: str = "2027-03-12",
    password: str = "",
    notes: str = "",
    location: str = "Clinic room 2",
) -> str:
    return f"A-{i},{name},{mail_to or f'pat{i}@example.org'},{lang},{procedure},{date},09:30,{location},{notes},{password}"


def smtp(server: Recorder, **kw) -> Smtp:
    return Smtp("127.0.0.1", server.port, "none", timeout=5, backoff=0.01, **kw)


def send(project: Path, appts: Path, transport, **kw):
    return mail(project, appts, transport, workers=kw.pop("workers", 1), today=TODAY, **kw)


def calendar_of(msg: email.message.EmailMessage) -> icalendar.Calendar:
    (part,) = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    return icalendar.Calendar.from_ical(part.get_payload(decode=True))


def event_of(msg: email.message.EmailMessage) -> icalendar.Event:
    return calendar_of(msg).walk("VEVENT")[0]


def test_messages_arrive_with_parts_languages_and_attachments(project: Path, smtp_server: Recorder) -> None:
    appts = write_appointments(
        project / "a.csv",
        [row(1, "en"), row(2, "es", "Hysteroscopy", name="Lucía Pérez", notes="Traiga su carta"), row(3, "ar", name="فاطمة")],
    )
    report = send(project, appts, smtp(smtp_server))
    assert report.ok and sorted(report.sent) == ["A-1", "A-2", "A-3"]
    by_id = {str(m["X-Brochure-Appointment"]): m for m in smtp_server.messages}
    es = by_id["A-2"]
    assert es["Content-Language"] == "es"
    assert es["From"] == "Riverside Women's Health Clinic <appointments@riverside-clinic.example>"
    assert es["Reply-To"] == "gynae@riverside-clinic.example"
    assert es["To"].addresses[0].addr_spec == "pat2@example.org"
    assert es["Message-ID"].endswith("@riverside-clinic.example>")
    assert es["Auto-Submitted"] == "auto-generated"
    assert str(es["Date"]).endswith("+0000")
    assert [p.get_content_type() for p in es.walk()] == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "multipart/related",
        "text/html",
        "image/png",  # the logo
        "application/pdf",
        "text/calendar",
    ]
    body = es.get_body(("plain",)).get_content()
    assert "15 de marzo de 2027" not in body  # the date in the file is 12 March
    assert "12 de marzo de 2027" in body
    assert "Nota: Traiga su carta" in body  # in the appointment box
    assert "Adjuntos: " in body and "(hysteroscopy-es.pdf)" in body
    assert "contraseña" not in body  # no password, so nothing about one
    assert 'lang="es-ES"' in es.get_body(("html",)).get_content()
    assert 'dir="rtl"' in by_id["A-3"].get_body(("html",)).get_content()
    pdf = next(p for p in es.iter_attachments() if p.get_content_type() == "application/pdf")
    assert pdf.get_filename() == "hysteroscopy-es.pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.get_content())).pages)
    assert "Lucía Pérez" in text and "12 de marzo de 2027" in text
    assert "Traiga su carta" in text  # the notes are in the appointment box too
    event = event_of(es)
    assert calendar_of(es)["METHOD"] == "REQUEST" and event["SEQUENCE"] == 0
    (invitation,) = [p for p in es.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert invitation.get_content_charset() == "utf-8"  # a place in any script reads back
    assert event.decoded("DTSTART") == dt.datetime(2027, 3, 12, 9, 30, tzinfo=event.decoded("DTSTART").tzinfo)
    assert str(event.decoded("DTSTART").tzinfo) == "Europe/London"
    assert "Pat" not in str(event["UID"]) and "A-2" not in str(event["UID"])


def test_rerun_sends_nothing_twice_and_a_change_says_what_changed(project: Path, smtp_server: Recorder) -> None:
    appts = write_appointments(project / "a.csv", [row(1), row(2)])
    assert send(project, appts, smtp(smtp_server)).sent == ["A-1", "A-2"]
    again = send(project, appts, smtp(smtp_server))
    assert again.sent == [] and again.already_sent == ["A-1", "A-2"]
    write_appointments(appts, [row(1, date="2027-04-01"), row(2, notes="Bring your glasses")])
    changed = send(project, appts, smtp(smtp_server))
    assert changed.sent == ["A-1", "A-2"]  # the notes reach the patient, so they are part of the content
    assert smtp_server.ids() == ["A-1", "A-2", "A-1", "A-2"]
    first, update = smtp_server.messages[0], smtp_server.messages[2]
    assert str(update["Subject"]).startswith("Changed:")
    assert first["Message-ID"] != update["Message-ID"]
    assert update["In-Reply-To"] == first["Message-ID"] == update["References"]
    assert "What has changed: the date." in update.get_body(("plain",)).get_content()
    assert "What has changed: the details of your appointment." in smtp_server.messages[3].get_body(("plain",)).get_content()
    assert event_of(update)["UID"] == event_of(first)["UID"]
    assert event_of(update)["SEQUENCE"] == 1


def test_a_change_undone_is_sent_again(project: Path, smtp_server: Recorder) -> None:
    # 09:30, then 10:00, then 09:30 again: the patient's last message must say 09:30.
    appts = write_appointments(project / "a.csv", [row(1)])
    for clock in ("09:30", "10:00", "09:30"):
        write_appointments(appts, [row(1).replace("09:30", clock)])
        assert send(project, appts, smtp(smtp_server)).sent == ["A-1"], clock
    assert send(project, appts, smtp(smtp_server)).already_sent == ["A-1"]
    first, changed, undone = smtp_server.messages
    assert "What has changed: the time." in undone.get_body(("plain",)).get_content()
    assert "09:30" in undone.get_body(("plain",)).get_content()
    assert len({m["Message-ID"] for m in smtp_server.messages}) == 3  # a reader drops a Message-ID it has seen
    assert undone["In-Reply-To"] == first["Message-ID"] == changed["In-Reply-To"]
    assert [event_of(m)["SEQUENCE"] for m in smtp_server.messages] == [0, 1, 2]
    assert event_of(undone).decoded("DTSTART").time() == dt.time(9, 30)
    write_appointments(appts, [row(1).replace("09:30", "11:00")])
    assert send(project, appts, smtp(smtp_server)).sent == ["A-1"]
    assert event_of(smtp_server.messages[-1])["SEQUENCE"] == 3
    assert smtp_server.messages[-1]["References"] == first["Message-ID"]


def test_invitation_is_cancelled_once(project: Path, smtp_server: Recorder) -> None:
    header = HEADER.replace("\n", ",status\n")
    appts = write_appointments(project / "a.csv", [row(1) + ",booked", row(2) + ",Cancelled"], header)
    report = send(project, appts, smtp(smtp_server))
    assert report.sent == ["A-1"] and report.ok  # nothing was sent for A-2, so there is nothing to cancel
    assert report.ordered()[1].reason == "cancelled before any message was sent"
    write_appointments(appts, [row(1) + ",cancelled", row(2) + ",cancelled"], header)
    assert send(project, appts, smtp(smtp_server)).sent == ["A-1"]
    assert send(project, appts, smtp(smtp_server)).already_sent == ["A-1"]
    first, cancel = smtp_server.messages
    assert str(cancel["Subject"]).startswith("Cancelled:")
    assert cancel["In-Reply-To"] == first["Message-ID"]
    assert calendar_of(cancel)["METHOD"] == "CANCEL"
    assert event_of(cancel)["STATUS"] == "CANCELLED" and event_of(cancel)["SEQUENCE"] == 1
    assert event_of(cancel)["UID"] == event_of(first)["UID"]
    assert [p.get_content_type() for p in cancel.iter_attachments()] == ["text/calendar"]


def test_throttling_slows_the_batch_instead_of_failing_it(project: Path, smtp_server: Recorder) -> None:
    smtp_server.plan = ["451 4.3.0 try again later", "421 4.7.0 too many messages"]
    appts = write_appointments(project / "a.csv", [row(1), row(2)])
    transport = smtp(smtp_server)
    report = send(project, appts, transport)
    assert report.ok and report.sent == ["A-1", "A-2"]
    assert smtp_server.ids() == ["A-1", "A-2"]
    assert transport.interval > 0  # slower from then on


def test_permanent_failure_is_reported_per_appointment(project: Path, smtp_server: Recorder) -> None:
    smtp_server.plan = ["", "550 5.1.1 mailbox unavailable"]
    appts = write_appointments(project / "a.csv", [row(1), row(2), row(3)])
    report = send(project, appts, smtp(smtp_server))
    assert report.sent == ["A-1", "A-3"]
    assert report.failed == [("A-2", "refused: server answered 550")]
    assert send(project, appts, smtp(smtp_server)).already_sent == ["A-1", "A-3"]


def test_one_recipient_450_the_others_are_delivered(project: Path, smtp_server: Recorder, cli) -> None:
    smtp_server.refuse["pat2@example.org"] = "450 4.2.1 mailbox busy, try later"
    appts = write_appointments(project / "a.csv", [row(i) for i in range(1, 5)])
    result = cli("-C", project, "mail", appts, "--send", "--smtp", f"127.0.0.1:{smtp_server.port}", "--tls", "none",
                 "--today", "2027-01-01")  # fmt: skip
    assert result.exit_code == 1
    assert smtp_server.ids() == ["A-1", "A-3", "A-4"]
    assert "deferred appointment A-2: server answered 450 (a rerun tries again)" in result.output
    assert "4 read: 3 sent, 0 already sent, 0 skipped, 0 failed, 1 deferred, 0 unconfirmed" in result.output
    del smtp_server.refuse["pat2@example.org"]
    rerun = cli("-C", project, "mail", appts, "--send", "--smtp", f"127.0.0.1:{smtp_server.port}", "--tls", "none",
                "--today", "2027-01-01")  # fmt: skip
    assert rerun.exit_code == 0 and smtp_server.ids() == ["A-1", "A-3", "A-4", "A-2"]


def test_a_deferred_appointment_is_tried_again_at_the_end_of_the_batch(project: Path, smtp_server: Recorder) -> None:
    answers = iter(["450 4.7.1 greylisted"])

    async def once(server, session, envelope, address, rcpt_options):  # noqa: ANN001, ANN202
        if address == "pat1@example.org":
            answer = next(answers, "")
            if answer:
                return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp_server.handle_RCPT = once
    appts = write_appointments(project / "a.csv", [row(1), row(2), row(3)])
    report = send(project, appts, smtp(smtp_server))
    assert report.ok and report.sent == ["A-1", "A-2", "A-3"]
    assert smtp_server.ids() == ["A-2", "A-3", "A-1"]


def test_disconnect_before_the_message_is_retried(project: Path, smtp_server: Recorder) -> None:
    appts = write_appointments(project / "a.csv", [row(i) for i in range(1, 5)])
    original = smtp_server.handle_RCPT
    count = {"n": 0}

    async def drop_third(server, session, envelope, address, rcpt_options):  # noqa: ANN001, ANN202
        count["n"] += 1
        if count["n"] == 3:
            server.transport.abort()  # the connection drops before the message is sent
            return "250 OK"
        return await original(server, session, envelope, address, rcpt_options)

    smtp_server.handle_RCPT = drop_third
    report = send(project, appts, smtp(smtp_server))
    assert report.ok, report.outcomes
    assert smtp_server.ids() == ["A-1", "A-2", "A-3", "A-4"]


def test_disconnect_after_the_message_is_unconfirmed_never_resent(project: Path, smtp_server: Recorder) -> None:
    appts = write_appointments(project / "a.csv", [row(i) for i in range(1, 4)])
    original = smtp_server.handle_DATA
    count = {"n": 0}

    async def drop_second(server, session, envelope):  # noqa: ANN001, ANN202
        count["n"] += 1
        await original(server, session, envelope)  # the message arrives...
        if count["n"] == 2:
            server.transport.abort()  # ...but its answer never does
        return "250 OK"

    smtp_server.handle_DATA = drop_second
    report = send(project, appts, smtp(smtp_server))
    assert report.sent == ["A-1", "A-3"]
    (unconfirmed,) = [o for o in report.outcomes if o.status == "unconfirmed"]
    assert unconfirmed.id == "A-2" and "the connection dropped after the message was sent" in unconfirmed.reason
    again = send(project, appts, smtp(smtp_server))
    assert "may have been delivered: check before resending" in again.outcomes[1].reason
    assert Counter(smtp_server.ids()) == {"A-1": 1, "A-2": 1, "A-3": 1}


def test_slow_data_reply_is_one_delivery_reported_unconfirmed(project: Path, smtp_server: Recorder, cli) -> None:
    smtp_server.stalls = [1.5]
    appts = write_appointments(project / "a.csv", [row(1), row(2)])
    report = send(project, appts, smtp(smtp_server, data_timeout=0.3))
    assert [o.status for o in report.ordered()] == ["unconfirmed", "sent"]
    assert report.ordered()[0].reason.startswith("no answer within 0.3 s after the message was sent")
    rerun = cli("-C", project, "mail", appts, "--send", "--smtp", f"127.0.0.1:{smtp_server.port}", "--tls", "none",
                "--today", "2027-01-01")  # fmt: skip
    assert rerun.exit_code == 1
    assert "unconfirmed appointment A-1: an earlier run handed it over without an answer: may have been delivered" in rerun.output
    assert smtp_server.ids() == ["A-1", "A-2"]  # one delivery each, none resent blindly
    resend = cli("-C", project, "mail", appts, "--send", "--smtp", f"127.0.0.1:{smtp_server.port}", "--tls", "none",
                 "--today", "2027-01-01", "--resend-unconfirmed")  # fmt: skip
    assert resend.exit_code == 0 and smtp_server.ids() == ["A-1", "A-2", "A-1"]


def fail_on(monkeypatch: pytest.MonkeyPatch, step: str, appointment_id: str) -> None:
    """Make the sent-log fail to record `step` for one appointment, as a full disk would."""
    original = getattr(sentlog.SentLog, step)

    def failing(self, first, *args, **kw):  # noqa: ANN001, ANN202
        ids = [message[0] for message in first] if step == "accepted" else [first]  # accepted() takes a group
        if appointment_id in ids:
            raise sentlog.LogWriteError("database or disk is full")
        return original(self, first, *args, **kw)

    monkeypatch.setattr(sentlog.SentLog, step, failing)


def test_sent_log_full_after_the_250_is_unconfirmed_not_resent(
    project: Path, smtp_server: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    appts = write_appointments(project / "a.csv", [row(i) for i in range(1, 5)])
    fail_on(monkeypatch, "accepted", "A-2")
    report = send(project, appts, smtp(smtp_server))
    statuses = {o.id: (o.status, o.reason) for o in report.outcomes}
    assert statuses["A-1"] == ("sent", "")
    assert statuses["A-2"][0] == "unconfirmed"
    assert "the sent-log cannot record it (database or disk is full)" in statuses["A-2"][1]
    assert statuses["A-3"][0] == statuses["A-4"][0] == "failed"
    assert "the batch stopped at appointment A-2" in statuses["A-3"][1]
    assert report.summary() == "4 read: 1 sent, 0 already sent, 0 skipped, 2 failed, 0 deferred, 1 unconfirmed"
    monkeypatch.undo()
    rerun = send(project, appts, smtp(smtp_server))
    assert rerun.sent == ["A-3", "A-4"] and rerun.ids("unconfirmed") == ["A-2"]
    assert smtp_server.ids() == ["A-1", "A-2", "A-3", "A-4"]


def test_sent_log_full_before_a_message_stops_the_batch_naming_it(
    project: Path, smtp_server: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    appts = write_appointments(project / "a.csv", [row(i) for i in range(1, 4)])
    fail_on(monkeypatch, "attempting", "A-2")
    report = send(project, appts, smtp(smtp_server))
    assert report.stopped == "the batch stopped at appointment A-2: database or disk is full"
    assert report.failed[0] == ("A-2", "not sent: the sent-log cannot be written (database or disk is full)")
    assert smtp_server.ids() == ["A-1"]
    monkeypatch.undo()
    assert send(project, appts, smtp(smtp_server)).sent == ["A-2", "A-3"]


def test_server_down_fails_clearly_and_rerun_sends_all(project: Path, smtp_server: Recorder, cli) -> None:
    edit(project / "content" / "clinic.yaml", "  tls: starttls", "  tls: starttls\n  retry_delay: 0.01")
    appts = write_appointments(project / "a.csv", [row(1), row(2), row(3)])
    port = free_port()
    down = cli("-C", project, "mail", appts, "--send", "--smtp", f"127.0.0.1:{port}", "--tls", "none", "--today", "2027-01-01")
    assert down.exit_code == 1
    assert f"failed appointment A-1: not sent: cannot reach 127.0.0.1:{port} (ConnectionRefusedError)" in down.output
    assert "failed appointment A-3: not sent: the batch stopped at appointment A-1" in down.output
    assert "0 sent" in down.output and "3 failed" in down.output
    up = cli("-C", project, "mail", appts, "--send", "--smtp", f"127.0.0.1:{smtp_server.port}", "--tls", "none",
             "--today", "2027-01-01")  # fmt: skip
    assert up.exit_code == 0, up.output
    assert smtp_server.ids() == ["A-1", "A-2", "A-3"]


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 signed by itself, and its key."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def test_tls_errors_name_the_cause_and_cafile_trusts_a_private_ca(project: Path, tmp_path: Path, cli) -> None:
    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    handler, controller = start_server(tls_context=context, require_starttls=True)
    try:
        appts = write_appointments(project / "a.csv", [row(1), row(2)])
        args = ["-C", project, "mail", appts, "--send", "--smtp", f"127.0.0.1:{handler.port}", "--tls", "starttls",
                "--today", "2027-01-01"]  # fmt: skip
        untrusted = cli(*args)
        assert untrusted.exit_code == 1
        assert "not sent: TLS: self-signed certificate (for a private CA, use --cafile)" in untrusted.output
        assert handler.messages == []
        trusted = cli(*args, "--cafile", cert)
        assert trusted.exit_code == 0, trusted.output
        assert handler.ids() == ["A-1", "A-2"]
    finally:
        controller.stop()


def test_credentials_are_never_sent_without_tls(project: Path, smtp_server: Recorder) -> None:
    appts = write_appointments(project / "a.csv", [row(1)])
    report = send(project, appts, smtp(smtp_server, user="clinic", password="secret"))
    assert report.failed == [("A-1", "not sent: refusing to send the SMTP password without TLS (use --tls starttls or ssl)")]
    assert smtp_server.messages == []


def test_rate_paces_the_messages() -> None:
    transport = Smtp("127.0.0.1", 1, "none", rate=600)  # one every 0.1 s
    start = time.monotonic()
    for _ in range(4):
        transport.pace()
    assert 0.29 < time.monotonic() - start < 0.5


def test_smtputf8_address_needs_a_server_that_offers_it(project: Path, smtp_server: Recorder) -> None:
    appts = write_appointments(project / "a.csv", [row(1, mail_to="zölda@bücher.example"), row(2, mail_to="a@bücher.example")])
    assert send(project, appts, smtp(smtp_server)).sent == ["A-1", "A-2"]  # aiosmtpd offers SMTPUTF8 by default
    header = email.message_from_string(smtp_server.raw[0].decode(), policy=policy.default)["To"]
    assert [a.addr_spec for a in header.addresses] == ["zölda@bücher.example"]
    assert smtp_server.messages[1]["To"].addresses[0].addr_spec == "a@xn--bcher-kva.example"  # IDN in ASCII
    handler, controller = start_server(enable_SMTPUTF8=False)
    try:
        report = send(project, appts, smtp(handler), sent_log=project / "other.sqlite")
        assert report.failed == [("A-1", "refused: the address needs SMTPUTF8, which the server does not offer")]
        assert report.sent == ["A-2"]
    finally:
        controller.stop()


def parse_to(raw: bytes) -> list[str]:
    """The addresses of a message's To: header, as a mail program reads them."""
    return [a.addr_spec for a in email.message_from_string(raw.decode(), policy=policy.default)["To"].addresses]


@pytest.mark.parametrize(
    "name",
    [
        "Eve <attacker@evil.example> " + "padding " * 12,
        "Surname, Given Names " * 4,
        '"Quoted" (comment) \\ backslash; semicolon: colon',
        "=?utf-8?q?attacker=40evil.example?=",
    ],
)
def test_to_header_parses_back_to_one_recipient(project: Path, smtp_server: Recorder, name: str) -> None:
    quoted = name.replace('"', '""')
    appts = write_appointments(project / "a.csv", [row(1, name=f'"{quoted}"')])
    assert send(project, appts, smtp(smtp_server)).sent == ["A-1"]
    assert parse_to(smtp_server.raw[0]) == ["pat1@example.org"]


def test_a_name_no_font_has_or_too_long_for_the_box_is_a_row_error(project: Path, smtp_server: Recorder, cli) -> None:
    long_name = " ".join(["Bartholomew-Fitzgerald"] * 30)
    appts = write_appointments(
        project / "a.csv",
        [
            row(1, "ar", name="Sam \U0001faea فاطمة"),
            row(2, name=long_name),
            row(3, "zh-Hans", name="王\U000e0100丽"),
            row(4, "ar"),
        ],
    )
    result = cli("-C", project, "mail", appts, "--send", "--smtp", f"127.0.0.1:{smtp_server.port}", "--tls", "none",
                 "--today", "2027-01-01")  # fmt: skip
    assert result.exit_code == 1
    assert "failed appointment A-1: 'patient_name' holds U+1FAEA, which no font can show" in result.output
    too_long = "'patient_name' takes 10 lines of the appointment box, at most 2 fit (shorten it in the scheduling system)"
    assert f"failed appointment A-2: {too_long}" in result.output
    assert "failed appointment A-3: 'patient_name' holds U+E0100" in result.output
    assert "Bartholomew" not in result.output and "فاطمة" not in result.output
    assert smtp_server.ids() == ["A-4"]


def test_details_too_long_for_the_appointment_slot_are_a_row_error(project: Path, cli) -> None:
    from conftest import edit_layout

    edit_layout(project, "leaflet", "slot: 100mm", "slot: 70mm")
    notes = " ".join(["Please bring the letter from your doctor and a list of the medicines you take"] * 3)
    appts = write_appointments(project / "a.csv", [row(1, notes=notes), row(2)])
    result = cli("-C", project, "mail", appts, "--outbox", project / "out", "--today", "2027-01-01")
    assert result.exit_code == 1
    assert re.search(
        r"failed appointment A-1: 'notes' makes the appointment box \d+ mm tall, and the slot holds 70 mm", result.output
    )
    assert "Please bring" not in result.output
    assert [p.name.split("-")[1] for p in (project / "out").iterdir()] == ["2"]


def test_right_to_left_names_are_isolated(project: Path) -> None:
    appts = write_appointments(project / "a.csv", [row(1, "ar", name="Sam O'Neil (2)")])
    assert send(project, appts, Outbox(project / "out")).ok
    msg = email.message_from_bytes(next((project / "out").iterdir()).read_bytes(), policy=policy.default)
    assert "\u2068Sam O'Neil (2)\u2069" in msg.get_body(("plain",)).get_content()
    pdf = next(p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.get_content())).pages)
    assert "Sam O'Neil (2)" in text


def worker_pids(parent: int) -> list[int]:
    """The processes whose parent is `parent`."""
    found = []
    for proc_stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = proc_stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.append(int(proc_stat.parent.name))
    return found


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_killed_mid_batch_leaves_no_worker_and_rerun_delivers_each_exactly_once(project: Path, smtp_server: Recorder) -> None:
    langs = ["en", "es", "pl", "vi", "ar", "zh-Hans", "hi"]
    appts = write_appointments(project / "a.csv", [row(i, langs[i % 7]) for i in range(1, 22)])
    command = [sys.executable, "-m", "brochure", "-C", str(project), "mail", str(appts), "--send",
               "--smtp", f"127.0.0.1:{smtp_server.port}", "--tls", "none", "-j", "2", "--today", "2027-01-01"]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(smtp_server.messages) < 5 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.005)
    workers = worker_pids(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    before = len(smtp_server.messages)
    assert 5 <= before < 21, "the kill should land mid-batch"
    assert len(workers) == 2
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers), "workers end with the main process"
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=120)
    counts = Counter(smtp_server.ids())
    assert set(counts.values()) == {1}, "no appointment delivered twice"
    # A kill between handing a message over and the server's answer leaves it unconfirmed:
    # the rerun reports it instead of sending it again, and no appointment is lost silently.
    unconfirmed = re.findall(r"unconfirmed appointment (A-\d+): an earlier run", rerun.stderr)
    assert all(f"A-{i}" in counts or f"A-{i}" in unconfirmed for i in range(1, 22))
    assert rerun.returncode == (1 if unconfirmed else 0), rerun.stderr
    sent, already, unsure = map(int, re.findall(r"(\d+) sent, (\d+) already sent, .* (\d+) unconfirmed", rerun.stdout)[0])
    assert sent + already + unsure == 21 and already + unsure >= 5 and unsure == len(unconfirmed)


def accepted_ids(project: Path) -> list[str]:
    """The appointments the sent-log records as accepted, read by SQLite itself."""
    import sqlite3

    with sqlite3.connect(project / ".brochure" / "sent-log.sqlite") as db:
        return sorted(r[0] for r in db.execute("SELECT appointment_id FROM messages WHERE state='accepted'"))


def test_the_outbox_records_a_message_accepted_only_once_its_file_is_synced(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brochure.mail import delivery

    appts = write_appointments(project / "a.csv", [row(i) for i in range(1, 8)])
    monkeypatch.setattr(Outbox, "group", 3)
    seen: list[tuple[list[str], list[str]]] = []  # (files being synced, accepted in the log then)
    real = delivery.sync_folder

    def sync(folder: Path, paths: list[Path]) -> None:
        seen.append((sorted(p.name.split("-")[1] for p in paths), accepted_ids(project)))
        real(folder, paths)

    monkeypatch.setattr(delivery, "sync_folder", sync)
    report = send(project, appts, Outbox(project / "out"))
    assert report.summary().startswith("7 read: 7 sent")
    assert [files for files, _ in seen] == [["1", "2", "3"], ["4", "5", "6"], ["7"]], "one sync per group, the last one too"
    assert [accepted for _, accepted in seen] == [[], ["A-1", "A-2", "A-3"], ["A-1", "A-2", "A-3", "A-4", "A-5", "A-6"]]
    assert accepted_ids(project) == [f"A-{i}" for i in range(1, 8)]


def test_an_outbox_that_cannot_be_synced_leaves_its_group_unconfirmed_never_doubled(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brochure.mail import delivery

    appts = write_appointments(project / "a.csv", [row(i) for i in range(1, 6)])
    monkeypatch.setattr(Outbox, "group", 2)
    calls = []

    def sync(folder: Path, paths: list[Path]) -> None:
        calls.append(len(paths))
        if len(calls) == 2:
            raise OSError(5, "Input/output error")

    monkeypatch.setattr(delivery, "sync_folder", sync)
    report = send(project, appts, Outbox(project / "out"))
    statuses = {o.id: (o.status, o.reason) for o in report.outcomes}
    assert [statuses[f"A-{i}"][0] for i in range(1, 6)] == ["sent", "sent", "unconfirmed", "unconfirmed", "failed"]
    assert statuses["A-3"][1].startswith("written, but cannot sync the outbox: ")
    assert "the batch stopped at appointment A-4" in statuses["A-5"][1]
    assert accepted_ids(project) == ["A-1", "A-2"]
    monkeypatch.undo()
    rerun = send(project, appts, Outbox(project / "out"))
    assert rerun.ids("unconfirmed") == ["A-3", "A-4"] and rerun.sent == ["A-5"]
    again = send(project, appts, Outbox(project / "out"), resend_unconfirmed=True)
    assert again.sent == ["A-3", "A-4"]
    names = [p.name.split("-")[1] for p in (project / "out").glob("*.eml")]
    assert sorted(names) == ["1", "2", "3", "4", "5"], "each appointment's message once"


def test_an_interrupted_outbox_batch_records_what_it_wrote(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    appts = write_appointments(project / "a.csv", [row(i) for i in range(1, 6)])
    real = Outbox.deliver

    def interrupted(self, msg, appointment_id, *args):  # noqa: ANN001, ANN202
        if appointment_id == "A-4":
            raise KeyboardInterrupt
        return real(self, msg, appointment_id, *args)

    monkeypatch.setattr(Outbox, "deliver", interrupted)
    with pytest.raises(KeyboardInterrupt):
        send(project, appts, Outbox(project / "out"))
    assert accepted_ids(project) == ["A-1", "A-2", "A-3"], "written before the interrupt: sent, not unconfirmed"
    monkeypatch.undo()
    rerun = send(project, appts, Outbox(project / "out"))
    assert rerun.ids("already sent") == ["A-1", "A-2", "A-3"] and rerun.sent == ["A-4", "A-5"]


def test_two_senders_on_one_sent_log_deliver_each_once(project: Path, smtp_server: Recorder) -> None:
    appts = write_appointments(project / "a.csv", [row(i) for i in range(1, 7)])
    reports = []

    def run() -> None:
        reports.append(send(project, appts, smtp(smtp_server), wait=True))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(smtp_server.ids()) == {f"A-{i}": 1 for i in range(1, 7)}
    assert sorted(len(r.sent) for r in reports) == [0, 6]


def test_a_second_sender_refuses_with_one_line(project: Path, cli) -> None:
    appts = write_appointments(project / "a.csv", [row(1)])
    held = sentlog.SentLog.open(project / ".brochure" / "sent-log.sqlite", 0o600)
    try:
        result = cli("-C", project, "mail", appts, "--today", "2027-01-01")
    finally:
        held.close()
    assert result.exit_code == 1
    assert (
        result.output.strip()
        .splitlines()[-1]
        .endswith("sent-log.sqlite: another 'brochure mail' is using this sent-log (wait for it to finish, or add --wait)")
    )
    assert cli("-C", project, "mail", appts, "--today", "2027-01-01").exit_code == 0


def test_files_with_patient_data_are_private_under_umask_022(project: Path, cli) -> None:
    appts = write_appointments(project / "a.csv", [row(1), row(2)])
    old = os.umask(0o022)
    try:
        result = cli("-C", project, "mail", appts, "--report", project / "report.csv", "--today", "2027-01-01")
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    log = project / ".brochure" / "sent-log.sqlite"
    files = [*sorted((project / "outbox").iterdir()), log, project / "report.csv"]
    files += [p for p in (log.with_name(log.name + "-wal"), log.with_name(log.name + "-shm")) if p.exists()]
    assert {p.name: oct(p.stat().st_mode & 0o777) for p in files} == {p.name: "0o600" for p in files}
    assert oct((project / "outbox").stat().st_mode & 0o777) == "0o700"
    edit(project / "content" / "clinic.yaml", 'file_mode: "0600"', 'file_mode: "0640"')
    write_appointments(appts, [row(3)])
    assert cli("-C", project, "mail", appts, "--today", "2027-01-01").exit_code == 0
    (eml,) = (project / "outbox").glob("A-3-*.eml")
    assert oct(eml.stat().st_mode & 0o777) == "0o640"


def test_staff_report_has_every_row_and_no_patient_data(project: Path, smtp_server: Recorder, cli) -> None:
    smtp_server.plan = ["", "550 5.1.1 mailbox unavailable"]
    appts = write_appointments(
        project / "a.csv",
        [row(1, name="Secret Person"), row(2), row(3, mail_to="not-an-email"), row(4, date="2026-06-01")],
    )
    result = cli("-C", project, "mail", appts, "--send", "--smtp", f"127.0.0.1:{smtp_server.port}", "--tls", "none",
                 "--report", project / "r.csv", "--today", "2027-01-01")  # fmt: skip
    assert result.exit_code == 1
    assert "skipped row 5 (appointment A-4): the appointment date has passed (today is 2027-01-01)" in result.output
    lines = list(csv.DictReader(io.StringIO((project / "r.csv").read_text(encoding="utf-8"))))
    assert [(r["appointment_id"], r["row"], r["status"], r["reason_class"]) for r in lines] == [
        ("A-1", "2", "sent", ""),
        ("A-2", "3", "failed", "refused"),
        ("A-3", "4", "skipped", "bad-row"),
        ("A-4", "5", "skipped", "past"),
    ]
    assert lines[0]["message_id"] == smtp_server.messages[0]["Message-ID"]
    text = (project / "r.csv").read_text(encoding="utf-8")
    for secret in ("Secret", "Pat Example", "example.org", "not-an-email"):
        assert secret not in text


def test_past_appointments_are_skipped_without_failing(project: Path, cli) -> None:
    appts = write_appointments(project / "a.csv", [row(1, date="2026-12-31"), row(2, date="2027-01-01")])
    result = cli("-C", project, "mail", appts, "--today", "2027-01-01")
    assert result.exit_code == 0
    assert "skipped row 2 (appointment A-1): the appointment date has passed" in result.output
    assert "2 read: 1 sent, 0 already sent, 1 skipped" in result.output


def test_bad_rows_are_skipped_with_row_numbers_and_no_patient_data(project: Path, cli) -> None:
    appts = write_appointments(
        project / "a.csv",
        [
            row(1),
            row(2, name="Secret Name", mail_to="not-an-email"),
            row(3, lang="pt", name="Other Secret"),
            row(4, procedure="Laparoscopy"),
            row(5, date="2027-02-30"),
            "../../etc/passwd,Evil,evil@example.org,en,HSG,2027-03-12,09:30,Room,,",
            '"A-7","Eve\nBcc: victim@example.org",eve@example.org,en,HSG,2027-03-12,09:30,Room,,',
            row(8, mail_to="a:b@x.org"),
            row(9, mail_to="..a..@x.org"),
            row(10, mail_to="a[1]@x.org"),
            row(11, name="Bell\x07Name"),
        ],
    )
    result = cli("-C", project, "mail", appts, "--outbox", project / "out", "--today", "2027-01-01")
    assert result.exit_code == 1
    output = result.output
    assert "skipped row 3 (appointment A-2): the email address is not valid: An email address must have an @-sign" in output
    assert "skipped row 4 (appointment A-3): unknown language 'pt'" in output
    assert "skipped row 5 (appointment A-4): unknown procedure 'Laparoscopy'" in output
    assert "skipped row 6 (appointment A-5): 'date' is not a date" in output
    assert "skipped row 7: the appointment id may hold only" in output
    assert "skipped row 8 (appointment A-7): a quoted value runs from line 8 to line 9" in output
    assert "skipped row 10 (appointment A-8): the email address is not valid: " in output
    assert "skipped row 11 (appointment A-9): the email address is not valid: " in output
    assert "skipped row 12 (appointment A-10): the email address is not valid: " in output
    assert "skipped row 13 (appointment A-11): 'patient_name' holds the control character U+0007" in output
    for secret in ("Secret Name", "Other Secret", "not-an-email", "Evil", "victim", "Eve", "a:b", "x.org"):
        assert secret not in output
    assert "11 read: 1 sent, 0 already sent, 10 skipped, 0 failed" in output  # the quoted value made two lines one row
    assert [p.name[:4] for p in (project / "out").iterdir()] == ["A-1-"]


def test_header_injection_is_refused(project: Path) -> None:
    from brochure.mail.mime import HeaderError, header

    for value in ("Hello\r\nBcc: x@example.org", "Hello\n Bcc: x@example.org", "Hello\u2028Bcc: x@example.org", "a\x00b"):
        with pytest.raises(HeaderError):
            header("Subject", value, False)
    edit(
        project / "content" / "clinic.yaml",
        "reply_to: gynae@riverside-clinic.example",
        'reply_to: "a@example.org\\nBcc: b@example.org"',
    )
    appts = write_appointments(project / "a.csv", [row(1)])
    report = send(project, appts, Outbox(project / "out"))
    assert report.failed == [("A-1", "a header value holds a line break or control character")]


def test_markup_in_names_renders_literally_and_attachments_encrypt(project: Path) -> None:
    appts = write_appointments(project / "a.csv", [row(1, name='"Sam <b>& O\'Neil"', password="s3cret-pass")])
    assert send(project, appts, Outbox(project / "out")).ok
    (eml,) = (project / "out").iterdir()
    msg = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert "protected by a password" in msg.get_body(("plain",)).get_content()
    pdf = next(p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf")
    data = pdf.get_content()
    with pytest.raises(pikepdf.PasswordError):
        pikepdf.open(io.BytesIO(data))
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(data)  # PDFium (Chrome's reader) refuses it without the password...
    assert len(pdfium.PdfDocument(data, password="s3cret-pass")) >= 1  # ...and opens it with it
    with pikepdf.open(io.BytesIO(data), password="s3cret-pass") as doc:  # qpdf, too
        assert doc.encryption.R == 6 and doc.encryption.bits == 256
        plain = io.BytesIO()
        doc.save(plain)
    text = " ".join(p.extract_text() for p in PdfReader(plain).pages)
    assert "Sam <b>& O'Neil" in text
    assert "&lt;b&gt;" in msg.get_body(("html",)).get_content()


def test_json_input_and_column_mapping(project: Path) -> None:
    edit(project / "content" / "clinic.yaml", "  id: appointment_id", "  id: Appt")
    (project / "a.json").write_text(
        '[{"Appt": "J-1", "patient_name": "Pat", "email": "pat@example.org", "language": "pl", '
        '"procedure": "hsg", "date": "2027-03-12", "time": "09:30", "location": "Room 2"}]',
        encoding="utf-8",
    )
    report = send(project, project / "a.json", Outbox(project / "out"))
    assert report.sent == ["J-1"]
    msg = email.message_from_bytes(next((project / "out").iterdir()).read_bytes(), policy=policy.default)
    assert "12 marca 2027" in msg.get_body(("plain",)).get_content()


def test_a_report_that_cannot_be_written_stops_the_batch_before_it_sends(project: Path, cli) -> None:
    # The report is the front desk's list of whom to phone: found unwritable at the end,
    # it hid every row's outcome; it is tried first, and nothing is sent.
    appts = write_appointments(project / "a.csv", [row(1), row(2)])
    report = appts / "report.csv"  # a.csv is a file, not a folder
    result = cli("-C", project, "mail", appts, "--outbox", project / "out", "--report", report, "--today", "2027-01-01")
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {report}: {appts} is a file where a folder should be (move or delete that file)"
    assert not list(project.glob("out/*.eml"))
    assert not (project / ".brochure" / "sent-log.sqlite").exists()


def test_dry_run_writes_the_report_and_touches_no_sent_log(project: Path, cli) -> None:
    appts = write_appointments(project / "a.csv", [row(1), row(2)])
    result = cli("-C", project, "mail", appts, "--dry-run", "--report", project / "r.csv", "--today", "2027-01-01")
    assert result.exit_code == 0
    assert "would send appointment A-1" in result.output and "2 read: 2 would send, 0 sent" in result.output
    assert not (project / "outbox").exists() and not (project / ".brochure").exists()
    assert (project / "r.csv").read_text(encoding="utf-8").count("would send") == 2
    assert "2 read: 2 sent" in cli("-C", project, "mail", appts, "--today", "2027-01-01").output
    again = cli("-C", project, "mail", appts, "--dry-run", "--today", "2027-01-01")
    assert "2 read: 0 sent, 2 already sent" in again.output


def test_smtp_credentials_only_from_the_environment(cli) -> None:
    result = cli("mail", "--help")
    assert "BROCHURE_SMTP_USER" in result.output and "--password" not in result.output


# The property: thousands of generated rows through the real pipeline into a real server ------

ROWS_PER_EXAMPLE = 100
TOTAL_ROWS = int(os.environ.get("BROCHURE_MAIL_ROWS", "2000"))  # BROCHURE_MAIL_ROWS=10000 for a long run
HOSTILE_EMAILS = [
    "a:b@x.org",
    "a[1]@x.org",
    "zölda@x.org",
    "..a..@x.org",
    "o'neil@example.org",
    "a@bücher.de",
    "x" * 65 + "@example.org",
    "Eve <attacker@evil.example>",
    "victim@example.org, attacker@evil.example",
    "pat@example.org\r\nBcc: attacker@evil.example",
    "pat@[127.0.0.1]",
    '"quoted local"@example.org',
    "pat@localhost",
    "PAT@EXAMPLE.ORG",
    "",
]
HOSTILE_NAMES = [
    "Eve <attacker@evil.example> " + "padding " * 12,
    "Surname, Given Names",
    "Sam <b>&</b> O'Neil **bold** {{ clinic.name }} {% raw %}",
    "=?utf-8?q?attacker=40evil.example?=",
    "\u202eEvil\u202c Name",
    "\u2067فاطمة\u2069 Sam",
    "Ana\u200eMaría\u200f",
    "喆堃",
    "\U0001faea\U0001fae8",
    "\U000e0001tag",
    "x" * 300,
    "back\\slash \"quote\" 'single'",
]
any_char = st.characters(exclude_categories=["Cs"])  # a CSV in UTF-8 cannot hold a lone surrogate
# Mostly rows a clinic would send, so that most reach the renderer and the server.
plain_names = st.text(st.characters(codec="utf-8", categories=["L", "M", "Nd", "Zs"]), min_size=1, max_size=40)
names = st.one_of(
    plain_names,
    plain_names,
    st.sampled_from(HOSTILE_NAMES),
    st.text(any_char, min_size=1, max_size=24),
    st.text(st.characters(codec="utf-8", categories=["L", "M", "N", "P", "S", "Zs", "Cf"]), min_size=1, max_size=40),
    st.text(st.sampled_from("abcdefghij ,.'-"), min_size=60, max_size=200),
)
good_emails = st.builds("p{}@example.org".format, st.integers(0, 99))
emails = st.one_of(good_emails, good_emails, good_emails, st.emails(), st.sampled_from(HOSTILE_EMAILS))
rows = st.lists(
    st.tuples(
        names,
        emails,
        st.sampled_from(["en", "es", "pl", "vi", "ar", "zh-Hans", "hi", "en", "ar", "pt"]),
        st.sampled_from(["HSG", "Hysteroscopy", "hsg"]),
        st.sampled_from(["2027-03-12"] * 8 + ["2026-06-01", "2027-13-01"]),
        st.one_of(st.sampled_from(["Clinic room 2", "X-ray department, Level 1"]), st.text(any_char, min_size=1, max_size=20)),
        st.one_of(st.just(""), st.just(""), plain_names, st.text(any_char, max_size=30)),
    ),
    min_size=ROWS_PER_EXAMPLE,
    max_size=ROWS_PER_EXAMPLE,
)


def intended(address: str) -> str:
    """The address a message for `address` must go to, as the row check normalised it."""
    from brochure.mail.addresses import parse_address

    return parse_address(address).addr_spec


def test_generated_rows_each_end_sent_skipped_or_failed_with_a_reason(project: Path, tmp_path_factory) -> None:
    """Rendering in this process (workers=1) keeps its caches from one batch to the next,
    which makes 2,000 rows affordable; the worker processes have tests of their own."""
    handler, controller = start_server()
    runs = {"n": 0}

    @settings(
        max_examples=TOTAL_ROWS // ROWS_PER_EXAMPLE,
        deadline=None,
        derandomize=True,
        database=None,
        phases=(Phase.explicit, Phase.generate),  # no shrinking: a failing batch is shown whole, and quickly
        suppress_health_check=list(HealthCheck),
    )
    @given(rows)
    def check(generated: list[tuple[str, ...]]) -> None:
        runs["n"] += 1
        folder = tmp_path_factory.mktemp("rows")
        path = folder / "a.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(HEADER.strip().split(","))
            for i, (name, address, lang, procedure, date, location, notes) in enumerate(generated):
                writer.writerow([f"G-{runs['n']}-{i}", name, address, lang, procedure, date, "09:30", location, notes, ""])
        before = len(handler.raw)
        report = mail(project, path, smtp(handler), sent_log=folder / "log.sqlite", workers=1, today=TODAY)
        assert report.read == len(report.outcomes) and "please report" not in report.summary()
        for outcome in report.outcomes:
            assert outcome.status in ("sent", "skipped", "failed"), outcome
            assert outcome.status == "sent" or outcome.reason, outcome
            assert outcome.reason_class != "internal", outcome
        addresses = {f"G-{runs['n']}-{i}": row[1] for i, row in enumerate(generated)}
        for raw in handler.raw[before:]:
            msg = email.message_from_string(raw.decode(), policy=policy.default)
            assert parse_to(raw) == [intended(addresses[str(msg["X-Brochure-Appointment"])])]
        shown = " ".join(o.reason for o in report.outcomes)
        for name, address, *_ in generated:
            for secret in (name.strip(), address.strip()):
                if len(secret) >= 12 and secret.isprintable():
                    assert secret not in shown
        STATS.update(f"{o.status} {o.reason_class}".strip() for o in report.outcomes)

    try:
        check()
    finally:
        controller.stop()
    assert sum(STATS.values()) >= TOTAL_ROWS
    print(f"\n{sum(STATS.values())} generated rows: {dict(STATS)}")


STATS: Counter[str] = Counter()  # outcomes of the generated rows, printed with -s


def test_a_sent_log_from_before_the_attempting_state_is_migrated(project: Path) -> None:
    import sqlite3

    path = project / "old.sqlite"
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE sent (appointment_id TEXT, content_hash TEXT, message_id TEXT, channel TEXT, accepted_at REAL, "
        "PRIMARY KEY (appointment_id, content_hash, channel))"
    )
    db.execute("INSERT INTO sent VALUES ('A-1', 'h1', '<m1@x>', 'smtp', 1.0)")
    db.commit()
    db.close()
    dry = sentlog.SentLog.read_only(path)
    assert dry.state("A-1", "h1", "smtp") == "accepted"
    dry.close()
    log = sentlog.SentLog.open(path, 0o600)
    assert log.state("A-1", "h1", "smtp") == "accepted" and log.history("A-1", "smtp").first_message_id == "<m1@x>"
    log.close()


def test_a_word_spanning_two_fonts_is_shaped_without_a_crash() -> None:
    import datetime as dt

    from brochure.mail.appointments import Appointment
    from brochure.mail.leaflets import personal_copy
    from brochure.pipeline import open_project

    project = open_project(REPO)
    for lang in ("zh-Hans", "hi", "ar"):
        appointment = Appointment(
            "a1", "Ёक्षب", "a@example.org", lang, ("hsg",), "HSG", dt.date(2027, 3, 1), dt.time(9), "Room 2", "", "", 2
        )
        _, pdf = personal_copy(project, "hsg", appointment, keep=False)
        assert pdf.startswith(b"%PDF")


def test_appointments_from_standard_input(project: Path) -> None:
    from click.testing import CliRunner

    from brochure.cli import main

    csv_text = write_appointments(project / "a.csv", [row(1), row(2, "es")]).read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["-C", str(project), "mail", "-", "--today", "2027-01-01"], input=csv_text)
    assert result.exit_code == 0, result.output
    assert sorted(p.name.split("-")[1] for p in (project / "outbox").iterdir()) == ["1", "2"]
    record = {"appointment_id": "A-3", "patient_name": "Pat", "email": "p3@example.org", "language": "en"}
    as_json = json.dumps([record | {"procedure": "HSG", "date": "2027-03-12", "time": "09:30", "location": "Room 1"}])
    result = CliRunner().invoke(main, ["-C", str(project), "mail", "-", "--today", "2027-01-01"], input=as_json)
    assert result.exit_code == 0, result.output
    assert len(list((project / "outbox").glob("A-3-*.eml"))) == 1


def logo_part(path: Path) -> bytes:
    msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    (logo,) = [part for part in msg.walk() if part.get_content_type() == "image/png"]
    return logo.get_payload(decode=True)


def test_the_emails_logo_is_drawn_once_and_kept(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The SVG logo drawn for the email is kept in the disk cache (privately, as the rest),
    and a later batch's messages carry the same image without drawing it again."""
    appts = write_appointments(project / "a.csv", [row(1)])
    messages.letter_logo.cache_clear()
    assert send(project, appts, Outbox(project / "first")).sent == ["A-1"]
    (kept,) = (project / ".brochure" / "cache" / "logo").glob("*.png")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    messages.letter_logo.cache_clear()

    def no_drawing(*args: object) -> None:
        raise AssertionError("the logo was drawn again")

    monkeypatch.setattr(messages, "logo_png", no_drawing)
    (project / ".brochure" / "sent-log.sqlite").unlink()
    assert send(project, appts, Outbox(project / "second")).sent == ["A-1"]
    (first,), (second,) = (project / "first").iterdir(), (project / "second").iterdir()
    assert logo_part(second) == logo_part(first) == kept.read_bytes()


def test_an_outbox_batch_from_kept_base_copies_loads_no_pdf_or_smtp_library(project: Path, tmp_path: Path) -> None:
    code = (
        "import sys\nfrom brochure.cli import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print(*sorted(set(sys.modules) & {'pikepdf', 'smtplib', 'ssl', 'multiprocessing', 'urllib.request'}))"
    )
    for run, first in (("first", 1), ("second", 3)):  # the first keeps the base copies
        appts = write_appointments(tmp_path / f"{run}.csv", [row(first), row(first + 1, "es")])
        command = [sys.executable, "-c", code, "-C", str(project), "mail", str(appts), "--outbox", str(tmp_path / run)]
        result = subprocess.run([*command, "-j", "1"], capture_output=True, text=True, check=True)
        assert len(list((tmp_path / run).glob("*.eml"))) == 2
    assert result.stdout.splitlines()[-1] == ""
