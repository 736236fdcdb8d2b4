"""The shaped paragraph: shaping, bidi levels, visual order, in both directions."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics

from brochure.write.pdf.fonts import register
from brochure.write.pdf.shaped import Char, Style, leveled, parse, shaped, visual_order

STYLE = Style("NotoSansArabic", 12, None)


def chars(text: str) -> list[Char]:
    return leveled([(c, STYLE) for c in text], rtl=True)


def test_arabic_letters_are_joined() -> None:
    register("NotoSansArabic")
    face = pdfmetrics.getFont("NotoSansArabic").face
    isolated = face.charToGlyph[ord("ب")]
    run = shaped(chars("ببب"))
    glyphs = [face.charToGlyph[ord(c)] for c in run.codes]
    assert isolated not in glyphs, "contextual forms, not the isolated letter"
    assert run.width > 0
    assert "".join(run.texts) == "ببب", "each letter's text on one of its glyphs"


def test_levels_put_latin_and_numbers_left_to_right() -> None:
    levels = [c.level for c in chars("فحص HSG 10")]
    assert levels[:3] == [1, 1, 1] and levels[4:7] == [2, 2, 2] and levels[-2:] == [2, 2]


def test_visual_order_reverses_runs_but_not_numbers() -> None:
    runs = visual_order(chars("AB 12 جد"))  # no strong RTL before the Latin: still an RTL paragraph
    texts = ["".join(c.char for c in run) for run in runs]
    assert texts[0].strip() == "جد" and "12" in "".join(texts)


def test_markup_with_bold_and_entity_keeps_one_paragraph() -> None:
    register("NotoSansArabic")
    style = ParagraphStyle("p", fontName="NotoSansArabic", fontSize=12)
    parsed = parse("أ <b>ب</b> &amp; ج", style)
    assert "".join(c.char for c in parsed) == "أ ب & ج"
    assert len({c.style.font for c in parsed}) == 2


def test_an_isolate_is_one_neutral_outside_and_its_own_direction_inside() -> None:
    from brochure.write.pdf.shaped import levels_of

    # "فحص ⁨Sam (2)⁩، ب": the name keeps its parenthesis and number left to right,
    # and the Arabic comma after it stays with the Arabic text.
    levels = levels_of("فحص \u2068Sam (2)\u2069، ب", 1)
    assert levels[:4] == [1, 1, 1, 1]
    assert levels[5:12] == [2] * 7  # Sam (2), one level up, left to right
    assert levels[4] == levels[12] == 1 and levels[13:] == [1, 1, 1]
    assert levels_of("ا \u2068\u0628\u0629 12\u2069", 1)[3:8] == [3, 3, 3, 4, 4]  # an Arabic isolate: odd, numbers above it


def test_code_points_without_a_bidi_class_do_not_crash() -> None:
    from brochure.write.pdf.shaped import levels_of

    # Unassigned in this Python's Unicode data, a stray PDI, an isolate never closed.
    assert len(levels_of("ب \U0001faea \U000e0080 \u2069 x \u2068 y", 1)) == 13
