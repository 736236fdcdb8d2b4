"""Turn filled Markdown into document blocks: headings, paragraphs, lists and
boxes holding neutral inline runs (brochure.document).

Raw HTML is off, so `<b>` in content is text, never markup. A value filled into
the text between the isolate marks LRI and PDI (a phone number, an address)
becomes a left-to-right `Span`; the marks themselves never reach a writer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from ..document import (
    Block,
    Break,
    Callout,
    Emphasis,
    Heading,
    Inline,
    Inlines,
    Link,
    ListBlock,
    ListItem,
    Paragraph,
    Span,
    Strong,
    Text,
    plain,
)
from ..errors import Problem
from ..model import Text as SourceText

BOX_KINDS = ("help", "note")  # the boxes an author can write: ::: help Title ... :::
LINK_SCHEMES = ("https", "http", "tel", "mailto")
# What a text's inline Markdown may not hold, by token type, and what to write instead.
UNSUPPORTED_INLINE = {
    "image": ("an image is not supported in the text", "a leaflet's diagram is set by 'figure:' in the front matter"),
    "html_inline": ("HTML is not supported", "write the text without tags; **bold** and *italic* work"),
    "s_open": ("strikethrough (~~) is not supported", "remove the text instead"),
    "code_inline": ("code (`...`) is not supported", "write it as plain text, without backticks"),
}
FOOTNOTE = re.compile(r"(?<!\\)\[\^[^\]\s]+\]")  # [^1], not \[^1] (an escaped bracket)
LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"  # isolate marks: left to right, first strong, end


def _parser() -> MarkdownIt:
    """CommonMark with boxes. HTML, tables, strikethrough and links of any scheme are
    parsed only to be reported: a leaflet supports none of them (a filled value is escaped,
    so it is never read as any of them)."""
    md = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable(["table", "strikethrough"])
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # every link is checked here instead
    for kind in BOX_KINDS:
        md.use(container_plugin, kind)
    return md


MD = _parser()


def isolate_ltr(value: str) -> str:
    """A value to be kept left to right in any text (a phone number, an address)."""
    return f"{LRI}{value}{PDI}" if value else value


def isolate(value: str) -> str:
    """A value whose direction is its own (a patient's name in any script)."""
    return f"{FSI}{value}{PDI}" if value else value


def link_kind(href: str) -> str:
    """tel, mailto or url, from a link's target."""
    scheme = href.partition(":")[0].lower()
    return scheme if scheme in ("tel", "mailto") else "url"


def unsupported(tokens: list[Token] | None) -> list[tuple[str, str]]:
    """What inline tokens hold that a leaflet does not support: a message and a hint each."""
    found = [UNSUPPORTED_INLINE[tok.type] for tok in tokens or [] if tok.type in UNSUPPORTED_INLINE]
    for tok in tokens or []:
        scheme = str(tok.attrs.get("href", "")).partition(":")[0].lower() if tok.type == "link_open" else ""
        if tok.type == "link_open" and scheme not in LINK_SCHEMES:
            what = f"'{scheme}:'" if ":" in str(tok.attrs["href"]) else "an address without https://"
            found.append((f"a link to {what} is not supported", "links go to https://, http://, tel: or mailto: addresses"))
    return found


def shown_address(href: str, children: Inlines) -> str:
    """A link's address as a reader of a printed copy needs it, or '' if its text shows it."""
    address = href.partition(":")[2].removeprefix("//").rstrip("/") if ":" in href else href
    return "" if address.casefold() in plain(children).casefold() else address


def inlines(tokens: list[Token] | None) -> Inlines:
    """Inline runs for Markdown inline tokens. A link's address follows its text, in
    brackets, unless its text shows it: a printed copy cannot be clicked."""
    stack: list[list[Inline]] = [[]]
    opened: list[Token] = []
    for tok in tokens or []:
        if tok.type in ("text", "code_inline"):
            stack[-1].append(Text(unicodedata.normalize("NFC", tok.content)))
        elif tok.type == "softbreak":
            stack[-1].append(Text(" "))
        elif tok.type == "hardbreak":
            stack[-1].append(Break())
        elif tok.type == "image":
            stack[-1].append(Text(tok.content))
        elif tok.type in ("strong_open", "em_open", "link_open"):
            stack.append([])
            opened.append(tok)
        elif tok.type in ("strong_close", "em_close", "link_close") and opened:
            children, tok_open = tuple(stack.pop()), opened.pop()
            if tok_open.type == "strong_open":
                stack[-1].append(Strong(children))
            elif tok_open.type == "em_open":
                stack[-1].append(Emphasis(children))
            else:
                href = str(tok_open.attrs.get("href", ""))
                stack[-1].append(Link(link_kind(href), href, children))
                if address := shown_address(href, children):
                    stack[-1] += [Text(" ("), Span((Text(address),), "ltr"), Text(")")]
    return spans(merge(tuple(stack[0])))


def merge(runs: Inlines) -> Inlines:
    """Neighbouring text runs as one."""
    out: list[Inline] = []
    for run in runs:
        if isinstance(run, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + run.text)
        else:
            out.append(run)
    return tuple(out)


def spans(runs: Inlines) -> Inlines:
    """Text between isolate marks as Spans (left to right after LRI, its own direction
    after FSI); the marks are dropped, unbalanced ones too."""
    out: list[list[Inline]] = [[]]
    kinds: list[str] = []
    for run in runs:
        if isinstance(run, Strong | Emphasis | Link):
            out[-1].append(replace(run, children=spans(run.children)))
            continue
        if not isinstance(run, Text):
            out[-1].append(run)
            continue
        piece = ""
        for char in run.text:
            if char in (LRI, FSI):
                if piece:
                    out[-1].append(Text(piece))
                piece = ""
                out.append([])
                kinds.append("ltr" if char == LRI else "auto")
            elif char == PDI:
                if piece:
                    out[-1].append(Text(piece))
                piece = ""
                if kinds:
                    children = merge(tuple(out.pop()))
                    out[-1].append(Span(children, kinds.pop()))
            else:
                piece += char
        if piece:
            out[-1].append(Text(piece))
    while kinds:  # an LRI without its PDI: keep the text
        children = tuple(out.pop())
        kinds.pop()
        out[-1].extend(children)
    return merge(tuple(out[0]))


def inline_text(text: SourceText, problems: list[Problem] | None = None) -> Inlines:
    """Inline runs for a one-paragraph string such as a fact or a summary point; with
    `problems`, what it holds that a leaflet does not support is reported there."""
    tokens = MD.parseInline(text.source.strip())
    children = tokens[0].children if tokens else []
    if problems is not None:
        report(children, text, text.line, problems)
    return inlines(children)


def report(tokens: list[Token] | None, text: SourceText, line: int, problems: list[Problem]) -> None:
    """Report, at `line`, what inline tokens hold that a leaflet does not support."""
    for message, hint in dict.fromkeys(unsupported(tokens)):  # a tag's opening and closing are one problem
        problems.append(Problem(text.path, line, message, hint))


def compose(text: SourceText, problems: list[Problem]) -> tuple[Block, ...]:
    """The blocks of a Markdown body, reporting what leaflets do not support."""
    blocks, found = composed(text)
    problems.extend(found)
    return blocks


@lru_cache(maxsize=1024)
def composed(text: SourceText) -> tuple[tuple[Block, ...], tuple[Problem, ...]]:
    """A body's blocks and problems, kept for the process: the same text (an email's
    paragraph that names no patient, a leaflet prepared again) is parsed once."""
    found: list[Problem] = []
    blocks, _ = _blocks(MD.parse(text.source), 0, None, text, found)
    return tuple(blocks), (*found, *footnotes(text))


def footnotes(text: SourceText) -> list[Problem]:
    """A problem at each line with a footnote, [^1] or [^1]: ...: Markdown prints it as it is
    written. (A filled value's brackets are escaped and are text.)"""
    return [
        Problem(
            text.path,
            text.line + number,
            "footnotes ([^1]) are not supported",
            "write the note into the text; a source goes under 'sources:'",
        )
        for number, line in enumerate(text.source.splitlines())
        if FOOTNOTE.search(line)
    ]


def _line(tok: Token, text: SourceText) -> int:
    return text.line + (tok.map[0] if tok.map else 0)


def paragraph(runs: Inlines) -> Paragraph:
    """A paragraph; one that introduces what follows ("Call us if you have:") is a lead-in."""
    leads_in = plain(runs).rstrip().endswith((":", "："))
    return Paragraph(runs, "lead_in" if leads_in else "body")


def _blocks(tokens: list[Token], i: int, until: str | None, text: SourceText, problems: list[Problem]) -> tuple[list[Block], int]:
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
            report(tokens[i + 1].children, text, _line(tok, text), problems)
            out.append(Heading(min(max(level, 2), 3), inlines(tokens[i + 1].children)))
            i += 3
        elif tok.type == "paragraph_open":
            report(tokens[i + 1].children, text, _line(tok, text), problems)
            out.append(paragraph(inlines(tokens[i + 1].children)))
            i += 3
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            items: list[ListItem] = []
            i = _list_items(tokens, i, 0, items, text, problems)
            ordered = tok.type == "ordered_list_open"
            out.append(ListBlock(tuple(items), ordered, start=int(tok.attrs.get("start", 1)) if ordered else 1))
        elif tok.type.startswith("container_") and tok.type.endswith("_open"):
            kind = tok.type[len("container_") : -len("_open")]
            title = tok.info.strip()[len(kind) :].strip()
            inner, i = _blocks(tokens, i + 1, f"container_{kind}_close", text, problems)
            title_tokens = MD.parseInline(title) if title else []
            report(title_tokens[0].children if title_tokens else [], text, _line(tok, text), problems)
            out.append(Callout(kind, inlines(title_tokens[0].children if title_tokens else []), tuple(inner)))
        else:
            what = "HTML" if tok.type == "html_block" else tok.type.replace("_open", "").replace("_", " ")
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


def _list_items(tokens: list[Token], i: int, depth: int, items: list[ListItem], text: SourceText, problems: list[Problem]) -> int:
    """Collect list items (nested lists one level deeper); return the index after the list."""
    close = tokens[i].type.replace("_open", "_close")
    i += 1
    while tokens[i].type != close:
        tok = tokens[i]
        if tok.type == "inline":
            report(tok.children, text, _line(tok, text), problems)
            items.append(ListItem(inlines(tok.children), depth))
        elif tok.type in ("bullet_list_open", "ordered_list_open"):
            i = _list_items(tokens, i, depth + 1, items, text, problems)
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
