"""Folds: how a sheet is divided into panels and in what order they are read.

A layout names its fold (`page.fold`); the PDF writer lays out pages from this
table, and the layout lists the parts of each fixed panel (`cover:`, `back:`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fold:
    """One way of folding: the panels of each side of the sheet, left to right (mirrored
    for right-to-left documents), and the order they are read and filled in."""

    name: str
    outside: tuple[str, ...]  # the first side's panels, left to right
    inside: tuple[str, ...]  # the second side's panels, left to right
    order: tuple[str, ...]  # reading order: the fixed panels first, then the content flows on
    fixed: tuple[str, ...]  # panels holding the parts the layout lists for them, not the flow
    cover: str  # where the brand band goes ('' for across the page)

    @property
    def panels(self) -> int:
        """Panels across one side of the sheet."""
        return len(self.outside)

    @property
    def page_footer(self) -> bool:
        """Whether footers go at the foot of every page (else on a panel, as the `edition` part)."""
        return not self.fixed


FOLDS = {
    "none": Fold("none", ("body",), (), ("body",), (), ""),
    # A letter (C) fold. Outside, left to right: the flap that folds in, the back, the cover.
    # The cover is read first, then the back; the content starts on the flap and flows over
    # the three inside panels.
    "trifold": Fold(
        "trifold",
        ("flap", "back", "cover"),
        ("inside-1", "inside-2", "inside-3"),
        ("cover", "back", "flap", "inside-1", "inside-2", "inside-3"),
        ("cover", "back"),
        "cover",
    ),
}
