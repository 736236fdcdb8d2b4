"""Reading YAML: the YAML 1.2 core schema, line numbers, and problems instead of exceptions."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from brochure.errors import Problem
from brochure.load.schema import Fields, as_written, parse_yaml

PATH = Path("content/x.yaml")


def parse(text: str) -> tuple[object, list[Problem]]:
    problems: list[Problem] = []
    return parse_yaml(PATH, text, 1, problems), problems


def test_scalars_follow_yaml_1_2_not_1_1() -> None:
    data, problems = parse("a: no\nb: yes\nc: on\nd: true\ne: ~\nf: 0o17\ng: 012\nh: 1.10\ni: '1.10'\nj: 2026-02-30\n")
    assert problems == []
    assert data == {
        "a": "no",
        "b": "yes",
        "c": "on",
        "d": True,
        "e": None,
        "f": 15,
        "g": 12,
        "h": 1.1,
        "i": "1.10",
        "j": "2026-02-30",
    }
    assert as_written(data["h"]) == "1.10"  # type: ignore[index]


def test_every_key_and_item_has_its_line() -> None:
    data, _ = parse("# a comment\ntitle: T\nlist:\n  - one\n  - two\nsub:\n  key: v\n")
    f = Fields(data, PATH, 1, [])
    assert (f.line("title"), f.line("list"), f.sub("sub").line("key")) == (2, 3, 7)
    assert data["list"].item_lines == [3, 4]  # type: ignore[index]


def test_malformed_yaml_and_a_repeated_key_are_problems_with_their_lines() -> None:
    _, problems = parse("a: [1, 2\nb: 3\n")
    assert len(problems) == 1 and problems[0].line == 2 and problems[0].message.startswith("malformed YAML") and problems[0].root
    _, problems = parse("a: 1\nb: 2\na: 3\n")
    assert [str(p) for p in problems] == ["content/x.yaml:3: key 'a' is given twice (keep one of them)"]


LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n" for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (LAUGHS, 1, "malformed YAML: more than 20000 values (aliases repeat too much)"),
        ("a: 1\nb: &b [1, *b]\n", 2, "malformed YAML: an alias refers to the value it is in"),
        ("a: 1\n? [x, y]\n: 1\n", 2, "malformed YAML: a key must be a word, not a list or mapping"),
    ],
    ids=["aliases that multiply", "an alias inside itself", "a list as a key"],
)
def test_yaml_that_cannot_be_content_is_one_problem_at_once(text: str, line: int, message: str) -> None:
    """Each is found at once (a billion laughs took 54 s), never a recursion error or a crash."""
    start = time.process_time()
    data, problems = parse(text)
    assert data is None and [(p.line, p.message) for p in problems] == [(line, message)]
    assert time.process_time() - start < 5, "it stops counting at the limit"


@pytest.mark.parametrize("value", [".nan", ".inf", "-.Inf", "true"])
def test_a_number_is_finite(value: str) -> None:
    data, problems = parse(f"size: {value}\n")
    assert not problems
    fields = Fields(data, PATH, 1, problems)
    assert fields.number("size", 12.0) == 12.0
    assert [p.message for p in problems] == [f"'size' must be a number, not {value if value != 'true' else 'True'}"]


@pytest.mark.parametrize(("text", "what"), [("- a\n- b\n", "a list"), ("just words\n", "'just words'"), ("42\n", "a number")])
def test_a_file_that_is_not_a_mapping_is_one_problem(text: str, what: str) -> None:
    data, problems = parse(text)
    fields = Fields(data, PATH, 1, problems)
    fields.check_keys(("a",), ("a",))
    assert fields.text("a") == "" and fields.sub("a").text("b") == ""
    assert [str(p) for p in problems][
        0
    ] == f"{PATH}:1: expected a mapping of keys to values, not {what} (write 'key: value' lines)"
