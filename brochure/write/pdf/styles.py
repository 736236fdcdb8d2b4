"""The paragraph styles and colours of one document, from its layout and script."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from ...document import Prepared
from ...model import Layout
from ...scripts import SCRIPTS
from ..breaks import breaks_for
from .fonts import Family

KEEP = 64  # the styles kept for reuse: a batch needs one set per document, language and layout


class Styles:
    """Every paragraph style a document's blocks use, and its palette."""

    def __init__(self, lay: Layout, direction: str, colours: dict[str, str], script: str, lang: str, family: Family) -> None:
        self.family = family
        self.rtl = direction == "rtl"
        self.colour = {name: colors.HexColor(value) for name, value in colours.items()}
        self.text, self.primary, self.rule = self.colour["text"], self.colour["primary"], self.colour["rule"]
        ratio = lay.leading / lay.body_size
        body = ParagraphStyle(
            "body",
            fontName=family.name,
            fontSize=lay.body_size,
            leading=lay.leading,
            textColor=self.text,
            alignment=TA_RIGHT if self.rtl else TA_LEFT,
            spaceAfter=lay.body_size * 0.4,
            allowWidows=0,
            allowOrphans=0,
            wordWrap="CJK" if SCRIPTS[script].line_breaking == "characters" else None,
            breaks=breaks_for(lang, script),  # read by the Chinese line breaker (cjk.py)
        )
        body.measure = lay.measure  # every style made from it: lines never wider (flowables.Measured)
        self.body = body
        self.lead_in = ParagraphStyle("lead_in", body, keepWithNext=1)
        self.strong = ParagraphStyle("strong", body, spaceBefore=lay.body_size * 0.5)
        self.cell = ParagraphStyle("cell", body, spaceAfter=0)
        self.note = ParagraphStyle("note", self.cell, spaceBefore=lay.body_size * 0.3)
        self.label = ParagraphStyle("label", self.cell, fontName=family.bold_name)
        self.column_head = ParagraphStyle("column_head", self.label, textColor=colors.white)
        self.bullet = ParagraphStyle(
            "bullet",
            body,
            leftIndent=lay.body_size * 1.4,
            bulletIndent=lay.body_size * 0.3,
            bulletFontName=lay.font,  # the Latin font's narrow bullet: a CJK font's is full width
            bulletFontSize=lay.body_size,
            spaceAfter=lay.body_size * 0.25,
        )
        self.h2 = self.heading("h2", lay.h2_size, ratio)
        self.h3 = self.heading("h3", lay.h3_size, ratio)
        self.box_title = ParagraphStyle("box_title", self.h3, spaceBefore=0)
        self.title = ParagraphStyle(
            "title",
            body,
            fontName=family.bold_name,
            fontSize=lay.title_size,
            leading=lay.title_size * 1.25,
            textColor=self.primary,
            spaceAfter=lay.body_size * 0.4,
            measure=0,  # the title and subtitle head the page: the frame's width, as the rule below the clinic's name
        )
        self.subtitle = ParagraphStyle("subtitle", body, fontSize=lay.h3_size, leading=lay.h3_size * ratio, measure=0)
        self.clinic = ParagraphStyle(
            "clinic",
            body,
            fontName=family.bold_name,
            fontSize=lay.h3_size,
            leading=lay.h3_size * 1.25,
            textColor=self.primary,
            spaceAfter=0,
        )
        # Small text is page furniture (footer, status band), short lines or a list of sources:
        # the frame's width (the measure is for running text at the body size).
        self.small = ParagraphStyle("small", self.cell, fontSize=lay.small_size, leading=lay.small_size * 1.25, measure=0)
        self.small_end = ParagraphStyle("small_end", self.small, alignment=TA_LEFT if self.rtl else TA_RIGHT)
        self.band = ParagraphStyle(
            "band", self.small, fontName=family.bold_name, textColor=self.colour["help_border"], alignment=TA_CENTER
        )
        self.small_bullet = ParagraphStyle(
            "small_bullet",
            self.bullet,
            fontSize=lay.small_size,
            bulletFontSize=lay.small_size,
            leading=lay.small_size * ratio,
            measure=0,
        )
        self.label_start = ParagraphStyle("label_start", self.cell, alignment=TA_RIGHT, splitLongWords=0)
        self.label_end = ParagraphStyle("label_end", self.cell, alignment=TA_LEFT, splitLongWords=0)

    def heading(self, name: str, size: float, ratio: float) -> ParagraphStyle:
        """A heading style: bold, brand colour, kept with what follows."""
        return ParagraphStyle(
            name,
            self.body,
            fontName=self.family.bold_name,
            fontSize=size,
            leading=size * max(min(ratio, 1.35), 1.25),
            textColor=self.primary,
            spaceBefore=size * 0.6,
            spaceAfter=size * 0.25,
            keepWithNext=1,
        )

    def paragraph(self, role: str) -> ParagraphStyle:
        """The style of a paragraph of a role (document.PARAGRAPH_ROLES)."""
        return {"body": self.body, "lead_in": self.lead_in, "strong": self.strong, "small": self.small, "note": self.note}[role]


MADE: dict[tuple[Any, ...], tuple[Layout, Styles]] = {}  # by the layout's id, with the layout (so the id stays its own)


def styles_for(doc: Prepared, family: Family) -> Styles:
    """The styles of a document, made once for each layout, script, language and palette
    (a batch's copies share them; nothing changes a style once made)."""
    key = (id(doc.layout), doc.direction, tuple(doc.colours.items()), doc.script, doc.lang, family)
    found = MADE.get(key)
    if found is None or found[0] is not doc.layout:
        if len(MADE) >= KEEP:
            MADE.clear()
        found = MADE[key] = (doc.layout, Styles(doc.layout, doc.direction, doc.colours, doc.script, doc.lang, family))
    return found[1]
