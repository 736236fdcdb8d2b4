"""The page linter catches each thing it looks for on a page deliberately set wrong: a
sample leaflet's title with a few blocks of our own, through the real PDF writer."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, edit

from brochure.document import Block, Break, Callout, Figure, Footer, Heading, Inlines, Paragraph, Slot, Text
from brochure.model import Project
from brochure.pipeline import open_project
from brochure.placement import Placement
from brochure.prepare.prepare import prepare
from brochure.review.typesetting import Finding, lint
from brochure.write.pdf import place
from brochure.write.pdf.pages import build_pdf
from brochure.write.pdf.recording import Recorder


@pytest.fixture(scope="module")
def sample() -> Project:
    return open_project(REPO)


def placed(
    project: Project, lang: str, layout: str, blocks: list[Block], keep: tuple[str, ...] = ("title",), **changes: Any
) -> Placement:
    """The HSG leaflet in a language and layout with only the parts `keep` and `blocks` as
    its body (and any other `changes` to the prepared document)."""
    prepared = prepare(project, project.documents[("hsg", lang)], project.layouts[layout], None, [])
    parts = {name: prepared.part(name) for name in keep}
    return place(replace(prepared, parts={**parts, "body": tuple(blocks)}, **changes))


def first_built(project: Project, blocks: list[Block]) -> Placement:
    """The HSG leaflet's title and `blocks`, as first built: without the second build that
    keeps the end of the story together when the last page is all but empty."""
    prepared = prepare(project, project.documents[("hsg", "en")], project.layouts["leaflet"], None, [])
    recorder = Recorder()
    build_pdf(replace(prepared, parts={"title": prepared.part("title"), "body": tuple(blocks)}), recorder)
    assert recorder.placed is not None
    return recorder.placed


def para(*runs: str | Break, role: str = "body") -> Paragraph:
    """A paragraph of text runs, '\\n' for a forced line break."""
    inlines: Inlines = tuple(Text(run) if isinstance(run, str) else run for run in runs)
    return Paragraph(inlines, role)


def rules(findings: list[Finding], rule: str) -> list[tuple[int, str]]:
    return [(f.page, f.text) for f in findings if f.rule == rule]


def test_a_clean_page_has_no_findings(sample: Project) -> None:
    findings = lint(placed(sample, "en", "leaflet", [Heading(2, (Text("Before the test"),)), para("Bring a sanitary pad.")]))
    assert findings == []


def test_text_outside_its_frame(sample: Project) -> None:
    """A web address too long for the line runs past the frame (Arabic never splits a word)."""
    address = "https://riverside-clinic.example/" + "leaflets-" * 10
    findings = lint(placed(sample, "ar", "leaflet", [para("افتحي ", address)]))
    assert rules(findings, "outside") == [(1, address.rstrip("-")[:29] + "…" + address[-29:])]
    assert findings[0].message.startswith("[ar, leaflet] page 1: text outside its frame, panel or cell: https://")


def test_figure_labels_on_top_of_each_other(sample: Project) -> None:
    """The writer stacks a figure's labels so that none can overlap: set one on another."""
    placement = placed(sample, "en", "leaflet", [sample_figure(sample)])
    first, second = [line for line in placement.lines if line.kind == "label"][:2]
    moved = replace(second, box=replace(second.box, x=first.box.x, y=first.box.y))
    lines = tuple(moved if line is second else line for line in placement.lines)
    assert rules(lint(placement), "overlap") == []
    overlaps = rules(lint(replace(placement, lines=lines)), "overlap")
    assert overlaps == [(1, f"{first.text} | {second.text}")] or overlaps == [(1, f"{second.text} | {first.text}")]


def test_a_footer_running_into_the_page_number_is_one_finding_for_every_page(sample: Project) -> None:
    start = (Text("Riverside Women's Health Clinic · Leaflet RWH-RAD-007 · Radiology department"),)
    end = (Text("Leaflet RWH-RAD-007 · Page "), Slot("page"))
    findings = lint(placed(sample, "en", "leaflet", [para(f"Line {i}.") for i in range(80)], footer=Footer((start,), (end,))))
    [overlap] = [f for f in findings if f.rule == "overlap"]
    assert overlap.message == (
        "[en, leaflet] pages 1-3: text overlaps or runs into other text: "
        "Riverside Women's Health Clin… Leaflet RWH-RAD-007 · Page 1"
    )


def sample_figure(project: Project) -> Figure:
    prepared = prepare(project, project.documents[("hsg", "en")], project.layouts["leaflet"], None, [])
    figure = prepared.part("figure")[0]
    assert isinstance(figure, Figure)
    return figure


def test_empty_panels_of_a_trifold(sample: Project) -> None:
    """Content that fills the flap and part of the first inside panel leaves two empty."""
    back = ("title", "contact", "qr", "about", "edition")
    findings = lint(placed(sample, "en", "trifold", [para(f"Line {i}.") for i in range(60)], keep=back))
    assert rules(findings, "empty") == [(2, "inside-2"), (2, "inside-3")]


def test_heading_last_on_the_page(sample: Project) -> None:
    findings = lint(placed(sample, "en", "leaflet", [para("Bring a sanitary pad."), Heading(2, (Text("After the test"),))]))
    assert rules(findings, "stranded") == [(1, "After the test")]


def test_lead_in_last_on_the_page(sample: Project) -> None:
    findings = lint(placed(sample, "en", "leaflet", [para("Call us if you have:", role="lead_in")]))
    assert rules(findings, "stranded") == [(1, "Call us if you have:")]


def test_a_box_alone_on_a_page_after_one_with_room(sample: Project) -> None:
    """A box kept whole moves to a new page of its own when the first page runs out:
    the first time it does, the page before has room and the new one holds only the box."""
    box = Callout("help", (Text("When to get help"),), tuple(para(f"Call us if you have sign {i}.") for i in range(7)))
    for count in range(10, 60):
        pages = first_built(sample, [*(para(f"Line {i}.") for i in range(count)), box])
        if max(line.page for line in pages.lines) == 2:
            break
    before = first_built(sample, [*(para(f"Line {i}.") for i in range(count - 1)), box])
    assert rules(lint(before), "nearly-empty") == []
    [(page, text)] = rules(lint(pages), "nearly-empty")
    assert page == 2 and text.endswith(": When to get help")
    rendered = placed(sample, "en", "leaflet", [*(para(f"Line {i}.") for i in range(count)), box])
    assert rules(lint(rendered), "nearly-empty") == []  # as render makes it: the end kept together


def test_chinese_punctuation_that_may_not_start_or_end_a_line(sample: Project) -> None:
    findings = lint(
        placed(sample, "zh-Hans", "leaflet", [para("子宫肌瘤（", Break(), "良性肿瘤）。"), para("请来电", Break(), "。谢谢")])
    )
    assert rules(findings, "punctuation") == [(1, "子宫肌瘤（"), (1, "。谢谢")]


def test_latin_closing_punctuation_at_a_line_start(sample: Project) -> None:
    findings = lint(placed(sample, "en", "leaflet", [para("Take a painkiller (ibuprofen", Break(), ") first.")]))
    assert rules(findings, "punctuation") == [(1, ") first.")]


def test_polish_one_letter_word_at_a_line_end(sample: Project) -> None:
    findings = lint(placed(sample, "pl", "leaflet", [para("Badanie odbywa się w", Break(), "szpitalu i trwa krótko.")]))
    assert rules(findings, "one-letter") == [(1, "Badanie odbywa się w")]


@pytest.mark.parametrize(
    ("lang", "before", "after"),
    [
        ("en", "Out of hours, call NHS", "111."),
        ("vi", "Thứ Hai đến Thứ Sáu, 8", "giờ sáng"),
        ("ar", "يستغرق الفحص 30 إلى 60", "دقيقة."),
        ("hi", "सोमवार से शुक्रवार, सुबह 8", "बजे से"),
        ("zh-Hans", "检查需要30", "分钟。"),
    ],
)
def test_number_torn_from_its_unit(sample: Project, lang: str, before: str, after: str) -> None:
    findings = lint(placed(sample, lang, "leaflet", [para(before, Break(), after)]))
    [(page, text)] = rules(findings, "torn-number")
    assert page == 1 and text.endswith(f"{before[-10:]} / {after}")


@pytest.mark.parametrize(
    ("lang", "before", "after", "kind"),
    [
        ("en", "Call us on 01632 960", "123 today.", "phone"),
        ("en", "12 Mill Lane, Riverside, RV1", "2AB", "postcode"),
        ("en", "Review due 1", "December 2028", "date"),
        ("es", "Revisión: 1 de", "diciembre de 2028", "date"),
        ("en", "Come at 9:30", "am on the day.", "time"),
        ("zh-Hans", "下次审核日期：2028年", "12月1日", "date"),
    ],
)
def test_value_split_across_lines(sample: Project, lang: str, before: str, after: str, kind: str) -> None:
    findings = lint(placed(sample, lang, "leaflet", [para(before, Break(), after)]))
    assert [(page, text.split(":")[0]) for page, text in rules(findings, "split")] == [(1, kind)]


def test_check_warns_of_findings_with_file_language_layout_and_page(cli, project: Path) -> None:
    edit(project / "content" / "hsg" / "en.md", "call us before the test.", "call us on 01632 960\\\n123 before the test.")
    result = cli("-C", project, "check")
    assert result.exit_code == 0, result.output
    warned = [line for line in result.output.splitlines() if "phone: " in line]
    shape = re.compile(r"content/hsg/en\.md: \[en, (\S+)\] page \d+: a value broken over two lines: phone: ")
    layouts = [shape.search(w) for w in warned]
    assert sorted(m.group(1) for m in layouts if m) == ["large-print", "leaflet", "trifold"]
    assert all(w.startswith("warning: ") and w.endswith("01632 960 / 123 before the test.") for w in warned)
