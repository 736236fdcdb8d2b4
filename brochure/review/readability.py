"""How hard a document is to read, section by section: the Flesch-Kincaid grade of
English text, and the longest sentence of text in other languages (for which
that formula means nothing). Markdown markers and placeholders are left out;
each heading, list item and paragraph counts as a sentence of its own."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from ..errors import FileError
from ..model import Comparison, Document, Leaflet, Text
from ..write.files import write_atomic

PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
SENTENCE_END = re.compile(r"(?<=[.!?。！？؟।])\s*")
HEADING = re.compile(r"^(#{2}) (.+)$", re.M)
MARKER = re.compile(r"^\s*(#+ |[-*] |\d+\. )")
GRADE_LIMIT = 8.0  # Flesch-Kincaid grade; plain-language guidance asks for 6 to 8
GRADES_FILE = Path(".brochure") / "cache" / "grades.json"
GRADES_FORMAT = "textstat 0.7.4 flesch_kincaid_grade"  # changes when the formula or its version does


@dataclass(frozen=True)
class Section:
    """A part of a document read on its own: its name, where it starts, and its plain sentences."""

    name: str
    path: Path
    line: int
    text: str


def plain_sentences(markdown: str) -> str:
    """Markdown as plain sentences: markers and placeholders removed, every heading,
    list item and paragraph ended with a full stop if it has no end of its own."""
    text = PLACEHOLDER.sub("", markdown)
    lines = []
    for raw in text.splitlines():
        if raw.lstrip().startswith(":::"):
            continue  # a box's fences and title
        line = MARKER.sub("", raw).replace("**", "").replace("__", "").strip()
        if line and not re.search(r"[.!?:;。！？：؟।]$", line):
            line += "."
        lines.append(line)
    return re.sub(r"\s+", " ", " ".join(lines)).strip()


def body_sections(body: Text, name_first: str) -> list[Section]:
    """A Markdown body cut at its `## ` headings; text before the first is `name_first`."""
    cuts = [(m.start(), m.group(2).strip()) for m in HEADING.finditer(body.source)]
    starts = [(0, name_first)] + cuts
    out = []
    for (start, name), (end, _) in zip(starts, starts[1:] + [(len(body.source), "")], strict=True):
        chunk = body.source[start:end]
        text = plain_sentences(chunk)
        if text:
            out.append(Section(name, body.path, body.line + body.source.count("\n", 0, start), text))
    return out


def sections(doc: Document) -> list[Section]:
    """Every part of a document a reader meets, each graded on its own."""
    out: list[Section] = []
    if isinstance(doc, Leaflet):
        if doc.summary:
            summary = "\n".join(f"- {item.source}" for item in doc.summary)
            out.append(Section("summary", doc.path, doc.summary[0].line, plain_sentences(summary)))
        if doc.facts:
            facts = "\n\n".join(fact.source for fact in doc.facts.values())
            out.append(Section("facts", doc.path, doc.key_lines.get("facts", 1), plain_sentences(facts)))
        if doc.appointment_note is not None:
            note = doc.appointment_note
            out.append(Section("appointment note", note.path, note.line, plain_sentences(note.source)))
        out.extend(body_sections(doc.body, "introduction"))
    elif isinstance(doc, Comparison):
        out.append(Section("intro", doc.intro.path, doc.intro.line, plain_sentences(doc.intro.source)))
        for section in doc.sections:
            text = plain_sentences(section.heading.source + "\n\n" + section.body.source)
            out.append(Section(section.heading.source.strip(), section.heading.path, section.heading.line, text))
    return [s for s in out if s.text]


@cache
def _textstat() -> Any:
    import textstat  # loads its hyphenation dictionaries: only when grading

    return textstat


def grade(text: str) -> float:
    """The Flesch-Kincaid grade of English text."""
    return float(_textstat().flesch_kincaid_grade(text))


class Grades:
    """Grades of texts, kept in a project's cache folder: a grade depends on its text
    alone, and textstat takes a quarter of a second to load, which every `mail` and
    `--release` run would pay for the same texts. A cache that cannot be read or
    written costs time, never a wrong grade."""

    def __init__(self, root: Path) -> None:
        self.path = root / GRADES_FILE
        self.added = False

    @cached_property
    def known(self) -> dict[str, float]:
        """The grades kept, read when the first is asked for (a document in another
        language asks for none)."""
        try:
            known = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return known if isinstance(known, dict) and known.pop("format", None) == GRADES_FORMAT else {}

    def __call__(self, text: str) -> float:
        key = hashlib.sha256(text.encode()).hexdigest()
        figure = self.known.get(key)
        if not isinstance(figure, float):
            figure = self.known[key] = grade(text)
            self.added = True
        return figure

    def keep(self) -> None:
        """Write the grades computed since they were read, if any."""
        if self.added:
            with contextlib.suppress(OSError, FileError):
                self.path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(self.path, json.dumps({"format": GRADES_FORMAT, **self.known}, sort_keys=True).encode())
            self.added = False


def sentences(text: str) -> list[str]:
    """The sentences of plain text."""
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def sentence_length(sentence: str, script: str) -> int:
    """A sentence's length: characters for Chinese (written without spaces), words otherwise."""
    if script == "han":
        return sum(1 for c in sentence if c.isalnum())
    return len(sentence.split())


def longest_sentence(text: str, script: str) -> int:
    """The length of the longest sentence (see `sentence_length`)."""
    return max((sentence_length(s, script) for s in sentences(text)), default=0)
