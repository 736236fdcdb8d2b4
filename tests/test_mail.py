"""brochure mail: rows, messages, outbox, SMTP on loopback, faults, exactly once."""

from __future__ import annotations

import email
import io
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from email import policy
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from aiosmtpd.controller import Controller
from conftest import REPO, edit
from pypdf import PdfReader

from brochure.delivery import Outbox, Smtp
from brochure.mailing import mail

HEADER = "appointment_id,patient_name,email,language,procedure,date,time,location,notes,pdf_password\n"


class Recorder:
    """An SMTP handler that keeps what it accepts and can be told to fail."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.plan: list[str] = []  # responses for the next DATA commands; "" means accept
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201
        with self.lock:
            if self.plan:
                answer = self.plan.pop(0)
                if answer:
                    return answer
            self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def ids(self) -> list[str]:
        return [str(m["X-Brochure-Appointment"]) for m in self.messages]


@pytest.fixture
def smtp_server():
    handler = Recorder()
    handler.port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    yield handler
    controller.stop()


def write_appointments(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def row(
    i: int,
    lang: str = "en",
    procedure: str = "HSG",
    name: str = "Pat Example",
    mail_to: str = "",
    date: str = "2027-03-12",
    password: str = "",
) -> str:
    return f"A-{i},{name},{mail_to or f'pat{i}@example.org'},{lang},{procedure},{date},09:30,Clinic room 2,,{password}"


def smtp(server: Recorder, **kw) -> Smtp:
    return Smtp("127.0.0.1", server.port, "none", timeout=5, backoff=0.01, **kw)


def test_messages_arrive_with_parts_languages_and_attachments(project: Path, smtp_server: Recorder) -> None:
    appts = write_appointments(
        project / "a.csv", [row(1, "en"), row(2, "es", "Hysteroscopy", name="Lucía Pérez"), row(3, "ar", name="فاطمة")]
    )
    report = mail(project, appts, smtp(smtp_server), workers=1)
    assert report.ok and sorted(report.sent) == ["A-1", "A-2", "A-3"]
    by_id = {str(m["X-Brochure-Appointment"]): m for m in smtp_server.messages}
    es = by_id["A-2"]
    assert es["Content-Language"] == "es"
    assert es["From"] == "Riverside Women's Health Clinic <appointments@riverside-clinic.example>"
    assert es["Reply-To"] == "gynae@riverside-clinic.example"
    assert es["To"].addresses[0].addr_spec == "pat2@example.org"
    assert es["Message-ID"].endswith("@riverside-clinic.example>")
    assert [p.get_content_type() for p in es.walk()] == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "application/pdf",
    ]
    assert "15 de marzo de 2027" not in es.get_body(("plain",)).get_content()  # the date in the file is 12 March
    assert "12 de marzo de 2027" in es.get_body(("plain",)).get_content()
    assert 'lang="es-ES"' in es.get_body(("html",)).get_content()
    assert 'dir="rtl"' in by_id["A-3"].get_body(("html",)).get_content()
    (pdf,) = list(es.iter_attachments())
    assert pdf.get_filename() == "hysteroscopy-es.pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.get_content())).pages)
    assert "Lucía Pérez" in text and "12 de marzo de 2027" in text


def test_rerun_sends_nothing_twice_and_a_changed_date_is_an_update(project: Path, smtp_server: Recorder) -> None:
    appts = write_appointments(project / "a.csv", [row(1), row(2)])
    assert mail(project, appts, smtp(smtp_server), workers=1).sent == ["A-1", "A-2"]
    again = mail(project, appts, smtp(smtp_server), workers=1)
    assert again.sent == [] and again.already_sent == ["A-1", "A-2"]
    write_appointments(appts, [row(1, date="2027-04-01"), row(2)])
    changed = mail(project, appts, smtp(smtp_server), workers=1)
    assert changed.sent == ["A-1"]
    assert smtp_server.ids() == ["A-1", "A-2", "A-1"]
    assert str(smtp_server.messages[-1]["Subject"]).startswith("Changed:")
    assert smtp_server.messages[0]["Message-ID"] != smtp_server.messages[-1]["Message-ID"]


def test_temporary_failure_then_success(project: Path, smtp_server: Recorder) -> None:
    smtp_server.plan = ["451 4.3.0 try again later", "451 4.3.0 try again later"]
    appts = write_appointments(project / "a.csv", [row(1), row(2)])
    report = mail(project, appts, smtp(smtp_server), workers=1)
    assert report.ok and report.sent == ["A-1", "A-2"]
    assert smtp_server.ids() == ["A-1", "A-2"]


def test_permanent_failure_is_reported_per_appointment(project: Path, smtp_server: Recorder) -> None:
    smtp_server.plan = ["", "550 5.1.1 mailbox unavailable"]
    appts = write_appointments(project / "a.csv", [row(1), row(2), row(3)])
    report = mail(project, appts, smtp(smtp_server), workers=1)
    assert report.sent == ["A-1", "A-3"]
    assert report.failed == [("A-2", "refused: server answered 550")]
    assert mail(project, appts, smtp(smtp_server), workers=1).already_sent == ["A-1", "A-3"]


def test_disconnect_mid_batch_is_retried(project: Path, smtp_server: Recorder) -> None:
    appts = write_appointments(project / "a.csv", [row(i) for i in range(1, 5)])
    original = smtp_server.handle_DATA
    count = {"n": 0}

    async def drop_third(server, session, envelope):  # noqa: ANN001, ANN202
        count["n"] += 1
        if count["n"] == 3:
            server.transport.abort()  # the connection drops without an answer
            return "250 OK"
        return await original(server, session, envelope)

    smtp_server.handle_DATA = drop_third
    report = mail(project, appts, smtp(smtp_server), workers=1)
    assert report.ok, report.failed
    assert sorted(smtp_server.ids()) == ["A-1", "A-2", "A-3", "A-4"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_server_down_fails_clearly_and_rerun_sends_all(project: Path, smtp_server: Recorder, cli) -> None:
    edit(project / "content" / "clinic.yaml", "  tls: starttls", "  tls: starttls\n  retry_delay: 0.01")
    appts = write_appointments(project / "a.csv", [row(1), row(2), row(3)])
    down = cli("-C", project, "mail", appts, "--send", "--smtp", f"127.0.0.1:{free_port()}", "--tls", "none")
    assert down.exit_code == 1
    assert "failed appointment A-1: not sent: connection failed" in down.output
    assert "0 sent" in down.output and "3 failed" in down.output
    up = cli("-C", project, "mail", appts, "--send", "--smtp", f"127.0.0.1:{smtp_server.port}", "--tls", "none")
    assert up.exit_code == 0, up.output
    assert smtp_server.ids() == ["A-1", "A-2", "A-3"]


def test_killed_mid_batch_then_rerun_delivers_each_exactly_once(project: Path, smtp_server: Recorder) -> None:
    langs = ["en", "es", "pl", "vi", "ar", "zh-Hans", "hi"]
    appts = write_appointments(project / "a.csv", [row(i, langs[i % 7]) for i in range(1, 22)])
    command = [
        sys.executable,
        "-m",
        "brochure",
        "-C",
        str(project),
        "mail",
        str(appts),
        "--send",
        "--smtp",
        f"127.0.0.1:{smtp_server.port}",
        "--tls",
        "none",
        "-j",
        "1",
    ]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    arrivals: list[float] = []
    deadline = time.monotonic() + 60
    while len(arrivals) < 5 and time.monotonic() < deadline and proc.poll() is None:
        if len(smtp_server.messages) > len(arrivals):
            arrivals.append(time.monotonic())
        time.sleep(0.001)
    # Kill half-way between two messages, while the next leaflets are being rendered:
    # a kill in the instant between the server's "250" and the sent-log's commit would
    # duplicate that one message (SMTP cannot tell), which is why the Message-ID is stable.
    time.sleep((arrivals[-1] - arrivals[-2]) / 2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    before = len(smtp_server.messages)
    assert 5 <= before < 21, "the kill should land mid-batch"
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    counts = Counter(smtp_server.ids())
    assert sorted(counts) == sorted(f"A-{i}" for i in range(1, 22))
    assert set(counts.values()) == {1}, "every appointment delivered exactly once"
    assert f"{21 - before} sent, {before} already sent" in rerun.stdout


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
        ],
    )
    result = cli("-C", project, "mail", appts, "--outbox", project / "out")
    assert result.exit_code == 1
    output = result.output
    assert "skipped row 3 (appointment A-2): the email address is not valid" in output
    assert "skipped row 4 (appointment A-3): unknown language 'pt'" in output
    assert "skipped row 5 (appointment A-4): unknown procedure 'Laparoscopy'" in output
    assert "skipped row 6 (appointment A-5): 'date' is not a date" in output
    assert "skipped row 7: the appointment id may hold only" in output
    assert "(appointment A-7): 'patient_name' holds a line break" in output
    for secret in ("Secret Name", "Other Secret", "not-an-email", "Evil", "victim", "Eve"):
        assert secret not in output
    assert "1 sent" in output and "6 skipped" in output
    assert [p.name[:4] for p in (project / "out").iterdir()] == ["A-1-"]


def test_header_injection_is_refused(project: Path) -> None:
    from brochure.messages import HeaderError, safe_header

    with pytest.raises(HeaderError):
        safe_header("Hello\r\nBcc: x@example.org")
    edit(
        project / "content" / "clinic.yaml",
        "reply_to: gynae@riverside-clinic.example",
        'reply_to: "a@example.org\\nBcc: b@example.org"',
    )
    appts = write_appointments(project / "a.csv", [row(1)])
    report = mail(project, appts, Outbox(project / "out"), workers=1)
    assert report.failed == [("A-1", "a header value holds a line break or control character")]


def test_markup_in_names_renders_literally_and_attachments_encrypt(project: Path) -> None:
    appts = write_appointments(project / "a.csv", [row(1, name='"Sam <b>& O\'Neil"', password="s3cret-pass")])
    outbox = Outbox(project / "out")
    assert mail(project, appts, outbox, workers=1).ok
    (eml,) = (project / "out").iterdir()
    msg = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    (pdf,) = list(msg.iter_attachments())
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
    report = mail(project, project / "a.json", Outbox(project / "out"), workers=1)
    assert report.sent == ["J-1"]
    msg = email.message_from_bytes(next((project / "out").iterdir()).read_bytes(), policy=policy.default)
    assert "12 marca 2027" in msg.get_body(("plain",)).get_content()


def test_dry_run_sends_and_records_nothing(project: Path, cli) -> None:
    appts = write_appointments(project / "a.csv", [row(1), row(2)])
    result = cli("-C", project, "mail", appts, "--dry-run")
    assert result.exit_code == 0
    assert "would send appointment A-1" in result.output and "2 would be sent" in result.output
    assert not (project / "outbox").exists()
    assert cli("-C", project, "mail", appts).output.count("2 sent") == 1


def test_sample_appointments_file(project: Path, cli) -> None:
    result = cli("-C", project, "mail", REPO / "examples" / "appointments.csv", "--outbox", project / "out")
    assert result.exit_code == 1  # the sample has deliberately bad rows
    assert "8 sent" in result.output and "4 skipped" in result.output


def test_smtp_credentials_only_from_the_environment(cli) -> None:
    result = cli("mail", "--help")
    assert "BROCHURE_SMTP_USER" in result.output and "--password" not in result.output
