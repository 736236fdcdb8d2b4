"""`python -m tests.golden --update`: render every golden case afresh and keep its pages as the
golden files, removing those of pages and cases that no longer exist. Without --update it
compares instead, as the test does, writing the differences into a folder it names."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from . import FOLDER, cases, compare, kept_files, pages_of, render, sample_project, write


def main() -> int:
    """Update or compare the golden pages; the exit status says whether any differ."""
    parser = argparse.ArgumentParser(prog="python -m tests.golden", description=__doc__)
    parser.add_argument("--update", action="store_true", help="write the golden files from the pages as they are now")
    args = parser.parse_args()
    project = sample_project()
    out = Path(tempfile.mkdtemp(prefix="golden-"))
    kept: set[Path] = set()
    problems: list[str] = []
    for case in cases(project):
        pages = pages_of(render(project, case))
        if args.update:
            kept.update(write(case, pages))
        else:
            problems += compare(case, pages, out)
    if args.update:
        for path in kept_files() - kept:
            path.unlink()
        size = sum(path.stat().st_size for path in kept)
        print(f"{len(kept)} golden files, {size / 1e6:.1f} MB, in {FOLDER}")
        return 0
    print("\n".join(problems) or "the pages are as the golden files show")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
