"""Markdown to document blocks: supported constructs, text never markup, clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from brochure.document import Callout, Heading, Link, ListBlock, ListItem, Paragraph, Span, Strong, Text, plain
from brochure.errors import Problem
from brochure.model import Text as Source
from brochure.prepare.compose import LRI, PDI, compose, inline_text
from brochure.prepare.fill import escape_markdown


def blocks(source: str, problems: list[Problem] | None = None):
    return compose(Source(source, Path("doc.md"), 20), problems if problems is not None else [])


def test_headings_paragraphs_lists_and_bold() -> None:
    out = blocks("## Before\n\nTake **ibuprofen**.\n\n- one\n- two\n\n1. first\n")
    assert out[0] == Heading(2, (Text("Before"),))
    assert out[1] == Paragraph((Text("Take "), Strong((Text("ibuprofen"),)), Text(".")))
    assert out[2] == ListBlock((ListItem((Text("one"),)), ListItem((Text("two"),))), ordered=False)
    assert out[3].ordered


def test_a_paragraph_ending_in_a_colon_leads_in() -> None:
    assert blocks("Call us if you have:\n\n- a fever\n")[0].role == "lead_in"


def test_help_box_holds_its_blocks() -> None:
    (box,) = blocks("::: help When to get help\nCall us:\n\n- fever\n:::\n")
    assert isinstance(box, Callout) and box.kind == "help" and box.title == (Text("When to get help"),)
    assert isinstance(box.blocks[1], ListBlock)


def test_markup_in_a_value_stays_text() -> None:
    """A filled value is escaped for Markdown (fill.escape_markdown): never read as markup."""
    problems: list[Problem] = []
    source = Source(escape_markdown("a <b>x</b> & ~~y~~ `z` ![i](j) [k](javascript:l)"), Path("x"), 1)
    assert inline_text(source, problems) == (Text("a <b>x</b> & ~~y~~ `z` ![i](j) [k](javascript:l)"),)
    assert not problems


UNSUPPORTED = [
    ("Some <b>bold</b> text.", "HTML is not supported"),
    ("<!-- a note to the editor -->", "HTML is not supported in leaflets"),
    ("| a | b |\n|---|---|\n| 1 | 2 |", "table is not supported in leaflets"),
    ("See ![the womb](womb.png) here.", "an image is not supported in the text"),
    ("The ~~old~~ way.", "strikethrough (~~) is not supported"),
    ("Type `this`.", "code (`...`) is not supported"),
    ("[Click](javascript:alert(1))", "a link to 'javascript:' is not supported"),
    ("[More](other.html)", "a link to an address without https:// is not supported"),
    ("- an item with <i>HTML</i>", "HTML is not supported"),
    ("::: help <b>Help</b>\nCall us.\n:::", "HTML is not supported"),
]


@pytest.mark.parametrize(("source", "message"), UNSUPPORTED, ids=[m for _, m in UNSUPPORTED])
def test_what_a_leaflet_does_not_support_is_one_problem_at_its_line(source: str, message: str) -> None:
    problems: list[Problem] = []
    blocks(f"First.\n\n{source}\n", problems)
    assert [(p.line, p.message) for p in problems] == [(22, message)]


def test_a_fact_or_summary_point_reports_what_it_cannot_hold() -> None:
    problems: list[Problem] = []
    inline_text(Source("Less pain <sup>1</sup>", Path("x.md"), 9), problems)
    assert [(p.line, p.message) for p in problems] == [(9, "HTML is not supported")]


def test_a_numbered_list_keeps_its_first_number() -> None:
    (numbered,) = blocks("3. three\n4. four\n")
    assert numbered.ordered and numbered.start == 3 and numbered.marks() == ("3.", "4.")
    (nested,) = blocks("1. one\n   - a\n2. two\n")
    assert nested.marks() == ("1.", "–", "2.")


def test_a_link_shows_its_address_for_paper_unless_its_text_does() -> None:
    (para,) = blocks(
        "[Our site](https://nhs.example/hsg/) or [https://a.example](https://a.example) or [call](tel:+441632960123)"
    )
    assert plain(para.inlines) == "Our site (nhs.example/hsg) or https://a.example or call (+441632960123)"
    assert Span((Text("nhs.example/hsg"),), "ltr") in para.inlines, "an address is left to right in any language"


def test_links_have_their_kind() -> None:
    (para,) = blocks("[call](tel:01632960123) or [write](mailto:a@b.example) or [read](https://b.example)")
    kinds = [run.kind for run in para.inlines if isinstance(run, Link)]
    assert kinds == ["tel", "mailto", "url"]


def test_isolated_values_become_left_to_right_spans() -> None:
    (para,) = blocks(f"Call us on {LRI}01632 960 123{PDI}.")
    assert para.inlines == (Text("Call us on "), Span((Text("01632 960 123"),), "ltr"), Text("."))


def test_unsupported_markdown_is_reported_with_its_line() -> None:
    problems: list[Problem] = []
    blocks("## ok\n\n> quoted\n\n# Title\n", problems)
    assert [(p.line, p.message) for p in problems] == [
        (22, "blockquote is not supported in leaflets"),
        (24, "heading level 1 is not used in leaflets"),
    ]


def test_a_footnote_is_a_problem_at_its_line_and_a_value_holding_one_is_text() -> None:
    problems: list[Problem] = []
    body = "Cramps are common.[^1]\n\n[^1]: A study.\n\nYour note: " + escape_markdown("see [^2]")
    found = blocks(body, problems)
    assert [(p.line, p.message) for p in problems] == [
        (20, "footnotes ([^1]) are not supported"),
        (22, "footnotes ([^1]) are not supported"),
    ]
    assert plain(found[-1].inlines) == "Your note: see [^2]"
