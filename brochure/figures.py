"""Vector diagrams of the pelvic organs, drawn with ReportLab's canvas: the womb,
cervix, fallopian tubes and ovaries, with dye for an HSG or the scope for a
hysteroscopy. Labels are paragraphs, so they get font fallback and right-to-left
text like any other text; the figure carries its alt text for tagged PDF."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.flowables import Flowable

KINDS = ("hsg", "hysteroscopy")
LABELS = ("womb", "cervix", "tube", "ovary", "dye", "scope")

TISSUE = colors.HexColor("#f4c7c3")
TISSUE_EDGE = colors.HexColor("#b5655d")
CAVITY = colors.HexColor("#fbe9e7")
OVARY = colors.HexColor("#f6dcb8")
DYE = colors.HexColor("#2f6fb0")
FLUID = colors.HexColor("#cfe6f5")
SCOPE = colors.HexColor("#555555")
LEADER = colors.HexColor("#444444")

# The drawing is made in a 200 x 120 box, scaled to the flowable's size.
BOX_W, BOX_H = 200.0, 120.0


def _path(canvas: Canvas, points: list[tuple[Any, ...]], fill: Any, stroke: Any, width: float = 1.0, close: bool = True) -> None:
    """A path of moves, lines and curves: ('M', x, y), ('L', x, y), ('C', x1, y1, x2, y2, x, y)."""
    path = canvas.beginPath()
    for op, *args in points:
        {"M": path.moveTo, "L": path.lineTo, "C": path.curveTo}[op](*args)
    if close:
        path.close()
    canvas.setLineWidth(width)
    if fill is not None:
        canvas.setFillColor(fill)
    if stroke is not None:
        canvas.setStrokeColor(stroke)
    canvas.drawPath(path, fill=1 if fill is not None else 0, stroke=1 if stroke is not None else 0)


def draw_organs(canvas: Canvas, kind: str) -> dict[str, tuple[float, float]]:
    """Draw the organs (in the 200 x 120 box); return where each label should point."""
    cx = BOX_W / 2
    # Fallopian tubes: from the top corners of the womb, out and down to the ovaries.
    for side in (-1, 1):
        tube = [
            ("M", cx + side * 22, 92),
            ("C", cx + side * 45, 104, cx + side * 62, 100, cx + side * 70, 86),
            ("C", cx + side * 74, 78, cx + side * 72, 70, cx + side * 66, 66),
        ]
        _path(canvas, tube, None, TISSUE_EDGE, width=5, close=False)
        _path(canvas, tube, None, TISSUE, width=3.2, close=False)
        if kind == "hsg":
            _path(canvas, tube, None, DYE, width=1.4, close=False)
            canvas.setFillColor(DYE)
            for dx, dy in ((-3, -3), (2, -6), (-1, -9), (4, -2)):
                canvas.circle(cx + side * 66 + dx, 66 + dy, 0.9, stroke=0, fill=1)
        # Ovary, below the end of the tube.
        canvas.setFillColor(OVARY)
        canvas.setStrokeColor(TISSUE_EDGE)
        canvas.setLineWidth(0.8)
        canvas.ellipse(cx + side * 50 - 9, 52, cx + side * 50 + 9, 64, stroke=1, fill=1)
    # The womb and the cervix below it.
    womb = [
        ("M", cx - 26, 96),
        ("C", cx - 30, 70, cx - 14, 52, cx - 9, 40),
        ("L", cx - 8, 22),
        ("C", cx - 8, 16, cx + 8, 16, cx + 8, 22),
        ("L", cx + 9, 40),
        ("C", cx + 14, 52, cx + 30, 70, cx + 26, 96),
        ("C", cx + 14, 104, cx - 14, 104, cx - 26, 96),
    ]
    _path(canvas, womb, TISSUE, TISSUE_EDGE, width=1.2)
    cavity = [
        ("M", cx - 17, 90),
        ("C", cx - 8, 80, cx - 4, 62, cx - 2, 48),
        ("L", cx + 2, 48),
        ("C", cx + 4, 62, cx + 8, 80, cx + 17, 90),
        ("C", cx + 8, 94, cx - 8, 94, cx - 17, 90),
    ]
    fill = DYE if kind == "hsg" else FLUID if kind == "hysteroscopy" else CAVITY
    _path(canvas, cavity, fill, TISSUE_EDGE, width=0.6)
    canal = [("M", cx, 48), ("L", cx, 18)]
    _path(canvas, canal, None, TISSUE_EDGE, width=0.8, close=False)
    if kind == "hsg":  # the thin tube through the cervix that carries the dye
        _path(canvas, [("M", cx, 4), ("L", cx, 46)], None, DYE, width=1.6, close=False)
    if kind == "hysteroscopy":  # the scope through the cervix, its light in the cavity
        canvas.setFillColor(colors.HexColor("#fff4b3"))
        _path(canvas, [("M", cx, 56), ("L", cx - 9, 80), ("L", cx + 9, 80)], colors.HexColor("#fff4b3"), None)
        _path(canvas, [("M", cx - 1.6, 0), ("L", cx - 1.6, 56), ("L", cx + 1.6, 56), ("L", cx + 1.6, 0)], SCOPE, None)
    return {
        "womb": (cx + 24, 84),
        "tube": (cx + 62, 100),
        "ovary": (cx - 58, 58),
        "cervix": (cx - 8, 24),
        "dye": (cx + 8, 72),
        "scope": (cx + 2, 10),
    }


class Figure(Flowable):
    """The diagram with labels on both sides; the labels are made by `label(text)`."""

    LEFT = ("ovary", "cervix")
    RIGHT = ("tube", "womb", "dye", "scope")

    LABEL_SHARE = 0.27  # of the width, on each side

    def __init__(self, kind: str, labels: dict[str, str], alt: str, width: float, label: Callable[[str, bool], Flowable]) -> None:
        super().__init__()
        self.kind, self.labels, self.alt, self.label = kind, labels, alt, label
        self.width = width
        self.height = self.art_height(width)
        self.hAlign = "CENTER"

    def art_height(self, width: float) -> float:
        """The drawing's height for a width: the art's, or more if the labels need it."""
        return max(BOX_H * (width * (1 - 2 * self.LABEL_SHARE)) / BOX_W, 100.0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = min(self.width, availWidth)
        self.height = self.art_height(self.width)
        return self.width, self.height

    def shown(self) -> list[str]:
        """The labels this kind of figure shows."""
        extra = {"hsg": "dye", "hysteroscopy": "scope"}.get(self.kind)
        return [k for k in LABELS if k in ("womb", "cervix", "tube", "ovary") or k == extra]

    def draw(self) -> None:
        canvas = self.canv
        alt = self.alt.encode("utf-16-be").hex().upper()
        canvas._code.append(f"/Figure <</Alt <FEFF{alt}>>> BDC")  # alt text, ready for tagging
        shown = self.shown()
        paras = {name: self.label(self.labels[name], name in self.LEFT) for name in shown}
        # Label columns as wide as the longest word needs (a word is never split), within limits.
        longest = max(p.minWidth() for p in paras.values()) + 6
        label_w = min(max(self.width * self.LABEL_SHARE, longest), self.width * 0.4)
        art_w = self.width - 2 * label_w
        scale = min(art_w / BOX_W, self.height / BOX_H)
        ox = label_w + (art_w - BOX_W * scale) / 2
        oy = (self.height - BOX_H * scale) / 2
        canvas.saveState()
        canvas.translate(ox, oy)
        canvas.scale(scale, scale)
        anchors = draw_organs(canvas, self.kind)
        canvas.restoreState()
        for side, candidates in ((0, self.LEFT), (1, self.RIGHT)):
            names = [n for n in candidates if n in shown]
            for i, name in enumerate(names):
                para = paras[name]
                _, h = para.wrap(label_w - 4, self.height)
                y = self.height * (0.85 - i * 0.7 / max(len(names) - 1, 1)) - h / 2
                x = 0 if side == 0 else self.width - label_w + 4
                para.drawOn(canvas, x, y)
                ax, ay = anchors[name]
                tx, ty = ox + ax * scale, oy + ay * scale
                lx = label_w - 2 if side == 0 else self.width - label_w + 2
                canvas.setStrokeColor(LEADER)
                canvas.setLineWidth(0.5)
                canvas.line(lx, y + h / 2, tx, ty)
                canvas.setFillColor(LEADER)
                canvas.circle(tx, ty, 1, stroke=0, fill=1)
        canvas._code.append("EMC")
