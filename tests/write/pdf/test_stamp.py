"""Personalised copies stamped onto a base copy: the same pages but for the slot, the
slot's text and tags, determinism, and the base copies' disk cache."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import stat
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pikepdf
import pymupdf
import pypdfium2 as pdfium
import pytest
from conftest import REPO, edit, edit_layout
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nodejs import require, run
from pypdf import PdfReader

import brochure
from brochure import cache
from brochure.mail import leaflets
from brochure.mail.appointments import Appointment
from brochure.pipeline import open_project
from brochure.write.pdf import stamp as stamp_module
from brochure.write.pdf.flowables import ValueTooLong
from brochure.write.pdf.stamp import render_slot

LANGS = ("en", "es", "pl", "vi", "ar", "hi", "zh-Hans")
DPI = 50


def appointment(lang: str, name: str = "Mary Jones", location: str = "X-ray department, Level 1", notes: str = "") -> Appointment:
    return Appointment(
        "a1", name, "a@example.org", lang, ("hsg",), "HSG", dt.date(2027, 3, 12), dt.time(9, 30), location, notes, "", 2
    )


@pytest.fixture(scope="module")
def sample() -> Any:
    return open_project(REPO)


def base_of(project: Any, name: str, lang: str) -> leaflets.Base:
    doc = project.documents[(name, lang)]
    return leaflets.base_copy(project, doc, leaflets.personal_layout(project, doc), keep=False)


def pixels(pdf: bytes) -> list[np.ndarray]:
    doc = pdfium.PdfDocument(pdf)
    return [np.asarray(page.render(scale=DPI / 72).to_pil().convert("L")) for page in doc]


@pytest.mark.parametrize("lang", ["en", "ar", "hi", "zh-Hans"])
def test_a_stamped_copy_is_the_base_copy_but_for_the_slot(sample: Any, lang: str) -> None:
    base = base_of(sample, "hsg", lang)
    assert base.slot is not None
    _, pdf = leaflets.personal_copy(sample, "hsg", appointment(lang, notes="Bring your letter"), keep=False)
    before, after = pixels(base.pdf), pixels(pdf)
    assert len(before) == len(after)
    slot, scale = base.slot, DPI / 72
    height = before[slot.page].shape[0]
    top, bottom = int(height - (slot.y + slot.height) * scale) - 1, int(height - slot.y * scale) + 2
    left, right = int(slot.x * scale) - 1, int((slot.x + slot.width) * scale) + 2
    for i, (a, b) in enumerate(zip(before, after, strict=True)):
        if i == slot.page:
            assert not np.array_equal(a[top:bottom, left:right], b[top:bottom, left:right]), "the slot is stamped"
            a, b = a.copy(), b.copy()
            a[top:bottom, left:right] = 0
            b[top:bottom, left:right] = 0
        assert np.array_equal(a, b), f"page {i + 1} differs outside the slot"


@pytest.mark.parametrize("lang", LANGS)
def test_a_patients_copy_begins_with_the_approved_base_copy_byte_for_byte(sample: Any, lang: str) -> None:
    """The stamp is an incremental update: the base copy's bytes, unchanged, then the slot."""
    base = base_of(sample, "hsg", lang)
    _, pdf = leaflets.personal_copy(sample, "hsg", appointment(lang), keep=False)
    assert pdf.startswith(base.pdf) and len(pdf) > len(base.pdf)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert doc.check_pdf_syntax() == []


@pytest.mark.parametrize("notes", ["Eat nothing and/or Do not drink", "Bring /GS1 gs and /Im0 Do"])
def test_a_note_that_reads_like_pdf_operators_is_stamped_as_text(sample: Any, notes: str) -> None:
    """Text in the box that looks like an image or graphics state operator is a string,
    not a resource the stamp lacks: the copy is stamped (the base's bytes first)."""
    base = base_of(sample, "hsg", "en")
    _, pdf = leaflets.personal_copy(sample, "hsg", appointment("en", notes=notes), keep=False)
    assert pdf.startswith(base.pdf)
    assert " ".join(notes.split()) in " ".join(pdftotext(pdf, 1).split())


def test_the_stamps_fonts_never_take_a_name_the_page_or_each_other_has(sample: Any) -> None:
    base = base_of(sample, "hsg", "en")
    assert base.target is not None
    crowded = replace(base.target, taken=base.target.taken | {"/S1", "/S3"})
    drawing = render_slot(leaflets.personal_copy(sample, "hsg", appointment("en"), keep=False)[0], base.target.slot)
    pdf = stamp_module.stamp(base.pdf, crowded, drawing)
    names = list(re.findall(rb"/(S\d+) \d+ 0 R", pdf[len(base.pdf) :]))
    assert len(names) == len(drawing.fonts) >= 2 and len(set(names)) == len(names)
    assert not {b"S1", b"S3"} & set(names)


def marked_text(tree: Any, texts: dict[str, str]) -> str:
    """The text of a pdf.js structure element's marked content, in reading order."""
    if tree.get("type") == "content":
        return texts.get(tree["id"], "")
    return "".join(marked_text(child, texts) for child in tree.get("children", []))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_pdfjs_and_mupdf_read_the_stamped_slot(sample: Any, lang: str, tmp_path: Path) -> None:
    """A browser's reader finds the patient's name on the page and inside the slot's
    element of the structure tree; MuPDF draws the copy without a warning."""
    require()
    name = "Zoë Ángel-O'Brien"
    _, pdf = leaflets.personal_copy(sample, "hsg", appointment(lang, name=name), keep=False)
    slot = base_of(sample, "hsg", lang).slot
    assert slot is not None
    path = tmp_path / "copy.pdf"
    path.write_bytes(pdf)
    found = run("pdfjs.mjs", path)
    assert name in found["pages"][slot.page].replace("\n", "")
    texts = found["marked"][slot.page]
    assert name in marked_text(found["structTree"][slot.page], texts)
    drawn = subprocess.run(
        ["mutool", "draw", "-q", "-o", str(tmp_path / "p%d.png"), "-r", "20", str(path)], capture_output=True, text=True
    )
    warnings = [line for line in drawn.stderr.splitlines() if "ICC support is not available" not in line]  # Debian's build
    assert drawn.returncode == 0 and not warnings, drawn.stderr


def pdftotext(pdf: bytes, page: int) -> str:
    done = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


@pytest.mark.parametrize("lang", LANGS)
def test_the_slots_text_reads_back(sample: Any, lang: str) -> None:
    a = appointment(lang, location="Riverside Hospital, Level 1", notes="Bring your letter")
    prepared, pdf = leaflets.personal_copy(sample, "hsg", a, keep=False)
    slot = base_of(sample, "hsg", lang).slot
    assert slot is not None
    heading = sample.strings[lang].get("appointment_heading").source
    pypdf_text = PdfReader(io.BytesIO(pdf)).pages[slot.page].extract_text()
    poppler = pdftotext(pdf, slot.page + 1)
    for text in (pypdf_text, poppler):
        squeezed = "".join(text.split())
        for value in ("Mary Jones", "Riverside Hospital", "Bring your letter"):
            assert "".join(value.split()) in squeezed or "".join(reversed(value.split())) in squeezed, (lang, value)
    assert "".join(heading.split()) in "".join(poppler.split())


@pytest.mark.parametrize("lang", ["ar", "hi"])
def test_each_copy_of_a_batch_reads_back_its_own_shaped_text(sample: Any, lang: str) -> None:
    # The shaped glyphs' private-use codes are numbered again for every slot, and font
    # programs and ToUnicode maps are kept across copies: each copy must still read back
    # its own letters, whichever copies came before it.
    slot = base_of(sample, "hsg", lang).slot
    assert slot is not None
    heading = "".join(sample.strings[lang].get("appointment_heading").source.split())
    own = {"ar": ("مستشفى النهر، الطابق 1", "عيادة الشاطئ"), "hi": ("नदी अस्पताल, मंज़िल 2", "तट क्लिनिक")}[lang]
    places = (*own, "Riverside Hospital, Level 3")
    for place in (*places, *reversed(places)):
        _, pdf = leaflets.personal_copy(sample, "hsg", appointment(lang, location=place), keep=False)
        text = re.sub("[\\s\u202a-\u202e\u2066-\u2069]", "", pdftotext(pdf, slot.page + 1))  # bidi marks poppler adds
        assert heading in text and "".join(place.split()) in text, (lang, place)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_pdf_syntax_in_a_patients_values_is_text_in_the_stamp(sample: Any, lang: str) -> None:
    """The stamp's content is rewritten token by token: names, MCIDs and brackets in a
    value are the patient's text, never renamed, renumbered or read as operators."""
    name, notes = r"Sam (O'Neil) \ /F1+0", "Ward /MCID 7 BI <<x>> (2"
    _, pdf = leaflets.personal_copy(sample, "hsg", appointment(lang, name=name, notes=notes), keep=False)
    slot = base_of(sample, "hsg", lang).slot
    assert slot is not None
    for text in (PdfReader(io.BytesIO(pdf)).pages[slot.page].extract_text(), pdftotext(pdf, slot.page + 1)):
        squeezed = "".join(text.split())
        for value in (name, notes):
            assert "".join(value.split()) in squeezed, (lang, value, text)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[slot.page]
        drawn = [
            int(operands[1].MCID)
            for operands, _ in pikepdf.parse_content_stream(page, "BDC")
            if isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]
        ]
        assert sorted(drawn) == list(range(len(drawn)))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(st.sampled_from("abc XYZ()[]<>{}/%\\#0123456789MCIDBIEFT+-."), min_size=1, max_size=40))
def test_any_name_made_of_pdf_syntax_reads_back_from_the_stamp(sample: Any, name: str) -> None:
    name = " ".join(name.split()) or "x"
    _, pdf = leaflets.personal_copy(sample, "hsg", appointment("en", name=name), keep=False)
    slot = base_of(sample, "hsg", "en").slot
    assert slot is not None
    text = "".join(PdfReader(io.BytesIO(pdf)).pages[slot.page].extract_text().split())
    assert "".join(name.split()) in text


def elements(elem: Any) -> list[Any]:
    kids = elem.get("/K")
    if not isinstance(kids, pikepdf.Array):
        kids = [kids] if kids is not None else []
    return [k for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == pikepdf.Name.StructElem]


def mcrs(elem: Any, page: Any) -> list[int]:
    """The MCIDs an element and those inside it hold on a page."""
    out: list[int] = []
    kids = elem.get("/K")
    if not isinstance(kids, pikepdf.Array):
        kids = [kids] if kids is not None else []
    for kid in kids:
        if isinstance(kid, int):
            if elem.get("/Pg") is not None and elem.Pg.objgen == page.objgen:
                out.append(int(kid))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.MCR:
            if kid.Pg.objgen == page.objgen:
                out.append(int(kid.MCID))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.StructElem:
            out.extend(mcrs(kid, page))
    return out


def inside(elem: Any, ancestor: Any) -> bool:
    while elem is not None and "/P" in elem:
        if elem.objgen == ancestor.objgen:
            return True
        elem = elem.P
    return False


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_slots_elements_are_in_reading_order_and_every_mcid_is_referenced_once(sample: Any, lang: str) -> None:
    _, pdf = leaflets.personal_copy(sample, "hsg", appointment(lang, notes="Bring your letter"), keep=False)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        root = doc.Root.StructTreeRoot
        (document,) = elements(root)
        sections = [e for e in elements(document) if e.S == pikepdf.Name.Sect]
        # The status box, the appointment box, the summary: the appointment's after the status, before the summary.
        status, stamped, summary = sections[:3]
        roles = [str(e.S) for e in elements(stamped)]
        assert roles[0] == "/H2" and roles.count("/P") >= 4, roles
        assert "/A" not in stamped
        assert [str(e.S) for e in elements(summary)][0] == "/H2" and mcrs(summary, doc.pages[0].obj)
        for i, page in enumerate(doc.pages):
            drawn = [
                int(operands[1].MCID)
                for operands, operator in pikepdf.parse_content_stream(page, "BDC")
                if isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]
            ]
            referenced = mcrs(document, page.obj)
            assert Counter(drawn) == Counter(referenced), f"page {i + 1}"
            assert sorted(drawn) == list(range(len(drawn))), f"page {i + 1}: MCIDs 0 to n, once each"
            parents = root.ParentTree.Nums[2 * i + 1]
            assert len(parents) == len(drawn)
        # The stamp's MCIDs follow the page's own, and the ParentTree points them to the stamp's elements.
        page = doc.pages[0].obj
        own, others = mcrs(stamped, page), mcrs(status, page) + mcrs(summary, page)
        assert own and min(own) > max(others)
        parents = root.ParentTree.Nums[1]
        assert all(inside(parents[mcid], stamped) for mcid in own)
        assert not any(inside(parents[mcid], stamped) for mcid in others)


def actual_texts(page: Any) -> list[str]:
    return [
        str(operands[1].ActualText)
        for operands, _ in pikepdf.parse_content_stream(page, "BDC")
        if isinstance(operands[1], pikepdf.Dictionary) and "/ActualText" in operands[1]
    ]


@pytest.mark.parametrize("lang", ["ar", "hi"])
def test_shaped_text_keeps_its_actual_text(sample: Any, lang: str) -> None:
    """The stamp's ActualText spans (a left-to-right line's logical text, a letter's dots
    under an empty one) are on the stamped page, after the base page's own."""
    a = appointment(lang, name="फातिमा فاطمة")
    prepared, pdf = leaflets.personal_copy(sample, "hsg", a, keep=False)
    base = base_of(sample, "hsg", lang)
    assert base.slot is not None
    drawing = render_slot(prepared, base.slot)
    with pikepdf.open(io.BytesIO(pdf)) as doc, pikepdf.open(io.BytesIO(base.pdf)) as before, pikepdf.new() as slot:
        stamped, own = actual_texts(doc.pages[base.slot.page]), actual_texts(pikepdf.Stream(slot, drawing.content))
        assert own and stamped == actual_texts(before.pages[base.slot.page]) + own
    if lang == "hi":
        assert sample.strings["hi"].get("appointment_heading").source in own


def test_the_same_appointment_gives_the_same_bytes(sample: Any) -> None:
    a = appointment("hi", notes="Bring your letter")
    _, first = leaflets.personal_copy(sample, "hsg", a, keep=False)
    leaflets._BASES.clear()
    _, again = leaflets.personal_copy(sample, "hsg", a, keep=False)
    assert first == again


def test_a_value_too_long_for_the_slot_names_its_column(sample: Any) -> None:
    """Each value within its line limit, together more than the slot holds: the column
    taking the most lines is named."""
    name = " ".join(["Agnieszka Maria"] * 7)  # two lines
    location = " ".join(["Szpital Miejski, Oddział Radiologii"] * 7)  # three lines
    notes = " ".join(["Proszę przynieść skierowanie i listę leków."] * 10)  # six lines
    with pytest.raises(ValueTooLong) as raised:
        leaflets.personal_copy(sample, "hsg", appointment("pl", name=name, location=location, notes=notes), keep=False)
    assert raised.value.value == "notes"
    assert "slot holds 100 mm" in str(raised.value)


def test_the_tri_fold_has_no_slot_and_is_rendered_whole(sample: Any) -> None:
    assert sample.layouts["trifold"].appointment_slot == 0
    assert sample.layouts["leaflet"].appointment_slot > 0
    assert sample.layouts["large-print"].appointment_slot > sample.layouts["leaflet"].appointment_slot


# The disk cache ---------------------------------------------------------------------------


@pytest.fixture
def fresh(project: Path) -> Path:
    leaflets._BASES.clear()
    return project


def key_of(root: Path, name: str = "hsg", lang: str = "en") -> str:
    project = open_project(root)
    doc = project.documents[(name, lang)]
    return leaflets.cache_key(project, doc, leaflets.personal_layout(project, doc))


def test_the_base_copy_is_kept_on_disk_privately_and_reused(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = open_project(fresh)
    _, first = leaflets.personal_copy(project, "hsg", appointment("en"), keep=True)
    folder = fresh / ".brochure" / "cache" / "pdf"
    files = sorted(folder.iterdir())
    assert [f.suffix for f in files] == [".json", ".pdf"]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    leaflets._BASES.clear()

    def no_render(*args: object, **kw: object) -> None:
        raise AssertionError("the base copy was rendered again")

    monkeypatch.setattr(leaflets, "fit", no_render)
    monkeypatch.setattr(leaflets, "target_of", no_render)  # the record keeps what a stamp changes
    _, again = leaflets.personal_copy(open_project(fresh), "hsg", appointment("en"), keep=True)
    assert again == first


def test_a_copy_from_a_kept_base_loads_no_pikepdf(fresh: Path) -> None:
    leaflets.personal_copy(open_project(fresh), "hsg", appointment("en"), keep=True)
    code = (
        "import datetime, sys\nfrom pathlib import Path\n"
        "from brochure.pipeline import open_project\n"
        "from brochure.mail import leaflets\n"
        "from brochure.mail.appointments import Appointment\n"
        f"appointment = {appointment('en')!r}\n"
        f"_, pdf = leaflets.personal_copy(open_project(Path({str(fresh)!r})), 'hsg', appointment)\n"
        "print(pdf[:5], 'pikepdf' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["b'%PDF-'", "False"]


@pytest.mark.parametrize(
    "spoiled",
    [
        {"target": None},
        {"target": {"size": "x"}},
        {"slot": {"page": 0}},
        {"root": 7},
        {"taken": 3},
        {"taken": "F1"},
        {"factor": "small"},
    ],
)
def test_a_record_that_is_not_whole_renders_the_base_again(fresh: Path, spoiled: dict[str, Any]) -> None:
    project = open_project(fresh)
    _, first = leaflets.personal_copy(project, "hsg", appointment("en"), keep=True)
    (path,) = (fresh / ".brochure" / "cache" / "pdf").glob("*.json")
    record = json.loads(path.read_text(encoding="utf-8"))
    outer = {k: v for k, v in spoiled.items() if k in ("target", "factor")}
    record.update(outer)
    if not outer:
        record["target"].update(spoiled)
    path.write_text(json.dumps(record), encoding="utf-8")
    leaflets._BASES.clear()
    project = open_project(fresh)
    doc = project.documents[("hsg", "en")]
    layout = leaflets.personal_layout(project, doc)
    prepared = leaflets.base_copy(project, doc, layout, False).prepared
    leaflets._BASES.clear()
    assert leaflets.read_cached(project, path.stem, doc, layout, prepared) is None
    assert leaflets.personal_copy(project, "hsg", appointment("en"), keep=True)[1] == first
    assert leaflets.read_cached(project, path.stem, doc, layout, prepared) is not None, "the record is written again"


def test_a_dry_run_keeps_nothing(fresh: Path) -> None:
    leaflets.personal_copy(open_project(fresh), "hsg", appointment("en"), keep=False)
    assert not (fresh / ".brochure" / "cache").exists()


def test_the_cache_never_serves_another_language_or_layout(fresh: Path) -> None:
    project = open_project(fresh)
    leaflets.personal_copy(project, "hsg", appointment("en"), keep=True)
    folder = fresh / ".brochure" / "cache" / "pdf"
    (json_file,) = folder.glob("*.json")
    english = json_file.stem
    spanish = key_of(fresh, lang="es")
    assert spanish != english
    for suffix in (".json", ".pdf"):
        shutil.copy(folder / f"{english}{suffix}", folder / f"{spanish}{suffix}")
    doc = project.documents[("hsg", "es")]
    layout = leaflets.personal_layout(project, doc)
    assert leaflets.read_cached(project, spanish, doc, layout, leaflets.base_copy(project, doc, layout, False).prepared) is None
    large = leaflets.replace(layout, name="large-print")
    assert leaflets.read_cached(project, english, project.documents[("hsg", "en")], large, None) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "change",
    ["content", "translation source", "layout", "clinic", "strings", "logo", "font", "version"],
)
def test_the_cache_key_changes_with_everything_a_base_copy_is_made_from(
    fresh: Path, change: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copy(REPO / "brochure" / "fonts" / "NotoSans-Regular.ttf", fonts)
    monkeypatch.setattr(cache, "FONT_DIR", fonts)
    before = key_of(fresh, lang="es")
    if change == "content":
        edit(fresh / "content" / "hsg" / "es.md", "version:", "version: ")
    elif change == "translation source":
        edit(fresh / "content" / "hsg" / "en.md", "Bring a sanitary pad.", "Bring a pad.")
    elif change == "layout":
        edit_layout(fresh, "leaflet", "slot: 100mm", "slot: 101mm")
    elif change == "clinic":
        edit(fresh / "content" / "clinic.yaml", "name:", "name: ")
    elif change == "strings":
        (fresh / "content" / "i18n").mkdir(exist_ok=True)
        (fresh / "content" / "i18n" / "es.yaml").write_text('appointment_heading: "Su cita"\n', encoding="utf-8")
    elif change == "logo":
        logo = open_project(fresh).clinic.logo
        assert logo is not None
        logo.write_bytes(logo.read_bytes() + b"\n")
    elif change == "font":
        font = fonts / "NotoSans-Regular.ttf"
        font.write_bytes(font.read_bytes() + b"\0")
    else:
        monkeypatch.setattr(brochure, "__version__", brochure.__version__ + ".1")
    assert key_of(fresh, lang="es") != before


def test_an_edited_document_is_rendered_again(fresh: Path) -> None:
    _, first = leaflets.personal_copy(open_project(fresh), "hsg", appointment("en"), keep=True)
    edit(fresh / "content" / "hsg" / "en.md", "Bring a sanitary pad.", "Bring a sanitary pad or two.")
    _, again = leaflets.personal_copy(open_project(fresh), "hsg", appointment("en"), keep=True)
    assert again != first
    assert "or two" in "".join(PdfReader(io.BytesIO(again)).pages[0].extract_text().split()) or "ortwo" in "".join(
        PdfReader(io.BytesIO(again)).pages[0].extract_text().split()
    )
    cache = fresh / ".brochure" / "cache" / "pdf"
    assert [p.stem for p in cache.glob("*.pdf")] == [key_of(fresh)], "the earlier version's copy is pruned"
    assert [p.stem for p in cache.glob("*.json")] == [key_of(fresh)]
    leaflets.personal_copy(open_project(fresh), "hsg", appointment("es"), keep=True)
    assert len(list(cache.glob("*.pdf"))) == 2, "another language's copy is kept beside it"


def to_unicode_texts(pdf: bytes, page: int) -> set[str]:
    """The texts the page's fonts' ToUnicode maps give their codes (one glyph may stand
    for several letters: a shaped cluster)."""
    texts = set()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for font in doc.pages[page].Resources.Font.values():
            if "/ToUnicode" in font:
                cmap = font.ToUnicode.read_bytes().decode("latin-1")
                texts |= {
                    bytes.fromhex(h).decode("utf-16-be") for h in re.findall(r"^<[0-9A-F]{2}> <((?:[0-9A-F]{4})+)>$", cmap, re.M)
                }
    return texts


@pytest.mark.parametrize(
    ("lang", "name", "font", "cluster"),
    [
        ("en", "فاطمة الزهراء", "NotoSansArabic-Bold", None),
        ("zh-Hans", "فاطمة الزهراء", "NotoSansArabic-Bold", None),
        ("es", "प्रिया शर्मा", "NotoSans-Bold", "प्रि"),
        ("pl", "प्रिया शर्मा", "NotoSans-Bold", "प्रि"),
    ],
)
def test_a_name_in_a_complex_script_is_shaped_in_any_leaflet(
    sample: Any, lang: str, name: str, font: str, cluster: str | None
) -> None:
    # An Arabic or Hindi name in a leaflet whose own script is not shaped: shaped by
    # HarfBuzz (Hindi: one glyph standing for a cluster of letters), right to left
    # within its line where Arabic (it reads back in the order it is written, where
    # unshaped it read back reversed), and bold as any name is.
    _, pdf = leaflets.personal_copy(sample, "hsg", appointment(lang, name=name), keep=False)
    slot = base_of(sample, "hsg", lang).slot
    assert slot is not None
    text = re.sub("[\\s\u202a-\u202e\u2066-\u2069]", "", pdftotext(pdf, slot.page + 1))
    assert "".join(name.split()) in text, (lang, text)
    assert cluster is None or cluster in to_unicode_texts(pdf, slot.page), "the name is shaped"
    with pymupdf.open(stream=pdf) as doc:
        spans = [s for b in doc[slot.page].get_text("dict")["blocks"] for line in b.get("lines", []) for s in line["spans"]]
    drawn = {s["font"] for s in spans if set(s["text"]) & set(name.replace(" ", ""))}
    assert drawn == {font}, drawn


def test_chinese_values_break_between_characters_in_the_box(sample: Any) -> None:
    # A Chinese note or name has no spaces: it is not one word too wide for the box, its
    # lines break between characters, as the leaflet's own text does.
    notes = "请在预约时间前三十分钟到达放射科接待处，并带上您的转诊信、医保卡和目前正在服用的所有药物。"
    name = "欧阳诸葛司马上官端木令狐皇甫尉迟公孙慕容长孙宇文司徒夏侯轩辕东方西门南宫北堂百里呼延"
    _, pdf = leaflets.personal_copy(sample, "hsg", appointment("zh-Hans", name=name, notes=notes), keep=False)
    slot = base_of(sample, "hsg", "zh-Hans").slot
    assert slot is not None
    lines = pdftotext(pdf, slot.page + 1).splitlines()
    text = "".join("".join(lines).split())
    assert notes in text and name in text
    assert not any(notes in line or name in line for line in lines), "each takes more than one line"
