"""Tagged PDF (PDF/UA-1): the structure tree of a document, recorded while it is
drawn (structure.py writes it into the PDF afterwards).

The builder makes a `Node` for every element (H1, P, L/LI/LBody, Table/TR/TH/TD,
Figure, Sect, Link) in reading order, and hands each leaf flowable its node.
While drawing, a leaf opens a marked-content sequence with the next MCID of the
page; everything else drawn (footers, boxes' tints, rules, the logo, crop marks)
is an Artifact. ReportLab writes no structure tree, so `structure.add_structure` builds the
StructTreeRoot, ParentTree, MarkInfo, XMP and link annotations' bindings.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Content:
    """A marked-content sequence: page (0-based) and MCID."""

    page: int
    mcid: int


@dataclass(frozen=True)
class Annotation:
    """A link annotation: page (0-based) and its index among the page's annotations."""

    page: int
    index: int


@dataclass(eq=False)
class Node:
    """A structure element and what it holds, in reading order."""

    role: str
    alt: str = ""  # Figure: the text a reader who cannot see it gets
    lang: str = ""  # when it is in another language than the document
    attributes: dict[str, str] = field(default_factory=dict)  # e.g. Scope for TH (owner Table)
    kids: list[Node | Content | Annotation] = field(default_factory=list)
    # A reserved element (a personalised copy's appointment slot) is written even while
    # empty, with where it was drawn: page (0-based), x, y, width, height.
    reserved: bool = False
    place: tuple[int, float, float, float, float] | None = None

    def add(self, role: str, **kw: Any) -> Node:
        """A new child element, after the others."""
        child = Node(role, **kw)
        self.kids.append(child)
        return child

    def has_content(self) -> bool:
        """Whether anything drawn belongs to this element or one inside it (a reserved
        element counts as drawn)."""
        return self.reserved or any(not isinstance(k, Node) or k.has_content() for k in self.kids)


class Tagger:
    """Records, while a PDF is drawn, which marked content belongs to which element."""

    def __init__(self) -> None:
        self.root = Node("Document")
        self.next_mcid: dict[int, int] = {}
        self.open: list[Node | None] = []  # a stack: None for an artifact
        self.annotations: dict[int, int] = {}

    def in_artifact(self) -> bool:
        return None in self.open

    def begin(self, canvas: Any, node: Node) -> None:
        """Open the next marked-content sequence of the page for `node`."""
        if self.in_artifact():
            self.open.append(node)  # drawn as part of an artifact (a repeated table header)
            return
        page = canvas.getPageNumber() - 1
        mcid = self.next_mcid.get(page, 0)
        self.next_mcid[page] = mcid + 1
        node.kids.append(Content(page, mcid))
        canvas._code.append(f"/{node.role} <</MCID {mcid}>> BDC")
        self.open.append(node)

    def end(self, canvas: Any) -> None:
        """Close the sequence `begin` opened."""
        self.open.pop()
        if not self.in_artifact():
            canvas._code.append("EMC")

    @contextmanager
    def artifact(self, canvas: Any, kind: str = "") -> Iterator[None]:
        """Everything drawn inside is an artifact (of a kind: Pagination, Layout ...)."""
        outer = self.in_artifact()
        if not outer:
            canvas._code.append(f"/Artifact <</Type /{kind}>> BDC" if kind else "/Artifact BMC")
        self.open.append(None)
        try:
            yield
        finally:
            self.open.pop()
            if not outer:
                canvas._code.append("EMC")

    def link(self, canvas: Any) -> None:
        """A link annotation was just made on the page: it belongs to the open element."""
        page = canvas.getPageNumber() - 1
        index = self.annotations.get(page, 0)
        self.annotations[page] = index + 1
        node = next((n for n in reversed(self.open) if n is not None), None)
        if node is not None and not self.in_artifact():
            node.kids.append(Annotation(page, index))


def tagger_of(canvas: Any) -> Tagger | None:
    """The tagger a canvas draws for, if any."""
    return getattr(canvas, "tagger", None)


class TaggedMixin:
    """For a flowable that draws the content of one element: its drawing is a
    marked-content sequence of `tag`; with no tag, an artifact if `artifact` is set.
    A paragraph that is a list item's body draws its bullet as the item's `label`.
    These survive a split across pages."""

    tag: Node | None = None
    label: Node | None = None
    artifact: bool = False
    CARRIED = ("tag", "label", "artifact", "key", "level", "outline_title", "kind")

    def _drawOn(self, canv: Any) -> None:  # noqa: N802 - ReportLab's name: sets the canvas, then draws
        tagger = tagger_of(canv)
        if tagger is None or (self.tag is None and not self.artifact):
            super()._drawOn(canv)  # type: ignore[misc]
        elif self.tag is None:
            with tagger.artifact(canv):
                super()._drawOn(canv)  # type: ignore[misc]
        else:
            tagger.begin(canv, self.tag)
            canv.bullet_label = self.label
            try:
                super()._drawOn(canv)  # type: ignore[misc]
            finally:
                canv.bullet_label = None
                tagger.end(canv)

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803 - ReportLab's names
        parts = super().split(availWidth, availHeight)  # type: ignore[misc]
        for i, part in enumerate(parts):
            for name in self.CARRIED:
                if name in self.__dict__:
                    setattr(part, name, None if (name == "label" and i) else self.__dict__[name])
        return parts


@contextmanager
def label_of(canvas: Any) -> Iterator[None]:
    """Draw a list item's bullet as its label element (Lbl), between its body's sequences."""
    tagger, label = tagger_of(canvas), getattr(canvas, "bullet_label", None)
    if tagger is None or label is None or tagger.in_artifact():
        yield
        return
    body = tagger.open[-1]
    tagger.end(canvas)
    tagger.begin(canvas, label)
    try:
        yield
    finally:
        tagger.end(canvas)
        if body is not None:
            tagger.begin(canvas, body)


# Attributes ------------------------------------------------------------------------------------

ATTRIBUTE_OWNERS = {"Scope": "Table", "ListNumbering": "List"}  # the standard attribute owner of each attribute


def attribute_sets(node: Node) -> list[tuple[str, dict[str, str]]]:
    """An element's attributes by their standard owner (Table, List), owners in order."""
    kinds = sorted({ATTRIBUTE_OWNERS[k] for k in node.attributes})
    return [(owner, {k: v for k, v in node.attributes.items() if ATTRIBUTE_OWNERS[k] == owner}) for owner in kinds]
