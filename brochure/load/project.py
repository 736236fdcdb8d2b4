"""Load a whole project (content/ and layouts/) and check it across files.

`load_project` never stops at the first problem: it returns the project with
every problem found, so that `brochure check` can report them all at once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from ..errors import Problem, did_you_mean
from ..model import DOCUMENT_NAME, Clinic, Comparison, Document, FigureArt, Layout, Leaflet, Project, Strings
from .content import is_language, load_clinic, load_comparison, load_leaflet, load_strings, string_files
from .figures import load_figures
from .layouts import layout_files, load_layout

DEFAULT_LAYOUT = {Leaflet: "leaflet", Comparison: "comparison"}
RESERVED = ("i18n", "assets", "figures")
MARKER = Path("content") / "clinic.yaml"  # what makes a folder a project's root


def slug(name: str) -> str:
    """A document name like `name`: lowercase ASCII words joined by hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_name.lower()))


def find_root(start: Path) -> Path | None:
    """The project `start` is in: the nearest folder, `start` or above it, holding
    content/clinic.yaml (or `start` itself if it has a content/ folder); None outside one."""
    start = start.resolve()
    if (start / "content").is_dir():
        return start
    return next((folder for folder in start.parents if (folder / MARKER).is_file()), None)


def document_kind(doc: Document) -> str:
    """'leaflet' or 'comparison': the kind of document a layout must be made for."""
    return DEFAULT_LAYOUT[type(doc)]


def layout_name(doc: Document) -> str:
    """The layout a document asks for, or its kind's default."""
    return doc.meta.layout or DEFAULT_LAYOUT[type(doc)]


def document_folders(content: Path) -> list[Path]:
    """The folders of content/ that hold a document (in its languages)."""
    return sorted(p for p in content.iterdir() if p.is_dir() and p.name not in RESERVED)


def load_documents(content: Path, problems: list[Problem], names: Iterable[str] | None = None) -> dict[tuple[str, str], Document]:
    """Every leaflet (<name>/<lang>.md) and comparison (<name>/<lang>.yaml); with `names`,
    only those documents and the leaflets the comparisons among them compare."""
    documents: dict[tuple[str, str], Document] = {}
    queue = [folder.name for folder in document_folders(content)] if names is None else list(names)
    loaded: set[str] = set()
    while queue:
        name = queue.pop(0)
        if name in loaded or name in RESERVED or not (content / name).is_dir():
            continue
        loaded.add(name)
        for doc in load_folder(content / name, problems):
            documents[(doc.name, doc.lang)] = doc
            if isinstance(doc, Comparison):
                queue += doc.leaflets
    return documents


def is_document(content: Path, name: str) -> bool:
    """Whether content/<name>/ is a document's folder."""
    return name == Path(name).name and not name.startswith(".") and name not in RESERVED and (content / name).is_dir()


def stray_kind(folder: Path, path: Path) -> Problem:
    """A leaflet in a folder of comparisons, or a comparison in a folder of leaflets."""
    twin = path.with_suffix(".md" if path.suffix == ".yaml" else ".yaml")
    kinds = {".md": "leaflets (.md)", ".yaml": "comparisons (.yaml)"}
    message = (
        f"{twin.name} and {path.name} are both '{folder.name}' in '{path.stem}'"
        if twin.exists()
        else f"'{folder.name}' holds {kinds[twin.suffix]}, and this file is not one"
    )
    hint = "a document is a leaflet (<lang>.md) or a comparison (<lang>.yaml) in every language; give the other its own folder"
    return Problem(path, None, message, hint)


def load_folder(folder: Path, problems: list[Problem]) -> list[Document]:
    """The document of one folder, in each of its languages."""
    out: list[Document] = []
    if not DOCUMENT_NAME.fullmatch(folder.name):
        hint = f"rename the folder, e.g. {slug(folder.name) or 'my-leaflet'}"
        problems.append(
            Problem(
                folder,
                None,
                "a document's folder name is lowercase letters, digits and hyphens (it is part of web addresses)",
                hint,
            )
        )
        return out
    files = [path for path in sorted(folder.iterdir()) if path.suffix in (".md", ".yaml") and not path.name.startswith(".")]
    suffixes = [path.suffix for path in files if is_language(path.stem)]
    kind = max((".md", ".yaml"), key=suffixes.count)  # a folder holds one kind; the fewer are refused
    for path in files:
        if not is_language(path.stem):
            problems.append(
                Problem(
                    path,
                    None,
                    f"'{path.stem}' is not a language code",
                    "name the file after its language, e.g. en.md or zh-Hans.md",
                )
            )
            continue
        if path.suffix != kind:
            problems.append(stray_kind(folder, path))
            continue
        doc = load_leaflet(path, problems) if path.suffix == ".md" else load_comparison(path, problems)
        if doc is not None:
            out.append(doc)
    return out


def check_comparison(doc: Comparison, documents: dict[tuple[str, str], Document], problems: list[Problem]) -> None:
    """A comparison's leaflets exist in its language and have every fact it shows."""
    for name in doc.leaflets:
        if not name:
            continue
        leaflet = documents.get((name, doc.lang))
        path = doc.path.parent.parent / name / f"{doc.lang}.md"
        if leaflet is None and path.is_file():
            continue  # the leaflet exists but is broken: its own problems are reported
        if not isinstance(leaflet, Leaflet):
            problems.append(
                Problem(
                    doc.path,
                    doc.key_lines.get("leaflets"),
                    f"leaflet '{name}' does not exist in '{doc.lang}'",
                    f"create content/{name}/{doc.lang}.md or fix the name",
                )
            )
            continue
        for key in doc.rows:
            if key not in leaflet.facts:
                problems.append(
                    Problem(
                        doc.path,
                        doc.key_lines.get("rows"),
                        f"row '{key}' is missing from the facts of {leaflet.path}",
                        f"add 'facts: {key}:' there or remove the row",
                    )
                )


def load_layouts(root: Path, problems: list[Problem]) -> tuple[dict[str, Layout], set[str]]:
    """Every layout the project can use (its own and the built-in ones), each resolved
    through its `extends:` chain; and the names of those that are broken (their problems
    are reported), so that documents asking for them add no problem of their own."""
    layouts: dict[str, Layout] = {}
    broken: set[str] = set()
    levels = layout_files(root)
    for name in sorted({n for names in levels for n in names}):
        before = len(problems)
        layout = load_layout(name, levels, problems)
        if layout is not None:
            layouts[name] = layout
        elif len(problems) > before:
            broken.add(name)
    return layouts, broken


def check_layout(doc: Document, layouts: dict[str, Layout], broken: set[str], problems: list[Problem]) -> None:
    """A document's layout exists and is made for its kind of document."""
    name, kind = layout_name(doc), document_kind(doc)
    layout = layouts.get(name)
    line = doc.key_lines.get("layout")
    if layout is None and name in broken:
        return  # the layout's own problems say what is wrong
    if layout is None:
        problems.append(Problem(doc.path, line, f"unknown layout '{name}'", did_you_mean(name, layouts)))
    elif layout.document != kind:
        problems.append(Problem(doc.path, line, f"layout '{name}' is for a {layout.document}", f"use a layout made for a {kind}"))


def document_order(documents: dict[tuple[str, str], Document]) -> tuple[str, ...]:
    """Document names, leaflets before comparisons, each alphabetical."""
    kinds = {name: isinstance(doc, Comparison) for (name, _), doc in documents.items()}
    return tuple(sorted(kinds, key=lambda name: (kinds[name], name)))


def check_figure(
    doc: Leaflet, name: str, figures: dict[str, FigureArt], strings: dict[str, Strings], problems: list[Problem]
) -> None:
    """A leaflet's figure exists, and its language has a string for each of its labels."""
    if name not in figures:
        problems.append(
            Problem(
                doc.path,
                doc.key_lines.get("figure"),
                f"no figure '{name}' in content/figures/",
                did_you_mean(name, figures) if figures else f"add content/figures/{name}.yaml",
            )
        )
        return
    if doc.lang not in strings:
        return  # reported with the document
    own = doc.path.parent.parent / "i18n" / f"{doc.lang}.yaml"  # content/i18n/<lang>.yaml: where to add it
    for label in figures[name].labels:
        if f"figure.{label.id}" not in strings[doc.lang].values:
            problems.append(
                Problem(
                    own if own.exists() else figures[name].path,
                    None,
                    f"missing string 'figure.{label.id}', a label of figure '{name}' used by {doc.path}",
                    f"add 'figure: {{{label.id}: ...}}' to content/i18n/{doc.lang}.yaml",
                )
            )


def load_project(root: Path, names: Iterable[str] | None = None) -> tuple[Project, list[Problem]]:
    """Load and check everything under `root`; with `names` (documents that all exist),
    only those documents and what they need, not the project's other documents, whose
    problems are then not this command's to report."""
    problems: list[Problem] = []
    content = root / "content"
    if not content.is_dir():
        problems.append(Problem(root, None, "no content/ folder here", "run brochure in a project folder, or pass --project"))
    clinic = load_clinic(root, problems)
    strings: dict[str, Strings] = {}
    documents: dict[tuple[str, str], Document] = {}
    for lang, files in string_files(root).items():
        strings[lang] = load_strings(lang, files, problems)
    if names is not None and not (content.is_dir() and all(is_document(content, name) for name in names)):
        names = None  # a name that is no document is reported against every document there is
    if content.is_dir():
        documents = load_documents(content, problems, names)
    layouts, broken = load_layouts(root, problems)
    before = len(problems)
    figures = load_figures(content / "figures", problems)
    broken_figures = {Path(p.path).stem for p in problems[before:]}  # their own problems say what is wrong
    for doc in documents.values():
        if isinstance(doc, Leaflet) and doc.figure is not None and doc.figure.name not in broken_figures:
            check_figure(doc, doc.figure.name, figures, strings, problems)
        if doc.lang not in strings:
            problems.append(
                Problem(
                    doc.path,
                    None,
                    f"no strings for language '{doc.lang}'",
                    f"run 'brochure translate {doc.name} {doc.lang}' or create content/i18n/{doc.lang}.yaml",
                )
            )
        if isinstance(doc, Comparison):
            check_comparison(doc, documents, problems)
        check_layout(doc, layouts, broken, problems)
    known = {name for name, _ in documents}
    for procedure, docs in clinic.procedures.items():
        for name in docs:
            if documents and names is None and name not in known:
                line = clinic.key_lines.get("procedures")
                problems.append(
                    Problem(
                        clinic.path, line, f"procedure '{procedure}' names unknown document '{name}'", did_you_mean(name, known)
                    )
                )
    languages = project_languages(clinic, strings, documents, problems)
    project = Project(root, clinic, strings, documents, layouts, document_order(documents), figures, languages)
    return project, problems


def project_languages(
    clinic: Clinic, strings: dict[str, Strings], documents: dict[tuple[str, str], Document], problems: list[Problem]
) -> tuple[str, ...]:
    """The clinic's languages: those it declares, else those its documents are in; the
    default first. Each needs strings (built in or the project's own)."""
    declared = clinic.languages or tuple(sorted({lang for _, lang in documents}))
    for lang in declared:
        if lang not in strings:
            problems.append(
                Problem(
                    clinic.path,
                    clinic.key_lines.get("languages"),
                    f"language '{lang}' has no strings",
                    f"create content/i18n/{lang}.yaml; brochure translate makes one",
                )
            )
    rest = sorted(lang for lang in declared if lang != clinic.default_language and lang in strings)
    return (clinic.default_language, *rest)
