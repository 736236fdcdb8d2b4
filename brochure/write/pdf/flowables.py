"""The flowables brochure draws with: tagged paragraphs (ReportLab's and the shaped
one), bookmarked headings, the tinted box, tables whose rules and tints are
artifacts, and a wrapper that makes anything an artifact (the logo)."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table
from reportlab.platypus.doctemplate import ActionFlowable
from reportlab.platypus.paragraph import ParaLines, _handleBulletWidth

from .cjk import break_cjk, characters_breaks, widest_piece
from .recording import Recorded, area
from .shaped import ShapedParagraph
from .tagging import TaggedMixin, tagger_of


def measured(width: float, measure: float) -> float:
    """The width a paragraph or box takes of the width it is given: no more than the
    layout's measure (0: no limit)."""
    return min(width, measure) if measure else width


class Measured:
    """Mixin for a paragraph: its lines are no wider than its style's measure; a paragraph
    narrower than its frame stands at the frame's start edge (the right, right to left)."""

    style: Any
    hAlign: str  # noqa: N815 - ReportLab's name

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.hAlign = "RIGHT" if self.style.alignment == TA_RIGHT else "LEFT"
        return super().wrap(measured(availWidth, getattr(self.style, "measure", 0)), availHeight)  # type: ignore[misc, no-any-return]

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return super().split(measured(availWidth, getattr(self.style, "measure", 0)), availHeight)  # type: ignore[misc, no-any-return]


class TaggedParagraph(Recorded, TaggedMixin, Measured, Paragraph):
    """A ReportLab paragraph drawn as the content of its element; Chinese lines broken
    by the script's rules (cjk.py) instead of ReportLab's."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """The paragraph's size; wrapped again at the same width (the end of a story is
        measured before it is laid out), the lines it has."""
        wrapped: tuple[float, tuple[float, float]] | None = getattr(self, "_wrapped", None)
        if wrapped is None or wrapped[0] != availWidth or not hasattr(self, "blPara"):  # split() may drop its lines
            wrapped = self._wrapped = (availWidth, super().wrap(availWidth, availHeight))
        return wrapped[1]

    def breakLinesCJK(self, maxWidths: Any) -> ParaLines:  # noqa: N802, N803 - ReportLab's names
        breaks = getattr(self.style, "breaks", None)
        if breaks is None or not self.frags:
            return super().breakLinesCJK(maxWidths)
        widths = list(maxWidths) if isinstance(maxWidths, list | tuple) else [maxWidths]
        self.height = 0
        _handleBulletWidth(self.bulletText, self.style, widths)
        if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
            return self.blPara
        auto = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        return break_cjk(self.frags, widths, auto not in ("", "off"), breaks)

    def minWidth(self) -> float:  # noqa: N802 - ReportLab's name
        """The widest word; in Chinese, the widest stretch a line may not break inside."""
        breaks = characters_breaks(self.style)
        if breaks is None or not self.frags:
            return float(super().minWidth())
        return widest_piece(self.frags, breaks)


class TaggedShaped(Recorded, TaggedMixin, Measured, ShapedParagraph):
    """A shaped paragraph (Arabic, Devanagari) drawn as the content of its element."""


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


class HeadingParagraph(Bookmarked, TaggedParagraph):
    """A heading with a bookmark."""


class ShapedHeading(Bookmarked, TaggedShaped):
    """A shaped heading with a bookmark."""


class Artifact(Flowable):
    """Another flowable, drawn as an artifact of a kind: decoration that is not content
    (Layout), or content repeated where a page breaks (Pagination)."""

    def __init__(self, inner: Flowable, kind: str = "Layout") -> None:
        super().__init__()
        self.inner, self.kind = inner, kind
        self.hAlign = getattr(inner, "hAlign", "LEFT")
        self.spaceBefore, self.spaceAfter = inner.getSpaceBefore(), inner.getSpaceAfter()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width, self.height = self.inner.wrap(availWidth, availHeight)
        return self.width, self.height

    def draw(self) -> None:
        tagger = tagger_of(self.canv)
        if tagger is None:
            self.inner.drawOn(self.canv, 0, 0)
            return
        with tagger.artifact(self.canv, self.kind):
            self.inner.drawOn(self.canv, 0, 0)


class ValueTooLong(ValueError):
    """A patient's value takes more lines of its box than its LineLimit allows."""

    def __init__(self, value: str, message: str) -> None:
        super().__init__(message)
        self.value = value


def check_limit(flowable: Flowable, height: float, width: float) -> None:
    """A paragraph with a LineLimit fits it at `width`: no word wider than the box and
    no more lines than allowed; ValueTooLong if not."""
    limit = getattr(flowable, "limit", None)
    if limit is None:
        return
    if flowable.minWidth() > width:
        raise ValueTooLong(limit.value, f"has a word {flowable.minWidth() / width:.1f} times as wide as the appointment box")
    lines = round(height / flowable.style.leading)
    if lines > limit.lines:
        raise ValueTooLong(limit.value, f"takes {lines} lines of the appointment box, at most {limit.lines} fit")


def tallest_frame(canvas: Canvas | None) -> float:
    """The height of the tallest frame of the document a canvas draws (0 outside one)."""
    doc = getattr(canvas, "_doctemplate", None)
    frames = [frame for template in getattr(doc, "pageTemplates", ()) for frame in template.frames]
    return max((frame._aH for frame in frames), default=0.0)


class Box(Flowable):
    """Flowables on a tinted background, with a bar on the leading edge; kept whole, or,
    given `min_part` (and, with `moves`, taller than a frame), run on to the next
    page between two of its flowables when each part is at least that tall (a few lines:
    its heading never ends a page alone, a last line never starts one alone), the part on
    the next page headed by `continued` (its heading again, an artifact). Lighter than a
    one-cell Table, which measures its content twice. A paragraph with a line limit is
    checked against it here, where its width is known. A box with `moves` that could run
    on but moves whole to the next frame notes itself there."""

    def __init__(
        self,
        content: list[Flowable],
        background: Any,
        bar: Any | None,
        pad: float,
        rtl: bool,
        measure: float = 0,
        min_part: float = 0,
        continued: Flowable | None = None,
        moves: list[Box] | None = None,
    ) -> None:
        super().__init__()
        self.content, self.background, self.bar, self.pad, self.rtl = content, background, bar, pad, rtl
        self.min_part = min_part  # 0: kept whole
        self.moves = moves  # given: runs on only if it is taller than a frame
        self.continued = continued
        self.measure = measure + 2 * pad if measure else 0  # the box of a measure of text
        self.hAlign = "RIGHT" if rtl else "LEFT"
        self.spaceBefore, self.spaceAfter = pad * 0.5, pad
        self.heights: list[float] = []
        self.min_height = 0.0  # a box of a fixed size (a stamped appointment slot) is at least this tall

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        availWidth = measured(availWidth, self.measure)  # noqa: N806
        inner = availWidth - 2 * self.pad
        self.heights = [f.wrap(inner, availHeight)[1] for f in self.content]
        for flowable, height in zip(self.content, self.heights, strict=True):
            check_limit(flowable, height, inner)
        gaps = [max(a.getSpaceAfter(), b.getSpaceBefore()) for a, b in zip(self.content, self.content[1:], strict=False)]
        self.width = availWidth
        self.needed = sum(self.heights) + sum(gaps) + self.pad * 1.2
        self.height = max(self.needed, self.min_height)
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        if not self.min_part:
            return []
        self.wrap(availWidth, availHeight)
        parts = self.parts(availHeight)
        if parts and self.moves is not None and self.height <= tallest_frame(getattr(self, "canv", None)):
            self.moves.append(self)
            return []  # it moves whole to the next frame
        return parts

    def parts(self, availHeight: float) -> list[Flowable]:  # noqa: N803
        """The box as two parts, the first `availHeight` tall at most; none if it cannot
        run on there."""
        room = availHeight - self.pad * 1.2
        used, fits = 0.0, 0
        for i, height in enumerate(self.heights):
            gap = max(self.content[i - 1].getSpaceAfter(), self.content[i].getSpaceBefore()) if i else 0.0
            if used + gap + height > room:
                break
            used, fits = used + gap + height, i + 1
        while fits and self.content[fits - 1].getKeepWithNext():  # a lead-in stays with what it leads
            fits -= 1
        if not fits or sum(self.heights[:fits]) < self.min_part or sum(self.heights[fits:]) < self.min_part:
            return []
        rest = [self.continued, *self.content[fits:]] if self.continued else self.content[fits:]
        return [self.part(self.content[:fits]), self.part(rest, first=False)]

    def part(self, content: list[Flowable], first: bool = True) -> Box:
        """A box of some of this box's flowables, looking the same."""
        box = Box(
            content,
            self.background,
            self.bar,
            self.pad,
            self.rtl,
            min_part=self.min_part,
            continued=self.continued,
            moves=self.moves,
        )
        box.measure, box.spaceBefore = self.measure, self.spaceBefore if first else 0
        return box

    def draw_tint(self) -> None:
        """The background and the bar."""
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(self.background)
        canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        if self.bar is not None:
            canvas.setFillColor(self.bar)
            canvas.rect(self.width - 4 if self.rtl else 0, 0, 4, self.height, stroke=0, fill=1)
        canvas.restoreState()

    def draw(self) -> None:
        tagger = tagger_of(self.canv)
        if tagger is None:
            self.draw_tint()
        else:
            with tagger.artifact(self.canv, "Layout"):
                self.draw_tint()
        y = self.height - self.pad * 0.8
        with area(self.canv, "box", self.pad, 0, self.width - 2 * self.pad, self.height):
            for i, (flowable, height) in enumerate(zip(self.content, self.heights, strict=True)):
                if i:
                    y -= max(self.content[i - 1].getSpaceAfter(), flowable.getSpaceBefore())
                flowable.drawOn(self.canv, self.pad, y - height)
                y -= height


class ReservedSlot(Flowable):
    """The appointment box of a personalised copy rendered once for every patient: an
    empty box of the layout's fixed height across the frame, spaced as the box is, kept
    whole. Where it is drawn is kept on its (reserved) element, for the stamp."""

    def __init__(self, node: Any, height: float, pad: float) -> None:
        super().__init__()
        self.node, self.height = node, height
        self.spaceBefore, self.spaceAfter = pad * 0.5, pad

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        return []

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 0)
        self.node.place = (self.canv.getPageNumber() - 1, x, y, self.width, self.height)


class ToLastPanel(ActionFlowable):
    """Moves the flow on to the last panel of the page's side, so that what follows
    fills it (a tri-fold's questions and notes); nothing where the flow is there already."""

    def __init__(self) -> None:
        super().__init__(("frameEnd",))

    def apply(self, doc: Any) -> None:
        frames = doc.pageTemplate.frames
        if doc.frame is not frames[-1]:
            doc._nextFrameIndex = len(frames) - 1
            doc.handle_frameEnd()


class NotesBox(Box):
    """A box that takes the rest of its frame, ruled below its text for the patient to
    write on; none at all where less than three ruled lines would fit."""

    LINES = 3

    def __init__(self, content: list[Flowable], background: Any, rule: Any, pad: float, gap: float) -> None:
        super().__init__(content, background, None, pad, False)
        self.rule, self.gap, self.text_height = rule, gap, 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        _, self.text_height = super().wrap(availWidth, availHeight)
        room = availHeight - self.spaceBefore - self.spaceAfter - 1
        self.height = room if room >= self.text_height + self.LINES * self.gap else 0.0
        return availWidth, self.height

    def draw_tint(self) -> None:
        super().draw_tint()
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(self.rule)
        canvas.setLineWidth(0.6)
        y = self.height - self.text_height - self.gap
        while y > self.pad:
            canvas.line(self.pad, y, self.width - self.pad, y)
            y -= self.gap
        canvas.restoreState()

    def draw(self) -> None:
        if self.height:
            super().draw()

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        if self.height:
            super().drawOn(canvas, x, y, _sW)


class TaggedTable(Table):
    """A table whose tints and rules are artifacts; the header rows it repeats on a
    later page are artifacts too, since their element is already on the first."""

    repeated = 0  # header rows repeated at the top of this part of a split table

    def _drawBkgrnd(self) -> None:  # noqa: N802 - ReportLab's name
        with self.decoration():
            super()._drawBkgrnd()

    def _drawLines(self) -> None:  # noqa: N802
        with self.decoration():
            super()._drawLines()

    def decoration(self) -> Any:
        """Tints and rules: artifacts."""
        tagger = tagger_of(self.canv)
        return tagger.artifact(self.canv, "Layout") if tagger else nullcontext()

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        parts = super().split(availWidth, availHeight)
        for part in parts[1:]:
            part.repeated = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
        return parts

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: Any, size: Any) -> None:  # noqa: N802
        tagger = tagger_of(self.canv)
        row = self._rowpositions[1:].index(pos[1]) if self.repeated and tagger else None
        with area(self.canv, "cell", *inside_padding(cellstyle, pos, size)):
            if row is not None and row < self.repeated:
                with tagger.artifact(self.canv, "Pagination"):  # type: ignore[union-attr]
                    super()._drawCell(cellval, cellstyle, pos, size)
            else:
                super()._drawCell(cellval, cellstyle, pos, size)


def inside_padding(cellstyle: Any, pos: Any, size: Any) -> tuple[float, float, float, float]:
    """A table cell's room for its content: the cell less its padding."""
    (x, y), (width, height) = pos, size
    left, right = cellstyle.leftPadding, cellstyle.rightPadding
    bottom, top = cellstyle.bottomPadding, cellstyle.topPadding
    return x + left, y + bottom, width - left - right, height - top - bottom
