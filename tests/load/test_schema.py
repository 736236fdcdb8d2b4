"""Reading YAML: the YAML 1.2 core schema, line numbers, and problems instead of exceptions."""

from __future__ import annotations

from pathlib import Path

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
