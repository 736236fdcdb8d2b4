"""What `brochure list` shows: every document's state in each language, the languages
and the layouts, each with the files it comes from (the project's own or built in)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..defaults import DEFAULTS, shown
from ..load.project import document_kind, layout_name
from ..model import Project
from .translations import matrix


def in_project(path: Path, project: Project) -> str:
    """A file as a user would name it: 'built-in:layouts/leaflet.yaml', or its path in the project."""
    if path.is_relative_to(project.root) and not path.is_relative_to(DEFAULTS):
        return path.relative_to(project.root).as_posix()
    return shown(path)


def listing(project: Project) -> dict[str, Any]:
    """The project's documents, languages and layouts as plain data (for text or JSON)."""
    states = {(s.name, s.lang): s.state for s in matrix(project)}
    documents = []
    for name in project.document_names:
        doc = next(d for (n, _), d in project.documents.items() if n == name)
        documents.append(
            {
                "name": name,
                "kind": document_kind(doc),
                "layout": layout_name(doc),
                "languages": {lang: states[(name, lang)] for lang in project.languages},
            }
        )
    languages = [
        {
            "code": lang,
            "name": strings.language_name,
            "direction": strings.direction,
            "script": strings.script,
            "strings": [in_project(path, project) for path in strings.files],
        }
        for lang in project.languages
        for strings in [project.strings[lang]]
    ]
    layouts = [
        {"name": name, "document": layout.document, "files": [in_project(path, project) for path in layout.files]}
        for name, layout in sorted(project.layouts.items())
    ]
    return {"root": str(project.root), "documents": documents, "languages": languages, "layouts": layouts}
