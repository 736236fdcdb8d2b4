"""The PDF writer (ReportLab, tagged PDF/UA-1): `render(document) -> bytes`."""

from .pages import BlockTooTall, NoRoom, PageOverflow, place, render, render_fitted

__all__ = ["BlockTooTall", "NoRoom", "PageOverflow", "place", "render", "render_fitted"]
