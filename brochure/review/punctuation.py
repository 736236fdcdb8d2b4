"""Half-width punctuation in sentences of a script that writes it full width (Chinese:
'什么是HSG?' for '什么是HSG？'), found in the files as written, by file and line.

A mark counts when it sits in a stretch of text without spaces that holds a character
of the script: '检查前30至60分钟:' is a Chinese sentence, 'NICE CG156, Fertility' is
not. Times and numbers (8:00, 1,000), web addresses (https://), Markdown link targets
and YAML comments are left alone.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Problem
from ..model import Project
from ..scripts import HAN, SCRIPTS

WIDE = re.compile(f"[{HAN}]")
LINK_TARGET = re.compile(r"\]\((?:[^()]|\([^()]*\))*\)")  # a Markdown link's target, one level of brackets inside
EXEMPT = re.compile(r"\d[:,.]\d|://")


def half_width_warnings(project: Project) -> list[Problem]:
    """A warning for each line of a document, strings file or the clinic profile that has
    half-width punctuation in a sentence of a language whose script writes it full width."""
    found: list[Problem] = []
    langs = {lang: SCRIPTS[s.script].full_width for lang, s in project.strings.items() if SCRIPTS[s.script].full_width}
    paths: list[tuple[Path, str]] = []
    for doc in project.documents.values():
        if doc.lang in langs:
            paths.append((doc.path, langs[doc.lang]))
    for lang, pairs in langs.items():
        paths.extend((path, pairs) for path in project.strings[lang].files)
    if langs:
        paths.append((project.clinic.path, next(iter(langs.values()))))
    for path, pairs in dict.fromkeys(paths):
        found.extend(in_file(path, pairs))
    return found


def in_file(path: Path, pairs: str) -> list[Problem]:
    """The half-width marks of `pairs` (half, full, half, full ...) in the sentences of one file."""
    wide = dict(zip(pairs[::2], pairs[1::2], strict=True))
    lines = path.read_text(encoding="utf-8").splitlines()
    yaml = path.suffix in (".yaml", ".yml")
    front = path.suffix == ".md" and lines[:1] == ["---"]  # a Markdown file's YAML front matter, until its closing '---'
    found = []
    for number, line in enumerate(lines, 1):
        if front and line.strip() == "---" and number > 1:
            front = False
        if (yaml or front) and line.lstrip().startswith("#"):
            continue
        marks = marks_in(line, wide)
        if marks:
            shown = ", ".join(f"'{half}' in '{context}'" for half, context in marks)
            fix = ", ".join(dict.fromkeys(f"'{wide[half]}' for '{half}'" for half, _ in marks))
            found.append(Problem(path, number, f"half-width punctuation in a Chinese sentence: {shown}", f"write {fix}"))
    return found


def marks_in(line: str, wide: dict[str, str]) -> list[tuple[str, str]]:
    """Each half-width mark in a stretch of `line` that holds a full-width script's
    character, with a few characters around it."""
    out = []
    for word in LINK_TARGET.sub("]", line).split():
        if not WIDE.search(word):
            continue
        for i, char in enumerate(word):
            if char in wide and not EXEMPT.search(word[max(0, i - 1) : i + 3]):
                out.append((char, word[max(0, i - 6) : i + 3]))
    return out
