"""Benchmark the mail pipeline.

    python bench/mail_bench.py [--count 1000] [--jobs 2] [--repeat 3] [--base COMMIT]
                               [--memory 1000,2000,5000] [--data-delay 0.05]

1. Time: `count` appointments -> personalised leaflets -> .eml files in an outbox, with a
   fresh sent-log each run, for this tree and for `--base` (a commit checked out into a
   temporary folder with `git archive`), runs alternating so both see the same machine
   load; prints the medians and the ratios of time and of CPU seconds (the latter hardly
   moves when other work shares the machine).
2. Memory: the same pipeline sending to a loopback SMTP server that answers DATA after
   `--data-delay` seconds (slower than rendering), for each batch size of `--memory`;
   prints the peak RSS of the main process and of the largest worker, which should stay
   flat as the batch grows.

Each run is a separate process, so one run's memory or caches never help another.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = "appointment_id,patient_name,email,language,procedure,date,time,location,notes,pdf_password\n"
PROCEDURES = ("HSG", "Hysteroscopy")
LANGS = ("en", "es", "pl", "vi", "ar", "zh-Hans", "hi")
# One run, in its own process: tree, project, appointments, outbox or host:port, sent-log, jobs.
RUNNER = """
import inspect, json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
# An editable install's finder would supply modules the tree lacks from the working copy.
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]
if (Path(sys.argv[1]) / "brochure" / "mail" / "smtp.py").is_file():
    from brochure.mail.delivery import Outbox
    from brochure.mail.smtp import Smtp
    from brochure.mail.batch import mail
elif (Path(sys.argv[1]) / "brochure" / "mail").is_dir():
    from brochure.mail.delivery import Outbox, Smtp
    from brochure.mail.batch import mail
else:  # before the staged package: brochure.delivery and brochure.mailing
    from brochure.delivery import Outbox, Smtp
    from brochure.mailing import mail
import brochure
assert Path(brochure.__file__).is_relative_to(Path(sys.argv[1]).resolve()), brochure.__file__  # the tree asked for
project, appointments, target, log, jobs = sys.argv[2:7]
if ":" in target:
    host, port = target.rsplit(":", 1)
    transport = Smtp(host, int(port), "none")
else:
    transport = Outbox(Path(target))
# The sample leaflets are drafts: trees with the release gate send them marked DRAFT.
drafts = {"allow_drafts": True} if "allow_drafts" in inspect.signature(mail).parameters else {}
start = time.perf_counter()
report = mail(project, appointments, transport, sent_log=log, workers=int(jobs), **drafts)
seconds = time.perf_counter() - start
assert report.ok and len(report.sent) > 0, report.summary()
own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "seconds": seconds,
    "cpu": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
    "sent": len(report.sent),
    "main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""


def make_tree(commit: str, folder: Path) -> Path:
    """The files of `commit` (code, content and layouts) in `folder`."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def make_project(tree: Path, folder: Path, count: int) -> tuple[Path, Path]:
    """A copy of a tree's sample project, and `count` appointments next year."""
    for name in ("content", "layouts"):
        shutil.copytree(tree / name, folder / name)
    year = dt.date.today().year + 1
    rows = [
        f"B-{i},Patient {i},patient{i}@example.org,{LANGS[i % len(LANGS)]},{PROCEDURES[i % 2]},"
        f"{year}-03-{1 + i % 28:02d},{8 + i % 9:02d}:{(i * 15) % 60:02d},Clinic room {1 + i % 4},,"
        for i in range(count)
    ]
    path = folder / "appointments.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return folder, path


def run_once(tree: Path, project: Path, appointments: Path, target: str, jobs: int, tag: str) -> dict[str, float]:
    """One full run in a fresh process, into a fresh outbox (or the server) and sent-log."""
    if ":" not in target:
        target = str(project / f"outbox-{tag}")
    log = project / f"sent-{tag}.sqlite"
    args = [sys.executable, "-c", RUNNER, str(tree), str(project), str(appointments), target, str(log), str(jobs)]
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"the run of {tree} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def load() -> str:
    """The machine's load averages, to read the timings with."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def time_against_base(args: argparse.Namespace, folder: Path) -> None:
    """Medians of this tree and the base commit, alternating runs."""
    base_tree = make_tree(args.base, folder / "base-tree")
    trees = {"this tree": ROOT, f"base {args.base}": base_tree}
    projects = {label: make_project(tree, folder / f"project-{i}", args.count) for i, (label, tree) in enumerate(trees.items())}
    times: dict[str, list[float]] = {label: [] for label in trees}
    cpu: dict[str, list[float]] = {label: [] for label in trees}
    print(f"{args.count} appointments ({','.join(LANGS)}) into an outbox, {args.jobs} processes, {args.repeat} runs each")
    print(f"  before: {load()}")
    for run in range(args.repeat):
        for label, tree in trees.items():
            project, appointments = projects[label]
            result = run_once(tree, project, appointments, "", args.jobs, str(run))
            times[label].append(result["seconds"])
            cpu[label].append(result["cpu"])
    print(f"  after:  {load()}")
    medians = {label: statistics.median(values) for label, values in times.items()}
    cpu_medians = {label: statistics.median(values) for label, values in cpu.items()}
    for label, values in times.items():
        listed = ", ".join(f"{t:.1f}" for t in values)
        print(
            f"  {label:<22} median {medians[label]:.1f} s ({args.count / medians[label]:.0f}/s), "
            f"CPU {cpu_medians[label]:.1f} s  runs: {listed}"
        )
    this, base = medians.values()
    this_cpu, base_cpu = cpu_medians.values()
    print(f"  ratio this/base: {this / base:.3f} in time, {this_cpu / base_cpu:.3f} in CPU seconds (all processes)")


class SlowServer:
    """An SMTP handler that answers DATA after a delay and keeps only a count."""

    def __init__(self, delay: float) -> None:
        self.delay, self.count = delay, 0

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201
        await asyncio.sleep(self.delay)
        self.count += 1
        return "250 OK"


def memory_by_batch_size(args: argparse.Namespace, folder: Path) -> None:
    """Peak RSS of the main process and the largest worker for each batch size."""
    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = SlowServer(args.data_delay)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    print(f"SMTP on loopback answering DATA after {args.data_delay * 1000:.0f} ms, {args.jobs} processes")
    print(f"  before: {load()}")
    try:
        for count in map(int, args.memory.split(",")):
            project, appointments = make_project(ROOT, folder / f"memory-{count}", count)
            result = run_once(ROOT, project, appointments, f"127.0.0.1:{port}", args.jobs, f"m{count}")
            print(
                f"  {count:>5} appointments: {result['seconds']:.0f} s, peak RSS main {result['main_mb']:.0f} MB, "
                f"largest worker {result['worker_mb']:.0f} MB"
            )
    finally:
        controller.stop()
    print(f"  after:  {load()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--base", default="676713b", help="the commit to compare with (default: before issues 9 and 10)")
    parser.add_argument("--memory", default="1000,2000,5000", help="batch sizes for the memory run ('' to skip it)")
    parser.add_argument("--data-delay", type=float, default=0.05)
    args = parser.parse_args()
    # Each measured process reads its modules' bytecode as an installed package does (pip
    # writes it at install): a shell that forbids bytecode files would have every run
    # compile the whole package again.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as tmp:
        if args.repeat:
            time_against_base(args, Path(tmp))
        if args.memory:
            memory_by_batch_size(args, Path(tmp))


if __name__ == "__main__":
    main()
