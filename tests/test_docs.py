"""The staff guide (docs/guide/) stays true to what brochure prints.

Every console block under a `<!-- run: NAME -->` line is run on a copy of the sample project,
changed as case NAME below says (a typo, a broken export, an approved leaflet ...), from the
project folder as the guide tells staff to; it must print exactly what the page shows, with
the case's exit code. Paths on the pages start at the project folder. A `...` line on a page
stands for lines left out. Images and links of the guide are checked too.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shlex
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, copy_project, edit

from brochure.cli import main

GUIDE = REPO / "docs" / "guide"
BLOCK = re.compile(r"^<!-- run: (?P<name>[\w-]+) -->\n```console\n\$ (?P<command>.+)\n(?P<output>(?:.*\n)*?)```$", re.M)
MAIL_TODAY = "2027-01-01"  # the sample appointments are in March 2027
IMAGE_LIMIT = 150 * 1024

Change = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    """What to do to the sample project before a block's command, and the exit code it gives."""

    exit_code: int
    changes: tuple[Change, ...] = ()
    outside: bool = False  # run in an empty folder, not in the project
    today: str | None = None  # for mail: the date taken as today


def replace(path: str, old: str, new: str) -> Change:
    """Replace text in a file of the project."""
    return lambda project: edit(project / path, old, new)


def write(path: str, content: str | bytes) -> Change:
    """Write a file of the project, making its folder."""

    def change(project: Path) -> None:
        target = project / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")

    return change


def make_folder(path: str) -> Change:
    """Make a folder (and its parents) in the project."""
    return lambda project: (project / path).mkdir(parents=True)


def remove(path: str) -> Change:
    """Delete a file of the project."""
    return lambda project: (project / path).unlink()


def with_bom(path: str) -> Change:
    """Save a file with a byte order mark, as some Windows editors do."""

    def change(project: Path) -> None:
        (project / path).write_bytes(b"\xef\xbb\xbf" + (project / path).read_bytes())

    return change


def export(rows: slice = slice(None), drop: str | None = None, delimiter: str = ",", encoding: str = "utf-8") -> Change:
    """Write export.csv from the sample appointments: some rows, a column dropped, another
    separator or encoding, as a scheduling system or a spreadsheet might save it."""

    def change(project: Path) -> None:
        with open(REPO / "examples" / "appointments.csv", encoding="utf-8", newline="") as f:
            table = list(csv.reader(f))
        keep = [i for i, name in enumerate(table[0]) if name != drop]
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows([[r[i] for i in keep] for r in table[rows]])
        (project / "export.csv").write_bytes(out.getvalue().encode(encoding))

    return change


def run(*args: str) -> Change:
    """Run a brochure command in the project first (its output is not checked)."""

    def change(project: Path) -> None:
        result = CliRunner().invoke(main, ["-C", str(project), *args])
        assert result.exit_code in (0, 1), result.output

    return change


HSG = "content/hsg/en.md"
APPROVE = replace(
    HSG,
    'status: draft\nversion: "2.0"\npublished: 2026-12-01\nreview_due: 2028-12-01\nreviewed_by: null\n',
    'status: approved\nversion: "2.0"\npublished: 2026-12-01\nreview_due: 2028-12-01\n'
    "reviewed_by: Dr A. Patel, consultant radiologist\nreviewed_on: 2026-11-20\n"
    "approved_by: Patient Information Group\napproved_on: 2026-11-27\n",
)
QUESTIONS = "You can ask us about the test on the phone or by email before the day. " * 48
LONGER = replace(HSG, "## Risks\n", f"## Questions\n\n{QUESTIONS}\n\n## Risks\n")

CASES: dict[str, Case] = {
    # writing.md
    "check-sample": Case(0),
    "build-hsg": Case(0),
    # reviewing-and-releasing.md
    "release-approved": Case(0, (APPROVE,)),
    "release-overdue": Case(1, (APPROVE,)),
    "release-reading-grade": Case(
        1,
        (
            APPROVE,
            replace(
                HSG,
                "You may have some **spotting** (light bleeding) and cramps for a day or two.",
                "Subsequent to the radiological examination, intermittent haemorrhagic discharge accompanied by intermittent"
                " abdominal discomfort may reasonably be anticipated, persisting characteristically for approximately"
                " twenty-four to forty-eight hours thereafter.",
            ),
        ),
    ),
    "approved-translations-stale": Case(0, (APPROVE,)),
    # translating.md
    "translate-es": Case(0, (remove("content/hsg/es.md"),)),  # as if it had none
    "translate-fr": Case(0),
    "check-new-language": Case(1, (run("translate", "hsg", "fr"),)),
    "check-stale": Case(0, (replace(HSG, "Bring a sanitary pad.", "Bring a sanitary pad or two."),)),
    "build-all-languages": Case(0),
    # printing.md
    "print-trifold": Case(0),
    "print-large-print": Case(0),
    "print-letter": Case(0),
    "print-shop": Case(0),
    "print-release": Case(0, (APPROVE,)),
    # previewing.md
    "preview-hsg": Case(0),
    "preview-arabic-trifold": Case(0),
    # mailing.md
    "mail-refused": Case(1, today=MAIL_TODAY),
    "mail-dry-run": Case(1, today=MAIL_TODAY),
    "mail-outbox": Case(1, today=MAIL_TODAY),
    "mail-again": Case(1, (run("mail", "examples/appointments.csv", "--allow-drafts", "--today", MAIL_TODAY),), today=MAIL_TODAY),
    # troubleshooting.md
    "impossible-date": Case(1, (replace(HSG, "published: 2026-12-01", "published: 2026-02-30"),)),
    "misspelt-placeholder": Case(1, (replace(HSG, "Call us on {{ clinic.phone }}. {{", "Call us on {{ clinic.phnoe }}. {{"),)),
    "misspelt-key": Case(1, (replace(HSG, "\nsummary:", "\nsumary:"),)),
    "colon-in-text": Case(1, (replace(HSG, "having an HSG, an X-ray", "having an HSG: an X-ray"),)),
    "missing-colour": Case(
        1,
        (
            replace("content/clinic.yaml", '  primary: "#1f5f74"\n', ""),
            replace("content/clinic.yaml", '  primary: "85 40 30 25"\n', ""),  # its print colour too
        ),
    ),
    "unclosed-if": Case(1, (replace(HSG, "## Risks\n", "{% if clinic.phone %}\n## Risks\n"),)),
    "byte-order-mark": Case(0, (with_bom(HSG), with_bom("content/clinic.yaml"))),
    "extends-loop": Case(
        1, (write("layouts/waiting-room.yaml", "extends: poster\n"), write("layouts/poster.yaml", "extends: waiting-room\n"))
    ),
    "empty-layout": Case(1, (write("layouts/leaflet.yaml", ""),)),
    "missing-glyph": Case(1, (replace(HSG, "  - Get help for a temperature", "  - ✓ Get help for a temperature"),)),
    "output-folder-is-a-file": Case(1, (write("output/en", "notes\n"),)),
    "folder-in-the-way": Case(1, (make_folder("output/en/hsg.pdf"),)),
    "outside-a-project": Case(2, outside=True),
    "csv-windows-1252": Case(1, (export(rows=slice(0, 4), encoding="cp1252"),)),
    "csv-semicolons": Case(1, (export(delimiter=";"),)),
    "csv-missing-column": Case(1, (export(drop="date"),)),
    "release-check-draft": Case(1),
    "release-build-draft": Case(1),
    "overflow": Case(1, (LONGER,)),
    "overflow-fit": Case(0, (LONGER,)),
    "unknown-language": Case(2),
    "unknown-document": Case(2),
}


@dataclass(frozen=True)
class Block:
    """A console block of the guide: its page, command and the lines it shows."""

    page: Path
    command: str
    lines: tuple[str, ...]


def blocks() -> dict[str, list[Block]]:
    """Every marked block of the guide, by case name."""
    found: dict[str, list[Block]] = {}
    for page in sorted(GUIDE.glob("*.md")):
        for m in BLOCK.finditer(page.read_text(encoding="utf-8")):
            found.setdefault(m["name"], []).append(Block(page, m["command"], tuple(m["output"].splitlines())))
    return found


def shows(lines: tuple[str, ...], printed: list[str]) -> bool:
    """Whether `printed` is what a block shows, a `...` line standing for any lines."""
    pattern = "".join(r"(?:.*\n)*?" if line == "..." else re.escape(line) + "\n" for line in lines)
    return re.fullmatch(pattern, "".join(line + "\n" for line in printed)) is not None


def test_every_block_has_a_case_and_every_case_a_block() -> None:
    assert sorted(blocks()) == sorted(CASES)


def test_every_message_on_the_troubleshooting_page_is_checked() -> None:
    text = (GUIDE / "troubleshooting.md").read_text(encoding="utf-8")
    assert text.count("```console") == len(BLOCK.findall(text)) > 20


@pytest.mark.parametrize("name", list(CASES))
def test_the_guide_shows_what_brochure_prints(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES[name]
    for number, block in enumerate(blocks()[name]):
        check_block(block, case, tmp_path / str(number), monkeypatch)


def check_block(block: Block, case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run a block's command on a copy of the sample project changed as `case` says, and
    compare what it prints with what the block shows."""
    project = copy_project(tmp_path / "clinic")
    shutil.copytree(REPO / "examples", project / "examples")
    for change in case.changes:
        change(project)
    here = tmp_path / "elsewhere" if case.outside else project
    here.mkdir(exist_ok=True)
    monkeypatch.chdir(here)
    program, *args = shlex.split(block.command)
    assert program == "brochure"
    result = CliRunner().invoke(main, args + (["--today", case.today] if case.today else []))
    printed = result.output.replace(str(project) + os.sep, "").splitlines()
    assert "Traceback" not in result.output
    assert shows(block.lines, printed), f"{block.page.name}: brochure now prints\n" + "\n".join(printed)
    assert result.exit_code == case.exit_code, result.output


def test_images_are_used_and_small() -> None:
    text = "".join(page.read_text(encoding="utf-8") for page in GUIDE.glob("*.md"))
    used = set(re.findall(r"\]\((images/[\w.-]+\.png)\)", text))
    present = {f"images/{path.name}" for path in (GUIDE / "images").glob("*.png")}
    assert used == present
    assert [path.name for path in (GUIDE / "images").glob("*.png") if path.stat().st_size > IMAGE_LIMIT] == []


@pytest.mark.parametrize("page", sorted(path.name for path in GUIDE.glob("*.md")))
def test_links_lead_somewhere(page: str) -> None:
    text = (GUIDE / page).read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if not re.match(r"[a-z]+:", target):
            assert (GUIDE / target).exists(), f"{page} links to {target}, which is not there"
