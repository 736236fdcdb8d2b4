"""The structure tree a Tagger recorded, written into a rendered PDF with pikepdf: the
StructTreeRoot, ParentTree, MarkInfo, /Lang, tab order, XMP and link annotations' bindings."""

from __future__ import annotations

from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .tagging import Content, Node, Tagger, attribute_sets

XMP_UA = "http://www.aiim.org/pdfua/ns/id/"


def struct_element(
    doc: pikepdf.Pdf,
    node: Node,
    parent: Any,
    pages: list[Any],
    owners: dict[int, dict[int, Any]],
    links: list[tuple[Any, Any]],
    mcid_offset: int = 0,
) -> Any:
    """The structure element of `node` (and those inside it) under `parent`; each marked
    content's MCID (plus `mcid_offset`) is recorded in `owners` by page, each link
    annotation's binding in `links`. A reserved element carries its page and box."""
    elem = doc.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + node.role), P=parent))
    kids = Array()
    for kid in node.kids:
        if isinstance(kid, Node):
            if kid.has_content():
                kids.append(struct_element(doc, kid, elem, pages, owners, links, mcid_offset))
        elif isinstance(kid, Content):
            mcid = kid.mcid + mcid_offset
            kids.append(Dictionary(Type=Name.MCR, Pg=pages[kid.page], MCID=mcid))
            owners.setdefault(kid.page, {})[mcid] = elem
        else:
            annotation = pages[kid.page].Annots[kid.index]
            kids.append(Dictionary(Type=Name.OBJR, Pg=pages[kid.page], Obj=annotation))
            links.append((annotation, elem))
    elem.K = kids
    if node.alt:
        elem.Alt = String(node.alt)
    if node.lang:
        elem.Lang = String(node.lang)
    if node.attributes:
        elem.A = Array(
            Dictionary({"/O": Name("/" + owner), **{f"/{k}": Name("/" + v) for k, v in values.items()}})
            for owner, values in attribute_sets(node)
        )
    if node.reserved and node.place is not None:
        page, x, y, width, height = node.place
        elem.Pg = pages[page]
        elem.A = Dictionary(O=Name.Layout, BBox=Array([x, y, x + width, y + height]))
    return elem


def add_structure(doc: pikepdf.Pdf, tagger: Tagger, lang: str, title: str) -> None:
    """Give the PDF its structure tree, ParentTree, MarkInfo, /Lang, tab order and XMP
    (dc:title, pdfuaid:part 1)."""
    pages = [page.obj for page in doc.pages]
    owners: dict[int, dict[int, Any]] = {i: {} for i in range(len(pages))}
    links: list[tuple[Any, Any]] = []  # (annotation, its Link element)
    root = doc.make_indirect(Dictionary(Type=Name.StructTreeRoot))

    root.K = struct_element(doc, tagger.root, root, pages, owners, links)
    nums: list[Any] = []
    for i, page in enumerate(pages):
        page.StructParents = i
        page.Tabs = Name.S
        nums.extend([i, Array([owners[i][m] for m in sorted(owners[i])])])
    for key, (annotation, elem) in enumerate(links, start=len(pages)):
        annotation.StructParent = key
        if "/Contents" not in annotation:
            annotation.Contents = String(str(annotation.get("/A", {}).get("/URI", "")))
        nums.extend([key, elem])
    root.ParentTree = doc.make_indirect(Dictionary(Nums=Array(nums)))
    root.ParentTreeNextKey = len(pages) + len(links)
    doc.Root.StructTreeRoot = root
    doc.Root.MarkInfo = Dictionary(Marked=True)
    doc.Root.Lang = String(lang)
    doc.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:title"] = title
        meta[f"{{{XMP_UA}}}part"] = "1"
