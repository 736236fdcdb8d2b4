"""Turn filled Markdown into document blocks with ReportLab inline markup.

Every piece of text is XML-escaped here, on its way to ReportLab's paragraph
markup; only the tags this module writes (<b>, <i>, <link>) are markup.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html import unescape
from xml.sax.saxutils import escape, quoteattr

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from .errors import Problem
from .model import Text

CALLOUT_KINDS = ("help", "note")


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    for kind in CALLOUT_KINDS:
        md.use(container_plugin, kind)
    return md


MD = _parser()


@dataclass(frozen=True)
class Heading:
    """A section heading; `text` is plain, for bookmarks."""

    level: int
    markup: str
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of inline markup."""

    markup: str


@dataclass(frozen=True)
class ListBlock:
    """A bullet or numbered list; each item is (depth, markup)."""

    items: tuple[tuple[int, str], ...]
    ordered: bool


@dataclass(frozen=True)
class Callout:
    """A highlighted box: `help` (when to get help) or `note`."""

    kind: str
    title: str
    blocks: tuple[Block, ...]


Block = Heading | Paragraph | ListBlock | Callout


TAGS = re.compile(r"<[^>]+>")


def plain_text(markup: str) -> str:
    """Paragraph markup as plain text: tags dropped, entities resolved."""
    return unescape(TAGS.sub("", markup))


def inline(tokens: list[Token] | None) -> str:
    """ReportLab paragraph markup for Markdown inline tokens."""
    out: list[str] = []
    for tok in tokens or []:
        if tok.type == "text" or tok.type == "code_inline":
            out.append(escape(unicodedata.normalize("NFC", tok.content)))
        elif tok.type == "strong_open":
            out.append("<b>")
        elif tok.type == "strong_close":
            out.append("</b>")
        elif tok.type == "em_open":
            out.append("<i>")
        elif tok.type == "em_close":
            out.append("</i>")
        elif tok.type == "link_open":
            out.append(f"<link href={quoteattr(str(tok.attrs.get('href', '')))}>")
        elif tok.type == "link_close":
            out.append("</link>")
        elif tok.type == "softbreak":
            out.append(" ")
        elif tok.type == "hardbreak":
            out.append("<br/>")
        elif tok.type == "image":
            out.append(escape(tok.content))
    return "".join(out)


def plain(tokens: list[Token] | None) -> str:
    """The text of inline tokens without markup."""
    return "".join(t.content for t in tokens or [] if t.type in ("text", "code_inline"))


def inline_markup(text: Text) -> str:
    """Markup for a one-paragraph string such as a fact or a summary point."""
    tokens = MD.parseInline(text.source.strip())
    return inline(tokens[0].children if tokens else [])


def compose(text: Text, problems: list[Problem]) -> tuple[Block, ...]:
    """The blocks of a Markdown body, reporting what leaflets do not support."""
    tokens = MD.parse(text.source)
    blocks, _ = _blocks(tokens, 0, None, text, problems)
    return tuple(blocks)


def _line(tok: Token, text: Text) -> int:
    return text.line + (tok.map[0] if tok.map else 0)


def _blocks(tokens: list[Token], i: int, until: str | None, text: Text, problems: list[Problem]) -> tuple[list[Block], int]:
    """Blocks from tokens[i:] up to a closing token of type `until`."""
    out: list[Block] = []
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == until:
            return out, i + 1
        if tok.type == "heading_open":
            level = int(tok.tag[1])
            if level not in (2, 3):
                problems.append(
                    Problem(
                        text.path,
                        _line(tok, text),
                        f"heading level {level} is not used in leaflets",
                        "use '## ' for sections and '### ' below them",
                    )
                )
            children = tokens[i + 1].children
            out.append(Heading(min(max(level, 2), 3), inline(children), plain(children)))
            i += 3
        elif tok.type == "paragraph_open":
            out.append(Paragraph(inline(tokens[i + 1].children)))
            i += 3
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            items: list[tuple[int, str]] = []
            i = _list_items(tokens, i, 0, items)
            out.append(ListBlock(tuple(items), tok.type == "ordered_list_open"))
        elif tok.type.startswith("container_") and tok.type.endswith("_open"):
            kind = tok.type[len("container_") : -len("_open")]
            title = tok.info.strip()[len(kind) :].strip()
            inner, i = _blocks(tokens, i + 1, f"container_{kind}_close", text, problems)
            out.append(Callout(kind, escape(title), tuple(inner)))
        else:
            what = tok.type.replace("_open", "").replace("_", " ")
            problems.append(
                Problem(
                    text.path,
                    _line(tok, text),
                    f"{what} is not supported in leaflets",
                    "use headings, paragraphs, lists and ::: help boxes",
                )
            )
            i = _skip(tokens, i)
    return out, i


def _list_items(tokens: list[Token], i: int, depth: int, items: list[tuple[int, str]]) -> int:
    """Collect list items (nested lists one level deeper); return the index after the list."""
    close = tokens[i].type.replace("_open", "_close")
    i += 1
    while tokens[i].type != close:
        tok = tokens[i]
        if tok.type == "inline":
            items.append((depth, inline(tok.children)))
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            i = _list_items(tokens, i, depth + 1, items)
            continue
        i += 1
    return i + 1


def _skip(tokens: list[Token], i: int) -> int:
    """The index after the block that starts at tokens[i]."""
    tok = tokens[i]
    if tok.nesting != 1:
        return i + 1
    depth = 0
    while i < len(tokens):
        depth += tokens[i].nesting
        i += 1
        if depth == 0:
            return i
    return i
