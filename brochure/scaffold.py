"""Start a clinic's project (`brochure init`) and a document in one (`brochure new`).

The files come from templates shipped with the package: brochure/defaults/project/ is
copied as it is; brochure/defaults/new/ holds a leaflet and a comparison, whose front
matter is filled in (title, dates, and for a comparison its two leaflets' rows and
sources) with its comments kept."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

from .defaults import DEFAULTS
from .errors import ContentError, Problem, UsageError, did_you_mean
from .load.content import FRONT_MATTER
from .load.project import RESERVED
from .model import DOCUMENT_NAME, FACT_KEYS, Leaflet, Project

PROJECT_TEMPLATE = DEFAULTS / "project"
NEW_TEMPLATES = DEFAULTS / "new"
REVIEW_YEARS = 2  # a new document is due for review this long after it is published


def init_project(folder: Path) -> list[Path]:
    """Copy the project template into `folder` (created if needed; refused unless it is
    empty); the files written, in order."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file (brochure init makes a project in a new or empty folder)")
    if folder.is_dir() and any(folder.iterdir()):
        raise UsageError(f"{folder} is not empty (brochure init makes a project in a new or empty folder)")
    written = []
    for source in sorted(p for p in PROJECT_TEMPLATE.rglob("*") if p.is_file()):
        target = folder / source.relative_to(PROJECT_TEMPLATE)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    return written


def new_leaflet(project: Project, name: str, title: str | None, today: dt.date) -> Path:
    """Start content/NAME/<default language>.md from the leaflet template, a draft
    published today; its title `title`, else one made from the name."""
    target = new_document(project, name, ".md")
    template = (NEW_TEMPLATES / "leaflet.md").read_text(encoding="utf-8")
    match = FRONT_MATTER.match(template)
    assert match, "the leaflet template starts with front matter"
    front = filled(match.group(1), {"title": title or humanised(name), "short_title": humanised(name), **edition(today)})
    return written(target, f"---\n{front}---\n{template[match.end() :]}")


def new_comparison(
    project: Project, problems: list[Problem], name: str, first: str, second: str, today: dt.date
) -> tuple[Path, list[str]]:
    """Start content/NAME/<default language>.yaml comparing two leaflets, its rows the
    facts both have (in the order of FACT_KEYS); the file and its rows. `problems` are
    the project's, reported if a leaflet named is there but cannot be read."""
    target = new_document(project, name, ".yaml")
    a, b = (leaflet(project, problems, each) for each in (first, second))
    if first == second:
        raise UsageError(f"a comparison needs two different leaflets, not '{first}' twice")
    rows = [key for key in FACT_KEYS if key in a.facts and key in b.facts]
    if not rows:
        hint = "give both leaflets some of the same keys under 'facts:'"
        raise ContentError(Problem(a.path, a.key_lines.get("facts"), f"'{first}' and '{second}' have no fact in common", hint))
    values: dict[str, Any] = {
        "title": f"{a.short_title.source} or {b.short_title.source}?",
        "subtitle": f"For patients offered {a.short_title.source} or {b.short_title.source}",
        "leaflets": [first, second],
        "rows": rows,
        "sources": list(dict.fromkeys(s.source for s in (*a.meta.sources, *b.meta.sources))),
        **edition(today),
    }
    if a.meta.department == b.meta.department:
        values["department"] = a.meta.department
    template = (NEW_TEMPLATES / "comparison.yaml").read_text(encoding="utf-8")
    return written(target, filled(template, values)), rows


def new_document(project: Project, name: str, suffix: str) -> Path:
    """Where a new document NAME goes (content/NAME/<default language><suffix>), once
    NAME is a safe folder name that is not taken."""
    if not DOCUMENT_NAME.fullmatch(name):
        raise UsageError(f"'{name}' cannot name a document (use lowercase letters, digits and '-', like coil-fitting)")
    if name in RESERVED:
        raise UsageError(f"'{name}' is the name of content/{name}/, which brochure keeps for its own files (choose another)")
    folder = project.root / "content" / name
    if folder.exists():
        raise UsageError(f"content/{name} already exists (choose another name)")
    return folder / f"{project.clinic.default_language}{suffix}"


def leaflet(project: Project, problems: list[Problem], name: str) -> Leaflet:
    """The leaflet NAME in the clinic's default language; a usage error if there is none,
    the project's problems if its file is there but broken."""
    lang = project.clinic.default_language
    leaflets = {n: doc for (n, lang_), doc in project.documents.items() if lang_ == lang and isinstance(doc, Leaflet)}
    if name not in leaflets and (project.root / "content" / name / f"{lang}.md").is_file() and problems:
        raise ContentError(problems)
    if name not in leaflets:
        raise UsageError(f"unknown leaflet '{name}' ({did_you_mean(name, leaflets)})")
    return leaflets[name]


def edition(today: dt.date) -> dict[str, dt.date]:
    """A new document's dates: published today, due for review REVIEW_YEARS later."""
    try:
        due = today.replace(year=today.year + REVIEW_YEARS)
    except ValueError:  # 29 February
        due = today.replace(year=today.year + REVIEW_YEARS, day=28)
    return {"published": today, "review_due": due}


def humanised(name: str) -> str:
    """A title made from a folder name: 'coil-fitting' -> 'Coil fitting'."""
    return name.replace("-", " ").capitalize()


PLAIN_WORDS = re.compile(r"[^\W\d_][\w .'()-]*[\w.)]|[^\W\d_]")
"""Text YAML reads back as the same string without quotes: words, spaces and plain punctuation."""
YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}
"""Words YAML 1.1 readers take for booleans or null."""


def filled(template: str, values: dict[str, Any]) -> str:
    """A YAML template with the one-line values of some of its keys replaced, everything
    else (comments, quoting, order) as it was."""
    lines = template.splitlines(keepends=True)
    for key, value in values.items():
        at = next((i for i, line in enumerate(lines) if line.startswith(f"{key}:")), None)
        assert at is not None, f"the template has no '{key}'"
        lines[at] = f"{key}: {yaml_value(value)}\n"
    return "".join(lines)


def yaml_value(value: Any) -> str:
    """A value as one line of YAML: plain words as they are, other text quoted (JSON's
    quoting is YAML's), a date as YYYY-MM-DD, a list in brackets."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(yaml_value(item) for item in value) + "]"
    text = str(value)
    if PLAIN_WORDS.fullmatch(text) and text.lower() not in YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def written(path: Path, text: str) -> Path:
    """Write a new document's file; its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
