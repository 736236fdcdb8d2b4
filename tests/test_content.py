"""The sample content: plain language, medically safe, marked as a draft."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import REPO, edit, page_texts

from brochure.load.project import load_project

SEED_ERRORS = [r"\bessure\b", r"sterili[sz]ation", r"endometriosis", r"\bnewer\b"]
# Hysteroscopy figures from theatre series that contradicted each other side by side,
# a bare dose unit, and an unqualified claim: none may come back.
WITHDRAWN = ["1 in 800", "1 in 400", "1 in 130", "Jansen", "mSv", "best way"]


@pytest.fixture(scope="module")
def sample():
    project, problems = load_project(REPO)
    assert not problems, problems
    return project


@pytest.mark.parametrize("path", sorted((REPO / "content").rglob("*.*")), ids=lambda p: p.name)
def test_no_error_from_the_seed_article(path: Path) -> None:
    if path.suffix not in (".md", ".yaml"):
        return
    text = path.read_text(encoding="utf-8").lower()
    for pattern in SEED_ERRORS:
        assert not re.search(pattern, text), f"{path}: {pattern}"


def test_samples_are_drafts_not_clinically_reviewed(sample) -> None:
    for doc in sample.documents.values():
        assert doc.meta.status == "draft"
        assert not doc.meta.reviewed_by


def english_text(doc) -> str:
    """Everything a reader sees of an English document, as written."""
    parts = [doc.meta.title.source, doc.meta.subtitle.source, *(s.source for s in doc.meta.sources)]
    if hasattr(doc, "body"):
        parts += [doc.body.source, *(s.source for s in doc.summary), *(f.source for f in doc.facts.values())]
        if doc.appointment_note is not None:
            parts.append(doc.appointment_note.source)
    else:
        parts += [doc.intro.source, *(s.heading.source + "\n" + s.body.source for s in doc.sections)]
    return "\n".join(parts)


def test_key_clinical_facts(sample) -> None:
    hsg = sample.documents[("hsg", "en")]
    hysteroscopy = sample.documents[("hysteroscopy", "en")]
    body = hsg.body.source
    assert "day 5 to day 12" in body
    assert "shellfish" in body
    assert "about 1 in 100" in body and "more likely if a tube is blocked" in body
    assert "a few months of natural background radiation" in body
    assert "HyCoSy" in body and "laparoscopy and dye" in body
    body = hysteroscopy.body.source
    assert "1 in 10 to 1 in 100" in body  # feeling faint or sick
    assert "about 1 in 1,000" in body  # infection, outpatient series
    assert "### If the doctor only looks" in body and "### If treatment is done" in body
    assert "the most accurate way to look inside the womb" in body
    assert "open" in hysteroscopy.facts["what_it_shows"].source  # it does NOT show whether tubes are open
    assert "1 in 1,000" in hysteroscopy.facts["risks"].source and "1 in 100" in hsg.facts["risks"].source


@pytest.mark.parametrize("name", ["hsg", "hysteroscopy", "hsg-vs-hysteroscopy"])
def test_no_withdrawn_figure_or_claim(sample, name: str) -> None:
    text = english_text(sample.documents[(name, "en")])
    for phrase in WITHDRAWN:
        assert phrase.lower() not in text.lower(), f"{name}: {phrase!r}"


@pytest.mark.parametrize("name", ["hsg", "hysteroscopy"])
def test_facts_are_short(sample, name: str) -> None:
    for key, fact in sample.documents[(name, "en")].facts.items():
        assert len(fact.source.split()) <= 25, f"{name}: fact {key} has {len(fact.source.split())} words"


def test_the_results_say_roughly_when_as_the_clinic_sets_it(project: Path, cli) -> None:  # noqa: ANN001
    """'Roughly when' results come is the clinic's own service time (clinic.yaml
    results_time); without one, the leaflets tell the patient to ask."""
    clinic = project / "content" / "clinic.yaml"
    assert cli("-C", project, "build", "hsg", "hysteroscopy", "--format", "pdf").exit_code == 0
    for name in ("hsg", "hysteroscopy"):
        text = " ".join(" ".join(page_texts(project / "output" / "en" / f"{name}.pdf")).split())
        assert "You will hear by letter or at a clinic visit. This is usually within 2 weeks." in text
    edit(clinic, "  pl: do 2 tygodni\n", "")
    result = cli("-C", project, "check")
    assert result.exit_code == 1 and "'results_time' has no 'pl' text, needed by" in result.output
    lines = clinic.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("results_time:\n")
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines))
    clinic.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    assert cli("-C", project, "check").exit_code == 0
    assert cli("-C", project, "build", "hsg", "--format", "pdf").exit_code == 0
    text = " ".join(" ".join(page_texts(project / "output" / "en" / "hsg.pdf")).split())
    assert "Ask us when to expect the results." in text and "usually within" not in text
