"""Which files `brochure serve` watches, and each save as one set of changed paths: an
editor that writes a file several times for one save gives one rebuild."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from watchfiles import DefaultFilter, watch

# What brochure itself writes into a project: changes there are not the author's.
GENERATED = ("output", "release", "outbox", ".brochure")
QUIET_MS = 100  # a save is over once nothing has changed for this long
LONGEST_MS = 1600  # and changes are grouped for at most this long


def project_filter(root: Path) -> DefaultFilter:
    """Every file under `root` counts, except what brochure writes and what editors and
    tools leave (swap and backup files, .git, .venv, node_modules ...)."""
    return DefaultFilter(ignore_paths=[str(root / name) for name in GENERATED])


def changes(root: Path, stop: threading.Event | None = None) -> Iterator[set[Path]]:
    """The paths changed by each save under `root`, until `stop` is set (or Ctrl-C)."""
    root = root.resolve()
    for batch in watch(root, watch_filter=project_filter(root), debounce=LONGEST_MS, step=QUIET_MS, stop_event=stop):
        yield {Path(path) for _, path in batch}
