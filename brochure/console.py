"""What the command line prints: results on standard output, notes and warnings on
standard error, a progress bar on a terminal, all as loud as --quiet/--verbose say."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import click

QUIET, NORMAL, VERBOSE = 0, 1, 2
BAR_WIDTH = 30


def on_terminal() -> bool:
    """Standard error is a terminal (where a progress bar can be redrawn)."""
    return sys.stderr.isatty()


@dataclass
class Console:
    """Prints at a verbosity level; keeps a progress bar drawn below the lines it prints."""

    level: int = NORMAL
    bar: str = field(default="", init=False)  # the progress line drawn on the terminal now

    def info(self, message: str) -> None:
        """A result (a file written, a summary): standard output, unless --quiet."""
        if self.level >= NORMAL:
            self.echo(message, err=False)

    def detail(self, message: str) -> None:
        """Something only --verbose shows."""
        if self.level >= VERBOSE:
            self.echo(message, err=True)

    def note(self, message: object) -> None:
        """'note: ...' on standard error, unless --quiet."""
        if self.level >= NORMAL:
            self.echo(f"note: {message}", err=True)

    def warning(self, message: object) -> None:
        """'warning: ...' on standard error, always."""
        self.echo(f"warning: {message}", err=True)

    def echo(self, message: str, err: bool) -> None:
        """Print a line above the progress bar, if one is drawn."""
        if self.bar:
            click.echo("\r\x1b[K", nl=False, err=True)
        click.echo(message, err=err)
        if self.bar:
            click.echo(self.bar, nl=False, err=True)

    @contextmanager
    def progress(self, label: str) -> Iterator[Callable[[int, int], None]]:
        """A function to call with the work done so far and the whole; it draws a bar
        only when standard error is a terminal and not --quiet."""
        shown = self.level >= NORMAL and on_terminal()

        def update(done: int, total: int) -> None:
            if shown and total > 1:
                filled = BAR_WIDTH * done // total
                self.bar = f"{label} [{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done}/{total}"
                click.echo("\r\x1b[K" + self.bar, nl=False, err=True)

        try:
            yield update
        finally:
            if self.bar:
                click.echo("\r\x1b[K", nl=False, err=True)
            self.bar = ""
