"""Record what the PDF writer places, as plain data (placement.py), for the page linter.

Off unless the writer is given a `Recorder`: the canvas then carries it, each
paragraph reports its lines once drawn (`Recorded`), and the boxes, table cells,
figures and page furniture that text must stay inside say so (`area`). Without a
recorder each hook is one attribute lookup.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT

from ...placement import Frame, Line, Placement, Rect
from .shaped import ShapedParagraph, shaped, visual_order

ASCENT, DESCENT = 0.75, 0.2  # of the font size: the box of a line's ink (cap height and usual descenders)
ROLE_KINDS = {"H1": "heading", "H2": "heading", "H3": "heading", "H4": "heading", "TH": "cell", "TD": "cell"}
AREA_KINDS = {"figure": "label", "footer": "footer", "band": "band"}


@dataclass(frozen=True)
class Drawn:
    """A line of a paragraph in the paragraph's own coordinates: left end, baseline, width."""

    x: float
    baseline: float
    width: float
    size: float
    text: str


class Recorder:
    """Collects the lines drawn and the frames of each page while one PDF is built."""

    def __init__(self) -> None:
        self.start("")

    def start(self, lang: str) -> None:
        """Begin a document in `lang`, forgetting an earlier attempt (a fitted document is built more than once)."""
        self.lang = lang
        self.lines: list[Line] = []
        self.areas: list[tuple[str, Rect]] = []  # innermost last
        self.blocks: dict[int, int] = {}
        self.kept: list[Any] = []  # what block numbers were taken from, kept alive so ids stay unique
        self.placed: Placement | None = None

    def enter(self, canvas: Any, kind: str, x: float, y: float, width: float, height: float) -> None:
        """Text drawn until `leave` must stay inside this rectangle (in the canvas's coordinates)."""
        left, bottom = canvas.absolutePosition(x, y)
        self.areas.append((kind, Rect(left, bottom, width, height)))

    def leave(self) -> None:
        self.areas.pop()

    def paragraph(self, para: Any, canvas: Any) -> None:
        """A paragraph has been drawn: record each of its lines."""
        origin_x, origin_y = canvas.absolutePosition(0, 0)
        frame = getattr(getattr(canvas, "_doctemplate", None), "frame", None)
        area, bounds = self.areas[-1] if self.areas else ("frame", frame_rect(frame))
        frame_name = area if area in ("footer", "band") else getattr(frame, "id", "")
        tag = getattr(para, "tag", None)
        kind = ROLE_KINDS.get(getattr(tag, "role", ""), "") or getattr(para, "kind", "") or AREA_KINDS.get(area, "body")
        owner = tag if tag is not None else object()  # a paragraph without an element (a label, a footer) is drawn once
        self.kept.append(owner)
        block = self.blocks.setdefault(id(owner), len(self.blocks))
        lang = getattr(tag, "lang", "") or self.lang
        page = canvas.getPageNumber()
        for drawn in lines_of(para):
            box = Rect(
                origin_x + drawn.x,
                origin_y + drawn.baseline - DESCENT * drawn.size,
                drawn.width,
                (ASCENT + DESCENT) * drawn.size,
            )
            self.lines.append(Line(page, box, drawn.text, drawn.size, kind, frame_name, area, bounds, block, lang))

    def done(self, p: Any, doc: Any, fixed: tuple[str, ...]) -> None:
        """The document `p` has been built by `doc` (pages.LimitedDocTemplate): keep what
        was placed as `placed`; `fixed` names the fold's fixed panels."""
        frames = []
        for page, side in enumerate(doc.sides, 1):
            for frame in side:
                top, low = doc.lowest.get((page, frame.id), (0.0, 0.0))
                frames.append(Frame(page, frame.id, frame_rect(frame), top - low, frame.id in fixed))
        self.placed = Placement(p.name, p.lang, p.script, p.layout.name, p.paper, tuple(self.lines), tuple(frames))


def recorder_of(canvas: Any) -> Recorder | None:
    """The recorder a canvas draws for, if any."""
    return getattr(canvas, "recorder", None)


@contextmanager
def area(canvas: Any, kind: str, x: float, y: float, width: float, height: float) -> Iterator[None]:
    """Text drawn inside the `with` must stay inside this rectangle (if anything records)."""
    recorder = recorder_of(canvas)
    if recorder is None:
        yield
        return
    recorder.enter(canvas, kind, x, y, width, height)
    try:
        yield
    finally:
        recorder.leave()


def frame_rect(frame: Any) -> Rect:
    """A ReportLab frame's rectangle (the whole page's origin if there is none)."""
    if frame is None:
        return Rect(0, 0, 0, 0)
    return Rect(frame._x1, frame._y1, frame._width, frame._height)


class Recorded:
    """Mixin for a paragraph flowable: reports its lines to the canvas's recorder once drawn."""

    def _drawOn(self, canv: Any) -> None:  # noqa: N802 - ReportLab's name
        super()._drawOn(canv)  # type: ignore[misc]
        recorder = recorder_of(canv)
        if recorder is not None:
            recorder.paragraph(self, canv)


def lines_of(para: Any) -> list[Drawn]:
    """The lines of a drawn paragraph (ReportLab's, or the shaped one)."""
    if isinstance(para, ShapedParagraph):
        return shaped_lines(para)
    return reportlab_lines(para)


def shaped_lines(para: ShapedParagraph) -> list[Drawn]:
    """The lines of a shaped paragraph, placed as its `draw` places them."""
    out = []
    baseline = para.height - para.style.fontSize
    for line in para.lines or []:
        width = sum(shaped(run).width for run in visual_order(line))
        size = max(c.style.size for c in line)
        out.append(Drawn(para.line_start(width), baseline, width, size, "".join(c.char for c in line)))
        baseline -= para.style.leading
    return out


def reportlab_lines(para: Any) -> list[Drawn]:
    """The lines of a ReportLab paragraph, placed as its `drawPara` places them: each
    line's width is what its words take (wider than the room when punctuation hangs)."""
    style, bl = para.style, para.blPara
    room = para.width - style.leftIndent - style.rightIndent
    out = []
    baseline = para.height - (bl.fontSize if bl.kind == 0 else bl.lines[0].fontSize if bl.lines else 0)
    last = len(bl.lines) - 1
    for i, line in enumerate(bl.lines):
        if bl.kind == 0:
            extra, text, size = line[0], " ".join(line[1]), bl.fontSize
        else:
            extra, text, size = line.extraSpace, "".join(getattr(w, "text", "") for w in line.words), line.fontSize
        first = style.firstLineIndent if i == 0 else 0
        width = room - first - extra
        x = style.leftIndent + first
        if style.alignment == TA_RIGHT:
            x = para.width - style.rightIndent - width
        elif style.alignment == TA_CENTER:
            x = style.leftIndent + (room - width) / 2
        elif style.alignment == TA_JUSTIFY and i < last and extra > 0:
            width = room - first
        out.append(Drawn(x, baseline, width, size, text.strip()))
        baseline -= style.leading
    return out
