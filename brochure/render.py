"""Render a prepared document to PDF bytes with ReportLab platypus.

Sizes, margins and colours come from the layout; text and values from the
prepared document. Nothing here reads content files. Every paragraph goes
through `Builder.para`, which applies font fallback and picks the
right-to-left paragraph for right-to-left languages; tables, boxes and the
footer are mirrored for them.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors, textsplit
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as paragraph_module

from .compose import Block, Callout, Heading, ListBlock, plain_text
from .compose import Paragraph as ParagraphBlock
from .document import Prepared
from .errors import BuildError
from .figures import Figure
from .fonts import SCRIPT_FAMILIES, Family, chain_for, register, reset_private_codes, with_fallback
from .logo import logo_flowable
from .qrcode import QRCode
from .rtl import RTLParagraph

PAPERS = {"a4": A4, "letter": LETTER}
# Binary streams: ASCII85 only makes files a quarter larger and costs time (pure Python).
rl_config.useA85 = 0
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


def fixed_timestamp(epoch: int) -> TimeStamp:
    """A ReportLab timestamp for a given time, so builds do not depend on the clock."""
    stamp = TimeStamp(invariant=True)
    stamp.t = epoch
    stamp.lt = time.gmtime(epoch)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    return stamp


def footer_canvas(p: Prepared, builder: Builder, page_width: float, page_height: float) -> type[Canvas]:
    """A canvas class that draws 'page X of Y' footers once the page count is known,
    and the brand band across the top of page 1 (into the bleed when there is one)."""
    lay = p.layout
    top, right, bottom, left = lay.margins
    width = page_width - left - right
    rule = colors.HexColor(p.colours["rule"])
    primary = colors.HexColor(p.colours["primary"])
    bleed = lay.bleed if lay.print_marks else 0.0

    def draw_band(canvas: Canvas) -> None:
        canvas.saveState()
        canvas.setFillColor(primary)
        if lay.fold == "trifold":  # across the cover panel only (on the left for right-to-left)
            x0, w = (-bleed, page_width / 3 + bleed) if p.direction == "rtl" else (page_width * 2 / 3, page_width / 3 + bleed)
        else:
            x0, w = -bleed, page_width + 2 * bleed
        canvas.rect(x0, page_height - lay.band, w, lay.band + bleed, stroke=0, fill=1)
        canvas.restoreState()

    def draw_footer(canvas: Canvas, page: int, pages: int) -> None:
        start, end = builder.footer(page, pages)
        canvas.saveState()
        y = bottom - lay.small_size * 0.6
        canvas.setStrokeColor(rule)
        canvas.setLineWidth(0.6)
        canvas.line(left, y, page_width - right, y)
        for lines in (start, end):
            top_y = y - lay.small_size * 0.6
            for para in lines:
                _, h = para.wrapOn(canvas, width, bottom)
                para.drawOn(canvas, left, top_y - h)
                top_y -= h
        canvas.restoreState()

    class FooterCanvas(Canvas):
        """Keeps each page until the end, then draws footers and bookmarks on it."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._doc._timeStamp = fixed_timestamp(p.epoch)
            self._kept_pages: list[dict[str, Any]] = []
            self._marks: list[tuple[str, float, float]] = []
            if lay.band and lay.print_marks:  # office printers cannot print to the edge
                draw_band(self)

        def bookmarkHorizontal(self, key: str, relativeX: float, relativeY: float, **kw: Any) -> None:
            left_x, top_y = self.absolutePosition(relativeX, relativeY)
            self._marks.append((key, left_x, top_y))

        def showPage(self) -> None:
            self._kept_pages.append(dict(self.__dict__))
            self._startPage()
            self._marks = []

        def save(self) -> None:
            pages = len(self._kept_pages)
            for number, state in enumerate(self._kept_pages, 1):
                self.__dict__.update(state)
                for key, left_x, top_y in self._marks:
                    self.bookmarkHorizontalAbsolute(key, top_y, left=left_x)
                if lay.fold == "none":
                    draw_footer(self, number, pages)
                Canvas.showPage(self)
            Canvas.save(self)

    return FooterCanvas


def check_footer_fits(p: Prepared, builder: Builder, width: float) -> None:
    """Refuse a footer that would not fit in the bottom margin."""
    if p.layout.fold != "none":
        return  # a folded layout prints its footer lines on the back panel
    start, end = builder.footer(88, 88)
    for lines in (start, end):
        height = sum(para.wrap(width, 1000)[1] for para in lines)
        room = p.layout.margins[2] - p.layout.small_size * 1.5
        if height > room:
            raise BuildError(
                f"{p.layout.path}: the footer needs {height:.0f}pt but the bottom margin leaves {room:.0f}pt "
                f"in '{p.lang}'; shorten the footer lines or make the bottom margin larger"
            )


@dataclass(frozen=True)
class CropMarks:
    """What ReportLab's canvas reads to draw crop marks in a border around the page."""

    borderWidth: float  # noqa: N815 - ReportLab's attribute names
    markLength: float  # noqa: N815
    markWidth: float  # noqa: N815
    bleedWidth: float  # noqa: N815
    markColor: Any = colors.black  # noqa: N815
    markLast: int = 1  # noqa: N815


class PageOverflow(Exception):
    """The document needs more pages (or panels) than its layout allows."""

    def __init__(self, p: Prepared, pages: int, excess: float) -> None:
        lay = p.layout
        unit = "panels" if lay.fold == "trifold" else "pages"
        allowed = lay.page_limit * 3 if lay.fold == "trifold" else lay.page_limit
        lines = excess / lay.leading
        super().__init__(
            f"'{p.name}' in '{p.lang}' with layout '{lay.name}' does not fit its {allowed} {unit}: "
            f"it overflows by {excess / 72 * 25.4:.0f} mm (about {lines:.0f} lines of text)"
        )
        self.pages, self.excess = pages, excess


class LimitedDocTemplate(BaseDocTemplate):
    """Remembers how far down each frame the content went, to measure an overflow."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lowest: dict[tuple[int, str], tuple[float, float]] = {}

    def afterFlowable(self, flowable: Flowable) -> None:
        frame = getattr(self, "frame", None)
        if frame is None:  # page and frame breaks come before the first frame
            return
        top = frame._y1 + frame._height - frame._topPadding
        key = (self.page, frame.id)
        self.lowest[key] = (top, min(frame._y, self.lowest.get(key, (top, top))[1]))

    def excess(self, limit: int) -> float:
        """The height of content placed beyond the page limit."""
        return sum(top - low for (page, _), (top, low) in self.lowest.items() if page > limit)


def page_size(p: Prepared) -> tuple[float, float]:
    """The trimmed page size: the paper, turned for landscape layouts."""
    size = PAPERS[p.paper]
    return landscape(size) if p.layout.orientation == "landscape" else size


def build_pdf(p: Prepared) -> tuple[bytes, int, float]:
    """The PDF of a prepared document, its page count and the height it overflows by."""
    lay = p.layout
    family = register(SCRIPT_FAMILIES.get(p.script) or lay.font)
    for name in chain_for(family.name):
        register(name)
    reset_private_codes()
    width, height = page_size(p)
    top, right, bottom, left = lay.margins
    marks: dict[str, Any] = {}
    if lay.print_marks:
        border = 36.0  # room for the crop marks; the bleed lies inside it
        bleed = lay.bleed
        marks = {
            "cropMarks": CropMarks(borderWidth=border, markLength=18, markWidth=0.5, bleedWidth=0),
            "trimBox": [border, border, border + width, border + height],
            "bleedBox": [border - bleed, border - bleed, border + width + bleed, border + height + bleed],
        }
    buf = io.BytesIO()
    doc = LimitedDocTemplate(
        buf,
        pagesize=(width, height),
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=p.title,
        author=p.author,
        subject=plain_text(p.subtitle),
        creator="brochure",
        lang=p.locale.replace("_", "-"),
        displayDocTitle=1,
        invariant=1,
        initialFontName=family.name,
        initialFontSize=lay.body_size,
        initialLeading=lay.leading,
        **marks,
    )
    styles = Styles(p, family)
    if lay.fold == "trifold":
        panel = width / 3
        builder = Builder(p, styles, panel - left - right)
        doc.addPageTemplates(trifold_templates(width, height, lay.margins, p.direction == "rtl"))
        story = [
            NextPageTemplate("inside"),
            *builder.flowables(lay.cover),
            FrameBreak(),
            *builder.flowables(lay.back),
            FrameBreak(),
        ]
        story += builder.flowables(lay.blocks)
    else:
        builder = Builder(p, styles, doc.width)
        frame = Frame(
            left, bottom, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0
        )
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        story = builder.flowables(lay.blocks)
    check_footer_fits(p, builder, doc.width)
    doc.build(story, canvasmaker=footer_canvas(p, builder, width, height))
    return buf.getvalue(), doc.page, doc.excess(lay.page_limit)


def trifold_templates(width: float, height: float, margins: tuple[float, float, float, float], rtl: bool) -> list[PageTemplate]:
    """Two sides of three panels for a letter (C) fold. Outside, left to right: the flap
    that folds in, the back, the cover; inside: three panels. Frames are filled cover,
    back, then flap -> inside 1, 2, 3, which is the order a reader opens them. A
    right-to-left brochure folds the other way: everything is mirrored."""
    top, right, bottom, left = margins
    panel = width / 3

    def place(index: int) -> int:
        return 2 - index if rtl else index

    def frame(index: int, name: str) -> Frame:
        return Frame(
            place(index) * panel + left,
            bottom,
            panel - left - right,
            height - top - bottom,
            id=name,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    outside = PageTemplate(id="outside", frames=[frame(2, "cover"), frame(1, "back"), frame(0, "flap")])
    inside = PageTemplate(id="inside", frames=[frame(0, "inside-1"), frame(1, "inside-2"), frame(2, "inside-3")])
    return [outside, inside]


def render(p: Prepared) -> bytes:
    """The PDF of a prepared document; PageOverflow if it needs more pages than allowed."""
    pdf, pages, excess = build_pdf(p)
    if pages > p.layout.page_limit:
        raise PageOverflow(p, pages, excess)
    return pdf


FIT_STEP = 0.04


def scaled(p: Prepared, factor: float) -> Prepared:
    """The document with type sizes and leading scaled, none below the layout's minimum."""
    lay = p.layout
    floor = lay.min_size

    def size(value: float) -> float:
        return max(floor, round(value * factor, 2))

    body = size(lay.body_size)
    layout = replace(
        lay,
        body_size=body,
        leading=max(body * 1.2, round(lay.leading * factor, 2)),
        title_size=size(lay.title_size),
        h2_size=size(lay.h2_size),
        h3_size=size(lay.h3_size),
        small_size=size(lay.small_size),
    )
    return replace(p, layout=layout)


def render_fitted(p: Prepared) -> tuple[bytes, str]:
    """Render, shrinking type step by step if the document overflows, never below the
    layout's minimum size; returns the PDF and a note of what was done ('' if nothing)."""
    factor = 1.0
    while True:
        attempt = scaled(p, factor) if factor < 1.0 else p
        try:
            pdf = render(attempt)
        except PageOverflow:
            at_floor = attempt.layout.leading <= attempt.layout.body_size * 1.2 and all(
                getattr(attempt.layout, k) <= attempt.layout.min_size for k in ("h2_size", "h3_size", "small_size")
            )
            if at_floor or factor <= 0.5:
                raise
            factor = round(factor - FIT_STEP, 2)
            continue
        if factor == 1.0:
            return pdf, ""
        lay = attempt.layout
        return pdf, (
            f"fitted '{p.name}' [{p.lang}, {lay.name}] at {factor:.0%} of the layout's sizes: "
            f"body {lay.body_size:g}pt, headings {lay.h2_size:g}pt, leading {lay.leading:g}pt"
        )
