"""What `brochure serve` notices: a save of any file of the project, once for an editor's
several writes, and nothing that brochure or the author's tools write."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from watchfiles import Change

from brochure.serve.watch import changes, project_filter


@pytest.mark.parametrize(
    ("path", "counts"),
    [
        ("content/hsg/en.md", True),
        ("content/clinic.yaml", True),
        ("content/assets/logo.svg", True),
        ("content/i18n/fr.yaml", True),
        ("layouts/leaflet.yaml", True),
        ("output/en/hsg.pdf", False),
        ("output/preview/en/hsg-1.png", False),
        ("release/en/hsg.pdf", False),
        ("outbox/a1.eml", False),
        (".brochure/sent-log.sqlite", False),
        (".git/index", False),
        ("content/hsg/.en.md.swp", False),
        ("content/hsg/en.md~", False),
    ],
)
def test_which_files_count(tmp_path: Path, path: str, counts: bool) -> None:
    assert project_filter(tmp_path)(Change.modified, str(tmp_path / path)) is counts


class Watching:
    """`changes` of a folder in a thread, collected until stopped."""

    def __init__(self, root: Path) -> None:
        self.batches: list[set[Path]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=lambda: self.batches.extend(changes(root, self.stop)), daemon=True)
        self.thread.start()
        time.sleep(0.3)  # the watch is set up

    def wait(self, count: int, timeout: float = 5) -> list[set[Path]]:
        """The batches, once there are `count` of them (or at the timeout)."""
        deadline = time.monotonic() + timeout
        while len(self.batches) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.batches


@pytest.fixture
def watching(tmp_path: Path) -> Iterator[Watching]:
    (tmp_path / "content").mkdir()
    (tmp_path / "output").mkdir()
    watcher = Watching(tmp_path)
    yield watcher
    watcher.stop.set()
    watcher.thread.join(10)


def test_several_writes_of_one_save_are_one_change(tmp_path: Path, watching: Watching) -> None:
    leaflet = tmp_path / "content" / "en.md"
    for text in ("a", "ab", "abc"):  # an editor that truncates, writes, then writes again
        leaflet.write_text(text)
        time.sleep(0.01)
    time.sleep(0.5)
    assert watching.wait(1) == [{leaflet.resolve()}]


def test_what_brochure_writes_is_no_change(tmp_path: Path, watching: Watching) -> None:
    (tmp_path / "output" / "hsg.pdf").write_bytes(b"%PDF")
    time.sleep(0.5)
    assert watching.batches == []
    (tmp_path / "content" / "clinic.yaml").write_text("name: x\n")
    assert watching.wait(1) == [{(tmp_path / "content" / "clinic.yaml").resolve()}]
