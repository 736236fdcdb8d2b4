"""The `brochure` command: turns options into calls of the build pipeline.

Each command imports the stages it uses when it runs, so that `brochure --help`
and `--version` start without loading ReportLab, Jinja2 or the mail modules."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import BuildError, ContentError, Problem, UsageError, did_you_mean
from .write import FORMATS

PAPER = click.Choice(["a4", "letter"])
FORMAT = click.Choice([*FORMATS, "all"])
DATE = click.DateTime(formats=["%Y-%m-%d"])


class Brochure(click.Group):
    """Shows a traceback only with --debug; any other failure is a one-line error."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            if ctx.obj and ctx.obj.get("debug"):
                traceback.print_exc()
            raise
        except Exception as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise BuildError(f"{type(exc).__name__}: {exc} (rerun with --debug for the traceback)") from exc


@click.group(cls=Brochure)
@click.version_option(__version__, prog_name="brochure")
@click.option(
    "-C",
    "--project",
    "project",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The project folder, with content/ and layouts/.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.pass_context
def main(ctx: click.Context, project: Path, debug: bool) -> None:
    """Build patient information leaflets as print-ready PDFs and accessible HTML pages."""
    ctx.obj = {"project": project, "debug": debug}


@main.command("build")
@click.argument("docs", nargs=-1, metavar="[DOC]...")
@click.option(
    "-l",
    "--lang",
    "langs",
    multiple=True,
    metavar="LANG",
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
    "--layout", default=None, metavar="NAME", help="A layout from layouts/ (trifold, large-print) instead of the document's own."
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
    obj: dict[str, Any],
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
    layout than a document's own writes <doc>.<layout>.pdf, print-shop copies
    <doc>[.<layout>].print.pdf (the HTML page is the same in every layout)."""
    from .pipeline import build

    build(
        obj["project"],
        docs or None,
        langs or None,
        paper,
        output,
        on_written=lambda path: click.echo(f"wrote {path}"),
        skip_missing=skip_missing,
        layout=layout,
        print_marks=print_marks,
        fit=fit,
        on_note=lambda note: click.echo(f"note: {note}", err=True),
        release=release,
        as_of=as_of.date() if as_of else None,
        formats=[fmt],
    )


@main.command("preview")
@click.argument("doc")
@click.option("-l", "--lang", default=None, metavar="LANG", help="The language to draw. Default: the clinic's.")
@click.option("--layout", default=None, metavar="NAME", help="A layout (trifold, large-print) instead of the document's own.")
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
    obj: dict[str, Any], doc: str, lang: str | None, layout: str | None, paper: str | None, output: Path | None, dpi: int
) -> None:
    """Draw DOC's pages as PNG images, to look at without a PDF reader: FILE.png for a
    one-page document, otherwise FILE-1.png, FILE-2.png ... (one a page; images left
    from a longer version are removed)."""
    from .preview import preview

    for path in preview(obj["project"], doc, lang, layout, paper, output, dpi):
        click.echo(f"wrote {path}")


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
def serve_command(obj: dict[str, Any], host: str, port: int, open_browser: bool) -> None:
    """Preview every document in a web browser while you write: each document in each
    language and layout as its HTML page and its PDF pages, rebuilt when a file of the
    project changes and shown without reloading; a problem appears in the page and
    here. Serves only this computer (127.0.0.1) unless --host says otherwise.
    Nothing is written to output/. Stop with Ctrl-C."""
    from .serve.server import serve

    serve(obj["project"], host, port, open_browser, click.echo, debug=obj["debug"])


@main.command("check")
@click.option("--strict", is_flag=True, help="Also fail on missing or stale translations.")
@click.option(
    "--release",
    is_flag=True,
    help="Fail on anything not fit to hand to a patient: not approved, review overdue, "
    "a translation missing, stale or unchecked, text above reading grade 8.",
)
@click.option("--as-of", "as_of", type=DATE, default=None, help="Judge review dates as on this day (YYYY-MM-DD). Default: today.")
@click.pass_obj
def check_command(obj: dict[str, Any], strict: bool, release: bool, as_of: dt.datetime | None) -> None:
    """Check all content and layouts, rendering every document in every layout it
    can have; report every problem at once, then warnings and the state of every
    translation (missing, stale, draft)."""
    from .pipeline import check

    report = check(obj["project"], release=release, as_of=as_of.date() if as_of else None)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for note in report.notes:
        click.echo(f"note: {note}")
    if report.problems:
        raise ContentError(report.problems)
    if not report.passes(strict):
        raise ContentError(Problem(obj["project"], None, "missing or stale translations", "see the lines above"))
    what = "fit to release" if release else "no problems found"
    click.echo(f"ok: {what}" + (f" ({len(report.notes)} translation notes)" if report.notes else ""))


@main.command("mail")
@click.argument("appointments", type=click.Path(exists=True, dir_okay=False, path_type=Path))
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
    "--sent-log",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite sent-log. Default: .brochure/sent-log.sqlite in the project.",
)
@click.option("--dry-run", is_flag=True, help="Show what would be sent; send and record nothing.")
@click.option(
    "-j", "--jobs", type=click.IntRange(1, 32), default=None, help="Processes that render leaflets. Default: the CPUs, at most 4."
)
@click.pass_obj
def mail_command(
    obj: dict[str, Any],
    appointments: Path,
    outbox: Path | None,
    send: bool,
    smtp_address: str | None,
    tls: str | None,
    sent_log: Path | None,
    dry_run: bool,
    jobs: int | None,
) -> None:
    """Email each appointment in APPOINTMENTS (CSV or JSON) with its personalised leaflets.

    The SMTP user and password come only from the environment variables
    BROCHURE_SMTP_USER and BROCHURE_SMTP_PASSWORD."""
    from .delivery import Outbox, Smtp
    from .mailing import mail
    from .pipeline import open_project

    project = open_project(obj["project"])
    if send and outbox:
        raise UsageError("use either --send or --outbox, not both")
    if not send and (smtp_address or tls):
        raise UsageError("--smtp and --tls need --send")
    transport: Outbox | Smtp
    if send:
        settings = project.clinic.mail
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
            backoff=settings.retry_delay,
        )
    else:
        transport = Outbox(outbox or project.root / "outbox")
    total = count_rows(appointments)
    with click.progressbar(length=total, label="Preparing messages", file=sys.stderr) as bar:
        report = mail(project, appointments, transport, sent_log, dry_run, jobs, on_progress=lambda _: bar.update(1))
    for row in report.bad_rows:
        click.echo(f"skipped {row}", err=True)
    for appointment_id, reason in report.failed:
        click.echo(f"failed appointment {appointment_id}: {reason}", err=True)
    for appointment_id in report.would_send:
        click.echo(f"would send appointment {appointment_id}")
    where = "" if send or dry_run else f" into {transport.folder}"  # type: ignore[union-attr]
    click.echo(f"{report.summary()}{where}")
    if not report.ok:
        raise click.exceptions.Exit(1)


def count_rows(path: Path) -> int:
    """How many appointments a file holds, for the progress bar."""
    from .appointments import read_rows

    try:
        return len(read_rows(path))
    except (OSError, ValueError, UnicodeDecodeError):
        return 0


@main.command("translate")
@click.argument("doc")
@click.argument("lang")
@click.option(
    "--from", "source_lang", default=None, metavar="LANG", help="The language to translate from. Default: the clinic's."
)
@click.pass_obj
def translate_command(obj: dict[str, Any], doc: str, lang: str, source_lang: str | None) -> None:
    """Start a translation of DOC into LANG: copy the source with a translation record."""
    from .load.content import is_language
    from .pipeline import open_project
    from .review.translations import start_translation

    project = open_project(obj["project"])
    source_lang = source_lang or project.clinic.default_language
    if doc not in project.document_names:
        raise UsageError(f"unknown document '{doc}' ({did_you_mean(doc, project.document_names)})")
    if not is_language(lang):
        raise UsageError(f"'{lang}' is not a language code (use codes like es, pl, zh-Hans)")
    try:
        path = start_translation(project, doc, lang, source_lang)
    except (ValueError, FileExistsError) as exc:
        raise ContentError(Problem(project.root / "content" / doc, None, str(exc))) from None
    click.echo(f"wrote {path}: translate its text, keep its keys and placeholders")
    if lang not in project.strings:
        strings = project.root / "content" / "i18n" / f"{lang}.yaml"
        shutil.copy(project.strings[source_lang].path, strings)
        click.echo(f"wrote {strings}: translate its strings and set locale, direction and script")


@main.command("list")
@click.pass_obj
def list_command(obj: dict[str, Any]) -> None:
    """List documents x languages with each translation's state, and the layouts."""
    from .load.project import layout_name
    from .pipeline import ALL, open_project
    from .review.translations import matrix

    project = open_project(obj["project"])
    langs = project.languages
    states = {(s.name, s.lang): s.state for s in matrix(project)}
    width = max([len(n) for n in project.document_names] + [9])
    cell = max([len(state) for state in states.values()] + [len(lang) for lang in langs])
    click.echo("document".ljust(width) + "  " + "  ".join(lang.ljust(cell) for lang in langs) + "  layout")
    for name in project.document_names:
        row = "  ".join(states[(name, lang)].ljust(cell) for lang in langs)
        layout = next(layout_name(d) for (n, _), d in project.documents.items() if n == name)
        click.echo(name.ljust(width) + "  " + row + "  " + layout)
    click.echo("")
    click.echo("source: the original; draft: translated, not checked by a medical translator;")
    click.echo("stale: the source changed since; missing: no translation yet")
    click.echo("")
    click.echo("languages: " + ", ".join(f"{lang} ({project.strings[lang].language_name})" for lang in langs))
    click.echo("layouts: " + ", ".join(sorted(project.layouts)))
    click.echo(f"use '--lang {ALL}' to build every language")
