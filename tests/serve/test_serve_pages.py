"""The preview's own pages, made from plain data: every document x language x layout
linked, every text escaped, and a policy that allows the inline style and script and
nothing else."""

from __future__ import annotations

import base64
import hashlib
import re

from brochure.serve.pages import CSP, events_url, index_page, not_found_page, url, view_page
from brochure.serve.site import Built, Entry, View
from brochure.write.png import PageImage

HOSTILE = "<script>alert('x')</script>"
ENTRIES = [
    Entry("hsg", "en", "English", "Your HSG test", "draft", "source", ("leaflet", "large-print", "trifold")),
    Entry("hsg", "ar", "العربية", "فحص HSG", "draft", "draft", ("leaflet", "large-print", "trifold")),
    Entry("hsg", "pl", "Polski", "", "", "missing", ()),
    Entry("cmp", "en", "English", HOSTILE, "approved", "source", ("comparison",)),
]
IMAGE = PageImage(b"png", 827, 1170)


def inline(page: str, tag: str) -> list[str]:
    """The text of each inline <style> or <script> of a page."""
    return re.findall(rf"<{tag}>(.*?)</{tag}>", page, flags=re.S)


def test_the_index_links_every_document_language_and_layout() -> None:
    page = index_page("Riverside", ENTRIES, (), 3)
    links = re.findall(r'href="(/view/[^"]+)"', page)
    expected = [url("view", View(e.doc, e.lang, layout)) for e in ENTRIES for layout in e.layouts]
    assert links == expected and len(links) == 7
    assert "missing" in page and 'data-generation="3"' in page and 'data-events="/events"' in page
    assert '<bdi lang="ar">العربية</bdi>' in page


def test_every_text_is_escaped() -> None:
    problem = f"content/cmp/en.yaml:3: unknown placeholder {{{{ {HOSTILE} }}}}"
    pages = [
        index_page(HOSTILE, ENTRIES, (problem,), 0),
        view_page(View("cmp", "en", "comparison"), ENTRIES[3:], Built("", (), (problem,)), 0),
        not_found_page(HOSTILE, 0),
    ]
    for page in pages:
        assert "<script>alert" not in page and "&lt;script&gt;alert" in page
        assert page.count("<script>") == 1  # the preview's own


def test_the_policy_allows_exactly_the_inline_style_and_script() -> None:
    page = index_page("Riverside", ENTRIES, (), 0)
    for tag, directive in (("style", "style-src"), ("script", "script-src")):
        [text] = inline(page, tag)
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"{directive} 'sha256-{digest}'" in CSP
    assert "default-src 'none'" in CSP and "unsafe-inline" not in CSP and "frame-ancestors 'none'" in CSP
    assert not re.search(r"\son[a-z]+=", page) and 'style="' not in page  # no handlers, no style attributes


def test_a_view_shows_the_html_page_beside_the_pdf_pages() -> None:
    view = View("hsg", "ar", "trifold")
    page = view_page(view, ENTRIES[:3], Built("<html>", (IMAGE, IMAGE), ()), 7)
    assert '<iframe src="/page/hsg/ar/trifold?g=7"' in page and 'sandbox=""' in page
    assert re.findall(r'<img src="([^"]+)" width="827" height="1170" alt="Page \d of 2"', page) == [
        "/image/hsg/ar/trifold/1.png?g=7",
        "/image/hsg/ar/trifold/2.png?g=7",
    ]
    assert "PDF, 2 pages" in page and 'class="problems"' not in page
    assert '<h1 lang="ar" dir="auto">فحص HSG</h1>' in page
    assert '<a href="/view/hsg/ar/leaflet">leaflet</a>' in page and '<a href="/view/hsg/ar/trifold" aria-current="page">' in page
    assert 'href="/view/hsg/en/trifold" hreflang="en"' in page and "/view/hsg/pl/" not in page  # no page for a missing one
    assert f'data-events="{events_url(view).replace("&", "&amp;")}"' in page


def test_a_view_with_a_problem_shows_its_line_and_what_was_made() -> None:
    line = "content/hsg/en.md:12: overflows page 4 by 30 mm (shorten the text, or build with --fit)"
    page = view_page(View("hsg", "en", "leaflet"), ENTRIES[:1], Built("<html>", (), (line,)), 0)
    assert f"<li><code>{line}</code></li>" in page and 'role="alert"' in page and "1 problem<" in page
    assert "<iframe" in page and "<img" not in page


def test_addresses_quote_their_names() -> None:
    view = View("a b/c", "zh-Hans", "large-print")
    assert url("image", view, "1.png") == "/image/a%20b%2Fc/zh-Hans/large-print/1.png"
    assert events_url(view) == "/events?doc=a+b%2Fc&lang=zh-Hans&layout=large-print" and events_url(None) == "/events"
