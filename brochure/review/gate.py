"""The release gate: whether a document is fit to hand to a patient.

A document passes when it is approved (with who reviewed and approved it, and
when), its review is not overdue, it is a current translation checked by a
medical translator (or the source), and it reads plainly. `brochure check
--release`, `brochure build --release` and `brochure mail` all ask here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import Problem
from ..model import Document, Project
from .readability import GRADE_LIMIT, Grades, longest_sentence, sections
from .translations import CHECKED, SOURCE, status_of

REVIEW_WARNING_DAYS = 90  # a review due this soon is a warning


@dataclass(frozen=True)
class Verdict:
    """What stops a document's release, and what will soon."""

    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]

    @property
    def passes(self) -> bool:
        return not self.problems


def verdict(project: Project, doc: Document, as_of: dt.date, keep: bool = False) -> Verdict:
    """Every reason `doc` may not go to a patient on `as_of`, and what is due soon; the
    reading grades it computes kept in the project's cache if `keep`."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    meta = doc.meta
    if meta.status != "approved":
        problems.append(
            Problem(
                doc.path,
                doc.key_lines.get("status"),
                f"status is '{meta.status}', not 'approved': not for patients",
                "once a clinician has reviewed it and it is approved, set status, reviewed_by/_on and approved_by/_on",
            )
        )
    late, soon = review_problems(doc, as_of)
    problems.extend(late)
    warnings.extend(soon)
    status = status_of(project, doc.name, doc.lang)
    if status.state not in (SOURCE, CHECKED) and status.note is not None:
        problems.append(status.note)
    problems.extend(readability_problems(project, doc, keep))
    return Verdict(tuple(problems), tuple(warnings))


def review_problems(doc: Document, as_of: dt.date) -> tuple[list[Problem], list[Problem]]:
    """A review that is overdue on `as_of`, and one due within REVIEW_WARNING_DAYS."""
    due, line = doc.meta.review_due, doc.key_lines.get("review_due")
    if due <= as_of:
        return [Problem(doc.path, line, f"its review was due on {due.isoformat()}", "review it, then set a new review_due")], []
    days = (due - as_of).days
    if days <= REVIEW_WARNING_DAYS:
        return [], [Problem(doc.path, line, f"its review is due on {due.isoformat()}, in {days} days", "plan the review")]
    return [], []


def readability_problems(project: Project, doc: Document, keep: bool = False) -> list[Problem]:
    """Sections above reading grade 8 (English) or with a sentence over the language's
    limit; grades not known yet kept in the project's cache if `keep`."""
    strings = project.strings.get(doc.lang)
    if strings is None:
        return []  # reported by the project's checks
    out = []
    grades = Grades(project.root)
    for section in sections(doc):
        if strings.locale.startswith("en"):
            figure = grades(section.text)
            if figure > GRADE_LIMIT:
                out.append(
                    Problem(
                        section.path,
                        section.line,
                        f"'{section.name}' reads at grade {figure:.1f} (Flesch-Kincaid), above {GRADE_LIMIT:g}",
                        "use shorter sentences and everyday words",
                    )
                )
            continue
        longest = longest_sentence(section.text, strings.script)
        if longest > strings.sentence_limit:
            unit = "characters" if strings.script == "han" else "words"
            out.append(
                Problem(
                    section.path,
                    section.line,
                    f"'{section.name}' has a sentence of {longest} {unit}, "
                    f"above the {strings.sentence_limit} allowed in '{doc.lang}'",
                    "split it into shorter sentences",
                )
            )
    if keep:
        grades.keep()
    return out
