"""An incremental update of a PDF (ISO 32000-1, 7.5.6): the objects it adds or replaces
are appended after the file's end, with a cross-reference stream of their own whose
/Prev points to the file's, and the file's own bytes stay as they are. A stamp is
written this way: a base copy is neither parsed nor written again for each patient.

Values are Python's: None, bool, int, float, `Name`, str (a text string), bytes (a
byte string), `Ref`, list or tuple (an array), dict (a dictionary, keys without their
slash), `Raw` (bytes already in PDF syntax) and, only as an object, `Stream`."""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final

STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
NAME_ESCAPED = re.compile(r"[^!-~]|[#/()<>\[\]{}%]")  # outside the regular characters (7.3.5)
BASES: Final[tuple[type, ...]] = (int, float, str, bytes, list, tuple, dict)  # what a subclass is written as
COMPRESSION: Final = 6  # the Flate level of every stream brochure writes (here, and finish.py's pikepdf pass)


class Name(str):
    """A PDF name, without its slash."""


@dataclass(frozen=True)
class Ref:
    """A reference to object `number` (generation 0)."""

    number: int


@dataclass(frozen=True)
class Raw:
    """A value already in PDF syntax."""

    data: bytes


@dataclass(frozen=True)
class Stream:
    """A stream object: its dictionary (without /Length and /Filter) and its data,
    compressed with Flate when written unless `deflated` (compressed already)."""

    data: bytes
    dictionary: dict[str, Any] = field(default_factory=dict)
    deflated: bool = False


def deflate(data: bytes) -> bytes:
    """Data compressed as a stream's is (Flate)."""
    return zlib.compress(data, COMPRESSION)


def number(value: float) -> bytes:
    """A real number as PDF writes it: at most four decimals, no exponent."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return (text if text not in ("-0", "") else "0").encode()


def text_string(value: str) -> bytes:
    """A text string: hexadecimal, in UTF-16BE with its byte order mark unless printable
    ASCII (which PDFDocEncoding shares; its control codes it does not)."""
    plain = all(" " <= c <= "~" for c in value)
    data = value.encode("ascii") if plain else b"\xfe\xff" + value.encode("utf-16-be")
    return b"<" + data.hex().encode() + b">"


@lru_cache(maxsize=4096)
def name_bytes(value: str) -> bytes:
    """A name in PDF syntax, its irregular characters as #XX (the same few names recur in
    every object: made once)."""
    return b"/" + NAME_ESCAPED.sub(lambda m: "".join(f"#{b:02X}" for b in m.group().encode()), value).encode()


def serialized(value: Any) -> bytes:
    """A direct value in PDF syntax (by its exact type first: a stamp writes hundreds)."""
    kind = type(value)
    if kind is dict:
        return b"<<" + b"".join(name_bytes(k) + b" " + serialized(v) for k, v in value.items()) + b">>"
    if kind is Name:
        return name_bytes(value)
    if kind is int:
        return b"%d" % value
    if kind is Ref:
        return b"%d 0 R" % value.number
    if kind is list or kind is tuple:
        return b"[" + b" ".join(map(serialized, value)) + b"]"
    if value is None:
        return b"null"
    if kind is bool:
        return b"true" if value else b"false"
    if kind is float:
        return number(value)
    if kind is str:
        return text_string(value)
    if kind is bytes:
        return b"<" + value.hex().encode() + b">"
    if kind is Raw:
        return value.data
    base = next((b for b in BASES if isinstance(value, b)), None)  # a subclass (an IntEnum, say): as its base
    if base is None:
        raise TypeError(f"not a PDF value: {value!r}")
    return serialized(base(value))


def written(value: Any) -> bytes:
    """An object's body: a value, or a stream with its dictionary."""
    if not isinstance(value, Stream):
        return serialized(value)
    data = value.data if value.deflated else deflate(value.data)
    dictionary = {**value.dictionary, "Length": len(data), "Filter": Name("FlateDecode")}
    return serialized(dictionary) + b"\nstream\n" + data + b"\nendstream"


def last_xref(pdf: bytes) -> int:
    """Where a PDF's last cross-reference section starts."""
    found = STARTXREF.search(pdf[-64:])
    if found is None:
        raise ValueError("not a complete PDF: no startxref at its end")
    return int(found.group(1))


def runs(numbers: list[int]) -> list[int]:
    """The /Index of an xref stream: first number and count of each run of consecutive numbers."""
    index: list[int] = []
    for n in numbers:
        if index and index[-2] + index[-1] == n:
            index[-1] += 1
        else:
            index += [n, 1]
    return index


def appended(pdf: bytes, objects: dict[int, Any], size: int, trailer: dict[str, Any]) -> bytes:
    """`pdf` with `objects` (number -> value or Stream) appended as an update. `size` is
    the file's /Size; `trailer` holds the file's /Root, /Info and the first part of its
    /ID (the second is a digest of what is appended, so the same update gives the same bytes)."""
    parts = [pdf if pdf.endswith(b"\n") else pdf + b"\n"]
    at = len(parts[0])
    offsets: dict[int, int] = {}
    for n in sorted(objects):
        offsets[n] = at
        body = b"%d 0 obj\n" % n + written(objects[n]) + b"\nendobj\n"
        parts.append(body)
        at += len(body)
    xref = max(size, max(offsets, default=0) + 1)
    offsets[xref] = at
    numbers = sorted(offsets)
    table = b"".join(b"\x01" + offsets[n].to_bytes(4, "big") + b"\x00\x00" for n in numbers)
    digest = hashlib.md5(b"".join(parts[1:]), usedforsecurity=False).digest()
    first, _ = trailer["ID"]
    dictionary = {
        **{k: v for k, v in trailer.items() if k != "ID"},
        "Type": Name("XRef"),
        "Size": xref + 1,
        "Index": runs(numbers),
        "W": [1, 4, 2],
        "Prev": last_xref(pdf),
        "ID": [first, digest],
    }
    parts.append(b"%d 0 obj\n" % xref + written(Stream(table, dictionary)) + b"\nendobj\n")
    parts.append(b"startxref\n%d\n%%%%EOF\n" % at)
    return b"".join(parts)
