"""Line breaks in the built leaflets, read back from the PDFs' text lines (poppler's
pdftotext, which groups words into lines and lines into blocks): every sample document
in every language and every layout. No Chinese line starts with closing or ends with
opening punctuation, no Polish line ends in a one-letter word, and the clinic's phone
number, its postcode, NHS 111, dates, times and a number with what it counts stay whole
on one line; in a right-to-left contact box the columns keep their gap."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import pytest
from conftest import copy_project

import brochure
from brochure.scripts import HAN_CANNOT_END, HAN_CANNOT_START
from brochure.write.breaks import breaks_for

LANGS = ("en", "ar", "es", "hi", "pl", "vi", "zh-Hans")
LAYOUTS = ("leaflet", "comparison", "trifold", "large-print")
ONE_LETTER = re.compile(r"(?:^|\s)([AaIiOoUuWwZz])$")
CJK = "\u3000-\u9fff\uff00-\uffef"
# What must stay on one line, as its words: a right-to-left line may come back in
# another order, so a value is split when two neighbouring lines share its words.
WHOLE = {
    "phone": ("01632", "960", "123"),
    "postcode": ("RV1", "2AB"),
    "NHS 111": ("NHS", "111"),
}
KEPT = {
    "en": [("1", "December", "2028"), ("30", "to", "60", "minutes"), ("2", "hours")],
    "es": [("1", "de", "diciembre", "de", "2028")],
    "pl": [("1", "grudnia", "2028"), ("30", "do", "60", "minut")],
    "vi": [("8", "giờ", "sáng"), ("6", "giờ", "chiều"), ("30", "phút")],
    "ar": [("30", "إلى", "60", "دقيقة"), ("1", "ديسمبر", "2028")],  # poppler reads "8 صباحًا" without some letters
    "hi": [("8", "बजे"), ("60", "मिनट")],
    "zh-Hans": [("2028年12月1日",), ("上午8点",)],
}
pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed (.ci/run installs it)"
)


@dataclass(frozen=True)
class Line:
    """A line of text on a page, with its block (a paragraph or a cell) and its box."""

    page: int
    block: int
    words: tuple[str, ...]
    left: float
    right: float
    top: float
    bottom: float

    @property
    def text(self) -> str:
        """The words as one string; none between Chinese characters."""
        return re.sub(rf"(?<=[{CJK}]) (?=[{CJK}])", "", " ".join(self.words))


def lines_of(pdf_path: Path) -> list[Line]:
    """Every text line of a PDF, in poppler's reading order."""
    found = subprocess.run(["pdftotext", "-bbox-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True)
    out: list[Line] = []
    page = block = 0
    for match in re.finditer(r"<page |<block |<line ([^>]*)>(.*?)</line>", found.stdout, re.S):
        if match.group(0) == "<page ":
            page += 1
        elif match.group(0) == "<block ":
            block += 1
        else:
            box = dict(re.findall(r'(\w+)="([\d.]+)"', match.group(1)))
            words = tuple(html.unescape(w).replace("\xa0", " ") for w in re.findall(r">([^<]*)</word>", match.group(2)))
            out.append(Line(page, block, words, float(box["xMin"]), float(box["xMax"]), float(box["yMin"]), float(box["yMax"])))
    return out


@pytest.fixture(scope="session")
def every_layout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every sample document in every language in every layout it suits, as PDFs."""
    root = copy_project(tmp_path_factory.mktemp("layouts"))
    for layout in LAYOUTS:
        brochure.build(root, langs=LANGS, layout=layout, formats=["pdf"])
    return root / "output"


def pdfs(output: Path, lang: str) -> list[Path]:
    found = sorted((output / lang).glob("*.pdf"))
    assert len(found) == 7, found  # 2 leaflets x 3 layouts, 1 comparison
    return found


def where(line: Line, pdf: Path) -> str:
    return f"{pdf.name} page {line.page}: {line.text!r}"


def test_chinese_lines_neither_start_closed_nor_end_open(every_layout: Path) -> None:
    found = []
    for pdf in pdfs(every_layout, "zh-Hans"):
        for line in lines_of(pdf):
            if line.text[0] in HAN_CANNOT_START or line.text[-1] in HAN_CANNOT_END:
                found.append(where(line, pdf))
    assert found == []


def test_no_chinese_paragraph_ends_on_one_character(every_layout: Path) -> None:
    breaks = breaks_for("zh-Hans", "han")
    found = []
    for pdf in pdfs(every_layout, "zh-Hans"):
        for _, block in groupby(lines_of(pdf), key=lambda line: (line.page, line.block)):
            lines = [line for line in block if line.text != "•"]  # a list's bullet, read as a line of its own
            if len(lines) > 1 and breaks.counted(lines[-1].text) < 2:
                found.append(where(lines[-1], pdf))
    assert found == []


def test_no_polish_line_ends_in_a_one_letter_word(every_layout: Path) -> None:
    found = [where(line, pdf) for pdf in pdfs(every_layout, "pl") for line in lines_of(pdf) if ONE_LETTER.search(line.text)]
    assert found == []


def unmarked(text: str) -> str:
    """Text without combining marks: a reader may give an Arabic tanwin back as a word of its own."""
    return re.sub(r" +", " ", "".join(c for c in text if unicodedata.category(c) != "Mn"))


def splits(lines: list[Line], parts: tuple[str, ...]) -> tuple[int, list[tuple[Line, Line]]]:
    """How many lines hold all of a value's words, and each pair of neighbouring lines of
    one block that share them between them (the value broken across the two)."""

    def has(line: Line, part: str) -> bool:
        text = unmarked(line.text.replace("NHS111", "NHS 111"))
        part = unmarked(part)
        if part.isascii():
            return re.search(rf"(?<![A-Za-z\d]){re.escape(part)}(?![A-Za-z\d])", text) is not None
        # Arabic words come back in the order they are drawn, right to left: letters reversed.
        return (
            any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text) for p in (part, part[::-1]))
            or bool(re.search(f"[{CJK}]", part))
            and part in text
        )

    whole = sum(all(has(line, p) for p in parts) for line in lines)
    broken = []
    for a, b in zip(lines, lines[1:], strict=False):
        if a.page != b.page or a.block != b.block:
            continue
        in_a, in_b = {p for p in parts if has(a, p)}, {p for p in parts if has(b, p)}
        if in_a and in_b and in_a | in_b == set(parts) and set(parts) not in (in_a, in_b):
            broken.append((a, b))
    return whole, broken


@pytest.mark.parametrize("lang", LANGS)
def test_phone_postcode_and_nhs_111_are_never_split(every_layout: Path, lang: str) -> None:
    found = []
    for name, parts in WHOLE.items():
        seen = 0
        for pdf in pdfs(every_layout, lang):
            whole, broken = splits(lines_of(pdf), parts)
            seen += whole
            found += [f"{name}: {where(a, pdf)} / {b.text!r}" for a, b in broken]
        assert seen >= 7, f"{name} is printed whole only {seen} times in {lang}"
    assert found == []


@pytest.mark.parametrize("lang", LANGS)
def test_numbers_stay_with_what_they_count(every_layout: Path, lang: str) -> None:
    """Dates, times and amounts: printed whole at least once, never broken across lines."""
    found = []
    for parts in KEPT[lang]:
        seen = 0
        for pdf in pdfs(every_layout, lang):
            whole, broken = splits(lines_of(pdf), parts)
            seen += whole
            found += [f"{' '.join(parts)}: {where(a, pdf)} / {b.text!r}" for a, b in broken]
        assert seen, f"{' '.join(parts)!r} is never printed whole in {lang}"
    assert found == []


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_right_to_left_contact_columns_keep_their_gap(tmp_path: Path, paper: str) -> None:
    """The two columns of the Arabic contact box: on every line they share, the address
    column (on the right) and the hours and email column (on the left) stay a gap apart."""
    root = copy_project(tmp_path)
    brochure.build(root, docs=["hsg", "hsg-vs-hysteroscopy"], langs=["ar"], paper=paper, formats=["pdf"])
    for pdf in sorted((root / "output" / "ar").glob("*.pdf")):
        lines = lines_of(pdf)
        address = next(line for line in lines if "Mill" in line.words)
        same_page = [line for line in lines if line.page == address.page and line.block != address.block]
        beside = [line for line in same_page if line.bottom > address.top and line.top < address.bottom]
        assert beside, f"{pdf.name}: nothing beside the address line"
        gap = address.left - max(line.right for line in beside)
        assert gap >= 8, f"{pdf.name}: {gap:.1f}pt between the contact box's columns"
