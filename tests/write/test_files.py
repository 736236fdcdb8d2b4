"""Output is written atomically: an interrupted build leaves no half file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import edit

import brochure
from brochure.errors import FileError
from brochure.write.files import replace_atomic, sync_folder, write_atomic


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

    monkeypatch.setattr("brochure.write.pdf.render", broken)
    edit(project / "content" / "hsg" / "en.md", "## What is an HSG?", "## What is an HSG test?")  # rendered again, not reused
    with pytest.raises(RuntimeError):
        brochure.build(project, docs=["hsg"])
    assert first.read_bytes() == before
    assert sorted(p.name for p in first.parent.iterdir()) == ["hsg.pdf"]


@pytest.mark.parametrize("has_syncfs", [True, False])
def test_a_folder_written_without_syncs_is_synced_whole_or_file_by_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, has_syncfs: bool
) -> None:
    import ctypes

    paths = [tmp_path / f"m{i}.eml" for i in range(3)]
    for path in paths:
        replace_atomic(path, b"message", 0o600, sync=False)
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    if not has_syncfs:
        monkeypatch.setattr(ctypes, "CDLL", lambda *a, **k: object())  # a C library without syncfs
    sync_folder(tmp_path, paths)
    assert len(synced) == (0 if has_syncfs else 4), "one syncfs, or each file and the folder"
    assert [p.read_bytes() for p in paths] == [b"message"] * 3
    assert not list(tmp_path.glob(".*.tmp"))
