"""Layout geometry as a reader sees it: page limits in every layout, tri-fold panels all
used, large-print footers on two lines, figure labels that cannot overlap, and running
text at a comfortable measure."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
from conftest import REPO, copy_project
from pypdf import PdfReader

import brochure
from brochure.document import Figure, FigureLabel, Text
from brochure.pipeline import open_project
from brochure.prepare.prepare import prepare
from brochure.scripts import SCRIPTS
from brochure.write.pdf.builder import Builder
from brochure.write.pdf.figures import FigureFlowable, stack
from brochure.write.pdf.fonts import register
from brochure.write.pdf.styles import styles_for
from brochure.write.pdf.tagging import Tagger

LANGS = ("en", "es", "pl", "vi", "ar", "zh-Hans", "hi")
LEAFLETS = ("hsg", "hysteroscopy")
COMPARISON = "hsg-vs-hysteroscopy"
LATIN_AND_DEVANAGARI = ("en", "es", "pl", "vi", "hi")


def load_measure():  # type: ignore[no-untyped-def]
    """tools/measure.py, the measure of built PDFs."""
    spec = importlib.util.spec_from_file_location("measure", REPO / "tools" / "measure.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["measure"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The leaflets in every language as tri-folds, in large print and on Letter."""
    root = copy_project(tmp_path_factory.mktemp("variants"))
    for layout in ("trifold", "large-print"):
        brochure.build(root, docs=list(LEAFLETS), langs=list(LANGS), layout=layout, formats=["pdf"])
    brochure.build(root, docs=[*LEAFLETS, COMPARISON], langs=list(LANGS), paper="letter", formats=["pdf"])
    return root / "output"


@pytest.mark.parametrize("suffix", ["trifold", "large-print", "letter"])
def test_every_variant_stays_within_its_page_limit(variants: Path, suffix: str) -> None:
    project = open_project(REPO)
    limit = project.layouts["leaflet" if suffix == "letter" else suffix].page_limit
    pdfs = sorted(pdf for pdf in variants.glob(f"*/*.{suffix}.pdf") if not pdf.name.startswith(COMPARISON))
    assert len(pdfs) == len(LANGS) * len(LEAFLETS)
    for pdf in pdfs:
        assert 1 <= len(PdfReader(pdf).pages) <= limit, f"{pdf.parent.name}/{pdf.name} is longer than {limit} pages"


def test_no_trifold_panel_is_empty(variants: Path) -> None:
    pdfs = sorted(variants.glob("*/*.trifold.pdf"))
    assert len(pdfs) == len(LANGS) * len(LEAFLETS)
    for pdf in pdfs:
        with pdfplumber.open(pdf) as doc:
            for number, page in enumerate(doc.pages, 1):
                third = page.width / 3
                for panel in range(3):
                    # Below the status band, above the foot: the panel's own text.
                    text = page.crop((panel * third, 60, (panel + 1) * third, page.height - 20)).extract_text() or ""
                    assert len(text.strip()) > 20, f"{pdf.parent.name}/{pdf.name} side {number} panel {panel + 1} is empty"


def test_trifold_last_panel_has_room_for_questions(variants: Path) -> None:
    with pdfplumber.open(variants / "en" / "hsg.trifold.pdf") as doc:
        page = doc.pages[1]
        last = page.crop((page.width * 2 / 3, 0, page.width, page.height)).extract_text() or ""
    assert "Your questions and notes" in last
    assert "Write down anything you want to ask us" in last


def test_clinic_name_keeps_its_last_word_on_the_trifold_cover(variants: Path) -> None:
    for lang in LANGS:
        with pdfplumber.open(variants / lang / "hsg.trifold.pdf") as doc:
            page = doc.pages[0]
            left = 0 if lang == "ar" else page.width * 2 / 3  # the cover is mirrored right to left
            cover = page.crop((left, 0, left + page.width / 3, page.height / 4)).extract_text() or ""
        lines = [line.strip() for line in cover.splitlines()]
        assert "Clinic" not in lines, f"{lang}: 'Clinic' alone on a line of the cover"
        assert any(line.endswith("Health Clinic") for line in lines), f"{lang}: {lines}"


def test_large_print_footer_is_two_lines_with_the_review_date_whole(variants: Path) -> None:
    project = open_project(REPO)
    layout = project.layouts["large-print"]
    for lang in LANGS:
        doc = prepare(project, project.documents[("hsg", lang)], layout, None, [])
        family = register(SCRIPTS[doc.script].family or layout.font)
        builder = Builder(doc, styles_for(doc, family), 1, Tagger().root)
        width = 210 / 25.4 * 72 - layout.margins[1] - layout.margins[3]
        start, end = builder.footer(10, 10)
        lines = sum(round(para.wrap(width, 1000)[1] / para.style.leading) for para in start + end)
        assert lines <= 2, f"{lang}: the large-print footer takes {lines} lines"
    with pdfplumber.open(variants / "en" / "hsg.large-print.pdf") as pdf:
        foot = pdf.pages[0].crop((0, pdf.pages[0].height - 90, pdf.pages[0].width, pdf.pages[0].height)).extract_text()
    assert "Review due 1 December 2028" in (foot or "").splitlines()


def test_stacked_labels_never_overlap() -> None:
    heights = [40.0, 40.0, 40.0, 40.0]  # four tall labels in a column that spreads them 40pt apart
    bottoms = stack(heights, 160.0, 4.0)
    for upper, lower in zip(bottoms, bottoms[1:], strict=False):
        assert lower + 40.0 + 4.0 <= upper + 1e-6
    assert min(bottoms) >= 0
    assert stack([10.0], 100.0, 4.0) == [45.0]


@pytest.mark.parametrize("lang", LANGS)
def test_figure_labels_do_not_overlap_in_large_print(lang: str) -> None:
    project = open_project(REPO)
    layout = project.layouts["large-print"]
    doc = prepare(project, project.documents[("hysteroscopy", lang)], layout, None, [])
    family = register(SCRIPTS[doc.script].family or layout.font)
    builder = Builder(doc, styles_for(doc, family), 470, Tagger().root)
    (figure,) = doc.part("figure")
    assert isinstance(figure, Figure)
    flowable = builder.figure(figure)
    assert isinstance(flowable, FigureFlowable)
    flowable.wrap(470, 800)
    label_w = flowable.label_width()
    heights = flowable.label_heights(label_w)
    for side in ("left", "right"):
        column = [h for label, h in zip(figure.labels, heights, strict=True) if label.side == side]
        bottoms = stack(column, flowable.height, flowable.gap())
        boxes = sorted(zip(bottoms, column, strict=True), reverse=True)
        for (b1, _), (b2, h2) in zip(boxes, boxes[1:], strict=False):
            assert b2 + h2 < b1, f"{lang}: two {side} labels overlap"
        assert all(0 <= b and b + h <= flowable.height + 1e-6 for b, h in boxes), f"{lang}: a label leaves the figure"


def test_a_long_label_makes_the_figure_taller() -> None:
    project = open_project(REPO)
    layout = project.layouts["leaflet"]
    doc = prepare(project, project.documents[("hsg", "en")], layout, None, [])
    family = register(layout.font)
    builder = Builder(doc, styles_for(doc, family), 470, Tagger().root)
    (figure,) = doc.part("figure")
    assert isinstance(figure, Figure)
    short = builder.figure(figure)
    long_labels = tuple(
        FigureLabel(label.id, (Text("a label long enough to wrap over many lines " * 3),), label.side, label.anchor)
        for label in figure.labels
    )
    tall = builder.figure(replace(figure, labels=long_labels))
    assert tall.wrap(470, 800)[1] > short.wrap(470, 800)[1]


def test_the_comparison_keeps_its_three_pages_on_letter(variants: Path) -> None:
    limit = open_project(REPO).layouts["comparison"].page_limit
    for lang in LANGS:
        pdf = variants / lang / f"{COMPARISON}.letter.pdf"
        assert len(PdfReader(pdf).pages) <= limit, f"{lang}: the comparison on Letter is longer than {limit} pages"


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_body_text_runs_60_to_80_characters_a_line(built_all_langs: Path, variants: Path, paper: str) -> None:
    measure = load_measure()
    for lang in LATIN_AND_DEVANAGARI:
        for name in (*LEAFLETS, COMPARISON):
            pdf = built_all_langs / lang / f"{name}.pdf" if paper == "a4" else variants / lang / f"{name}.letter.pdf"
            median, lines = measure.measure(pdf)
            assert lines >= 15, f"{pdf}: only {lines} full lines of body text found"
            assert 60 <= median <= 80, f"{lang} {name} on {paper}: {median} characters a line"


def frame_words(page: pdfplumber.page.Page, margins: tuple[float, float, float, float]) -> list[dict]:  # type: ignore[type-arg]
    """The words inside a page's frame: not the status band above it, not the footer below."""
    top, _, bottom, _ = margins
    return page.crop((0, top, page.width, page.height - bottom)).extract_words()  # type: ignore[no-any-return]


def last_page_share(pdf: Path | bytes, margins: tuple[float, float, float, float]) -> tuple[int, float]:
    """A PDF's page count and how much of its last page's frame its text spans."""
    import io

    with pdfplumber.open(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf) as doc:
        page = doc.pages[-1]
        words = frame_words(page, margins)
        frame = page.height - margins[0] - margins[2]
        span = max(w["bottom"] for w in words) - min(w["top"] for w in words) if words else 0.0
        return len(doc.pages), span / frame


@pytest.mark.parametrize("suffix", ["large-print", "letter"])
def test_no_last_page_is_all_but_empty(variants: Path, suffix: str) -> None:
    project = open_project(REPO)
    margins = project.layouts["leaflet" if suffix == "letter" else suffix].margins
    for pdf in sorted(variants.glob(f"*/*.{suffix}.pdf")):
        pages, share = last_page_share(pdf, margins)
        assert pages == 1 or share >= 0.2, f"{pdf.parent.name}/{pdf.name}: the last page holds {share:.0%} of a page"


def test_personalised_copies_fit_and_end_on_a_page_worth_having() -> None:
    import datetime as dt

    from brochure.mail.appointments import Appointment
    from brochure.mail.leaflets import personal_copy

    project = open_project(REPO)
    layout = project.layouts["leaflet"]
    for i, lang in enumerate(LANGS):
        name = LEAFLETS[i % 2]
        appointment = Appointment(
            f"a{i}", "Mary Jones", "a@example.org", lang, (name,), "HSG", dt.date(2027, 3, 12), dt.time(9, 30),
            "X-ray department, Level 1", "", "", 2,
        )  # fmt: skip
        _, pdf = personal_copy(project, name, appointment, keep=False)
        pages, share = last_page_share(pdf, layout.margins)
        assert pages <= layout.personal_limit, f"{name} [{lang}]: {pages} pages"
        assert share >= 0.2, f"{name} [{lang}]: the last of {pages} pages holds {share:.0%} of a page"


def test_large_print_qr_code_opens_the_large_print_view(variants: Path) -> None:
    import pypdfium2 as pdfium
    import zxingcpp

    doc = pdfium.PdfDocument(variants / "en" / "hsg.large-print.pdf")
    found = [r.text for page in doc for r in zxingcpp.read_barcodes(page.render(scale=3).to_pil())]
    assert found == ["https://riverside-clinic.example/leaflets/en/hsg.html#large-print"]


def test_the_online_copy_has_a_large_print_view(built_all_langs: Path) -> None:
    page = (built_all_langs / "en" / "hsg.html").read_text(encoding="utf-8")
    assert '<body id="large-print">' in page
    assert ":root:has(body#large-print:target) { font-size: 150%; }" in page


def test_no_page_ends_with_a_heading_and_one_line_of_a_paragraph(built_all_langs: Path, variants: Path) -> None:
    """A heading at the foot of a page has a whole paragraph or two lines of one after it,
    never one line that the next page goes on with (a line not ending a sentence)."""
    import pymupdf

    project = open_project(REPO)
    pdfs = [(built_all_langs / lang / f"{name}.pdf", project.layouts["leaflet"]) for lang in LANGS for name in LEAFLETS]
    pdfs += [(pdf, project.layouts["large-print"]) for pdf in sorted(variants.glob("*/*.large-print.pdf"))]
    assert len(pdfs) == 2 * len(LANGS) * len(LEAFLETS)
    for pdf, layout in pdfs:
        top, _, bottom, _ = layout.margins
        with pymupdf.open(pdf) as doc:
            for number, page in enumerate(doc, 1):
                if number == len(doc):
                    continue
                rows: dict[int, tuple[bool, str]] = {}  # each line's top: whether a heading, its text
                for block in page.get_text("dict")["blocks"]:
                    for line in block.get("lines", ()):
                        spans = [s for s in line["spans"] if s["text"].strip()]
                        x0, y0, x1, y1 = line["bbox"]
                        if spans and top < y0 and y1 < page.rect.height - bottom:
                            heading = all(s["size"] >= layout.h3_size - 0.5 and "Bold" in s["font"] for s in spans)
                            was = rows.get(round(y0 / 3), (False, ""))
                            rows[round(y0 / 3)] = (was[0] or heading, was[1] + "".join(s["text"] for s in spans))
                ordered = [rows[y] for y in sorted(rows)]
                assert not ordered[-1][0], f"{pdf.parent.name}/{pdf.name} page {number} ends with a heading"
                (before, _), (_, text) = ordered[-2], ordered[-1]
                ends = {text.strip()[:1], text.strip()[-1:]}  # a right-to-left line may read back either way
                assert not (before and not ends & set(".!?:。！？：।؟")), (
                    f"{pdf.parent.name}/{pdf.name} page {number} ends with a heading and one line of a paragraph"
                )


def test_the_help_box_is_kept_whole_on_one_page(built_all_langs: Path, variants: Path) -> None:
    """What to look out for and whom to call stay together: the help box moves whole to
    the next page (or panel) rather than run on, its heading drawn again there."""
    import pymupdf

    pdfs = [built_all_langs / lang / f"{name}.pdf" for lang in LANGS for name in LEAFLETS]
    pdfs += sorted(pdf for pdf in variants.glob("*/*.pdf") if not pdf.name.startswith(COMPARISON))
    assert len(pdfs) == 4 * len(LANGS) * len(LEAFLETS)
    for pdf in pdfs:
        lang, name = pdf.parent.name, pdf.name.split(".")[0]
        source = (REPO / "content" / name / f"{lang}.md").read_text(encoding="utf-8")
        title = next(line[len("::: help ") :].strip() for line in source.splitlines() if line.startswith("::: help "))
        with pymupdf.open(pdf) as doc:
            drawn = sum(page.get_text().replace("\n", " ").count(title) for page in doc)
        assert drawn == 1, f"{lang}/{pdf.name}: the help box's heading is drawn {drawn} times"


def test_the_notes_panel_is_for_paper_only() -> None:
    from brochure.write.html.writer import render_html

    project = open_project(REPO)
    doc = prepare(project, project.documents[("hsg", "en")], project.layouts["trifold"], None, [])
    assert "Your questions and notes" not in render_html(doc)


def test_english_sources_in_an_arabic_leaflet_are_set_left_to_right(built_all_langs: Path) -> None:
    with pdfplumber.open(built_all_langs / "ar" / "hsg.pdf") as doc:
        page = doc.pages[-1]
        words = page.extract_words()
    [nice] = [w for w in words if w["text"] == "NICE"]
    bullets = [w for w in words if w["text"] == "•" and abs(w["bottom"] - nice["bottom"]) < 8]
    assert nice["x0"] < page.width / 4, "an English source starts at the left margin"
    assert bullets and bullets[0]["x1"] <= nice["x0"], "its bullet is on its left"


def test_chinese_labels_leave_the_drawing_its_room() -> None:
    # ReportLab measures a Chinese label as one word: its columns took the drawing's room.
    project = open_project(REPO)
    layout = project.layouts["leaflet"]
    doc = prepare(project, project.documents[("hysteroscopy", "zh-Hans")], layout, None, [])
    family = register(SCRIPTS[doc.script].family)
    builder = Builder(doc, styles_for(doc, family), 470, Tagger().root)
    (figure,) = doc.part("figure")
    assert isinstance(figure, Figure)
    flowable = builder.figure(figure)
    flowable.wrap(235, 800)
    assert flowable.label_width() <= 0.3 * flowable.width
