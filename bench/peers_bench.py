"""Benchmark a batch of personalised copies against the peers' workload.

    python bench/peers_bench.py [--count 200] [--repeat 5] [--base COMMIT]

Runs, alternately, each in a fresh process (whole process: imports, fonts, every file):
(a) plain ReportLab: `count` personalised 2-page handouts with the project's own fonts
    (Noto Sans), the same text for everyone, name, date and place differing; written to
    files;
(b) Typst, through the `typst` Python package (the `bench` extra), the same handout;
    skipped, saying so, if it is not installed;
(c) brochure: `brochure mail <file> --outbox DIR -j 1` on `count` generated English
    appointments (leaflets and .eml files written), with the base copies' disk cache
    emptied before each run (cold) and kept from the run before (warm).
(d) one document, cold: plain ReportLab writing one handout against `brochure build hsg`
    (English, A4, PDF and HTML), each a whole process (the target is 1.5 or less), with the
    files `build` keeps in its disk cache emptied before (cold) and kept from the run
    before (warm: the sources unchanged, it writes the kept files without rendering);
    and the libraries alone: a process that imports every module of the other libraries
    `build hsg` imports (found by running it once) and registers the two fonts, rendering
    nothing: the least a cold build could take with these libraries, brochure's own code
    taking no time at all.
With `--base`, (c) and (d) also run for that commit (checked out with `git archive`), on
its own sample project.
Prints each one's median wall time, the ratios to plain ReportLab and the machine's load
average before and after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "brochure" / "fonts"
HEADER = "appointment_id,patient_name,email,language,procedure,date,time,location,notes,pdf_password\n"
PLACES = ("X-ray department, Level 1", "Outpatient clinic, Level 2", "Clinic room 3", "Day surgery unit")
NAMES = ("Mary Jones", "Lucía Fernández", "Agnieszka Kowalska", "Nguyễn Thị Lan", "Aisha Rahman", "Priya Sharma")

# The handout's running text, the same for every patient: about two A4 pages at 11pt.
PARAGRAPHS = [
    "An HSG is an X-ray test. It shows whether your fallopian tubes are open and the shape of your womb. "
    "These tubes carry eggs from the ovaries to the womb. If they are blocked, it can be harder to get pregnant.",
    "Have the test after your period has stopped and before you ovulate, usually between day 5 and day 12 of "
    "your cycle. If your period is late, has not come, or has not stopped, call us before the day.",
    "Take a painkiller 30 to 60 minutes before the test: ibuprofen if you can take it, paracetamol if not. "
    "Bring a sanitary pad. You can eat and drink as usual.",
    "On the day a doctor or radiographer explains the test and asks you to sign a consent form. You lie on the "
    "X-ray table with your knees bent. A speculum is put into your vagina, as for a smear test, and a thin "
    "tube is passed through the cervix. Dye goes through the tube, and X-ray pictures show where it flows.",
    "Most people feel cramps like period pain for a few minutes. Some feel faint. The test takes about 30 "
    "minutes in all; the X-ray part takes a few minutes.",
    "Afterwards you may have some spotting and cramps for a day or two. Get help at once for a temperature "
    "of 38°C or more, heavy bleeding, or bad pain that painkillers do not help: these can be signs of infection.",
    "Infection happens in about 1 in 100 people. A reaction to the dye is rare. The radiation dose is low, about "
    "the same as a few months of natural background radiation.",
    "A report goes to the doctor who referred you. You hear the results by letter or at your next clinic visit.",
]

REPORTLAB = r"""
import sys, time
from pathlib import Path
start = time.perf_counter()
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table
fonts, out, count = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
paragraphs = sys.argv[4].split("\n")
names, places = sys.argv[5].split("|"), sys.argv[6].split("|")
pdfmetrics.registerFont(TTFont("Noto", str(fonts / "NotoSans-Regular.ttf")))
pdfmetrics.registerFont(TTFont("Noto-Bold", str(fonts / "NotoSans-Bold.ttf")))
pdfmetrics.registerFontFamily("Noto", normal="Noto", bold="Noto-Bold")
body = ParagraphStyle("body", fontName="Noto", fontSize=11, leading=15, spaceAfter=6)
title = ParagraphStyle("title", fontName="Noto-Bold", fontSize=22, leading=26, spaceAfter=8)
h2 = ParagraphStyle("h2", fontName="Noto-Bold", fontSize=14, leading=18, spaceBefore=8, spaceAfter=4)
for i in range(count):
    doc = SimpleDocTemplate(str(out / f"handout-{i}.pdf"), pagesize=A4, leftMargin=18*mm, rightMargin=18*mm,
                            topMargin=16*mm, bottomMargin=18*mm, title="Your HSG test", invariant=1)
    box = Table([[Paragraph(f"<b>For:</b> {names[i % len(names)]}", body)],
                 [Paragraph(f"<b>When:</b> {1 + i % 28} March 2027 at {8 + i % 9:02d}:30", body)],
                 [Paragraph(f"<b>Where:</b> {places[i % len(places)]}", body)]],
                style=[("BACKGROUND", (0, 0), (-1, -1), "#e8f1f3"), ("LEFTPADDING", (0, 0), (-1, -1), 8)])
    story = [Paragraph("Your HSG test", title), box, Spacer(0, 8)]
    for round_ in range(3):
        story.append(Paragraph(["What is an HSG?", "On the day", "Afterwards"][round_], h2))
        story += [Paragraph(p, body) for p in paragraphs]
    doc.build(story)
print(time.perf_counter() - start)
"""

TYPST_SOURCE = """#set page(paper: "a4", margin: (x: 18mm, top: 16mm, bottom: 18mm))
#set text(font: "Noto Sans", size: 11pt)
#set par(leading: 0.55em)
#text(22pt, weight: "bold")[Your HSG test]
#block(fill: rgb("#e8f1f3"), inset: 8pt, width: 100%)[
  *For:* #sys.inputs.name \\
  *When:* #sys.inputs.when \\
  *Where:* #sys.inputs.place
]
#for heading in ("What is an HSG?", "On the day", "Afterwards") [
  == #heading
  PARAGRAPHS
]
"""

TYPST = r"""
import sys, time
from pathlib import Path
start = time.perf_counter()
import typst
fonts, out, count, source = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
names, places = sys.argv[5].split("|"), sys.argv[6].split("|")
compiler = typst.Compiler(str(source), font_paths=[str(fonts)], ignore_system_fonts=True)
for i in range(count):
    inputs = {"name": names[i % len(names)], "when": f"{1 + i % 28} March 2027 at {8 + i % 9:02d}:30",
              "place": places[i % len(places)]}
    (out / f"handout-{i}.pdf").write_bytes(compiler.compile(sys_inputs=inputs))
print(time.perf_counter() - start)
"""


# `brochure` from a given tree, not the editable install's.
CLI = """
import sys
sys.path.insert(0, sys.argv.pop(1))
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]
from brochure.cli import main
sys.argv[0] = "brochure"
main()
"""

# The modules of other libraries a command imports (not brochure's, not those of a bare
# interpreter), written to a file.
MODULES = """
import sys
sys.path.insert(0, sys.argv.pop(1))
out = sys.argv.pop(1)
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]
before = set(sys.modules)
from brochure.cli import main
sys.argv[0] = "brochure"
try:
    main()
except SystemExit:
    pass
found = [m for m in sys.modules if m not in before and m.split(".")[0] != "brochure"]
open(out, "w", encoding="utf-8").write("\\n".join(found))
"""

# Those modules imported, in the order the command imported them, and the two fonts registered.
LIBRARIES = """
import importlib, sys
from pathlib import Path
fonts, listed = Path(sys.argv[1]), Path(sys.argv[2])
for name in listed.read_text(encoding="utf-8").split():
    try:
        importlib.import_module(name)
    except ImportError:
        pass  # a module made by its package, not importable by name
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
pdfmetrics.registerFont(TTFont("Noto", str(fonts / "NotoSans-Regular.ttf")))
pdfmetrics.registerFont(TTFont("Noto-Bold", str(fonts / "NotoSans-Bold.ttf")))
"""


def make_tree(commit: str, folder: Path) -> Path:
    """The files of `commit` in `folder`."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def timed(args: list[str], cwd: Path | None = None) -> float:
    """Wall time of one whole process."""
    start = time.perf_counter()
    result = subprocess.run(args, capture_output=True, text=True, cwd=cwd)
    seconds = time.perf_counter() - start
    if result.returncode not in (0,):
        sys.exit(f"{' '.join(args[:3])} ... failed ({result.returncode}):\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return seconds


def make_project(folder: Path, count: int, tree: Path = ROOT) -> tuple[Path, Path]:
    """A copy of a tree's sample project and `count` English HSG appointments next year."""
    for name in ("content", "layouts"):
        shutil.copytree(tree / name, folder / name)
    year = dt.date.today().year + 1
    rows = [
        f"P-{i},{NAMES[i % len(NAMES)]},patient{i}@example.org,en,HSG,{year}-03-{1 + i % 28:02d},"
        f'{8 + i % 9:02d}:30,"{PLACES[i % len(PLACES)]}",,'
        for i in range(count)
    ]
    path = folder / "appointments.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return folder, path


def has_typst() -> bool:
    try:
        import typst  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--base", default="", help="a commit whose brochure mail runs too, for a before figure")
    args = parser.parse_args()
    # Each measured process reads its modules' bytecode as an installed package does (pip
    # writes it at install): a shell that forbids bytecode files would have every run
    # compile the whole package again.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project, _ = make_project(folder / "project", args.count)
        source = folder / "handout.typ"
        source.write_text(TYPST_SOURCE.replace("PARAGRAPHS", "\n\n  ".join(PARAGRAPHS)), encoding="utf-8")
        people = ["|".join(NAMES), "|".join(PLACES)]
        runs: dict[str, list[float]] = {"plain ReportLab": [], "brochure mail (cache cold)": [], "brochure mail (cache warm)": []}
        trees = {"brochure mail (cache cold)": ROOT, "brochure mail (cache warm)": ROOT}
        projects = {ROOT: project}  # each tree mails its own sample project
        builds = {"brochure build hsg (cache cold)": ROOT, "brochure build hsg (cache warm)": ROOT}
        if args.base:  # cold and warm too (the same, before the base copies were kept)
            base_tree = make_tree(args.base, folder / "base-tree")
            projects[base_tree] = make_project(folder / "base-project", args.count, base_tree)[0]
            for mode in ("cold", "warm"):
                trees[f"brochure mail {args.base} (cache {mode})"] = base_tree
                builds[f"brochure build hsg {args.base} (cache {mode})"] = base_tree
        runs.update({label: [] for label in trees})
        runs["plain ReportLab, one"] = []
        runs.update({label: [] for label in builds})
        typst_ok = has_typst()
        if typst_ok:
            runs["Typst"] = []
        else:
            print("Typst: skipped, the typst package is not installed (pip install -e '.[bench]')")
        print(f"batch of {args.count} personalised copies, {args.repeat} runs each, alternating, whole processes")
        print(f"  before: {load()}")
        for run in range(args.repeat):
            out = folder / f"rl-{run}"
            out.mkdir()
            runs["plain ReportLab"].append(
                timed([sys.executable, "-c", REPORTLAB, str(FONTS), str(out), str(args.count), "\n".join(PARAGRAPHS), *people])
            )
            if typst_ok:
                out = folder / f"typst-{run}"
                out.mkdir()
                runs["Typst"].append(
                    timed([sys.executable, "-c", TYPST, str(FONTS), str(out), str(args.count), str(source), *people])
                )
            for i, (label, tree) in enumerate(trees.items()):
                project = projects[tree]
                if label.endswith("warm)"):
                    for log in ("sent-log.sqlite", "sent-log.sqlite-wal", "sent-log.sqlite-shm"):
                        (project / ".brochure" / log).unlink(missing_ok=True)
                else:
                    shutil.rmtree(project / ".brochure", ignore_errors=True)
                outbox = folder / f"outbox-{run}-{i}"
                command = [sys.executable, "-c", CLI, str(tree), "-C", str(project), "mail", str(project / "appointments.csv")]
                command += ["--outbox", str(outbox), "-j", "1", "--allow-drafts"]
                runs[label].append(timed(command))
                assert len(list(outbox.glob("*.eml"))) == args.count, "every appointment's message written"
        print("one document, cold, whole processes")
        listed = folder / "libraries.txt"
        shutil.rmtree(project / ".brochure" / "cache" / "build", ignore_errors=True)
        timed([sys.executable, "-c", MODULES, str(ROOT), str(listed), "-C", str(project), "build", "hsg"])
        runs["libraries alone"] = []
        for run in range(args.repeat):
            runs["libraries alone"].append(timed([sys.executable, "-c", LIBRARIES, str(FONTS), str(listed)]))
            out = folder / f"rl-one-{run}"
            out.mkdir()
            runs["plain ReportLab, one"].append(
                timed([sys.executable, "-c", REPORTLAB, str(FONTS), str(out), "1", "\n".join(PARAGRAPHS), *people])
            )
            for label, tree in builds.items():
                if label.endswith("cold)"):  # the files `build` keeps: emptied, then kept for the warm run
                    shutil.rmtree(projects[tree] / ".brochure" / "cache" / "build", ignore_errors=True)
                runs[label].append(timed([sys.executable, "-c", CLI, str(tree), "-C", str(projects[tree]), "build", "hsg"]))
        print(f"  after:  {load()}")
        medians = {label: statistics.median(values) for label, values in runs.items() if values}
        for label, values in runs.items():
            if values:
                listed = ", ".join(f"{t:.2f}" for t in values)
                print(f"  {label:<28} median {medians[label]:.2f} s  runs: {listed}")
        plain = medians["plain ReportLab"]
        for label in trees:
            print(f"  ratio {label} / plain ReportLab: {medians[label] / plain:.2f} (target <= 0.6)")
        one = medians["plain ReportLab, one"]
        for label in builds:
            print(f"  ratio {label} / plain ReportLab, one: {medians[label] / one:.2f} (target <= 1.5)")
        floor = medians["libraries alone"] / one
        print(f"  ratio libraries alone / plain ReportLab, one: {floor:.2f} (the least a cold build can be)")
        if "Typst" in medians:
            print(f"  ratio Typst / plain ReportLab: {medians['Typst'] / plain:.2f}")


if __name__ == "__main__":
    main()
