"""Layouts: the built-in ones, a project's own over them, and what goes wrong with them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edit_layout
from pypdf import PdfReader

import brochure
from brochure.load.project import load_project


def only_line(result) -> str:  # noqa: ANN001 - a Click result
    lines = [line for line in result.output.splitlines() if line.strip() and not line.startswith("note:")]
    assert len(lines) == 1, result.output
    return lines[0]


def test_the_sample_uses_the_built_in_layouts(project: Path) -> None:
    loaded, problems = load_project(project)
    assert not problems
    assert set(loaded.layouts) == {"leaflet", "comparison", "trifold", "large-print"}
    assert all("defaults" in layout.path.parts for layout in loaded.layouts.values())


def test_a_project_layout_replaces_the_built_in_one(project: Path) -> None:
    (project / "layouts" / "leaflet.yaml").write_text(
        "extends: base\ndocument: leaflet\npage:\n  size: letter\n  limit: 6\n"
        "blocks: [title, status, appointment, summary, body, contact]\n"
    )
    loaded, problems = load_project(project)
    assert not problems
    assert loaded.layouts["leaflet"].page_limit == 6 and loaded.layouts["leaflet"].blocks[-2:] == ("body", "contact")
    pdf = brochure.build(project, docs=["hsg"], formats=["pdf"])[0]
    assert round(float(PdfReader(pdf).pages[0].mediabox.height)) == 792  # Letter


def test_a_project_layout_may_extend_the_built_in_one_of_its_name(project: Path) -> None:
    (project / "layouts" / "leaflet.yaml").write_text("extends: leaflet\npage:\n  limit: 5\n")
    loaded, problems = load_project(project)
    assert not problems
    leaflet = loaded.layouts["leaflet"]
    assert leaflet.page_limit == 5 and "summary" in str(leaflet.blocks), "the rest comes from the built-in leaflet"


def test_a_project_base_applies_to_the_built_in_layouts(project: Path) -> None:
    (project / "layouts" / "base.yaml").write_text(
        (Path(brochure.__file__).parent / "defaults" / "layouts" / "base.yaml")
        .read_text()
        .replace("body_size: 12", "body_size: 13")
    )
    loaded, _ = load_project(project)
    assert loaded.layouts["leaflet"].body_size == 13


def test_an_empty_layout_file_is_one_line(cli, project: Path) -> None:
    path = project / "layouts" / "leaflet.yaml"
    path.write_text("")
    result = cli("-C", project, "check")
    assert result.exit_code == 1
    assert only_line(result) == f"{path}:1: this layout file is empty (write its settings, or delete it to use the built-in one)"


def test_layouts_extending_each_other_in_a_loop_is_one_line(cli, project: Path) -> None:
    (project / "layouts" / "a.yaml").write_text("extends: b\n")
    (project / "layouts" / "b.yaml").write_text("extends: a\n")
    result = cli("-C", project, "check")
    assert result.exit_code == 1
    assert "layouts extend each other in a loop: a -> b (remove one 'extends:')" in only_line(result)


def test_a_loop_is_named_once_without_the_layouts_that_extend_it(cli, project: Path) -> None:
    # The built-in tri-fold extends leaflet: it is broken by the loop, but not part of it.
    (project / "layouts" / "leaflet.yaml").write_text("extends: large-print\n")
    (project / "layouts" / "large-print.yaml").write_text("extends: leaflet\n")
    result = cli("-C", project, "check")
    assert result.exit_code == 1
    assert only_line(result) == (
        f"{project / 'layouts' / 'large-print.yaml'}:1: layouts extend each other in a loop: large-print -> leaflet"
        " (remove one 'extends:')"
    )


def test_extending_an_unknown_layout_names_the_line(cli, project: Path) -> None:
    path = project / "layouts" / "mine.yaml"
    path.write_text("# my layout\nextends: leaflt\ndocument: leaflet\n")
    result = cli("-C", project, "check")
    assert result.exit_code == 1
    assert only_line(result) == f"{path}:2: unknown layout 'leaflt' (did you mean 'leaflet'?)"


LEAFLET_BLOCKS = "blocks: [title, status, appointment, [summary, figure], body, other_formats, [contact, qr], sources, about]"


@pytest.mark.parametrize(
    ("blocks", "message"),
    [
        ("blocks: [title]", "layout 'leaflet' leaves out 'status', 'appointment', 'summary', 'body', 'contact'"),
        ("blocks: []", "layout 'leaflet' leaves out 'title', 'status', 'appointment', 'summary', 'body', 'contact'"),
        ("blocks: [title, appointment, summary, body, contact]", "layout 'leaflet' leaves out 'status'"),
        ("blocks: [title, status, appointment, summary, body, [body, contact]]", "block 'body' is placed twice"),
    ],
)
def test_a_layout_places_what_a_patient_needs_once(cli, project: Path, blocks: str, message: str) -> None:  # noqa: ANN001
    """A layout without the status box would hide that a copy is a draft; without the body
    or the contact box it is not the leaflet. Nothing is measured or built with it."""
    path = edit_layout(project, "leaflet", LEAFLET_BLOCKS, blocks)
    line = path.read_text().splitlines().index(blocks) + 1
    for command in ("check", "build"):
        result = cli("-C", project, command)
        assert result.exit_code == 1
        assert only_line(result).startswith(f"{path}:{line}: {message}")
    assert not (project / "output").exists()


@pytest.mark.parametrize(
    ("settings", "line", "message"),
    [
        ("page:\n  margins:\n    left: 0", 4, "'page.margins.left' is 0; it must be at least 5mm (office printers"),
        ("page:\n  bleed: 1000mm", 3, "'page.bleed' is 1000mm; it must be at most 10mm"),
        ("page:\n  limit: 0", 3, "'page.limit' is 0; it must be at least 1"),
        ("page:\n  personal_limit: -2", 3, "'page.personal_limit' is -2; it must be at least 1"),
        ("page:\n  limit: 2.5", 3, "'page.limit' must be a whole number, not 2.5"),
        ("type:\n  leading: 1", 3, "the leading, 1pt, is less than 1.1 times the body size, 12pt: lines crowd each other"),
        ("type:\n  body_size: 14", 3, "the leading, 15pt, is less than 1.1 times the body size, 14pt"),
        ("page:\n  limit: '2'", 3, "'page.limit' must be a whole number, not '2'"),
        ("page:\n  limit:", 3, "'page.limit' must be a whole number, not empty"),
        ("page:\n  band: 20mm", 3, "the brand band is deeper than the top margin and would cover the title"),
        ("type:\n  font: Arial", 3, "unknown font 'Arial'"),
        ("type:\n  title_size: 400", 3, "'type.title_size' is 400; it must be at most 72pt"),
        ("type:\n  body_size: 72\n  leading: 80", 3, "'type.body_size' is 72; it must be at most 32pt"),
        ("type:\n  leading: 200", 3, "the leading, 200pt, is more than 3 times the body size, 12pt"),
        (
            "appointment:\n  slot: 1000mm",
            3,
            "the appointment slot, 1000mm, is taller than the page's text on the smaller paper, 246mm high",
        ),
        ("page:\n  personal_limit: 2", 3, "'personal_limit' is 2, less than the page limit, 4"),
    ],
)
def test_a_layout_that_would_not_print_or_read_is_refused(cli, project: Path, settings: str, line: int, message: str) -> None:  # noqa: ANN001
    """Text against the paper's edge, lines set on top of each other, a band over the title:
    each is one line at the setting, and nothing is built with the layout."""
    path = project / "layouts" / "leaflet.yaml"
    path.write_text(f"extends: leaflet\n{settings}\n")
    for command in ("check", "build"):
        result = cli("-C", project, command)
        assert result.exit_code == 1, result.output
        assert only_line(result).startswith(f"{path}:{line}: {message}")
    assert not (project / "output").exists()


def test_the_least_and_most_a_layout_may_set_are_allowed(project: Path) -> None:
    path = project / "layouts" / "leaflet.yaml"
    path.write_text("extends: leaflet\npage:\n  margins: {left: 5mm}\n  bleed: 10mm\n  limit: 1\ntype:\n  leading: 14.4\n")
    loaded, problems = load_project(project)
    assert not problems
    leaflet = loaded.layouts["leaflet"]
    assert (round(leaflet.margins[3] / (72 / 25.4), 3), leaflet.leading, leaflet.page_limit) == (5.0, 14.4, 1)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  orientation: portrait", "  orientation: portrait\n  limit: '2'", "'page.limit' must be a whole number"),
        ("    left: 16mm", "    left: 4mm", "'page.margins.left' is 4mm; it must be at least 5mm"),
        ("    left: 16mm", "    left: wide", "'page.margins.left' must be a length"),
    ],
)
def test_a_wrong_setting_is_told_once_not_also_as_missing(cli, project: Path, old: str, new: str, message: str) -> None:  # noqa: ANN001
    """A layout of its own (extending nothing) with one wrong value: that value's problem
    alone, not also "does not set" it, nor a bound the value was never given."""
    base = (Path(brochure.__file__).parent / "defaults" / "layouts" / "base.yaml").read_text()
    assert old in base
    path = project / "layouts" / "mine.yaml"
    path.write_text(f"document: leaflet\n{LEAFLET_BLOCKS}\n" + base.replace(old, new))
    result = cli("-C", project, "check")
    assert result.exit_code == 1
    assert message in only_line(result)


def test_a_band_as_deep_as_the_top_margin_in_other_units_is_allowed(project: Path) -> None:
    (project / "layouts" / "leaflet.yaml").write_text("extends: leaflet\npage:\n  band: 5mm\n  margins: {top: 0.5cm}\n")
    loaded, problems = load_project(project)
    assert not problems and "leaflet" in loaded.layouts


def test_a_fold_panel_emptied_by_the_project_is_told_at_the_projects_line(cli, project: Path) -> None:  # noqa: ANN001
    path = project / "layouts" / "trifold.yaml"
    path.write_text("extends: trifold\nback: []\n")
    result = cli("-C", project, "check")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith(str(project))]
    assert lines and all(line.startswith(f"{path}:2: ") for line in lines), result.output
