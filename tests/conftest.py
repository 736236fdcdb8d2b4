"""Shared fixtures: a copy of the sample project and PDFs built from it once."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner, Result

import brochure
from brochure.cli import main
from brochure.review.translations import source_hash

REPO = Path(__file__).resolve().parent.parent
SAMPLE_DOCS = ("hsg", "hysteroscopy", "hsg-vs-hysteroscopy")


def copy_project(dest: Path) -> Path:
    """A writable copy of the repository's content/ and layouts/."""
    for name in ("content", "layouts"):
        shutil.copytree(REPO / name, dest / name)
    return dest


def make_release_ready(project: Path) -> None:
    """Sign off every document and translation, the English first so that the translations' hashes are current."""
    documents = [p for p in (project / "content").glob("*/*.*") if p.parent.name not in ("i18n", "assets")]
    for path in sorted(documents, key=lambda p: (p.stem != "en", str(p))):
        text = path.read_text(encoding="utf-8")
        text = text.replace("status: draft", "status: approved", 1)
        text = text.replace(
            "reviewed_by: null",
            "reviewed_by: Dr A. Clinician\nreviewed_on: 2026-12-10\n"
            "approved_by: Patient information group\napproved_on: 2026-12-20",
            1,
        )
        text = text.replace("checked_by: null", "checked_by: B. Medical-Translator", 1)
        match = re.search(r"source_hash: (\w+)", text)
        if match:
            source = path.with_name("en" + path.suffix)
            text = text.replace(match.group(0), f"source_hash: {source_hash(source)}")
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the sample project that a test may change."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample documents built once, in English on A4, into <dir>/output/en/."""
    root = copy_project(tmp_path_factory.mktemp("built"))
    brochure.build(root)
    return root / "output"


@pytest.fixture(scope="session")
def built_all(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every sample document in every language, built once through the command line as
    PDF and HTML; the project's root (the files are in output/<lang>/)."""
    root = copy_project(tmp_path_factory.mktemp("all"))
    result = CliRunner().invoke(main, ["-C", str(root), "build", "--lang", "all"])
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == 42  # 3 documents x 7 languages x (PDF, HTML)
    return root


@pytest.fixture(scope="session")
def built_all_langs(built_all: Path) -> Path:
    """The output folder of `built_all`."""
    return built_all / "output"


@pytest.fixture
def cli() -> Callable[..., Result]:
    """Run the brochure command line in-process."""
    runner = CliRunner()

    def run(*args: str | Path) -> Result:
        return runner.invoke(main, [str(a) for a in args])

    return run


def page_texts(pdf_path: Path) -> list[str]:
    """The extracted text of each page."""
    with pdfplumber.open(pdf_path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def plain_words(markdown: str) -> str:
    """Markdown as plain sentences, for a reading-grade measure: placeholders and
    ::: lines removed, heading and list markers dropped, headings and list items
    ended with a full stop."""
    text = re.sub(r"\{\{.*?\}\}", "", markdown)
    text = re.sub(r"^:::.*$", "", text, flags=re.M)
    text = re.sub(r"^#+ (.+)$", r"\1.", text, flags=re.M)
    text = re.sub(r"^\s*[-*] (.+)$", r"\1.", text, flags=re.M)
    return text.replace("**", "")


def edit_layout(project: Path, name: str, old: str, new: str) -> Path:
    """Give the project its own copy of a built-in layout, changed; return its path."""
    path = project / "layouts" / f"{name}.yaml"
    if not path.exists():
        shutil.copy(REPO / "brochure" / "defaults" / "layouts" / f"{name}.yaml", path)
    edit(path, old, new)
    return path


def edit(path: Path, old: str, new: str) -> None:
    """Replace text in a file, failing if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
