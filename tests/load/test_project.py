"""A command that names its documents loads only those and what they need: another
document's problem is not its to report, and a comparison still has its leaflets."""

from __future__ import annotations

from pathlib import Path

from conftest import edit

from brochure.load.project import load_project


def test_a_named_document_loads_its_own_files_only(project: Path, monkeypatch) -> None:  # noqa: ANN001
    read: set[Path] = set()
    for method in ("read_text", "read_bytes"):
        real = getattr(Path, method)
        monkeypatch.setattr(Path, method, lambda self, *a, _real=real, **k: (read.add(self), _real(self, *a, **k))[1])
    load_project(project, ["hsg"])
    content = {p.relative_to(project / "content").parts[0] for p in read if p.is_relative_to(project / "content")}
    assert "hsg" in content and not {"hysteroscopy", "hsg-vs-hysteroscopy"} & content
    read.clear()
    load_project(project, ["hsg-vs-hysteroscopy"])
    content = {p.relative_to(project / "content").parts[0] for p in read if p.is_relative_to(project / "content")}
    assert {"hsg", "hysteroscopy", "hsg-vs-hysteroscopy"} <= content, "a comparison loads the leaflets it compares"


def test_another_documents_problem_does_not_stop_a_named_build(project: Path, cli) -> None:  # noqa: ANN001
    edit(project / "content" / "hysteroscopy" / "es.md", "published:", "published: 2026-02-30\nold_published:")
    assert cli("-C", project, "build", "hsg", "--format", "pdf").exit_code == 0
    for command in (["build", "hysteroscopy", "-l", "es"], ["build", "hsg-vs-hysteroscopy", "-l", "es"], ["build"], ["check"]):
        result = cli("-C", project, *command)
        assert result.exit_code == 1, command
        assert "hysteroscopy/es.md:" in result.output and "is not a real date" in result.output, command


def test_an_unknown_name_is_told_against_every_document(project: Path, cli) -> None:  # noqa: ANN001
    for name in ("hystroscopy", "figures", "..", "i18n"):
        result = cli("-C", project, "build", name)
        assert result.exit_code == 2, name
        assert f"unknown document '{name}'" in result.output, name
    assert "did you mean 'hysteroscopy'" in cli("-C", project, "build", "hystroscopy").output


def test_a_folder_holding_a_leaflet_and_a_comparison_refuses_the_stray_one(project: Path, cli) -> None:  # noqa: ANN001
    """Both en.md and en.yaml: one of them would silently replace the other. The folder's
    other kind is refused alone, file by file; its leaflets still load, so nothing else
    (the clinic's procedures naming 'hsg') follows from it."""
    comparison = (project / "content" / "hsg-vs-hysteroscopy" / "en.yaml").read_text(encoding="utf-8")
    (project / "content" / "hsg" / "en.yaml").write_text(comparison, encoding="utf-8")
    (project / "content" / "hsg" / "fr.yaml").write_text(comparison, encoding="utf-8")
    result = cli("-C", project, "check")
    assert result.exit_code == 1
    hint = "(a document is a leaflet (<lang>.md) or a comparison (<lang>.yaml) in every language; give the other its own folder)"
    assert [line for line in result.output.splitlines() if not line.startswith("note:")] == [
        f"{project / 'content' / 'hsg' / 'en.yaml'}: en.md and en.yaml are both 'hsg' in 'en' {hint}",
        f"{project / 'content' / 'hsg' / 'fr.yaml'}: 'hsg' holds leaflets (.md), and this file is not one {hint}",
        "2 problems found.",
    ]


def test_a_readme_beside_a_comparison_is_not_a_language_and_nothing_more(project: Path, cli) -> None:  # noqa: ANN001
    folder = project / "content" / "hsg-vs-hysteroscopy"
    for path in folder.glob("*.yaml"):
        if path.stem != "en":
            path.unlink()
    (folder / "README.md").write_text("Notes for the team.\n")
    result = cli("-C", project, "check")
    assert [line for line in result.output.splitlines() if not line.startswith(("note:", "warning:"))] == [
        f"{folder / 'README.md'}: 'README' is not a language code (name the file after its language, e.g. en.md or zh-Hans.md)",
    ]
