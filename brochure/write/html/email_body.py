"""The body of an appointment email as HTML, written by the page's writer.

The page's markup and classes, and the page's stylesheet in the head. Some email clients
drop <style>, so the colours that carry the clinic's brand and keep text readable (the
page's palette, each text colour at least 4.5:1 on its background) are inline too, on the
elements they are set on; without any CSS the markup still reads in order. The logo is
an image part of the message (cid:), its size in the markup: email clients show neither
inline SVG nor data: URIs.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...document import Block, Callout, Contact, Prepared, Title, plain
from ...palette import palette
from .style import stylesheet
from .writer import Writer, attr, esc

LOGO_SIZE = 56  # CSS pixels, as on a page (3.5rem); the image has twice as many, for sharp screens
BOX_SURFACES = {"help": "help"}  # the palette's surface each kind of box is set on; others are on "box"
BOX_BARS = {"appointment": "primary", "help": "help-bar", "status": "help-bar"}  # the bar at a box's start


@dataclass(frozen=True)
class ImageRef:
    """An image in another part of the message: its address (cid:...) and size in CSS pixels."""

    src: str
    width: int
    height: int


class EmailWriter(Writer):
    """The page's writer, with the colours inline on the elements they are set on."""

    def __init__(self, doc: Prepared) -> None:
        super().__init__(doc)
        self.palette = palette(doc.colours)
        self.surface = "page"  # the palette's surface being written on

    def style(self, role: str) -> str:
        """Headings and links in the accent of the surface they are on; a box in its surface's
        colours, with its bar at the start side."""
        surface = self.palette.surfaces[self.surface]
        if role in ("heading", "link"):
            return attr("style", f"color:{surface.accent}")
        bar = BOX_BARS.get(role.removeprefix("box-"))
        side = "right" if self.rtl else "left"
        border = f";border-{side}:6px solid {self.palette.bars[bar]}" if bar else ""
        return attr("style", f"background:{surface.background};color:{surface.text};padding:12px 20px;margin:16px 0{border}")

    def callout(self, block: Callout, level: int) -> str:
        """A box, written on its own surface."""
        outer, self.surface = self.surface, BOX_SURFACES.get(block.kind, "box")
        html = super().callout(block, level)
        self.surface = outer
        return html

    def contact(self, block: Contact, level: int) -> str:
        """The contact block, written on the box surface."""
        outer, self.surface = self.surface, "box"
        html = super().contact(block, level)
        self.surface = outer
        return html

    def letterhead(self, title: Title, logo: ImageRef | None) -> str:
        """The clinic's logo and name above the message, ruled off in its brand colour."""
        img = ""
        if logo is not None:
            img = f'<img class="logo"{attr("src", logo.src)} alt="" width="{logo.width}" height="{logo.height}">'
        rule = attr("style", f"border-bottom:2px solid {self.palette.bars['primary']}")
        name = attr("style", f"color:{self.palette.surfaces['page'].accent};font-weight:bold")
        clinic = f'<p class="clinic-name"{name}>{self.inline(title.clinic)}</p>'
        return f'<header class="masthead"><div class="clinic"{rule}>{img}{clinic}</div></header>'

    def email(self, title: Title, blocks: tuple[Block, ...], logo: ImageRef | None) -> str:
        """The whole HTML document: the letterhead, the title (the subject) and the blocks."""
        doc, page = self.doc, self.palette.surfaces["page"]
        head = (
            '<meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(plain(title.title))}</title>"
            f"<style>\n{stylesheet(doc.colours, doc.script)}</style>"
        )
        main = f"<main>\n{self.title(title)}\n{self.blocks(blocks, 2)}\n</main>"
        body = f"<body{attr('style', f'background:{page.background};color:{page.text};overflow-wrap:break-word')}>"
        html = f"<html{attr('lang', doc.locale)}{attr('dir', doc.direction)}>"
        return f"<!DOCTYPE html>\n{html}\n<head>{head}</head>\n{body}{self.letterhead(title, logo)}\n{main}\n</body>\n</html>\n"


def render_email(doc: Prepared, title: Title, blocks: tuple[Block, ...], logo: ImageRef | None) -> str:
    """An email body as one HTML document, in `doc`'s language, direction and colours: the
    clinic's logo and name from `title`, its title (the subject) as the h1, then `blocks`."""
    return EmailWriter(doc).email(title, blocks, logo)
