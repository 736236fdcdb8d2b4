"""Markdown to document blocks: supported constructs, text never markup, clear refusals."""

from __future__ import annotations

from pathlib import Path

from brochure.document import Callout, Heading, Link, ListBlock, ListItem, Paragraph, Span, Strong, Text
from brochure.errors import Problem
from brochure.model import Text as Source
from brochure.prepare.compose import LRI, PDI, compose, inline_text


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


def test_markup_in_text_stays_text() -> None:
    assert inline_text(Source("a <b>x</b> & y", Path("x"), 1)) == (Text("a <b>x</b> & y"),)


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
