"""Boxes: kept whole, or run on to the next page with enough of them on each side."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from brochure.write.pdf.flowables import Artifact, Box

LEADING = 15
PAD = 9


def lines(count: int, lead_in: int = -1) -> list[Paragraph]:
    """One-line paragraphs; the one at `lead_in` is kept with the next."""
    style = ParagraphStyle("p", fontSize=12, leading=LEADING)
    lead = ParagraphStyle("lead", style, keepWithNext=1)
    return [Paragraph(f"Line {i}", lead if i == lead_in else style) for i in range(count)]


def room(count: int) -> float:
    """The height in which `count` lines of a box fit, with its padding."""
    return count * LEADING + PAD * 1.2 + 1


def test_a_box_of_advice_runs_on_with_three_lines_or_more_on_each_side() -> None:
    box = Box(lines(8), "#eeeeee", None, PAD, False, min_part=3 * LEADING)
    first, rest = box.split(400, room(4))
    assert isinstance(first, Box) and isinstance(rest, Box)
    assert [len(first.content), len(rest.content)] == [4, 4]
    assert rest.spaceBefore == 0 and first.spaceBefore == box.spaceBefore
    assert box.split(400, room(2)) == []  # two lines would be left at the foot of the page
    assert box.split(400, room(6)) == []  # two lines would start the next page


def test_a_lead_in_goes_on_with_what_it_leads() -> None:
    box = Box(lines(9, lead_in=4), "#eeeeee", None, PAD, False, min_part=3 * LEADING)
    first, rest = box.split(400, room(5))
    assert [len(first.content), len(rest.content)] == [4, 5]


def test_other_boxes_are_kept_whole() -> None:
    assert Box(lines(8), "#eeeeee", None, PAD, False).split(400, room(4)) == []


def test_the_part_on_the_next_page_has_the_heading_again_as_an_artifact() -> None:
    heading = Artifact(Paragraph("When to get help", ParagraphStyle("h", fontSize=12, leading=LEADING)), "Pagination")
    box = Box(lines(8), "#eeeeee", None, PAD, False, min_part=3 * LEADING, continued=heading)
    first, rest = box.split(400, room(4))
    assert first.content[0] is not heading and rest.content[0] is heading and len(rest.content) == 5
    assert heading.kind == "Pagination"


def drawn_pages(box: Box, before: float) -> list[list[str]]:
    """The box's lines on each page of a document in which `before` points come first."""
    import io

    from pypdf import PdfReader
    from reportlab.platypus import SimpleDocTemplate, Spacer

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=(300, 400), topMargin=20, bottomMargin=20)
    doc.build([Spacer(10, before), box])
    return [[w for w in page.extract_text().split("\n") if w.startswith("Line")] for page in PdfReader(out).pages]


def test_a_box_kept_whole_if_it_fits_moves_whole_to_the_next_page() -> None:
    """A help box keeps what to look out for with whom to call: it runs on only where it
    is taller than a page."""
    room_left = 360 - room(4) - 6  # some of its lines would fit at the foot of the first page
    moves: list[Box] = []
    box = Box(lines(8), "#eeeeee", None, PAD, False, min_part=3 * LEADING, moves=moves)
    whole = drawn_pages(box, room_left)
    assert [len(page) for page in whole] == [0, 8] and moves == [box], "it says it moved"
    split = drawn_pages(Box(lines(8), "#eeeeee", None, PAD, False, min_part=3 * LEADING), room_left)
    assert len(split) == 2 and all(split) and sum(map(len, split)) == 8  # run on at the foot of the first
    tall = drawn_pages(Box(lines(30), "#eeeeee", None, PAD, False, min_part=3 * LEADING, moves=[]), room_left)
    assert sum(map(len, tall)) == 30 and len(tall[0]) > 0  # taller than a page: it runs on
