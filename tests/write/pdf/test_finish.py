"""The finishing pass: a subset tag of its own per font, the bookmarks open, and a
print-shop copy's inks: black ink only for text and greys, the clinic's CMYK for its colours."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from conftest import edit

import brochure


def colour_operators(pdf: Path) -> Counter[tuple[str, tuple[float, ...]]]:
    """Every colour-setting operator of every page, with its operands."""
    found: Counter[tuple[str, tuple[float, ...]]] = Counter()
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            for operands, op in pikepdf.parse_content_stream(page):
                if str(op) in ("rg", "RG", "k", "K", "g", "G", "sc", "SC", "scn", "SCN"):
                    found[(str(op), tuple(round(float(v), 3) for v in operands if not isinstance(v, pikepdf.Name)))] += 1
    return found


def test_each_font_subset_has_its_own_tag(project: Path) -> None:
    [pdf] = brochure.build(project, docs=["hsg"], langs=["zh-Hans"], formats=["pdf"])
    with pikepdf.open(pdf) as doc:
        names = {str(font.BaseFont) for page in doc.pages for font in page.Resources.Font.values()}
        descriptors = {str(font.FontDescriptor.FontName) for page in doc.pages for font in page.Resources.Font.values()}
    assert len(names) >= 4 and names == descriptors
    tags = [name[1:7] for name in names]
    assert all(re.fullmatch(r"/[A-Z]{6}\+Noto\S+", name) for name in names)
    assert len(set(tags)) == len(tags) and "AAAAAA" not in tags


def test_the_viewer_opens_with_the_bookmarks(project: Path) -> None:
    [pdf] = brochure.build(project, docs=["hsg"], formats=["pdf"])
    with pikepdf.open(pdf) as doc:
        assert doc.Root.PageMode == pikepdf.Name.UseOutlines
        assert len(doc.open_outline().root) >= 5


def test_a_print_shop_copy_is_in_cmyk_with_black_text_in_black_ink(project: Path) -> None:
    [screen] = brochure.build(project, docs=["hsg"], formats=["pdf"])
    assert any(op == "rg" for op, _ in colour_operators(screen))
    [shop] = brochure.build(project, docs=["hsg"], formats=["pdf"], print_marks=True)
    found = colour_operators(shop)
    assert not [key for key in found if key[0] in ("rg", "RG", "g", "G")], "no RGB or grey colour space left"
    assert found[("k", (0.0, 0.0, 0.0, 1.0))] > 50, "text (#1a1a1a) in 100 % black ink, not a rich black"
    assert found[("k", (0.85, 0.4, 0.3, 0.25))] > 0, "the primary colour as the profile's print_colours says"
    assert ("SCN", (1.0,)) in found, "crop marks in Registration (Separation /All)"
    greys = [cmyk for op, cmyk in found if op in ("k", "K") and cmyk[:3] == (0, 0, 0)]
    assert (0.0, 0.0, 0.0, 0.361) in greys, "the rule colour (#a3a3a3) in black ink only"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('  prmary: "85 40 30 25"', "'print_colours.prmary' names no colour in 'colours' (did you mean 'primary'?)"),
        ('  primary: "85 40 30"', "'print_colours.primary' must be four percentages, C M Y K (write it like \"90 45 30 20\")"),
    ],
)
def test_print_colours_are_checked(cli, project: Path, value: str, message: str) -> None:
    clinic = project / "content" / "clinic.yaml"
    edit(clinic, '  primary: "85 40 30 25"', value)
    line = clinic.read_text(encoding="utf-8").splitlines().index(value) + 1
    result = cli("-C", project, "check")
    assert result.exit_code == 1
    assert f"{clinic}:{line}: {message}" in result.output
