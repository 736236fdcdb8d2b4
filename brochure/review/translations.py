"""Translation tracking: which documents exist in which language, and whether
each translation is current, stale (its source changed since) or a draft."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..defaults import shown
from ..errors import Problem, did_you_mean
from ..load.content import BUILT_IN_STRINGS, built_in_keys, fill_in_examples
from ..model import Document, Leaflet, Project
from ..scripts import writing_of

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
        missing = Problem(path, None, f"missing translation of '{name}' into '{lang}'", f"create {shown(path)}")
        return Status(name, lang, MISSING, missing)
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
            f"stale translation: {shown(source_path)} changed since this was translated",
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
        raise FileExistsError(f"{shown(target)} already exists")
    record = (
        "translation:\n"
        f"  source: {source_lang}\n"
        f"  source_hash: {source_hash(source.path)}\n"
        "  translated_by: TRANSLATOR (say who, and that it is not checked by a qualified medical translator)\n"
        "  checked_by: null\n"
    )
    text = source.path.read_text(encoding="utf-8-sig")
    if source.path.suffix == ".md":
        end = text.index("\n---", 3) + 1
        text = as_new_draft(text[:end]) + record + text[end:]
    else:
        text = as_new_draft(text).rstrip("\n") + "\n" + record
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


# The keys a copy for translation does not keep: the source's own translation record (when
# translating from a translation) and its sign-off, which is not the translation's.
NOT_COPIED = ("translation", "reviewed_by", "reviewed_on", "approved_by", "approved_on")


def as_new_draft(front_matter: str) -> str:
    """Front matter for a new translation: a draft, without the source's translation
    record or sign-off (each key with the lines indented under it)."""
    for key in NOT_COPIED:
        front_matter = re.sub(rf"(?m)^{key}:.*\n(?:[ \t]+.*\n|[ \t]*\n)*", "", front_matter)
    return re.sub(r"(?m)^status:.*$", "status: draft", front_matter)


TO_FILL = "FILL IN"  # marks a value `brochure translate` could not know


def start_strings(project: Project, lang: str, source_lang: str) -> Path | None:
    """For a language brochure has no strings for: content/i18n/<lang>.yaml, a copy of the
    source language's strings to translate, its name and locale left to fill in. None if
    the language has strings already."""
    if lang in project.strings:
        return None
    source = project.strings[source_lang].files[-1]  # the complete, built-in file
    text = source.read_text(encoding="utf-8-sig")
    name, tag = fill_in_examples(lang)
    text = re.sub(r"(?m)^language_name:.*$", f'language_name: ""  # {TO_FILL}: the language\'s name in itself, e.g. {name}', text)
    text = re.sub(r"(?m)^locale:.*$", f'locale: ""  # {TO_FILL}: a language tag for dates, e.g. {tag}', text)
    writing = writing_of(lang)  # how the language is written, not the source's way
    if writing and writing.direction in ("ltr", "rtl"):
        text = re.sub(r"(?m)^direction:.*$", f"direction: {writing.direction}", text)
    if writing and writing.script:
        text = re.sub(r"(?m)^script:.*$", f"script: {writing.script}", text)
    target = project.root / "content" / "i18n" / f"{lang}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"# Strings for '{lang}', copied from '{source_lang}': translate every value.\n{text}", encoding="utf-8")
    return target


def texts(doc: Document) -> tuple[str, ...]:
    """What a translator translates in a document: its title, subtitle and body."""
    body = (doc.body.source,) if isinstance(doc, Leaflet) else (doc.intro.source, *(s.body.source for s in doc.sections))
    return (doc.meta.title.source, doc.meta.subtitle.source, *body)


def untranslated(project: Project) -> list[Problem]:
    """A warning for each translation whose text is still its source's, word for word, and
    for each project string file of a new language with strings still as in the source."""
    found = []
    for doc in project.documents.values():
        record = doc.meta.translation
        source = project.documents.get((doc.name, record.source)) if record else None
        if record and source is not None and texts(doc) == texts(source):
            found.append(Problem(doc.path, None, f"the text is the same as its source ({record.source})", "translate it"))
    default = project.strings.get(project.clinic.default_language)
    for lang, strings in project.strings.items():
        if default is None or lang == default.lang or len(strings.files) != 1 or strings.path.is_relative_to(BUILT_IN_STRINGS):
            continue
        same = [key for key, text in strings.values.items() if any(c.isalpha() for c in text.source)
                and key not in ("direction", "script") and key in default.values
                and default.values[key].source == text.source]  # fmt: skip
        if same:
            found.append(
                Problem(
                    strings.path,
                    None,
                    f"{len(same)} strings are the same as in {default.lang}",
                    f"translate them, e.g. '{same[0]}'",
                )
            )
    return found


def unused_strings(project: Project) -> list[Problem]:
    """A warning for each key of the project's string files that brochure does not have,
    that is no label of a figure, and that none of the project's layouts or content names
    ('key' or "key", as in t('key')): a misspelt key changes nothing."""
    named = "\n".join(
        path.read_text(encoding="utf-8", errors="replace")
        for folder in ("layouts", "content")
        for path in sorted((project.root / folder).rglob("*"))
        if path.suffix in (".yaml", ".md")  # strings too: one may use another, t('my_note')
    )
    known = built_in_keys() | {f"figure.{label.id}" for art in project.figures.values() for label in art.labels}
    found = []
    for strings in project.strings.values():
        for key, text in strings.values.items():
            if key in known or f"'{key}'" in named or f'"{key}"' in named:
                continue
            close = did_you_mean(key, known)
            hint = (
                close if close.startswith("did you mean") else f"use it as t('{key}') in a layout or content file, or remove it"
            )
            found.append(Problem(text.path, text.line, f"'{key}' is not one of brochure's strings, and nothing uses it", hint))
    return found
