"""The document model as plain text, for the text part of an email.

A heading is underlined, a list item starts with '- ', a box's details ('Label: value',
the paragraphs that hold a patient's value) stand one under another, and the contact
block is a line per detail. In right-to-left text the spans of their own direction
(a name, a phone number) keep their bidi isolate marks, so that they cannot reorder the
line around them.
"""

from __future__ import annotations

import unicodedata

from ..document import Block, Callout, Contact, Figure, Heading, Inlines, ListBlock, Paragraph, QRCode, Table, Title, plain


def columns(text: str) -> int:
    """How many columns a line of text takes in a fixed-width font: wide (Chinese)
    characters two, marks and format characters none, others one."""
    width = 0
    for char in text:
        if unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def underlined(text: str, mark: str) -> str:
    """A heading with a line of `mark` under it, as wide as the heading."""
    return f"{text}\n{mark * max(columns(line) for line in text.splitlines() or [''])}"


def detail(block: Block) -> bool:
    """A paragraph holding a patient's value (the name, the time, the place, the notes)."""
    return isinstance(block, Paragraph) and block.limit is not None


class TextWriter:
    """Turns blocks into plain text, block by block."""

    def __init__(self, rtl: bool) -> None:
        self.rtl = rtl

    def text(self, runs: Inlines) -> str:
        """The text of inline runs; isolated where they are in a right-to-left document."""
        return plain(runs, isolate=self.rtl)

    def blocks(self, blocks: tuple[Block, ...]) -> str:
        """Blocks with a blank line between them; a box's details one under another."""
        out: list[str] = []
        for before, block in zip((None, *blocks), blocks, strict=False):
            shown = self.block(block)
            if not shown:
                continue
            if out and before is not None and detail(before) and detail(block):
                out[-1] += "\n" + shown
            else:
                out.append(shown)
        return "\n\n".join(out)

    def block(self, block: Block) -> str:
        """The text of one block."""
        if isinstance(block, Heading):
            return underlined(self.text(block.inlines), "=" if block.level <= 1 else "-")
        if isinstance(block, Paragraph):
            return self.text(block.inlines)
        if isinstance(block, ListBlock):
            marks = ("-" if mark in ("•", "–") else mark for mark in block.marks())
            return "\n".join(
                f"{'  ' * item.depth}{mark} {self.text(item.inlines)}" for item, mark in zip(block.items, marks, strict=True)
            )
        if isinstance(block, Callout):
            title = [underlined(self.text(block.title), "-")] if block.title else []
            return "\n\n".join([*title, self.blocks(block.blocks)])
        if isinstance(block, Title):
            subtitle = [self.text(block.subtitle)] if block.subtitle else []
            return "\n\n".join([self.text(block.clinic), underlined(self.text(block.title), "="), *subtitle])
        if isinstance(block, Contact):
            lines = "\n".join(self.text(line) for line in (*block.where, *block.how))
            note = [self.text(block.note)] if block.note else []
            return "\n\n".join([underlined(self.text(block.heading), "-"), lines, *note])
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Figure):
            return block.alt
        assert isinstance(block, QRCode)
        return f"{self.text(block.caption)} {block.url}"

    def table(self, block: Table) -> str:
        """A table as a paragraph per row: its heading, then 'column: cell' lines."""
        rows = []
        for label, cells in block.rows:
            lines = [f"- {self.text(column)}: {self.text(cell)}" for column, cell in zip(block.columns, cells, strict=True)]
            rows.append("\n".join([self.text(label), *lines]))
        return "\n\n".join(rows)


def render_text(blocks: tuple[Block, ...], rtl: bool) -> str:
    """Blocks of the document model as plain text, ending with a line break."""
    return TextWriter(rtl).blocks(blocks) + "\n"
