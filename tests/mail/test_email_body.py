"""The body of an appointment email: written by the HTML writer from the document model
(the clinic's logo and name, the letter, the appointment box, the contacts and opening
hours) with a plain-text part that reads in order; axe-core finds no WCAG 2.2 AA
violation in Chromium, with the stylesheet and without it (as clients that drop <style>
show it). One browser checks every body, once per test session."""

from __future__ import annotations

import base64
import datetime as dt
import email
import io
import re
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, copy_project, make_release_ready
from htmltree import parse
from nodejs import require, run
from PIL import Image

from brochure.mail.batch import mail
from brochure.mail.delivery import Outbox
from brochure.pipeline import open_project

HEADER = "appointment_id,patient_name,email,language,procedure,date,time,location,notes,pdf_password,status\n"
LANGS = ("en", "ar", "es", "hi", "pl", "vi", "zh-Hans")
TODAY = dt.date(2027, 1, 1)
LOGO_ID = "logo@riverside-clinic.example"
pytestmark = pytest.mark.xdist_group("browser")  # with the pages' browser tests, on one worker


def row(i: int, lang: str, procedure: str = "HSG", notes: str = "", password: str = "", status: str = "") -> str:
    return f"E-{i},Pat Example,pat{i}@example.org,{lang},{procedure},2027-03-12,09:30,Clinic room 2,{notes},{password},{status}\n"


def send(project: Path, rows: list[str], outbox: Path, **kw: Any) -> dict[str, EmailMessage]:
    """Mail the rows into `outbox`; the messages written, by file name."""
    appts = project / "a.csv"
    appts.write_text(HEADER + "".join(rows), encoding="utf-8")
    before = set(outbox.glob("*.eml"))
    report = mail(project, appts, Outbox(outbox), workers=1, today=TODAY, **kw)
    assert report.ok, report.outcomes
    return {p.name: email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in set(outbox.glob("*.eml")) - before}


def only(found: dict[str, EmailMessage]) -> EmailMessage:
    (msg,) = found.values()
    return msg


@pytest.fixture(scope="session")
def emails(tmp_path_factory: pytest.TempPathFactory) -> dict[str, EmailMessage]:
    """A message in each language (the sample is a draft: --allow-drafts), one with two
    leaflets, notes and a password, and an approved copy's message and its cancellation."""
    folder = tmp_path_factory.mktemp("emails")
    drafts = copy_project(folder / "drafts")
    rows = [row(i, lang, notes="Bring your glasses" if lang == "hi" else "") for i, lang in enumerate(LANGS)]
    rows.append(row(9, "en", "HSG and hysteroscopy", "Please bring your referral letter", "s3cret"))
    found = send(drafts, rows, folder / "drafts-out", allow_drafts=True)
    out = {str(m["X-Brochure-Appointment"]): m for m in found.values()}
    messages = {lang: out[f"E-{i}"] for i, lang in enumerate(LANGS)}
    messages["combined"] = out["E-9"]
    approved = copy_project(folder / "approved")
    make_release_ready(approved)
    messages["approved"] = only(send(approved, [row(20, "en")], folder / "approved-out"))
    messages["cancelled"] = only(send(approved, [row(20, "en", status="cancelled")], folder / "approved-out"))
    return messages


def html_of(msg: EmailMessage) -> str:
    return msg.get_body(("html",)).get_content()


def text_of(msg: EmailMessage) -> str:
    """The text part, its lines ended as Python ends them (on the wire they end in CRLF)."""
    return msg.get_body(("plain",)).get_content().replace("\r\n", "\n")


def as_a_client_shows_it(msg: EmailMessage) -> str:
    """The HTML body with each cid: reference replaced by its part, as a mail client does."""
    html = html_of(msg)
    for part in msg.walk():
        cid = part.get("Content-ID")
        if cid:
            data = base64.b64encode(part.get_content()).decode("ascii")
            html = html.replace(f"cid:{cid.strip('<>')}", f"data:{part.get_content_type()};base64,{data}")
    return html


NAMES = [*LANGS, "combined", "approved", "cancelled"]
BODIES = [(name, styled) for name in NAMES for styled in (True, False)]
SHOTS = ("en", "ar")


@pytest.fixture(scope="session")
def browser(emails: dict[str, EmailMessage], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What Chromium found in every body, with its stylesheet and without, and screenshots."""
    require(browser=True)
    folder = tmp_path_factory.mktemp("email-html")
    files = {}
    for name, styled in BODIES:
        html = as_a_client_shows_it(emails[name])
        if not styled:
            html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
        path = folder / f"{name}{'' if styled else '-unstyled'}.html"
        path.write_text(html, encoding="utf-8")
        files[(name, styled)] = str(path)
    shots = tmp_path_factory.mktemp("email-screenshots")
    job = {"files": list(files.values()), "screenshots": {"dir": str(shots), "files": [files[(n, True)] for n in SHOTS]}}
    report: dict[str, Any] = run("check_html.mjs", stdin=job)
    report["by_body"] = {key: report["pages"][file] for key, file in files.items()}
    return report


@pytest.mark.parametrize(("name", "styled"), BODIES)
def test_axe_finds_no_wcag_22_aa_violation_in_an_email_body(browser: dict[str, Any], name: str, styled: bool) -> None:
    found = browser["by_body"][(name, styled)]
    lines = [f"{v['viewport']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']]}" for v in found["violations"]]
    assert not found["violations"], "\n".join(lines)
    for width, seen in found["widths"].items():
        assert seen["scrollWidth"] <= seen["viewport"], f"{width}: {seen['scrollWidth']} px wide in {seen['viewport']} px"
    assert found["requests"] == []


def test_a_screenshot_of_an_english_and_an_arabic_email(browser: dict[str, Any]) -> None:
    shots = [Path(p) for p in browser["screenshots"]]
    assert len(shots) == 2 * len(SHOTS)  # a desktop and a phone width each
    for shot in shots:
        with Image.open(shot) as image:
            assert image.width in (1024, 320) and image.height > 900, shot.name
            assert len(image.convert("L").getcolors(1 << 16) or []) > 16, f"{shot.name} is blank"


@pytest.mark.parametrize("lang", LANGS)
def test_the_html_body_shows_the_logo_the_appointment_and_the_contacts(emails: dict[str, EmailMessage], lang: str) -> None:
    msg = emails[lang]
    strings = open_project(REPO).strings[lang]
    page = parse(html_of(msg))
    html = page.one("html")
    assert html.attrs["lang"] == strings.locale.replace("_", "-") and html.attrs["dir"] == strings.direction
    assert page.one("title").text() == page.one("h1").text() == " ".join(str(msg["Subject"]).split())
    logo = page.one("img", class_="logo")
    assert (logo.attrs["src"], logo.attrs["alt"], logo.attrs["width"], logo.attrs["height"]) == (f"cid:{LOGO_ID}", "", "56", "56")
    (part,) = [p for p in msg.walk() if p.get("Content-ID") == f"<{LOGO_ID}>"]
    with Image.open(io.BytesIO(part.get_content())) as image:
        assert (part.get_content_type(), image.format, image.size) == ("image/png", "PNG", (112, 112))
    assert page.one("p", class_="clinic-name").text() == "Riverside Women's Health Clinic"
    box = page.one("section", class_="box-appointment").text()
    for value in (strings.values["appointment_heading"].source, "Pat Example", "09:30", "2027", "Clinic room 2"):
        assert value in box
    contact = page.one("section", class_="contact")
    assert contact.one("a", href="tel:01632960123").text() == "01632 960 123"
    assert open_project(REPO).clinic.localised("opening_hours", lang) in contact.text()
    assert contact.one("a", href="mailto:gynae@riverside-clinic.example")


def test_brand_colours_are_inline_for_clients_that_drop_the_stylesheet(emails: dict[str, EmailMessage]) -> None:
    page = parse(html_of(emails["en"]))
    primary = "#1f5f74"  # the sample clinic's brand colour
    assert f"color:{primary}" in page.one("h1").attrs["style"]
    assert f"border-left:6px solid {primary}" in page.one("section", class_="box-appointment").attrs["style"]
    assert f"color:{primary}" in page.one("a", href="tel:01632960123").attrs["style"]
    assert "background:" in page.one("section", class_="contact").attrs["style"]
    rtl = parse(html_of(emails["ar"]))
    assert f"border-right:6px solid {primary}" in rtl.one("section", class_="box-appointment").attrs["style"]


def test_the_text_part_reads_in_order(emails: dict[str, EmailMessage]) -> None:
    text = text_of(emails["approved"])
    expected = [
        "Riverside Women's Health Clinic",
        "Your HSG appointment on 12 March 2027\n" + "=" * len("Your HSG appointment on 12 March 2027"),
        "Dear Pat Example,",
        "Your HSG appointment is on 12 March 2027 at 09:30, at Clinic room 2.",
        "To change or cancel your appointment, call us on 01632\u00a0960\u00a0123.",
        "Your appointment\n----------------\n\nFor: Pat Example\nWhen: 12 March 2027 at 09:30\nWhere: Clinic room 2\n\n"
        "Your HSG is on 12 March 2027 at 09:30. Come after your period has stopped",
        "Attached: Your HSG test (hsg-en.pdf).",
        "Contact us\n----------\n\nRiverside Women's Health Clinic\n12 Mill Lane, Riverside, RV1 2AB\n"
        "Phone: 01632\u00a0960\u00a0123\nOpening hours: Monday to Friday, 8am to 6pm\n"
        "Email: gynae@riverside-clinic.example\nWebsite: https://riverside-clinic.example",
        "Out of hours, call NHS 111. In an emergency, call 999 or go to your nearest A&E.\n",
    ]
    at = 0
    for piece in expected:
        found = text.find(piece, at)
        assert found >= 0, f"{piece!r} not after position {at} in:\n{text}"
        at = found + len(piece)
    assert "<" not in text and "**" not in text  # no markup in the text part


def test_the_text_part_keeps_bidi_isolates_in_right_to_left_text(emails: dict[str, EmailMessage]) -> None:
    text = text_of(emails["ar"])
    assert "الاسم: \u2068Pat Example\u2069" in text
    assert "الهاتف: \u206601632\u00a0960\u00a0123\u2069" in text
    assert "\u2066gynae@riverside-clinic.example\u2069" in text
    assert "DRAFT" in text.splitlines()[2]  # the title first, then the line that says these are drafts


def test_notes_and_every_leaflets_advice_are_in_the_appointment_box(emails: dict[str, EmailMessage]) -> None:
    box = parse(html_of(emails["combined"])).one("section", class_="box-appointment").text()
    assert "Note: Please bring your referral letter" in box
    assert "Your HSG is on 12 March 2027" in box and "Your hysteroscopy is on 12 March 2027" in box
    text = text_of(emails["combined"])
    assert "protected by a password" in text and text.count("Please bring your referral letter") == 1


def test_a_cancellation_shows_what_was_cancelled_not_how_to_get_ready(emails: dict[str, EmailMessage]) -> None:
    msg = emails["cancelled"]
    assert str(msg["Subject"]).startswith("Cancelled:")
    box = parse(html_of(msg)).one("section", class_="box-appointment").text()
    assert "When: 12 March 2027 at 09:30" in box and "Where: Clinic room 2" in box
    assert "Come after your period" not in box and "Attached" not in text_of(msg)
    assert "Opening hours: Monday to Friday, 8am to 6pm" in text_of(msg)


def test_the_same_content_makes_the_same_message(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    make_release_ready(project)
    first = only(send(project, [row(1, "ar", notes="x")], tmp_path / "one", sent_log=tmp_path / "one.sqlite"))
    again = only(send(project, [row(1, "ar", notes="x")], tmp_path / "two", sent_log=tmp_path / "two.sqlite"))
    assert sorted((tmp_path / "one").iterdir())[0].name == sorted((tmp_path / "two").iterdir())[0].name
    assert first["Message-ID"] == again["Message-ID"]
    for part in ("plain", "html"):
        assert first.get_body((part,)).get_content() == again.get_body((part,)).get_content()
    logos = [next(p for p in m.walk() if p.get_content_type() == "image/png").get_content() for m in (first, again)]
    assert logos[0] == logos[1]


def test_markup_in_the_patients_values_is_text_in_both_parts(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    name, place, notes = "<script>alert(1)</script> Pat", "Room <b>2</b> & up", '"><img src=x onerror=alert(1)>'
    quoted = '"' + notes.replace('"', '""') + '"'
    line = f"E-1,{name},pat@example.org,ar,HSG,2027-03-12,09:30,{place},{quoted},,\n"
    msg = only(send(project, [line], tmp_path / "out", allow_drafts=True))
    html = html_of(msg)
    page = parse(html)
    assert page.find("script") == [] and page.find("b") == []
    assert [img.attrs["src"] for img in page.find("img")] == [f"cid:{LOGO_ID}"]  # the logo, nothing else
    box = page.one("section", class_="box-appointment").text()
    text = text_of(msg)
    for value in (name, place, notes):
        assert value in box and value in text  # shown as the characters they are
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html
