"""The incremental update a stamp is written as: values read back by pikepdf (qpdf) as
written, the original bytes kept, the update read by independent readers."""

from __future__ import annotations

import enum
import io
import subprocess
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from brochure.write.pdf.update import Name, Ref, Stream, appended, runs, serialized


def one_page() -> bytes:
    """A one-page PDF saved as brochure saves: object streams, an xref stream."""
    with pikepdf.new() as doc:
        doc.add_blank_page(page_size=(200, 100))
        doc.docinfo.Title = "Base"
        out = io.BytesIO()
        doc.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, deterministic_id=True)
        return out.getvalue()


def parsed(value: bytes) -> Any:
    """A direct value as qpdf reads it."""
    return pikepdf.Object.parse(value)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_any_text_string_reads_back(text: str) -> None:
    assert str(parsed(serialized(text))) == text


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=20))
def test_any_name_reads_back(name: str) -> None:
    """Any name but one holding a null, which PDF does not allow (ISO 32000-1, 7.3.5)."""
    assert str(parsed(serialized(Name(name)))) == "/" + name


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.5, "0.5"), (-0.00001, "0"), (3.0, "3"), (12.34567, "12.3457"), (True, "true"), (None, "null"), (b"\x00\xff", "<00ff>")],
)
def test_numbers_and_others_are_written_as_pdf_writes_them(value: Any, expected: str) -> None:
    assert serialized(value).decode() == expected


PDF_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**31), 2**31 - 1)
    | st.builds(Name, st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=8))
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["Type", "S", "K", "Pg", "A#b"]), inner, max_size=4)
    ),
    max_leaves=12,
)


def as_python(value: Any) -> Any:
    """A value qpdf read, as the Python value it was written from."""
    if isinstance(value, pikepdf.Array):
        return [as_python(v) for v in value]
    if isinstance(value, pikepdf.Dictionary):
        return {k[1:]: as_python(v) for k, v in value.items()}
    if isinstance(value, pikepdf.Name):
        return Name(str(value)[1:])
    if isinstance(value, pikepdf.String):
        return str(value)
    return value


@settings(max_examples=200, deadline=None)
@given(PDF_VALUES)
def test_any_nested_value_reads_back(value: Any) -> None:
    """Arrays and dictionaries of every kind of value (a reference aside: qpdf reads
    those only in a file, as the update tests do), as qpdf reads them."""
    assert as_python(parsed(serialized(value))) == value


def test_a_subclass_is_written_as_its_base() -> None:
    class Flags(enum.IntEnum):
        SYMBOLIC = 4

    class Ordered(dict):  # type: ignore[type-arg]
        pass

    assert serialized(Ordered(Flags=Flags.SYMBOLIC, Names=(Name("A"), "b"))) == b"<</Flags 4/Names [/A <62>]>>"


def test_runs_are_the_xref_index() -> None:
    assert runs([3, 4, 5, 9, 11, 12]) == [3, 3, 9, 1, 11, 2]


def updated() -> tuple[bytes, bytes]:
    """A base and an update drawing a black square onto its page, with a font-free stream."""
    base = one_page()
    with pikepdf.open(io.BytesIO(base)) as doc:
        page, size = doc.pages[0].obj, int(doc.trailer.Size)
        trailer = {
            "Root": Ref(doc.Root.objgen[0]),
            "Info": Ref(doc.trailer.Info.objgen[0]),
            "ID": (bytes(doc.trailer.ID[0]), b""),
        }
        page_dict = {
            "Type": Name("Page"),
            "Parent": Ref(page.Parent.objgen[0]),
            "MediaBox": [0, 0, 200, 100],
            "Contents": Ref(size),
            "Resources": {},
        }
    objects = {page.objgen[0]: page_dict, size: Stream(b"0 g 10 10 50 50 re f\n")}
    return base, appended(base, objects, size, trailer)


def test_an_update_keeps_the_files_bytes_and_is_read_by_every_reader(tmp_path: Any) -> None:
    base, pdf = updated()
    assert pdf.startswith(base)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert doc.check_pdf_syntax() == []
        assert str(doc.docinfo.Title) == "Base"
        assert doc.pages[0].Contents.read_bytes() == b"0 g 10 10 50 50 re f\n"
    assert len(PdfReader(io.BytesIO(pdf), strict=True).pages) == 1
    pixels = pdfium.PdfDocument(pdf)[0].render(scale=1).to_pil().convert("L")
    assert pixels.getpixel((30, 70)) == 0 and pixels.getpixel((150, 50)) == 255, "the square is drawn where asked"
    path = tmp_path / "updated.pdf"
    path.write_bytes(pdf)
    shown = subprocess.run(["mutool", "show", str(path), "trailer"], capture_output=True, text=True, check=True)
    assert "/Prev" in shown.stdout and "warning" not in shown.stderr.lower()


def test_the_same_update_gives_the_same_bytes_and_another_another_id() -> None:
    base, first = updated()
    assert updated()[1] == first
    with pikepdf.open(io.BytesIO(base)) as before, pikepdf.open(io.BytesIO(first)) as after:
        assert bytes(after.trailer.ID[0]) == bytes(before.trailer.ID[0])
        assert bytes(after.trailer.ID[1]) != bytes(before.trailer.ID[1])
