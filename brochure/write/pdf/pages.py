"""Write a prepared document as a tagged PDF with ReportLab platypus: page size,
page templates from the layout's fold (one frame, or the panels of a tri-fold),
footers with the page count, the status band, print marks, the page limit and
auto-fit; then the structure tree (tagging.py).

Sizes, margins and colours come from the layout; text from the prepared
document; the flowables from `builder.Builder`. Nothing here reads content files.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, replace
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
)
from reportlab.platypus.doctemplate import LayoutError
from reportlab.platypus.flowables import _listWrapOn

from ...document import Prepared
from ...errors import BuildError
from ...folds import FOLDS, Fold
from ...placement import Placement
from ...scripts import SCRIPTS
from .builder import Builder
from .engine import setup
from .fonts import register, reset_private_codes
from .recording import Recorder, area
from .shaped import ShapedParagraph
from .styles import styles_for
from .tagging import Tagger

PAPERS = {"a4": A4, "letter": LETTER}
REGISTRATION = colors.CMYKColorSep(1, 1, 1, 1, spotName="All")  # printed on every plate: crop marks
CROP_BORDER = 36.0  # room around the trimmed page for crop marks; the bleed lies inside it
CROP_LENGTH = 18.0


def fixed_timestamp(epoch: int) -> TimeStamp:
    """A ReportLab timestamp for a given time, so builds do not depend on the clock."""
    stamp = TimeStamp(invariant=True)
    stamp.t = epoch
    stamp.lt = time.gmtime(epoch)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    return stamp


def panel_lefts(fold: Fold, width: float, rtl: bool) -> dict[str, float]:
    """The left edge of each panel of a fold, mirrored for right-to-left documents."""
    panel = width / fold.panels
    lefts = {}
    for side in (fold.outside, fold.inside):
        for i, name in enumerate(side):
            lefts[name] = (fold.panels - 1 - i if rtl else i) * panel
    return lefts


def footer_canvas(
    p: Prepared, builder: Builder, tagger: Tagger, page_width: float, page_height: float, recorder: Recorder | None
) -> type[Canvas]:
    """A canvas class that draws, once the page count is known, every page's furniture
    as artifacts: footers with 'page X of Y', the status band, the brand band across
    page 1 (into the bleed when there is one) and crop marks. It carries the tagger and
    the recorder, if any."""
    lay = p.layout
    fold = FOLDS[lay.fold]
    top, right, bottom, left = lay.margins
    width = page_width - left - right
    st = builder.st
    bleed = lay.bleed if lay.print_marks else 0.0
    lefts = panel_lefts(fold, page_width, p.direction == "rtl")

    def draw_band(canvas: Canvas) -> None:
        """The brand band across the top of page 1 (of the cover panel of a fold)."""
        if fold.cover:
            x0 = lefts[fold.cover]
            w = page_width / fold.panels
            x0, w = (x0 - bleed, w + bleed) if x0 == 0 else (x0, w + bleed)
        else:
            x0, w = -bleed, page_width + 2 * bleed
        canvas.setFillColor(st.primary)
        canvas.rect(x0, page_height - lay.band, w, lay.band + bleed, stroke=0, fill=1)

    def draw_status(canvas: Canvas) -> None:
        """The status of a document that is not approved, in the top margin of every
        page (of every panel of a fold), so that no page of it passes for final."""
        panel = page_width / fold.panels
        para = builder.status_band()
        height = lay.small_size * 1.5
        y = page_height - top + lay.small_size * 0.3
        for i in range(fold.panels):
            x = i * panel + left
            w = panel - left - right
            canvas.setFillColor(st.colour["help"])
            canvas.rect(x, y, w, height, stroke=0, fill=1)
            _, h = para.wrapOn(canvas, w, height)
            with area(canvas, "band", x, y, w, height):
                para.drawOn(canvas, x, y + (height - h) / 2 + lay.small_size * 0.1)

    def draw_footer(canvas: Canvas, page: int, pages: int) -> None:
        start, end = builder.footer(page, pages)
        y = bottom - lay.small_size * 0.6
        canvas.setStrokeColor(st.rule)
        canvas.setLineWidth(0.6)
        canvas.line(left, y, page_width - right, y)
        with area(canvas, "footer", left, 0, width, y):
            for lines in (start, end):
                top_y = y - lay.small_size * 0.6
                for para in lines:
                    _, h = para.wrapOn(canvas, width, bottom)
                    para.drawOn(canvas, left, top_y - h)
                    top_y -= h

    def draw_crop_marks(canvas: Canvas) -> None:
        """Crop marks at the trim box's corners, outside the bleed, in Registration."""
        gap = CROP_BORDER - CROP_LENGTH
        canvas.setStrokeColor(REGISTRATION)
        canvas.setLineWidth(0.5)
        for x in (0.0, page_width):
            canvas.line(x, -CROP_BORDER, x, -gap)
            canvas.line(x, page_height + gap, x, page_height + CROP_BORDER)
        for y in (0.0, page_height):
            canvas.line(-CROP_BORDER, y, -gap, y)
            canvas.line(page_width + gap, y, page_width + CROP_BORDER, y)

    class FooterCanvas(Canvas):
        """Keeps each page until the end, then draws footers, bands and bookmarks on it."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._doc._timeStamp = fixed_timestamp(p.info.epoch)
            self.tagger = tagger
            self.recorder = recorder
            self.bullet_label = None
            self._kept_pages: list[dict[str, Any]] = []
            self._marks: list[tuple[str, float, float]] = []

        def furniture(self, draw: Any, *args: Any, kind: str = "Layout") -> None:
            """Draw page furniture as an artifact, in its own graphics state."""
            with tagger.artifact(self, kind):
                self.saveState()
                draw(self, *args)
                self.restoreState()

        def bookmarkHorizontal(self, key: str, relativeX: float, relativeY: float, **kw: Any) -> None:  # noqa: N802, N803
            left_x, top_y = self.absolutePosition(relativeX, relativeY)
            self._marks.append((key, left_x, top_y))

        def linkURL(self, *args: Any, **kwargs: Any) -> None:  # noqa: N802 - ReportLab's name
            if lay.print_marks:
                return  # paper has no links, and PDF/X allows no annotations on the page
            super().linkURL(*args, **kwargs)
            tagger.link(self)

        def showPage(self) -> None:  # noqa: N802
            self._kept_pages.append(dict(self.__dict__))
            self._startPage()
            self._marks = []

        def save(self) -> None:
            pages = len(self._kept_pages)
            for number, state in enumerate(self._kept_pages, 1):
                self.__dict__.update(state)
                for key, left_x, top_y in self._marks:
                    self.bookmarkHorizontalAbsolute(key, top_y, left=left_x)
                if number == 1 and lay.band and lay.print_marks:  # office printers cannot print to the edge
                    self.furniture(draw_band)
                if p.info.status_band:
                    self.furniture(draw_status, kind="Pagination")
                if fold.page_footer:
                    self.furniture(draw_footer, number, pages, kind="Pagination")
                if lay.print_marks:
                    self.furniture(draw_crop_marks)
                Canvas.showPage(self)
            Canvas.save(self)

    return FooterCanvas


class NoRoom(BuildError):
    """Margins that leave the text too little room, or a footer taller than the bottom
    margin: what is wrong, and how to fix it."""

    def __init__(self, what: str, hint: str) -> None:
        super().__init__(f"{what} ({hint})")
        self.what, self.hint = what, hint


MIN_FRAME = 50 * mm  # the narrowest and shortest room for text a page or panel may leave


def check_room(p: Prepared, width: float, height: float) -> None:
    """Refuse margins that leave a page's (or panel's) text less than MIN_FRAME each way."""
    top, right, bottom, left = p.layout.margins
    room = (width - left - right, height - top - bottom)
    if min(room) < MIN_FRAME:
        where = "panel" if FOLDS[p.layout.fold].panels > 1 else "page"
        raise NoRoom(
            f"'{p.name}' in '{p.lang}' with layout '{p.layout.name}': the margins leave the text"
            f" {room[0] / mm:.0f} x {room[1] / mm:.0f} mm of the {width / mm:.0f} x {height / mm:.0f} mm {where}",
            f"make the layout's margins (page: margins:) smaller; the text needs at least {MIN_FRAME / mm:.0f} mm each way",
        )


def check_footer_fits(p: Prepared, builder: Builder, width: float) -> None:
    """Refuse a footer that would not fit in the bottom margin."""
    if not FOLDS[p.layout.fold].page_footer:
        return  # a folded layout prints its footer lines on a panel
    start, end = builder.footer(88, 88)
    for lines in (start, end):
        height = sum(para.wrap(width, 1000)[1] for para in lines)
        room = p.layout.margins[2] - p.layout.small_size * 1.5
        if height > room:
            raise NoRoom(
                f"'{p.name}' in '{p.lang}' with layout '{p.layout.name}': the footer needs {height:.0f}pt,"
                f" but the bottom margin leaves it {room:.0f}pt",
                "shorten the footer lines, or make the layout's bottom margin (page: margins: bottom:) larger",
            )


@dataclass(frozen=True)
class CropMarks:
    """What ReportLab's canvas reads to grow the page by a border for crop marks; the
    marks themselves are drawn by the footer canvas (as artifacts, in Registration)."""

    borderWidth: float  # noqa: N815 - ReportLab's attribute names
    markLength: float = 0  # noqa: N815
    markWidth: float = 0  # noqa: N815
    bleedWidth: float = 0  # noqa: N815
    markColor: Any = None  # noqa: N815
    markLast: int = 0  # noqa: N815


class PageOverflow(Exception):
    """The document needs more pages (or panels) than its layout allows."""

    def __init__(self, p: Prepared, pages: int, excess: float) -> None:
        lay = p.layout
        panels = FOLDS[lay.fold].panels
        unit = "panels" if panels > 1 else "pages"
        lines = excess / lay.leading
        super().__init__(
            f"'{p.name}' in '{p.lang}' with layout '{lay.name}' does not fit its {lay.page_limit * panels} {unit}: "
            f"it overflows by {excess / 72 * 25.4:.0f} mm (about {lines:.0f} lines of text)"
        )
        self.pages, self.excess = pages, excess


class BlockTooTall(Exception):
    """A box or table that must be kept whole is taller than a page or panel."""


class KeepWithFirstLines(KeepTogether):
    """A heading (or lead-in) and what follows it, kept together as ReportLab does, except
    that what follows may split: where the heading and the first lines of the next
    paragraph or list item fit at the foot of a page, they stay there and the rest runs
    on, instead of the whole group leaving a gap of many lines."""

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803 - ReportLab's names
        *head, last = self._content
        if head and self._H > aH and isinstance(last, Paragraph | ShapedParagraph):
            width, height = _listWrapOn(head, aW, self.canv)
            room = aH - height - max(head[-1].getSpaceAfter(), last.getSpaceBefore())
            if width <= aW and room > 0:
                parts = last.split(aW, room)
                if len(parts) > 1:
                    return [*head, *parts]
        return super().split(aW, aH)  # type: ignore[no-any-return]


class LimitedDocTemplate(BaseDocTemplate):
    """Remembers the frames of each page and how far down each the content went, to
    measure an overflow (and what is placed); keeps headings with what follows them by
    KeepWithFirstLines."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, keepTogetherClass=KeepWithFirstLines, **kwargs)
        self.lowest: dict[tuple[int, str], tuple[float, float]] = {}
        self.sides: list[list[Frame]] = []  # each page's frames

    def beforePage(self) -> None:  # noqa: N802 - ReportLab's name
        self.sides.append(list(self.pageTemplate.frames))

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - ReportLab's name
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
    """The trimmed page size: the paper (or two of it side by side), turned for landscape layouts."""
    width, height = PAPERS[p.paper]
    if p.layout.sheet == "double":  # A4 -> A3, Letter -> Tabloid
        width, height = height, width * 2
    return landscape((width, height)) if p.layout.orientation == "landscape" else (width, height)


def templates(
    fold: Fold, width: float, height: float, margins: tuple[float, float, float, float], rtl: bool
) -> list[PageTemplate]:
    """Page templates of a fold: one for each side of the sheet, its frames listed in
    the order they are filled, which is the order they are read."""
    top, right, bottom, left = margins
    panel = width / fold.panels
    lefts = panel_lefts(fold, width, rtl)

    def frame(name: str) -> Frame:
        return Frame(
            lefts[name] + left,
            bottom,
            panel - left - right,
            height - top - bottom,
            id=name,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    sides = [("page" if not fold.inside else "outside", fold.outside)] + ([("inside", fold.inside)] if fold.inside else [])
    return [PageTemplate(id=name, frames=[frame(n) for n in fold.order if n in panels]) for name, panels in sides]


SHORT_LAST_PAGE = 0.25  # of a page's frame: a last page holding less is all but empty


def tail_kept_together(story: list[Flowable], width: float, height: float) -> list[Flowable]:
    """The story with its last flowables kept together, as many as fill a quarter of a
    page (the sources and the lines about the leaflet, say), so that the last page is
    never one stray line; the story as it is if they would not fit one page."""
    total = 0.0
    for start in range(len(story) - 1, -1, -1):
        flowable = story[start]
        total += flowable.wrap(width, height)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
        if total >= SHORT_LAST_PAGE * height:
            break
    while start > 0 and story[start - 1].getKeepWithNext():  # a heading goes with what it is kept with
        start -= 1
        total += story[start].wrap(width, height)[1]
    if total > height or start == 0:
        return story
    return [*story[:start], KeepTogether(story[start:])]


@dataclass(frozen=True)
class Built:
    """A rendered PDF and what its layout came to."""

    pdf: bytes
    pages: int
    excess: float  # the height it overflows its page limit by
    last: float  # how full its last page is (a share of the frame)
    boxes_moved: bool  # a box moved whole to the next page, though it could have run on


def build_pdf(p: Prepared, recorder: Recorder | None = None, keep_tail: bool = False, boxes_whole: bool = True) -> Built:
    """The tagged PDF of a prepared document and what its layout came to; `keep_tail` keeps the last
    quarter page of content together (tail_kept_together); unless `boxes_whole`, a box
    that may run on does so wherever it meets the foot of a page. A recorder, if given,
    is left holding what was placed."""
    setup()
    lay = p.layout
    fold = FOLDS[lay.fold]
    register(lay.font)  # the layout's font, then the script's; fallback families register when a run needs one
    family = register(SCRIPTS[p.script].family or lay.font)
    reset_private_codes()
    width, height = page_size(p)
    top, right, bottom, left = lay.margins
    check_room(p, width / fold.panels, height)
    marks: dict[str, Any] = {}
    if lay.print_marks:
        border, bleed = CROP_BORDER, lay.bleed
        marks = {
            "cropMarks": CropMarks(borderWidth=border),
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
        title=p.info.title,
        author=p.info.author,
        subject=p.info.subtitle,
        keywords=p.info.keywords,
        creator="brochure",
        lang=p.locale,
        displayDocTitle=1,
        invariant=1,
        initialFontName=family.name,
        initialFontSize=lay.body_size,
        initialLeading=lay.leading,
        **marks,
    )
    tagger = Tagger()
    builder = Builder(p, styles_for(p, family), width / fold.panels - left - right, tagger.root)
    builder.boxes_moved = [] if boxes_whole else None
    doc.addPageTemplates(templates(fold, width, height, lay.margins, p.direction == "rtl"))
    story: list[Flowable] = [NextPageTemplate("inside")] if fold.inside else []
    for panel in fold.fixed:
        story += [*builder.flowables(lay.panels[panel]), FrameBreak()]
    story += builder.flowables(lay.blocks)
    frame_height = height - top - bottom
    if keep_tail:
        story = tail_kept_together(story, width / fold.panels - left - right, frame_height)
    check_footer_fits(p, builder, width - left - right)
    try:
        if recorder is not None:
            recorder.start(p.lang)
        doc.build(story, canvasmaker=footer_canvas(p, builder, tagger, width, height, recorder))
    except LayoutError:
        raise BlockTooTall(f"a box or table in '{p.name}' [{p.lang}, {lay.name}] is taller than a page") from None
    if recorder is not None:
        recorder.done(p, doc, fold.fixed)
    from .finish import finish  # here: pikepdf loads only where a PDF is rendered

    pdf = finish(buf.getvalue(), tagger, p, builder.headings)
    last = sum(top_y - low for (page, _), (top_y, low) in doc.lowest.items() if page == doc.page) / frame_height
    return Built(pdf, doc.page, doc.excess(lay.page_limit), last, bool(builder.boxes_moved))


def render(p: Prepared, recorder: Recorder | None = None) -> bytes:
    """The PDF of a prepared document; PageOverflow if it needs more pages than allowed.
    The first way that keeps the page limit is taken: help boxes kept whole, then let run
    on; pages with a footer made with the end of the story kept together, so that the
    last page is never all but empty, then the story as it is (kept together, the end may
    need a page more). A recorder, if given, is left holding what was placed (overflowing
    or not)."""
    keep_tail = FOLDS[p.layout.fold].page_footer
    tails = (True, False) if keep_tail else (False,)
    moved = False
    for boxes_whole in (True, False):
        if not boxes_whole and not moved:
            break  # no box moved whole: letting them run on lays the pages out the same
        for tail in tails:
            built = build_pdf(p, recorder, tail, boxes_whole)
            moved = moved or built.boxes_moved
            if built.pages <= p.layout.page_limit:
                return built.pdf
    raise PageOverflow(p, built.pages, built.excess)


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


def fit(p: Prepared, recorder: Recorder | None = None) -> tuple[bytes, float]:
    """Render, shrinking type step by step if the document overflows, never below the
    layout's minimum size; returns the PDF and the factor its sizes were scaled by
    (1.0: not at all; `scaled(p, factor)` is the document as rendered). A recorder, if
    given, is left holding what the last attempt placed."""
    factor = 1.0
    while True:
        attempt = scaled(p, factor) if factor < 1.0 else p
        try:
            return render(attempt, recorder), factor
        except PageOverflow:
            at_floor = attempt.layout.leading <= attempt.layout.body_size * 1.2 and all(
                getattr(attempt.layout, k) <= attempt.layout.min_size for k in ("h2_size", "h3_size", "small_size")
            )
            if at_floor or factor <= 0.5:
                raise
            factor = round(factor - FIT_STEP, 2)


def render_fitted(p: Prepared, recorder: Recorder | None = None) -> tuple[bytes, str]:
    """Render, shrinking type step by step if the document overflows (fit); returns the
    PDF and a note of what was done ('' if nothing)."""
    pdf, factor = fit(p, recorder)
    if factor == 1.0:
        return pdf, ""
    lay = scaled(p, factor).layout
    return pdf, (
        f"fitted '{p.name}' [{p.lang}, {lay.name}] at {factor:.0%} of the layout's sizes: "
        f"body {lay.body_size:g}pt, headings {lay.h2_size:g}pt, leading {lay.leading:g}pt"
    )


def place(p: Prepared, fit: bool = False) -> Placement:
    """What the writer places on the pages of a prepared document (shrunk to fit if
    asked, as a personalised copy is), rendered but not written, overflowing or not."""
    recorder = Recorder()
    try:
        render_fitted(p, recorder) if fit else render(p, recorder)
    except PageOverflow:
        pass  # an overflow is reported by the build; its pages are still worth reading
    assert recorder.placed is not None
    return recorder.placed
