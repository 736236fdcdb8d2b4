"""The `brochure` command: turns options into calls of the build pipeline.

Each command imports the stages it uses when it runs, so that `brochure --help`
and `--version` start without loading ReportLab, Jinja2 or the mail modules."""

from __future__ import annotations

import atexit
import datetime as dt
import errno
import gc
import json
import os
import shlex
import sys
import time
import traceback
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from . import __version__
from .console import NORMAL, QUIET, VERBOSE, Console
from .defaults import shown
from .errors import BuildError, ContentError, FileError, Problem, UsageError, did_you_mean
from .model import ALL
from .write import FORMATS

PAPER = click.Choice(["a4", "letter"])
FORMAT = click.Choice([*FORMATS, "all"])
DATE = click.DateTime(formats=["%Y-%m-%d"])


BUG_REPORT = "this is a bug in brochure; please report it with the output of the same command with --debug"


@dataclass(frozen=True)
class Options:
    """The options every command shares."""

    start: Path  # where to look for the project: -C, else the working folder
    debug: bool
    console: Console

    def root(self) -> Path:
        """The project's root folder, found from `start` upward; a usage error outside one."""
        from .load.project import MARKER, find_root

        root = find_root(self.start)
        if root is None:
            where = "here" if self.start == Path(".") else f"in {self.start}"
            raise UsageError(
                f"no brochure project {where} or in any folder above: none has {MARKER}"
                " (run 'brochure init DIR' to start one, or pass -C DIR)"
            )
        return root


class Brochure(click.Group):
    """Takes --debug anywhere on the line; shows a traceback only with it. A located
    problem or a file that cannot be written is one line; anything else is a bug."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **extra: Any) -> Any:
        """Move --debug to the front, wherever it was given (before a '--'). A process of
        its own (no `args`: not called by a test) ends sooner: what is alive at exit is
        frozen, so the interpreter's last collections do not walk it (it is freed by
        reference counting; every file and database is closed by then)."""
        if args is None:
            atexit.register(gc.freeze)
        given = list(sys.argv[1:] if args is None else args)
        end = given.index("--") if "--" in given else len(given)
        if "--debug" in given[:end]:
            given = ["--debug"] + [a for a in given[:end] if a != "--debug"] + given[end:]
        return super().main(given, *rest, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        def debug() -> bool:  # known once the group's own options are parsed
            return isinstance(ctx.obj, Options) and ctx.obj.debug

        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            if debug():
                traceback.print_exc()
            raise
        except OSError as exc:
            if exc.errno == errno.EPIPE or debug():
                raise  # Click ends quietly on a closed pipe
            if exc.filename:
                raise FileError(Path(exc.filename), exc) from exc
            raise BuildError(f"{exc} ({BUG_REPORT})") from exc
        except Exception as exc:
            if debug():
                raise
            raise BuildError(f"internal error: {type(exc).__name__}: {exc} ({BUG_REPORT})") from exc


@click.group(cls=Brochure, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="brochure")
@click.option(
    "-C",
    "--project",
    "project",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=".",
    help="Run as if started in this folder. The project is the nearest folder, here or above, with content/clinic.yaml.",
)
@click.option("--debug", is_flag=True, envvar="BROCHURE_DEBUG", help="Show tracebacks on errors (also BROCHURE_DEBUG=1).")
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also print what each step does.")
@click.pass_context
def main(ctx: click.Context, project: Path, debug: bool, quiet: bool, verbose: bool) -> None:
    """Build patient information leaflets as print-ready PDFs and accessible HTML pages."""
    if quiet and verbose:
        raise UsageError("use either --quiet or --verbose, not both")
    ctx.obj = Options(project, debug, Console(QUIET if quiet else VERBOSE if verbose else NORMAL))


def project_names(ctx: click.Context, kind: str) -> list[str]:
    """Names for shell completion, read from the project's folders without loading it:
    documents, languages or layouts."""
    from .load.layouts import layout_files
    from .load.project import RESERVED, find_root

    root = find_root(ctx.find_root().params.get("project") or Path("."))
    if root is None:
        return []
    content = root / "content"
    if kind == "layout":
        return sorted({name for level in layout_files(root) for name in level})
    folders = [f for f in content.iterdir() if f.is_dir() and f.name not in RESERVED]
    if kind == "doc":
        return sorted(f.name for f in folders)
    return sorted({p.stem for f in folders for p in f.iterdir() if p.suffix in (".md", ".yaml")} | {ALL})


def completion(kind: str) -> Callable[[click.Context, click.Parameter, str], list[str]]:
    """A shell-completion function for document, language or layout names."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
        try:
            return [name for name in project_names(ctx, kind) if name.startswith(incomplete)]
        except OSError:
            return []

    return complete


@main.command("build")
@click.argument("docs", nargs=-1, metavar="[DOC]...", shell_complete=completion("doc"))
@click.option(
    "-l",
    "--lang",
    "langs",
    multiple=True,
    metavar="LANG",
    shell_complete=completion("lang"),
    help="Language to build (repeatable); 'all' for every language. Default: the clinic's.",
)
@click.option("--paper", type=PAPER, default=None, help="Paper size. Default: the layout's, else the clinic's.")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder. Default: output/ in the project.",
)
@click.option(
    "--skip-missing",
    is_flag=True,
    help="Build only the languages each document exists in, instead of failing on a missing translation.",
)
@click.option(
    "--layout",
    default=None,
    metavar="NAME",
    shell_complete=completion("layout"),
    help="Another layout (trifold, large-print) instead of the document's own.",
)
@click.option("--print-marks", is_flag=True, help="Print-shop output: crop marks, bleed, trim and bleed boxes.")
@click.option("--fit", is_flag=True, help="Shrink type step by step (never below the layout's minimum) if a document overflows.")
@click.option(
    "--release",
    is_flag=True,
    help="Build into release/ only what passes the release gate (see 'check --release'); refuse the rest.",
)
@click.option("--as-of", "as_of", type=DATE, default=None, help="With --release: the date to judge review dates by (YYYY-MM-DD).")
@click.option(
    "--format",
    "fmt",
    type=FORMAT,
    default="all",
    show_default=True,
    help="What to write: the PDFs, the HTML pages (one per document and language), or both.",
)
@click.pass_obj
def build_command(
    obj: Options,
    docs: tuple[str, ...],
    langs: tuple[str, ...],
    paper: str | None,
    output: Path | None,
    skip_missing: bool,
    layout: str | None,
    print_marks: bool,
    fit: bool,
    release: bool,
    as_of: dt.datetime | None,
    fmt: str,
) -> None:
    """Build DOCs (all by default) into OUTPUT/<lang>/<doc>.pdf and <doc>.html; another
    layout than a document's own writes <doc>.<layout>.pdf, another paper than the
    project's <doc>.<paper>.pdf, print-shop copies <doc>[.<layout>].print.pdf (the HTML
    page is the same in every layout)."""
    from .pipeline import build

    console, root, started = obj.console, obj.root(), time.monotonic()
    console.detail(f"project: {root}")
    with console.progress("Building") as progress:
        written = build(
            root,
            docs or None,
            langs or None,
            paper,
            output,
            on_written=lambda path: console.info(f"wrote {shown(path)}"),
            skip_missing=skip_missing,
            layout=layout,
            print_marks=print_marks,
            fit=fit,
            on_note=console.note,
            release=release,
            as_of=as_of.date() if as_of else None,
            formats=[fmt],
            on_progress=progress,
        )
    console.detail(f"{len(written)} files in {time.monotonic() - started:.1f} s")


@main.command("preview")
@click.argument("doc", shell_complete=completion("doc"))
@click.option(
    "-l",
    "--lang",
    default=None,
    metavar="LANG",
    shell_complete=completion("lang"),
    help="The language to draw. Default: the clinic's.",
)
@click.option(
    "--layout",
    default=None,
    metavar="NAME",
    shell_complete=completion("layout"),
    help="A layout (trifold, large-print) instead of the document's own.",
)
@click.option("--paper", type=PAPER, default=None, help="Paper size. Default: the layout's, else the clinic's.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE.png",
    help="Where to write. Default: output/preview/<lang>/<doc>[.<layout>].png in the project.",
)
@click.option("--dpi", type=click.IntRange(24, 600), default=100, show_default=True, help="Resolution of the images.")
@click.pass_obj
def preview_command(
    obj: Options, doc: str, lang: str | None, layout: str | None, paper: str | None, output: Path | None, dpi: int
) -> None:
    """Draw DOC's pages as PNG images, to look at without a PDF reader: FILE.png for a
    one-page document, otherwise FILE-1.png, FILE-2.png ... (one a page; images left
    from a longer version are removed)."""
    from .preview import preview

    for path in preview(obj.root(), doc, lang, layout, paper, output, dpi):
        obj.console.info(f"wrote {shown(path)}")


@main.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    metavar="ADDRESS",
    help="The address to serve on: anyone who can reach it can read the drafts.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    metavar="PORT",
    help="The port (0 picks a free one).",
)
@click.option("--open/--no-open", "open_browser", default=False, help="Open the preview in a web browser (not by default).")
@click.pass_obj
def serve_command(obj: Options, host: str, port: int, open_browser: bool) -> None:
    """Preview every document in a web browser while you write: each document in each
    language and layout as its HTML page and its PDF pages, rebuilt when a file of the
    project changes and shown without reloading; a problem appears in the page and
    here. Serves only this computer (127.0.0.1) unless --host says otherwise.
    Nothing is written to output/. Stop with Ctrl-C."""
    from .serve.server import serve

    serve(obj.root(), host, port, open_browser, click.echo, debug=obj.debug)


@main.command("check")
@click.option("--strict", is_flag=True, help="Also fail on missing or stale translations.")
@click.option(
    "--release",
    is_flag=True,
    help="Fail on anything not fit to hand to a patient: not approved, review overdue, "
    "a translation missing, stale or unchecked, text above reading grade 8.",
)
@click.option("--as-of", "as_of", type=DATE, default=None, help="Judge review dates as on this day (YYYY-MM-DD). Default: today.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: one object on standard output (problems, warnings, translations, ok), for CI and scheduling systems.",
)
@click.pass_obj
def check_command(obj: Options, strict: bool, release: bool, as_of: dt.datetime | None, fmt: str) -> None:
    """Check all content and layouts, rendering every document in every layout it
    can have; report every problem at once, then warnings and the state of every
    translation (missing, stale, draft). Exit 1 if a problem is found."""
    from .pipeline import check

    root, console = obj.root(), obj.console
    console.detail(f"project: {root}")
    with console.progress("Checking") as progress:
        report = check(root, release=release, as_of=as_of.date() if as_of else None, on_progress=progress)
    ok = report.passes(strict)
    if fmt == "json":
        click.echo(json.dumps(report_json(report, ok), ensure_ascii=False, indent=2))
        if not ok:
            raise click.exceptions.Exit(1)
        return
    for warning in report.warnings:
        console.warning(warning)
    for note in grouped(report.notes, console.level >= VERBOSE):
        console.note(note)
    if report.problems:
        raise ContentError(report.problems)
    if not ok:
        raise ContentError(Problem(root, None, "missing or stale translations", "see the lines above"))
    what = "fit to release" if release else "no problems found"
    console.info(f"ok: {what}" + (f" ({len(report.notes)} translation notes)" if report.notes else ""))


def grouped(notes: list[Problem], each: bool) -> list[str]:
    """Notes as lines: more than three alike (the same message in different files) as one
    line that counts them, unless `each`."""
    alike: dict[str, list[Problem]] = {}
    for note in notes:
        alike.setdefault(note.message, []).append(note)
    lines: list[str] = []
    for message, group in alike.items():
        if each or len(group) <= 3:
            lines.extend(str(note) for note in group)
        else:
            lines.append(f"{len(group)} files: {message} ({group[0].hint}; 'brochure list' shows which, -v names each)")
    return lines


def padded(text: str, width: int) -> str:
    """`text` padded to `width` terminal columns (a wide Chinese character takes two)."""
    columns = sum(0 if unicodedata.category(c) == "Mn" else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)


def problem_json(problem: Problem) -> dict[str, Any]:
    """A problem as JSON: file, line, message, hint, and the whole line as printed."""
    where = {"file": str(problem.path), "line": problem.line}
    return where | {"message": problem.message, "hint": problem.hint, "text": str(problem)}


def report_json(report: Any, ok: bool) -> dict[str, Any]:
    """What `check --format json` prints."""
    return {
        "ok": ok,
        "problems": [problem_json(p) for p in report.problems],
        "warnings": [problem_json(p) for p in report.warnings],
        "translations": [
            {"document": s.name, "language": s.lang, "state": s.state, "note": str(s.note) if s.note else None}
            for s in report.translations
        ],
    }


@main.command("mail")
@click.argument("appointments", type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@click.option(
    "--outbox",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write .eml files here (the default, into outbox/ in the project).",
)
@click.option("--send", is_flag=True, help="Send over SMTP instead of writing an outbox.")
@click.option("--smtp", "smtp_address", metavar="HOST:PORT", default=None, help="SMTP server. Default: the clinic profile's.")
@click.option(
    "--tls", type=click.Choice(["starttls", "ssl", "none"]), default=None, help="TLS mode. Default: the clinic profile's."
)
@click.option(
    "--cafile",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Trust the server certificates this CA (PEM) signed, such as a private CA's.",
)
@click.option("--rate", metavar="N/min", default=None, help="Send at most N messages a minute. Default: the clinic profile's.")
@click.option(
    "--sent-log",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite sent-log. Default: .brochure/sent-log.sqlite in the project.",
)
@click.option("--wait", is_flag=True, help="If another run is using the sent-log, wait for it instead of stopping.")
@click.option(
    "--resend-unconfirmed",
    is_flag=True,
    help="Send again the messages an earlier run handed over without getting an answer.",
)
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write a CSV of every appointment's outcome (ids and reasons, no names or addresses).",
)
@click.option("--dry-run", is_flag=True, help="Show (and report) what would be sent; send and record nothing.")
@click.option(
    "--allow-drafts",
    is_flag=True,
    help="Send leaflets that do not pass the release gate too, each message marked DRAFT (to test; never for patients).",
)
@click.option(
    "-j", "--jobs", type=click.IntRange(1, 32), default=None, help="Processes that render leaflets. Default: the CPUs, at most 4."
)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, hidden=True, help="For tests: the date taken as today.")
@click.pass_obj
def mail_command(
    obj: Options,
    appointments: Path,
    outbox: Path | None,
    send: bool,
    smtp_address: str | None,
    tls: str | None,
    cafile: Path | None,
    rate: str | None,
    sent_log: Path | None,
    wait: bool,
    resend_unconfirmed: bool,
    report_file: Path | None,
    dry_run: bool,
    allow_drafts: bool,
    jobs: int | None,
    today: dt.datetime | None,
) -> None:
    """Email each appointment in APPOINTMENTS (a CSV or JSON file, or - for standard
    input) with its personalised leaflets and a calendar invitation, once. Leaflets
    that do not pass the release gate (brochure check --release) are not sent.

    The SMTP user and password come only from the environment variables
    BROCHURE_SMTP_USER and BROCHURE_SMTP_PASSWORD, and are sent only over TLS."""
    from .mail.batch import mail
    from .mail.delivery import Outbox
    from .mail.report import WOULD_SEND
    from .pipeline import open_project

    console = obj.console
    project = open_project(obj.root())
    if send and outbox:
        raise UsageError("use either --send or --outbox, not both")
    if not send and (smtp_address or tls or cafile or rate):
        raise UsageError("--smtp, --tls, --cafile and --rate need --send")
    settings = project.clinic.mail
    transport: Outbox | Smtp
    if send:
        from .mail.smtp import Smtp

        host, port = settings.smtp_host, settings.smtp_port
        if smtp_address:
            host, _, port_text = smtp_address.rpartition(":")
            if not host or not port_text.isdigit():
                raise UsageError(f"--smtp must be HOST:PORT, not '{smtp_address}'")
            port = int(port_text)
        transport = Smtp(
            host,
            port,
            tls or settings.tls,
            user=os.environ.get("BROCHURE_SMTP_USER"),
            password=os.environ.get("BROCHURE_SMTP_PASSWORD"),
            data_timeout=settings.data_timeout,
            backoff=settings.retry_delay,
            rate=settings.rate if rate is None else parse_rate(rate),
            cafile=cafile,
        )
    else:
        transport = Outbox(outbox or project.root / "outbox", settings.file_mode)
    with console.progress("Sending" if send else "Writing messages") as progress:
        report = mail(
            project,
            appointments,
            transport,
            sent_log,
            dry_run,
            jobs,
            on_progress=progress,
            resend_unconfirmed=resend_unconfirmed,
            wait=wait,
            report_file=report_file,
            today=today.date() if today else None,
            allow_drafts=allow_drafts,
        )
    for outcome in report.ordered():
        line = outcome.line()
        if line and outcome.status == WOULD_SEND:
            console.info(line)
        elif line:
            console.echo(line, err=True)
    if report.stopped:
        console.echo(report.stopped, err=True)
    where = f" into {transport.folder}" if isinstance(transport, Outbox) and not dry_run else ""
    console.info(f"{report.summary()}{where}")
    if report_file:
        console.info(f"wrote {shown(report_file)}")
    if not report.ok:
        raise click.exceptions.Exit(1)


def parse_rate(text: str) -> float:
    """'30/min' or '30': messages a minute."""
    number = text.removesuffix("/min").strip()
    try:
        value = float(number)
    except ValueError:
        value = -1.0
    if value < 0:
        raise UsageError(f"--rate must be a number of messages a minute, like 30/min, not '{text}'")
    return value


@main.command("translate")
@click.argument("doc", shell_complete=completion("doc"))
@click.argument("lang")
@click.option(
    "--from",
    "source_lang",
    default=None,
    metavar="LANG",
    shell_complete=completion("lang"),
    help="The language to translate from. Default: the clinic's.",
)
@click.pass_obj
def translate_command(obj: Options, doc: str, lang: str, source_lang: str | None) -> None:
    """Start a translation of DOC into LANG: copy the source with a translation record."""
    from .load.content import is_language
    from .load.project import load_project
    from .model import LOCALISED_CLINIC_FIELDS
    from .review.translations import start_strings, start_translation

    project, problems = load_project(obj.root())  # other files' problems do not stop a translation
    source_lang = source_lang or project.clinic.default_language
    folder = project.root / "content" / doc
    if (
        (doc, source_lang) not in project.documents
        and any((folder / f"{source_lang}{suffix}").is_file() for suffix in (".md", ".yaml"))
        and problems
    ):
        raise ContentError(problems)  # the source is there but broken
    if doc not in project.document_names:
        raise UsageError(f"unknown document '{doc}' ({did_you_mean(doc, project.document_names)})")
    if not is_language(lang):
        raise UsageError(f"'{lang}' is not a language code (use codes like es, pl, zh-Hans)")
    if (doc, source_lang) not in project.documents:
        written = ", ".join(sorted(code for name, code in project.documents if name == doc))
        raise UsageError(f"'{doc}' is not written in '{source_lang}' (it is in: {written}; choose one with --from)")
    try:
        path = start_translation(project, doc, lang, source_lang)
    except FileExistsError as exc:
        hint = "translate it there, or delete it to start again"
        raise ContentError(Problem(project.root / "content" / doc, None, str(exc), hint)) from None
    obj.console.info(f"wrote {shown(path)}: translate its text, keep its keys and placeholders")
    strings = start_strings(project, lang, source_lang)
    if strings is not None:
        obj.console.info(
            f"wrote {shown(strings)}: translate its strings, fill in language_name and locale, check direction and script"
        )
    for key in LOCALISED_CLINIC_FIELDS:
        if project.clinic.lacks(key, lang):
            line = project.clinic.key_lines.get(key)
            where = f"{project.clinic.path}:{line}" if line else str(project.clinic.path)
            obj.console.info(f"to do: {where}: '{key}' needs a '{lang}' text (add '{lang}:' under '{key}:')")


@main.command("init")
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@click.pass_obj
def init_command(obj: Options, folder: Path) -> None:
    """Start a clinic's project in DIR (new, or an empty folder): the clinic profile
    with every key explained, a sample leaflet, a sample appointments file, a
    .gitignore that keeps patient data out of git, and a README for staff."""
    from .scaffold import init_project

    where = obj.start / folder
    for path in init_project(where):
        obj.console.info(f"wrote {shown(path)}")
    quoted = shlex.quote(str(where))
    obj.console.info(f"next: brochure -C {quoted} check, then brochure -C {quoted} build")


@main.group("new")
def new_group() -> None:
    """Start a document from a template: a leaflet, or a comparison of two leaflets."""


@new_group.command("leaflet")
@click.argument("name")
@click.option("--title", default=None, metavar="TEXT", help="The leaflet's title. Default: made from NAME.")
@click.pass_obj
def new_leaflet_command(obj: Options, name: str, title: str | None) -> None:
    """Start the leaflet NAME (lowercase letters, digits and '-') in the clinic's
    language, content/NAME/<lang>.md: a draft with every key a leaflet needs and
    text saying what to write in each place."""
    from .load.project import load_project
    from .scaffold import new_leaflet

    project, _ = load_project(obj.root())  # other files' problems do not stop a new leaflet
    path = new_leaflet(project, name, title, dt.date.today())
    obj.console.info(f"wrote {shown(path)}: write the leaflet in place of its text, then run 'brochure check'")


@new_group.command("comparison")
@click.argument("name")
@click.argument("first", metavar="A", shell_complete=completion("doc"))
@click.argument("second", metavar="B", shell_complete=completion("doc"))
@click.pass_obj
def new_comparison_command(obj: Options, name: str, first: str, second: str) -> None:
    """Start NAME, a handout comparing leaflets A and B in the clinic's language
    (content/NAME/<lang>.yaml): a table of the facts both have, then sections."""
    from .load.project import load_project
    from .scaffold import new_comparison

    project, problems = load_project(obj.root())
    path, rows = new_comparison(project, problems, name, first, second, dt.date.today())
    what = f"its table has the {len(rows)} facts both leaflets have; write its intro and sections"
    obj.console.info(f"wrote {shown(path)}: {what}, then run 'brochure check'")


@main.command("list")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: documents, languages and layouts with where each comes from, for scripts.",
)
@click.pass_obj
def list_command(obj: Options, fmt: str) -> None:
    """List documents x languages with each translation's state, the languages and
    the layouts, with the file each comes from (the project's own or built in)."""
    from .pipeline import open_project
    from .review.listing import listing

    project = open_project(obj.root())
    found = listing(project)
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    echo = obj.console.info
    langs = [lang["code"] for lang in found["languages"]]
    width = max([len(d["name"]) for d in found["documents"]] + [9])
    cell = max([len(state) for d in found["documents"] for state in d["languages"].values()] + [len(x) for x in langs])
    echo("document".ljust(width) + "  " + "  ".join(lang.ljust(cell) for lang in langs) + "  layout")
    for doc in found["documents"]:
        row = "  ".join(doc["languages"][lang].ljust(cell) for lang in langs)
        echo(doc["name"].ljust(width) + "  " + row + "  " + doc["layout"])
    echo("")
    echo("source: the original; draft: translated, not checked by a medical translator;")
    echo("stale: the source changed since; missing: no translation yet")
    echo("")
    echo("languages:")
    for lang in found["languages"]:
        echo(f"  {lang['code']:<8} {padded(lang['name'], 16)} " + " + ".join(lang["strings"]))
    echo("layouts:")
    for layout in found["layouts"]:
        echo(f"  {layout['name']:<12} {layout['document']:<11} " + " + ".join(layout["files"]))
    echo(f"use '--lang {ALL}' to build every language")
