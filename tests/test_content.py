"""The sample content: plain language, medically safe, marked as a draft."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import textstat
from conftest import REPO

from brochure.project import load_project

SEED_ERRORS = [r"\bessure\b", r"sterili[sz]ation", r"endometriosis", r"\bnewer\b"]


def plain_words(markdown: str) -> str:
    """Markdown as plain sentences: markers and placeholders removed."""
    text = re.sub(r"\{\{.*?\}\}", "", markdown)
    text = re.sub(r"^:::.*$", "", text, flags=re.M)
    text = re.sub(r"^#+ (.+)$", r"\1.", text, flags=re.M)
    text = re.sub(r"^\s*[-*] (.+)$", r"\1.", text, flags=re.M)
    return text.replace("**", "")


@pytest.fixture(scope="module")
def sample():
    project, problems = load_project(REPO)
    assert not problems, problems
    return project


@pytest.mark.parametrize("name", ["hsg", "hysteroscopy"])
def test_leaflets_read_at_grade_8_or_below(sample, name: str) -> None:
    leaflet = sample.documents[(name, "en")]
    text = plain_words(leaflet.body.source) + " ".join(s.source for s in leaflet.summary)
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= 8, f"{name}: Flesch-Kincaid grade {grade}"


def test_comparison_reads_at_grade_8_or_below(sample) -> None:
    doc = sample.documents[("hsg-vs-hysteroscopy", "en")]
    text = plain_words(doc.intro.source + "\n".join(s.heading.source + ".\n" + s.body.source for s in doc.sections))
    assert textstat.flesch_kincaid_grade(text) <= 8


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


def test_key_clinical_facts(sample) -> None:
    hsg = sample.documents[("hsg", "en")].body.source
    hysteroscopy = sample.documents[("hysteroscopy", "en")].body.source
    assert "day 5 to day 12" in hsg
    assert "shellfish" in hsg
    assert "1 in 800" in hysteroscopy and "1 in 400" in hysteroscopy
    facts = sample.documents[("hysteroscopy", "en")].facts
    assert "open" in facts["what_it_shows"].source  # it does NOT show whether tubes are open
