"""Print production: tri-fold, large print, print marks, QR codes, overflow, figures."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
import zxingcpp
from conftest import REPO, edit_layout
from pypdf import PdfReader
from structure import read_tree

import brochure
from brochure.load.project import load_project

MM = 72 / 25.4
TABLOID_LANDSCAPE = (1224.0, 792.0)  # a tri-fold's sheet is twice the clinic's paper


def third(x: float, width: float) -> int:
    """Which panel (0, 1, 2 from the left) an x position is in."""
    return min(int(x / (width / 3)), 2)


def headings_of(project: Path, doc: str) -> list[str]:
    """The ## headings of a leaflet of the project, in order."""
    return re.findall(r"(?m)^## (.+)$", (project / "content" / doc / "en.md").read_text(encoding="utf-8"))


def test_trifold_is_landscape_with_panels_in_letter_fold_order(project: Path, cli) -> None:
    headings = headings_of(project, "hsg")
    result = cli("-C", project, "build", "hsg", "--layout", "trifold", "--paper", "letter")
    assert result.exit_code == 0, result.output
    pdf = project / "output" / "en" / "hsg.trifold.letter.pdf"
    assert pdf.is_file() and (project / "output" / "en" / "hsg.pdf").exists() is False
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) == 2
        outside, inside = doc.pages
        assert (outside.width, outside.height) == TABLOID_LANDSCAPE
        title = outside.search("Your HSG test")[0]
        contact = outside.search("Contact us")[0]
        first_heading = outside.search(headings[0])[0]
        assert third(title["x0"], outside.width) == 2, "cover on the right of the outside"
        assert third(contact["x0"], outside.width) == 1, "contacts on the back, in the middle"
        assert third(first_heading["x0"], outside.width) == 0, "content starts on the flap"
        # Then it goes on over the inside panels, left to right, in reading order.
        places = []
        for heading in headings:
            found = outside.search(heading)
            if found:
                assert third(found[0]["x0"], outside.width) == 0, f"{heading!r} is on the flap or inside"
                places.append((0, 0))
            else:
                found = inside.search(heading)
                assert found, f"{heading!r} is on neither side"
                places.append((1, third(found[0]["x0"], inside.width)))
        assert places == sorted(places) and places[-1][0] == 1, places


def test_trifold_on_a4_is_an_a3_sheet(project: Path) -> None:
    pdf = brochure.build(project, docs=["hysteroscopy"], layout="trifold", paper="a4")[0]
    box = PdfReader(pdf).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (1191, 842)


def test_layout_for_the_wrong_kind_of_document_is_a_usage_error(project: Path, cli) -> None:
    result = cli("-C", project, "build", "hsg-vs-hysteroscopy", "--layout", "trifold")
    assert result.exit_code == 2 and "layout 'trifold' is for a leaflet" in result.output
    assert cli("-C", project, "build", "--layout", "trifolde").exit_code == 2


def test_large_print_is_16pt_or_more_everywhere(project: Path) -> None:
    for pdf in brochure.build(project, layout="large-print", langs=["en", "ar", "zh-Hans"], formats=["pdf"]):
        with pdfplumber.open(pdf) as doc:
            sizes = {round(c["size"], 1) for page in doc.pages for c in page.chars if c["text"].strip()}
        assert min(sizes) >= 16, f"{pdf.name}: {sorted(sizes)[:3]}"
        assert pdf.name.endswith(".large-print.pdf")


def test_print_marks_set_trim_bleed_and_media_boxes(project: Path) -> None:
    pdf = brochure.build(project, docs=["hsg"], print_marks=True)[0]
    assert pdf.name == "hsg.print.pdf"
    page = PdfReader(pdf).pages[0]
    trim = [float(v) for v in page.trimbox]
    bleed = [float(v) for v in page.bleedbox]
    media = [float(v) for v in page.mediabox]
    width, height = 595.2756, 841.8898
    assert trim[2] - trim[0] == pytest.approx(width, abs=0.01) and trim[3] - trim[1] == pytest.approx(height, abs=0.01)
    assert [b - t for b, t in zip(bleed, trim, strict=True)] == pytest.approx([-3 * MM, -3 * MM, 3 * MM, 3 * MM], abs=0.01)
    assert media[0] < bleed[0] and media[2] > bleed[2], "room for crop marks outside the bleed"
    # The brand band is printed into the bleed: colour at the bleed edge above the trim.
    image = pdfium.PdfDocument(pdf)[0].render(scale=1).to_pil().convert("RGB")
    x = int(media[2] / 2)
    y = int(media[3] - (trim[3] + 1.5 * MM))  # 1.5 mm above the trim edge, inside the bleed
    pixel = image.getpixel((x, y))  # the primary colour, in the CMYK the profile gives for print
    assert all(abs(a - b) < 25 for a, b in zip(pixel, (31, 95, 116), strict=True)), pixel


def decode_qr(pdf: Path) -> list[str]:
    """The text of every QR code on any page."""
    doc = pdfium.PdfDocument(pdf)
    return [r.text for page in doc for r in zxingcpp.read_barcodes(page.render(scale=4).to_pil())]


@pytest.mark.parametrize(("doc", "lang"), [("hsg", "en"), ("hysteroscopy", "ar"), ("hsg-vs-hysteroscopy", "zh-Hans")])
def test_qr_code_decodes_to_the_online_copy(project: Path, doc: str, lang: str) -> None:
    pdf, page = brochure.build(project, docs=[doc], langs=[lang])
    assert f"https://riverside-clinic.example/leaflets/{lang}/{doc}.html" in decode_qr(pdf)
    assert page.name == f"{doc}.html" and page.parent == pdf.parent, "the QR code opens the page built beside the PDF"


def test_qr_caption_in_the_language(project: Path) -> None:
    pdf = brochure.build(project, docs=["hsg"], langs=["es"])[0]
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    caption = re.search(r"^qr_caption: (.+)$", (REPO / "brochure" / "defaults" / "i18n" / "es.yaml").read_text(), re.M).group(1)
    assert caption.split()[0] in text


def test_oversized_leaflet_fails_with_the_overflow(project: Path, cli) -> None:
    path = project / "content" / "hsg" / "en.md"
    path.write_text(path.read_text() + "\n## More\n\n" + ("This sentence makes the leaflet longer. " * 40 + "\n\n") * 14)
    result = cli("-C", project, "build", "hsg")
    assert result.exit_code == 1
    line = result.output.strip().splitlines()[0]
    assert "'hsg' in 'en' with layout 'leaflet' does not fit its 4 pages: it overflows by" in line
    assert re.search(r"overflows by \d+ mm \(about \d+ lines of text\)", line)
    assert "--fit" in line
    assert not (project / "output" / "en" / "hsg.pdf").exists()


def test_fit_shrinks_but_never_below_the_minimum(project: Path, cli) -> None:
    pages = len(PdfReader(brochure.build(project, docs=["hsg"])[0]).pages)
    # The same pages for type a size larger than the layout's: too little room, until fitted.
    edit_layout(project, "leaflet", "limit: 4", f"limit: {pages}")
    edit_layout(project, "base", "body_size: 12\n  leading: 15", "body_size: 15\n  leading: 19")
    assert cli("-C", project, "build", "hsg").exit_code == 1
    result = cli("-C", project, "build", "hsg", "--fit")
    assert result.exit_code == 0, result.output
    assert "fitted 'hsg' [en, leaflet] at" in result.output
    with pdfplumber.open(project / "output" / "en" / "hsg.pdf") as doc:
        assert len(doc.pages) <= pages
        sizes = {round(c["size"], 1) for page in doc.pages for c in page.chars if c["text"].strip()}
    assert min(sizes) >= 12


def test_fit_reports_when_even_the_minimum_is_too_big(project: Path, cli) -> None:
    path = project / "content" / "hsg" / "en.md"
    path.write_text(path.read_text() + "\n## More\n\n" + ("Much longer text. " * 60 + "\n\n") * 10)
    result = cli("-C", project, "build", "hsg", "--fit")
    assert result.exit_code == 1 and "does not fit even at the smallest size" in result.output


def test_tri_fold_overflow_names_panels(project: Path, cli) -> None:
    path = project / "content" / "hysteroscopy" / "en.md"
    path.write_text(path.read_text() + "\n## More\n\n" + ("Much longer text. " * 60 + "\n\n") * 4)
    result = cli("-C", project, "build", "hysteroscopy", "--layout", "trifold")
    assert result.exit_code == 1 and "does not fit its 6 panels" in result.output


@pytest.mark.parametrize("lang", ["en", "ar", "hi"])
def test_figure_labels_in_the_language_with_alt_text(project: Path, lang: str) -> None:
    pdf = brochure.build(project, docs=["hsg"], langs=[lang])[0]
    labels = re.search(
        r"^figure:\n((?:  .+\n)+)", (REPO / "brochure" / "defaults" / "i18n" / f"{lang}.yaml").read_text(), re.M
    ).group(1)
    womb = re.search(r"womb: (.+)", labels).group(1).strip()
    alt = re.search(r"^  alt: (.+)$", (project / "content" / "hsg" / f"{lang}.md").read_text(), re.M).group(1).strip()
    figures = read_tree(pdf).find("Figure")
    assert alt in [f.alt for f in figures], "the diagram is a Figure element with the leaflet's alt text"
    if lang == "en":
        assert womb in PdfReader(pdf).pages[0].extract_text()


def test_heading_never_alone_at_the_bottom_of_a_page(project: Path) -> None:
    pdfs = brochure.build(project, langs=["all"], formats=["pdf"])
    for pdf in pdfs + brochure.build(project, layout="large-print", langs=["en", "es"], formats=["pdf"]):
        with pdfplumber.open(pdf) as doc:
            for page in doc.pages[:-1]:
                sizes = Counter(round(c["size"]) for c in page.chars)
                body = sizes.most_common(1)[0][0]
                rule = max(line["top"] for line in page.lines if line["x1"] - line["x0"] > page.width / 2)  # the footer's rule
                lines = [line for line in page.extract_text_lines() if line["bottom"] < rule]
                last = lines[-1]["chars"]
                is_heading = all("Bold" in c["fontname"] and c["size"] > body + 1 for c in last if c["text"].strip())
                assert not is_heading, f"{pdf.name} page {page.page_number} ends with a heading: {lines[-1]['text']!r}"


@pytest.mark.parametrize("layout", ["trifold", "large-print"])
def test_every_layout_builds_in_every_language(project: Path, layout: str) -> None:
    limit = load_project(project)[0].layouts[layout].page_limit
    pdfs = brochure.build(project, layout=layout, langs=["all"], formats=["pdf"])
    assert len(pdfs) == 14  # two leaflets in seven languages
    for pdf in pdfs:
        reader = PdfReader(pdf)
        assert len(reader.pages) <= limit
        fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
        assert not any("Helvetica" in f for f in fonts), pdf.name
