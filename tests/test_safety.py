"""Safety-critical points of the sample content, read from the built PDFs, and the
reading grade of every section.

Each point's key terms are kept per language in KEY_TERMS, so that a language's
terms can be added once its translation carries the point; a language without an
entry for a point is not tested for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import textstat
from conftest import REPO, copy_project, plain_words
from pypdf import PdfReader

import brochure
from brochure.load.project import load_project
from brochure.model import Comparison, Leaflet

GRADE_LIMIT = 8


@dataclass(frozen=True)
class Point:
    """Terms a document must print. With `after`, every term must come within
    `window` characters after the first place `after` is printed (a box title, a
    heading); without it, anywhere in the document."""

    doc: str
    terms: tuple[str, ...]
    after: str | None = None
    window: int = 1000


HELP_EN = (
    "38°C or more",
    "soaking a pad every 1 to 2 hours",
    "clots bigger than a 10p coin",
    "not helped by painkillers",
    "smelly discharge",
)

HELP_ES = (
    "38 °C o más",
    "empapar una compresa cada 1 o 2 horas",
    "coágulos más grandes que una moneda de 10 peniques",
    "no se alivia con analgésicos",
    "flujo vaginal con mal olor",
)

KEY_TERMS: dict[str, dict[str, Point]] = {
    "en": {
        "pregnancy in the hysteroscopy leaflet": Point(
            "hysteroscopy",
            ("no chance that you are pregnant", "use contraception or do not have sex", "offer you a pregnancy test"),
        ),
        "pregnancy in the HSG leaflet": Point(
            "hsg",
            (
                "do not have sex without contraception",
                "we will ask if you could be pregnant",
                "urine",
                "may not show a pregnancy that has just started",
                "call us before the day",
                "may need a new date",
                "irregular",
                "your period is late",
            ),
        ),
        "pain first among the hysteroscopy risks": Point(
            "hysteroscopy",
            ("Most people feel some pain", "the pain is severe", "Nobody can tell in advance", "ask us to stop at any time"),
            after="Risks",
            window=300,
        ),
        "help box in the HSG leaflet": Point("hsg", HELP_EN + ("call 999",), after="When to get help"),
        "help box in the hysteroscopy leaflet": Point("hysteroscopy", HELP_EN, after="When to get help"),
        "help box in the comparison": Point(
            "hsg-vs-hysteroscopy", HELP_EN + ("01632 960 123", "call 999"), after="When to get help"
        ),
        "no driving after sedation, hysteroscopy leaflet": Point(
            "hysteroscopy",
            (
                "sedation or a general anaesthetic",
                "separate appointment in an operating theatre",
                "An adult must take you home",
                "Do not drive for 24 hours",
            ),
            after="Sedation or a general anaesthetic",
            window=400,
        ),
        "no driving after sedation, comparison": Point(
            "hsg-vs-hysteroscopy",
            ("After sedation or a general anaesthetic", "an adult must take you home", "Do not drive for 24 hours"),
        ),
        "late dye reaction after an HSG": Point("hsg", ("rash, itching or swelling", "hard to breathe, call 999")),
    },
    "es": {
        "pregnancy in the hysteroscopy leaflet": Point(
            "hysteroscopy",
            (
                "ninguna posibilidad de que esté embarazada",
                "use anticonceptivos o no tenga relaciones sexuales",
                "Le ofreceremos una prueba de embarazo",
            ),
        ),
        "pregnancy in the HSG leaflet": Point(
            "hsg",
            (
                "no tenga relaciones sexuales sin anticonceptivos",
                "le preguntaremos si podría estar embarazada",
                "orina",
                "puede no detectar un embarazo que acaba de empezar",
                "llámenos antes del día de la prueba",
                "cambiar la fecha",
                "irregulares",
                "la regla se retrasa",
            ),
        ),
        "pain first among the hysteroscopy risks": Point(
            "hysteroscopy",
            (
                "La mayoría de las personas sienten algo de dolor",
                "el dolor es muy fuerte",
                "Nadie puede saber de antemano",
                "Puede pedirnos que paremos en cualquier momento",
            ),
            after="Riesgos",
            window=300,
        ),
        "help box in the HSG leaflet": Point("hsg", HELP_ES + ("llame al 999",), after="Cuándo pedir ayuda"),
        "help box in the hysteroscopy leaflet": Point("hysteroscopy", HELP_ES, after="Cuándo pedir ayuda"),
        "help box in the comparison": Point(
            "hsg-vs-hysteroscopy", HELP_ES + ("01632 960 123", "llame al 999"), after="Cuándo pedir ayuda"
        ),
        "no driving after sedation, hysteroscopy leaflet": Point(
            "hysteroscopy",
            (
                "Sedación o anestesia general",
                "cita aparte en un quirófano",
                "Una persona adulta debe llevarle a casa",
                "No conduzca durante 24 horas",
            ),
            after="Sedación o anestesia general",
            window=400,
        ),
        "no driving after sedation, comparison": Point(
            "hsg-vs-hysteroscopy",
            (
                "Después de una sedación o una anestesia general",
                "una persona adulta debe llevarle a casa",
                "No conduzca durante 24 horas",
            ),
        ),
        "late dye reaction after an HSG": Point("hsg", ("sarpullido, picor o hinchazón", "le cuesta respirar, llame al 999")),
    },
}

# Every mention of the drug carries the caveat, in every document and appointment note.
IBUPROFEN: dict[str, tuple[str, str]] = {
    "en": ("ibuprofen", "ibuprofen if you can take it, paracetamol if not"),
}

DOCS = ("hsg", "hysteroscopy", "hsg-vs-hysteroscopy")


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="session")
def pdf_text(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], str]:
    """The text of a sample document in a language, whitespace normalised. English
    comes from the shared build; other languages are built once when first asked."""
    roots: dict[str, Path] = {"en": built}
    cache: dict[tuple[str, str], str] = {}

    def text(doc: str, lang: str) -> str:
        if lang not in roots:
            root = copy_project(tmp_path_factory.mktemp(f"built-{lang}"))
            brochure.build(root, langs=[lang])
            roots[lang] = root / "output"
        if (doc, lang) not in cache:
            reader = PdfReader(roots[lang] / lang / f"{doc}.pdf")
            cache[(doc, lang)] = normalised(" ".join(page.extract_text() for page in reader.pages))
        return cache[(doc, lang)]

    return text


# Hindi's text layer loses conjuncts (ReportLab maps them to private-use code points):
# its terms are printed but cannot be read back until the text layer carries the
# letters; then these cases pass and must be unmarked.
HINDI_TEXT = pytest.mark.xfail(strict=True, reason="Hindi text layer: conjuncts extract as private-use code points")
CASES = [
    pytest.param(lang, name, marks=HINDI_TEXT if lang == "hi" else (), id=f"{lang}: {name}")
    for lang, points in KEY_TERMS.items()
    for name in points
]


@pytest.mark.parametrize(("lang", "name"), CASES)
def test_safety_point_is_printed(pdf_text, lang: str, name: str) -> None:
    point = KEY_TERMS[lang][name]
    text = pdf_text(point.doc, lang)
    if point.after is not None:
        start = text.find(point.after)
        assert start >= 0, f"{point.doc} [{lang}]: {point.after!r} not printed"
        text = text[start : start + point.window]
    missing = [term for term in point.terms if term.lower() not in text.lower()]
    where = f" within {point.window} characters after {point.after!r}" if point.after else ""
    assert not missing, f"{point.doc} [{lang}]: {name}: {missing} not printed{where}"


@pytest.mark.parametrize("lang", sorted(IBUPROFEN))
@pytest.mark.parametrize("doc", DOCS)
def test_ibuprofen_always_with_the_caveat(pdf_text, doc: str, lang: str) -> None:
    drug, caveat = IBUPROFEN[lang]
    text = pdf_text(doc, lang).lower()
    assert text.count(drug) >= 1, f"{doc} [{lang}]: {drug!r} not printed"
    assert text.count(caveat) == text.count(drug), f"{doc} [{lang}]: {drug!r} without {caveat!r}"


@pytest.mark.parametrize("lang", sorted(IBUPROFEN))
@pytest.mark.parametrize("doc", ["hsg", "hysteroscopy"])
def test_appointment_note_gives_the_ibuprofen_caveat(doc: str, lang: str) -> None:
    # The note is printed only on a patient's personalised copy: read it as written.
    project, problems = load_project(REPO)
    assert not problems
    note = project.documents[(doc, lang)].appointment_note
    assert note is not None
    drug, caveat = IBUPROFEN[lang]
    text = normalised(note.source).lower()
    assert text.count(drug) >= 1 and text.count(caveat) == text.count(drug), f"{doc} [{lang}]: {text}"


def with_full_stop(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!", ":")) else text + "."


def reading_sections() -> list[tuple[str, str, str]]:
    """(document, section, Markdown) for every part of the English samples measured
    on its own: each ## section of a leaflet's body (with its ### subsections), its
    summary, its facts together, its appointment note; a comparison's intro and each
    of its sections."""
    project, problems = load_project(REPO)
    assert not problems, problems
    sections = []
    for name in DOCS:
        doc = project.documents[(name, "en")]
        if isinstance(doc, Leaflet):
            for part in re.split(r"(?m)^(?=## )", doc.body.source):
                if part.strip():
                    heading = part.splitlines()[0].removeprefix("## ") if part.startswith("## ") else "(before the first heading)"
                    sections.append((name, heading, part))
            sections.append((name, "summary", "\n".join(with_full_stop(s.source) for s in doc.summary)))
            sections.append((name, "facts", "\n".join(with_full_stop(f.source) for f in doc.facts.values())))
            if doc.appointment_note is not None:
                sections.append((name, "appointment note", doc.appointment_note.source))
        elif isinstance(doc, Comparison):
            sections.append((name, "intro", doc.intro.source))
            for section in doc.sections:
                sections.append((name, section.heading.source, f"## {section.heading.source}\n\n{section.body.source}"))
    return sections


SECTIONS = reading_sections()


@pytest.mark.parametrize(("doc", "section", "markdown"), SECTIONS, ids=[f"{d}: {s}" for d, s, _ in SECTIONS])
def test_every_section_reads_at_grade_8_or_below(doc: str, section: str, markdown: str) -> None:
    grade = textstat.flesch_kincaid_grade(plain_words(markdown))
    assert grade <= GRADE_LIMIT, f"{doc}, section {section!r}: Flesch-Kincaid grade {grade} (limit {GRADE_LIMIT})"
