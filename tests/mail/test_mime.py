"""The MIME writer, read back by Python's email parser: whatever the words, names and
files, the message parses to the same parts, headers and bytes, every line ends in
CRLF within the limits, and a message for a server without SMTPUTF8 is ASCII."""

from __future__ import annotations

import base64
import email
import hashlib
import re
import unicodedata
from email import policy
from email.header import decode_header, make_header

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brochure.mail import mime
from brochure.mail.addresses import mailbox, parse_address
from brochure.mail.mime import HeaderError, Leaf, Multipart, header, message_bytes

# Words as leaflets and names have them: any letter of the seven languages, marks,
# punctuation, spaces; no controls (header() refuses those, tested below).
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=300)
BODY = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), max_size=2000
)


def parsed(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=policy.default)  # type: ignore[return-value]


def ended(text: str) -> str:
    """A text as a part holds it: its last line ended."""
    return text if text.endswith("\n") else text + "\n"


def message(subject: str, text: str, html: str, pdf: bytes, utf8: bool = False) -> bytes:
    headers = [
        ("From", "Riverside Clinic <appointments@riverside-clinic.example>"),
        ("To", "=?utf-8?q?Nguy=E1=BB=85n?=\n <patient@example.org>"),
        ("Subject", subject),
        ("Message-ID", "<abc.def@riverside-clinic.example>"),
    ]
    logo = Leaf("image/png", b"\x89PNG...", (("Content-Disposition", "inline"), ("Content-ID", "<logo@x.example>")))
    body = Multipart(
        "mixed",
        (
            Multipart("alternative", (Leaf("text/plain", text), Multipart("related", (Leaf("text/html", html), logo)))),
            Leaf("application/pdf", pdf, (("Content-Disposition", 'attachment; filename="hsg-vi.pdf"'),)),
            Leaf(
                'text/calendar; method="REQUEST"',
                b"BEGIN:VCALENDAR\r\n",
                (("Content-Disposition", 'attachment; filename="appointment.ics"'),),
            ),
        ),
    )
    return message_bytes(headers, body, utf8, "seed")


@settings(max_examples=150, deadline=None)
@given(subject=TEXT.map(lambda s: " ".join(s.split())), text=BODY, html=BODY, pdf=st.binary(max_size=3000), utf8=st.booleans())
def test_any_message_reads_back_as_written(subject: str, text: str, html: str, pdf: bytes, utf8: bool) -> None:
    data = message(subject, text, html, pdf, utf8)
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 998 for line in lines)
    if not utf8:
        assert data.isascii()
    msg = parsed(data)
    assert not msg.defects and all(not part.defects for part in msg.walk())
    assert msg["Subject"] == subject
    assert str(msg["To"]) == "Nguyễn <patient@example.org>"
    assert [p.get_content_type() for p in msg.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "multipart/related", "text/html", "image/png",
        "application/pdf", "text/calendar",
    ]  # fmt: skip
    plain, html_part = msg.get_body(("plain",)), msg.get_body(("html",))
    assert plain is not None and html_part is not None
    assert plain.get_content().replace("\r\n", "\n") == ended(text)
    assert html_part.get_content().replace("\r\n", "\n") == ended(html)
    (attached,) = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert attached.get_content() == pdf and attached.get_filename() == "hsg-vi.pdf"
    assert data == message(subject, text, html, pdf, utf8), "the same message, the same bytes"


@settings(max_examples=200, deadline=None)
@given(value=st.text(max_size=200))
def test_a_header_is_one_field_or_refused(value: str) -> None:
    try:
        line = header("Subject", value, False)
    except HeaderError:
        assert any(ord(c) < 32 or ord(c) == 127 for c in value) or len(value.splitlines()) > 1
        return
    msg = parsed(line + b"\r\n")
    assert list(msg.keys()) == ["Subject"]
    assert " ".join(msg["Subject"].split()) == " ".join(value.split())


@pytest.mark.parametrize("value", ["Hi\r\nBcc: x@example.org", "Hi\n Bcc: x@example.org", "Hi\u2028Bcc: x", "a\x00b", "a\tb"])
def test_line_breaks_and_controls_are_refused(value: str) -> None:
    with pytest.raises(HeaderError):
        header("Subject", value, False)


def test_the_to_header_is_written_folded_as_built_and_only_folded() -> None:
    assert header("To", "Mary Jones\n <p@example.org>", False) == b"To: Mary Jones\r\n <p@example.org>\r\n"
    with pytest.raises(HeaderError):
        header("To", "Mary\nBcc: x@example.org", False)


def test_a_body_holding_the_boundary_marker_is_encoded() -> None:
    data = message("Hi", "a =_ b", "<p>x</p>", b"")
    assert b"a =_ b" not in data
    assert parsed(data).get_body(("plain",)).get_content().replace("\r\n", "\n") == "a =_ b\n"  # type: ignore[union-attr]


def expanded(seed: bytes, size: int) -> bytes:
    """`size` bytes that look random, drawn from a short seed (hypothesis keeps the seed small)."""
    return b"".join(hashlib.sha256(seed + i.to_bytes(4, "big")).digest() for i in range(size // 32 + 1))[:size]


LONG = st.builds(expanded, st.binary(max_size=16), st.integers(mime.SHARED, mime.SHARED + 400))


@settings(max_examples=60, deadline=None)
@given(
    start=LONG,
    ends=st.lists(st.binary(max_size=300), min_size=2, max_size=4),
    others=st.lists(st.one_of(LONG, st.binary(min_size=1, max_size=2000)), max_size=3),
)
def test_base64_of_bodies_sharing_a_start_is_the_same_as_encoded_whole(
    start: bytes, ends: list[bytes], others: list[bytes]
) -> None:
    # A batch's attachments share their base copy's bytes, each message's other parts
    # (the logo, the invitation) between them: the lines of that start are kept;
    # whatever came before, each body is written as if encoded on its own.
    bodies = [body for end in ends for body in (start + end, *others)] + [start, start[:-1]]
    for body in bodies:
        assert mime.base64_lines(body) == base64.encodebytes(body).replace(b"\n", b"\r\n")
    assert any(len(kept) >= mime.SHARED and start.startswith(kept) for kept, _ in mime.KEPT)


def rfc2047_decoded(value: str) -> str:
    """A header value as RFC 2047 reads it (the space between two encoded words dropped),
    by the email package's older decoder, which follows it."""
    return str(make_header(decode_header(value.replace("\r\n", ""))))


@settings(max_examples=300, deadline=None)
@given(subject=TEXT.map(lambda s: " ".join(s.split())).filter(lambda s: not s.isascii()))
def test_a_subject_in_any_script_reads_back_in_every_decoder(subject: str) -> None:
    # Every character, spaces too, is inside an encoded word, and no word splits a
    # letter from its marks or a conjunct: both of Python's decoders read it back.
    data = header("Subject", subject, False)
    lines = data.decode("ascii").split("\r\n")
    assert all(len(line) <= 78 for line in lines) and lines[-1] == ""
    value = data.decode("ascii")[len("Subject: ") : -2]
    assert rfc2047_decoded(value) == subject
    assert parsed(data + b"\r\n")["Subject"] == subject
    texts = [base64.b64decode(w).decode("utf-8") for w in re.findall(r"=\?utf-8\?b\?([^?]*)\?=", value)]  # whole characters
    for before, text in zip(texts, texts[1:], strict=False):  # a mark starts a word only where a pile of them was cut
        too_long = len((before + text[0]).encode("utf-8")) > mime.WORD_BYTES
        assert not unicodedata.category(text[0]).startswith("M") or too_long, (before, text)


@pytest.mark.parametrize(
    "text",
    [
        "Thay đổi: Chụp X-quang tử cung vòi trứng (HSG) vào ngày 1 tháng 3 năm 2027",  # a space the policy dropped
        "श्रद्धा त्रिपाठी का अपॉइंटमेंट बदल गया है: मंगलवार 12 मार्च 2027",  # a conjunct and a matra at a word's end
    ],
)
def test_a_long_subject_keeps_its_spaces_and_clusters(text: str) -> None:
    value = header("Subject", text, False).decode("ascii")[len("Subject: ") : -2]
    assert rfc2047_decoded(value) == text
    words = [w for w, _ in decode_header(value.replace("\r\n", ""))]
    assert len(words) > 1 or len(value.split("\r\n")) > 1


@pytest.mark.parametrize("name", ["श्रद्धा त्रिपाठी प्रजापति शर्मा वर्मा", "Nguyễn Thị Minh Khai Phương Thảo Trần Lê"])
def test_a_long_name_in_to_is_encoded_a_cluster_at_a_time(name: str) -> None:
    address = parse_address("patient@example.org")
    data = header("To", mailbox(name, address), False)
    msg = parsed(data + b"\r\n")
    # Python's parser keeps the fold between two encoded words of a name (RFC 2047 drops it):
    # words end at the name's spaces, so that it reads the same words.
    assert msg["To"].addresses[0].display_name.split() == name.split()
    assert msg["To"].addresses[0].addr_spec == "patient@example.org"
    value = data.decode("ascii")[len("To: ") : -2]
    assert rfc2047_decoded(value.rsplit("\r\n", 1)[0]) == name
    for word in re.findall(r"=\?utf-8\?b\?([^?]*)\?=", value):
        text = base64.b64decode(word).decode("utf-8")
        assert not unicodedata.category(text[0]).startswith("M") and unicodedata.combining(text[-1]) != 9
