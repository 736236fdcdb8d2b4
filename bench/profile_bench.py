"""Where a personalised message's time goes: the profile of a batch, by package.

    python bench/profile_bench.py [--count 200] [--lang en]

Mails `count` generated appointments (the peers' batch: bench/peers_bench.py's project)
into an outbox with one process, once to warm the base copy's cache and once under
cProfile, and prints the share of the profiled run's own time (each function's time
without the functions it calls) spent in each package: ReportLab, pikepdf, the email
package, the rest of the standard library, brochure itself and the other libraries; the
time of a built-in function (C: zlib, hashing, str and bytes methods) goes to whoever
called it. The modules are imported and the base copy made before, by the warming run.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from peers_bench import ROOT, make_project

GROUPS = ("reportlab", "pikepdf", "uharfbuzz", "markdown_it", "jinja2", "babel", "yaml", "bidi", "PIL", "pypdfium2", "svglib")


def group_of(filename: str) -> str:
    """The package a profiled function belongs to."""
    path = filename.replace("\\", "/")
    if "/brochure/" in path and "site-packages" not in path:
        return "brochure"
    for name in GROUPS:
        if f"/{name}/" in path:
            return name
    if "/email/" in path:
        return "email package"
    if "site-packages" in path:
        return "other libraries"
    if path.startswith("<") or path == "~":
        return "builtins (C)"
    return "standard library"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from brochure.mail.batch import mail
    from brochure.mail.delivery import Outbox

    with tempfile.TemporaryDirectory() as tmp:
        project, appointments = make_project(Path(tmp) / "project", args.count)
        if args.lang != "en":
            appointments.write_text(appointments.read_text().replace(",en,HSG,", f",{args.lang},HSG,"), encoding="utf-8")
        mail(project, appointments, Outbox(Path(tmp) / "warm"), sent_log=Path(tmp) / "warm.sqlite", workers=1, allow_drafts=True)
        shutil.rmtree(Path(tmp) / "warm")
        profile = cProfile.Profile()
        start = time.perf_counter()
        profile.enable()
        report = mail(
            project, appointments, Outbox(Path(tmp) / "out"), sent_log=Path(tmp) / "log.sqlite", workers=1, allow_drafts=True
        )
        profile.disable()
        seconds = time.perf_counter() - start
        assert report.ok and len(report.sent) == args.count, report.summary()
    stats = pstats.Stats(profile)
    own: Counter[str] = Counter()
    for (filename, _, _), (_, _, tottime, _, callers) in stats.stats.items():  # type: ignore[attr-defined]
        group = group_of(filename)
        if group != "builtins (C)":
            own[group] += tottime
            continue
        for (caller, _, _), (_, _, spent, _) in callers.items():  # a C function's time, to whoever called it
            own[group_of(caller)] += spent
    total = sum(own.values())
    print(f"{args.count} personalised messages ({args.lang}, one process, warm cache): {seconds:.2f} s, profiled")
    for group, spent in own.most_common():
        print(f"  {group:<18} {100 * spent / total:5.1f} %")
    print(f"  load: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
