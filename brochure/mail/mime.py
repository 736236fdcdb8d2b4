"""MIME messages written directly, as bytes ready for SMTP or an .eml file.

A message is a tree of parts (`Leaf`, `Multipart`) under a list of headers. Each
part is encoded once: text as 7bit when it is short-lined ASCII, else as
quoted-printable; everything else as base64. Boundaries are "=_" and hex digits,
which no encoded body can hold (base64 has no "_", quoted-printable writes "=" as
"=3D", and a 7bit body holding "=_" is written quoted-printable instead), derived
from a seed so that the same message has the same boundaries.

Headers that are short ASCII are written as they are; any other (a long subject,
a name that is not ASCII) is folded and encoded by the email package's policy for
SMTP, or SMTPUTF8 when the recipient's address needs it. Python's email package
builds the same message about ten times slower (it parses every header it is given,
and each part's again when it writes them); it reads these messages back in the
tests."""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy

MAX_LINE = 78  # RFC 5322 2.1.1: a header line should be no longer
CONTROL = re.compile("[\x00-\x1f\x7f]")
TEXT_LINE = 76  # longest body line written as 7bit (as quoted-printable and base64 lines)
ADDRESS_HEADERS = ("From", "Reply-To")  # To: is built folded (addresses.mailbox)
POLICIES = {utf8: policy.SMTPUTF8 if utf8 else policy.SMTP for utf8 in (False, True)}


class HeaderError(ValueError):
    """A header value holds a line break or another control character."""


@dataclass(frozen=True)
class Leaf:
    """A part with a body: its content type (with parameters), its bytes or text, and
    its other headers (Content-Disposition, Content-ID)."""

    content_type: str
    body: bytes | str  # str: text, encoded as UTF-8
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Multipart:
    """A multipart part: mixed, alternative or related."""

    subtype: str
    parts: tuple[Leaf | Multipart, ...]


def message_bytes(headers: list[tuple[str, str]], body: Leaf | Multipart, utf8: bool, seed: str) -> bytes:
    """The whole message: `headers`, MIME-Version, then the body's headers and content;
    HeaderError if a header value cannot be written (see `header`)."""
    head = b"".join(header(name, value, utf8) for name, value in headers) + b"MIME-Version: 1.0\r\n"
    return head + part_bytes(body, utf8, hashlib.sha256(seed.encode()).hexdigest(), itertools.count(1))


def header(name: str, value: str, utf8: bool) -> bytes:
    """One header field, CRLF-terminated; HeaderError if the value holds a control
    character or a line break. A To: value is folded already (addresses.mailbox: each
    further line starts with a space) and written as it is; the other address headers,
    and values that are long or not ASCII, are written by the policy."""
    lines = value.split("\n") if name == "To" else [value]
    if any(not line.startswith(" ") or not line.strip() for line in lines[1:]) or not all(map(printable, lines)):
        raise HeaderError("a header value holds a line break or control character")
    if name == "To":
        return (f"{name}: " + "\r\n".join(lines) + "\r\n").encode("utf-8" if utf8 else "ascii")
    if name not in ADDRESS_HEADERS and value.isascii() and len(name) + 2 + len(value) <= MAX_LINE:
        return f"{name}: {value}\r\n".encode("ascii")
    if name not in ADDRESS_HEADERS and not utf8 and not value.isascii():
        return f"{name}: {FOLD.join(encoded_words(value))}\r\n".encode("ascii")
    return policy_folded(name, value, utf8)


FOLD = "\r\n "
WORD_BYTES = 39  # UTF-8 bytes in an encoded word: with "Subject: ", its line stays under 78 characters
JOINS_PREVIOUS = frozenset("\u200c\u200d")  # zero-width (non-)joiners stay with the letter before


def encoded_words(text: str) -> list[str]:
    """Text as RFC 2047 encoded words (UTF-8, base64), to be folded one a line. Every
    character is inside a word, spaces too (a reader drops the space between two words);
    a word ends after a space where it can (Python's parser, unlike RFC 2047, keeps the
    fold between words in a name), and never inside a cluster (a letter and its marks,
    a conjunct), which some readers would show apart."""
    words, piece = [], ""
    for token in tokens(text):
        for cluster in [token] if len(token.encode("utf-8")) <= WORD_BYTES else clusters(token, WORD_BYTES):
            if piece and len((piece + cluster).encode("utf-8")) > WORD_BYTES:
                words.append(piece)
                piece = ""
            piece += cluster
    words.append(piece)
    return [f"=?utf-8?b?{base64.b64encode(word.encode('utf-8')).decode('ascii')}?=" for word in words]


def tokens(text: str) -> list[str]:
    """`text` as its words, each with the spaces after it, in whole clusters (a mark
    after a space stays with the space)."""
    out: list[str] = []
    after_space = False
    for cluster in clusters(text, WORD_BYTES):
        space = cluster[0].isspace()
        if out and not (after_space and not space):
            out[-1] += cluster
        else:
            out.append(cluster)
        after_space = space
    return out or [""]


def clusters(text: str, most: int) -> list[str]:
    """`text` cut where a new character starts a new cluster: not before a mark or a
    joiner, and not after a virama or a joiner (a Devanagari conjunct is one); a
    cluster of more than `most` bytes (a pile of marks) is cut where it reaches it."""
    out: list[str] = []
    for char in text:
        joined = out and (unicodedata.category(char).startswith("M") or char in JOINS_PREVIOUS or joins_next(out[-1][-1]))
        if joined and len((out[-1] + char).encode("utf-8")) <= most:
            out[-1] += char
        else:
            out.append(char)
    return out


def joins_next(char: str) -> bool:
    """A virama (a Devanagari halant) or a zero-width joiner: the next letter is part of its cluster."""
    return char == "\u200d" or unicodedata.combining(char) == 9


def printable(line: str) -> bool:
    """No control character (C0, DEL) and nothing that splits lines (U+2028 ...)."""
    return not CONTROL.search(line) and len(line.splitlines()) <= 1


@functools.lru_cache(maxsize=256)
def policy_folded(name: str, value: str, utf8: bool) -> bytes:
    """A header as the email package's policy parses, encodes and folds it."""
    rules = POLICIES[utf8]
    return rules.header_factory(name, value).fold(policy=rules).encode("utf-8" if utf8 else "ascii")


def part_bytes(part: Leaf | Multipart, utf8: bool, seed: str, numbers: Iterator[int]) -> bytes:
    """A part's headers, a blank line and its body; each multipart's boundary from the
    seed and the next of `numbers`."""
    if isinstance(part, Leaf):
        encoding, body = encoded(part.body)
        charset = '; charset="utf-8"' if isinstance(part.body, str) else ""
        fields = [("Content-Type", part.content_type + charset), ("Content-Transfer-Encoding", encoding), *part.headers]
        return b"".join(header(n, v, utf8) for n, v in fields) + b"\r\n" + body
    boundary = f"=_{hashlib.sha256(f'{seed}:{next(numbers)}'.encode()).hexdigest()[:32]}"
    out = [f'Content-Type: multipart/{part.subtype};\r\n boundary="{boundary}"\r\n\r\n'.encode()]
    for child in part.parts:
        out += [f"--{boundary}\r\n".encode(), part_bytes(child, utf8, seed, numbers), b"\r\n"]
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out)


def base64_lines(data: bytes) -> bytes:
    """Base64 in lines of 76 characters, each ended by CRLF (RFC 2045 6.8): encoded at
    once, then cut (the email package encodes each line apart). The lines of a long
    start the body shares with an earlier one (a patient's copy is the base copy plus
    its stamp) are encoded once and kept (`KEPT`)."""
    kept = next((k for k in KEPT if data.startswith(k[0])), None) or learned(data)
    start, lines = kept or (b"", b"")
    return lines + encoded_lines(data[len(start) :]) or b"\r\n"  # an empty body: one empty line


def encoded_lines(data: bytes) -> bytes:
    """Base64 lines of `data`, nothing kept."""
    text = base64.b64encode(data)
    return b"\r\n".join([text[i : i + TEXT_LINE] for i in range(0, len(text), TEXT_LINE)]) + b"\r\n" if text else b""


RAW_LINE = TEXT_LINE // 4 * 3  # the bytes one base64 line holds (57)
SHARED = RAW_LINE * 256  # the shortest start worth keeping (about 14.6 kB)
KEEP = 8  # starts and bodies kept: a batch has one base copy per document, language and layout
KEPT: list[tuple[bytes, bytes]] = []  # (start, its base64 lines), newest first
SEEN: list[bytes] = []  # the last long bodies encoded, newest first


def learned(data: bytes) -> tuple[bytes, bytes] | None:
    """The start `data` shares with a long body encoded before, if long enough to keep:
    cut at a whole base64 line, its lines encoded and kept. `data`, if long, is seen."""
    if len(data) < SHARED:
        return None
    before = next((b for b in SEEN if b[:SHARED] == data[:SHARED]), None)
    SEEN.insert(0, data)
    del SEEN[KEEP:]
    if before is None:
        return None
    low, high = SHARED // RAW_LINE, min(len(before), len(data)) // RAW_LINE  # in whole lines
    while low < high:  # the most whole lines both start with
        middle = (low + high + 1) // 2
        if data.startswith(before[: middle * RAW_LINE]):
            low = middle
        else:
            high = middle - 1
    start = data[: low * RAW_LINE]
    kept = (start, encoded_lines(start))
    KEPT.insert(0, kept)
    del KEPT[KEEP:]
    return kept


def encoded(body: bytes | str) -> tuple[str, bytes]:
    """A body's Content-Transfer-Encoding and its encoded bytes, with CRLF line ends."""
    if isinstance(body, bytes):
        return "base64", base64_lines(body)
    lines = body.encode("utf-8").splitlines() or [b""]
    if all(line.isascii() and len(line) <= TEXT_LINE for line in lines) and b"=_" not in b"".join(lines):
        return "7bit", b"".join(line + b"\r\n" for line in lines)
    text = binascii.b2a_qp(b"\n".join(lines) + b"\n", istext=True)
    return "quoted-printable", text.replace(b"\n", b"\r\n")
