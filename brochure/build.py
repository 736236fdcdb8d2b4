"""The build pipeline: load, check, resolve jobs, prepare, render, write.

The command line and the Python API both call `build()` and `check()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .document import Prepared, prepare
from .errors import ContentError, Problem, UsageError, did_you_mean
from .model import Document, Project
from .project import layout_name, load_project
from .render import render
from .write import write_atomic

ALL = "all"


@dataclass(frozen=True)
class Job:
    """One PDF to make: a document in a language, with its layout and output path."""

    doc: Document
    layout: str
    output: Path


def open_project(root: Path | str) -> Project:
    """Load a project, raising ContentError with every problem found."""
    project, problems = load_project(Path(root))
    if problems:
        raise ContentError(problems)
    return project


def select_languages(project: Project, langs: Iterable[str] | None) -> list[str]:
    """The languages asked for: default the clinic's, 'all' for every one."""
    asked = list(langs or [project.clinic.default_language])
    if ALL in asked:
        return list(project.languages)
    for lang in asked:
        if lang not in project.languages:
            raise UsageError(f"unknown language '{lang}' ({did_you_mean(lang, project.languages)})")
    return list(dict.fromkeys(asked))


def select_documents(project: Project, docs: Iterable[str] | None) -> list[str]:
    """The documents asked for, all of them by default."""
    asked = list(docs or project.document_names)
    for name in asked:
        if name not in project.document_names:
            raise UsageError(f"unknown document '{name}' ({did_you_mean(name, project.document_names)})")
    return list(dict.fromkeys(asked))


def resolve(project: Project, docs: Iterable[str] | None, langs: Iterable[str] | None, output: Path) -> list[Job]:
    """The jobs for documents x languages; a missing translation is an error."""
    jobs: list[Job] = []
    missing: list[Problem] = []
    for lang in select_languages(project, langs):
        for name in select_documents(project, docs):
            doc = project.documents.get((name, lang))
            if doc is None:
                kind = next(d for (n, _), d in project.documents.items() if n == name)
                path = project.root / "content" / name / f"{lang}{kind.path.suffix}"
                missing.append(Problem(path, None, f"no '{lang}' translation of '{name}'", f"create {path.relative_to(project.root)}"))
                continue
            jobs.append(Job(doc, layout_name(doc), output / lang / f"{name}.pdf"))
    if missing:
        raise ContentError(missing)
    return jobs


def prepare_all(project: Project, jobs: list[Job], paper: str | None) -> list[Prepared]:
    """Fill and compose every job, raising ContentError with every problem found."""
    problems: list[Problem] = []
    prepared = [prepare(project, job.doc, project.layouts[job.layout], paper, problems) for job in jobs]
    if problems:
        raise ContentError(list(dict.fromkeys(problems)))
    return prepared


def build(
    project: Path | str = ".",
    docs: Iterable[str] | None = None,
    langs: Iterable[str] | None = None,
    paper: str | None = None,
    output: Path | str | None = None,
    on_written: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Build PDFs into output/<lang>/<doc>.pdf and return their paths."""
    loaded = open_project(project)
    out_dir = Path(output) if output is not None else loaded.root / "output"
    jobs = resolve(loaded, docs, langs, out_dir)
    written = []
    for job, prepared in zip(jobs, prepare_all(loaded, jobs, paper)):
        write_atomic(job.output, render(prepared))
        written.append(job.output)
        if on_written:
            on_written(job.output)
    return written


def check(project: Path | str = ".") -> list[Problem]:
    """Every problem in the project: files, cross references, placeholders, Markdown."""
    loaded, problems = load_project(Path(project))
    if problems:
        return problems
    found: list[Problem] = []
    for doc in loaded.documents.values():
        prepare(loaded, doc, loaded.layouts[layout_name(doc)], None, found)
    return list(dict.fromkeys(found))
