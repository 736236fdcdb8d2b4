"""A small element tree of an HTML page (the standard library's parser), for tests to
query: elements by tag and attributes, their text, their ancestors."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass(eq=False)
class Element:
    """An element: its tag, attributes, children (elements and text) and parent."""

    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    def iter(self) -> Iterator[Element]:
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find(self, tag: str, **attrs: str) -> list[Element]:
        """Elements inside (this one included) with the tag and these attribute values
        (`class_` for class; a value of '*' only asks that the attribute be there)."""
        wanted = {key.rstrip("_").replace("_", "-"): value for key, value in attrs.items()}
        return [
            e
            for e in self.iter()
            if e.tag == tag
            and all(k in e.attrs and (v == "*" or v in e.attrs[k].split() or v == e.attrs[k]) for k, v in wanted.items())
        ]

    def one(self, tag: str, **attrs: str) -> Element:
        """The only element that `find` finds; AssertionError if there are none or more."""
        found = self.find(tag, **attrs)
        assert len(found) == 1, f"{len(found)} <{tag} {attrs}> elements, expected one"
        return found[0]

    def text(self) -> str:
        """All the text inside, whitespace runs as one space."""
        parts = [child if isinstance(child, str) else child.text() for child in self.children]
        return " ".join("".join(parts).split())

    def ancestors(self) -> Iterator[Element]:
        """The elements this one is inside, nearest first."""
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def by_id(self, id_: str) -> Element:
        """The element with this id."""
        found = [e for e in self.iter() if e.attrs.get("id") == id_]
        assert len(found) == 1, f"{len(found)} elements with id {id_!r}"
        return found[0]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.node = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.node)
        self.node.children.append(element)
        if tag not in VOID:
            self.node = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.node.children.append(Element(tag, {k: v or "" for k, v in attrs}, self.node))

    def handle_endtag(self, tag: str) -> None:
        assert self.node.tag == tag and self.node.parent is not None, f"</{tag}> where <{self.node.tag}> is open"
        self.node = self.node.parent

    def handle_data(self, data: str) -> None:
        self.node.children.append(data)


def parse(html: str) -> Element:
    """The tree of a page; AssertionError unless every element is closed, in order."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    assert builder.node is builder.root, f"<{builder.node.tag}> is never closed"
    return builder.root
