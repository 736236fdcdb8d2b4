"""A QR code flowable: modules encoded once per URL (write/qr.py), drawn as plain rectangles.

ReportLab's QrCodeWidget builds a shape object per run of modules and re-encodes
on every draw, which cost more than the rest of a leaflet; this draws the same
code straight onto the canvas."""

from __future__ import annotations

import itertools

from reportlab.lib import colors
from reportlab.platypus.flowables import Flowable

from ..qr import QUIET_ZONE, modules
from .tagging import TaggedMixin


class QRFlowable(TaggedMixin, Flowable):
    """A square QR code of the given size, quiet zone included."""

    def __init__(self, text: str, size: float) -> None:
        super().__init__()
        self.text, self.width, self.height = text, size, size

    def draw(self) -> None:
        rows = modules(self.text)
        box = self.width / (len(rows) + 2 * QUIET_ZONE)
        canvas = self.canv
        canvas.setFillColor(colors.black)
        for r, row in enumerate(rows):
            y = self.height - (r + QUIET_ZONE + 1) * box
            c = 0
            for dark, run in itertools.groupby(row):
                count = len(list(run))
                if dark:
                    canvas.rect((c + QUIET_ZONE) * box, y, count * box, box, stroke=0, fill=1)
                c += count
