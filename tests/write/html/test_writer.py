"""The HTML writer on small documents made by hand: markup, escaping, direction and
language, boxes and their names, the table, the figure, the QR code, the logo, the
footer, and the colours' contrast."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
import zxingcpp
from conftest import REPO
from htmltree import Element, parse
from PIL import Image, ImageDraw

from brochure.document import (
    Block,
    Break,
    Callout,
    Contact,
    Figure,
    FigureLabel,
    Footer,
    Heading,
    Info,
    Link,
    ListBlock,
    ListItem,
    Paragraph,
    Prepared,
    QRCode,
    Slot,
    Span,
    Strong,
    Table,
    Text,
    Title,
)
from brochure.load.project import load_project
from brochure.model import Layout, Shape
from brochure.palette import MIN_CONTRAST, contrast, palette
from brochure.write.html import ImageRef, render_blocks, render_email, render_html
from brochure.write.html.svg import safe_svg
from brochure.write.html.writer import reading_order

COLOURS = {
    "text": "#1a1a1a",
    "primary": "#1f5f74",
    "box": "#e6f0f3",
    "help": "#fbe9e7",
    "help_border": "#b3261e",
    "rule": "#9aa5ab",
}
SCRIPT = "<script>alert(1)</script>"
NO_FOOTER = Footer((), ())


@cache
def layout(name: str = "leaflet") -> Layout:
    """A layout of the sample project."""
    project, problems = load_project(REPO)
    assert not problems
    return project.layouts[name]


def words(text: str) -> tuple[Text, ...]:
    return (Text(text),)


def document(
    parts: dict[str, tuple[Block, ...]],
    lang: str = "en",
    direction: str = "ltr",
    band: str = "",
    footer: Footer = NO_FOOTER,
    layout_name: str = "leaflet",
) -> Prepared:
    """A prepared document with these parts, the others empty."""
    return Prepared(
        name="doc",
        lang=lang,
        locale=lang,
        direction=direction,
        script="latin" if direction == "ltr" else "arabic",
        layout=layout(layout_name),
        paper="a4",
        info=Info("A title", "A subtitle", "A clinic", "", band, 0, ""),
        colours=COLOURS,
        parts=parts,
        footer=footer,
    )


def page(parts: dict[str, tuple[Block, ...]], **kw: object) -> Element:
    """The page of a document with these parts, as a tree."""
    return parse(render_html(document(parts, **kw)))  # type: ignore[arg-type]


def body(*blocks: Block, **kw: object) -> Element:
    """The page of a document whose body holds these blocks."""
    return page({"body": blocks}, **kw)


# The page ---------------------------------------------------------------------------------


def test_a_page_has_lang_dir_one_h1_main_and_footer() -> None:
    title = Title(words("Clinic"), None, words("Your test"), words("What it is"))
    footer = Footer((words("Clinic · Leaflet 7"),), ((Text("Page "), Slot("page"), Text(" of "), Slot("pages")),))
    tree = page({"title": (title,), "body": (Heading(2, words("Before")), Paragraph(words("Eat.")))}, footer=footer)
    html = tree.one("html")
    assert html.attrs == {"lang": "en", "dir": "ltr"}
    assert tree.one("h1").text() == "Your test"
    assert tree.one("main").one("h1")
    assert tree.one("header").one("p", class_="clinic-name").text() == "Clinic"
    assert tree.one("footer").text() == "Clinic · Leaflet 7", "a line with page numbers is left out"
    assert tree.one("head").one("title").text() == "A title – A clinic"
    assert tree.one("meta", name="viewport")


def test_a_page_without_a_title_part_still_has_its_h1() -> None:
    assert body(Paragraph(words("Text."))).one("h1").text() == "A title"


def test_the_status_band_is_at_the_top() -> None:
    tree = body(Paragraph(words("Text.")), band="Draft: not for patients")
    header = tree.one("header")
    assert header.children[0] is header.one("p", class_="band")
    assert header.one("p", class_="band").text() == "Draft: not for patients"


def test_a_section_per_level_2_heading_named_by_it() -> None:
    tree = body(Heading(2, words("One")), Paragraph(words("a")), Heading(3, words("One.1")), Heading(2, words("Two")))
    sections = tree.find("section")
    assert [tree.by_id(s.attrs["aria-labelledby"]).text() for s in sections] == ["One", "Two"]
    assert sections[0].one("h3").text() == "One.1"


def test_a_part_opening_with_a_level_3_heading_makes_it_a_section_heading() -> None:
    tree = page({"sources": (Heading(3, words("Sources")), ListBlock((ListItem(words("A book")),), small=True))})
    section = tree.one("section")
    assert section.one("h2").text() == "Sources" and section.one("ul", class_="small")


def test_parts_are_read_in_the_layouts_order_and_a_pair_is_a_row() -> None:
    parts = {"summary": (Paragraph(words("S")),), "figure": (Paragraph(words("F")),), "body": (Paragraph(words("B")),)}
    tree = page(parts)
    assert [p.text() for p in tree.one("main").find("p")] == ["S", "F", "B"]
    row = tree.one("div", class_="row")
    assert [d.attrs["class"] for d in row.children if isinstance(d, Element)] == ["part part-summary", "part part-figure"]


def test_a_fold_is_read_cover_back_then_the_flow() -> None:
    order = reading_order(document({}, layout_name="trifold"))
    assert order[:5] == ["title", "status", "appointment", "summary", "figure"]
    assert order.index("contact") < order.index("body"), "the back panel before the inside panels"


def test_the_edition_part_is_the_footer_not_a_second_copy() -> None:
    footer = Footer((words("Version 2"),), ())
    tree = page({"edition": (Paragraph(words("Version 2"), "small"),)}, footer=footer, layout_name="trifold")
    assert "Version 2" not in tree.one("main").text() and tree.one("footer").text() == "Version 2"


# Text -------------------------------------------------------------------------------------


def test_lists_are_real_lists_nested_in_their_item() -> None:
    items = (ListItem(words("a")), ListItem(words("a1"), 1), ListItem(words("a2"), 1), ListItem(words("b")))
    tree = body(ListBlock(items, ordered=True))
    ol = tree.one("ol")
    top = [c for c in ol.children if isinstance(c, Element)]
    assert [li.tag for li in top] == ["li", "li"]
    assert [li.text() for li in top[0].one("ul").find("li")] == ["a1", "a2"]
    assert top[1].text() == "b"


def test_every_text_is_escaped() -> None:
    name = Span((Text(SCRIPT + ' & "quotes"'),), "auto")
    link = Link("url", 'https://example.org/?a=1&b="2"', words("site <b>"))
    html = render_html(document({"body": (Paragraph((Strong((name,)), Break(), link)),)}, band=SCRIPT))
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    tree = parse(html)
    assert tree.one("a").attrs["href"] == 'https://example.org/?a=1&b="2"'
    assert tree.one("bdi").text() == SCRIPT + ' & "quotes"'
    assert not tree.find("script")


def test_a_link_to_anything_but_the_web_a_phone_or_an_email_is_text() -> None:
    tree = body(Paragraph((Link("url", "javascript:alert(1)", words("click")), Link("tel", "tel:+441632960123", words("call")))))
    assert [a.attrs["href"] for a in tree.find("a")] == ["tel:+441632960123"]
    assert "click" in tree.one("main").text()


def test_right_to_left_text_isolates_left_to_right_values_with_bdi() -> None:
    phone = Link("tel", "tel:01632960123", (Strong((Span(words("01632 960 123"), "ltr"),)),))
    runs = (Text("اتصلي "), phone, Text(" "), Span(words("Sample Patient"), "auto"))
    tree = body(Paragraph(runs), lang="ar", direction="rtl")
    bdis = tree.find("bdi")
    assert [(b.attrs.get("dir"), b.text()) for b in bdis] == [("ltr", "01632 960 123"), (None, "Sample Patient")]
    assert bdis[0].parent is not None and bdis[0].parent.tag == "strong"


def test_left_to_right_text_needs_no_isolate_for_a_phone_but_does_for_a_name() -> None:
    tree = body(Paragraph((Span(words("01632"), "ltr"), Text(" "), Span(words("فاطمة"), "auto"))))
    assert [b.text() for b in tree.find("bdi")] == ["فاطمة"]


def test_text_in_another_language_says_so() -> None:
    tree = body(Paragraph((Text("Ver "), Span(words("the source"), "ltr", "en"))), lang="es")
    assert tree.one("span", lang="en").text() == "the source"


def test_a_list_all_in_another_language_and_direction_says_so_once() -> None:
    items = tuple(ListItem((Span(words(f"Source {n}"), "ltr", "en"),)) for n in (1, 2))
    ul = body(ListBlock(items, small=True), lang="ar", direction="rtl").one("ul")
    assert (ul.attrs["lang"], ul.attrs["dir"]) == ("en", "ltr")
    assert not ul.find("bdi") and [li.text() for li in ul.find("li")] == ["Source 1", "Source 2"]


# Boxes ------------------------------------------------------------------------------------


def test_the_help_box_is_an_aside_named_by_its_heading() -> None:
    help_box = Callout("help", words("When to get help"), (Paragraph(words("Call us")),))
    tree = body(Heading(2, words("After")), help_box)
    aside = tree.one("aside", class_="box-help")
    heading = tree.by_id(aside.attrs["aria-labelledby"])
    assert heading.tag == "h3" and heading.text() == "When to get help" and heading.parent is aside


def test_summary_and_appointment_are_regions_named_by_their_heading() -> None:
    summary = Callout("summary", words("In short"), (ListBlock((ListItem(words("a")),)),))
    appointment = Callout("appointment", words("Your appointment"), (Paragraph(words("12 March")),))
    tree = page({"appointment": (appointment,), "summary": (summary,)})
    for kind, name in (("appointment", "Your appointment"), ("summary", "In short")):
        region = tree.one("section", class_=f"box-{kind}")
        heading = tree.by_id(region.attrs["aria-labelledby"])
        assert heading.tag == "h2" and heading.text() == name


def test_the_status_box_is_a_region_named_by_its_first_line() -> None:
    status = Callout("status", (), (Paragraph(words("Draft: not checked")), Paragraph(words("Translation not checked"))))
    region = page({"status": (status,)}).one("section", class_="box-status")
    labelled = region.attrs["aria-labelledby"]
    assert region.by_id(labelled).text() == "Draft: not checked"


def test_the_contact_box_is_a_region_with_an_address_and_links() -> None:
    contact = Contact(
        words("Contact us"),
        (words("Clinic"), (Link("tel", "tel:01632960123", words("01632 960 123")),)),
        ((Link("mailto", "mailto:a@b.example", words("a@b.example")),),),
        words("Out of hours, call 111."),
    )
    region = page({"contact": (contact,)}).one("section", class_="contact")
    assert region.by_id(region.attrs["aria-labelledby"]).text() == "Contact us"
    address = region.one("address")
    assert [a.attrs["href"] for a in address.find("a")] == ["tel:01632960123", "mailto:a@b.example"]


# The table, the figure, the QR code, the logo -------------------------------------------------


def test_the_comparison_is_a_table_with_column_and_row_headers() -> None:
    table = Table((), (words("HSG"), words("Hysteroscopy")), ((words("Pain"), (words("Cramps"), words("Some"))),))
    tree = page({"table": (table,)}, layout_name="comparison")
    assert [th.text() for th in tree.find("th", scope="col")] == ["HSG", "Hysteroscopy"]
    assert [th.text() for th in tree.find("th", scope="row")] == ["Pain"]
    first = tree.find("td")[1]
    assert first.one("span", class_="cell-label").attrs["aria-hidden"] == "true", "the card label is for the eyes only"
    assert first.children[-1] == "Cramps"


def figure() -> Figure:
    shapes = (
        Shape("path", (), "M 10 10 L 90 10 C 90 50 10 50 10 10 Z", fill="#f4c7c3", stroke="#b5655d", width=2),
        Shape("circle", (50, 30, 5), fill="#2f6fb0"),
        Shape("ellipse", (20, 20, 40, 30), stroke="#000000"),
    )
    labels = (
        FigureLabel("womb", words("Womb"), "left", (50, 30)),
        FigureLabel("tube", words("Fallopian tube"), "right", (90, 10)),
    )
    return Figure("test", "A womb, drawn.", (100, 60), shapes, labels)


def test_the_figure_is_an_image_named_by_its_alt_text_with_its_labels_as_text() -> None:
    tree = body(figure())
    svg = tree.one("figure", class_="diagram").one("svg")
    assert svg.attrs["role"] == "img"
    assert svg.by_id(svg.attrs["aria-labelledby"]).text() == "A womb, drawn."
    lines = [[span.text() for span in text.find("tspan")] for text in svg.find("text")]
    assert lines == [["Womb"], ["Fallopian", "tube"]], "labels as text, broken at spaces to fit their column"
    assert {e.tag for e in svg.one("g").children if isinstance(e, Element)} == {"path", "circle", "ellipse"}
    assert svg.one("path").attrs["d"] == "M 10 10 L 90 10 C 90 50 10 50 10 10 Z"


def test_figure_labels_face_the_drawing_in_right_to_left_text() -> None:
    svg = body(figure(), lang="ar", direction="rtl").one("svg")
    texts = svg.find("text")
    assert [(t.attrs["text-anchor"], t.attrs["direction"]) for t in texts] == [("start", "rtl"), ("end", "rtl")]


def decode_qr_svg(svg: Element) -> list[str]:
    """Draw a QR code's SVG path (runs of 'Mx yhNv1h-Nz') and decode it."""
    size = int(svg.attrs["viewbox"].split()[2])
    scale = 8
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y, n in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", svg.one("path").attrs["d"]):
        x0, y0 = int(x) * scale, int(y) * scale
        draw.rectangle((x0, y0, x0 + int(n) * scale - 1, y0 + scale - 1), fill=0)
    return [r.text for r in zxingcpp.read_barcodes(image)]


def test_the_qr_code_is_an_image_that_decodes_to_its_address() -> None:
    url = "https://riverside-clinic.example/leaflets/en/hsg.html"
    figure = body(QRCode(url, words("Scan the code"), f"Scan the code {url}")).one("figure", class_="qr")
    svg = figure.one("svg")
    assert svg.attrs["role"] == "img" and svg.attrs["aria-label"] == f"Scan the code {url}"
    assert figure.one("figcaption").text() == "Scan the code"
    assert decode_qr_svg(svg) == [url]


def test_an_svg_logo_is_inlined_without_anything_that_runs_or_fetches() -> None:
    svg = b"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="20px" height="10px"
        onload="alert(1)"><title>Logo</title><script>alert(2)</script>
      <style>@import url(https://evil.example/a.css);</style>
      <a xlink:href="https://evil.example"><circle r="4" onclick="alert(3)" style="fill:url(https://evil.example/x)"/></a>
      <image href="https://evil.example/p.png"/><image href="data:image/png;base64,iVBORw0KGgo="/>
      <use xlink:href="#c"/><foreignObject><div>html</div></foreignObject><rect id="c" width="2" height="2"/></svg>"""
    html = safe_svg(svg)
    assert "evil" not in html and "alert" not in html and "script" not in html and "Logo" not in html
    tree = parse(html)
    root = tree.one("svg")
    assert root.attrs["viewbox"] == "0 0 20 10" and "width" not in root.attrs
    assert root.attrs["aria-hidden"] == "true"
    assert tree.one("circle").attrs == {"r": "4"}, "the link goes, the drawing stays"
    assert tree.one("use").attrs["href"] == "#c" and tree.one("image").attrs["href"].startswith("data:image/png")
    assert not tree.find("foreignObject") and not tree.find("foreignobject") and not tree.find("style")


def test_a_png_logo_is_a_data_uri_hidden_from_readers(tmp_path: Path) -> None:
    title = Title(words("Clinic"), REPO / "content" / "assets" / "logo.png", words("T"), ())
    img = page({"title": (title,)}).one("img")
    assert img.attrs["src"].startswith("data:image/png;base64,iVBOR") and img.attrs["alt"] == ""


def test_blocks_render_as_a_fragment_for_an_email() -> None:
    html = render_blocks(document({}), (Callout("appointment", words("Your appointment"), (Paragraph(words("At 9")),)),))
    assert not html.startswith("<!DOCTYPE") and "<html" not in html
    assert parse(html).one("section", class_="box-appointment").one("h2").text() == "Your appointment"


def email(blocks: tuple[Block, ...], colours: dict[str, str] = COLOURS, direction: str = "ltr") -> Element:
    """An email body of these blocks, as a tree."""
    doc = replace(document({}, direction=direction), colours=colours)
    title = Title(words("A clinic"), None, words(f"Your appointment {SCRIPT}"), ())
    return parse(render_email(doc, title, blocks, ImageRef("cid:logo@clinic.example", 56, 40)))


def test_an_email_body_is_a_whole_document_with_its_title_and_logo() -> None:
    tree = email((Paragraph(words("Dear Pat,")),))
    assert tree.one("title").text() == tree.one("h1").text() == f"Your appointment {SCRIPT}"  # escaped, so text
    img = tree.one("img", class_="logo")
    assert (img.attrs["src"], img.attrs["alt"], img.attrs["width"], img.attrs["height"]) == (
        "cid:logo@clinic.example",
        "",
        "56",
        "40",
    )
    assert tree.one("p", class_="clinic-name").text() == "A clinic"
    assert [e.tag for e in tree.one("main").children if isinstance(e, Element)] == ["h1", "p"]
    assert tree.one("style").text().startswith(":root {")


def test_an_email_body_has_its_colours_inline_and_a_page_has_none() -> None:
    faint = dict(COLOURS, primary="#9fd3e6")  # too faint for text on white: the palette replaces it
    found = palette(faint)
    box = Callout("appointment", words("Your appointment"), (Paragraph((Link("tel", "tel:123", words("123")),)),))
    tree = email((box,), faint)
    h1, section = tree.one("h1"), tree.one("section", class_="box-appointment")
    assert h1.attrs["style"] == f"color:{found.surfaces['page'].accent}"
    assert contrast(found.surfaces["page"].accent, "#ffffff") >= MIN_CONTRAST
    box_colours = found.surfaces["box"]
    assert f"background:{box_colours.background};color:{box_colours.text}" in section.attrs["style"]
    assert "border-left:6px solid #9fd3e6" in section.attrs["style"]  # a bar, not text: the brand colour as it is
    assert section.one("h2").attrs["style"] == section.one("a").attrs["style"] == f"color:{box_colours.accent}"
    rtl = email((box,), direction="rtl").one("section", class_="box-appointment")
    assert "border-right:6px solid" in rtl.attrs["style"]
    assert ' style="' not in render_html(document({"body": (box,)}))


# Colours ------------------------------------------------------------------------------------


def test_contrast_is_computed_as_wcag_says() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_the_sample_clinics_colours_pass_as_they_are() -> None:
    found = palette(COLOURS)
    assert found.replaced == (), f"a clinic colour is too faint for its text: {found.replaced}"
    for where, text, background in found.pairs():
        assert contrast(text, background) >= MIN_CONTRAST, where
    assert found.surfaces["page"].accent == COLOURS["primary"], "headings and links in the brand colour"


def test_a_brand_colour_too_faint_for_text_is_replaced_by_one_that_passes() -> None:
    found = palette(COLOURS | {"primary": "#8fd3e8", "box": "#1f3f5f"})
    assert any(str(faint).startswith("headings and links on the page #8fd3e8") for faint in found.replaced)
    for where, text, background in found.pairs():
        assert contrast(text, background) >= MIN_CONTRAST, where
    assert found.surfaces["header"].text == "#000000", "dark text on a light header row"
    assert found.surfaces["box"].text == "#ffffff", "light text in a dark box"


def test_the_pages_colours_are_the_palettes() -> None:
    html = render_html(document({"body": (Paragraph(words("x")),)}))
    assert "--page-accent: #1f5f74;" in html and "--header-text: #ffffff;" in html


def test_an_unchanged_document_gives_the_same_page() -> None:
    doc = document({"body": (figure(), Paragraph(words("x")))})
    assert render_html(doc) == render_html(replace(doc))


def test_spaces_are_bound_by_the_languages_rules() -> None:
    """A Polish one-letter word keeps with the next word, across a bold run, and a
    number with what it counts: no-break spaces in the page, none in the content."""
    paragraph = Paragraph((Text("Prosimy o kontakt w "), Strong((Text("razie bólu"),)), Text(" po 2 dniach.")), "body")
    html = render_html(document({"body": (paragraph,)}, lang="pl"))
    assert "Prosimy o\u00a0kontakt w\u00a0<strong>razie bólu</strong> po 2\u00a0dniach." in html
