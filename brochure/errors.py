"""The exceptions brochure raises, each with the location of the problem.

Click prints a ClickException's message and exits with its exit code, so the
command line needs no error handling of its own: 1 for content and build
errors, 2 for usage errors.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable
from dataclasses import dataclass, replace
from difflib import get_close_matches
from pathlib import Path

import click

from .defaults import shown


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, where it is and how to fix it."""

    path: Path | str
    line: int | None
    message: str
    hint: str = ""
    root: bool = False  # the file could not be read at all: its other problems follow from this one
    caused_by: Path | None = None  # the file (or the end of its path) whose problem this one follows from
    consequences: int = 0  # how many problems were cut because they follow from this one

    def __str__(self) -> str:
        path = shown(self.path)
        where = f"{path}:{self.line}" if self.line else path
        hint = f" ({self.hint})" if self.hint else ""
        more = f"; {self.consequences} more problem{'s' if self.consequences > 1 else ''} caused by this one" * bool(
            self.consequences
        )
        return f"{where}: {self.message}{hint}{more}"


def cut_cascades(problems: Iterable[Problem]) -> list[Problem]:
    """Problems without repeats, and with what follows from a file that could not be read
    (its own other problems, and those `caused_by` it) counted under that file's problem."""
    unique = list(dict.fromkeys(problems))
    roots = [p for p in unique if p.root]
    cut: dict[Problem, int] = {}
    kept = []
    for problem in unique:
        source = (problem.caused_by or Path(problem.path)).as_posix()
        cause = next((r for r in roots if Path(r.path).as_posix().endswith(source)), None)
        if cause is not None and problem is not cause:
            cut[cause] = cut.get(cause, 0) + 1
        else:
            kept.append(problem)
    return [replace(p, consequences=cut[p]) if p in cut else p for p in kept]


class ContentError(click.ClickException):
    """One or more problems in content or layouts: exit code 1, one line each."""

    exit_code = 1

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = cut_cascades([problems] if isinstance(problems, Problem) else problems)
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
    """The command line asked for something that does not exist: exit code 2, one line
    (Click's own usage errors, from parsing options, also show the usage)."""

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        click.echo(f"Error: {self.format_message()}", err=True)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return a hint naming the closest choice, or listing the choices."""
    names = sorted(choices)
    close = get_close_matches(word, names, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    return "expected one of: " + ", ".join(names)


def in_the_way(path: Path) -> Path | None:
    """The nearest of `path`'s parents that exists and is not a folder."""
    for parent in reversed(path.parents):
        if parent.exists() and not parent.is_dir():
            return parent
    return None


def file_problem(path: Path, exc: OSError) -> Problem:
    """What went wrong writing or reading `path`, and the fix, for an OSError."""
    code = exc.errno
    if code in (errno.EACCES, errno.EPERM):
        folder = next((p for p in path.parents if p.exists()), path.parent)  # the folder that refused
        return Problem(path, None, "permission denied", f"make {folder} writable, or choose another folder")
    if code in (errno.EEXIST, errno.ENOTDIR) and (blocker := in_the_way(path)) is not None:
        return Problem(path, None, f"{blocker} is a file where a folder should be", "move or delete that file")
    if code == errno.EISDIR or path.is_dir():
        return Problem(path, None, "a folder is in the way of this file", "move or delete the folder")
    if code in (errno.ENOSPC, errno.EDQUOT):
        return Problem(path, None, "the disk is full", "free some space and run again")
    if code == errno.EROFS:
        return Problem(path, None, "the file system is read-only", "choose a folder you can write to")
    return Problem(path, None, exc.strerror or str(exc), "check the folder exists and you can write to it")


class FileError(BuildError):
    """A file could not be written or read: exit code 1, one line naming it and the fix."""

    def __init__(self, path: Path, exc: OSError) -> None:
        super().__init__(str(file_problem(path, exc)))
