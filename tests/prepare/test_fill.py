"""Placeholders: sandboxed, strict, and escaped on their way to the page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import edit, page_texts

import brochure
from brochure.errors import Problem
from brochure.model import Strings, Text
from brochure.prepare.fill import Filler


def filler(problems: list[Problem], **context) -> Filler:
    strings = Strings(
        "en",
        Path("i18n/en.yaml"),
        "en_GB",
        "ltr",
        "latin",
        "English",
        {"hello": Text("Hello {{ name }}", Path("i18n/en.yaml"), 3)},
        sentence_limit=25,
    )
    return Filler(strings, context, problems)


def test_values_are_text_not_markup() -> None:
    problems: list[Problem] = []
    out = filler(problems, clinic={"name": "**A** & <b>B</b>"}).markdown(Text("{{ clinic.name }}", Path("x.md"), 1))
    assert out == r"\*\*A\*\* \& \<b\>B\</b\>"
    assert not problems


def test_undefined_is_an_error_with_its_line() -> None:
    problems: list[Problem] = []
    filler(problems, clinic={}).markdown(Text("one\ntwo {{ clinic.nope }}\n", Path("x.md"), 10))
    assert [str(p).split(" (")[0] for p in problems] == ["x.md:11: unknown placeholder {{ clinic.nope }}"]


def test_sandbox_refuses_unsafe_access() -> None:
    problems: list[Problem] = []
    out = filler(problems).markdown(Text("{{ ''.__class__.__mro__[1].__subclasses__() }}", Path("x.md"), 1))
    assert out == "" and problems


def test_strings_take_their_own_values() -> None:
    problems: list[Problem] = []
    f = filler(problems)
    assert f.markdown(Text("{{ t('hello', name='Ana') }}", Path("x.md"), 1)) == "Hello Ana"
    assert not problems


def test_markup_in_clinic_data_renders_literally(project: Path) -> None:
    edit(project / "content" / "clinic.yaml", "name: Riverside Women's Health Clinic", 'name: "Riverside <b>& *Co*"')
    pdf = brochure.build(project, docs=["hsg"])[0]
    assert "Riverside <b>& *Co*" in page_texts(pdf)[0]


def test_dates_follow_the_language_locale() -> None:
    import datetime as dt

    assert filler([]).format_date(dt.date(2027, 3, 12)) == "12 March 2027"


NOT_TEXT = [
    ("{{ clinic }}", "{{ clinic }} is a group of values, not text"),
    ("{{ clinic.address }}", "{{ clinic.address }} is a list, not text"),
    ("{{ doc.published }}", "{{ doc.published }} is a date, not text"),
    ("{{ range(3) | list }}", "{{ range(3) | list }} is a list, not text"),
    ("{{ dict(a=1) }}", "{{ dict(a=1) }} is a group of values, not text"),
    ("{{ self }}", "{{ self }} is an object, not text"),
    ("{{ none }}", "{{ none }} is nothing, not text"),
    ("{{ true }}", "{{ true }} is a yes or no, not text"),
    ("{{ lipsum() }}", "unknown placeholder {{ lipsum() }}"),
]


@pytest.mark.parametrize(("source", "message"), NOT_TEXT, ids=[s for s, _ in NOT_TEXT])
@pytest.mark.parametrize("markdown", [True, False], ids=["markdown", "plain"])
def test_only_text_values_are_printed(source: str, message: str, markdown: bool) -> None:
    problems: list[Problem] = []
    f = filler(problems, clinic={"address": ["1 Lane"], "phone": "1"}, doc={"published": dt.date(2026, 1, 1)})
    text = Text(f"Call {source} today", Path("x.md"), 4)
    out = f.markdown(text) if markdown else f.plain(text)
    assert [str(p).split(" (")[0] for p in problems] == [f"x.md:4: {message}"]
    assert "[" not in out and "{'" not in out and "object at" not in out


def test_text_numbers_and_filtered_values_are_printed() -> None:
    problems: list[Problem] = []
    f = filler(problems, clinic={"address": ["1 Lane", "Town"]}, doc={"published": dt.date(2026, 1, 2)})
    source = "{{ clinic.address | join(', ') }}; {{ clinic.address[1] }}; {{ 3 }}; {{ doc.published | date }}"
    assert f.plain(Text(source, Path("x.md"), 1)) == "1 Lane, Town; Town; 3; 2 January 2026"
    assert not problems


BOUNDLESS = [
    ("{% for i in range(99999) %}x{% endfor %}", "range() of 99999 numbers (at most 1000)"),
    ("{% for i in range(9) %}{% for j in range(9) %}x{% endfor %}{% endfor %}", "a loop inside a loop"),
    ("{{ 'a' * 100000000 }}", "a text or list of 100000000 items"),
    ("{{ [1] * 100000000 }}", "a text or list of 100000000 items"),
    ("{{ 10 ** 100000 }}", "a power of 100000"),
    ("{{ 'a' | center(1000000) }}", "a value of 1000000 characters"),
    ("{% for i in range(1000) %}{{ 'a' * 9000 }}{% endfor %}", "more than 200000 characters"),
    ('{% include "other.md" %}', "'{% include %}' cannot be used in content"),
    ('{% import "other.md" as x %}', "'{% import %}' cannot be used in content"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "'{% macro %}' cannot be used in content"),
    ("{{ 1 / 0 }}", "{{ 1 / 0 }} cannot be filled: division by zero"),
    ("{{ 'x' + 1 }}", "{{ 'x' + 1 }} cannot be filled"),
]


@pytest.mark.parametrize(("source", "message"), BOUNDLESS, ids=[s for s, _ in BOUNDLESS])
def test_a_template_cannot_run_away_or_fail_inside(source: str, message: str) -> None:
    """Each is one problem at its line, found in well under a second, never a hang, a huge
    text or an internal error."""
    problems: list[Problem] = []
    out = filler(problems).markdown(Text(f"one\n{source}\n", Path("x.md"), 7))
    assert len(problems) == 1 and str(problems[0]).startswith(("x.md:8: ", "x.md:7: ")), problems
    assert message in str(problems[0])
    assert len(out) < 1000
