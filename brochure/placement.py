"""What a writer placed on its pages, as plain data: every line of text with its box,
the area it must stay inside and what kind of block it belongs to, and every frame
(a page's text area, or a tri-fold's panel) with how far down it is filled.

The PDF writer records this when asked (write/pdf/recording.py); the page linter
(review/typesetting.py) reads it. Coordinates are PDF points from the bottom left of
the trimmed page; pages count from 1.
"""

from __future__ import annotations

from dataclasses import dataclass

# The kinds of block a line can belong to.
LINE_KINDS = ("heading", "lead-in", "body", "cell", "label", "footer", "band")


@dataclass(frozen=True)
class Rect:
    """A rectangle: left, bottom, width, height."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def top(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class Line:
    """One line of text as drawn: its box (the ink's usual extent, from the descender
    to the ascender), its text in logical order, and where it belongs."""

    page: int
    box: Rect
    text: str
    size: float  # the font size: an em
    kind: str  # one of LINE_KINDS
    frame: str  # the frame or panel it is drawn in ('footer', 'band' for page furniture)
    area: str  # what it must stay inside: frame, cell, box, figure, footer, band
    bounds: Rect  # that area
    block: int  # the paragraph it is a line of: lines of one paragraph share it
    lang: str  # its language (the document's, or a span's own)


@dataclass(frozen=True)
class Frame:
    """A frame of a page: a page's text area, or a panel of a fold."""

    page: int
    name: str
    box: Rect
    filled: float  # the height from its top down to the lowest thing placed in it; 0 when empty
    fixed: bool  # a fixed panel (a tri-fold's cover or back), not part of the flow


@dataclass(frozen=True)
class Placement:
    """A document's pages as placed: which document, then its lines and frames, in the
    order they were drawn (lines) and filled (frames)."""

    name: str
    lang: str
    script: str
    layout: str
    paper: str
    lines: tuple[Line, ...]
    frames: tuple[Frame, ...]
