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

from babel.dates import format_date, format_time
from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError, UndefinedError, pass_context
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from ..errors import Problem
from ..model import PAGE_MARK, PAGES_MARK, Strings, Text
from .compose import isolate

MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&])")
TEMPLATE_NAME = "<template>"
CLINIC = Path("content") / "clinic.yaml"
NOT_IN_PROFILE = "the clinic profile has no"
# A value to suggest for each brand colour the built-in layouts use: the init template's.
EXAMPLE_COLOURS = {"primary": "#1f5f74", "accent": "#e6f0f3", "help": "#fbe9e7", "help_border": "#b3261e"}
TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
T = TypeVar("T")


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


def escape_markdown(value: Any) -> str:
    """Backslash-escape every character Markdown could read as markup."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", str(value))


@pass_context
def date_filter(context: Context, value: dt.date) -> str:
    """`{{ doc.published | date }}`: a date in the language of the text being filled."""
    return format_date(value, format=context["_date_format"], locale=context["_locale"])


def make_environment(finalize: Callable[[Any], Any] | None) -> SandboxedEnvironment:
    """A sandboxed, strict Jinja2 environment."""
    env = SandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        finalize=finalize,
    )
    env.filters["date"] = date_filter
    return env


MARKDOWN_ENV = make_environment(escape_markdown)
PLAIN_ENV = make_environment(None)


@lru_cache(maxsize=4096)
def compiled(markdown: bool, source: str) -> Template:
    """A template compiled once per process (compiling costs far more than rendering)."""
    return (MARKDOWN_ENV if markdown else PLAIN_ENV).from_string(source)


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


def describe(exc: TemplateError, source_line: str) -> tuple[str, str]:
    """A message and a hint for a template error."""
    if isinstance(exc, SlotError):
        return str(exc), "a footer is the same on every page but for the numbers"

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


class Filler:
    """Fills the strings of one document in one language."""

    def __init__(self, strings: Strings, context: dict[str, Any], problems: list[Problem]) -> None:
        self.strings = strings
        self.problems = problems
        self.locale = strings.locale.replace("-", "_")
        # A language may give its own date pattern (CLDR), e.g. Vietnamese "'ngày' d 'tháng' M 'năm' y".
        self.date_format = strings.values["date_format"].source if "date_format" in strings.values else "long"
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
        """The i18n string `key`, with its own placeholders filled from `values`."""
        try:
            text = self.strings.get(key)
        except KeyError:
            raise UndefinedError(f"'{key}' is undefined") from None
        return self.render(False, text, dict(values, _locale=self.locale, _date_format=self.date_format))

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
            return compiled(markdown, text.source).render(context)
        except TemplateError as exc:
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
