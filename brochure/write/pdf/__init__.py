"""The PDF writer (ReportLab, tagged PDF/UA-1): `render(document) -> bytes`."""

from .pages import BlockTooTall, PageOverflow, render, render_fitted

__all__ = ["BlockTooTall", "PageOverflow", "render", "render_fitted"]
