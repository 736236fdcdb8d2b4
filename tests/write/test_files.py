"""Output is written atomically: an interrupted build leaves no half file."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import brochure
from brochure.errors import FileError
from brochure.write.files import write_atomic


def test_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "en" / "a.pdf"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["a.pdf"]


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", fail)
    with pytest.raises(FileError, match="a.pdf: disk full"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_render_failure_leaves_earlier_pdfs_untouched(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = brochure.build(project, docs=["hsg"], formats=["pdf"])[0]
    before = first.read_bytes()

    def broken(*args):
        raise RuntimeError("crash")

    monkeypatch.setattr(sys.modules["brochure.pipeline"], "render", broken)
    with pytest.raises(RuntimeError):
        brochure.build(project, docs=["hsg"])
    assert first.read_bytes() == before
    assert sorted(p.name for p in first.parent.iterdir()) == ["hsg.pdf"]
