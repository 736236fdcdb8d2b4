"""Render a prepared document to PDF bytes with ReportLab platypus: page size,
page templates (one frame, or the panels of a tri-fold), footers with the page
count, print marks, the page limit and auto-fit.

Sizes, margins and colours come from the layout; text and values from the
prepared document; the flowables from `blocks.Builder`. Nothing here reads
content files.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, replace
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.utils import TimeStamp
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    NextPageTemplate,
    PageTemplate,
)

from .blocks import Builder, Styles
from .compose import plain_text
from .document import Prepared
from .errors import BuildError
from .fonts import SCRIPT_FAMILIES, chain_for, register, reset_private_codes

PAPERS = {"a4": A4, "letter": LETTER}
# Binary streams: ASCII85 only makes files a quarter larger and costs time (pure Python).
rl_config.useA85 = 0


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

    def draw_status(canvas: Canvas) -> None:
        """The status of a document that is not approved, in the top margin of every
        page (of every panel of a tri-fold), so that no page of it passes for final."""
        panels = 3 if lay.fold == "trifold" else 1
        panel = page_width / panels
        para = builder.status_band()
        height = lay.small_size * 1.5
        y = page_height - top + lay.small_size * 0.3
        canvas.saveState()
        for i in range(panels):
            x = i * panel + left
            w = panel - left - right
            canvas.setFillColor(colors.HexColor(p.colours["help"]))
            canvas.rect(x, y, w, height, stroke=0, fill=1)
            _, h = para.wrapOn(canvas, w, height)
            para.drawOn(canvas, x, y + (height - h) / 2 + lay.small_size * 0.1)
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
                if p.status_band:
                    draw_status(self)
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
    width, height = PAPERS[p.paper]
    if p.layout.sheet == "double":  # two sheets side by side: A4 -> A3, Letter -> Tabloid
        width, height = height, width * 2
    return landscape((width, height)) if p.layout.orientation == "landscape" else (width, height)


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
        keywords=p.keywords,
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
