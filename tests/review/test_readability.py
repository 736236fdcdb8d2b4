"""Reading grades, kept in the project's cache: computed once per text, the same figure
read back, a changed text graded again, a broken cache file ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from brochure.review import readability
from brochure.review.readability import GRADES_FILE, Grades

HARD = (
    "Notwithstanding considerable physiological variability, intrauterine instrumentation "
    "occasionally precipitates vasovagal syncope."
)
EASY = "You may feel faint. Lie down. Tell the nurse."


def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    graded: list[str] = []
    real = readability.grade
    monkeypatch.setattr(readability, "grade", lambda text: (graded.append(text), real(text))[1])
    return graded


def test_a_grade_is_computed_once_and_read_back_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    graded = counted(monkeypatch)
    first = Grades(tmp_path)
    figures = first(HARD), first(EASY)
    first.keep()
    again = Grades(tmp_path)
    assert (again(HARD), again(EASY)) == figures == (readability.grade(HARD), readability.grade(EASY))
    assert figures[0] > 8 > figures[1]
    assert graded.count(HARD) == 2 and graded.count(EASY) == 2, "once to keep, once by the test itself"
    again(EASY + " Rest.")
    assert graded[-1] == EASY + " Rest.", "a changed text is graded again"


def test_a_broken_or_foreign_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / GRADES_FILE).parent.mkdir(parents=True)
    for content in ("{not json", '{"format": "another formula", "x": 1.0}', "[1, 2]"):
        (tmp_path / GRADES_FILE).write_text(content, encoding="utf-8")
        assert Grades(tmp_path)(EASY) == readability.grade(EASY)


def test_an_unwritable_cache_costs_time_not_a_grade(tmp_path: Path) -> None:
    (tmp_path / ".brochure").write_text("a file in the way", encoding="utf-8")
    grades = Grades(tmp_path)
    assert grades(HARD) == readability.grade(HARD)
    grades.keep()  # nothing raised
