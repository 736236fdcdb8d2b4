"""Placeholders: sandboxed, strict, and escaped on their way to the page."""

from __future__ import annotations

from pathlib import Path

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
