"""Reading a tagged PDF's structure tree back with pikepdf, for tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf


@dataclass
class Element:
    """A structure element as read back: its role, attributes and children."""

    role: str
    alt: str = ""
    lang: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    kids: list[Element] = field(default_factory=list)
    mcids: list[tuple[int, int]] = field(default_factory=list)  # (page index, MCID)
    annotations: list[pikepdf.Object] = field(default_factory=list)

    def walk(self) -> Iterator[Element]:
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def find(self, role: str) -> list[Element]:
        return [e for e in self.walk() if e.role == role]


def read_tree(path: Path) -> Element:
    """The document's structure tree (its Document element)."""
    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        root = pdf.Root.StructTreeRoot

        def read(obj: pikepdf.Object, page: int | None) -> Element:
            element = Element(str(obj.S)[1:], str(obj.get("/Alt", "")), str(obj.get("/Lang", "")))
            for attrs in obj.get("/A", []):
                element.attributes.update({str(k)[1:]: str(v)[1:] for k, v in attrs.items() if k != "/O"})
            if "/Pg" in obj:
                page = pages[obj.Pg.objgen]
            kids = obj.get("/K", [])
            kids = kids if isinstance(kids, pikepdf.Array) else [kids]
            for kid in kids:
                if isinstance(kid, int):
                    element.mcids.append((page, int(kid)))
                elif kid.get("/Type") == "/MCR":
                    element.mcids.append((pages[kid.Pg.objgen], int(kid.MCID)))
                elif kid.get("/Type") == "/OBJR":
                    element.annotations.append(kid.Obj)
                else:
                    element.kids.append(read(kid, page))
            return element

        return read(root.K, None)


TEXT_SHOWING = {"Tj", "TJ", "'", '"'}


@dataclass
class PageMarks:
    """What a page's content stream marks: MCIDs, and text shown outside any marking."""

    mcids: set[int] = field(default_factory=set)
    unmarked_text: int = 0
    artifact_text: int = 0


def page_marks(path: Path) -> list[PageMarks]:
    """For each page, the MCIDs its content marks and how much text is shown outside a
    marked-content sequence that is either tagged (has an MCID) or an Artifact."""
    out = []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            marks = PageMarks()
            stack: list[str] = []  # 'mcid', 'artifact' or 'other' for each open sequence
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BDC", "BMC"):
                    tag = str(operands[0])
                    props = operands[1] if op == "BDC" else None
                    if tag == "/Artifact":
                        stack.append("artifact")
                    elif isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                        marks.mcids.add(int(props.MCID))
                        stack.append("mcid")
                    else:
                        stack.append("other")
                elif op == "EMC":
                    stack.pop()
                elif op in TEXT_SHOWING:
                    if "artifact" in stack:
                        marks.artifact_text += 1
                    elif "mcid" not in stack:
                        marks.unmarked_text += 1
            assert not stack, "unbalanced marked content"
            out.append(marks)
    return out


def pdfium_tree(path: Path) -> list[tuple[str, str, str]]:
    """(role, alt text, text) of every structure element PDFium finds, page by page; the
    text is that of the page's text objects marked with the element's MCIDs."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    def string(func, element) -> str:  # noqa: ANN001
        size = func(element, None, 0)
        if size <= 2:
            return ""
        buffer = ctypes.create_string_buffer(size)
        func(element, buffer, size)
        return buffer.raw[: size - 2].decode("utf-16-le")

    pdf = pdfium.PdfDocument(path)
    found: list[tuple[str, str, str]] = []
    for index in range(len(pdf)):
        page = pdf[index]
        textpage = page.get_textpage()
        by_mcid: dict[int, str] = {}
        for obj in page.get_objects(max_depth=1):
            mcid = raw.FPDFPageObj_GetMarkedContentID(obj.raw)
            if mcid >= 0 and obj.type == raw.FPDF_PAGEOBJ_TEXT:
                size = raw.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
                buffer = ctypes.create_string_buffer(size)
                raw.FPDFTextObj_GetText(obj.raw, textpage.raw, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size)
                by_mcid[mcid] = by_mcid.get(mcid, "") + buffer.raw[: size - 2].decode("utf-16-le")

        def walk(element, by_mcid: dict[int, str] = by_mcid) -> None:  # noqa: ANN001
            count = raw.FPDF_StructElement_GetMarkedContentIdCount(element)
            ids = [raw.FPDF_StructElement_GetMarkedContentIdAtIndex(element, i) for i in range(count)]
            role, alt = string(raw.FPDF_StructElement_GetType, element), string(raw.FPDF_StructElement_GetAltText, element)
            found.append((role, alt, "".join(by_mcid.get(i, "") for i in ids)))
            for i in range(raw.FPDF_StructElement_CountChildren(element)):
                child = raw.FPDF_StructElement_GetChildAtIndex(element, i)
                if child:
                    walk(child)

        tree = raw.FPDF_StructTree_GetForPage(page.raw)
        for i in range(raw.FPDF_StructTree_CountChildren(tree)):
            walk(raw.FPDF_StructTree_GetChildAtIndex(tree, i))
        raw.FPDF_StructTree_Close(tree)
    return found
