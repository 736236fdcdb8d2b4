"""Turn a prepared document into one self-contained, accessible HTML page.

The page reads the parts in the order the document's layout names them (a fold's
fixed panels first, as the PDF reads them); a pair of parts sits side by side
where there is room. One method per kind of block, as in the PDF writer. Every
text and attribute is escaped here, and nothing the page shows is fetched: the
stylesheet is inline, the figure, the QR code and the logo are inline SVG (a PNG
or JPEG logo a data: URI).
"""

from __future__ import annotations

import itertools
from html import escape

from ...document import (
    Block,
    Break,
    Callout,
    Contact,
    Emphasis,
    Figure,
    Heading,
    Inlines,
    Link,
    ListBlock,
    ListItem,
    Paragraph,
    Prepared,
    QRCode,
    Slot,
    Span,
    Strong,
    Table,
    Text,
    Title,
)
from ...folds import FOLDS
from ..breaks import bind, breaks_for
from .style import stylesheet
from .svg import figure_svg, logo_html, qr_svg

LINK_SCHEMES = ("http", "https", "tel", "mailto")  # a link to anything else is shown as its text
PARAGRAPH_CLASSES = {"lead_in": "lead-in", "strong": "strong", "small": "small", "note": "note"}
LARGE_PRINT = "large-print"  # the view of the page that a large-print copy's QR code opens
# How each kind of box is marked up: an aside (set apart from the text) or a labelled region.
BOX_ELEMENTS = {"help": "aside", "note": "aside", "summary": "section", "status": "section", "appointment": "section"}
# Only the PDF needs these parts: the edition lines are the page's footer; ruled lines for
# notes are for paper.
PRINT_ONLY_PARTS = ("edition", "notes")
# No external request of any kind: styles inline, images only as data: URIs.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def esc(text: str) -> str:
    """Text escaped for HTML content."""
    return escape(text, quote=False)


def attr(name: str, value: str) -> str:
    """One attribute, quoted and escaped; nothing for an empty value."""
    return f' {name}="{escape(value)}"' if value else ""


def reading_order(doc: Prepared) -> list[str | tuple[str, ...]]:
    """The parts in reading order: a fold's fixed panels (cover, back) first, then the flow."""
    layout = doc.layout
    fixed = [name for panel in FOLDS[layout.fold].fixed for name in layout.panels.get(panel, ())]
    return [*fixed, *layout.blocks]


class Writer:
    """Turns the blocks of one prepared document into HTML, block by block."""

    def __init__(self, doc: Prepared) -> None:
        self.doc = doc
        self.rtl = doc.direction == "rtl"
        self.ids = itertools.count(1)
        self.breaks = breaks_for(doc.lang, doc.script)

    def new_id(self) -> str:
        """An id for an element another one points at (aria-labelledby)."""
        return f"b{next(self.ids)}"

    def style(self, role: str) -> str:
        """An element's inline style: none on a page, whose stylesheet has them all (the
        email writer inlines its colours). `role`: heading, link, box-<kind>, box-contact."""
        return ""

    # Text ---------------------------------------------------------------------------------

    def inline(self, runs: Inlines) -> str:
        """HTML for a block's inline runs, their spaces bound by the language's line-breaking
        rules (a number with its unit, a Polish one-letter word with the next word)."""
        return self.runs_html(bind(runs, self.breaks))

    def runs_html(self, runs: Inlines) -> str:
        """HTML for inline runs; slots (page numbers) have no place on a page."""
        out = []
        for run in runs:
            if isinstance(run, Text):
                out.append(esc(run.text))
            elif isinstance(run, Strong):
                out.append(f"<strong>{self.runs_html(run.children)}</strong>")
            elif isinstance(run, Emphasis):
                out.append(f"<em>{self.runs_html(run.children)}</em>")
            elif isinstance(run, Link):
                out.append(self.link(run))
            elif isinstance(run, Break):
                out.append("<br>")
            elif isinstance(run, Span):
                out.append(self.span(run))
        return "".join(out)

    def link(self, run: Link) -> str:
        """A link (tel:, mailto:, a web address); another scheme is shown as text only."""
        inner = self.runs_html(run.children)
        scheme = run.target.partition(":")[0].lower() if ":" in run.target else ""
        return f"<a{attr('href', run.target)}{self.style('link')}>{inner}</a>" if scheme in LINK_SCHEMES else inner

    def differs(self, run: Span) -> tuple[str, str]:
        """The lang and the direction of a span where they are not the document's ('' where they are)."""
        lang = run.lang if run.lang and run.lang != self.doc.lang else ""
        direction = run.direction if run.direction in ("ltr", "rtl") and run.direction != self.doc.direction else ""
        return lang, direction

    def span_attrs(self, run: Span) -> str:
        """The lang and dir attributes a span needs."""
        lang, direction = self.differs(run)
        return attr("lang", lang) + attr("dir", direction)

    def span(self, run: Span) -> str:
        """Text in another direction or language: isolated with <bdi> where its direction
        is its own (a name) or not the document's (a phone number in Arabic)."""
        inner = self.runs_html(run.children)
        attrs = self.span_attrs(run)
        if run.direction == "auto" or self.differs(run)[1]:
            return f"<bdi{attrs}>{inner}</bdi>"
        return f"<span{attrs}>{inner}</span>" if attrs else inner

    # Blocks -------------------------------------------------------------------------------

    def blocks(self, blocks: tuple[Block, ...], level: int) -> str:
        """HTML for blocks in order; `level` is the heading level of a box's title here."""
        return "\n".join(self.block(block, level) for block in blocks)

    def block(self, block: Block, level: int) -> str:
        """HTML for one block."""
        if isinstance(block, Heading):
            return self.heading(block.inlines, max(block.level, level))
        if isinstance(block, Paragraph):
            return self.paragraph(block)
        if isinstance(block, ListBlock):
            return self.list_block(block)
        if isinstance(block, Callout):
            return self.callout(block, level)
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Title):
            return self.title(block)
        if isinstance(block, Contact):
            return self.contact(block, level)
        if isinstance(block, Figure):
            return self.figure(block)
        return self.qr(block)

    def paragraph(self, block: Paragraph, id_: str = "") -> str:
        """A paragraph, its role as its class."""
        return f"<p{attr('id', id_)}{attr('class', PARAGRAPH_CLASSES.get(block.role, ''))}>{self.inline(block.inlines)}</p>"

    def heading(self, runs: Inlines, level: int, id_: str = "") -> str:
        """A heading, h2 to h6 (the title is the page's only h1)."""
        level = min(max(level, 2), 6)
        return f"<h{level}{attr('id', id_)}{self.style('heading')}>{self.inline(runs)}</h{level}>"

    def list_block(self, block: ListBlock) -> str:
        """A real list; deeper items become a nested bulleted list inside the item before.
        If every item is text in another language or direction (the sources), the list says so."""
        tag = "ol" if block.ordered else "ul"
        items = block.items
        if not items:
            return ""
        common = self.common_span(items)
        start = attr("start", str(block.start)) if block.ordered and block.start != 1 else ""
        out = [f"<{tag}{start}{attr('class', 'small' if block.small else '')}{self.span_attrs(common) if common else ''}>"]
        depth = 0
        for n, item in enumerate(items):
            target = min(item.depth, depth + 1) if n else 0
            if n and target > depth:
                out.append("<ul>")
            elif n:
                out.append("</li>" + "</ul></li>" * (depth - target))
            depth = target
            runs = item.inlines[0].children if common and isinstance(item.inlines[0], Span) else item.inlines
            out.append(f"<li>{self.inline(runs)}")
        out.append("</li>" + "</ul></li>" * depth + f"</{tag}>")
        return "".join(out)

    def common_span(self, items: tuple[ListItem, ...]) -> Span | None:
        """The span every item of a list is made of, if they share its lang and direction."""
        spans = [item.inlines[0] for item in items if len(item.inlines) == 1 and isinstance(item.inlines[0], Span)]
        if not items or len(spans) != len(items) or not self.span_attrs(spans[0]):
            return None
        first = spans[0]
        return first if all((s.lang, s.direction) == (first.lang, first.direction) for s in spans) else None

    def callout(self, block: Callout, level: int) -> str:
        """A box: an aside (when to get help, a note) or a region (in short, the status,
        the appointment), named by its heading or, without one, by its first paragraph."""
        element = BOX_ELEMENTS.get(block.kind, "aside")
        label_id = self.new_id()
        rest = block.blocks
        if block.title:
            label = self.heading(block.title, level, label_id)
        elif rest and isinstance(rest[0], Paragraph):
            label, rest = self.paragraph(rest[0], label_id), rest[1:]
        else:
            label, label_id = "", ""
        inner = self.blocks(rest, level + 1)
        box = f'<{element} class="box box-{block.kind}"{attr("aria-labelledby", label_id)}{self.style(f"box-{block.kind}")}>'
        return f"{box}{label}{inner}</{element}>"

    def title(self, block: Title) -> str:
        """The document's title (the page's h1) and subtitle; the clinic is in the masthead."""
        subtitle = f'<p class="subtitle">{self.inline(block.subtitle)}</p>' if block.subtitle else ""
        return f"<h1{self.style('heading')}>{self.inline(block.title)}</h1>{subtitle}"

    def table(self, block: Table) -> str:
        """The comparison: column headings, then a row heading and the data in each row.
        On a narrow screen each row is a card, each cell led by its column's heading."""
        corner = f'<th scope="col">{self.inline(block.corner)}</th>' if block.corner else "<td></td>"
        head = corner + "".join(f'<th scope="col">{self.inline(c)}</th>' for c in block.columns)
        rows = []
        for label, cells in block.rows:
            data = "".join(
                f'<td><span class="cell-label" aria-hidden="true">{self.inline(column)}</span>{self.inline(cell)}</td>'
                for column, cell in zip(block.columns, cells, strict=True)
            )
            rows.append(f'<tr><th scope="row">{self.inline(label)}</th>{data}</tr>')
        return f'<table class="comparison"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'

    def contact(self, block: Contact, level: int) -> str:
        """The clinic's contact details: a region named by its heading, the details an address."""
        heading_id = self.new_id()
        where = "".join(f"<p>{self.inline(line)}</p>" for line in block.where)
        how = "".join(f"<p>{self.inline(line)}</p>" for line in block.how)
        note = f'<p class="note">{self.inline(block.note)}</p>' if block.note else ""
        return (
            f'<section class="box contact" aria-labelledby="{heading_id}"{self.style("box-contact")}>'
            f"{self.heading(block.heading, level, heading_id)}"
            f'<address class="contact-columns"><div>{where}</div><div>{how}</div></address>{note}</section>'
        )

    def figure(self, block: Figure) -> str:
        """The diagram as an image named by its alt text, its labels as text in it."""
        return f'<figure class="diagram">{figure_svg(block, self.new_id(), self.rtl)}</figure>'

    def qr(self, block: QRCode) -> str:
        """The QR code of the online copy, named by its alt text, with its caption."""
        return f'<figure class="qr">{qr_svg(block.url, block.alt)}<figcaption>{self.inline(block.caption)}</figcaption></figure>'

    # Parts of the layout ------------------------------------------------------------------

    def part(self, name: str) -> str:
        """One part: its blocks, each level-2 heading opening a section named by it. A part's
        first heading is a section heading whatever its level (the sources' heading)."""
        blocks = self.doc.part(name)
        if not blocks:
            return ""
        out: list[str] = []
        opened = False
        for block in blocks:
            if isinstance(block, Heading) and (block.level == 2 or not opened):
                heading_id = self.new_id()
                out.append(("</section>" if opened else "") + f'<section aria-labelledby="{heading_id}">')
                out.append(self.heading(block.inlines, 2, heading_id))
                opened = True
            else:
                out.append(self.block(block, 3 if opened else 2))
        if opened:
            out.append("</section>")
        inner = "\n".join(out)
        return f'<div class="part part-{name}">\n{inner}\n</div>'

    def rows(self) -> list[tuple[str, ...]]:
        """The parts in reading order, each row one part or a pair side by side."""
        return [entry if isinstance(entry, tuple) else (entry,) for entry in reading_order(self.doc)]

    def parts(self) -> str:
        """Every part in reading order; a pair of parts is a row that wraps on a narrow screen."""
        out = []
        for names in self.rows():
            html = "".join(self.part(name) for name in names if name not in PRINT_ONLY_PARTS)
            out.append(f'<div class="row">\n{html}\n</div>' if len(names) > 1 and html else html)
        return "\n".join(part for part in out if part)

    # The page -----------------------------------------------------------------------------

    def masthead(self) -> str:
        """The status band (on every copy that is not approved), the logo and the clinic's name."""
        band = f'<p class="band">{esc(self.doc.info.status_band)}</p>' if self.doc.info.status_band else ""
        title = next((b for part in self.doc.parts.values() for b in part if isinstance(b, Title)), None)
        clinic = ""
        if title is not None:
            logo = logo_html(title.logo) if title.logo else ""
            clinic = f'<div class="clinic">{logo}<p class="clinic-name">{self.inline(title.clinic)}</p></div>'
        return f'<header class="masthead">{band}{clinic}</header>'

    def footer(self) -> str:
        """The footer's lines; a line that shows page numbers has no meaning on a page."""
        lines = [*self.doc.footer.start, *self.doc.footer.end]
        shown = "".join(f"<p>{self.inline(line)}</p>" for line in lines if not any(isinstance(r, Slot) for r in line))
        return f'<footer class="page-footer">{shown}</footer>' if shown else ""

    def main(self) -> str:
        """The document's content; its title is the page's h1 even if the layout leaves it out."""
        titled = any(isinstance(b, Title) for names in self.rows() for name in names for b in self.doc.part(name))
        title = "" if titled else f"<h1>{esc(self.doc.info.title)}</h1>"
        return f"<main>\n{title}{self.parts()}\n</main>"

    def page(self) -> str:
        """The whole page."""
        doc, info = self.doc, self.doc.info
        name = " – ".join(part for part in (info.title, info.author) if part)
        head = (
            '<meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f"<title>{esc(name)}</title>"
            f"{meta('description', info.subtitle)}{meta('author', info.author)}"
            '<meta name="generator" content="brochure">'
            f"<style>\n{stylesheet(doc.colours, doc.script)}</style>"
        )
        body = "\n".join((self.masthead(), self.main(), self.footer()))
        html = f"<html{attr('lang', doc.locale)}{attr('dir', doc.direction)}>"
        # The body is the target of the large-print view (#large-print): the QR code of a
        # large-print copy opens the page with its type half as large again.
        return f'<!DOCTYPE html>\n{html}\n<head>{head}</head>\n<body id="{LARGE_PRINT}">{body}</body>\n</html>\n'


def meta(name: str, content: str) -> str:
    """A <meta> element, if there is content for it."""
    return f'<meta name="{name}"{attr("content", content)}>' if content else ""


def render_html(doc: Prepared) -> str:
    """The document as one self-contained HTML page."""
    return Writer(doc).page()


def render_blocks(doc: Prepared, blocks: tuple[Block, ...]) -> str:
    """Blocks of the document as an HTML fragment with the page's markup and classes (for
    the body of an email: put `stylesheet(doc.colours, doc.script)` in its <style>)."""
    return Writer(doc).blocks(blocks, 2)
