"""Draw a figure of the document model (shapes from content/figures/) as vectors,
with its labels beside it: the labels are paragraphs made by the builder, so they
get font fallback and right-to-left text like any other text. The whole figure is
the content of a Figure element whose alt text a reader gets instead."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.flowables import Flowable

from ...document import Figure
from ...model import Shape
from .tagging import TaggedMixin

LEADER = colors.HexColor("#444444")


def draw_shape(canvas: Canvas, shape: Shape) -> None:
    """One shape, in the figure's own coordinates."""
    canvas.setLineWidth(shape.width)
    if shape.fill:
        canvas.setFillColor(colors.HexColor(shape.fill))
    if shape.stroke:
        canvas.setStrokeColor(colors.HexColor(shape.stroke))
    fill, stroke = int(bool(shape.fill)), int(bool(shape.stroke))
    if shape.kind == "circle":
        x, y, r = shape.points
        canvas.circle(x, y, r, stroke=stroke, fill=fill)
        return
    if shape.kind == "ellipse":
        canvas.ellipse(*shape.points, stroke=stroke, fill=fill)
        return
    path = canvas.beginPath()
    for command, numbers in shape.commands():
        if command == "M":
            path.moveTo(*numbers)
        elif command == "L":
            path.lineTo(*numbers)
        elif command == "C":
            path.curveTo(*numbers)
        else:
            path.close()
    canvas.drawPath(path, fill=fill, stroke=stroke)


def stack(heights: list[float], height: float, gap: float) -> list[float]:
    """The bottoms of labels of these heights in a column of a height, top to bottom:
    each near its share of the column (spread from 85 % to 15 % of its height), none
    overlapping the one above it (at least `gap` apart), none beyond the column's foot."""
    count = len(heights)
    bottoms = []
    top = height
    for i, h in enumerate(heights):
        centre = height * (0.85 - i * 0.7 / max(count - 1, 1)) if count > 1 else height / 2
        bottom = min(centre + h / 2, top) - h
        bottoms.append(bottom)
        top = bottom - gap
    low = 0.0
    for i in range(count - 1, -1, -1):  # pushed up from the foot where the column ran out
        bottoms[i] = max(bottoms[i], low)
        low = bottoms[i] + heights[i] + gap
    return bottoms


class FigureFlowable(TaggedMixin, Flowable):
    """The drawing between two columns of labels, each with a leader to its point.
    Labels are measured in the document's language and type: each column is stacked
    so that no two labels can overlap, and the figure grows with the labels' height."""

    LABEL_SHARE = 0.27  # of the width, on each side

    def __init__(self, figure: Figure, width: float, label: Callable[[Figure, int], Flowable]) -> None:
        super().__init__()
        self.figure = figure
        self.paras = [label(figure, i) for i in range(len(figure.labels))]
        self.width = width
        self.height = self.art_height(width)
        self.hAlign = "CENTER"
        self.boxes: list[tuple[float, float, float, float]] = []  # each label's x, y, width, height, once drawn

    def art_height(self, width: float) -> float:
        """The drawing's height for a width: the art's, or more if the labels need it."""
        box_w, box_h = self.figure.box
        return max(box_h * (width * (1 - 2 * self.LABEL_SHARE)) / box_w, 100.0)

    def label_width(self) -> float:
        """Label columns as wide as the longest word needs (a word is never split), within limits."""
        longest = max((self.longest_word(i) for i in range(len(self.paras))), default=0.0) + 6
        return min(max(self.width * self.LABEL_SHARE, longest), self.width * 0.4)

    def longest_word(self, i: int) -> float:
        """The widest stretch of a label no line may break inside: a word, or in Chinese
        what its line-breaking rules keep whole (TaggedParagraph.minWidth)."""
        return float(self.paras[i].minWidth())

    def gap(self) -> float:
        """The least space between two labels of a column."""
        return max((p.style.leading for p in self.paras), default=12.0) * 0.3

    def label_heights(self, label_w: float) -> list[float]:
        """Each label's height, wrapped in its column."""
        return [para.wrap(label_w - 4, 10_000)[1] for para in self.paras]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = min(self.width, availWidth)
        heights = self.label_heights(self.label_width())
        needed = 0.0
        for side in ("left", "right"):
            column = [h for label, h in zip(self.figure.labels, heights, strict=True) if label.side == side]
            needed = max(needed, (sum(column) + self.gap() * (len(column) - 1)) / 0.9)
        self.height = max(self.art_height(self.width), needed)
        return self.width, self.height

    def draw(self) -> None:
        # The TaggedMixin wraps this in the Figure's marked content.
        canvas = self.canv
        box_w, box_h = self.figure.box
        label_w = self.label_width()
        art_w = self.width - 2 * label_w
        scale = min(art_w / box_w, self.height / box_h)
        ox = label_w + (art_w - box_w * scale) / 2
        oy = (self.height - box_h * scale) / 2
        canvas.saveState()
        canvas.translate(ox, oy)
        canvas.scale(scale, scale)
        for shape in self.figure.shapes:
            draw_shape(canvas, shape)
        canvas.restoreState()
        heights = self.label_heights(label_w)
        self.boxes = []
        for side in ("left", "right"):
            placed = [
                (label, para, h)
                for label, para, h in zip(self.figure.labels, self.paras, heights, strict=True)
                if label.side == side
            ]
            bottoms = stack([h for _, _, h in placed], self.height, self.gap())
            for (label, para, h), y in zip(placed, bottoms, strict=True):
                x = 0 if side == "left" else self.width - label_w + 4
                para.drawOn(canvas, x, y)
                self.boxes.append((x, y, label_w - 4, h))
                ax, ay = label.anchor
                tx, ty = ox + ax * scale, oy + ay * scale
                lx = label_w - 2 if side == "left" else self.width - label_w + 2
                canvas.setStrokeColor(LEADER)
                canvas.setLineWidth(0.5)
                canvas.line(lx, y + h / 2, tx, ty)
                canvas.setFillColor(LEADER)
                canvas.circle(tx, ty, 1, stroke=0, fill=1)
