"""The disk cache of what `build` writes: a second build of unchanged sources writes the
same files without rendering, any change to what a file is made from renders it again,
and an entry is never served for another document, language, variant or damaged."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from conftest import edit, edit_layout

from brochure import cache, pipeline
from brochure.pipeline import build


def no_render(*args: object, **kwargs: object) -> None:
    raise AssertionError("rendered again")


def built(project: Path, **kw: object) -> dict[str, bytes]:
    """Build the HSG leaflet (English, PDF and page); its files' bytes by name."""
    out = project / "out"
    paths = build(project, ["hsg"], output=out, **kw)  # type: ignore[arg-type]
    return {str(p.relative_to(out)): p.read_bytes() for p in paths}


def entries(project: Path) -> list[Path]:
    return sorted((project / ".brochure" / "cache" / "build").glob("*.json"))


def test_a_second_build_writes_the_same_files_without_rendering(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = built(project)
    kept = entries(project)
    assert len(kept) == 2 and stat.S_IMODE(kept[0].parent.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in kept[0].parent.iterdir())
    monkeypatch.setitem(pipeline.WRITERS, "pdf", no_render)
    monkeypatch.setitem(pipeline.WRITERS, "html", no_render)
    monkeypatch.setattr(pipeline, "prepare_all", no_render)
    assert built(project) == first


@pytest.mark.parametrize("change", ["content", "layout", "clinic", "renderer", "library", "epoch"])
def test_a_change_to_what_a_file_is_made_from_renders_it_again(
    project: Path, change: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first = built(project)
    if change == "content":
        edit(project / "content" / "hsg" / "en.md", "## What is an HSG?", "## What is an HSG test?")
    elif change == "layout":
        edit_layout(project, "leaflet", "slot: 100mm", "slot: 101mm")
    elif change == "clinic":
        edit(project / "content" / "clinic.yaml", "name:", "name: ")
    elif change == "renderer":  # an upgraded library rewrites its files
        library = tmp_path / "reportlab.py"
        library.write_text("")
        monkeypatch.setattr(cache, "installed_files", lambda: [library])
        built(project)
        library.write_text("# 4.5\n")
    elif change == "library":  # another version of any installed distribution
        monkeypatch.setattr(cache, "installed_distributions", lambda: ("pillow-99.0.dist-info",))
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    calls: list[object] = []
    real = pipeline.WRITERS["pdf"]
    monkeypatch.setitem(pipeline.WRITERS, "pdf", lambda *a: calls.append(a) or real(*a))
    again = built(project)
    assert calls, "the PDF was rendered again"
    if change in ("content", "epoch"):
        assert again["en/hsg.pdf"] != first["en/hsg.pdf"]
    assert len(entries(project)) == 2, "the earlier entries are dropped"


def test_an_entry_is_not_served_for_another_variant_or_when_damaged(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = built(project, formats=["pdf"])
    (record,) = entries(project)
    printed = built(project, formats=["pdf"], print_marks=True)
    assert printed["en/hsg.print.pdf"] != plain["en/hsg.pdf"]
    # another variant's key holding the plain file: refused, as for another document
    (other,) = [p for p in entries(project) if p != record]
    for suffix in (".json", ".pdf"):
        other.with_suffix(suffix).write_bytes(record.with_suffix(suffix).read_bytes())
    assert built(project, formats=["pdf"], print_marks=True) == printed
    # a damaged file: rendered again, not written out
    pdf = record.with_suffix(".pdf")
    pdf.write_bytes(pdf.read_bytes()[:-100])
    assert built(project, formats=["pdf"]) == plain
    assert json.loads(record.read_text())["document"][:4] == ["hsg", "en", "leaflet", "pdf"]
