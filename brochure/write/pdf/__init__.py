"""The PDF writer (ReportLab, tagged PDF/UA-1): `render(document) -> bytes`."""

from .pages import BlockTooTall, PageOverflow, place, render, render_fitted

__all__ = ["BlockTooTall", "PageOverflow", "place", "render", "render_fitted"]
