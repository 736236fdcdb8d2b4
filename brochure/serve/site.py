"""What `brochure serve` shows, built with the pipeline into memory: the project as last
loaded, and each view (a document in a language and a layout: its HTML page and its PDF's
pages as images) built when first asked for, kept until a file of the project changes.

One lock keeps builds one at a time (ReportLab and PDFium are not made for threads); a
condition tells the open pages that a rebuild is ready."""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..errors import ContentError, Problem
from ..load.project import load_project
from ..model import Project
from ..pipeline import WRITERS, layouts_for, prepare_all, resolve
from ..review.translations import status_of
from ..write.png import PageImage, page_images

DPI = 100  # the PDF's pages as images: an A4 page is 827 x 1169 pixels
NOWHERE = Path(os.devnull)  # the jobs' output folder: serve writes no file


class Say(Protocol):
    """Prints a line on the terminal (click.echo)."""

    def __call__(self, message: str, *, err: bool = False) -> object: ...


@dataclass(frozen=True)
class View:
    """One page of the preview: a document in a language and a layout."""

    doc: str
    lang: str
    layout: str

    def __str__(self) -> str:
        return f"{self.doc} ({self.lang}, {self.layout})"


@dataclass(frozen=True)
class Entry:
    """A document in a language, as the index lists it."""

    doc: str
    lang: str
    language: str  # the language's own name for itself
    title: str
    status: str  # draft | reviewed | approved ('' when missing)
    translation: str  # source | checked | draft | stale | missing | untracked
    layouts: tuple[str, ...]  # those it can be built with, its own first (none when missing)


@dataclass(frozen=True)
class Built:
    """A view built: its HTML page and its PDF's pages, or the problems that stopped them,
    one line each as the command line prints them."""

    page: str
    images: tuple[PageImage, ...]
    problems: tuple[str, ...]


def entries(project: Project) -> list[Entry]:
    """Every document in every language of the project, in the order `list` shows them."""
    found = []
    for name in project.document_names:
        for lang in project.languages:
            doc = project.documents.get((name, lang))
            strings = project.strings.get(lang)
            found.append(
                Entry(
                    name,
                    lang,
                    strings.language_name if strings else lang,
                    doc.meta.title.source if doc else "",
                    doc.meta.status if doc else "",
                    status_of(project, name, lang).state,
                    tuple(layouts_for(project, doc)) if doc else (),
                )
            )
    return found


def build_view(project: Project, view: View) -> Built:
    """Prepare the view's document as `build` does, then make its page and its PDF's page
    images; a problem in one (an overflow) still shows the other."""
    try:
        jobs = resolve(project, [view.doc], [view.lang], NOWHERE, layout=view.layout)
        prepared = prepare_all(project, jobs, None)
    except ContentError as exc:
        return Built("", (), lines(exc.problems))
    page = ""
    images: tuple[PageImage, ...] = ()
    problems: list[Problem] = []
    for job, doc in zip(jobs, prepared, strict=True):
        try:
            data, _ = WRITERS[job.format](job, doc, False)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        if job.format == "pdf":
            images = tuple(page_images(data, DPI))
        else:
            page = data.decode("utf-8")
    return Built(page, images, lines(problems))


def lines(problems: list[Problem]) -> tuple[str, ...]:
    """Problems as the command line prints them, each once."""
    return tuple(dict.fromkeys(str(problem) for problem in problems))


class Site:
    """The project as last loaded and the views built since, shared by the server's threads."""

    def __init__(self, root: Path, say: Say, debug: bool = False) -> None:
        self.root = root
        self.say = say
        self.debug = debug
        self.project: Project | None = None
        self.problems: tuple[str, ...] = ()  # what loading the project found
        self.entries: list[Entry] = []  # the index's rows; none while the project does not load
        self.generation = 0  # the rebuild the open pages are told of
        self.closed = False
        self._built: dict[View, Built] = {}
        self._open: Counter[View] = Counter()
        self._lock = threading.RLock()
        self._published = threading.Condition()

    @property
    def title(self) -> str:
        """The clinic's name (the project's folder while it does not load)."""
        return (self.project.clinic.name if self.project else "") or self.root.resolve().name

    def load(self) -> None:
        """Load the project afresh, forget every view built, and print what is wrong."""
        with self._lock:
            self._built = {}
            try:
                project, problems = load_project(self.root)
                self.project, self.problems = project, lines(problems)
                self.entries = entries(project) if not problems else []
            except Exception as exc:
                self.project, self.problems, self.entries = None, (self.failure(exc),), []
        for line in self.problems:
            self.say(line, err=True)

    def find(self, doc: str, lang: str, layout: str) -> View | None:
        """The view of these names, if the project has it (any view while it does not load:
        its page shows why)."""
        with self._lock:
            if self.problems or any(e.doc == doc and e.lang == lang and layout in e.layouts for e in self.entries):
                return View(doc, lang, layout)
            return None

    def built(self, view: View) -> Built:
        """The view built now or since the last change; its problems are printed when it is built."""
        with self._lock:
            if self.problems or self.project is None:
                return Built("", (), self.problems)
            if view not in self._built:
                try:
                    self._built[view] = build_view(self.project, view)
                except Exception as exc:
                    self._built[view] = Built("", (), (f"{view}: {self.failure(exc)}",))
                for line in self._built[view].problems:
                    self.say(line, err=True)
            return self._built[view]

    def failure(self, exc: Exception) -> str:
        """A failure that is not the content's, as one line (and its traceback with --debug)."""
        if self.debug:
            traceback.print_exc()
        return f"{type(exc).__name__}: {exc} (a bug in brochure: please report it)"

    def update(self, changed: set[Path]) -> None:
        """After a save: reload, rebuild the views that pages have open, then tell the pages."""
        start = time.perf_counter()
        shown = [path for path in changed if path.exists()] or changed  # not an editor's passing temporary file
        names = sorted(str(path.relative_to(self.root.resolve())) for path in shown)
        more = f" and {len(names) - 3} more" if len(names) > 3 else ""
        self.say(f"changed {', '.join(names[:3])}{more}", err=True)
        self.load()
        with self._lock:
            for view in list(self._open):
                self.built(view)
        self.publish()
        self.say(f"rebuilt in {time.perf_counter() - start:.1f} s", err=True)

    def publish(self) -> None:
        """Tell every open page that a rebuild is ready."""
        with self._published:
            self.generation += 1
            self._published.notify_all()

    def wait(self, seen: int, timeout: float) -> int | None:
        """The generation once it is not `seen` (or after `timeout`); None once closed."""
        with self._published:
            self._published.wait_for(lambda: self.closed or self.generation != seen, timeout)
            return None if self.closed else self.generation

    def close(self) -> None:
        """End every page's wait (the server is stopping)."""
        with self._published:
            self.closed = True
            self._published.notify_all()

    @contextmanager
    def opened(self, view: View) -> Iterator[None]:
        """While a page of `view` listens for rebuilds: a save rebuilds it before telling it."""
        with self._lock:
            self._open[view] += 1
        try:
            yield
        finally:
            with self._lock:
                self._open[view] -= 1
                if not self._open[view]:
                    del self._open[view]
