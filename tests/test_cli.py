"""The command line: help, version, listing, building, and one-line errors."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE_DOCS, edit

from brochure import __version__

LINE = re.compile(r"^\S+:\d+: .+$")


def test_version(cli) -> None:
    result = cli("--version")
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize("command", [[], ["build"], ["check"], ["list"], ["mail"], ["translate"]])
def test_help_on_every_command(cli, command: list[str]) -> None:
    result = cli(*command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_build_writes_one_line_per_file(cli, project: Path) -> None:
    result = cli("-C", project, "build")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 6
    for doc in SAMPLE_DOCS:
        for suffix in (".pdf", ".html"):
            assert (project / "output" / "en" / f"{doc}{suffix}").is_file()
            assert any(line.endswith(f"en/{doc}{suffix}") for line in lines)


def test_build_named_documents_to_another_folder(cli, project: Path, tmp_path: Path) -> None:
    result = cli("-C", project, "build", "hsg", "--lang", "en", "--paper", "letter", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out" / "en").iterdir()) == ["hsg.html", "hsg.letter.pdf"]


def test_list_shows_documents_languages_layouts(cli, project: Path) -> None:
    result = cli("-C", project, "list")
    assert result.exit_code == 0
    for word in (*SAMPLE_DOCS, "en (English)", "leaflet", "comparison"):
        assert word in result.output


def test_check_passes_on_the_samples(cli, project: Path) -> None:
    result = cli("-C", project, "check")
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output


def only_line(result) -> str:
    """The single error line of a failed run; it must carry file:line."""
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]


def test_malformed_front_matter(cli, project: Path) -> None:
    edit(project / "content" / "hsg" / "en.md", "short_title: HSG", "short_title: [HSG")
    result = cli("-C", project, "build")
    assert result.exit_code == 1
    line = only_line(result)
    assert LINE.match(line) and "content/hsg/en.md:" in line and "malformed YAML" in line


def test_unknown_key_with_did_you_mean(cli, project: Path) -> None:
    edit(project / "content" / "hsg" / "en.md", "summary:", "sumary:")
    result = cli("-C", project, "check")
    assert result.exit_code == 1
    assert re.search(r"content/hsg/en\.md:\d+: unknown key 'sumary' \(did you mean 'summary'\?\)", result.output)
    assert "missing required key 'summary'" in result.output


def test_missing_required_key(cli, project: Path) -> None:
    edit(project / "content" / "hysteroscopy" / "en.md", "version:", "# version:")
    result = cli("-C", project, "build")
    assert result.exit_code == 1
    line = only_line(result)
    assert "content/hysteroscopy/en.md:2: missing required key 'version'" in line


def test_date_that_is_not_a_date(cli, project: Path) -> None:
    path = project / "content" / "hsg" / "en.md"
    path.write_text(re.sub(r"(?m)^published: .+$", "published: 1st of November", path.read_text()), encoding="utf-8")
    line_no = path.read_text().splitlines().index("published: 1st of November") + 1
    result = cli("-C", project, "build")
    assert result.exit_code == 1
    assert f"content/hsg/en.md:{line_no}: 'published' must be a date" in only_line(result)


def test_unknown_layout(cli, project: Path) -> None:
    edit(project / "content" / "hsg" / "en.md", "status: draft", "status: draft\nlayout: leaflat")
    result = cli("-C", project, "build")
    assert result.exit_code == 1
    assert re.search(r"content/hsg/en\.md:\d+: unknown layout 'leaflat' \(did you mean 'leaflet'\?\)", only_line(result))


def test_comparison_naming_a_missing_leaflet(cli, project: Path) -> None:
    edit(project / "content" / "hsg-vs-hysteroscopy" / "en.yaml", "leaflets: [hsg, hysteroscopy]", "leaflets: [hsg, laparoscopy]")
    result = cli("-C", project, "build")
    assert result.exit_code == 1
    line = only_line(result)
    assert "hsg-vs-hysteroscopy/en.yaml:" in line and "leaflet 'laparoscopy' does not exist in 'en'" in line


def test_comparison_row_missing_from_a_leaflet(cli, project: Path) -> None:
    path = project / "content" / "hysteroscopy" / "en.md"
    text = path.read_text()
    path.write_text(re.sub(r"^  risks: .*\n", "", text, count=1, flags=re.M))
    result = cli("-C", project, "build")
    assert result.exit_code == 1
    line = only_line(result)
    assert "hsg-vs-hysteroscopy/en.yaml:" in line and "row 'risks' is missing from the facts of" in line
    assert "hysteroscopy/en.md" in line


def test_undefined_placeholder(cli, project: Path) -> None:
    path = project / "content" / "hsg" / "en.md"
    edit(path, "{{ clinic.phone }}", "{{ clinic.fax }}")
    line_no = next(i for i, line in enumerate(path.read_text().splitlines(), 1) if "clinic.fax" in line)
    result = cli("-C", project, "build")
    assert result.exit_code == 1
    assert f"content/hsg/en.md:{line_no}: unknown placeholder {{{{ clinic.fax }}}}" in only_line(result)


def test_jinja_syntax_error(cli, project: Path) -> None:
    path = project / "content" / "hysteroscopy" / "en.md"
    edit(path, "{{ clinic.phone }}", "{{ clinic.phone }")
    line_no = next(i for i, line in enumerate(path.read_text().splitlines(), 1) if "{{ clinic.phone }" in line)
    result = cli("-C", project, "build")
    assert result.exit_code == 1
    assert f"content/hysteroscopy/en.md:{line_no}: template syntax error" in only_line(result)


def test_missing_logo_file(cli, project: Path) -> None:
    (project / "content" / "assets" / "logo.svg").unlink()
    result = cli("-C", project, "build")
    assert result.exit_code == 1
    assert "content/clinic.yaml:" in only_line(result) and "logo file not found: assets/logo.svg" in result.output


@pytest.mark.parametrize("name", ["logo.svg", "logo.png"])
def test_corrupt_logo_file(cli, project: Path, name: str) -> None:
    edit(project / "content" / "clinic.yaml", "logo: assets/logo.svg", f"logo: assets/{name}")
    (project / "content" / "assets" / name).write_bytes(b"\x89PNG not really an image")
    result = cli("-C", project, "build")
    assert result.exit_code == 1
    assert f"logo assets/{name}: not a readable" in only_line(result)


def test_png_logo_also_works(cli, project: Path) -> None:
    edit(project / "content" / "clinic.yaml", "logo: assets/logo.svg", "logo: assets/logo.png")
    assert cli("-C", project, "build", "hsg").exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "--lang", "xx"], "unknown language 'xx'"),
        (["build", "hgs"], "unknown document 'hgs' (did you mean 'hsg'?)"),
        (["build", "--paper", "a3"], "Invalid value for '--paper'"),
    ],
)
def test_usage_errors_exit_2(cli, project: Path, args: list[str], message: str) -> None:
    result = cli("-C", project, *args)
    assert result.exit_code == 2
    assert message in result.output


def test_check_reports_all_problems_at_once(cli, project: Path) -> None:
    edit(project / "content" / "hsg" / "en.md", "summary:", "sumary:")
    edit(project / "content" / "hysteroscopy" / "en.md", "{{ clinic.phone }}", "{{ clinic.fax }}")
    edit(project / "content" / "clinic.yaml", "paper: a4", "paper: a3")
    result = cli("-C", project, "check")
    assert result.exit_code == 1
    assert "sumary" in result.output and "paper" in result.output
    problem_lines = [line for line in result.output.splitlines() if LINE.match(line)]
    assert len(problem_lines) >= 3


def test_unexpected_failure_is_one_line_without_debug(cli, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(sys.modules["brochure.pipeline"], "render", broken)
    result = cli("-C", project, "build", "hsg")
    assert result.exit_code == 1
    assert "RuntimeError: disk on fire (rerun with --debug" in result.output
    assert "Traceback" not in result.output
    result = cli("-C", project, "--debug", "build", "hsg")
    assert isinstance(result.exception, RuntimeError)
