"""The build pipeline: load, check, resolve jobs, prepare, render, write.

The command line and the Python API both call `build()` and `check()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from .document import Prepared, prepare
from .errors import ContentError, Problem, UsageError, did_you_mean
from .fonts import missing_glyphs, script_chain
from .model import Document, Project
from .project import document_kind, layout_name, load_project
from .render import PageOverflow, render, render_fitted
from .translations import MISSING, STALE, UNTRACKED, Status, matrix, status_of
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


def kind_of(project: Project, name: str) -> str:
    """The kind of the document called `name` (in whichever language comes first)."""
    return document_kind(next(d for (n, _), d in project.documents.items() if n == name))


def select_documents(project: Project, docs: Iterable[str] | None, layout: str | None = None) -> list[str]:
    """The documents asked for, all of them by default (with a layout: all it suits)."""
    if layout is not None and layout not in project.layouts:
        raise UsageError(f"unknown layout '{layout}' ({did_you_mean(layout, project.layouts)})")
    suits = project.layouts[layout].document if layout else None
    asked = list(docs or (n for n in project.document_names if suits in (None, kind_of(project, n))))
    for name in asked:
        if name not in project.document_names:
            raise UsageError(f"unknown document '{name}' ({did_you_mean(name, project.document_names)})")
        if suits and kind_of(project, name) != suits:
            raise UsageError(f"layout '{layout}' is for a {suits}, and '{name}' is a {kind_of(project, name)}")
    return list(dict.fromkeys(asked))


def output_name(name: str, layout: str, default: str, print_marks: bool) -> str:
    """<doc>.pdf for the document's own layout, <doc>.<layout>.pdf for another, and
    .print before .pdf for print-shop copies, so that variants never overwrite each other."""
    parts = [name] + ([layout] if layout != default else []) + (["print"] if print_marks else [])
    return ".".join(parts) + ".pdf"


def resolve(
    project: Project,
    docs: Iterable[str] | None,
    langs: Iterable[str] | None,
    output: Path,
    skip_missing: bool = False,
    layout: str | None = None,
    print_marks: bool = False,
) -> list[Job]:
    """The jobs for documents x languages. A missing translation is an error, never
    replaced by another language, unless `skip_missing` asks to build only what exists."""
    jobs: list[Job] = []
    missing: list[Problem] = []
    names = select_documents(project, docs, layout)
    for lang in select_languages(project, langs):
        for name in names:
            doc = project.documents.get((name, lang))
            if doc is None:
                note = status_of(project, name, lang).note
                if note and not skip_missing:
                    missing.append(Problem(note.path, None, note.message, f"{note.hint}, or build with --skip-missing"))
                continue
            chosen = layout or layout_name(doc)
            jobs.append(Job(doc, chosen, output / lang / output_name(name, chosen, layout_name(doc), print_marks)))
    if missing:
        raise ContentError(missing)
    return jobs


def prepare_all(project: Project, jobs: list[Job], paper: str | None, print_marks: bool = False) -> list[Prepared]:
    """Fill and compose every job, raising ContentError with every problem found."""
    problems: list[Problem] = []
    prepared = []
    for job in jobs:
        layout = project.layouts[job.layout]
        if print_marks:
            layout = replace(layout, print_marks=True)
        prepared.append(prepare(project, job.doc, layout, paper, problems))
    if problems:
        raise ContentError(list(dict.fromkeys(problems)))
    return prepared


def render_job(job: Job, prepared: Prepared, fit: bool) -> tuple[bytes, str]:
    """A job's PDF (shrunk to fit if asked) and a note of any fitting; an overflow is a content error."""
    try:
        return render_fitted(prepared) if fit else (render(prepared), "")
    except PageOverflow as exc:
        hint = "shorten the text: it does not fit even at the smallest size" if fit else "shorten the text, or build with --fit"
        raise ContentError(Problem(job.doc.path, None, str(exc), hint)) from None


def build(
    project: Path | str = ".",
    docs: Iterable[str] | None = None,
    langs: Iterable[str] | None = None,
    paper: str | None = None,
    output: Path | str | None = None,
    on_written: Callable[[Path], None] | None = None,
    skip_missing: bool = False,
    layout: str | None = None,
    print_marks: bool = False,
    fit: bool = False,
    on_note: Callable[[str], None] | None = None,
) -> list[Path]:
    """Build PDFs into output/<lang>/<doc>[.<layout>][.print].pdf and return their paths."""
    loaded = open_project(project)
    out_dir = Path(output) if output is not None else loaded.root / "output"
    jobs = resolve(loaded, docs, langs, out_dir, skip_missing, layout, print_marks)
    written = []
    for job, prepared in zip(jobs, prepare_all(loaded, jobs, paper, print_marks), strict=True):
        pdf, note = render_job(job, prepared, fit)
        write_atomic(job.output, pdf)
        written.append(job.output)
        if note and on_note:
            on_note(note)
        if on_written:
            on_written(job.output)
    return written


@dataclass(frozen=True)
class Report:
    """What `check` found: problems that stop a build, and the translations' state."""

    problems: list[Problem]
    translations: list[Status]

    @property
    def notes(self) -> list[Problem]:
        """One line for each translation that is missing, stale or a draft."""
        return [s.note for s in self.translations if s.note is not None]

    def passes(self, strict: bool = False) -> bool:
        """No problems; with `strict`, also no missing or stale translation."""
        if self.problems:
            return False
        return not strict or not any(s.state in (MISSING, STALE, UNTRACKED) for s in self.translations)


def check(project: Path | str = ".") -> Report:
    """Every problem in the project (files, cross references, placeholders, Markdown,
    glyphs no font has) and the state of every translation."""
    loaded, problems = load_project(Path(project))
    if problems:
        return Report(problems, [])
    found: list[Problem] = []
    for doc in loaded.documents.values():
        prepare(loaded, doc, loaded.layouts[layout_name(doc)], None, found)
        found.extend(glyph_problems(doc, loaded.strings[doc.lang].script))
    return Report(list(dict.fromkeys(found)), matrix(loaded))


def glyph_problems(doc: Document, script: str) -> list[Problem]:
    """Characters of a document that no shipped font can show."""
    text = doc.path.read_text(encoding="utf-8")
    chain = script_chain(script)
    missing = sorted(missing_glyphs(text, chain))
    if not missing:
        return []
    line = next(i for i, row in enumerate(text.splitlines(), 1) if any(c in row for c in missing))
    shown = " ".join(f"{c!r} (U+{ord(c):04X})" for c in missing)
    return [Problem(doc.path, line, f"no font has a glyph for {shown}", "replace the character or add a font that has it")]
