"""Turn a prepared document's blocks into ReportLab flowables.

`Styles` derives every paragraph style from the layout; `Builder` has one
method per layout block (title, summary, body, table, contact, qr, figure...).
Every paragraph goes through `Builder.para`, which applies font fallback and
picks the right-to-left paragraph for right-to-left languages; tables, boxes
and rows are mirrored for them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors, textsplit
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus import paragraph as paragraph_module

from .compose import Block, Callout, Heading, ListBlock, plain_text
from .compose import Paragraph as ParagraphBlock
from .document import Prepared
from .figures import Figure
from .fonts import Family, chain_for, with_fallback
from .logo import logo_flowable
from .qrcode import QRCode
from .rtl import RTLParagraph

# Chinese closing punctuation that must not start a line (GB/T 15834). ReportLab's
# CJK line breaker keeps a list aimed at Japanese; add the Chinese marks it lacks.
CHINESE_CANNOT_START = "，。、；：？！）》〉」』】〕”’…％·"
for _module in (paragraph_module, textsplit):
    _module.ALL_CANNOT_START += "".join(c for c in CHINESE_CANNOT_START if c not in _module.ALL_CANNOT_START)


# How much of a row each block takes: [summary, figure] is 1:1, [contact, qr] 3:1.
ROW_WEIGHTS = {"figure": 3, "qr": 1}


class Styles:
    """The paragraph styles of one document, from its layout, colours and script."""

    def __init__(self, p: Prepared, family: Family) -> None:
        lay, col = p.layout, p.colours
        self.family = family
        self.rtl = p.direction == "rtl"
        self.text = colors.HexColor(col["text"])
        self.primary = colors.HexColor(col["primary"])
        self.box = colors.HexColor(col["box"])
        self.help = colors.HexColor(col["help"])
        self.help_border = colors.HexColor(col["help_border"])
        self.rule = colors.HexColor(col["rule"])
        ratio = lay.leading / lay.body_size
        body = ParagraphStyle(
            "body",
            fontName=family.name,
            fontSize=lay.body_size,
            leading=lay.leading,
            textColor=self.text,
            alignment=TA_RIGHT if self.rtl else TA_LEFT,
            spaceAfter=lay.body_size * 0.4,
            allowWidows=0,
            allowOrphans=0,
            shaping=1 if p.script in ("arabic", "devanagari") else 0,
            wordWrap="CJK" if p.script == "han" else None,
        )
        self.body = body
        self.body_lead_in = ParagraphStyle("body_lead_in", body, keepWithNext=1)
        self.cell = ParagraphStyle("cell", body, spaceAfter=0)
        self.label = ParagraphStyle("label", self.cell, fontName=family.bold_name)
        self.column_head = ParagraphStyle("column_head", self.label, textColor=colors.white)
        self.bullet = ParagraphStyle(
            "bullet",
            body,
            leftIndent=lay.body_size * 1.4,
            bulletIndent=lay.body_size * 0.3,
            bulletFontName=lay.font,  # a narrow bullet: a CJK font's is full-width
            bulletFontSize=lay.body_size,
            spaceAfter=lay.body_size * 0.25,
        )
        self.h2 = self.heading("h2", lay.h2_size, ratio)
        self.h3 = self.heading("h3", lay.h3_size, ratio)
        self.box_title = ParagraphStyle("box_title", self.h3, spaceBefore=0)
        self.title = ParagraphStyle(
            "title",
            body,
            fontName=family.bold_name,
            fontSize=lay.title_size,
            leading=lay.title_size * 1.25,
            textColor=self.primary,
            spaceAfter=lay.body_size * 0.3,
        )
        self.subtitle = ParagraphStyle("subtitle", body, fontSize=lay.h3_size, leading=lay.h3_size * ratio)
        self.clinic = ParagraphStyle(
            "clinic",
            body,
            fontName=family.bold_name,
            fontSize=lay.h3_size,
            leading=lay.h3_size * 1.25,
            textColor=self.primary,
            spaceAfter=0,
        )
        self.small = ParagraphStyle("small", self.cell, fontSize=lay.small_size, leading=lay.small_size * 1.25)
        self.small_end = ParagraphStyle("small_end", self.small, alignment=TA_LEFT if self.rtl else TA_RIGHT)
        self.small_bullet = ParagraphStyle(
            "small_bullet", self.bullet, fontSize=lay.small_size, bulletFontSize=lay.small_size, leading=lay.small_size * ratio
        )

    def heading(self, name: str, size: float, ratio: float) -> ParagraphStyle:
        """A heading style: bold, brand colour, kept with what follows."""
        return ParagraphStyle(
            name,
            self.body,
            fontName=self.family.bold_name,
            fontSize=size,
            leading=size * max(min(ratio, 1.35), 1.25),
            textColor=self.primary,
            spaceBefore=size * 0.6,
            spaceAfter=size * 0.25,
            keepWithNext=1,
        )


# The appointment box's lines (name, when, where, notes) take at most this many lines each.
SLOT_LINES = (2, 2, 3, 6)


class SlotOverflow(ValueError):
    """A value of the appointment box does not fit it; `index` is its line in the box."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index


def check_slot(line: Flowable, index: int, width: float, style: ParagraphStyle) -> None:
    """Measure one line of the appointment box: no word wider than the box, and no more
    lines than SLOT_LINES allows; SlotOverflow if it does not fit."""
    text = plain_text(getattr(line, "markup", "") or line.text)
    if stringWidth(text, style.fontName, style.fontSize) * 1.25 < width:
        return  # a single line with room to spare, whatever fonts the fallback picks
    leading = style.leading
    if line.minWidth() > width:
        raise SlotOverflow(index, f"has a word {line.minWidth() / width:.1f} times as wide as the appointment box")
    lines = round(line.wrap(width, 1e9)[1] / leading)
    if lines > SLOT_LINES[index]:
        raise SlotOverflow(index, f"takes {lines} lines of the appointment box, at most {SLOT_LINES[index]} fit")


class Box(Flowable):
    """Flowables on a tinted background, with a bar on the leading edge; kept whole.

    Lighter than a one-cell Table, which measures its content twice."""

    def __init__(self, content: list[Flowable], background: Any, bar: Any | None, pad: float, rtl: bool) -> None:
        super().__init__()
        self.content, self.background, self.bar, self.pad, self.rtl = content, background, bar, pad, rtl
        self.spaceBefore, self.spaceAfter = pad * 0.5, pad
        self.heights: list[float] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        inner = availWidth - 2 * self.pad
        self.heights = [f.wrap(inner, availHeight)[1] for f in self.content]
        gaps = [max(a.getSpaceAfter(), b.getSpaceBefore()) for a, b in zip(self.content, self.content[1:], strict=False)]
        self.width = availWidth
        self.height = sum(self.heights) + sum(gaps) + self.pad * 1.2
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(self.background)
        canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        if self.bar is not None:
            canvas.setFillColor(self.bar)
            canvas.rect(self.width - 4 if self.rtl else 0, 0, 4, self.height, stroke=0, fill=1)
        canvas.restoreState()
        y = self.height - self.pad * 0.8
        for i, (flowable, height) in enumerate(zip(self.content, self.heights, strict=True)):
            if i:
                y -= max(self.content[i - 1].getSpaceAfter(), flowable.getSpaceBefore())
            flowable.drawOn(canvas, self.pad, y - height)
            y -= height


class Bookmarked:
    """Mixin for a heading flowable: adds a PDF bookmark where it is drawn."""

    key: str
    level: int
    outline_title: str
    canv: Canvas

    def draw(self) -> None:
        super().draw()  # type: ignore[misc]
        self.canv.bookmarkHorizontal(self.key, 0, self.height)  # type: ignore[attr-defined]
        self.canv.addOutlineEntry(self.outline_title, self.key, level=self.level, closed=False)


class HeadingParagraph(Bookmarked, Paragraph):
    """A left-to-right heading with a bookmark."""


class RTLHeading(Bookmarked, RTLParagraph):
    """A right-to-left heading with a bookmark."""


class Builder:
    """Turns a prepared document into a list of flowables, block by block."""

    def __init__(self, p: Prepared, st: Styles, width: float) -> None:
        self.p, self.st, self.width = p, st, width
        self.rtl = st.rtl
        self.chain = chain_for(st.family.name)
        self.headings = 0
        self.last_level = -1

    def para(self, markup: str, style: ParagraphStyle, bullet: str | None = None) -> Flowable:
        """A paragraph in the document's direction, with font fallback."""
        markup = with_fallback(markup, self.chain)
        if self.rtl:
            return RTLParagraph(markup, style, bulletText=bullet)
        return Paragraph(markup, style, bulletText=bullet)

    def heading(self, markup: str, level: int) -> Flowable:
        """A bookmarked heading; outline levels never skip a level."""
        self.headings += 1
        outline = min(level - 2, self.last_level + 1)
        self.last_level = outline
        style = self.st.h2 if level == 2 else self.st.h3
        markup = with_fallback(markup, self.chain)
        heading: Flowable = RTLHeading(markup, style) if self.rtl else HeadingParagraph(markup, style)
        heading.key, heading.level, heading.outline_title = f"h{self.headings}", outline, plain_text(markup)
        return heading

    def columns(self, cells: list[Any]) -> list[Any]:
        """Table cells in reading order, laid out left to right."""
        return cells[::-1] if self.rtl else cells

    def box(self, content: list[Flowable], background: Any, border: Any | None = None) -> Flowable:
        """A tinted box around flowables, with an optional bar on the leading edge."""
        return Box(content, background, border, self.p.layout.body_size * 0.75, self.rtl)

    def blocks(self, blocks: tuple[Block, ...]) -> list[Flowable]:
        """Flowables for Markdown blocks."""
        out: list[Flowable] = []
        for block in blocks:
            if isinstance(block, Heading):
                out.append(self.heading(block.markup, block.level))
            elif isinstance(block, ParagraphBlock):
                # A paragraph that introduces what follows ("Call us if you have:") stays with it.
                leads_in = plain_text(block.markup).rstrip().endswith((":", "："))
                out.append(self.para(block.markup, self.st.body_lead_in if leads_in else self.st.body))
            elif isinstance(block, ListBlock):
                out.extend(self.list_items(block, self.st.bullet))
            elif isinstance(block, Callout):
                title = [self.para(block.title, self.st.box_title)] if block.title else []
                if block.kind == "help":
                    out.append(self.box(title + self.blocks(block.blocks), self.st.help, self.st.help_border))
                else:
                    out.append(self.box(title + self.blocks(block.blocks), self.st.box))
        return out

    def list_items(self, block: ListBlock, style: ParagraphStyle) -> list[Flowable]:
        """One paragraph per item, with a bullet or its number."""
        out: list[Flowable] = []
        number = 0
        count = len(block.items)
        for i, (depth, markup) in enumerate(block.items):
            if depth == 0:
                number += 1
            mark = f"{number}." if block.ordered and depth == 0 else ("•" if depth == 0 else "–")
            indent = style.leftIndent * (depth + 1)
            # No list starts or ends with a single item alone at a page break.
            keep = (i == 0 and count > 1) or i == count - 2
            item_style = ParagraphStyle(
                f"{style.name}{depth}",
                style,
                leftIndent=indent,
                bulletIndent=indent - style.leftIndent + style.bulletIndent,
                keepWithNext=1 if keep else 0,
            )
            out.append(self.para(markup, item_style, bullet=mark))
        return out

    # Layout blocks, named as in layouts/*.yaml -------------------------------------------

    def title(self) -> list[Flowable]:
        """The logo and clinic name, then the document title and subtitle."""
        size = self.p.layout.title_size * 1.6
        cells: list[Any] = [self.para(self.p.clinic_name, self.st.clinic)]
        widths = [self.width]
        if self.p.logo:
            cells.insert(0, logo_flowable(Path(self.p.logo), size, self.st.family.name))
            widths = [size + 10, self.width - size - 10]
        head = Table(
            [self.columns(cells)],
            colWidths=self.columns(widths),
            style=TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.st.family.name),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("ALIGN", (0, 0), (-1, -1), "RIGHT" if self.rtl else "LEFT"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                    ("LINEBELOW", (0, 0), (-1, 0), 1.5, self.st.primary),
                ]
            ),
        )
        return [head, Spacer(0, 6), self.para(self.p.title_markup, self.st.title), self.para(self.p.subtitle, self.st.subtitle)]

    def status(self) -> list[Flowable]:
        """A visible notice while the document is not approved."""
        if not self.p.status_notice:
            return []
        return [self.box([self.para(f"<b>{self.p.status_notice}</b>", self.st.cell)], self.st.box, self.st.help_border)]

    def appointment(self) -> list[Flowable]:
        """The patient's appointment and how to get ready, in personalised copies only."""
        if not self.p.appointment:
            return []
        lines = [self.para(line, self.st.cell) for line in self.p.appointment]
        for index, line in enumerate(lines):
            check_slot(line, index, self.width - 2 * self.p.layout.body_size * 0.75, self.st.cell)
        note = self.blocks(self.p.appointment_note)
        return [
            self.box(
                [self.para(self.p.appointment_heading, self.st.box_title), *lines, Spacer(0, 4), *note],
                self.st.box,
                self.st.primary,
            )
        ]

    def summary(self) -> list[Flowable]:
        """The 'in short' box."""
        items = ListBlock(tuple((0, s) for s in self.p.summary), ordered=False)
        return [
            self.box([self.para(self.p.summary_heading, self.st.box_title), *self.list_items(items, self.st.bullet)], self.st.box)
        ]

    def body(self) -> list[Flowable]:
        return self.blocks(self.p.body)

    def intro(self) -> list[Flowable]:
        return self.blocks(self.p.intro)

    def table(self) -> list[Flowable]:
        """The comparison table: labels, then one column per leaflet (mirrored for
        right-to-left languages); the header row repeats on every page."""
        st = self.st
        label_w = self.width * self.p.layout.label_width
        column_w = (self.width - label_w) / 2
        data = [self.columns([self.para("", st.column_head)] + [self.para(c, st.column_head) for c in self.p.columns])]
        for row in self.p.rows:
            data.append(self.columns([self.para(row.label, st.label)] + [self.para(c, st.cell) for c in row.cells]))
        label_col = -1 if self.rtl else 0
        pad = self.p.layout.body_size * 0.5
        table = Table(
            data,
            colWidths=self.columns([label_w, column_w, column_w]),
            repeatRows=1,
            style=TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), st.family.name),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, 0), st.primary),
                    ("BACKGROUND", (label_col, 1), (label_col, -1), st.box),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.6, st.rule),
                    ("LINEAFTER", (0, 0), (-2, -1), 0.6, st.rule),
                    ("LEFTPADDING", (0, 0), (-1, -1), pad),
                    ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                    ("TOPPADDING", (0, 0), (-1, -1), pad * 0.8),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
                ]
            ),
        )
        table.spaceBefore, table.spaceAfter = pad, pad * 2
        return [table]

    def sections(self) -> list[Flowable]:
        out: list[Flowable] = []
        for section in self.p.sections:
            out.append(self.heading(section.heading, 2))
            out.extend(self.blocks(section.blocks))
        return out

    def other_formats(self) -> list[Flowable]:
        style = ParagraphStyle("other_formats", self.st.body, spaceBefore=self.p.layout.body_size * 0.5)
        return [self.para(f"<b>{self.p.other_formats}</b>", style)]

    def contact(self) -> list[Flowable]:
        """The clinic's contact details in a box: two columns (one in a narrow panel),
        then out-of-hours advice."""
        where, how = ([self.para(line, self.st.cell) for line in column] for column in self.p.contact)
        heading = self.para(self.p.contact_heading, self.st.box_title)
        note = self.para(self.p.contact_note, ParagraphStyle("note", self.st.cell, spaceBefore=4))
        if self.width < self.p.layout.body_size * 30:
            return [self.box([heading, *where, *how, note], self.st.box)]
        gap = self.p.layout.body_size
        inner = (self.width - self.p.layout.body_size * 1.5) / 2
        columns = Table(
            [self.columns([where, how])],
            colWidths=self.columns([inner * 0.85, inner * 1.15]),
            style=TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.st.family.name),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING" if not self.rtl else "LEFTPADDING", (0, 0), (0, -1), gap),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            ),
        )
        return [self.box([heading, columns, note], self.st.box)]

    def sources(self) -> list[Flowable]:
        """The sources, small but never below the layout's minimum size."""
        items = self.list_items(ListBlock(tuple((0, s) for s in self.p.sources), ordered=False), self.st.small_bullet)
        head = self.para(self.p.sources_heading, ParagraphStyle("sources", self.st.h3, spaceBefore=4))
        return [head, *items]  # the heading keeps with the first item

    def edition(self) -> list[Flowable]:
        """The footer's lines as a paragraph block (on a tri-fold's back panel)."""
        start, end = self.footer(1, 1)
        return [Spacer(0, self.p.layout.small_size * 0.5), *start, *end]

    def qr(self) -> list[Flowable]:
        """A QR code linking to the online copy of this document, with a caption."""
        if not self.p.qr_url:
            return []
        code = QRCode(self.p.qr_url, min(self.width * 0.6, 30 * mm))
        code.hAlign = "RIGHT" if self.rtl else "LEFT"
        caption = self.para(self.p.qr_caption, self.st.cell)
        return [Spacer(0, 4), code, caption]

    def figure(self) -> list[Flowable]:
        """The leaflet's diagram, labelled in its language."""
        if not self.p.figure:
            return []
        kind, alt, labels = self.p.figure
        start = ParagraphStyle("label_start", self.st.cell, alignment=TA_RIGHT, splitLongWords=0)
        end = ParagraphStyle("label_end", self.st.cell, alignment=TA_LEFT, splitLongWords=0)

        def label(text: str, left_side: bool) -> Flowable:
            return self.para(text, start if left_side else end)

        return [Figure(kind, labels, alt, min(self.width, 130 * mm), label)]

    def row(self, names: tuple[str, ...]) -> list[Flowable]:
        """Two blocks side by side (mirrored for right-to-left), the first the wider."""
        whole = self.width
        weights = [ROW_WEIGHTS.get(name, 3) for name in names]
        widths = [whole * w / sum(weights) for w in weights]
        cells = []
        for i, (name, width) in enumerate(zip(names, widths, strict=True)):
            self.width = width - (self.p.layout.body_size if i else 0)
            cells.append(getattr(self, name)())
        self.width = whole
        gap = self.p.layout.body_size  # between the two blocks, on the second one's leading side
        style = TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), self.st.family.name),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                (
                    "RIGHTPADDING" if self.rtl else "LEFTPADDING",
                    (-1, 0) if not self.rtl else (0, 0),
                    (-1, 0) if not self.rtl else (0, 0),
                    gap,
                ),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
        return [Table([self.columns(cells)], colWidths=self.columns(widths), style=style)]

    def flowables(self, names: tuple[str | tuple[str, ...], ...]) -> list[Flowable]:
        """The flowables of the named blocks, in order; a tuple is a row."""
        out: list[Flowable] = []
        for name in names:
            out.extend(self.row(name) if isinstance(name, tuple) else getattr(self, name)())
        return out

    def footer(self, page: int, pages: int) -> tuple[list[Flowable], list[Flowable]]:
        """The footer's start-side and end-side lines as paragraphs."""
        start, end = self.p.footer(page, pages)
        return (
            [self.para(escape(line), self.st.small) for line in start],
            [self.para(escape(line), self.st.small_end) for line in end],
        )
