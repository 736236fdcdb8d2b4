"""The HTML of the preview's own pages: the index of every document x language x layout,
a view (the document's HTML page beside its PDF's pages, or the problems that stopped
them), and not found. Every text and attribute is escaped; the style and the script are
inline, allowed by their hashes in the Content-Security-Policy, and nothing else is."""

from __future__ import annotations

import base64
import hashlib
from importlib.resources import files
from itertools import groupby
from urllib.parse import quote, urlencode

from ..write.html.writer import attr, esc
from .site import Built, Entry, View

STYLE = files(__package__).joinpath("serve.css").read_text(encoding="utf-8")
SCRIPT = files(__package__).joinpath("serve.js").read_text(encoding="utf-8")


def digest(text: str) -> str:
    """A CSP source allowing exactly this inline text."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


CSP = (
    f"default-src 'none'; script-src {digest(SCRIPT)}; style-src {digest(STYLE)}; img-src 'self'; frame-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# What each state means, as `brochure list` and the release gate say it.
STATUSES = {
    "draft": "not yet reviewed by a clinician",
    "reviewed": "reviewed by a clinician, not yet approved for patients",
    "approved": "approved for patients",
}
TRANSLATIONS = {
    "source": "the original",
    "checked": "translated and checked by a medical translator",
    "draft": "translated, not checked by a medical translator",
    "stale": "the source changed since it was translated",
    "missing": "no translation yet",
    "untracked": "its source file is missing",
}


def url(kind: str, view: View, *rest: str) -> str:
    """The address of a view's page (kind 'view'), its HTML page ('page') or a page image ('image')."""
    return "/" + "/".join(quote(part, safe="") for part in (kind, view.doc, view.lang, view.layout, *rest))


def events_url(view: View | None) -> str:
    """Where a page listens for rebuilds (a view's page names its view, so a save rebuilds it first)."""
    return "/events" + (f"?{urlencode({'doc': view.doc, 'lang': view.lang, 'layout': view.layout})}" if view else "")


def shell(title: str, main: str, generation: int, view: View | None) -> str:
    """A whole page around its <main>, with the script that swaps in the next <main> after a rebuild."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en" data-generation="{generation}"{attr("data-events", events_url(view))}>\n'
        '<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)} · brochure serve</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        '<header class="bar"><a href="/">All documents</a><p id="connection" role="status"></p></header>\n'
        f"{main}\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )


def problems_html(problems: tuple[str, ...]) -> str:
    """The problems found, one line each with its file and line, as the terminal shows them."""
    if not problems:
        return ""
    count = f"{len(problems)} problem" + ("s" if len(problems) > 1 else "")
    items = "".join(f"<li><code>{esc(line)}</code></li>" for line in problems)
    return (
        '<section class="problems" role="alert" aria-labelledby="problems">'
        f'<h2 id="problems">{count}</h2><ul>{items}</ul>'
        "<p>Fix it and save: this page comes back by itself.</p></section>"
    )


def badge(state: str, meanings: dict[str, str]) -> str:
    """A state as a label, its meaning on hover."""
    return f'<span class="state {esc(state)}"{attr("title", meanings.get(state, ""))}>{esc(state)}</span>' if state else ""


def in_language(text: str, lang: str) -> str:
    """Text in a document's language, isolated so that right-to-left text keeps its order."""
    return f'<bdi lang="{esc(lang)}">{esc(text)}</bdi>'


def layout_links(entry: Entry, current: View | None = None) -> str:
    """A link to each layout of an entry (the current one marked)."""
    links = []
    for layout in entry.layouts:
        view = View(entry.doc, entry.lang, layout)
        mark = ' aria-current="page"' if view == current else ""
        links.append(f'<a href="{esc(url("view", view))}"{mark}>{esc(layout)}</a>')
    return " ".join(links)


def index_page(title: str, entries: list[Entry], problems: tuple[str, ...], generation: int) -> str:
    """Every document in every language, with its states and a link to each of its layouts."""
    rows = []
    for _, group in groupby(entries, key=lambda entry: entry.doc):
        documents = list(group)
        named = next((e for e in documents if e.title), documents[0])
        cells = [
            f"<td>{in_language(e.language, e.lang)} ({esc(e.lang)})</td><td>{badge(e.status, STATUSES)}</td>"
            f"<td>{badge(e.translation, TRANSLATIONS)}</td><td>{layout_links(e)}</td>"
            for e in documents
        ]
        rows.append(
            f'<tbody><tr><th scope="rowgroup" rowspan="{len(documents)}">{in_language(named.title or named.doc, named.lang)}'
            f"<br><small>{esc(named.doc)}</small></th>" + "</tr><tr>".join(cells) + "</tr></tbody>"
        )
    heads = "".join(f'<th scope="col">{name}</th>' for name in ("Document", "Language", "Status", "Translation", "Layouts"))
    table = f"<table><thead><tr>{heads}</tr></thead>{''.join(rows)}</table>" if rows else ""
    legend = "".join(
        f'<dl class="legend" aria-label="{name}">'
        + "".join(f"<dt>{esc(state)}</dt><dd>{esc(meaning)}</dd>" for state, meaning in meanings.items())
        + "</dl>"
        for name, meanings in (("Status", STATUSES), ("Translation", TRANSLATIONS))
    )
    main = (
        f"<main><h1>{esc(title)}</h1>"
        "<p>Each page shows a document's HTML page and its PDF's pages, and follows every save.</p>"
        f"{problems_html(problems)}{table}{legend}</main>"
    )
    return shell(title, main, generation, None)


def view_page(view: View, siblings: list[Entry], built: Built, generation: int) -> str:
    """A document in a language and a layout: its HTML page beside its PDF's pages, and any
    problem above them. `siblings` are the document's entries in every language."""
    entry = next((e for e in siblings if e.lang == view.lang), None)
    title = entry.title if entry and entry.title else view.doc
    header = f'<h1 lang="{esc(view.lang)}" dir="auto">{esc(title)}</h1>'
    if entry:
        header += (
            f"<p>{esc(view.doc)} · {in_language(entry.language, entry.lang)} · {esc(view.layout)} · "
            f"status {badge(entry.status, STATUSES)} · translation {badge(entry.translation, TRANSLATIONS)}</p>"
        )
    body = problems_html(built.problems) + panes(view, built, title, generation)
    main = f"<main>{header}{navigation(view, siblings)}{body}</main>"
    return shell(f"{title} ({view.lang}, {view.layout})", main, generation, view)


def navigation(view: View, siblings: list[Entry]) -> str:
    """Links to the view's other layouts, and to the document in its other languages."""
    entry = next((e for e in siblings if e.lang == view.lang), None)
    layouts = f"<p>Layouts: {layout_links(entry, view)}</p>" if entry else ""
    languages = []
    for other in siblings:
        if other.layouts and other.lang != view.lang:
            layout = view.layout if view.layout in other.layouts else other.layouts[0]
            href = url("view", View(other.doc, other.lang, layout))
            languages.append(f'<a href="{esc(href)}" hreflang="{esc(other.lang)}">{in_language(other.language, other.lang)}</a>')
    others = f"<p>Languages: {' '.join(languages)}</p>" if languages else ""
    return f'<nav aria-label="Layouts and languages">{layouts}{others}</nav>' if layouts or others else ""


def panes(view: View, built: Built, title: str, generation: int) -> str:
    """The HTML page and the PDF's pages, where they were made; their addresses name the
    rebuild, so that a browser never shows an old one."""
    query = f"?g={generation}"
    parts = []
    if built.page:
        frame = f'<iframe src="{esc(url("page", view) + query)}"{attr("title", f"HTML page: {title}")} sandbox=""></iframe>'
        parts.append(pane("html-page", "HTML page <small>(the same in every layout)</small>", frame))
    if built.images:
        count = len(built.images)
        images = "".join(
            f'<li><img src="{esc(url("image", view, f"{number}.png") + query)}" width="{image.width}" '
            f'height="{image.height}" alt="Page {number} of {count}"></li>'
            for number, image in enumerate(built.images, 1)
        )
        parts.append(pane("pdf-pages", f"PDF, {count} page" + ("s" if count > 1 else ""), f'<ol class="pages">{images}</ol>'))
    return f'<div class="panes">{"".join(parts)}</div>' if parts else ""


def pane(id_: str, heading: str, content: str) -> str:
    """One of the two panes, named by its heading (markup)."""
    return f'<section class="pane" aria-labelledby="{id_}"><h2 id="{id_}">{heading}</h2>{content}</section>'


def not_found_page(what: str, generation: int) -> str:
    """A page for an address the project has no view for."""
    main = f'<main><h1>Not found</h1><p>{esc(what)}</p><p><a href="/">See every document</a>.</p></main>'
    return shell("Not found", main, generation, None)
