"""The HTML writer: an accessible, self-contained page for every document
(`render_html(document) -> str`), and its blocks as a fragment for an email's body."""

from .style import stylesheet
from .writer import render_blocks, render_html

__all__ = ["render_blocks", "render_html", "stylesheet"]
