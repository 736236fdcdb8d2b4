"""Benchmark: 1,000 appointments -> personalised leaflets -> .eml files in an outbox.

    python bench/mail_bench.py [--count 1000] [--jobs 2] [--repeat 3] [--langs en,es,...]

Builds a copy of the sample project in a temporary folder, writes an appointments
file with the languages and procedures in turn, runs the mail pipeline into an
outbox (with a fresh sent-log each run) and prints the median time, throughput
and the ratio to a one-process run measured in the same session.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from brochure.delivery import Outbox  # noqa: E402
from brochure.mailing import mail  # noqa: E402

HEADER = "appointment_id,patient_name,email,language,procedure,date,time,location,notes,pdf_password\n"
PROCEDURES = ("HSG", "Hysteroscopy")


def make_project(folder: Path, count: int, langs: list[str]) -> Path:
    """A copy of the sample project with `count` appointments."""
    for name in ("content", "layouts"):
        shutil.copytree(ROOT / name, folder / name)
    rows = [
        f"B-{i},Patient {i},patient{i}@example.org,{langs[i % len(langs)]},{PROCEDURES[i % 2]},"
        f"2027-03-{1 + i % 28:02d},{8 + i % 9:02d}:{(i * 15) % 60:02d},Clinic room {1 + i % 4},,"
        for i in range(count)
    ]
    path = folder / "appointments.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def run_once(folder: Path, appointments: Path, jobs: int, run: int) -> float:
    """Seconds for one full run into a fresh outbox and sent-log."""
    outbox = folder / f"outbox-{jobs}-{run}"
    start = time.perf_counter()
    report = mail(folder, appointments, Outbox(outbox), sent_log=folder / f"sent-{jobs}-{run}.sqlite", workers=jobs)
    elapsed = time.perf_counter() - start
    assert report.ok and len(report.sent) == len(list(outbox.iterdir())), report.summary()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--langs", default="en,es,pl,vi,ar,zh-Hans,hi")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        appointments = make_project(folder, args.count, args.langs.split(","))
        parallel = [run_once(folder, appointments, args.jobs, r) for r in range(args.repeat)]
        serial = [run_once(folder, appointments, 1, r) for r in range(args.repeat)]
    p, s = statistics.median(parallel), statistics.median(serial)
    print(f"{args.count} appointments ({args.langs}), median of {args.repeat} runs")
    for label, median, runs in ((f"{args.jobs} processes", p, parallel), ("1 process", s, serial)):
        listed = ", ".join(f"{t:.1f}" for t in runs)
        print(f"  {label:<12} {median:.1f} s  ({args.count / median:.0f} appointments/s)  runs: {listed}")
    print(f"  speed-up {s / p:.2f}x")


if __name__ == "__main__":
    main()
