"""The command line: help, version, listing, building, and one-line errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLE_DOCS, edit
from pypdf import PdfReader

import brochure
from brochure import __version__
from brochure.cli import main

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
    for word in (*SAMPLE_DOCS, "leaflet", "comparison"):
        assert word in result.output
    assert re.search(r"(?m)^  en +English +built-in:i18n/en.yaml$", result.output)
    assert re.search(r"(?m)^  trifold +leaflet +built-in:layouts/trifold.yaml \+ built-in:layouts/leaflet.yaml", result.output)


def test_list_shows_where_an_overridden_layout_and_string_come_from(cli, project: Path) -> None:
    (project / "content" / "i18n").mkdir()
    (project / "content" / "i18n" / "es.yaml").write_text('contact_heading: "Contáctenos"\n', encoding="utf-8")
    (project / "layouts" / "leaflet.yaml").write_text("extends: leaflet\ntype:\n  leading: 16\n", encoding="utf-8")
    result = cli("-C", project, "list", "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    es = next(lang for lang in found["languages"] if lang["code"] == "es")
    assert es["strings"] == ["content/i18n/es.yaml", "built-in:i18n/es.yaml"]
    leaflet = next(layout for layout in found["layouts"] if layout["name"] == "leaflet")
    assert leaflet["files"] == ["layouts/leaflet.yaml", "built-in:layouts/leaflet.yaml", "built-in:layouts/base.yaml"]
    assert {d["name"]: d["languages"]["es"] for d in found["documents"]} == dict.fromkeys(SAMPLE_DOCS, "draft")
    pdf = brochure.build(project, docs=["hsg"], langs=["es"], formats=["pdf"])[0]
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Contáctenos" in text and "Contacto" not in text  # one string replaced, the rest built in


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

    monkeypatch.setattr("brochure.write.pdf.render", broken)  # the project is new: nothing kept to reuse
    result = cli("-C", project, "build", "hsg")
    assert result.exit_code == 1
    assert result.output == (
        "Error: internal error: RuntimeError: disk on fire (this is a bug in brochure; please report it"
        " with the output of the same command with --debug)\n"
    )
    result = cli("-C", project, "--debug", "build", "hsg")
    assert isinstance(result.exception, RuntimeError)
    result = cli("-C", project, "build", "hsg", "--debug")  # anywhere on the line
    assert isinstance(result.exception, RuntimeError)
    result = CliRunner().invoke(main, ["-C", str(project), "build", "hsg"], env={"BROCHURE_DEBUG": "1"})
    assert isinstance(result.exception, RuntimeError)


def test_dash_h_is_help(cli) -> None:
    for args in (["-h"], ["build", "-h"], ["mail", "-h"]):
        result = cli(*args)
        assert result.exit_code == 0 and result.output.startswith("Usage: ")


def test_a_closed_pipe_ends_quietly(project: Path) -> None:
    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written, as with `brochure list | head -0`
    done = subprocess.run([sys.executable, "-m", "brochure", "-C", project, "list"], stdout=write, stderr=subprocess.PIPE)
    os.close(write)
    assert done.stderr == b""
    assert done.returncode == 1


def test_project_is_found_from_a_folder_inside_it(cli, project: Path) -> None:
    result = cli("-C", project / "content" / "hsg", "build", "hsg", "--format", "html")
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {project / 'output' / 'en' / 'hsg.html'}\n"


def test_outside_a_project_is_one_usage_line(cli, tmp_path: Path) -> None:
    for command in (["build"], ["check"], ["list"], ["mail", "-"]):
        result = cli("-C", tmp_path, *command)
        assert result.exit_code == 2
        assert result.output == (
            f"Error: no brochure project in {tmp_path} or in any folder above: none has content/clinic.yaml"
            " (run 'brochure init DIR' to start one, or pass -C DIR)\n"
        )


def test_quiet_and_verbose(cli, project: Path) -> None:
    quiet = cli("-C", project, "-q", "build", "hsg")
    assert quiet.exit_code == 0 and quiet.output == ""
    verbose = cli("-C", project, "--verbose", "build", "hsg")
    assert verbose.exit_code == 0
    assert f"project: {project}" in verbose.output and re.search(r"(?m)^2 files in \d+\.\d s$", verbose.output)
    assert cli("-C", project, "-q", "-v", "list").exit_code == 2


def test_progress_bar_only_on_a_terminal(cli, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "Building [" not in cli("-C", project, "build", "hsg", "hysteroscopy").output
    monkeypatch.setattr(sys.modules["brochure.console"], "on_terminal", lambda: True)
    result = cli("-C", project, "build", "hsg", "hysteroscopy")
    assert result.exit_code == 0
    assert "Building [" + "#" * 30 + "] 4/4" in result.output
    assert f"wrote {project / 'output' / 'en' / 'hysteroscopy.html'}" in result.output
    assert "Building [" not in cli("-C", project, "-q", "build", "hsg", "hysteroscopy").output


def test_check_as_json(cli, project: Path) -> None:
    result = cli("-C", project, "check", "--format", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["ok"] is True and found["problems"] == []
    assert {(t["document"], t["language"]) for t in found["translations"]} >= {("hsg", "en"), ("hsg", "ar")}
    edit(project / "content" / "hsg" / "en.md", "{{ clinic.phone }}", "{{ clinic.phnoe }}")
    result = cli("-C", project, "check", "--format", "json")
    assert result.exit_code == 1
    (problem,) = json.loads(result.output)["problems"]
    assert problem["file"] == str(project / "content" / "hsg" / "en.md") and isinstance(problem["line"], int)
    assert problem["message"] == "unknown placeholder {{ clinic.phnoe }}"


def test_completion_of_documents_languages_and_layouts(project: Path) -> None:
    def complete(*words: str) -> list[str]:
        env = {"_BROCHURE_COMPLETE": "bash_complete", "COMP_WORDS": " ".join(("brochure", "-C", str(project)) + words)}
        env["COMP_CWORD"] = str(len(words) + 2)
        result = CliRunner().invoke(main, [], env=env, prog_name="brochure")
        return [line.split(",", 1)[1] for line in result.output.splitlines()]

    assert complete("build", "hs") == ["hsg", "hsg-vs-hysteroscopy"]
    assert complete("build", "--lang", "z") == ["zh-Hans"]
    assert complete("build", "--layout", "tri") == ["trifold"]


def test_a_file_where_a_folder_should_be(cli, project: Path) -> None:
    (project / "output").mkdir()
    (project / "output" / "en").write_text("not a folder")
    result = cli("-C", project, "build", "hsg")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {project / 'output' / 'en' / 'hsg.pdf'}: {project / 'output' / 'en'} is a file where a folder should be"
        " (move or delete that file)\n"
    )


def test_a_folder_where_a_file_should_be(cli, project: Path) -> None:
    (project / "output" / "en" / "hsg.pdf").mkdir(parents=True)
    result = cli("-C", project, "build", "hsg")
    assert result.exit_code == 1
    assert (
        result.output
        == f"Error: {project / 'output' / 'en' / 'hsg.pdf'}: a folder is in the way of this file (move or delete the folder)\n"
    )


def test_a_folder_without_permission(cli, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(sys.modules["brochure.write.files"].tempfile, "mkstemp", refused)
    result = cli("-C", project, "build", "hsg")
    assert result.exit_code == 1
    out = project / "output" / "en"
    assert result.output == f"Error: {out / 'hsg.pdf'}: permission denied (make {out} writable, or choose another folder)\n"


def test_an_unreadable_clinic_profile_is_one_line_with_what_follows(cli, project: Path) -> None:
    edit(project / "content" / "clinic.yaml", "paper: a4", "paper: [a4")
    result = cli("-C", project, "check")
    assert result.exit_code == 1
    line = (project / "content" / "clinic.yaml").read_text().splitlines().index("paper: [a4") + 2
    (first,) = [row for row in result.output.splitlines() if "clinic.yaml" in row]
    assert first.startswith(f"{project / 'content' / 'clinic.yaml'}:") and "malformed YAML" in first
    assert re.search(r"; \d+ more problems caused by this one$", first)
    assert "missing required key" not in result.output and "has no colour" not in result.output
    assert line > 1


def test_a_colour_missing_from_the_profile_names_the_profile(cli, project: Path) -> None:
    edit(project / "content" / "clinic.yaml", '  primary: "#1f5f74"\n', "")
    edit(project / "content" / "clinic.yaml", '  primary: "85 40 30 25"\n', "")  # its print colour too
    result = cli("-C", project, "check")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "built-in:layouts/base.yaml:30: the clinic profile has no colour 'primary'"
        " (add 'primary: \"#1f5f74\"' under 'colours:' in content/clinic.yaml)"
    )


def test_each_missing_colour_is_suggested_with_a_value_of_its_own(cli, project: Path) -> None:
    edit(project / "content" / "clinic.yaml", '  help: "#fbe9e7"\n', "")
    result = cli("-C", project, "check")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "built-in:layouts/base.yaml:32: the clinic profile has no colour 'help'"
        " (add 'help: \"#fbe9e7\"' under 'colours:' in content/clinic.yaml)"
    )


def test_notes_alike_are_counted_unless_verbose(cli, project: Path) -> None:
    result = cli("-C", project, "check")
    assert result.exit_code == 0
    assert "note: 18 files: draft translation: not checked by a qualified medical translator" in result.output
    verbose = cli("-C", project, "-v", "check")
    assert len([line for line in verbose.output.splitlines() if line.startswith("note: ") and "draft translation" in line]) == 18
