"""The build pipeline: load, check, resolve jobs, prepare, render, write.

Each job is one file in one format; the writer of its format renders it (the PDF
through the layout's pages, the HTML page from the same prepared document).

The command line and the Python API both call `build()` and `check()`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache
from .errors import ContentError, Problem, UsageError, cut_cascades, did_you_mean
from .load.project import document_kind, layout_name, load_project
from .model import ALL, Document, Layout, Project
from .write import FORMATS
from .write.files import write_atomic

# The stages that render are imported where they run: a build whose files are all in
# the cache (cache.py) imports no renderer.
if TYPE_CHECKING:
    from .document import Prepared
    from .review.translations import Status
    from .write.pdf.recording import Recorder


@dataclass(frozen=True)
class Job:
    """One file to make: a document in a language, with its layout, format and output path."""

    doc: Document
    layout: str
    output: Path
    format: str = "pdf"


def open_project(root: Path | str, names: Iterable[str] | None = None) -> Project:
    """Load a project (with `names`, only those documents and what they need: see
    load_project), raising ContentError with every problem found."""
    project, problems = load_project(Path(root), names)
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


def select_formats(formats: Iterable[str] | None) -> tuple[str, ...]:
    """The formats asked for, in the order they are written: every one by default or for 'all'."""
    asked = list(formats or [ALL])
    if ALL in asked:
        return FORMATS
    for fmt in asked:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format '{fmt}' ({did_you_mean(fmt, FORMATS)})")
    return tuple(fmt for fmt in FORMATS if fmt in asked)


def output_name(name: str, layout: str, default: str, print_marks: bool, paper: str = "") -> str:
    """<doc>.pdf for the document's own layout, <doc>.<layout>.pdf for another, .<paper> for
    another paper than the project's, and .print before .pdf for print-shop copies, so that
    variants never overwrite each other."""
    parts = [name] + ([layout] if layout != default else []) + ([paper] if paper else []) + (["print"] if print_marks else [])
    return ".".join(parts) + ".pdf"


def jobs_for(
    project: Project,
    doc: Document,
    folder: Path,
    formats: tuple[str, ...],
    layout: str | None,
    print_marks: bool,
    paper: str | None,
) -> list[Job]:
    """A document's jobs: its PDF in the layout asked for, and its page (<doc>.html), which
    is the same in every layout and so is made from the document's own."""
    own = layout_name(doc)
    chosen = layout or own
    usual = project.layouts[chosen].page_size or project.clinic.paper
    other_paper = paper if paper and paper != usual else ""
    files = {"pdf": (chosen, output_name(doc.name, chosen, own, print_marks, other_paper)), "html": (own, f"{doc.name}.html")}
    return [Job(doc, files[fmt][0], folder / files[fmt][1], fmt) for fmt in formats]


def resolve(
    project: Project,
    docs: Iterable[str] | None,
    langs: Iterable[str] | None,
    output: Path,
    skip_missing: bool = False,
    layout: str | None = None,
    print_marks: bool = False,
    formats: Iterable[str] | None = None,
    paper: str | None = None,
) -> list[Job]:
    """The jobs for documents x languages x formats. A missing translation is an error, never
    replaced by another language, unless `skip_missing` asks to build only what exists."""
    jobs: list[Job] = []
    missing: list[Problem] = []
    names = select_documents(project, docs, layout)
    chosen_formats = select_formats(formats)
    for lang in select_languages(project, langs):
        for name in names:
            doc = project.documents.get((name, lang))
            if doc is None:
                from .review.translations import status_of

                note = status_of(project, name, lang).note
                if note and not skip_missing:
                    missing.append(Problem(note.path, None, note.message, f"{note.hint}, or build with --skip-missing"))
                continue
            jobs.extend(jobs_for(project, doc, output / lang, chosen_formats, layout, print_marks, paper))
    if missing:
        raise ContentError(missing)
    return jobs


def prepare_all(project: Project, jobs: list[Job], paper: str | None, print_marks: bool = False) -> list[Prepared]:
    """Fill and compose every job, raising ContentError with every problem found (a
    character no font has among them: it would print as a box). Jobs of one document in
    one layout (its PDF and its page) share one prepared document."""
    from .prepare.prepare import prepare

    problems: list[Problem] = []
    prepared: dict[tuple[str, str, str], Prepared] = {}
    for doc in {(job.doc.name, job.doc.lang): job.doc for job in jobs}.values():
        problems.extend(glyph_problems(doc, project.strings[doc.lang].script))
    for job in jobs:
        key = (job.doc.name, job.doc.lang, job.layout)
        if key not in prepared:
            layout = project.layouts[job.layout]
            if print_marks:
                layout = replace(layout, print_marks=True)
            prepared[key] = prepare(project, job.doc, layout, paper, problems)
    if problems:
        raise ContentError(problems)
    return [prepared[(job.doc.name, job.doc.lang, job.layout)] for job in jobs]


def render_job(job: Job, prepared: Prepared, fit: bool, recorder: Recorder | None = None) -> tuple[bytes, str]:
    """A job's PDF (shrunk to fit if asked) and a note of any fitting; an overflow is a content
    error. A recorder, if given, is left holding what was placed."""
    from .write.pdf import BlockTooTall, NoRoom, PageOverflow, render, render_fitted

    try:
        return render_fitted(prepared, recorder) if fit else (render(prepared, recorder), "")
    except PageOverflow as exc:
        hint = "shorten the text: it does not fit even at the smallest size" if fit else "shorten the text, or build with --fit"
        raise ContentError(Problem(job.doc.path, None, str(exc), hint)) from None
    except BlockTooTall as exc:
        raise ContentError(Problem(job.doc.path, None, str(exc), "shorten it or split it")) from None
    except NoRoom as exc:
        raise ContentError(Problem(job.doc.path, None, exc.what, exc.hint)) from None


def page_job(job: Job, prepared: Prepared, fit: bool) -> tuple[bytes, str]:
    """A job's HTML page (UTF-8); a page has no pages to fit."""
    from .write.html import render_html

    return render_html(prepared).encode("utf-8"), ""


# The writer of each format in FORMATS: a job and its prepared document -> the file's bytes and a note.
WRITERS: dict[str, Callable[[Job, Prepared, bool], tuple[bytes, str]]] = {"pdf": render_job, "html": page_job}


BUILD_KIND, BUILD_FORMAT = "build", "build-1"  # kept in .brochure/cache/build/; the second changes with what an entry holds


def build_entry(project: Project, job: Job, paper: str | None, print_marks: bool, fit: bool) -> tuple[str, list[str]]:
    """A job's key in the disk cache (cache.py) and its name there: document, language,
    layout, format and variant (paper, print marks, fitting)."""
    name = [job.doc.name, job.doc.lang, job.layout, job.format, paper or "", "print" if print_marks else "", "fit" if fit else ""]
    return cache.key(project, job.doc, project.layouts[job.layout], BUILD_FORMAT, *name), name


def refuse(jobs: list[Job], project: Project, as_of: dt.date) -> tuple[list[Job], list[Problem]]:
    """The jobs whose documents pass the release gate, and why the others do not."""
    from .review.gate import verdict

    passing: list[Job] = []
    reasons: list[Problem] = []
    verdicts = {
        key: verdict(project, project.documents[key], as_of, keep=True) for key in {(j.doc.name, j.doc.lang) for j in jobs}
    }
    for job in jobs:
        found = verdicts[(job.doc.name, job.doc.lang)]
        if found.passes:
            passing.append(job)
        else:
            reasons.extend(found.problems)
    return passing, list(dict.fromkeys(reasons))


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
    release: bool = False,
    as_of: dt.date | None = None,
    formats: Iterable[str] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Build PDFs into output/<lang>/<doc>[.<layout>][.print].pdf and each document's
    HTML page into output/<lang>/<doc>.html (`formats`: 'pdf', 'html', or all by
    default), and return their paths.

    With `release`, build into release/ only what passes the release gate on `as_of`
    (today by default), remove refused documents from it, then raise ContentError
    naming every reason a document was refused."""
    loaded = open_project(project, list(docs) if docs else None)
    out_dir = Path(output) if output is not None else loaded.root / ("release" if release else "output")
    jobs = resolve(loaded, docs, langs, out_dir, skip_missing, layout, print_marks, formats, paper)
    refused: list[Problem] = []
    if release:
        passing, refused = refuse(jobs, loaded, as_of or dt.date.today())
        for job in jobs:
            if job not in passing:
                job.output.unlink(missing_ok=True)  # a release folder holds only what passed
        jobs = passing
    written: list[Path] = []
    entries = [build_entry(loaded, job, paper, print_marks, fit) for job in jobs]
    kept = [
        cache.read(loaded.root, BUILD_KIND, key, name, job.output.suffix) for job, (key, name) in zip(jobs, entries, strict=True)
    ]
    missing = [job for job, found in zip(jobs, kept, strict=True) if found is None]
    made = iter(prepare_all(loaded, missing, paper, print_marks) if missing else [])
    for job, (key, name), found in zip(jobs, entries, kept, strict=True):
        if found is not None:
            data, note = found[0], str(found[1].get("note", ""))
        else:
            data, note = WRITERS[job.format](job, next(made), fit)
            cache.write(loaded.root, BUILD_KIND, key, name, job.output.suffix, data, {"note": note})
        write_atomic(job.output, data)
        written.append(job.output)
        if on_progress:
            on_progress(len(written), len(jobs))
        if note and on_note:
            on_note(note)
        if on_written:
            on_written(job.output)
    if refused:
        raise ContentError(refused)
    return written


@dataclass(frozen=True)
class Report:
    """What `check` found: problems that stop a build (or a release), warnings, and the
    translations' state."""

    problems: list[Problem]
    warnings: list[Problem]
    translations: list[Status]
    release: bool = False

    @property
    def notes(self) -> list[Problem]:
        """One line for each translation that is missing, stale or a draft (problems in a release check)."""
        return [] if self.release else [s.note for s in self.translations if s.note is not None]

    def passes(self, strict: bool = False) -> bool:
        """No problems; with `strict`, also no missing or stale translation."""
        if self.problems:
            return False
        from .review.translations import MISSING, STALE, UNTRACKED

        return not strict or not any(s.state in (MISSING, STALE, UNTRACKED) for s in self.translations)


def check(
    project: Path | str = ".",
    release: bool = False,
    as_of: dt.date | None = None,
    workers: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Every problem in the project, from every stage, in one pass: files, cross references,
    placeholders (footers included), Markdown, glyphs no font has, and what only rendering
    finds (an overflow in any layout, a footer too tall); with `release`, also everything
    that keeps a document from patients on `as_of` (today by default). What the page
    linter marks on the pages is a warning, once nothing else is wrong."""
    from .review.gate import review_problems, verdict
    from .review.punctuation import half_width_warnings
    from .review.translations import MISSING, matrix, untranslated, unused_strings

    loaded, problems = load_project(Path(project))
    found = list(problems)
    warnings: list[Problem] = []
    today = as_of or dt.date.today()
    for doc in loaded.documents.values():
        if doc.lang in loaded.strings:
            found.extend(glyph_problems(doc, loaded.strings[doc.lang].script))
        if release:
            found_verdict = verdict(loaded, doc, today)
            found.extend(found_verdict.problems)
            warnings.extend(found_verdict.warnings)
        else:
            late, soon = review_problems(doc, today)
            warnings.extend(late + soon)
    warnings.extend(untranslated(loaded))
    warnings.extend(unused_strings(loaded))
    warnings.extend(half_width_warnings(loaded))
    measured, marked = measure_all(loaded, workers, on_progress)
    found.extend(measured)
    if not problems and not measured:  # how the pages look matters once the project loads and renders
        warnings.extend(marked)
    translations = matrix(loaded) if not problems else []
    if release:
        found.extend(s.note for s in translations if s.state == MISSING and s.note is not None)
    return Report(cut_cascades(found), list(dict.fromkeys(warnings)), translations, release)


def layouts_for(project: Project, doc: Document) -> list[str]:
    """The layouts a document can be built with: its own, and every other made for its kind."""
    own = layout_name(doc)
    others = sorted(name for name, layout in project.layouts.items() if layout.document == document_kind(doc) and name != own)
    return [own] + others if own in project.layouts else others


def measure(key: tuple[str, str], layout_name_: str) -> tuple[list[Problem], list[Problem]]:
    """Prepare and render one document in one layout, without writing: every problem found,
    and what the page linter marks on its pages (as warnings)."""
    from .prepare.prepare import prepare
    from .review.typesetting import lint
    from .write.pdf.recording import Recorder

    project = _MEASURED
    assert project is not None
    doc = project.documents[key]
    layout: Layout = project.layouts[layout_name_]
    problems: list[Problem] = []
    prepared = prepare(project, doc, layout, None, problems)
    job = Job(doc, layout_name_, Path(os.devnull))
    recorder = Recorder()
    try:
        render_job(job, prepared, fit=False, recorder=recorder)
    except ContentError as exc:
        problems.extend(exc.problems)
    placed = lint(recorder.placed) if recorder.placed is not None else []
    return problems, [Problem(doc.path, None, finding.message) for finding in placed]


_MEASURED: Project | None = None  # the project `measure` works on (shared with forked workers)


def measure_all(
    project: Project, workers: int | None = None, on_progress: Callable[[int, int], None] | None = None
) -> tuple[list[Problem], list[Problem]]:
    """`measure` every document in every layout it can have, in parallel where that helps;
    `on_progress(done, total)` after each. The problems, and the page linter's warnings."""
    global _MEASURED
    _MEASURED = project
    jobs = [
        (key, name) for key, doc in project.documents.items() if doc.lang in project.strings for name in layouts_for(project, doc)
    ]
    import multiprocessing  # here: only a check of many pages needs them
    from concurrent.futures import ProcessPoolExecutor

    workers = workers if workers is not None else min(os.cpu_count() or 1, 4)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if workers <= 1 or len(jobs) < 8 or "fork" not in multiprocessing.get_all_start_methods():
        results: Iterable[tuple[list[Problem], list[Problem]]] = (measure(*job) for job in jobs)
        for done, (found, marked) in enumerate(results, 1):
            problems.extend(found)
            warnings.extend(marked)
            if on_progress:
                on_progress(done, len(jobs))
        return problems, warnings
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for done, (found, marked) in enumerate(pool.map(measure, *zip(*jobs, strict=True), chunksize=2), 1):
            problems.extend(found)
            warnings.extend(marked)
            if on_progress:
                on_progress(done, len(jobs))
    return problems, warnings


def glyph_problems(doc: Document, script: str) -> list[Problem]:
    """Characters of a document that no shipped font can show."""
    from .write.pdf.fonts import missing_glyphs, script_chain

    text = doc.path.read_text(encoding="utf-8")
    missing = sorted(missing_glyphs(text, script_chain(script)))
    if not missing:
        return []
    line = next(i for i, row in enumerate(text.splitlines(), 1) if any(c in row for c in missing))
    shown = " ".join(f"{c!r} (U+{ord(c):04X})" for c in missing)
    return [Problem(doc.path, line, f"no font has a glyph for {shown}", "replace the character or add a font that has it")]
