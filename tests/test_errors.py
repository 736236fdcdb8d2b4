"""Authoring mistakes, each reported as one line that names the file and line and says how
to fix it, with exit code 1, through the command line."""

from __future__ import annotations

from pathlib import Path

from conftest import edit, page_texts

from brochure.errors import file_problem


def line_of(path: Path, text: str) -> int:
    """The line of `path` (from 1) that holds `text`."""
    return next(i for i, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in row)


def problems(output: str) -> list[str]:
    """The lines of output that are problems (not notes or warnings)."""
    return [line for line in output.splitlines() if line and not line.startswith(("note:", "warning:"))]


def test_a_date_that_does_not_exist(cli, project: Path) -> None:
    leaflet = project / "content" / "hsg" / "en.md"
    edit(leaflet, "published: 2026-12-01", "published: 2026-02-30")
    result = cli("-C", project, "build", "hsg")
    assert result.exit_code == 1
    assert problems(result.output) == [
        f"{leaflet}:{line_of(leaflet, 'published:')}: 'published' is not a real date: 2026-02-30"
        " (day is out of range for month) (check the day and month)"
    ]


def test_a_byte_order_mark_is_not_a_problem(cli, project: Path) -> None:
    leaflet = project / "content" / "hsg" / "en.md"
    leaflet.write_bytes(b"\xef\xbb\xbf" + leaflet.read_bytes())
    result = cli("-C", project, "build", "hsg", "--format", "pdf")
    assert result.exit_code == 0, result.output
    assert "Your HSG test" in page_texts(project / "output" / "en" / "hsg.pdf")[0]


def test_an_if_never_closed_is_reported_where_it_opens(cli, project: Path) -> None:
    leaflet = project / "content" / "hsg" / "en.md"
    edit(leaflet, "## What is an HSG?\n", "## What is an HSG?\n\n{% if clinic.website %}Visit us online.\n")
    result = cli("-C", project, "check")
    assert result.exit_code == 1
    assert problems(result.output) == [
        f"{leaflet}:{line_of(leaflet, '{% if clinic.website %}')}: '{{% if %}}' is never closed"
        " (add '{% endif %}' where it should end)"
    ]


def test_a_placeholder_never_closed_is_said_so(cli, project: Path) -> None:
    strings = project / "content" / "i18n" / "en.yaml"
    strings.parent.mkdir(parents=True, exist_ok=True)
    strings.write_text('version_n: "Version {{ version"\n')
    result = cli("-C", project, "build", "hsg")
    assert result.exit_code == 1
    assert problems(result.output) == [
        f"{strings}:1: a placeholder '{{{{' is never closed (end it with '}}}}', as in {{{{ clinic.phone }}}})"
    ]


def test_a_placeholder_closed_with_a_bad_expression_is_not_said_to_be_open(cli, project: Path) -> None:
    edit(
        project / "content" / "hsg" / "en.md", "## What is an HSG?\n", "## What is an HSG?\n\nCall {{ clinic.phone | }} today.\n"
    )
    result = cli("-C", project, "build", "hsg")
    assert result.exit_code == 1
    assert "template syntax error" in result.output and "never closed" not in result.output


def test_a_version_is_printed_as_written(cli, project: Path) -> None:
    edit(project / "content" / "hsg" / "en.md", 'version: "2.0"', "version: 1.10")
    result = cli("-C", project, "build", "hsg", "--format", "pdf")
    assert result.exit_code == 0, result.output
    assert "Version 1.10" in page_texts(project / "output" / "en" / "hsg.pdf")[0]


def test_build_refuses_a_character_no_font_has(cli, project: Path) -> None:
    leaflet = project / "content" / "hsg" / "en.md"
    edit(leaflet, "## What is an HSG?", "## What is an HSG? \U0001f984")
    result = cli("-C", project, "build", "hsg")
    assert result.exit_code == 1
    assert problems(result.output) == [
        f"{leaflet}:{line_of(leaflet, 'What is an HSG?')}: no font has a glyph for '\U0001f984' (U+1F984)"
        " (replace the character or add a font that has it)"
    ]
    assert not (project / "output" / "en" / "hsg.pdf").exists()


def test_a_print_colour_for_no_colour_lists_the_colours(cli, project: Path) -> None:
    edit(project / "content" / "clinic.yaml", '  help_border: "10 100 90 10"\n', '  zz: "10 100 90 10"\n')
    result = cli("-C", project, "check")
    assert result.exit_code == 1
    clinic = project / "content" / "clinic.yaml"
    assert result.output.splitlines()[0] == (
        f"{clinic}:{line_of(clinic, 'zz:')}: 'print_colours.zz' names no colour in 'colours'"
        " (expected one of: accent, help, help_border, primary)"
    )


def test_permission_denied_names_the_folder_that_exists(tmp_path: Path) -> None:
    # A folder to be made in a read-only one: the fix is the read-only folder's, not the new one's.
    problem = file_problem(tmp_path / "ro" / "outbox" / "a.eml", PermissionError(13, "Permission denied"))
    assert problem.hint == f"make {tmp_path} writable, or choose another folder"


def test_a_file_is_named_from_the_working_folder(cli, project: Path, monkeypatch) -> None:
    leaflet = project / "content" / "hsg" / "en.md"
    edit(leaflet, "## What is an HSG?\n", "## What is an HSG?\n\n{{ clinic.nam }}\n")
    line = line_of(leaflet, "{{ clinic.nam }}")
    monkeypatch.chdir(project)  # where a clinic runs it: the path as the notes and the docs write it
    assert problems(cli("check").output) == [f"content/hsg/en.md:{line}: unknown placeholder {{{{ clinic.nam }}}}" + HINT]
    monkeypatch.chdir(project.parent)  # brochure -C <project>: from where it was started
    assert problems(cli("-C", project.name, "check").output) == [
        f"{project.name}/content/hsg/en.md:{line}: unknown placeholder {{{{ clinic.nam }}}}" + HINT
    ]
    monkeypatch.chdir(project / "content")  # inside the project
    assert problems(cli("check").output) == [f"hsg/en.md:{line}: unknown placeholder {{{{ clinic.nam }}}}" + HINT]


HINT = " (check the spelling; see docs/content-format.md for the names)"
