"""Render a prepared document to PDF bytes with ReportLab platypus.

Sizes, margins and colours come from the layout; text and values from the
prepared document. Nothing here reads content files.
"""

from __future__ import annotations

import io
import re
import time
from html import unescape
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader, TimeStamp
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .compose import Block, Callout, Heading, ListBlock
from .compose import Paragraph as ParagraphBlock
from .document import Prepared
from .errors import BuildError
from .fonts import Family, register

PAPERS = {"a4": A4, "letter": LETTER}
TAGS = re.compile(r"<[^>]+>")


def plain_text(markup: str) -> str:
    """Markup without tags or entities, for PDF metadata and bookmarks."""
    return unescape(TAGS.sub("", markup))


class Styles:
    """The paragraph styles of one document, from its layout and colours."""

    def __init__(self, p: Prepared, family: Family) -> None:
        lay, col = p.layout, p.colours
        self.family = family
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
            alignment=TA_LEFT,
            spaceAfter=lay.body_size * 0.4,
            allowWidows=0,
            allowOrphans=0,
        )
        self.body = body
        self.cell = ParagraphStyle("cell", body, spaceAfter=0)
        self.label = ParagraphStyle("label", self.cell, fontName=family.bold_name)
        self.column_head = ParagraphStyle("column_head", self.label, textColor=colors.white)
        self.bullet = ParagraphStyle(
            "bullet", body, leftIndent=lay.body_size * 1.4, bulletIndent=lay.body_size * 0.3,
            bulletFontName=family.name, bulletFontSize=lay.body_size, spaceAfter=lay.body_size * 0.25,
        )
        self.h2 = self.heading("h2", lay.h2_size, ratio)
        self.h3 = self.heading("h3", lay.h3_size, ratio)
        self.box_title = ParagraphStyle("box_title", self.h3, spaceBefore=0)
        self.title = ParagraphStyle(
            "title", body, fontName=family.bold_name, fontSize=lay.title_size,
            leading=lay.title_size * 1.2, textColor=self.primary, spaceAfter=lay.body_size * 0.3,
        )
        self.subtitle = ParagraphStyle("subtitle", body, fontSize=lay.h3_size, leading=lay.h3_size * ratio)
        self.clinic = ParagraphStyle(
            "clinic", body, fontName=family.bold_name, fontSize=lay.h3_size,
            leading=lay.h3_size * 1.25, textColor=self.primary, spaceAfter=0,
        )
        self.small = ParagraphStyle("small", body, fontSize=lay.small_size, leading=lay.small_size * ratio)
        self.small_bullet = ParagraphStyle(
            "small_bullet", self.bullet, fontSize=lay.small_size, bulletFontSize=lay.small_size, leading=lay.small_size * ratio
        )

    def heading(self, name: str, size: float, ratio: float) -> ParagraphStyle:
        """A heading style: bold, brand colour, kept with what follows."""
        return ParagraphStyle(
            name, self.body, fontName=self.family.bold_name, fontSize=size,
            leading=size * min(ratio, 1.3), textColor=self.primary,
            spaceBefore=size * 0.6, spaceAfter=size * 0.25, keepWithNext=1,
        )


class HeadingParagraph(Paragraph):
    """A heading that adds a PDF bookmark where it is drawn."""

    def __init__(self, markup: str, style: ParagraphStyle, key: str, level: int) -> None:
        super().__init__(markup, style)
        self.key, self.level, self.outline_title = key, level, plain_text(markup)

    def draw(self) -> None:
        super().draw()
        self.canv.bookmarkHorizontal(self.key, 0, self.height)
        self.canv.addOutlineEntry(self.outline_title, self.key, level=self.level, closed=False)


class Builder:
    """Turns a prepared document into a list of flowables, block by block."""

    def __init__(self, p: Prepared, st: Styles, width: float) -> None:
        self.p, self.st, self.width = p, st, width
        self.headings = 0
        self.last_level = -1

    def heading(self, markup: str, level: int) -> HeadingParagraph:
        """A bookmarked heading; outline levels never skip a level."""
        self.headings += 1
        outline = min(level - 2, self.last_level + 1)
        self.last_level = outline
        style = self.st.h2 if level == 2 else self.st.h3
        return HeadingParagraph(markup, style, f"h{self.headings}", outline)

    def box(self, content: list[Flowable], background: Any, border: Any | None = None) -> Table:
        """A tinted box around flowables, with an optional bar on the leading edge."""
        pad = self.p.layout.body_size * 0.75
        commands: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), self.st.family.name),
            ("BACKGROUND", (0, 0), (-1, -1), background),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad * 0.8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.4),
        ]
        if border is not None:
            commands.append(("LINEBEFORE", (0, 0), (0, -1), 4, border))
        table = Table([[content]], colWidths=[self.width], style=TableStyle(commands))
        table.spaceBefore, table.spaceAfter = pad * 0.5, pad
        return table

    def blocks(self, blocks: tuple[Block, ...]) -> list[Flowable]:
        """Flowables for Markdown blocks."""
        out: list[Flowable] = []
        for block in blocks:
            if isinstance(block, Heading):
                out.append(self.heading(block.markup, block.level))
            elif isinstance(block, ParagraphBlock):
                out.append(Paragraph(block.markup, self.st.body))
            elif isinstance(block, ListBlock):
                out.extend(self.list_items(block, self.st.bullet))
            elif isinstance(block, Callout):
                title = [Paragraph(block.title, self.st.box_title)] if block.title else []
                if block.kind == "help":
                    out.append(self.box(title + self.blocks(block.blocks), self.st.help, self.st.help_border))
                else:
                    out.append(self.box(title + self.blocks(block.blocks), self.st.box))
        return out

    def list_items(self, block: ListBlock, style: ParagraphStyle) -> list[Flowable]:
        """One paragraph per item, with a bullet or its number."""
        out: list[Flowable] = []
        number = 0
        for depth, markup in block.items:
            if depth == 0:
                number += 1
            mark = f"{number}." if block.ordered and depth == 0 else ("•" if depth == 0 else "–")
            indent = style.leftIndent * (depth + 1)
            item_style = ParagraphStyle(f"{style.name}{depth}", style, leftIndent=indent, bulletIndent=indent - style.leftIndent + style.bulletIndent)
            out.append(Paragraph(markup, item_style, bulletText=mark))
        return out

    # Layout blocks, named as in layouts/*.yaml -------------------------------------------

    def title(self) -> list[Flowable]:
        """The logo and clinic name, then the document title and subtitle."""
        size = self.p.layout.title_size * 1.6
        cells: list[Any] = [Paragraph(self.p.clinic_name, self.st.clinic)]
        widths = [self.width]
        if self.p.logo:
            iw, ih = ImageReader(self.p.logo).getSize()
            logo = Image(self.p.logo, width=size * iw / max(iw, ih), height=size * ih / max(iw, ih))
            cells.insert(0, logo)
            widths = [size + 10, self.width - size - 10]
        head = Table([cells], colWidths=widths, style=TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self.st.family.name),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ("LINEBELOW", (0, 0), (-1, 0), 1.5, self.st.primary),
        ]))
        return [head, Spacer(0, 6), Paragraph(self.p.title_markup, self.st.title), Paragraph(self.p.subtitle, self.st.subtitle)]

    def status(self) -> list[Flowable]:
        """A visible notice while the document is not approved."""
        if not self.p.status_notice:
            return []
        return [self.box([Paragraph(f"<b>{self.p.status_notice}</b>", self.st.cell)], self.st.box, self.st.help_border)]

    def summary(self) -> list[Flowable]:
        """The 'in short' box."""
        items = ListBlock(tuple((0, s) for s in self.p.summary), ordered=False)
        return [self.box([Paragraph(self.p.summary_heading, self.st.box_title), *self.list_items(items, self.st.bullet)], self.st.box)]

    def body(self) -> list[Flowable]:
        return self.blocks(self.p.body)

    def intro(self) -> list[Flowable]:
        return self.blocks(self.p.intro)

    def table(self) -> list[Flowable]:
        """The comparison table: labels, then one column per leaflet; the header repeats."""
        st = self.st
        label_w = self.width * self.p.layout.label_width
        column_w = (self.width - label_w) / 2
        data = [[Paragraph("", st.column_head)] + [Paragraph(c, st.column_head) for c in self.p.columns]]
        for row in self.p.rows:
            data.append([Paragraph(row.label, st.label)] + [Paragraph(c, st.cell) for c in row.cells])
        pad = self.p.layout.body_size * 0.5
        table = Table(data, colWidths=[label_w, column_w, column_w], repeatRows=1, style=TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), st.family.name),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), st.primary),
            ("BACKGROUND", (0, 1), (0, -1), st.box),
            ("LINEBELOW", (0, 0), (-1, -1), 0.6, st.rule),
            ("LINEAFTER", (0, 0), (-2, -1), 0.6, st.rule),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad * 0.8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ]))
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
        return [Paragraph(f"<b>{self.p.other_formats}</b>", style)]

    def contact(self) -> list[Flowable]:
        """The clinic's contact details in a box: two columns, then out-of-hours advice."""
        where, how = ([Paragraph(line, self.st.cell) for line in column] for column in self.p.contact)
        gap = self.p.layout.body_size
        inner = (self.width - self.p.layout.body_size * 1.5) / 2
        columns = Table([[where, how]], colWidths=[inner * 0.85, inner * 1.15], style=TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), self.st.family.name),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (0, -1), gap),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]))
        note = Paragraph(self.p.contact_note, ParagraphStyle("note", self.st.cell, spaceBefore=4))
        return [self.box([Paragraph(self.p.contact_heading, self.st.box_title), columns, note], self.st.box)]

    def sources(self) -> list[Flowable]:
        """The sources, small but never below the layout's minimum size."""
        items = ListBlock(tuple((0, s) for s in self.p.sources), ordered=False)
        head = Paragraph(self.p.sources_heading, ParagraphStyle("sources", self.st.h3, spaceBefore=4))
        return [KeepTogether([head, *self.list_items(items, self.st.small_bullet)[:1]]), *self.list_items(items, self.st.small_bullet)[1:]]

    def flowables(self) -> list[Flowable]:
        """All the layout's blocks in order."""
        out: list[Flowable] = []
        for name in self.p.layout.blocks:
            out.extend(getattr(self, name)())
        return out


def fixed_timestamp(epoch: int) -> TimeStamp:
    """A ReportLab timestamp for a given time, so builds do not depend on the clock."""
    stamp = TimeStamp(invariant=True)
    stamp.t = epoch
    stamp.lt = time.gmtime(epoch)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    return stamp


def footer_canvas(p: Prepared, family: Family, page_width: float) -> type[Canvas]:
    """A canvas class that draws 'page X of Y' footers once the page count is known."""
    lay = p.layout
    top, right, bottom, left = lay.margins
    size = lay.small_size
    leading = size * 1.25
    colour = colors.HexColor(p.colours["text"])
    rule = colors.HexColor(p.colours["rule"])

    def draw_footer(canvas: Canvas, page: int, pages: int) -> None:
        left_lines, right_lines = p.footer(page, pages)
        canvas.saveState()
        y = bottom - size * 1.2
        canvas.setStrokeColor(rule)
        canvas.setLineWidth(0.6)
        canvas.line(left, y + size * 1.1, page_width - right, y + size * 1.1)
        canvas.setFillColor(colour)
        canvas.setFont(family.name, size)
        for i, line in enumerate(left_lines):
            canvas.drawString(left, y - size - i * leading, line)
        for i, line in enumerate(right_lines):
            canvas.drawRightString(page_width - right, y - size - i * leading, line)
        canvas.restoreState()

    class FooterCanvas(Canvas):
        """Keeps each page until the end, then draws footers and bookmarks on it."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._doc._timeStamp = fixed_timestamp(p.epoch)
            self._kept_pages: list[dict[str, Any]] = []
            self._marks: list[tuple[str, float, float]] = []

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
                draw_footer(self, number, pages)
                Canvas.showPage(self)
            Canvas.save(self)

    return FooterCanvas


def check_footer_width(p: Prepared, family: Family, width: float) -> None:
    """Refuse a footer line that would run past the margins."""
    left_lines, right_lines = p.footer(88, 88)
    for i, line in enumerate(left_lines):
        used = stringWidth(line, family.name, p.layout.small_size)
        if i < len(right_lines):
            used += stringWidth(right_lines[i], family.name, p.layout.small_size) + 12
        if used > width:
            raise BuildError(f"{p.layout.path}: footer line {i + 1} is too wide for the page in {p.lang} ({used:.0f}pt of {width:.0f}pt); shorten it or split it into two lines")


def render(p: Prepared) -> bytes:
    """The PDF of a prepared document."""
    lay = p.layout
    family = register(lay.font)
    size = PAPERS[p.paper]
    if lay.orientation == "landscape":
        size = landscape(size)
    top, right, bottom, left = lay.margins
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=size,
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
    )
    frame = Frame(left, bottom, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    check_footer_width(p, family, doc.width)
    builder = Builder(p, Styles(p, family), doc.width)
    doc.build(builder.flowables(), canvasmaker=footer_canvas(p, family, size[0]))
    return buf.getvalue()
