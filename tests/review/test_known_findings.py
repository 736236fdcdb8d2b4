"""The page linter on every sample document in every language and layout (A4 and
Letter) and on the personalised copies of the sample appointments, against the
checked-in list of findings not fixed yet (known_findings.py): a new finding fails,
and so does a listed one that is gone (update the list: it only shrinks)."""

from __future__ import annotations

from collections import Counter

import pytest
from known_findings import REPO, cases, findings, known

from brochure.model import Project
from brochure.pipeline import open_project

SAMPLE: Project = open_project(REPO)  # loaded once per test process: the cases are named from it
UPDATE = "python -m tests.review.known_findings --update"


@pytest.mark.parametrize("case", cases(SAMPLE))
def test_findings_are_the_known_ones(case: str) -> None:
    found = Counter(findings(SAMPLE, case))
    listed = known().get(case, Counter())
    new = sorted((found - listed).elements())
    gone = sorted((listed - found).elements())
    assert not new, f"new findings in {case} (fix them):\n" + "\n".join(new)
    assert not gone, f"fixed in {case}, still listed (run {UPDATE}):\n" + "\n".join(gone)


def test_every_listed_case_still_exists() -> None:
    assert sorted(set(known()) - set(cases(SAMPLE))) == []
