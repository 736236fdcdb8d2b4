"""The shipped Simplified Chinese font: what it covers, and names outside GB2312 on the page.

These read the committed fonts and character lists only (not fontTools, not the
Debian fonts that tools/make_fonts.py starts from)."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pdfplumber
import pytest
from conftest import REPO, edit
from reportlab.pdfbase.ttfonts import TTFontFile

import brochure
from brochure.write.pdf.fonts import FAMILIES, FONT_DIR, chain_for, missing_glyphs

WEIGHTS = ("Regular", "Bold")
GENERAL_STANDARD = REPO / "tools" / "general-standard-chinese-characters.txt"
SC_EXTRA = REPO / "tools" / "sc-font-extra-chars.txt"
# Given-name characters outside GB2312; 𫖮 (U+2B5AE) is beyond the Basic Multilingual Plane.
NAMES = "喆堃𫖮"


def rows(path: Path) -> list[list[str]]:
    """The tab-separated rows of a character list, without its '#' comments."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


def general_standard() -> list[tuple[int, int, str]]:
    """(number, level, character) of each row of the committed 8,105 list, checking the code point column."""
    out = []
    for number, level, code, char in rows(GENERAL_STANDARD):
        assert code == f"U+{ord(char):04X}", (number, code, char)
        out.append((int(number), int(level), char))
    return out


def gb2312() -> set[str]:
    """Every character of GB2312: each valid double-byte code, decoded."""
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


@cache
def cmap(weight: str) -> frozenset[str]:
    """The characters a weight of Noto Sans SC maps to a glyph, as ReportLab reads the file."""
    face = TTFontFile(str(FAMILIES["NotoSansSC"].path(weight)))
    return frozenset(map(chr, face.charToGlyph))


def test_the_list_has_8105_characters_in_three_levels() -> None:
    table = general_standard()
    assert [number for number, _, _ in table] == list(range(1, 8106))
    assert len({char for _, _, char in table}) == 8105
    assert Counter(level for _, level, _ in table) == {1: 3500, 2: 3000, 3: 1605}
    assert all(level == (1 if n <= 3500 else 2 if n <= 6500 else 3) for n, level, _ in table)
    assert "".join(char for _, _, char in table[:10]) == "一乙二十丁厂七卜八人"
    assert {"喆", "堃", "𫖮"} <= {char for _, level, char in table if level == 3}


def test_gb2312_has_7445_characters() -> None:
    chars = gb2312()
    assert len(chars) == 7445
    assert sum("\u4e00" <= c <= "\u9fff" for c in chars) == 6763


@pytest.mark.parametrize("weight", WEIGHTS)
def test_every_general_standard_character_is_in_the_font(weight: str) -> None:
    missing = {char for _, _, char in general_standard()} - cmap(weight)
    assert not missing, f"{len(missing)} missing, e.g. {''.join(sorted(missing)[:20])}"


@pytest.mark.parametrize("weight", WEIGHTS)
def test_every_gb2312_character_is_in_the_font(weight: str) -> None:
    missing = gb2312() - cmap(weight)
    assert not missing, f"{len(missing)} missing, e.g. {''.join(sorted(missing)[:20])}"


@pytest.mark.parametrize("weight", WEIGHTS)
def test_the_latin_punctuation_and_symbols_are_kept(weight: str) -> None:
    extra = {chr(int(code.removeprefix("U+"), 16)) for code, *_ in rows(SC_EXTRA)}
    assert len(extra) == 147 and {"A", "z", "0", "9", "\u00a0", "·", "—", "•", "〇"} <= extra
    assert not extra - cmap(weight)


def test_both_weights_cover_the_same_characters() -> None:
    assert cmap("Regular") == cmap("Bold")
    assert len(cmap("Regular")) == 9059


def test_licence_names_the_copyright_holder_and_the_reserved_name() -> None:
    licence = (FONT_DIR / "NotoSansSC-OFL.txt").read_text(encoding="utf-8")
    assert licence.startswith("Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'.")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "GPL" not in licence
    for weight in WEIGHTS:  # a Modified Version may not use the Reserved Font Name
        name = TTFontFile(str(FAMILIES["NotoSansSC"].path(weight))).name
        assert b"Source" not in name and name == f"NotoSansSC-{weight}".encode()


def test_names_outside_gb2312_are_drawn_and_extract_back(project: Path) -> None:
    assert not missing_glyphs(NAMES, chain_for("NotoSansSC"))
    assert not set(NAMES) & gb2312()
    edit(project / "content" / "clinic.yaml", "name: Riverside Women's Health Clinic", f"name: {NAMES}妇科诊所")
    [pdf_path] = brochure.build(project, docs=["hsg"], langs=["zh-Hans"], formats=["pdf"])
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[0]
        assert page.extract_text().count(f"{NAMES}妇科诊所") == 2  # the title block and the footer
        fonts = {c["fontname"].split("+")[-1] for c in page.chars if c["text"] in NAMES}
    assert fonts == {"NotoSansSC-Bold", "NotoSansSC-Regular"}
