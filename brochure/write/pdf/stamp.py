"""A personalised copy as the base copy plus a stamp: the base is the document rendered
once with its appointment box left empty (a slot of the layout's fixed height, its
structure element reserved); the stamp is the appointment box alone, drawn by ReportLab
with the document's styles, script rules and fonts (font subsets of its own, so any
name's letters are covered) as the content of a page of the slot's size, then appended
to the base as an incremental update (update.py): the slot's page with that content
drawn inside the slot (fonts renamed, MCIDs after the page's own), the fonts, the
elements put into the reserved one in reading order, the ParentTree told. The base's
bytes are neither parsed nor written again per patient; the same base and appointment
give the same bytes."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from typing import Any

from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.pdfdoc import pdfdocEnc
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from ...document import Prepared
from ...placement import Placement, Rect
from ...scripts import SCRIPTS
from .builder import Builder
from .engine import setup
from .flowables import Box, ValueTooLong
from .fonts import PRIVATE_TEXT, register, reset_private_codes, subset_tag, to_unicode_cmap
from .pages import fixed_timestamp
from .recording import Recorder
from .styles import styles_for
from .tagging import Content, Node, Tagger, attribute_sets
from .update import Name, Raw, Ref, Stream, appended, deflate, number, serialized

MM = 72 / 25.4
PATIENT_VALUES = ("name", "location", "notes", "date")  # the appointment's columns, the likeliest to overflow first
# What a content stream's tokens are, for renaming: a string, a dictionary's brackets,
# a hex string, an MCID with its number, a resource other than a font put to use (an
# image, a graphics state, a shading: a stamp carries fonts only), a name, an inline
# image's start. A string is one token, so the text in it is never read as operators.
NAME = rb"/[^\s/\[\]()<>{}%]+"
OTHER_RESOURCE = re.compile(NAME + rb"\s+(?:Do|gs|sh)\b")
CONTENT_TOKEN = re.compile(
    rb"\((?:\\.|[^\\()])*\)|<<|>>|<[0-9A-Fa-f\s]*>|/MCID\s+\d+|" + OTHER_RESOURCE.pattern + b"|" + NAME + rb"|\bBI\b"
)


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
    import pikepdf  # here, as in target_of: a base copy read from the cache needs neither

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        pages = {page.obj.objgen: i for i, page in enumerate(doc.pages)}

        def search(elem: Any, path: tuple[int, ...]) -> Slot | None:
            kids = elem.get("/K")
            if isinstance(kids, pikepdf.Array):
                if len(kids) == 0 and "/A" in elem and elem.A.get("/O") == pikepdf.Name.Layout and "/BBox" in elem.A:
                    x0, y0, x1, y1 = (float(v) for v in elem.A.BBox)
                    return Slot(pages[elem.Pg.objgen], x0, y0, x1 - x0, y1 - y0, path)
                for i, kid in enumerate(kids):
                    if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.StructElem:
                        found = search(kid, (*path, i))
                        if found is not None:
                            return found
            return None

        return search(doc.Root.StructTreeRoot.K, ())


@dataclass(frozen=True)
class SlotFont:
    """A font subset the slot's contents use, as ReportLab made it: the name the content
    calls it by (F1+0), its PostScript name with a subset tag, its first 256 or fewer
    glyphs' codes and widths, its font program (compressed, and its length before), what
    its descriptor says and its ToUnicode map (compressed, made when the slot is drawn:
    its private-use codes' texts are the slot's own)."""

    resource: str
    name: str
    codes: tuple[int, ...]
    widths: tuple[float, ...]
    program: bytes
    length: int
    descriptor: dict[str, Any]
    unicode_map: bytes


@dataclass(frozen=True)
class SlotDrawing:
    """The slot's contents as ReportLab drew them: the content stream of a page of the
    slot's size, the font subsets it calls, and its elements with their marked content."""

    content: bytes
    fonts: tuple[SlotFont, ...]
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
    builder = Builder(p, styles_for(p, family), slot.width, tagger.root)
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
    content = pdfdocEnc("\n".join([canvas._preamble, *canvas._code]) + "\n")
    (section,) = [kid for kid in tagger.root.kids if isinstance(kid, Node)]
    return SlotDrawing(content, slot_fonts(canvas), section)


def slot_fonts(canvas: Canvas) -> tuple[SlotFont, ...]:
    """The font subsets a canvas's drawing uses, made as ReportLab makes them when it
    saves (and its record of them dropped, as saving does)."""
    doc = canvas._doc
    fonts = []
    for font in doc.delayedFonts:
        if not isinstance(font, TTFont):
            raise CannotStamp(f"the appointment box uses {font.fontName}, not an embedded TrueType font")
        state = font.state.pop(doc)
        face = font.face
        plain = (face.name + face.subfontNameX).decode("latin-1")
        flags = (face.flags & ~ttfonts.FF_NONSYMBOLIC) | ttfonts.FF_SYMBOLIC
        for n, subset in enumerate(state.subsets):
            codes = tuple(subset)
            widths = tuple(map(face.charWidths.get, codes, itertools.repeat(face.defaultWidth)))  # face.getCharWidth
            descriptor = {
                "Ascent": face.ascent,
                "CapHeight": face.capHeight,
                "Descent": face.descent,
                "Flags": flags,
                "FontBBox": list(face.bbox),
                "ItalicAngle": face.italicAngle,
                "StemV": face.stemV,
                "MissingWidth": face.defaultWidth,
            }
            glyphs = tuple(map(face.charToGlyph.get, codes, itertools.repeat(0)))  # 0: .notdef
            name = f"{tagged(plain, glyphs, widths)}+{plain}"
            program, length = font_program(face, glyphs, subset)
            texts = tuple(PRIVATE_TEXT.get((plain, c)) for c in codes) if PRIVATE_TEXT else (None,) * len(codes)
            cmap = unicode_map(name, codes, texts)
            fonts.append(SlotFont(f"{state.internalName}+{n}", name, codes, widths, program, length, descriptor, cmap))
    return tuple(fonts)


@lru_cache(maxsize=64)
def tagged(plain: str, glyphs: tuple[int, ...], widths: tuple[float, ...]) -> str:
    """A subset's tag (fonts.subset_tag), once per process for the same glyphs and widths."""
    return subset_tag(plain, (glyphs, widths))


@lru_cache(maxsize=64)
def unicode_map(name: str, codes: tuple[int, ...], texts: tuple[str | None, ...]) -> bytes:
    """A subset's ToUnicode map, compressed: made once per process for the same subset,
    codes and private-use codes' texts (`texts`, which to_unicode_cmap reads, is the key)."""
    return deflate(to_unicode_cmap(name, list(codes)).encode("latin-1"))


_PROGRAMS: dict[tuple[str, tuple[int, ...]], tuple[bytes, int]] = {}


def font_program(face: Any, glyphs: tuple[int, ...], codes: list[int]) -> tuple[bytes, int]:
    """A subset's font program, compressed, and its length before: made by ReportLab
    once per process for the same glyphs in the same order (the labels' subset is the
    same for every patient; a private-use code is not, so the glyphs are the key)."""
    key = (face.filename, glyphs)
    if key not in _PROGRAMS:
        if len(_PROGRAMS) >= 64:
            _PROGRAMS.clear()
        program = face.makeSubset(codes)
        _PROGRAMS[key] = deflate(program), len(program)
    return _PROGRAMS[key]


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


# Markers in the templates of the objects a stamp rewrites, where the stamp's own go.
BEFORE, AFTER, FONTS, KIDS, OWNED = (b"/BrochureStamp" + m for m in (b"Before", b"After", b"Fonts", b"Kids", b"Owned"))
TEXT_FIELDS = ("root", "info", "file_id", "page_dict", "reserved_dict", "parent_tree_dict")  # bytes


@dataclass(frozen=True)
class Target:
    """What a stamp changes in a base copy, read from it once: its slot; the file's /Size,
    its catalog, Info and ID (as the trailer has them); the slot's page (its number and its
    dictionary, the contents and fonts to come marked), the reserved element's and the
    ParentTree's (marked likewise), the MCIDs the page has and the font names it uses."""

    slot: Slot
    size: int
    root: bytes
    info: bytes  # b"" if the file has no Info
    file_id: bytes
    page: int
    page_dict: bytes
    reserved: int
    reserved_dict: bytes
    parent_tree: int
    parent_tree_dict: bytes
    offset: int
    taken: frozenset[str]

    def record(self) -> dict[str, Any]:
        """The target as JSON keeps it (the base copy's cache record): bytes as Latin-1 text."""
        texts = {name: getattr(self, name).decode("latin-1") for name in TEXT_FIELDS}
        return {**asdict(self), **texts, "taken": sorted(self.taken)}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Target:
        """A target as `record` kept it (KeyError, TypeError or ValueError if it is not one)."""
        slot = record["slot"]

        def data(name: str) -> bytes:
            return bytes(record[name].encode("latin-1"))

        def count(name: str) -> int:
            return int(record[name])

        def listed(value: Any) -> list[Any]:
            if not isinstance(value, list):
                raise TypeError("a list was kept")
            return value

        return cls(
            slot=Slot(
                int(slot["page"]),
                float(slot["x"]),
                float(slot["y"]),
                float(slot["width"]),
                float(slot["height"]),
                tuple(int(i) for i in listed(slot["path"])),
            ),
            size=count("size"),
            root=data("root"),
            info=data("info"),
            file_id=data("file_id"),
            page=count("page"),
            page_dict=data("page_dict"),
            reserved=count("reserved"),
            reserved_dict=data("reserved_dict"),
            parent_tree=count("parent_tree"),
            parent_tree_dict=data("parent_tree_dict"),
            offset=count("offset"),
            taken=frozenset(str(name) for name in listed(record["taken"])),
        )

    def trailer(self) -> dict[str, Any]:
        """The trailer of an update to the base copy."""
        info = {"Info": Raw(self.info)} if self.info else {}
        return {"Root": Raw(self.root), **info, "ID": (self.file_id, b"")}


def target_of(base: bytes, slot: Slot) -> Target:
    """The stamp's target in a base copy, read with pikepdf (once per base: the base
    copy's cache record keeps it)."""
    import pikepdf
    from pikepdf import Array, Dictionary

    before, after, fonts_marker, kids_marker, owned_marker = (
        pikepdf.Name(marker.decode()) for marker in (BEFORE, AFTER, FONTS, KIDS, OWNED)
    )
    with pikepdf.open(io.BytesIO(base)) as doc:
        page = doc.pages[slot.page].obj
        tree = doc.Root.StructTreeRoot
        nums = tree.ParentTree.Nums
        assert int(nums[2 * slot.page]) == slot.page
        owned = nums[2 * slot.page + 1]
        contents = page.Contents if isinstance(page.Contents, Array) else [page.Contents]
        resources = Dictionary(dict(page.Resources.items()))
        fonts = Dictionary(dict(resources.get("/Font", Dictionary()).items()))
        taken = frozenset(str(k) for k in fonts.keys())
        fonts[fonts_marker] = 0
        resources.Font = fonts
        template = Dictionary(dict(page.items()))
        template.Contents = Array([before, *contents, after])
        template.Resources = resources
        reserved = tree.K
        for i in slot.path:
            reserved = reserved.K[i]
        element = Dictionary({k: v for k, v in reserved.items() if k != "/A"})
        element.K = kids_marker
        parent_tree = Dictionary(dict(tree.ParentTree.items()))
        parent_tree.Nums = Array([*nums[: 2 * slot.page + 1], Array([*owned, owned_marker]), *nums[2 * slot.page + 2 :]])
        page_dict, element_dict, tree_dict = template.unparse(), element.unparse(), parent_tree.unparse()
        for marker, written_in in (
            (FONTS + b" 0", page_dict),
            (BEFORE, page_dict),
            (AFTER, page_dict),
            (KIDS, element_dict),
            (OWNED, tree_dict),
        ):
            assert written_in.count(marker) == 1, marker  # each is replaced by what the stamp adds
        return Target(
            slot=slot,
            size=int(doc.trailer.Size),
            root=doc.Root.unparse(),
            info=doc.trailer.Info.unparse() if "/Info" in doc.trailer else b"",
            file_id=bytes(doc.trailer.ID[0]),
            page=page.objgen[0],
            page_dict=page_dict,
            reserved=reserved.objgen[0],
            reserved_dict=element_dict,
            parent_tree=tree.ParentTree.objgen[0],
            parent_tree_dict=tree_dict,
            offset=len(owned),
            taken=taken,
        )


def stamp(base: bytes, target: Target, drawing: SlotDrawing) -> bytes:
    """The base copy with the slot's contents drawn into its slot and tagged in its
    reserved element, appended to it as an incremental update (the same base and
    drawing give the same bytes)."""
    slot = target.slot
    numbers = itertools.count(target.size)
    before, after = next(numbers), next(numbers)
    objects: dict[int, Any] = {before: Stream(b"q\n")}
    names: dict[str, str] = {}
    entries = []
    free = (f"S{n}" for n in itertools.count(1) if f"/S{n}" not in target.taken)  # names the page does not use
    for font in drawing.fonts:
        names[font.resource] = next(free)
        ref = font_objects(font, numbers, objects)
        entries.append(serialized(Name(names[font.resource])) + b" " + serialized(ref))
    box = f"q 1 0 0 1 {slot.x:.4f} {slot.y:.4f} cm 0 0 {slot.width:.4f} {slot.height:.4f} re W n\n".encode()
    objects[after] = Stream(b"Q\n" + box + rewritten(drawing.content, names, target.offset) + b"\nQ\n")
    owners: dict[int, Ref] = {}
    page = Ref(target.page)
    kids = [
        element_objects(node, Ref(target.reserved), page, target.offset, numbers, objects, owners)
        for node in drawing.root.kids
        if isinstance(node, Node) and node.has_content()
    ]
    assert sorted(owners) == list(range(target.offset, target.offset + len(owners)))
    owned = b" ".join(serialized(owners[m]) for m in sorted(owners))
    objects[target.page] = Raw(
        target.page_dict.replace(FONTS + b" 0", b" ".join(entries))
        .replace(BEFORE, serialized(Ref(before)))
        .replace(AFTER, serialized(Ref(after)))
    )
    objects[target.reserved] = Raw(target.reserved_dict.replace(KIDS, serialized(kids)))
    objects[target.parent_tree] = Raw(target.parent_tree_dict.replace(OWNED, owned))
    return appended(base, objects, target.size, target.trailer())


def font_objects(font: SlotFont, numbers: Iterator[int], objects: dict[int, Any]) -> Ref:
    """A font subset's objects (font, descriptor, program, ToUnicode map) as ReportLab
    writes them; the font's reference."""
    program, descriptor, cmap, ref = (Ref(next(numbers)) for _ in range(4))
    objects[program.number] = Stream(font.program, {"Length1": font.length}, deflated=True)
    objects[descriptor.number] = {
        "Type": Name("FontDescriptor"),
        **font.descriptor,
        "FontName": Name(font.name),
        "FontFile2": program,
    }
    objects[cmap.number] = Stream(font.unicode_map, deflated=True)
    objects[ref.number] = {
        "Type": Name("Font"),
        "Subtype": Name("TrueType"),
        "BaseFont": Name(font.name),
        "FirstChar": 0,
        "LastChar": len(font.codes) - 1,
        "Widths": Raw(widths_array(font.widths)),
        "FontDescriptor": descriptor,
        "ToUnicode": cmap,
    }
    return ref


@lru_cache(maxsize=64)
def widths_array(widths: tuple[float, ...]) -> bytes:
    """A subset's /Widths, written at once (hundreds of numbers; the labels' subset has
    the same for every patient)."""
    return b"[" + b" ".join(map(number, widths)) + b"]"


def element_objects(
    node: Node, parent: Ref, page: Ref, offset: int, numbers: Iterator[int], objects: dict[int, Any], owners: dict[int, Ref]
) -> Ref:
    """The structure element of `node` (and those inside it) under `parent`, as
    structure.struct_element writes one, each MCID moved by `offset` and its owner kept
    in `owners`; its reference."""
    ref = Ref(next(numbers))
    kids: list[Any] = []
    for kid in node.kids:
        if isinstance(kid, Node):
            if kid.has_content():
                kids.append(element_objects(kid, ref, page, offset, numbers, objects, owners))
        elif isinstance(kid, Content):
            owners[kid.mcid + offset] = ref
            kids.append({"Type": Name("MCR"), "Pg": page, "MCID": kid.mcid + offset})
        else:
            raise CannotStamp("the appointment box holds a link")
    element: dict[str, Any] = {"Type": Name("StructElem"), "S": Name(node.role), "P": parent, "K": kids}
    if node.alt:
        element["Alt"] = node.alt
    if node.lang:
        element["Lang"] = node.lang
    if node.attributes:
        element["A"] = [{"O": Name(owner), **{k: Name(v) for k, v in values.items()}} for owner, values in attribute_sets(node)]
    objects[ref.number] = element
    return ref


def rewritten(content: bytes, names: dict[str, str], offset: int) -> bytes:
    """The slot's content with its fonts renamed and each MCID moved after the base
    page's own. The content is ReportLab's: read token by token (strings, which
    ReportLab writes with their parentheses escaped, are passed over whole), without
    parsing it into objects and writing it again."""
    renamed = {b"/" + key.encode(): b"/" + value.encode() for key, value in names.items()}

    def token(match: re.Match[bytes]) -> bytes:
        word = match.group()
        if word.startswith(b"/MCID"):
            return b"/MCID %d" % (int(word[5:]) + offset)
        if word == b"BI":
            raise CannotStamp("an inline image in the appointment box")
        if OTHER_RESOURCE.fullmatch(word):
            raise CannotStamp("the appointment box draws an image or a graphics state")
        return renamed.get(word, word)

    return CONTENT_TOKEN.sub(token, content)
