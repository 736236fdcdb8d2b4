"""A personalised copy as the base copy plus a stamp: the base is the document rendered
once with its appointment box left empty (a slot of the layout's fixed height, its
structure element reserved); the stamp is the appointment box alone, rendered with the
document's styles, script rules and fonts (a font subset of its own, so any name's
letters are covered) on a page of the slot's size, then merged onto the base's page:
its content drawn inside the slot (resources renamed, MCIDs after the page's own), its
elements put into the reserved one in reading order, the ParentTree told. The same
base and appointment give the same bytes."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name
from reportlab.pdfgen.canvas import Canvas

from ...document import Prepared
from ...placement import Placement, Rect
from ...scripts import SCRIPTS
from .builder import Builder
from .engine import setup
from .finish import saved, unique_subset_tags
from .flowables import Box, ValueTooLong
from .fonts import register, reset_private_codes
from .pages import fixed_timestamp
from .recording import Recorder
from .styles import Styles
from .tagging import Node, Tagger, struct_element

MM = 72 / 25.4
PATIENT_VALUES = ("name", "location", "notes", "date")  # the appointment's columns, the likeliest to overflow first
# What a content stream's tokens are, for renaming: a string, a dictionary's brackets,
# a hex string, an MCID with its number, a name, an inline image's start.
CONTENT_TOKEN = re.compile(rb"\((?:\\.|[^\\()])*\)|<<|>>|<[0-9A-Fa-f\s]*>|/MCID\s+\d+|/[^\s/\[\]()<>{}%]+|\bBI\b")


@dataclass(frozen=True)
class Slot:
    """Where a base copy's appointment slot is: its page (0-based), its box in the page's
    coordinates, and its reserved structure element as the kid indices from the tree's root."""

    page: int
    x: float
    y: float
    width: float
    height: float
    path: tuple[int, ...]


class CannotStamp(Exception):
    """The slot's contents hold what a stamp does not carry (a link): render the copy whole."""


def find_slot(pdf: bytes) -> Slot | None:
    """The reserved appointment slot of a base copy, None if it has none."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        pages = {page.obj.objgen: i for i, page in enumerate(doc.pages)}

        def search(elem: Any, path: tuple[int, ...]) -> Slot | None:
            kids = elem.get("/K")
            if isinstance(kids, pikepdf.Array):
                if len(kids) == 0 and "/A" in elem and elem.A.get("/O") == Name.Layout and "/BBox" in elem.A:
                    x0, y0, x1, y1 = (float(v) for v in elem.A.BBox)
                    return Slot(pages[elem.Pg.objgen], x0, y0, x1 - x0, y1 - y0, path)
                for i, kid in enumerate(kids):
                    if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == Name.StructElem:
                        found = search(kid, (*path, i))
                        if found is not None:
                            return found
            return None

        return search(doc.Root.StructTreeRoot.K, ())


@dataclass(frozen=True)
class SlotDrawing:
    """The slot's contents: a one-page PDF of the slot's size as ReportLab drew it, and
    its elements with their marked content (on page 0), to be put into the base's tree."""

    pdf: bytes
    root: Node


def overflowing_value(box: Box) -> str:
    """The appointment column that makes an overfull box too tall: the patient's value
    taking the most lines (the name first if none takes more than one)."""
    lines: dict[str, int] = {}
    for flowable, height in zip(box.content, box.heights, strict=True):
        limit = getattr(flowable, "limit", None)
        if limit is not None:
            lines[limit.value] = round(height / flowable.style.leading)
    return max(PATIENT_VALUES, key=lambda v: (lines.get(v, 0), -PATIENT_VALUES.index(v)))


def render_slot(p: Prepared, slot: Slot, recorder: Recorder | None = None) -> SlotDrawing:
    """The appointment box of a personalised document, as tall as the slot, alone on a
    page of the slot's size; ValueTooLong, naming the column, if it does not fit. A
    recorder, if given, is left holding the lines drawn (in the slot's coordinates)."""
    setup()
    register(p.layout.font)
    family = register(SCRIPTS[p.script].family or p.layout.font)
    reset_private_codes()
    tagger = Tagger()
    builder = Builder(p, Styles(p, family), slot.width, tagger.root)
    builder.slot_height = 0.0  # the box itself, not a slot
    blocks = p.part("appointment")
    if not blocks:
        raise CannotStamp("a personalised copy without an appointment box")
    (box,) = builder.blocks(blocks)
    assert isinstance(box, Box)
    box.min_height = slot.height
    box.wrap(slot.width, slot.height * 4)  # a value's line limit is checked here (ValueTooLong)
    if box.needed > slot.height + 0.01:
        raise ValueTooLong(
            overflowing_value(box),
            f"makes the appointment box {box.needed / MM:.0f} mm tall, and the slot holds {slot.height / MM:.0f} mm",
        )
    buf = io.BytesIO()
    canvas = Canvas(
        buf,
        pagesize=(slot.width, slot.height),
        invariant=1,
        initialFontName=family.name,
        initialFontSize=p.layout.body_size,
        initialLeading=p.layout.leading,
    )
    canvas._doc._timeStamp = fixed_timestamp(p.info.epoch)
    canvas.tagger = tagger  # type: ignore[attr-defined]
    canvas.recorder = recorder  # type: ignore[attr-defined]
    if recorder is not None:
        recorder.start(p.lang)
    canvas.bullet_label = None  # type: ignore[attr-defined]
    canvas.linkURL = no_links  # type: ignore[method-assign]
    box.drawOn(canvas, 0, 0)
    canvas.showPage()
    canvas.save()
    (section,) = [kid for kid in tagger.root.kids if isinstance(kid, Node)]
    return SlotDrawing(buf.getvalue(), section)


def slot_placement(p: Prepared, slot: Slot, base: Placement) -> Placement:
    """What a stamped copy places: the base copy's placement with the slot's lines, moved
    into the slot, for the page linter."""
    recorder = Recorder()
    render_slot(p, slot, recorder)
    frame = next((f.name for f in base.frames if f.page == slot.page + 1), "")
    first = max((line.block for line in base.lines), default=-1) + 1

    def moved(r: Rect) -> Rect:
        return Rect(r.x + slot.x, r.y + slot.y, r.width, r.height)

    lines = tuple(
        replace(line, page=slot.page + 1, box=moved(line.box), bounds=moved(line.bounds), frame=frame, block=first + line.block)
        for line in recorder.lines
    )
    return replace(base, lines=base.lines + lines)


def no_links(*args: Any, **kwargs: Any) -> None:
    """A stamp carries no link annotations."""
    raise CannotStamp("the appointment box holds a link")


def stamp(base: bytes, slot: Slot, drawing: SlotDrawing) -> bytes:
    """The base copy with the slot's contents drawn into its slot and tagged in its
    reserved element; saved as the writer saves (deterministic)."""
    with pikepdf.open(io.BytesIO(base)) as doc, pikepdf.open(io.BytesIO(drawing.pdf)) as part:
        unique_subset_tags(part)
        source = part.pages[0]
        page = doc.pages[slot.page]
        tree = doc.Root.StructTreeRoot
        nums = tree.ParentTree.Nums
        assert int(nums[2 * slot.page]) == slot.page
        owned = nums[2 * slot.page + 1]
        offset = len(owned)
        names = rename_resources(doc, page, source)
        content = rewritten(source, names, offset)
        box = f"q 1 0 0 1 {slot.x:.4f} {slot.y:.4f} cm 0 0 {slot.width:.4f} {slot.height:.4f} re W n\n".encode()
        page.contents_add(doc.make_stream(b"q\n"), prepend=True)
        page.contents_add(doc.make_stream(b"Q\n" + box + content + b"\nQ\n"))
        reserved = tree.K
        for i in slot.path:
            reserved = reserved.K[i]
        pages = [p.obj for p in doc.pages]
        owners: dict[int, dict[int, Any]] = {}
        links: list[tuple[Any, Any]] = []
        kids = Array()
        for node in drawing.root.kids:
            if isinstance(node, Node) and node.has_content():
                moved = Node(node.role, node.alt, node.lang, node.attributes, [shifted(k, slot.page) for k in node.kids])
                kids.append(struct_element(doc, moved, reserved, pages, owners, links, offset))
        reserved.K = kids
        if "/A" in reserved:
            del reserved["/A"]
        for mcid in sorted(owners.get(slot.page, {})):
            assert mcid == len(owned)
            owned.append(owners[slot.page][mcid])
        return saved(doc, metadata_current=True)  # the base copy was saved as this one is


def shifted(kid: Any, page: int) -> Any:
    """An element's kid from the stamp's page 0 moved to the base's page."""
    if isinstance(kid, Node):
        return Node(kid.role, kid.alt, kid.lang, kid.attributes, [shifted(k, page) for k in kid.kids])
    return type(kid)(page, *(getattr(kid, f) for f in ("mcid", "index") if hasattr(kid, f)))


def rename_resources(doc: pikepdf.Pdf, page: pikepdf.Page, source: pikepdf.Page) -> dict[str, Name]:
    """Copy the stamp page's resources into the base page's under names of their own
    (S1, S2 ...: none clashes with the page's), returning old name -> new name."""
    resources = page.obj.Resources
    names: dict[str, Name] = {}
    for category, items in source.obj.Resources.items():
        if category == "/ProcSet" or not isinstance(items, pikepdf.Dictionary):
            continue
        if category not in resources:
            resources[category] = Dictionary()
        target = resources[category]
        for key, value in items.items():
            n = len(names) + 1
            while f"/S{n}" in target:
                n += 1
            new = Name(f"/S{n}")
            target[new] = doc.copy_foreign(value)
            names[key] = new
    return names


def rewritten(source: pikepdf.Page, names: dict[str, Name], offset: int) -> bytes:
    """The stamp page's content with its resources renamed and each MCID moved after the
    base page's own. The content is ReportLab's: read token by token (strings, which
    ReportLab writes with their parentheses escaped, are passed over whole), without
    parsing it into objects and writing it again."""
    renamed = {key.encode(): str(value).encode() for key, value in names.items()}

    def token(match: re.Match[bytes]) -> bytes:
        word = match.group()
        if word.startswith(b"/MCID"):
            return b"/MCID %d" % (int(word[5:]) + offset)
        if word == b"BI":
            raise CannotStamp("an inline image in the appointment box")
        return renamed.get(word, word)

    return CONTENT_TOKEN.sub(token, source.obj.Contents.read_bytes())
