"""What the page linter finds on the sample project today: every document in every
language and layout, on A4 and Letter, and the personalised copies of the sample
appointments, each through the real pipeline.

The findings not fixed yet are listed in known-findings.txt, a ratchet: the test
fails on a finding that is not listed and on a listed one that no longer occurs, so
the list only shrinks. After fixing some, rewrite it on purpose:

    python -m tests.review.known_findings --update
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from pathlib import Path

from brochure.mail.appointments import Appointment, load_appointments
from brochure.mail.leaflets import personal_placement
from brochure.model import Project
from brochure.pipeline import layouts_for, open_project
from brochure.prepare.prepare import prepare
from brochure.review.typesetting import Finding, lint
from brochure.write.pdf import place

REPO = Path(__file__).resolve().parents[2]
KNOWN = Path(__file__).with_name("known-findings.txt")
APPOINTMENTS = REPO / "examples" / "appointments.csv"
PAPERS = ("a4", "letter")
BEFORE_THE_APPOINTMENTS = dt.date(2026, 1, 1)  # so that none of the sample's is in the past


def cases(project: Project) -> list[str]:
    """Every case the ratchet covers, by name: 'DOC LANG LAYOUT PAPER' for the documents,
    'ID DOC' for an appointment's personalised copy (in its document's own layout)."""
    found = [
        f"{name} {lang} {layout} {paper}"
        for (name, lang), doc in sorted(project.documents.items())
        for layout in layouts_for(project, doc)
        for paper in PAPERS
    ]
    return found + [f"{appointment.id} {name}" for appointment in appointments(project) for name in appointment.documents]


def appointments(project: Project) -> list[Appointment]:
    """The sample appointments that can be sent (the file's bad rows are skipped)."""
    return load_appointments(APPOINTMENTS, project, BEFORE_THE_APPOINTMENTS).appointments


def findings(project: Project, case: str) -> list[str]:
    """What the linter finds in one case, a line each."""
    words = case.split()
    if len(words) == 4:
        name, lang, layout, paper = words
        prepared = prepare(project, project.documents[(name, lang)], project.layouts[layout], paper, [])
        return [line(finding) for finding in lint(place(prepared))]
    appointment = next(a for a in appointments(project) if a.id == words[0])
    # As the mail pipeline makes a copy: the base copy, shrunk to fit if need be, and the stamp in its slot.
    return [redacted(line(finding), appointment) for finding in lint(personal_placement(project, words[1], appointment))]


def line(finding: Finding) -> str:
    return f"{finding.pages} {finding.rule}: {finding.text}"


def redacted(text: str, appointment: Appointment) -> str:
    """A finding without the patient's values, which no file of the project holds."""
    for value in (appointment.name, appointment.location, appointment.notes):
        if value:
            text = text.replace(value, "<patient value>")
    return text


def known() -> dict[str, Counter[str]]:
    """The listed findings of each case."""
    listed: dict[str, Counter[str]] = {}
    for row in KNOWN.read_text(encoding="utf-8").splitlines():
        if row.strip() and not row.startswith("#"):
            case, _, finding = row.partition(" | ")
            listed.setdefault(case, Counter())[finding] += 1
    return listed


def write_known(project: Project) -> int:
    """List every finding of every case in known-findings.txt; how many there are."""
    rows = [f"{case} | {finding}" for case in cases(project) for finding in findings(project, case)]
    head = "# The page linter's known findings on the sample project; regenerate with\n"
    head += "# python -m tests.review.known_findings --update (the list may only shrink)\n"
    KNOWN.write_text(head + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return len(rows)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--update", action="store_true", help="rewrite known-findings.txt from what the linter finds now")
    args = parser.parse_args(argv)
    project = open_project(REPO)
    if not args.update:
        for case in cases(project):
            for finding in findings(project, case):
                print(f"{case} | {finding}")
        return 0
    print(f"{write_known(project)} findings written to {KNOWN.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
