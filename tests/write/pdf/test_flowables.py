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
