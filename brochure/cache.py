"""The disk cache under a project's .brochure/cache/: what brochure rendered, kept under a
hash of everything it was made from, so that a later build or mail batch reuses it
instead of rendering it again (mail/leaflets.py keeps the base copies of personalised
leaflets in pdf/, pipeline.py the files `build` writes in build/).

A key covers the document's files (in every language: a translation's state shows in
the others' notes), the layout (its definition and files), the clinic profile and its
logo, the language's strings, the figures, the fonts, brochure's own files (code, the
style sheet a page embeds, the built-in defaults) and version, the installed libraries
that render (their files' sizes and times, and every installed distribution's version),
Python's version and SOURCE_DATE_EPOCH: what it does not cover cannot change the output.
Entries are private (0600 files in 0700 folders, as beside patient data), written
atomically, checked against their SHA-256 when read, and a new one replaces the earlier
ones of the same name (document, language, layout, variant). A cache that cannot be
written costs time, never an output."""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import Any

from .errors import FileError
from .model import Document, Layout, Project
from .scripts import FONT_DIR
from .write.files import write_atomic

CACHE = Path(".brochure") / "cache"
FILE_MODE, FOLDER_MODE = 0o600, 0o700
RENDERERS = ("reportlab", "pikepdf", "uharfbuzz", "bidi", "markdown_it", "mdit_py_plugins", "jinja2", "babel", "segno", "svglib")


def source_files(project: Project, doc: Document, layout: Layout) -> list[Path]:
    """The project's files an output of a document in a layout is made from."""
    names = {doc.name, *getattr(doc, "leaflets", ())}
    files = [d.path for (name, _), d in sorted(project.documents.items()) if name in names]  # translations' states too
    files += list(layout.files or (layout.path,))
    files.append(project.clinic.path)
    if project.clinic.logo is not None:
        files.append(project.clinic.logo)
    strings = project.strings[doc.lang]
    files += list(strings.files or (strings.path,))
    files += [art.path for _, art in sorted(project.figures.items())]
    return files


def installed_files() -> list[Path]:
    """brochure's fonts, its own files and each renderer's package file."""
    return [*sorted(FONT_DIR.glob("*.ttf")), *code_files()]


@functools.cache
def code_files() -> tuple[Path, ...]:
    """brochure's own files (its modules, the style sheet a page embeds, the built-in
    defaults) and each renderer's package file (found, not imported), once per process:
    a key reads their sizes and times each time."""
    code = Path(__file__).resolve().parent
    found = sorted(p for p in code.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.parent != FONT_DIR)
    found += [Path(origin) for origin in map(renderer_origin, RENDERERS) if origin]
    return tuple(found)


def key(project: Project, doc: Document, layout: Layout, *parts: str) -> str:
    """A hash of everything an output of `doc` in `layout` is made from, and `parts`
    (what kind of output, and its variant)."""
    return files_key(source_files(project, doc, layout), doc.name, doc.lang, layout.name, *parts, repr(layout))


def files_key(files: list[Path], *parts: str) -> str:
    """A hash of `files` (their paths and contents), `parts`, and the code and settings
    that turn them into an output."""
    import brochure

    digest = hashlib.sha256()
    for part in (brochure.__version__, sys.version, os.environ.get("SOURCE_DATE_EPOCH", ""), *parts):
        digest.update(part.encode() + b"\0")
    for path in files:
        try:
            data = path.read_bytes()
        except OSError:
            data = b"(unreadable)"
        digest.update(str(path).encode() + b"\0" + hashlib.sha256(data).digest())
    for path in installed_files():
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    for name in installed_distributions():
        digest.update(name.encode() + b"\0")
    return digest.hexdigest()


@functools.cache
def installed_distributions() -> tuple[str, ...]:
    """Every distribution installed beside the renderers, with its version (the names of
    their .dist-info folders), once per process: an upgrade of any library (Pillow,
    lxml and fontTools draw too) changes the keys."""
    folders = {Path(origin).parent.parent for origin in map(renderer_origin, RENDERERS) if origin}
    names: list[str] = []
    for folder in sorted(folders):
        try:
            names += sorted(entry.name for entry in os.scandir(folder) if entry.name.endswith(".dist-info"))
        except OSError:
            continue
    return tuple(names)


@functools.cache
def renderer_origin(name: str) -> str | None:
    """Where a renderer's package file is (found, not imported)."""
    spec = importlib.util.find_spec(name)
    return spec.origin if spec is not None else None


def folder(root: Path, kind: str) -> Path:
    """Where a project's entries of a kind (pdf, build, logo) are kept."""
    return root / CACHE / kind


def read(root: Path, kind: str, key: str, name: list[str], suffix: str) -> tuple[bytes, dict[str, Any]] | None:
    """The data and record kept under `key`, if they are there whole and for `name`."""
    place = folder(root, kind)
    try:
        record = json.loads((place / f"{key}.json").read_text(encoding="utf-8"))
        data = (place / f"{key}{suffix}").read_bytes()
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("document") != name or record.get("sha256") != hashlib.sha256(data).hexdigest():
        return None
    return data, record


def write(root: Path, kind: str, key: str, name: list[str], suffix: str, data: bytes, record: dict[str, Any]) -> None:
    """Keep `data` and its record under `key` (unless they are there already, whole: a
    spoiled entry is written again) and drop the earlier entries of the same name."""
    place = folder(root, kind)
    entry = {**record, "document": name, "sha256": hashlib.sha256(data).hexdigest()}
    kept = read(root, kind, key, name, suffix)
    if kept is not None and kept[1] == json.loads(json.dumps(entry)):
        return
    try:
        for part in (place.parent.parent, place.parent, place):
            part.mkdir(mode=FOLDER_MODE, exist_ok=True)
        os.chmod(place, FOLDER_MODE)
        write_atomic(place / f"{key}{suffix}", data, FILE_MODE)
        write_atomic(place / f"{key}.json", json.dumps(entry, sort_keys=True).encode(), FILE_MODE)
    except (OSError, FileError):
        return
    prune(place, key, name, suffix)


def prune(place: Path, key: str, name: list[str], suffix: str) -> None:
    """Remove the entries of the same name kept under other keys: earlier versions of its
    sources or code, which nothing asks for again."""
    for path in place.glob("*.json"):
        if path.stem == key:
            continue
        try:
            if json.loads(path.read_text(encoding="utf-8")).get("document") != name:
                continue
            path.with_suffix(suffix).unlink(missing_ok=True)
            path.unlink()
        except (OSError, ValueError, AttributeError):
            continue  # another's record, or one being written: left alone
