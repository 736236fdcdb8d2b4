"""Chinese lines as the PDF's paragraphs break them (write/pdf/cjk.py): at every width,
no line starts with closing or ends with opening punctuation, none is wider than its
frame (a full stop or bracket is never hung past it), and no paragraph ends on a line
of one character."""

from __future__ import annotations

import pytest
from reportlab.lib.styles import ParagraphStyle

from brochure.scripts import HAN_CANNOT_END, HAN_CANNOT_START
from brochure.write.breaks import breaks_for
from brochure.write.pdf.engine import setup
from brochure.write.pdf.flowables import TaggedParagraph
from brochure.write.pdf.fonts import register

TEXT = (
    "HSG还能显示子宫内部的形状。但它可能漏掉小的息肉（子宫内膜长出的赘生物）和肌瘤（由肌肉组成的肿块）。"
    "医生会向您解释为什么建议您做HSG。请拨打NHS\u00a0111，或在2026年12月1日上午8点前来电：01632\u00a0960\u00a0123。"
)
WIDTHS = range(100, 400, 7)  # wider than the longest stretch kept whole (the phone number: 72pt)


def lines_of(text: str, width: float, size: float = 11) -> list[tuple[str, float]]:
    """The lines of a Chinese paragraph at a width: their text and drawn width."""
    setup()
    family = register("NotoSansSC")
    style = ParagraphStyle("zh", fontName=family.name, fontSize=size, leading=size * 1.5, wordWrap="CJK")
    style.breaks = breaks_for("zh-Hans", "han")
    paragraph = TaggedParagraph(text, style)
    paragraph.wrap(width, 10_000)
    return [("".join(word.text for word in line.words), line.currentWidth) for line in paragraph.blPara.lines]


@pytest.mark.parametrize("width", WIDTHS)
def test_no_line_starts_closed_or_ends_open(width: int) -> None:
    lines = lines_of(TEXT, width)
    assert "".join(text for text, _ in lines).replace(" ", "") == TEXT.replace(" ", "")
    assert [t for t, _ in lines if t[0] in HAN_CANNOT_START] == []
    assert [t for t, _ in lines if t[-1] in HAN_CANNOT_END] == []


@pytest.mark.parametrize("width", WIDTHS)
def test_no_line_is_wider_than_its_frame(width: int) -> None:
    assert [(t, w) for t, w in lines_of(TEXT, width) if w > width + 0.01] == []


@pytest.mark.parametrize("width", WIDTHS)
def test_values_stay_on_one_line(width: int) -> None:
    lines = [t for t, _ in lines_of(TEXT, width)]
    for value in ("NHS\u00a0111", "2026年12月1日", "上午8点", "01632\u00a0960\u00a0123"):
        assert any(value in line for line in lines), (value, lines)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_last_line_holds_two_characters(width: int) -> None:
    for text in (TEXT, "检查前请服用止痛药。检查后可能会有一些造影剂流出来，这是正常的现象射。"):
        lines = lines_of(text, width)
        if len(lines) > 1:
            assert breaks_for("zh-Hans", "han").counted(lines[-1][0]) >= 2, lines[-2:]


def test_ReportLab_alone_would_break_these_rules() -> None:  # noqa: N802
    """The cases above are real: ReportLab's own breaker ends a line with an opening
    bracket or starts one with a full stop at some of these widths."""
    setup()
    family = register("NotoSansSC")
    style = ParagraphStyle("zh", fontName=family.name, fontSize=11, leading=16, wordWrap="CJK")
    bad = 0
    for width in WIDTHS:
        paragraph = TaggedParagraph(TEXT, style)  # no rules on the style: ReportLab's breaker
        paragraph.wrap(width, 10_000)
        lines = paragraph.blPara.lines  # (room left, [text]) for each line: one font, one fragment
        texts = ["".join(words) for _, words in lines]
        widths = [width - room for room, _ in lines]
        bad += sum(t[-1] in HAN_CANNOT_END or w > width + 0.01 for t, w in zip(texts, widths, strict=True))
    assert bad > 0
