"""Fill Jinja2 placeholders in content and layout strings.

Templates run in a sandbox with StrictUndefined: a name that does not exist is
an error naming the file and line, never a blank. Values put into Markdown are
escaped for Markdown, so a clinic name or a patient's name is always text,
never markup.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from babel.dates import format_date, format_time, tokenize_pattern
from jinja2 import (
    StrictUndefined,
    Template,
    TemplateError,
    TemplateRuntimeError,
    TemplateSyntaxError,
    Undefined,
    UndefinedError,
    nodes,
    pass_context,
)
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from ..errors import Problem
from ..model import PAGE_MARK, PAGES_MARK, Strings, Text
from ..scripts import writing_of
from .compose import isolate

MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&])")
TEMPLATE_NAME = "<template>"
WAYS = {"ltr": "left to right", "rtl": "right to left"}
CLINIC = Path("content") / "clinic.yaml"
NOT_IN_PROFILE = "the clinic profile has no"
# A value to suggest for each brand colour the built-in layouts use: the init template's.
EXAMPLE_COLOURS = {"primary": "#1f5f74", "accent": "#e6f0f3", "help": "#fbe9e7", "help_border": "#b3261e"}
TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
T = TypeVar("T")
# Limits that keep a template's work in proportion to a leaflet: loops are not nested and
# count at most MAX_ITEMS, a placeholder's value and what * makes stay under MAX_LENGTH, and
# one filled string stays under MAX_OUTPUT characters (a whole leaflet's body is about 10,000).
MAX_ITEMS = 1000
MAX_LENGTH = 10_000
MAX_OUTPUT = 200_000
# Tags that reuse or repeat templates: content has no use for them, and each would let a
# template do unbounded work or read other files.
NOT_IN_CONTENT = {
    nodes.Macro: "macro",
    nodes.CallBlock: "call",
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "from",
    nodes.Extends: "extends",
    nodes.Block: "block",
}


class SlotError(UndefinedError):
    """A footer tested or computed with `page` or `pages`."""


class PageSlot:
    """`page` or `pages` in a footer: it can be printed, but not tested or computed
    with, since the footer is filled once for every page."""

    def __init__(self, name: str, mark: str) -> None:
        self.name, self.mark = name, mark

    def __str__(self) -> str:
        return self.mark

    def refuse(self, *_: Any) -> Any:
        raise SlotError(f"'{self.name}' can be printed in a footer, not tested or computed with")

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = refuse  # type: ignore[assignment]
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __mod__ = __bool__ = __int__ = __len__ = refuse
    __hash__ = object.__hash__


PAGE_SLOTS = {"page": PageSlot("page", PAGE_MARK), "pages": PageSlot("pages", PAGES_MARK)}


class NotTextError(TemplateRuntimeError):
    """A placeholder whose value is not text: a list, a mapping, a date or nothing."""

    def __init__(self, kind: str, hint: str) -> None:
        super().__init__(kind)
        self.kind, self.hint = kind, hint


class TooMuchError(TemplateRuntimeError):
    """A template that makes far more than a leaflet holds."""


class UsesItselfError(TemplateRuntimeError):
    """A string that fills itself in through t(), directly or through others."""


class NotInContentError(TemplateSyntaxError):
    """A tag content may not use."""


NOT_TEXT = (
    (dt.date, "a date", "print it with '| date', e.g. {{ doc.published | date }}"),
    (list | tuple, "a list", "print one item, e.g. {{ clinic.address[0] }}, or all: {{ clinic.address | join(', ') }}"),
    (dict, "a group of values", "print one of them, e.g. {{ clinic.phone }}"),
    (bool, "a yes or no", "test it with {% if ... %} instead"),
    (type(None), "nothing", "print a value that is set; see docs/content-format.md for the names"),
    (object, "an object", "print a text value; see docs/content-format.md for the names"),
)


def text_value(value: Any) -> Any:
    """A placeholder's value, if it is text or a number (or a footer's page number): a list,
    a mapping, a date or a Python object would print as Python writes it."""
    if isinstance(value, str) and len(value) > MAX_LENGTH:
        raise TooMuchError(f"a value of {len(value)} characters (at most {MAX_LENGTH})")
    if isinstance(value, (str, int, float, PageSlot)) and not isinstance(value, bool):
        return value
    if isinstance(value, Undefined):
        return str(value)  # strict: the name's own error
    kind, hint = next((k, h) for t, k, h in NOT_TEXT if isinstance(value, t))
    raise NotTextError(kind, hint)


def escape_markdown(value: Any) -> str:
    """Backslash-escape every character Markdown could read as markup."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", str(text_value(value)))


def limited_range(*args: int) -> range:
    """`range()` of at most MAX_ITEMS numbers."""
    numbers = range(*args)
    if len(numbers) > MAX_ITEMS:
        raise TooMuchError(f"range() of {len(numbers)} numbers (at most {MAX_ITEMS})")
    return numbers


class ContentEnvironment(SandboxedEnvironment):
    """The sandbox, with * and ** kept to sizes a leaflet has use for."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise TooMuchError(f"a power of {right}")
        if operator == "*" and isinstance(right, int) and isinstance(left, (str, list, tuple)):
            left, right = right, left
        if operator == "*" and isinstance(left, int) and isinstance(right, (str, list, tuple)) and left * len(right) > MAX_LENGTH:
            raise TooMuchError(f"a text or list of {left * len(right)} items (at most {MAX_LENGTH})")
        return super().call_binop(context, operator, left, right)


@pass_context
def date_filter(context: Context, value: dt.date) -> str:
    """`{{ doc.published | date }}`: a date in the language of the text being filled."""
    return format_date(value, format=context["_date_format"], locale=context["_locale"])


def make_environment(finalize: Callable[[Any], Any]) -> SandboxedEnvironment:
    """A sandboxed, strict Jinja2 environment with content's limits; no placeholder text
    (lipsum) and no template loader."""
    env = ContentEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        finalize=finalize,
    )
    env.filters["date"] = date_filter
    env.globals = {"range": limited_range, "dict": dict, "namespace": env.globals["namespace"]}
    return env


MARKDOWN_ENV = make_environment(escape_markdown)
PLAIN_ENV = make_environment(text_value)


def check_tags(tree: nodes.Template) -> None:
    """Refuse the tags content may not use, and a loop inside a loop."""
    for node_type, tag in NOT_IN_CONTENT.items():
        for node in tree.find_all(node_type):
            raise NotInContentError(f"'{{% {tag} %}}' cannot be used in content", node.lineno)
    for loop in tree.find_all(nodes.For):
        for inner in loop.find_all(nodes.For):
            raise NotInContentError("a loop inside a loop", inner.lineno)


@lru_cache(maxsize=4096)
def compiled(markdown: bool, source: str) -> Template:
    """A template compiled once per process (compiling costs far more than rendering)."""
    env = MARKDOWN_ENV if markdown else PLAIN_ENV
    tree = env.parse(source)
    check_tags(tree)
    return env.from_string(tree)


def render_limited(template: Template, context: dict[str, Any]) -> str:
    """A template's text, refused once it grows past MAX_OUTPUT characters."""
    out, size = [], 0
    for chunk in template.generate(context):
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise TooMuchError(f"more than {MAX_OUTPUT} characters of text")
        out.append(chunk)
    return "".join(out)


def template_line(tb: TracebackType | None) -> int | None:
    """The template line an exception was raised at, from Jinja2's rewritten traceback."""
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == TEMPLATE_NAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


BLOCK_TAG = re.compile(r"\{%-?\s*(\w+)")
BLOCK_OPENERS = {"if", "for", "macro", "call", "filter", "with", "block", "raw", "autoescape"}


def unclosed_block_line(source: str) -> int | None:
    """The line (in `source`, from 1) of the last block tag left open ({% if %} without
    {% endif %}): where an author should look, rather than the end of the text."""
    open_lines: list[int] = []
    for match in BLOCK_TAG.finditer(source):
        name, line = match.group(1), source.count("\n", 0, match.start()) + 1
        if name in BLOCK_OPENERS:
            open_lines.append(line)
        elif name.startswith("end") and open_lines:
            open_lines.pop()
    return open_lines[-1] if open_lines else None


def shown_placeholder(source_line: str) -> str:
    """The placeholder of a line, if it has only one; else 'a placeholder'."""
    found = re.findall(r"\{\{.*?\}\}", source_line)
    return found[0] if len(found) == 1 else "a placeholder"


def describe(exc: Exception, source_line: str) -> tuple[str, str]:
    """A message and a hint for a template error."""
    if isinstance(exc, SlotError):
        return str(exc), "a footer is the same on every page but for the numbers"
    if isinstance(exc, NotTextError):
        return f"{shown_placeholder(source_line)} is {exc.kind}, not text", exc.hint
    if isinstance(exc, TooMuchError):
        return f"the placeholders ask for {exc}", "a leaflet's text needs far less: check the template"
    if isinstance(exc, NotInContentError):
        return str(exc.message), "content may use {{ ... }}, {% if %}, {% for %} and {% set %}"
    if isinstance(exc, UsesItselfError):
        return str(exc), "a string may use others with t(), never itself"
    if not isinstance(exc, TemplateError):
        return f"{shown_placeholder(source_line)} cannot be filled: {exc}", "check the values and filters it uses"

    if isinstance(exc, UndefinedError):
        match = re.search(r"attribute '([^']+)'|'([^']+)' is undefined", str(exc))
        name = next((g for g in match.groups() if g), "") if match else ""
        expr = re.search(r"\{\{[^}]*\b" + re.escape(name) + r"\b[^}]*\}\}", source_line) if name else None
        shown = expr.group(0) if expr else name
        colour = re.fullmatch(r"\{\{\s*clinic\.colours\.(\w+)\s*\}\}", shown)
        if colour:  # a layout's colour comes from the clinic's profile: the fix is there
            key = colour.group(1)
            example = EXAMPLE_COLOURS.get(key, EXAMPLE_COLOURS["primary"])
            return f"{NOT_IN_PROFILE} colour '{key}'", f"add '{key}: \"{example}\"' under 'colours:' in content/clinic.yaml"
        return f"unknown placeholder {shown}", "check the spelling; see docs/content-format.md for the names"
    if isinstance(exc, TemplateSyntaxError) and exc.message and "end of template, expected 'end of print" in exc.message:
        return "a placeholder '{{' is never closed", "end it with '}}', as in {{ clinic.phone }}"
    if isinstance(exc, TemplateSyntaxError) and exc.message and "end of template" in exc.message:
        tag = BLOCK_TAG.search(source_line)
        name = tag.group(1) if tag else "block"
        return f"'{{% {name} %}}' is never closed", f"add '{{% end{name} %}}' where it should end"
    return f"template syntax error: {exc.message}", "placeholders look like {{ clinic.phone }}"


def file_line(text: Text, source_line: str, message: str) -> int | None:
    """The line of the file where a placeholder problem is, found by its text.

    YAML folds or indents multi-line values, so the template's own line numbers
    do not always match the file's; the placeholder's text does."""
    found = re.findall(r"\{\{[^{}]*\}?\}?", message + " " + source_line)
    needles = sorted(found, key=lambda n: n.endswith("}}"))  # a malformed placeholder is the likelier culprit
    try:
        file_lines = text.path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for needle in needles:
        for number in range(text.line, len(file_lines) + 1):
            if needle.strip() and needle in file_lines[number - 1]:
                return number
    return None


def known_locale(strings: Strings, problems: list[Problem]) -> str:
    """The language's locale as Babel writes it (es_ES); one Babel does not know is a
    problem at the strings' `locale:`, and English stands in for it. A `direction:` or a
    `script:` that is not how the locale's language is written (English right to left, or
    in Arabic letters, would be typeset so) is a problem at its line."""
    writing = writing_of(strings.locale)
    if writing is None:
        problems.append(
            Problem(*where(strings, "locale"), f"unknown locale '{strings.locale}'", "use a locale like es-ES or zh-Hans-CN")
        )
        return "en"
    if writing.direction in WAYS and strings.direction != writing.direction:  # not Mongolian's top to bottom
        message = f"'direction' is {strings.direction}, but {writing.name} is written {WAYS[writing.direction]}"
        problems.append(Problem(*where(strings, "direction"), message, f"set 'direction: {writing.direction}'"))
    if writing.script and strings.script != writing.script:
        message = f"'script' is {strings.script}, but {writing.name} is written in {writing.script} script"
        problems.append(Problem(*where(strings, "script"), message, f"set 'script: {writing.script}'"))
    return writing.tag


DATE_FIELDS = frozenset("GyYuUrQqMLwWdDFgEec")  # CLDR's date pattern letters; the others are times or zones
DATE_STYLES = ("short", "medium", "long", "full")


def date_format(strings: Strings, problems: list[Problem]) -> str:
    """The language's date pattern (CLDR), "long" by default; one that does not give the
    day, the month and the year, only them, is a problem, and "long" stands in for it."""
    if "date_format" not in strings.values:
        return "long"
    pattern = strings.values["date_format"].source
    if pattern in DATE_STYLES or is_date_pattern(pattern):
        return pattern
    problems.append(
        Problem(
            *where(strings, "date_format"),
            f"'date_format' {pattern!r} is not a date with its day, month and year",
            "write a CLDR pattern such as 'd MMMM y', or leave it out for the language's long date",
        )
    )
    return "long"


@lru_cache(maxsize=64)
def is_date_pattern(pattern: str) -> bool:
    """Whether a CLDR pattern has a day, a month and a year and no time or zone fields."""
    fields = {token[1][0] for token in tokenize_pattern(pattern) if token[0] == "field"}
    if not (fields <= DATE_FIELDS and {"d", "y"} <= fields and fields & {"M", "L"}):
        return False
    try:  # a field Babel cannot write at that length (MMMMMM)
        format_date(dt.date(2026, 12, 1), format=pattern, locale="en")
    except ValueError:
        return False
    return True


def where(strings: Strings, key: str) -> tuple[Path, int | None]:
    """The file and line that set one of a language's strings (its first file if none does)."""
    at = strings.values.get(key)
    return (Path(at.path), at.line) if at else (strings.path, None)


class Filler:
    """Fills the strings of one document in one language."""

    def __init__(self, strings: Strings, context: dict[str, Any], problems: list[Problem]) -> None:
        self.strings = strings
        self.problems = problems
        self.translating: list[str] = []  # the keys being filled now, innermost last (t() inside a string)
        self.locale = known_locale(strings, problems)
        # A language may give its own date pattern (CLDR), e.g. Vietnamese "'ngày' d 'tháng' M 'năm' y".
        self.date_format = date_format(strings, problems)
        self.context = dict(context, t=self.translate, _locale=self.locale, _date_format=self.date_format)

    def format_date(self, value: dt.date) -> str:
        """A date in the document's language, e.g. 1 November 2026."""
        return format_date(value, format=self.date_format, locale=self.locale)

    def format_time(self, value: dt.time) -> str:
        """A time of day as a 24-hour clock in the document's language's digits (09:30):
        hospital letters use it, and it needs no words for morning or afternoon."""
        return format_time(value, format="HH:mm", locale=self.locale)

    def appointment_context(self, appointment: Any) -> dict[str, str]:
        """An appointment as template variables, dates and times in the document's language;
        the patient's own values are bidi isolates (FSI ... PDI), so that a name in another
        script, or a number in a place, cannot reorder the sentence around it."""
        return {
            "id": appointment.id,
            "name": isolate(appointment.name),
            "date": self.format_date(appointment.date),
            "time": self.format_time(appointment.time),
            "location": isolate(appointment.location),
            "notes": isolate(appointment.notes),
            "procedure": appointment.procedure,
        }

    def translate(self, key: str, **values: Any) -> str:
        """The i18n string `key`, with its own placeholders filled from `values`, and the
        clinic's and the document's (clinic.*, doc.*) where they are known."""
        try:
            text = self.strings.get(key)
        except KeyError:
            raise UndefinedError(f"'{key}' is undefined") from None
        if key in self.translating:
            raise UsesItselfError(f"'{key}' uses itself through t()")
        self.translating.append(key)
        try:
            return self.render(False, text, dict(self.context, **values))
        finally:
            self.translating.pop()

    def markdown(self, text: Text) -> str:
        """Fill a Markdown string; values are escaped for Markdown."""
        return self.render(True, text, self.context)

    def plain(self, text: Text, **extra: Any) -> str:
        """Fill a plain-text string (footer lines, colours)."""
        return self.render(False, text, dict(self.context, **extra))

    def render(self, markdown: bool, text: Text, context: dict[str, Any]) -> str:
        """Render one template, recording a located problem if it fails; the text then
        goes on without its placeholders, so that later stages can still report
        what else is wrong with it (nothing is built from it)."""
        if "{" not in text.source:
            return text.source
        try:
            return render_limited(compiled(markdown, text.source), context)
        except Exception as exc:  # noqa: BLE001 - whatever a template does wrong is the content's problem
            if isinstance(exc, TemplateSyntaxError):
                unclosed = "end of template" in (exc.message or "")
                offset = (unclosed_block_line(text.source) or exc.lineno) if unclosed else exc.lineno
            else:
                offset = template_line(exc.__traceback__) or 1
            lines = text.source.splitlines() or [""]
            source_line = lines[min(offset, len(lines)) - 1]
            message, hint = describe(exc, source_line)
            line = file_line(text, source_line, message) or text.line + offset - 1
            cause = CLINIC if message.startswith(NOT_IN_PROFILE) else None
            self.problems.append(Problem(text.path, line, message, hint, caused_by=cause))
            return TEMPLATE_CODE.sub("", text.source)

    def fill(self, value: T) -> T:
        """A copy of a model object with every Markdown Text filled."""
        if isinstance(value, Text):
            return dataclasses.replace(value, source=self.markdown(value))  # type: ignore[return-value]
        if isinstance(value, tuple):
            return tuple(self.fill(v) for v in value)  # type: ignore[return-value]
        if isinstance(value, dict):
            return {k: self.fill(v) for k, v in value.items()}  # type: ignore[return-value]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: self.fill(getattr(value, f.name)) for f in dataclasses.fields(value)}
            return dataclasses.replace(value, **changes)  # type: ignore[return-value]
        return value
