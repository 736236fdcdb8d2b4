"""A PDF's pages as PNG images (PDFium through pypdfium2), for looking at pages; the
clinic's logo as a PNG, for an email."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

POINTS_PER_INCH = 72


@dataclass(frozen=True)
class PageImage:
    """One page (or a logo) drawn as a PNG image, with its size in pixels."""

    png: bytes
    width: int
    height: int


def page_images(pdf: bytes, dpi: float = 100) -> list[PageImage]:
    """Every page of `pdf` drawn at `dpi` on white, in page order."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    images = []
    try:
        for page in document:
            image = page.render(scale=dpi / POINTS_PER_INCH).to_pil()
            out = io.BytesIO()
            image.save(out, format="PNG")
            images.append(PageImage(out.getvalue(), image.width, image.height))
    finally:
        document.close()
    return images


def logo_png(path: Path, pixels: int) -> PageImage:
    """The clinic's logo as a PNG whose longer side is at most `pixels`, for where neither
    SVG nor a data: URI shows (an email): an SVG drawn as the PDF draws it, by PDFium; a
    PNG or JPEG scaled down. The same file gives the same bytes."""
    return _logo_png(path, path.stat().st_mtime_ns, pixels)


@cache
def _logo_png(path: Path, modified: int, pixels: int) -> PageImage:
    from PIL import Image

    if path.suffix.lower() == ".svg":
        from reportlab.graphics import renderPDF

        from .pdf.logo import logo_flowable

        drawing = logo_flowable(path, pixels, "Helvetica")  # a raster only: no font of it is shipped
        pdf = renderPDF.drawToString(drawing)
        return page_images(pdf, dpi=POINTS_PER_INCH)[0]  # a point of the drawing is a pixel
    with Image.open(path) as source:
        image = source.convert("RGBA")
    image.thumbnail((pixels, pixels))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return PageImage(out.getvalue(), image.width, image.height)
