"""brochure preview: one PNG image a page of the PDF that `build` writes, named by the
page count, and its problems reported exactly as `build` reports them."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from conftest import edit
from PIL import Image

from brochure.preview import image_paths


def not_blank(path: Path) -> bool:
    """More than a few colours: text, a figure, the brand band."""
    with Image.open(path) as image:
        return len(image.convert("L").getcolors(1 << 16) or []) > 16


def test_one_image_a_page_of_the_pdf(cli, project: Path, tmp_path: Path) -> None:
    assert cli("-C", project, "build", "hsg", "--format", "pdf", "-o", tmp_path).exit_code == 0
    pages = len(pypdf.PdfReader(tmp_path / "en" / "hsg.pdf").pages)
    result = cli("-C", project, "preview", "hsg")
    assert result.exit_code == 0, result.output
    images = [project / "output" / "preview" / "en" / f"hsg-{number}.png" for number in range(1, pages + 1)]
    assert sorted((project / "output" / "preview" / "en").iterdir()) == sorted(images)
    assert result.output.splitlines() == [f"wrote {path}" for path in images]
    for path in images:
        with Image.open(path) as image:
            assert image.size == (827, 1170)  # A4 at 100 dpi
        assert not_blank(path), f"{path.name} is blank"


def test_another_layout_language_file_and_resolution(cli, project: Path, tmp_path: Path) -> None:
    out = tmp_path / "images"
    result = cli("-C", project, "preview", "hsg", "--layout", "trifold", "-l", "ar", "-o", out / "hsg.png", "--dpi", "50")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["hsg-1.png", "hsg-2.png"]  # a tri-fold's two sides
    with Image.open(out / "hsg-1.png") as image:
        assert image.size == (827, 585)  # A3 landscape at 50 dpi
    assert not_blank(out / "hsg-2.png")


def test_a_one_page_document_is_one_file_without_a_number() -> None:
    assert image_paths(Path("out/x.png"), 1) == [Path("out/x.png")]
    assert image_paths(Path("out/x.png"), 3) == [Path("out/x-1.png"), Path("out/x-2.png"), Path("out/x-3.png")]


def test_images_left_from_a_longer_version_are_removed(cli, project: Path) -> None:
    folder = project / "output" / "preview" / "en"
    folder.mkdir(parents=True)
    for name in ("hsg-5.png", "hsg.png", "hsg.trifold-1.png", "hsg-vs-hysteroscopy-1.png"):
        (folder / name).write_bytes(b"old")
    assert cli("-C", project, "preview", "hsg").exit_code == 0
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["hsg-1.png", "hsg-2.png", "hsg-3.png", "hsg-4.png", "hsg-vs-hysteroscopy-1.png", "hsg.trifold-1.png"]


def test_a_problem_is_reported_as_build_reports_it(cli, project: Path) -> None:
    edit(project / "content" / "hsg" / "en.md", "{{ clinic.phone }}", "{{ clinic.phnoe }}")
    built = cli("-C", project, "build", "hsg", "--format", "pdf")
    previewed = cli("-C", project, "preview", "hsg")
    assert previewed.exit_code == built.exit_code == 1
    assert previewed.output == built.output and "content/hsg/en.md:" in previewed.output
    assert not (project / "output" / "preview").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["hgs"], "unknown document 'hgs' (did you mean 'hsg'?)"),
        (["hsg", "-l", "xx"], "unknown language 'xx'"),
        (["hsg", "--layout", "comparison"], "layout 'comparison' is for a comparison, and 'hsg' is a leaflet"),
        (["hsg", "-l", "all"], "preview draws one language: name it with --lang"),
        (["hsg", "-o", "hsg.jpg"], "--output must name a .png file, not 'hsg.jpg'"),
        (["hsg", "--dpi", "1000"], "Invalid value for '--dpi'"),
    ],
)
def test_usage_errors_exit_2(cli, project: Path, args: list[str], message: str) -> None:
    result = cli("-C", project, "preview", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_help_says_how_files_are_named(cli) -> None:
    result = cli("preview", "--help")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "FILE.png for a one-page document, otherwise FILE-1.png, FILE-2.png" in text
