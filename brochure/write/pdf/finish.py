"""The last pass over a rendered PDF (pikepdf): its structure tree, a subset tag of its own
for each embedded font, the bookmarks shown when a viewer opens it, and a print-shop copy's
colours in CMYK; saved as PDF 1.7, byte for byte the same for the same input."""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Name

from ...document import Prepared
from .fonts import subset_tag
from .inks import print_images, print_inks
from .structure import add_structure
from .tagging import Tagger
from .update import COMPRESSION


def unique_subset_tags(doc: pikepdf.Pdf) -> None:
    """Replace ReportLab's subset tags (AAAAAA+ for the first subset of every font) with
    tags of their own, in each font and its descriptor."""
    renamed: dict[str, str] = {}
    for page in doc.pages:
        fonts = page.obj.Resources.get("/Font") if "/Resources" in page.obj else None
        for font in fonts.values() if fonts is not None else ():
            base = str(font.get("/BaseFont", ""))[1:]
            if "+" not in base or "/FontDescriptor" not in font:
                continue
            if base not in renamed:
                plain = base.split("+", 1)[1]
                renamed[base] = f"{subset_tag(plain, font.get('/Widths'))}+{plain}"
            font.BaseFont = Name("/" + renamed[base])
            font.FontDescriptor.FontName = Name("/" + renamed[base])


def finish(pdf: bytes, tagger: Tagger, p: Prepared, headings: int) -> bytes:
    """The PDF with its structure tree, unique subset tags, with more than one heading the
    bookmarks panel open (PageMode UseOutlines), and for a print shop its inks."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        add_structure(doc, tagger, p.locale, p.info.title)
        unique_subset_tags(doc)
        if p.layout.print_marks:
            print_inks(doc, p.print_colours)
            print_images(doc, p.print_colours)
        if headings > 1:
            doc.Root.PageMode = Name.UseOutlines
        return saved(doc)


def saved(doc: pikepdf.Pdf, metadata_current: bool = False) -> bytes:
    """A PDF's bytes as brochure writes every PDF: PDF 1.7, compressed object streams, the
    same ID for the same content; the XMP's PDF version set unless `metadata_current` (a
    document saved this way before)."""
    pikepdf.settings.set_flate_compression_level(COMPRESSION)
    out = io.BytesIO()
    doc.save(
        out,
        min_version="1.7",
        deterministic_id=True,
        compress_streams=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        fix_metadata_version=not metadata_current,
    )
    return out.getvalue()
