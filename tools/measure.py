"""The measure of built PDFs: the median number of characters in a full line of body text.

python tools/measure.py output/*/*.pdf [--format text|csv]

Body text is text at the document's body size (the size most characters have) in the
regular weight, in the page's main columns (not page furniture, boxes beside a figure or
table cells: see `running`). A full line is one that its paragraph continues after: the next line
below it, overlapping it across, starts within 1.3 leadings. Last lines of paragraphs,
headings, labels and footers do not count. Characters are what the text layer holds
(a Chinese character counts one). Reads PDFs with PyMuPDF (the test extra).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pymupdf


@dataclass(frozen=True)
class Line:
    """One line of body text on a page: its box and its characters."""

    page: int
    x0: float
    x1: float
    top: float
    text: str


def body_size(doc: pymupdf.Document) -> float:
    """The size most characters of a document are set in."""
    sizes: Counter[float] = Counter()
    for page in doc:
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", ()):
                for span in line["spans"]:
                    sizes[round(span["size"], 1)] += len(span["text"].strip())
    return sizes.most_common(1)[0][0]


def body_lines(doc: pymupdf.Document, size: float) -> list[Line]:
    """Every line of regular text at the body size, page by page."""
    out = []
    for number, page in enumerate(doc, 1):
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", ()):
                spans = [s for s in line["spans"] if s["text"].strip()]
                if not spans or any(abs(s["size"] - size) > 0.2 for s in spans):
                    continue
                if all(s["flags"] & 16 or "Bold" in s["font"] for s in spans):
                    continue  # a label or a bold lead-in line, not running text
                text = "".join(s["text"] for s in line["spans"]).strip()
                x0, top, x1, _ = line["bbox"]
                out.append(Line(number, x0, x1, top, text))
    return out


def running(lines: list[Line]) -> list[Line]:
    """Lines of running text: not page furniture (a line repeated at the same height on
    another page, numbers aside), not in a column narrower than 45 % of the page's widest
    line (a box beside a figure, a table cell, a figure's labels)."""

    def key(line: Line) -> tuple[str, int]:
        return re.sub(r"\d+", "#", line.text), round(line.top)

    pages_of: dict[tuple[str, int], set[int]] = {}
    for line in lines:
        pages_of.setdefault(key(line), set()).add(line.page)
    widest = {page: max(line.x1 - line.x0 for line in lines if line.page == page) for page in {line.page for line in lines}}
    return [line for line in lines if len(pages_of[key(line)]) == 1 and line.x1 - line.x0 >= 0.45 * widest[line.page]]


def full_lines(lines: list[Line], leading: float) -> list[Line]:
    """The lines of running text that their paragraph continues after."""
    out = []
    for line in running(lines):
        below = [
            other
            for other in lines
            if other.page == line.page
            and 0.5 * leading < other.top - line.top < 1.3 * leading
            and other.x0 < line.x1
            and line.x0 < other.x1
        ]
        if below:
            out.append(line)
    return out


def measure(path: Path) -> tuple[float, int]:
    """The median characters per full body line of a PDF, and how many lines it counted."""
    with pymupdf.open(path) as doc:
        size = body_size(doc)
        lines = body_lines(doc, size)
    steps = Counter(
        round(b.top - a.top) for a, b in zip(lines, lines[1:], strict=False) if a.page == b.page and 0 < b.top - a.top < 3 * size
    )
    leading = steps.most_common(1)[0][0] if steps else size * 1.25
    counted = full_lines(lines, leading)
    if not counted:
        return 0.0, 0
    return statistics.median(len(line.text) for line in counted), len(counted)


def main() -> None:
    """Print the measure of every PDF given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="+", type=Path)
    parser.add_argument("--format", choices=("text", "csv"), default="text")
    args = parser.parse_args()
    for path in args.pdfs:
        median, count = measure(path)
        if args.format == "csv":
            print(f"{path},{median:g},{count}")
        else:
            print(f"{median:5.1f} chars  {count:4d} lines  {path}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
