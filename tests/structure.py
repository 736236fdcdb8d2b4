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
