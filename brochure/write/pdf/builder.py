"""Turn the blocks of a prepared document into ReportLab flowables, with the
structure tree of the tagged PDF built alongside in reading order.

One method per kind of block (title, heading, paragraph, list, callout, table,
contact, figure, QR code); a layout's row of two parts sits side by side. Every
paragraph goes through `para`, which applies font fallback and picks the shaped
paragraph for complex scripts; tables, boxes and rows are mirrored for
right-to-left languages.
"""

from __future__ import annotations

import html
import unicodedata
from typing import Any

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, TableStyle

from ...document import (
    Block,
    Break,
    Callout,
    Contact,
    Emphasis,
    Figure,
    Heading,
    Inline,
    Inlines,
    Link,
    ListBlock,
    Paragraph,
    Prepared,
    QRCode,
    Slot,
    Span,
    Strong,
    Table,
    Text,
    Title,
    plain,
)
from ...scripts import SCRIPTS
from ..breaks import bind, breaks_for
from .figures import FigureFlowable
from .flowables import (
    Artifact,
    Box,
    HeadingParagraph,
    NotesBox,
    ReservedSlot,
    ShapedHeading,
    TaggedParagraph,
    TaggedShaped,
    TaggedTable,
    ToLastPanel,
)
from .fonts import BOLD_NAMES, chain_for, with_fallback
from .logo import logo_flowable
from .qrcode import QRFlowable
from .shaped import LRE, PDF, RLE, needs_shaping
from .styles import Styles
from .tagging import Node

# How much of a row each part takes: [summary, figure] is 1:1, [contact, qr] 3:1.
ROW_WEIGHTS = {"figure": 3, "qr": 1}
# Each kind of box: its tint and the colour of the bar on its leading edge (none: no bar).
BOX_COLOURS = {
    "help": ("help", "help_border"),
    "status": ("box", "help_border"),
    "appointment": ("box", "primary"),
    "summary": ("box", None),
    "note": ("box", None),
    "notes": ("box", None),
}
FULL_WIDTH_BOXES = ("appointment",)  # boxes as wide as the frame, whatever the layout's measure
# Boxes of advice that may run on to the next page: only where the document would not
# keep its page limit otherwise (what to look out for stays with whom to call).
SPLIT_BOXES = ("help",)


def first_strong_rtl(runs: Inlines) -> bool:
    """Whether text starts, in its first strongly directional letter, right to left."""
    for char in plain(runs):
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


FIELD_SEPARATOR = " · "


def whole_fields(run: Inline) -> Inline:
    """A footer run whose fields ("Review due 1 December 2028") never break: its lines
    break only between fields, at the separator."""
    if not isinstance(run, Text):
        return run
    return Text(FIELD_SEPARATOR.join(field.replace(" ", "\u00a0") for field in run.text.split(FIELD_SEPARATOR)))


def tie_last_word(runs: Inlines) -> Inlines:
    """The runs with their last two words joined by a no-break space, so that a name
    never leaves its last word alone on a line ("Clinic"), in bold too."""
    out = list(runs)
    for i in range(len(out) - 1, -1, -1):
        run = out[i]
        if isinstance(run, Strong) and " " in plain(run.children).strip():
            out[i] = Strong(tie_last_word(run.children))
            break
        if isinstance(run, Text) and " " in run.text.strip():
            text = run.text.rstrip()
            head, _, tail = text.rpartition(" ")
            out[i] = Text(f"{head}\u00a0{tail}{run.text[len(text) :]}")
            break
    return tuple(out)


class Builder:
    """Turns a prepared document into a list of flowables, block by block."""

    def __init__(self, doc: Prepared, st: Styles, width: float, root: Node) -> None:
        self.doc, self.st, self.width = doc, st, width
        self.rtl = st.rtl
        self.shaped = SCRIPTS[doc.script].shaped
        self.chain = chain_for(st.family.name)
        self.breaks = breaks_for(doc.lang, doc.script)
        self.display_breaks = breaks_for(doc.lang, doc.script, display=True)
        self.headings = 0
        self.last_level = -1
        self.section_level = 1  # the level of the heading the blocks being built are under (the title's: 1)
        self.node = root  # where new elements go
        self.full_width = False  # paragraphs built now take the whole width, not the measure (the appointment box)
        # A box that may run on does so only where it is taller than a page, noted here when it
        # moves whole though it could have run on; None: it runs on wherever it meets a page foot.
        self.boxes_moved: list[Box] | None = []
        self.display = False  # paragraphs built now are display text (in a box): no last line of one word
        # A personalised copy's appointment box, in a layout with a fixed slot, is left empty
        # (the slot), to be stamped with each patient's details; the stamp draws the box itself.
        self.slot_height = doc.layout.appointment_slot

    # Text ---------------------------------------------------------------------------------

    def is_shaped(self, runs: Inlines) -> bool:
        """Whether runs are set by the shaped paragraph: in a complex script's document, or
        holding its letters (a patient's name in Arabic or Hindi in any leaflet)."""
        return self.shaped or needs_shaping(plain(runs))

    def markup(self, runs: Inlines, shaped: bool, bold: bool = False) -> str:
        """ReportLab paragraph markup for inline runs: escaped, with font fallback (in the
        bold weight in bold text); for a shaped paragraph, a run in another direction is
        marked for its bidi ordering."""
        out = []
        for run in runs:
            if isinstance(run, Text):
                out.append(with_fallback(run.text, self.chain, bold))
            elif isinstance(run, Strong):
                out.append(f"<b>{self.markup(run.children, shaped, True)}</b>")
            elif isinstance(run, Emphasis):
                out.append(f"<i>{self.markup(run.children, shaped, bold)}</i>")
            elif isinstance(run, Link):
                out.append(f'<link href="{html.escape(run.target)}">{self.markup(run.children, shaped, bold)}</link>')
            elif isinstance(run, Break):
                out.append("<br/>")
            elif isinstance(run, Span):
                inner = self.markup(run.children, shaped, bold)
                if shaped and run.direction in ("ltr", "rtl", "auto"):
                    rtl = run.direction == "rtl" or (run.direction == "auto" and first_strong_rtl(run.children))
                    inner = f"{RLE if rtl else LRE}{inner}{PDF}"
                out.append(inner)
            elif isinstance(run, Slot):
                continue  # numbers only pages have: filled in footers, never in paragraphs
        return "".join(out)

    def para(
        self,
        runs: Inlines,
        style: ParagraphStyle,
        tag: Node | None = None,
        bullet: str | None = None,
        rtl: bool | None = None,
        display: bool = False,
    ) -> Flowable:
        """A paragraph in the document's direction (or `rtl`'s), drawn as the content of
        `tag`, its spaces bound by the language's line-breaking rules (for display text, if
        it is or it is in a box)."""
        shaped = self.is_shaped(runs)
        bound = bind(runs, self.display_breaks if display or self.display else self.breaks)
        markup = self.markup(bound, shaped, style.fontName in BOLD_NAMES)
        if self.full_width and style.measure:
            style = ParagraphStyle(f"{style.name}_full", style, measure=0)
        flowable: Flowable
        if shaped:
            flowable = TaggedShaped(markup, style, self.rtl if rtl is None else rtl, bulletText=bullet)
        else:
            flowable = TaggedParagraph(markup, style, bulletText=bullet)
        flowable.tag = tag
        return flowable

    def element(self, role: str, runs: Inlines = (), **kw: Any) -> Node:
        """A new element after the others. A line that holds a link (the clinic's phone,
        email, website) is drawn as a Link element inside it, bound to its annotation."""
        node = self.node.add(role, **kw)
        return node.add("Link") if any(isinstance(run, Link) for run in runs) else node

    def within(self, role: str, **kw: Any) -> _Within:
        """Make the elements built inside a `with` the children of a new element."""
        return _Within(self, self.node.add(role, **kw))

    def text(self, role: str, runs: Inlines, style: ParagraphStyle, **kw: Any) -> Flowable:
        """A paragraph that is a new element of its own."""
        return self.para(runs, style, self.element(role, runs, **kw))

    def heading(self, runs: Inlines, level: int) -> Flowable:
        """A bookmarked heading (H2, H3); outline levels never skip a level."""
        self.headings += 1
        outline = min(level - 2, self.last_level + 1)
        self.last_level = outline
        self.section_level = level
        style = self.st.h2 if level == 2 else self.st.h3
        shaped = self.is_shaped(runs)
        markup = self.markup(bind(runs, self.display_breaks), shaped, style.fontName in BOLD_NAMES)
        heading = ShapedHeading(markup, style, self.rtl) if shaped else HeadingParagraph(markup, style)
        heading.tag = self.element(f"H{level}")
        heading.key, heading.level, heading.outline_title = f"h{self.headings}", outline, plain(runs)
        return heading

    # Blocks -------------------------------------------------------------------------------

    def blocks(self, blocks: tuple[Block, ...]) -> list[Flowable]:
        """Flowables for blocks, in order."""
        return [flowable for block in blocks for flowable in self.block(block)]

    def block(self, block: Block) -> list[Flowable]:
        """Flowables for one block."""
        if isinstance(block, Heading):
            return [self.heading(block.inlines, block.level)]
        if isinstance(block, Paragraph):
            flowable = self.text("P", block.inlines, self.st.paragraph(block.role))
            flowable.limit = block.limit  # checked by the box it is in (flowables.Box)
            flowable.kind = "lead-in" if block.role == "lead_in" else "body"  # for the page linter (recording.py)
            return [flowable]
        if isinstance(block, ListBlock):
            return self.list_items(block)
        if isinstance(block, Callout):
            return [self.callout(block)]
        if isinstance(block, Table):
            return [self.table(block)]
        if isinstance(block, Title):
            return self.title(block)
        if isinstance(block, Contact):
            return [self.contact(block)]
        if isinstance(block, Figure):
            return [self.figure(block)]
        return self.qr(block)

    def list_items(self, block: ListBlock) -> list[Flowable]:
        """One paragraph per item, with a bullet or its number (its label)."""
        style = self.st.small_bullet if block.small else self.st.bullet
        out: list[Flowable] = []
        count = len(block.items)
        with self.within("L", attributes={"ListNumbering": "Decimal" if block.ordered else "Disc"}):
            for i, (item, mark) in enumerate(zip(block.items, block.marks(), strict=True)):
                indent = style.leftIndent * (item.depth + 1)
                # No list starts or ends with a single item alone at a page break.
                keep = (i == 0 and count > 1) or i == count - 2
                item_style = ParagraphStyle(
                    f"{style.name}{item.depth}",
                    style,
                    leftIndent=indent,
                    bulletIndent=indent - style.leftIndent + style.bulletIndent,
                    keepWithNext=1 if keep else 0,
                )
                own = item.inlines[0] if len(item.inlines) == 1 and isinstance(item.inlines[0], Span) else None
                lang = own.lang if own else ""
                # An item all in a left-to-right language (an English source in an Arabic
                # leaflet) is set left to right, from the left, its bullet on the left.
                ltr = self.rtl and own is not None and own.direction == "ltr"
                if ltr:
                    item_style.alignment = TA_LEFT
                li = self.node.add("LI")
                label = li.add("Lbl")
                body = li.add("LBody", lang=lang)
                flowable = self.para(item.inlines, item_style, body, bullet=mark, rtl=False if ltr else None)
                flowable.label = label
                out.append(flowable)
        return out

    def box(self, content: list[Flowable], kind: str, heading: Flowable | None = None) -> Flowable:
        """A tinted box around flowables, with a bar on the leading edge for some kinds;
        a box that may run on to the next page has its heading again there."""
        tint, bar = BOX_COLOURS[kind]
        lay = self.doc.layout
        measure = 0.0 if kind in FULL_WIDTH_BOXES else lay.measure
        colour = self.st.colour
        min_part = 3 * lay.leading if kind in SPLIT_BOXES else 0  # a part of a box that runs on: three lines or more
        return Box(
            content,
            colour[tint],
            colour[bar] if bar else None,
            lay.body_size * 0.75,
            self.rtl,
            measure,
            min_part,
            heading,
            moves=self.boxes_moved,
        )

    def callout(self, block: Callout) -> Flowable:
        """A box: a section with its heading (a level below the section it is in) and blocks.
        The appointment box takes the frame's width, not the measure: its lines are a
        patient's details, each with a line limit, not running text. In a layout with a
        fixed slot it is an empty box of the slot's height, its element reserved."""
        if block.kind == "appointment" and self.slot_height > 0:
            node = self.node.add("Sect", reserved=True)
            return ReservedSlot(node, self.slot_height, self.doc.layout.body_size * 0.75)
        self.full_width, self.display = block.kind in FULL_WIDTH_BOXES, True
        with self.within("Sect"):
            title = [self.text(self.box_heading(), block.title, self.st.box_title)] if block.title else []
            content = title + self.blocks(block.blocks)
        self.full_width = self.display = False
        if block.kind == "notes":
            lay = self.doc.layout
            return NotesBox(content, self.st.colour["box"], self.st.rule, lay.body_size * 0.75, lay.leading * 1.6)
        details = sum(isinstance(b, Paragraph) and b.limit is not None for b in block.blocks)
        if details and len(block.blocks) > details:
            content.insert(len(title) + details, Spacer(0, 4))  # between the appointment's details and the note
        runs_on = block.title and block.kind in SPLIT_BOXES
        again = Artifact(self.para(block.title, self.st.box_title, display=True), "Pagination") if runs_on else None
        return self.box(content, block.kind, again)

    def box_heading(self) -> str:
        """The role of a box's heading: a level below the heading of the section it is in."""
        return f"H{min(self.section_level + 1, 6)}"

    def columns(self, cells: list[Any]) -> list[Any]:
        """Table cells in reading order, laid out left to right."""
        return cells[::-1] if self.rtl else cells

    def title(self, block: Title) -> list[Flowable]:
        """The logo and clinic name, then the document title (H1) and subtitle."""
        size = self.doc.layout.title_size * 1.6
        cells: list[Any] = [self.text("P", tie_last_word(block.clinic), self.st.clinic)]
        widths = [self.width]
        if block.logo:
            cells.insert(0, Artifact(logo_flowable(block.logo, size, self.st.family.name)))
            widths = [size + 10, self.width - size - 10]
        head = TaggedTable(
            [self.columns(cells)],
            colWidths=self.columns(widths),
            style=TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.st.family.name),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("ALIGN", (0, 0), (-1, -1), "RIGHT" if self.rtl else "LEFT"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                    ("LINEBELOW", (0, 0), (-1, 0), 1.5, self.st.primary),
                ]
            ),
        )
        title = self.para(block.title, self.st.title, self.element("H1", block.title), display=True)
        subtitle = self.para(block.subtitle, self.st.subtitle, self.element("P", block.subtitle), display=True)
        return [head, Spacer(0, 6), title, subtitle]

    def table(self, block: Table) -> Flowable:
        """A data table: a header row of column headings, then in each row a header cell
        and the data (mirrored for right-to-left languages); the header row repeats on
        every page."""
        st = self.st
        label_w = self.width * self.doc.layout.label_width
        column_w = (self.width - label_w) / len(block.columns)
        data = []
        with self.within("Table"):
            with self.within("TR"):
                head = [self.text("TH", block.corner, st.column_head, attributes={"Scope": "Column"})]
                head += [self.text("TH", c, st.column_head, attributes={"Scope": "Column"}) for c in block.columns]
            data.append(self.columns(head))
            for label, cells in block.rows:
                with self.within("TR"):
                    row = [self.text("TH", label, st.label, attributes={"Scope": "Row"})]
                    row += [self.text("TD", cell, st.cell) for cell in cells]
                data.append(self.columns(row))
        label_col = -1 if self.rtl else 0
        size = self.doc.layout.body_size
        pad = size * 0.4  # around a cell's text
        table = TaggedTable(
            data,
            colWidths=self.columns([label_w] + [column_w] * len(block.columns)),
            repeatRows=1,
            style=TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), st.family.name),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, 0), st.primary),
                    ("BACKGROUND", (label_col, 1), (label_col, -1), st.colour["box"]),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.6, st.rule),
                    ("LINEAFTER", (0, 0), (-2, -1), 0.6, st.rule),
                    ("LEFTPADDING", (0, 0), (-1, -1), pad),
                    ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                    ("TOPPADDING", (0, 0), (-1, -1), pad * 0.8),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
                ]
            ),
        )
        table.spaceBefore, table.spaceAfter = size * 0.75, pad * 2  # a clear gap above: it follows a paragraph
        return table

    def contact(self, block: Contact) -> Flowable:
        """The clinic's contact details in a box (a section with its heading): two columns
        (one in a narrow panel), then out-of-hours advice."""
        with self.within("Sect"):
            heading = self.text(self.box_heading(), block.heading, self.st.box_title)
            where = [self.text("P", tie_last_word(line) if i == 0 else line, self.st.cell) for i, line in enumerate(block.where)]
            how = [self.text("P", line, self.st.cell) for line in block.how]
            note = self.text("P", block.note, ParagraphStyle("note", self.st.cell, spaceBefore=4))
        layout = self.doc.layout
        if self.width < layout.body_size * 30:
            return self.box([heading, *where, *how, note], "note")
        gap = layout.body_size
        inner = (self.width - layout.body_size * 1.5) / 2
        columns = TaggedTable(
            [self.columns([where, how])],
            colWidths=self.columns([inner * 0.85, inner * 1.15]),
            style=TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), self.st.family.name),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (0, -1), gap),  # between the columns, whichever way they run
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            ),
        )
        return self.box([heading, columns, note], "note")

    def qr(self, block: QRCode) -> list[Flowable]:
        """A QR code linking to the online copy (a figure with the address as alt text), and its caption."""
        code = QRFlowable(block.url, min(self.width * 0.6, 30 * mm))
        code.hAlign = "RIGHT" if self.rtl else "LEFT"
        code.tag = self.element("Figure", alt=block.alt)
        return [Spacer(0, 4), code, self.text("P", block.caption, self.st.cell)]

    def figure(self, block: Figure) -> Flowable:
        """The diagram, labelled in the document's language; its alt text for its element."""

        def label(figure: Figure, i: int) -> Flowable:
            side = figure.labels[i].side
            style = self.st.label_start if side == "left" else self.st.label_end
            flowable = self.para(figure.labels[i].inlines, style)
            flowable.kind = "label"
            return flowable

        scale = self.doc.layout.body_size / 12  # the diagram grows with the type its labels are set in
        flowable = FigureFlowable(block, min(self.width, 130 * mm * scale), label)
        flowable.tag = self.element("Figure", alt=block.alt)
        return flowable

    # Parts of a layout --------------------------------------------------------------------

    def part(self, name: str) -> list[Flowable]:
        """The flowables of one part of the document named in the layout; the notes fill
        the last panel of a fold (a page without panels: the rest of the page)."""
        return ([ToLastPanel()] if name == "notes" else []) + self.blocks(self.doc.part(name))

    def row(self, names: tuple[str, ...]) -> list[Flowable]:
        """Two parts side by side (mirrored for right-to-left), the first the wider."""
        whole = self.width
        weights = [ROW_WEIGHTS.get(name, 3) for name in names]
        widths = [whole * w / sum(weights) for w in weights]
        cells = []
        for i, (name, width) in enumerate(zip(names, widths, strict=True)):
            self.width = width - (self.doc.layout.body_size if i else 0)
            cells.append(self.part(name))
        self.width = whole
        if not any(cells):
            return []
        gap = self.doc.layout.body_size  # between the two blocks, on the second one's leading side
        style = TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), self.st.family.name),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                (
                    "RIGHTPADDING" if self.rtl else "LEFTPADDING",
                    (-1, 0) if not self.rtl else (0, 0),
                    (-1, 0) if not self.rtl else (0, 0),
                    gap,
                ),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
        return [TaggedTable([self.columns(cells)], colWidths=self.columns(widths), style=style)]

    def flowables(self, names: tuple[str | tuple[str, ...], ...]) -> list[Flowable]:
        """The flowables of the named parts, in order; a tuple is a row."""
        out: list[Flowable] = []
        for name in names:
            out.extend(self.row(name) if isinstance(name, tuple) else self.part(name))
        return out

    # Page furniture (artifacts) -----------------------------------------------------------

    def footer(self, page: int, pages: int) -> tuple[list[Flowable], list[Flowable]]:
        """The footer's start-side and end-side lines as paragraphs, numbers filled."""

        def filled(line: Inlines) -> Inlines:
            return tuple(
                Text(str(page if run.name == "page" else pages)) if isinstance(run, Slot) else whole_fields(run) for run in line
            )

        start = [self.para(filled(line), self.st.small) for line in self.doc.footer.start]
        end = [self.para(filled(line), self.st.small_end) for line in self.doc.footer.end]
        return start, end

    def status_band(self) -> Flowable:
        """The status line drawn in the top margin of every page."""
        return self.para((Text(self.doc.info.status_band),), self.st.band)


class _Within:
    """A `with` block in which the builder's new elements go into `node`."""

    def __init__(self, builder: Builder, node: Node) -> None:
        self.builder, self.node = builder, node

    def __enter__(self) -> Node:
        self.outer, self.builder.node = self.builder.node, self.node
        return self.node

    def __exit__(self, *_: object) -> None:
        self.builder.node = self.outer
