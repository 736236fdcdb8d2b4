"""The exceptions brochure raises, each with the location of the problem.

Click prints a ClickException's message and exits with its exit code, so the
command line needs no error handling of its own: 1 for content and build
errors, 2 for usage errors.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path

import click


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, where it is and how to fix it."""

    path: Path | str
    line: int | None
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}: {self.message}{hint}"


class ContentError(click.ClickException):
    """One or more problems in content or layouts: exit code 1, one line each."""

    exit_code = 1

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def format_message(self) -> str:
        return self.message

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        """Print one line per problem, without Click's 'Error:' prefix."""
        click.echo(self.message, err=True)
        if len(self.problems) > 1:
            click.echo(f"{len(self.problems)} problems found.", err=True)


class BuildError(click.ClickException):
    """Rendering or writing failed for a reason outside the content: exit code 1."""

    exit_code = 1


class UsageError(click.UsageError):
    """The command line asked for something that does not exist: exit code 2."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return a hint naming the closest choice, or listing the choices."""
    close = get_close_matches(word, sorted(choices), n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return "expected one of: " + ", ".join(sorted(choices))
