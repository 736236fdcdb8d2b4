"""A PDF's pages as PNG images (PDFium through pypdfium2), for looking at pages."""

from __future__ import annotations

import io
from dataclasses import dataclass

POINTS_PER_INCH = 72


@dataclass(frozen=True)
class PageImage:
    """One page drawn as a PNG image, with its size in pixels."""

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
