"""The HTML writer: an accessible, self-contained page for every document
(`render_html(document) -> str`), its blocks as a fragment, and an email's body
(`render_email`)."""

from .email_body import ImageRef, render_email
from .style import stylesheet
from .writer import render_blocks, render_html

__all__ = ["ImageRef", "render_blocks", "render_email", "render_html", "stylesheet"]
