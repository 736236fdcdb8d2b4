"""Golden pages: every sample document in every language and layout (A4), each page kept as a
grey PNG at 54 dpi and as its text with positions, so that any change to what is printed shows
as a failing test with the two pages and their difference side by side.

    python -m tests.golden --update    # after a change to the pages you meant to make

The files are in this folder: <lang>/<doc>.<layout>-<page>.png and <lang>/<doc>.<layout>.txt.
Rendering is pinned (A4, the sample content's own dates, SOURCE_DATE_EPOCH ignored) so that two
runs write the same bytes; the comparison allows for anti-aliasing (a pixel counts as changed
when it is more than one of the four levels of grey off, and a page as changed when more than
PIXELS_CHANGED pixels are) and for text that moves less than TEXT_SHIFT points."""

from __future__ import annotations

import difflib
import io
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageChops

from brochure.model import Project
from brochure.pipeline import layouts_for, open_project, prepare_all, render_job, resolve

FOLDER = Path(__file__).resolve().parent
REPO = FOLDER.parent.parent
DPI = 54
GREYS = 4  # levels of grey kept (2 bits a pixel): text still reads, and the PNGs are small
PIXEL_OFF = 100  # out of 255: a pixel more than one level of grey off has changed
PIXELS_CHANGED = 24  # a page with more changed pixels than this has changed (a comma is about 10)
TEXT_SHIFT = 2  # points: text that moved less than this has not moved
PAPER = "a4"
UPDATE = "python -m tests.golden --update"


@dataclass(frozen=True)
class Case:
    """One document in one language and layout."""

    doc: str
    lang: str
    layout: str

    @property
    def name(self) -> str:
        return f"{self.lang}/{self.doc}.{self.layout}"

    def image(self, page: int) -> Path:
        """The golden image of a page (1-based)."""
        return FOLDER / f"{self.name}-{page}.png"

    @property
    def text(self) -> Path:
        """The golden text of all pages."""
        return FOLDER / f"{self.name}.txt"


@dataclass(frozen=True)
class Page:
    """A page as kept: its grey PNG and its text lines with positions."""

    png: bytes
    text: str


@contextmanager
def pinned() -> Iterator[None]:
    """Rendering that depends on nothing but the content: SOURCE_DATE_EPOCH unset, so each
    document carries its own publication date."""
    saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["SOURCE_DATE_EPOCH"] = saved


@cache
def sample_project() -> Project:
    """The repository's sample project, loaded once (nothing is written to it)."""
    return open_project(REPO)


def cases(project: Project) -> list[Case]:
    """Every sample document x language x layout it can be printed in."""
    return sorted(
        (Case(doc.name, lang, layout) for (_, lang), doc in project.documents.items() for layout in layouts_for(project, doc)),
        key=lambda c: (c.lang, c.doc, c.layout),
    )


def render(project: Project, case: Case) -> bytes:
    """The PDF of a case, as `brochure build` makes it, in memory."""
    with pinned():
        [job] = resolve(project, [case.doc], [case.lang], REPO / "output", layout=case.layout, formats=["pdf"], paper=PAPER)
        [prepared] = prepare_all(project, [job], PAPER)
        pdf, _ = render_job(job, prepared, fit=False)
    return pdf


def grey_png(image: Image.Image) -> bytes:
    """A page image as a small PNG: GREYS levels of grey, 2 bits a pixel, no time stamp."""
    step = 255 / (GREYS - 1)
    levels = image.convert("L").point(lambda v: round(v / step))
    indexed = Image.frombytes("P", levels.size, levels.tobytes())
    indexed.putpalette([round(i * step) for i in range(GREYS) for _ in range(3)])
    out = io.BytesIO()
    indexed.save(out, format="PNG", optimize=True, bits=2)
    return out.getvalue()


def text_lines(page: pdfium.PdfPage) -> list[str]:
    """The page's text, a line as PDFium reads it (in reading order, right to left text
    as it is read): its left and top edges in whole points from the page's top left corner,
    then its text."""
    textpage = page.get_textpage()
    height = page.get_height()
    lines: list[str] = []
    chars: list[str] = []
    boxes: list[tuple[float, float, float, float]] = []

    def end_line() -> None:
        text = "".join(chars).strip()
        if text and boxes:
            lines.append(f"{round(min(b[0] for b in boxes))} {round(height - max(b[3] for b in boxes))} {text}")
        chars.clear()
        boxes.clear()

    for i in range(textpage.count_chars()):
        char = textpage.get_text_range(i, 1)
        if char in ("\r", "\n"):
            end_line()
        elif char.isprintable():
            chars.append(char)
            if not char.isspace():
                boxes.append(textpage.get_charbox(i))
    end_line()
    textpage.close()
    return lines


def pages_of(pdf: bytes) -> list[Page]:
    """Each page of a PDF as it is kept: a grey image at DPI and its text with positions."""
    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for number, page in enumerate(document, 1):
            image = page.render(scale=DPI / 72, grayscale=True).to_pil()
            width, height = round(page.get_width()), round(page.get_height())
            text = "\n".join([f"# page {number} ({width} x {height} pt)", *text_lines(page)])
            pages.append(Page(grey_png(image), text))
        return pages
    finally:
        document.close()


def write(case: Case, pages: list[Page]) -> list[Path]:
    """Keep a case's pages as its golden files; return their paths."""
    case.text.parent.mkdir(parents=True, exist_ok=True)
    case.text.write_text("\n".join(page.text for page in pages) + "\n", encoding="utf-8")
    paths = [case.text]
    for number, page in enumerate(pages, 1):
        case.image(number).write_bytes(page.png)
        paths.append(case.image(number))
    return paths


def page_count(case: Case) -> int:
    """How many pages a case's golden text has (0 if it has none)."""
    if not case.text.is_file():
        return 0
    return len(re.findall(r"^# page \d+ ", case.text.read_text(encoding="utf-8"), re.M))


def kept_files() -> set[Path]:
    """Every golden file in the folder."""
    return {path for path in FOLDER.glob("*/*") if path.suffix in (".png", ".txt")}


def parse(text: str) -> list[tuple[int, int, str]]:
    """Golden text as (left, top, text) lines, page headers as (-1, page, header)."""
    lines = []
    for line in text.splitlines():
        if line.startswith("# page "):
            lines.append((-1, int(line.split()[2]), line))
        else:
            left, top, words = line.split(" ", 2)
            lines.append((int(left), int(top), words))
    return lines


def text_differences(expected: str, actual: str) -> list[str]:
    """The lines whose text differs or that moved TEXT_SHIFT points or more (at most 12)."""
    old, new = parse(expected), parse(actual)
    if [line[2] for line in old] != [line[2] for line in new]:
        diff = difflib.unified_diff(expected.splitlines(), actual.splitlines(), "expected", "actual", lineterm="", n=1)
        return list(diff)[:40]
    moved = [
        f"moved from ({a[0]}, {a[1]}) to ({b[0]}, {b[1]}): {a[2]}"
        for a, b in zip(old, new, strict=True)
        if a[0] >= 0 and (abs(a[0] - b[0]) >= TEXT_SHIFT or abs(a[1] - b[1]) >= TEXT_SHIFT)
    ]
    return moved[:12] + ([f"... and {len(moved) - 12} more"] if len(moved) > 12 else [])


def changed_pixels(expected: bytes, actual: bytes) -> tuple[int, Image.Image | None]:
    """How many pixels of two page images differ by more than PIXEL_OFF, and where."""
    old, new = (Image.open(io.BytesIO(png)).convert("L") for png in (expected, actual))
    if old.size != new.size:
        return old.width * old.height, None
    mask = ImageChops.difference(old, new).point(lambda v: 255 if v > PIXEL_OFF else 0)
    return mask.histogram()[255], mask


def side_by_side(expected: bytes | None, actual: bytes, mask: Image.Image | None) -> bytes:
    """Expected, actual and their difference (changed pixels in red over the actual page,
    faded) side by side, as a PNG."""
    new = Image.open(io.BytesIO(actual)).convert("RGB")
    old = Image.open(io.BytesIO(expected)).convert("RGB") if expected else Image.new("RGB", new.size, "white")
    faded = Image.blend(new, Image.new("RGB", new.size, "white"), 0.7)
    if mask is not None:
        faded.paste((220, 0, 0), mask=mask)
    width, height = old.width + 2 * new.width + 20, max(old.height, new.height)
    sheet = Image.new("RGB", (width, height), (128, 128, 128))
    for x, image in ((0, old), (old.width + 10, new), (old.width + new.width + 20, faded)):
        sheet.paste(image, (x, 0))
    out = io.BytesIO()
    sheet.save(out, format="PNG")
    return out.getvalue()


def compare(case: Case, pages: list[Page], out: Path) -> list[str]:
    """What differs between a case's fresh pages and its golden files: one line per
    difference, after writing, for each changed page, expected | actual | difference into
    `out` and naming the file."""
    if not case.text.is_file():
        return [f"{case.name}: no golden pages (make them with `{UPDATE}`)"]
    problems = []
    expected_text = case.text.read_text(encoding="utf-8")
    expected_pages = page_count(case)
    if expected_pages != len(pages):
        problems.append(f"{case.name}: {len(pages)} pages, the golden copy has {expected_pages}")
    changed = text_differences(expected_text, "\n".join(page.text for page in pages) + "\n")
    if changed:
        problems.append(f"{case.name}: the text differs:\n" + "\n".join(f"    {line}" for line in changed))
    for number, page in enumerate(pages, 1):
        golden = case.image(number)
        expected = golden.read_bytes() if golden.is_file() else None
        count, mask = changed_pixels(expected, page.png) if expected else (-1, None)
        if expected is None or count > PIXELS_CHANGED:
            sheet = out / f"{case.name.replace('/', '-')}-{number}.diff.png"
            sheet.parent.mkdir(parents=True, exist_ok=True)
            sheet.write_bytes(side_by_side(expected, page.png, mask))
            what = "is new" if expected is None else f"has {count} pixels changed"
            problems.append(f"{case.name} page {number} {what}: expected | actual | difference in {sheet}")
    return problems
