"""The `brochure` command: turns options into calls of the build pipeline."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

import click

from . import __version__
from .build import ALL, build, check, open_project
from .errors import BuildError, ContentError
from .project import layout_name

PAPER = click.Choice(["a4", "letter"])


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
@click.option("-C", "--project", "project", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True, help="The project folder, with content/ and layouts/.")
@click.option("--debug", is_flag=True, help="Show tracebacks on errors.")
@click.pass_context
def main(ctx: click.Context, project: Path, debug: bool) -> None:
    """Build patient information leaflets as print-ready PDFs."""
    ctx.obj = {"project": project, "debug": debug}


@main.command("build")
@click.argument("docs", nargs=-1, metavar="[DOC]...")
@click.option("-l", "--lang", "langs", multiple=True, metavar="LANG", help="Language to build (repeatable); 'all' for every language. Default: the clinic's.")
@click.option("--paper", type=PAPER, default=None, help="Paper size. Default: the layout's, else the clinic's.")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None, help="Output folder. Default: output/ in the project.")
@click.pass_obj
def build_command(obj: dict[str, Any], docs: tuple[str, ...], langs: tuple[str, ...], paper: str | None, output: Path | None) -> None:
    """Build DOCs (all by default) into OUTPUT/<lang>/<doc>.pdf."""
    build(obj["project"], docs or None, langs or None, paper, output, on_written=lambda path: click.echo(f"wrote {path}"))


@main.command("check")
@click.pass_obj
def check_command(obj: dict[str, Any]) -> None:
    """Check all content and layouts; report every problem at once."""
    problems = check(obj["project"])
    if problems:
        raise ContentError(problems)
    click.echo("ok: no problems found")


@main.command("list")
@click.pass_obj
def list_command(obj: dict[str, Any]) -> None:
    """List documents, languages and layouts."""
    project = open_project(obj["project"])
    langs = project.languages
    width = max(len(n) for n in project.document_names) if project.document_names else 8
    click.echo("documents".ljust(width) + "  " + "  ".join(langs) + "  layout")
    for name in project.document_names:
        cells = []
        layout = ""
        for lang in langs:
            doc = project.documents.get((name, lang))
            cells.append(("yes" if doc else "-").ljust(len(lang)))
            if doc and not layout:
                layout = layout_name(doc)
        click.echo(name.ljust(width) + "  " + "  ".join(cells) + "  " + layout)
    click.echo("")
    click.echo("languages: " + ", ".join(f"{lang} ({project.strings[lang].language_name})" for lang in langs))
    click.echo("layouts: " + ", ".join(sorted(project.layouts)))
    click.echo(f"use '--lang {ALL}' to build every language")
