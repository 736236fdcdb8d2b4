"""The HTML pages of the sample documents, built through the command line: one per
document and language beside its PDF, their structure, links and isolates, and that
nothing in them is fetched from anywhere."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE_DOCS, edit
from htmltree import Element, parse

from brochure.load.project import load_project
from brochure.model import Leaflet, Project

LANGS = ("en", "ar", "es", "hi", "pl", "vi", "zh-Hans")
PAGES = [(doc, lang) for doc in SAMPLE_DOCS for lang in LANGS]
LEAFLETS = [(doc, lang) for doc, lang in PAGES if doc != "hsg-vs-hysteroscopy"]


@cache
def sample() -> Project:
    project, problems = load_project(REPO)
    assert not problems
    return project


@cache
def tree_of(path: Path) -> Element:
    return parse(path.read_text(encoding="utf-8"))


@pytest.fixture
def pages(built_all_langs: Path):
    """The tree of a built page, by document and language."""
    return lambda doc, lang: tree_of(built_all_langs / lang / f"{doc}.html")


def string(lang: str, key: str) -> str:
    return sample().strings[lang].values[key].source.strip()


def test_every_document_in_every_language_has_a_page_beside_its_pdf(built_all_langs: Path) -> None:
    pages = sorted(built_all_langs.glob("*/*.html"))
    assert len(pages) == 21
    assert all(page.with_suffix(".pdf").is_file() for page in pages)


@pytest.mark.parametrize(("doc", "lang"), PAGES)
def test_page_structure(pages, doc: str, lang: str) -> None:
    tree = pages(doc, lang)
    strings = sample().strings[lang]
    html = tree.one("html")
    assert html.attrs == {"lang": strings.locale.replace("_", "-"), "dir": strings.direction}
    main = tree.one("main")
    assert tree.one("h1").text() == sample().documents[(doc, lang)].meta.title.source.strip()
    assert next(main.iter()).tag == "main" and tree.one("h1") in main.iter()
    levels = [int(e.tag[1]) for e in main.iter() if re.fullmatch(r"h[1-6]", e.tag)]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), f"no level skipped: {levels}"
    for section in main.find("section", aria_labelledby="*"):
        assert tree.by_id(section.attrs["aria-labelledby"]).text(), "every region has a name"
    assert main.find("ul") and all(li.parent is not None and li.parent.tag in ("ul", "ol") for li in main.find("li"))
    assert tree.one("header").one("p", class_="band").text() == string(lang, "status_band.draft")
    footer = tree.one("footer").text()
    assert sample().clinic.name in footer and "2.0" in footer
    page_word = string(lang, "page_x_of_y").split("{{")[0].strip()
    assert not page_word or page_word not in footer, "no page numbers on a page"


@pytest.mark.parametrize(("doc", "lang"), PAGES)
def test_the_help_box_is_an_aside_with_its_heading(pages, doc: str, lang: str) -> None:
    tree = pages(doc, lang)
    aside = tree.one("aside", class_="box-help")
    heading = tree.by_id(aside.attrs["aria-labelledby"])
    assert heading.tag in ("h2", "h3") and heading.parent is aside and heading.text()


@pytest.mark.parametrize("lang", LANGS)
def test_the_comparison_is_a_table_with_headers(pages, lang: str) -> None:
    table = pages("hsg-vs-hysteroscopy", lang).one("table")
    comparison = sample().documents[("hsg-vs-hysteroscopy", lang)]
    assert len(table.find("th", scope="col")) == 2
    assert len(table.find("th", scope="row")) == len(comparison.rows)  # type: ignore[union-attr]
    assert all(len(tr.find("td")) == 2 for tr in table.one("tbody").find("tr"))


@pytest.mark.parametrize(("doc", "lang"), PAGES)
def test_phone_email_and_website_are_links(pages, doc: str, lang: str) -> None:
    clinic = sample().clinic
    hrefs = {a.attrs["href"] for a in pages(doc, lang).find("a")}
    assert "tel:" + re.sub(r"[^\d+]", "", clinic.phone) in hrefs
    assert f"mailto:{clinic.email}" in hrefs and clinic.website in hrefs


@pytest.mark.parametrize("doc", SAMPLE_DOCS)
def test_arabic_isolates_phone_email_address_and_sources(pages, doc: str) -> None:
    tree = pages(doc, "ar")
    clinic = sample().clinic
    isolated = {b.text() for b in tree.find("bdi", dir="ltr")}
    assert {clinic.phone, clinic.email, clinic.website, ", ".join(clinic.address)} <= {t.replace("\u00a0", " ") for t in isolated}
    phone = tree.one("address").one("a", href="tel:" + re.sub(r"[^\d+]", "", clinic.phone))
    assert phone.find("bdi", dir="ltr"), "the phone number reads left to right inside the link"
    sources = [ul for ul in tree.find("ul", class_="small")]
    assert sources and sources[0].attrs.get("lang") == "en" and sources[0].attrs.get("dir") == "ltr"


@pytest.mark.parametrize(("doc", "lang"), LEAFLETS)
def test_the_figure_is_named_by_its_alt_text_with_its_labels(pages, doc: str, lang: str) -> None:
    leaflet = sample().documents[(doc, lang)]
    assert isinstance(leaflet, Leaflet) and leaflet.figure is not None
    svg = pages(doc, lang).one("figure", class_="diagram").one("svg")
    assert svg.attrs["role"] == "img"
    assert svg.by_id(svg.attrs["aria-labelledby"]).text() == " ".join(leaflet.figure.alt.source.split())
    shown = " ".join(" ".join(span.text() for span in text.find("tspan")) for text in svg.find("text"))
    assert string(lang, "figure.womb") in shown and string(lang, "figure.cervix") in shown


@pytest.mark.parametrize(("doc", "lang"), PAGES)
def test_a_page_is_self_contained(built_all_langs: Path, doc: str, lang: str) -> None:
    html = (built_all_langs / lang / f"{doc}.html").read_text(encoding="utf-8")
    tree = tree_of(built_all_langs / lang / f"{doc}.html")
    assert not tree.find("script") and not tree.find("link") and not tree.find("iframe")
    assert len(tree.find("style")) == 1 and not re.search(r"@import|url\(", tree.one("style").text())
    assert all(img.attrs["src"].startswith("data:") for img in tree.find("img"))
    own = sample().clinic.website
    for element in tree.iter():
        for name in ("src", "href", "xlink:href", "action", "poster", "srcset"):
            value = element.attrs.get(name, "")
            if re.match(r"\s*(https?:)?//", value):
                assert value.startswith(own), f"<{element.tag} {name}={value!r}> is not the clinic's own"
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_the_qr_code_on_the_page_names_the_page_itself(pages) -> None:
    svg = pages("hsg", "es").one("figure", class_="qr").one("svg")
    assert svg.attrs["aria-label"].endswith("https://riverside-clinic.example/leaflets/es/hsg.html")


def test_a_clinic_name_with_markup_is_shown_as_text(project: Path, cli) -> None:
    name = "Riverside <script>alert('x')</script> & <b>Co</b>"
    edit(project / "content" / "clinic.yaml", "name: Riverside Women's Health Clinic", f'name: "{name}"')
    result = cli("-C", project, "build", "hsg", "--format", "html")
    assert result.exit_code == 0, result.output
    html = (project / "output" / "en" / "hsg.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<b>" not in html
    tree = parse(html)
    assert not tree.find("script") and not tree.find("b")
    assert tree.one("p", class_="clinic-name").text() == name
    assert name in tree.one("footer").text() and name in tree.one("head").one("title").text()


@pytest.mark.parametrize(("fmt", "suffixes"), [("pdf", [".pdf"]), ("html", [".html"]), ("all", [".html", ".pdf"])])
def test_format_chooses_what_is_written(project: Path, cli, fmt: str, suffixes: list[str]) -> None:
    result = cli("-C", project, "build", "hsg", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert sorted(p.suffix for p in (project / "output" / "en").iterdir()) == suffixes
    assert len(result.output.splitlines()) == len(suffixes)


def test_another_layout_writes_its_pdf_and_the_one_page(project: Path, cli) -> None:
    result = cli("-C", project, "build", "hsg", "--layout", "trifold", "--print-marks")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (project / "output" / "en").iterdir()) == ["hsg.html", "hsg.trifold.print.pdf"]
    page = parse((project / "output" / "en" / "hsg.html").read_text(encoding="utf-8"))
    assert page.find("div", class_="row"), "the page follows the document's own layout (the leaflet's rows)"


def test_an_unknown_format_is_a_usage_error(project: Path, cli) -> None:
    result = cli("-C", project, "build", "--format", "docx")
    assert result.exit_code == 2 and "'docx' is not one of 'pdf', 'html', 'all'" in result.output
