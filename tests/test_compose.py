"""Markdown to blocks: supported constructs, escaping, and clear refusals."""

from __future__ import annotations

from pathlib import Path

from brochure.compose import Callout, Heading, ListBlock, Paragraph, compose, inline_markup
from brochure.errors import Problem
from brochure.model import Text


def blocks(source: str, problems: list[Problem] | None = None):
    return compose(Text(source, Path("doc.md"), 20), problems if problems is not None else [])


def test_headings_paragraphs_lists_and_bold() -> None:
    out = blocks("## Before\n\nTake **ibuprofen**.\n\n- one\n- two\n\n1. first\n")
    assert out[0] == Heading(2, "Before", "Before")
    assert out[1] == Paragraph("Take <b>ibuprofen</b>.")
    assert out[2] == ListBlock(((0, "one"), (0, "two")), ordered=False)
    assert out[3].ordered


def test_help_box_holds_its_blocks() -> None:
    (box,) = blocks("::: help When to get help\nCall us:\n\n- fever\n:::\n")
    assert isinstance(box, Callout) and box.kind == "help" and box.title == "When to get help"
    assert isinstance(box.blocks[1], ListBlock)


def test_text_is_escaped_for_reportlab() -> None:
    assert inline_markup(Text("a <b>x</b> & y", Path("x"), 1)) == "a &lt;b&gt;x&lt;/b&gt; &amp; y"


def test_unsupported_markdown_is_reported_with_its_line() -> None:
    problems: list[Problem] = []
    blocks("## ok\n\n> quoted\n\n# Title\n", problems)
    assert [(p.line, p.message) for p in problems] == [
        (22, "blockquote is not supported in leaflets"),
        (24, "heading level 1 is not used in leaflets"),
    ]
