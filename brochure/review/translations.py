"""Translation tracking: which documents exist in which language, and whether
each translation is current, stale (its source changed since) or a draft."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem
from ..model import Document, Project

SOURCE, CHECKED, DRAFT, STALE, MISSING, UNTRACKED = "source", "checked", "draft", "stale", "missing", "untracked"


def source_hash(path: Path) -> str:
    """A short fingerprint of a source file's text, stored in its translations."""
    data = path.read_bytes().replace(b"\r\n", b"\n")
    return hashlib.sha256(data).hexdigest()[:16]


@dataclass(frozen=True)
class Status:
    """The state of one document in one language, and a note that explains it."""

    name: str
    lang: str
    state: str
    note: Problem | None = None


def document_path(project: Project, name: str, lang: str) -> Path:
    """Where a document in a language lives (or would live)."""
    kind = next(d for (n, _), d in project.documents.items() if n == name)
    return project.root / "content" / name / f"{lang}{kind.path.suffix}"


def status_of(project: Project, name: str, lang: str) -> Status:
    """Whether `name` exists in `lang`, and if it is a translation, how current it is."""
    doc = project.documents.get((name, lang))
    if doc is None:
        path = document_path(project, name, lang)
        rel = path.relative_to(project.root)
        return Status(name, lang, MISSING, Problem(rel, None, f"missing translation of '{name}' into '{lang}'", f"create {rel}"))
    translation = doc.meta.translation
    if translation is None:
        return Status(name, lang, SOURCE)
    return translation_status(project, doc)


def translation_status(project: Project, doc: Document) -> Status:
    """A translated document against its source: stale, draft or checked."""
    translation = doc.meta.translation
    assert translation is not None
    source_path = document_path(project, doc.name, translation.source)
    if not source_path.is_file():
        note = Problem(
            doc.path,
            translation.line,
            f"translated from '{translation.source}', but {source_path.name} does not exist",
            "fix 'translation.source'",
        )
        return Status(doc.name, doc.lang, UNTRACKED, note)
    current = source_hash(source_path)
    if current != translation.source_hash:
        note = Problem(
            doc.path,
            translation.line,
            f"stale translation: {source_path.relative_to(project.root)} changed since this was translated",
            f"update the translation, then set source_hash: {current}",
        )
        return Status(doc.name, doc.lang, STALE, note)
    if not translation.checked_by:
        note = Problem(
            doc.path,
            translation.line,
            "draft translation: not checked by a qualified medical translator",
            "set 'checked_by' once it is",
        )
        return Status(doc.name, doc.lang, DRAFT, note)
    return Status(doc.name, doc.lang, CHECKED)


def matrix(project: Project) -> list[Status]:
    """The status of every document in every language of the project."""
    return [status_of(project, name, lang) for name in project.document_names for lang in project.languages]


def start_translation(project: Project, name: str, lang: str, source_lang: str) -> Path:
    """Copy a document's source into a new language, with a translation record,
    ready for a translator. Refuses to overwrite an existing file."""
    source = project.documents.get((name, source_lang))
    if source is None:
        raise ValueError(f"'{name}' does not exist in '{source_lang}'")
    target = document_path(project, name, lang)
    if target.exists():
        raise FileExistsError(f"{target.relative_to(project.root)} already exists")
    record = (
        "translation:\n"
        f"  source: {source_lang}\n"
        f"  source_hash: {source_hash(source.path)}\n"
        "  translated_by: TRANSLATOR (say who, and that it is not checked by a qualified medical translator)\n"
        "  checked_by: null\n"
    )
    text = source.path.read_text(encoding="utf-8")
    if source.path.suffix == ".md":
        end = text.index("\n---", 3) + 1
        text = text[:end] + record + text[end:]
    else:
        text = text.rstrip("\n") + "\n" + record
    target.write_text(text, encoding="utf-8")
    return target
