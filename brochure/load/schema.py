"""Read YAML with line numbers and check it against declared fields.

Every check appends a Problem instead of raising, so that one pass over the
content reports everything that is wrong at once.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem, did_you_mean

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# YAML 1.2 core schema for plain scalars (PyYAML resolves YAML 1.1, where 'no' is false):
# dates are not among them, so that an impossible one (2026-02-30) stays text and
# `Fields.date` reports it with its file and line.
NULL = re.compile(r"^(~|null|Null|NULL|)$")
BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
INT = re.compile(r"^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$")
FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$")
MAX_VALUES = 20_000  # the most values a content file may hold (the largest sample holds about 300)
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser where PyYAML has it


class Mapping(dict[Any, Any]):
    """A YAML mapping, with the line (from 0) of the mapping and of each key."""

    line: int = 0
    key_lines: dict[Any, int]


class Sequence(list[Any]):
    """A YAML sequence, with the line (from 0) of the sequence and of each item."""

    line: int = 0
    item_lines: list[int]


class Number(float):
    """A number that remembers how it was written (`version: 1.10` is not 1.1)."""

    written: str


def scalar(node: yaml.ScalarNode) -> Any:
    """A scalar by the YAML 1.2 core schema; a quoted one is always text."""
    text = node.value
    if node.style:  # quoted, or a block scalar (| or >)
        return text
    if NULL.match(text):
        return None
    if text in BOOL:
        return BOOL[text]
    if INT.match(text):
        return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
    if FLOAT.match(text):
        number = Number(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
        number.written = text
        return number
    return text


class Unreadable(ValueError):
    """YAML that parses but cannot be content: a key that is not text, an alias inside
    itself, or aliases that multiply into more values than any content file holds."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class Builder:
    """Plain data from a YAML node tree, with line numbers; repeated keys are listed."""

    def __init__(self) -> None:
        self.duplicates: list[tuple[str, int]] = []
        self.count = 0
        self.open: set[int] = set()  # the collections being built: an alias to one is a loop

    def construct(self, node: yaml.Node) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise Unreadable(f"more than {MAX_VALUES} values (aliases repeat too much)", node.start_mark.line)
        if not isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            return scalar(node)
        if id(node) in self.open:
            raise Unreadable("an alias refers to the value it is in", node.start_mark.line)
        self.open.add(id(node))
        try:
            return self.mapping(node) if isinstance(node, yaml.MappingNode) else self.sequence(node)
        finally:
            self.open.discard(id(node))

    def mapping(self, node: yaml.MappingNode) -> Mapping:
        mapping = Mapping()
        mapping.line, mapping.key_lines = node.start_mark.line, {}
        for key_node, value_node in node.value:
            key = self.construct(key_node)
            if isinstance(key, (list, dict)):
                raise Unreadable("a key must be a word, not a list or mapping", key_node.start_mark.line)
            if key in mapping:
                self.duplicates.append((str(key), key_node.start_mark.line))
            mapping[key] = self.construct(value_node)
            mapping.key_lines[key] = key_node.start_mark.line
        return mapping

    def sequence(self, node: yaml.SequenceNode) -> Sequence:
        sequence = Sequence(self.construct(item) for item in node.value)
        sequence.line, sequence.item_lines = node.start_mark.line, [item.start_mark.line for item in node.value]
        return sequence


def as_written(value: str | int | float) -> str:
    """A scalar as it was written in the file: a number YAML read keeps its digits."""
    return value.written if isinstance(value, Number) else str(value)


def parse_yaml(path: Path, text: str, first_line: int, problems: list[Problem]) -> Any:
    """Parse YAML text that starts at `first_line` of `path`; None if it is malformed."""
    try:
        node = yaml.compose(text, Loader=LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        what = (exc.problem or exc.context or "invalid YAML").strip()
        problems.append(Problem(path, line, f"malformed YAML: {what}", "check indentation and quoting", root=True))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(path, first_line, f"malformed YAML: {exc}", root=True))
        return None
    if node is None:
        return None
    builder = Builder()
    try:
        data = builder.construct(node)
    except Unreadable as exc:
        problems.append(Problem(path, first_line + exc.line, f"malformed YAML: {exc}", root=True))
        return None
    for key, line in builder.duplicates:
        problems.append(Problem(path, first_line + line, f"key '{key}' is given twice", "keep one of them"))
    return data


def is_empty(value: Any) -> bool:
    """Whether a value says nothing: null, blank text, or an empty list or mapping."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, (list, dict)) and not value)


def kind_of(value: Any) -> str:
    """What a YAML value is, in words."""
    if isinstance(value, list):
        return "a list"
    return "a number" if isinstance(value, (int, float)) and not isinstance(value, bool) else f"'{value}'"


class Fields:
    """A YAML mapping being checked: typed getters that record problems."""

    def __init__(
        self,
        data: Any,
        path: Path,
        first_line: int,
        problems: list[Problem],
        prefix: str = "",
    ) -> None:
        self.path = path
        self.first_line = first_line
        self.problems = problems
        self.prefix = prefix
        self.data: dict[Any, Any] = {}
        if data is not None and not isinstance(data, dict):
            self.problem(None, f"expected a mapping of keys to values, not {kind_of(data)}", "write 'key: value' lines")
        elif data is not None:
            self.data = data

    def line(self, key: str | None = None) -> int:
        """The line of `key` (or of the mapping itself) in the file, 1-based."""
        if not isinstance(self.data, Mapping):
            return self.first_line
        if key is not None and key in self.data.key_lines:
            return self.first_line + self.data.key_lines[key]
        return self.first_line + self.data.line

    def name(self, key: str) -> str:
        """The key's dotted name, for messages."""
        return f"{self.prefix}{key}"

    def problem(self, key: str | None, message: str, hint: str = "") -> None:
        """Record a problem at `key`."""
        self.problems.append(Problem(self.path, self.line(key), message, hint))

    def check_keys(self, allowed: Iterable[str], required: Iterable[str] = ()) -> None:
        """Report unknown keys (with a did-you-mean) and missing required ones."""
        allowed = list(allowed)
        for key in self.data:
            if key not in allowed:
                self.problem(str(key), f"unknown key '{self.name(str(key))}'", did_you_mean(str(key), allowed))
        for key in required:
            if key not in self.data:
                self.problem(None, f"missing required key '{self.name(key)}'", f"add '{key}:'")
            elif is_empty(self.data[key]):
                how = "add at least one '- item'" if isinstance(self.data[key], list) else "fill it in"
                self.problem(key, f"'{self.name(key)}' is empty", how)

    def no_empty(self, keys: Iterable[str]) -> None:
        """Report those of `keys` that are given but say nothing."""
        for key in keys:
            if key in self.data and is_empty(self.data[key]):
                self.problem(key, f"'{self.name(key)}' is empty", "write it, or leave the key out")

    def raw(self, key: str, default: Any = None) -> Any:
        """The value as parsed, or `default`."""
        return self.data.get(key, default)

    def text(self, key: str, default: str = "") -> str:
        """A string value; numbers are accepted and turned into text as they were written
        (`version: 1.10` is "1.10", not 1.1)."""
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem(key, f"'{self.name(key)}' must be text", "write it as a quoted string")
            return default
        return as_written(value)

    def colour(self, key: str, required: bool = False) -> str | None:
        """A colour, '#rrggbb'; '' if the key is absent (and not `required`); None, with a
        problem, if it is not a colour (an unquoted #... is a YAML comment: said so)."""
        if key in self.data and self.data[key] is None:
            hint = f'quote the colour, as in {key}: "#1f5f74": YAML reads an unquoted # as a comment'
            self.problem(key, f"'{self.name(key)}' is empty", hint)
            return None
        value = self.text(key)
        if (value or required) and not COLOUR.fullmatch(value):
            message = f"'{self.name(key)}' must be a colour like \"#1f5f74\", not '{value}'"
            self.problem(key, message, "write '#' and six hex digits, quoted")
            return None
        return value

    def date(self, key: str) -> dt.date | None:
        """A date written as YYYY-MM-DD."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, str) and DATE.match(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError as exc:
                self.problem(key, f"'{self.name(key)}' is not a real date: {value.strip()} ({exc})", "check the day and month")
                return None
        self.problem(key, f"'{self.name(key)}' must be a date, not {value!r}", "write it as YYYY-MM-DD")
        return None

    def number(self, key: str, default: float = 0.0) -> float:
        """A number."""
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.problem(
                key, f"'{self.name(key)}' must be a number, not {as_written(value) if isinstance(value, float) else repr(value)}"
            )
            return default
        return float(value)

    def text_list(self, key: str) -> tuple[str, ...]:
        """A list of strings."""
        value = self.data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value):
            self.problem(key, f"'{self.name(key)}' must be a list of text items", "write one '- item' per line")
            return ()
        for i, item in enumerate(value):
            if is_empty(item):
                line = self.first_line + value.item_lines[i] if isinstance(value, Sequence) else self.line(key)
                self.problems.append(
                    Problem(self.path, line, f"item {i + 1} of '{self.name(key)}' is empty", "write it or remove it")
                )
        return tuple(as_written(v) for v in value)

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        """One of a fixed set of words."""
        value = self.text(key, default)
        if value not in choices:
            self.problem(
                key, f"'{self.name(key)}' must be one of {', '.join(choices)}, not '{value}'", did_you_mean(value, choices)
            )
            return default
        return value

    def sub(self, key: str) -> Fields:
        """The nested mapping under `key` (empty if absent)."""
        value = self.data.get(key)
        sub = Fields(None, self.path, self.first_line, self.problems, f"{self.name(key)}.")
        if value is None:
            return sub
        if not isinstance(value, dict):
            self.problem(key, f"'{self.name(key)}' must be a mapping of keys to values", "indent its keys under it")
            return sub
        sub.data = value
        return sub

    def items(self, key: str) -> list[Fields]:
        """A list of mappings under `key`."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(key, f"'{self.name(key)}' must be a list", "write one '- item' per entry")
            return []
        out = []
        for i, item in enumerate(value):
            line = self.first_line + value.item_lines[i] if isinstance(value, Sequence) else self.line(key)
            fields = Fields(item, self.path, line, self.problems, f"{self.name(key)}[{i}].")
            if isinstance(item, Mapping):
                fields.first_line = self.first_line
            out.append(fields)
        return out
