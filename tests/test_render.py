"""What a reader checks on the page: text, order, footer, fonts, size, metadata."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
import yaml
from conftest import SAMPLE_DOCS, edit_layout, page_texts
from pypdf import PdfReader

import brochure
from brochure.load.project import layout_name, load_project

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


def words_of(page: pdfplumber.page.Page) -> list[dict]:
    return page.extract_words(keep_blank_chars=False, extra_attrs=["fontname", "size"])


def long_date(day: date) -> str:
    """A date as the English footer prints it: 1 December 2026."""
    return f"{day.day} {day:%B %Y}"


@pytest.mark.parametrize("doc", SAMPLE_DOCS)
def test_every_page_has_footer_with_page_numbers(built: Path, doc: str) -> None:
    project, problems = load_project(built.parent)
    assert not problems
    sample = project.documents[(doc, "en")]
    limit = project.layouts[layout_name(sample)].page_limit
    texts = page_texts(built / "en" / f"{doc}.pdf")
    assert 1 <= len(texts) <= limit, f"{doc} has {len(texts)} pages; its layout allows {limit}"
    meta = sample.meta
    for number, text in enumerate(texts, 1):
        assert f"Page {number} of {len(texts)}" in text
        assert "Riverside Women's Health Clinic" in text
        assert f"Version {meta.version}" in text
        assert f"Published {long_date(meta.published)}" in text
        assert f"Review due {long_date(meta.review_due)}" in text


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (
            "hsg",
            [
                "Your HSG test",
                "What is an HSG?",
                "When to get help",
                "Contact us",
                "Sources",
                "day 5 to day 12",
                "30 to 60 minutes",
                "01632 960 123",
                "NHS 111",
            ],
        ),
        (
            "hysteroscopy",
            ["hysteroscopy", "When to get help", "Contact us", "Sources", "1 in 10 to 1 in 100", "1 in 1,000", "01632 960 123"],
        ),
        (
            "hsg-vs-hysteroscopy",
            [
                "HSG or hysteroscopy?",
                "Which test is right for me?",
                "When to get help",
                "Questions to ask",
                "What it shows",
                "Risks",
                "Contact us",
            ],
        ),
    ],
)
def test_headings_and_key_facts_are_on_the_page(built: Path, doc: str, expected: list[str]) -> None:
    text = " ".join(page_texts(built / "en" / f"{doc}.pdf"))
    text = re.sub(r"\s+", " ", text)
    for phrase in expected:
        assert phrase.lower() in text.lower(), f"{phrase!r} missing from {doc}"


def test_draft_status_is_shown(built: Path) -> None:
    for doc in SAMPLE_DOCS:
        assert "not checked by a clinician" in page_texts(built / "en" / f"{doc}.pdf")[0]


@pytest.mark.parametrize("doc", SAMPLE_DOCS)
def test_all_fonts_embedded_truetype_no_helvetica(built: Path, doc: str) -> None:
    reader = PdfReader(built / "en" / f"{doc}.pdf")
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts
    for name, font in fonts.items():
        assert "Helvetica" not in name and "Times" not in name and "Courier" not in name
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{name} is not an embedded TrueType font"
        assert re.match(r"^/[A-Z]{6}\+", name), f"{name} is not subset"


@pytest.mark.parametrize("doc", SAMPLE_DOCS)
def test_text_is_at_least_12pt_and_left_aligned(built: Path, doc: str) -> None:
    with pdfplumber.open(built / "en" / f"{doc}.pdf") as pdf:
        for page in pdf.pages:
            sizes = {round(c["size"], 1) for c in page.chars if c["text"].strip()}
            assert min(sizes) >= 12, f"text below 12pt on page {page.page_number}: {sorted(sizes)[:3]}"


def test_body_lines_start_at_the_left_margin(built: Path) -> None:
    with pdfplumber.open(built / "en" / "hsg.pdf") as pdf:
        page = pdf.pages[0]
        lines = page.extract_text_lines()
        starts = [round(line["x0"]) for line in lines if line["chars"][0]["size"] == 12]
    margin = min(starts)
    # Most body lines start at the margin: ragged right, never justified or centred.
    assert starts.count(margin) > len(starts) / 3


def sample_facts(root: Path) -> tuple[list[str], dict[str, str], dict[str, str]]:
    """The comparison's rows and the two leaflets' facts, as plain text."""
    project, problems = load_project(root)
    assert not problems
    comparison = project.documents[("hsg-vs-hysteroscopy", "en")]
    facts = [
        {k: v.source.replace("*", "") for k, v in project.documents[(name, "en")].facts.items()}
        for name in ("hsg", "hysteroscopy")
    ]
    return list(comparison.rows), facts[0], facts[1]


def first_words(text: str, n: int = 3) -> str:
    return " ".join(text.split()[:n])


def test_comparison_columns_label_then_hsg_then_hysteroscopy(built: Path) -> None:
    rows, hsg, hysteroscopy = sample_facts(built.parent)
    labels = {key: PdfLabel[key] for key in rows}
    found = 0
    with pdfplumber.open(built / "en" / "hsg-vs-hysteroscopy.pdf") as pdf:
        for page in pdf.pages:
            for key in rows:
                # The label in the label column (a cell's text may contain it too).
                label = [m for m in page.search(labels[key]) if m["x0"] < page.width / 4]
                left = page.search(first_words(hsg[key]))
                right = page.search(first_words(hysteroscopy[key]))
                if not label:
                    continue
                # The row: label, then HSG, then hysteroscopy, top-aligned on one line.
                row_top = label[0]["top"]
                left_x = min(m["x0"] for m in left if abs(m["top"] - row_top) < 2)
                right_x = max(m["x0"] for m in right if abs(m["top"] - row_top) < 2)
                assert label[0]["x1"] < left_x < right_x - 100, key
                found += 1
            if page.search("Hysteroscopy"):
                head_hsg = page.search("HSG")[0]
                assert head_hsg["x0"] < page.search("Hysteroscopy")[0]["x0"]
    assert found == len(rows)


PdfLabel = {
    "what_it_shows": "What it shows",
    "how_it_is_done": "How it is done",
    "anaesthesia": "Anaesthetic",
    "pain": "Pain",
    "duration": "How long",
    "timing": "When it is done",
    "preparation": "Before the test",
    "risks": "Risks",
    "can_treat": "Can it treat",
    "results": "Results",
}


def test_comparison_rows_match_the_leaflets_facts(built: Path) -> None:
    rows, hsg, hysteroscopy = sample_facts(built.parent)
    assert len(rows) == 10
    with pdfplumber.open(built / "en" / "hsg-vs-hysteroscopy.pdf") as pdf:
        for key in rows:
            for phrase in (PdfLabel[key], first_words(hsg[key]), first_words(hysteroscopy[key])):
                assert any(page.search(phrase) for page in pdf.pages), f"{phrase!r} of row {key} not found"


def test_page_size_a4_by_default_and_letter_on_request(project: Path) -> None:
    a4 = brochure.build(project, docs=["hsg"])[0]
    box = PdfReader(a4).pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == A4
    letter = brochure.build(project, docs=["hsg"], paper="letter", output=project / "letter")[0]
    for page in PdfReader(letter).pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == LETTER


def test_metadata_language_and_bookmarks(built: Path) -> None:
    reader = PdfReader(built / "en" / "hsg.pdf")
    source = (built.parent / "content" / "hsg" / "en.md").read_text(encoding="utf-8")
    meta = reader.metadata
    assert meta.title == "Your HSG test"
    assert meta.author == "Riverside Women's Health Clinic"
    assert meta.subject == re.search(r"^subtitle: (.+)$", source, flags=re.M).group(1)
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles == re.findall(r"^## (.+)$", source, flags=re.M)
    # Each bookmark points at the page its heading is on.
    texts = page_texts(built / "en" / "hsg.pdf")
    for item in reader.outline:
        if isinstance(item, list):
            continue
        page = reader.get_destination_page_number(item)
        assert item.title in texts[page].replace("\n", " ")


def test_comparison_header_repeats_on_every_page_of_the_table(project: Path) -> None:
    # Make the table long enough to break across pages: every fact three times as long.
    for leaflet in ("hsg", "hysteroscopy"):
        path = project / "content" / leaflet / "en.md"
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        data = yaml.safe_load(front)
        for key in data["facts"]:
            data["facts"][key] = " ".join([data["facts"][key]] * 3)
        front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
    edit_layout(project, "comparison", "limit: 3", "limit: 6")
    pdf = brochure.build(project, docs=["hsg-vs-hysteroscopy"])[0]
    with pdfplumber.open(pdf) as doc:
        tables = {p: [t for t in p.find_tables() if len(t.rows[0].cells) == 3] for p in doc.pages}
        pages_with_table = [p for p in doc.pages if tables[p]]
        assert len(pages_with_table) >= 2
        for page in pages_with_table:
            first_row = tables[page][0].rows[0]
            assert [page.crop(c).extract_text() for c in first_row.cells[1:]] == ["HSG", "Hysteroscopy"]


def test_two_builds_are_byte_identical(project: Path, tmp_path: Path) -> None:
    first = [p.read_bytes() for p in brochure.build(project, output=tmp_path / "a")]
    second = [p.read_bytes() for p in brochure.build(project, output=tmp_path / "b")]
    assert first == second


def test_pdf_date_comes_from_content_or_source_date_epoch(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    published = load_project(project)[0].documents[("hsg", "en")].meta.published
    pdf = brochure.build(project, docs=["hsg"])[0]
    assert PdfReader(pdf).metadata["/CreationDate"].startswith(f"D:{published:%Y%m%d}")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pdf = brochure.build(project, docs=["hsg"])[0]
    assert PdfReader(pdf).metadata["/CreationDate"].startswith("D:20231114")
