"""Golden pages: every sample document in every language and layout is printed as its golden
files in tests/golden/ show (see tests/golden/__init__.py). A failure names each changed page
and the image of expected | actual | difference; if the change is meant, run
`python -m tests.golden --update` and commit the new files with the change."""

from __future__ import annotations

import io
from pathlib import Path

import golden
import pytest
from golden import Case, Page
from PIL import Image, ImageChops

from brochure.model import Project

CASES = golden.cases(golden.sample_project())  # the project is loaded once per worker


@pytest.fixture(scope="session")
def sample() -> Project:
    """The sample project, loaded once; each case renders on whichever worker runs it."""
    return golden.sample_project()


def test_every_document_language_and_layout_has_golden_pages() -> None:
    assert len(CASES) == 7 * (2 * 3 + 1), "two leaflets in three layouts, a comparison in one, in seven languages"
    expected = {case.text for case in CASES} | {case.image(n) for case in CASES for n in range(1, golden.page_count(case) + 1)}
    stale = sorted(str(path.relative_to(golden.FOLDER)) for path in golden.kept_files() - expected)
    assert not stale, f"golden files of no page: {stale} (run `{golden.UPDATE}`)"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_pages_are_as_the_golden_files_show(sample: Project, case: Case, tmp_path: Path) -> None:
    pages = golden.pages_of(golden.render(sample, case))
    problems = golden.compare(case, pages, tmp_path)
    if problems:
        pytest.fail("\n".join(problems) + f"\n(if the change is meant, run `{golden.UPDATE}`)", pytrace=False)


def shifted(page: Page, dx: int) -> Page:
    """A page with its image moved `dx` pixels to the right and its text unchanged."""
    image = Image.open(io.BytesIO(page.png)).convert("L")
    moved = ImageChops.offset(image, dx, 0)
    return Page(golden.grey_png(moved), page.text)


def test_a_changed_page_fails_with_the_three_images(sample: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(golden, "FOLDER", tmp_path / "golden")  # golden files of its own, made now
    case = Case("hsg", "en", "leaflet")
    pages = golden.pages_of(golden.render(sample, case))
    golden.write(case, pages)
    assert golden.compare(case, golden.pages_of(golden.render(sample, case)), tmp_path) == [], "the same twice"
    # A line's text changed (and its pixels): the diff of the text, the images side by side.
    header, line, *rest = pages[0].text.splitlines()
    edited = [Page(shifted(pages[0], 3).png, "\n".join([header, f"{line} (changed)", *rest])), *pages[1:]]
    problems = golden.compare(case, edited, tmp_path)
    assert any(f"\n    -{line}\n    +{line} (changed)" in problem for problem in problems), problems
    [image_line] = [line for line in problems if "page 1 has" in line]
    sheet = Path(image_line.rsplit(" in ", 1)[1])
    with Image.open(sheet) as image, Image.open(case.image(1)) as kept:
        assert image.width == 3 * kept.width + 20, "expected, actual and the difference side by side"
    # Text that moves by less than TEXT_SHIFT points has not moved; by more it has.
    text = pages[0].text
    left, top, words = line.split(" ", 2)
    assert golden.text_differences(text, moved(text, 1)) == []
    first = golden.text_differences(text, moved(text, golden.TEXT_SHIFT))[0]
    assert first == f"moved from ({left}, {top}) to ({int(left) + golden.TEXT_SHIFT}, {top}): {words}"


def moved(text: str, dx: int) -> str:
    """Golden text with every line moved `dx` points to the right."""
    return "\n".join(
        line if line.startswith("#") else f"{int(line.split(' ', 1)[0]) + dx} {line.split(' ', 1)[1]}"
        for line in text.splitlines()
    )


def test_one_grey_level_of_anti_aliasing_is_no_change() -> None:
    flat = Image.new("L", (100, 100), 255)
    noisy = flat.copy()
    for x in range(0, 100, 3):
        noisy.putpixel((x, x), 170)  # one of the four levels off: anti-aliasing
    count, _ = golden.changed_pixels(golden.grey_png(flat), golden.grey_png(noisy))
    assert count == 0
    for x in range(golden.PIXELS_CHANGED + 1):
        noisy.putpixel((x, 50), 0)  # a mark where there was none
    count, _ = golden.changed_pixels(golden.grey_png(flat), golden.grey_png(noisy))
    assert count == golden.PIXELS_CHANGED + 1
