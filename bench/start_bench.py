"""Benchmark how fast brochure starts and builds, cold (a new process each run).

    python bench/start_bench.py [--repeat 10] [--base COMMIT]

Medians of `--repeat` runs, in one session, of:
- `brochure --help` and `brochure --version`, and `python -c "import click"` (the floor: a
  Click program cannot start faster than Click imports), with the ratio to it;
- `brochure build hsg` (English, PDF and HTML page), `brochure build --lang all` (every
  document in every language, each in its own layout: leaflet and comparison) and the two
  leaflets in every language as tri-folds and in large print, each into its output folder,
  each rendering (the files a build keeps in .brochure/cache/build/ emptied before it), and
  `build --lang all` once more with the files the run before kept (nothing rendered);
for this tree and, with `--base`, for another commit (its own code and its own sample
project, checked out with `git archive`), runs alternating so both see the same load;
with `--base`, this tree also builds the base's own sample, so that one row compares the
code on the same content (the sample grows: the clinical revision of issue 8 made it half
as long again). Wall-clock and CPU medians.
Each command runs as `python -c "...main()"` with the tree first on sys.path, so both
trees start the same way.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mail_bench import ROOT, load, make_tree

SAME = "build --lang all, the base's sample (21 PDFs)"
KEPT = "build --lang all (21 PDFs, files kept)"
CLI = "import sys; sys.path.insert(0, sys.argv.pop(1)); from brochure.cli import main; main()"


def seconds(command: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user and system) of one run of a command (which must succeed)."""
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime


def brochure(tree: Path, *args: str) -> list[str]:
    """A command line running the brochure CLI of `tree`."""
    return [sys.executable, "-c", CLI, str(tree), *args]


def cases(tree: Path, out: Path) -> dict[str, list[str]]:
    """What is timed, by name, for one tree (its own sample project): the PDFs alone, which
    every version writes, and with the HTML pages where the tree writes them too."""
    project = ["-C", str(tree)]
    html = '"--format"' in (tree / "brochure" / "cli.py").read_text(encoding="utf-8")
    pdf = ["--format", "pdf"] if html else []
    found = {
        "--help": brochure(tree, "--help"),
        "--version": brochure(tree, "--version"),
        "build hsg (PDF)": brochure(tree, *project, "build", "hsg", *pdf, "-o", str(out / "one")),
        "build --lang all (21 PDFs)": brochure(tree, *project, "build", "--lang", "all", *pdf, "-o", str(out / "all")),
    }
    if (tree / "brochure" / "cache.py").is_file():  # the files kept by the run before, unchanged: written again, not rendered
        found[KEPT] = brochure(tree, *project, "build", "--lang", "all", *pdf, "-o", str(out / "kept"))
    if html:
        found["build --lang all (PDFs and pages)"] = brochure(tree, *project, "build", "--lang", "all", "-o", str(out / "both"))
    for layout in ("trifold", "large-print"):  # the leaflets in the other layouts (14 PDFs each)
        found[f"build --lang all --layout {layout}"] = brochure(
            tree, *project, "build", "hsg", "hysteroscopy", "--lang", "all", "--layout", layout, *pdf, "-o", str(out / layout)
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--base", default="", help="a commit to compare with, e.g. 7d38895 (before issue 10)")
    args = parser.parse_args()
    # Each measured process reads its modules' bytecode as an installed package does (pip
    # writes it at install): a shell that forbids bytecode files would have every run
    # compile the whole package again.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        trees = {"this tree": ROOT}
        if args.base:
            trees[f"base {args.base}"] = make_tree(args.base, folder / "base")
        runs = {label: cases(tree, folder / label.replace(" ", "-")) for label, tree in trees.items()}
        if args.base:  # the same work for both: this tree on the base's own sample project
            sample = ["-C", str(trees[f"base {args.base}"]), "build", "--lang", "all", "--format", "pdf"]
            runs["this tree"][SAME] = brochure(ROOT, *sample, "-o", str(folder / "same"))
            runs[f"base {args.base}"][SAME] = runs[f"base {args.base}"]["build --lang all (21 PDFs)"]
        floor = [sys.executable, "-c", "import click"]
        times: dict[str, dict[str, list[tuple[float, float]]]] = {label: {name: [] for name in runs[label]} for label in trees}
        click_times: list[tuple[float, float]] = []
        print(f"{args.repeat} cold runs of each; before: {load()}")
        for name in runs["this tree"]:
            seconds(runs["this tree"][name])  # warm the file cache once
        kept = [tree / ".brochure" / "cache" / "build" for tree in trees.values()]
        for _ in range(args.repeat):
            click_times.append(seconds(floor))
            for label in trees:
                for name, command in runs[label].items():
                    if name != KEPT:  # every other build renders: what the run before kept is emptied
                        for folder_ in kept:
                            shutil.rmtree(folder_, ignore_errors=True)
                    times[label][name].append(seconds(command))
        print(f"after: {load()}")
        click = statistics.median(wall for wall, _ in click_times)
        print(f'  python -c "import click": median {click * 1000:.0f} ms')
        for name in runs["this tree"]:
            walls = {label: statistics.median(w for w, _ in times[label][name]) for label in trees if name in times[label]}
            cpus = {label: statistics.median(c for _, c in times[label][name]) for label in trees if name in times[label]}
            row = []
            for label, median in walls.items():
                ratio = f" ({median / click:.1f}x import click)" if name.startswith("--") else ""
                row.append(f"{label} {median * 1000:.0f} ms (CPU {cpus[label] * 1000:.0f} ms){ratio}")
            if len(walls) == 2:
                (this, base), (this_cpu, base_cpu) = walls.values(), cpus.values()
                row.append(f"ratio this/base {this / base:.2f} (CPU {this_cpu / base_cpu:.2f})")
            print(f"  {name:<34} " + ", ".join(row))


if __name__ == "__main__":
    main()
