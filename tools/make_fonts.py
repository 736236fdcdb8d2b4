"""Make the static TrueType fonts shipped in brochure/fonts/.

ReportLab embeds only TrueType (glyf) outlines and renders only the default
instance of a variable font, so the fonts are prepared once, here, and the
results are committed with their licences (SIL Open Font License 1.1):

- Noto Sans, Noto Sans Arabic, Noto Sans Devanagari: static Regular and Bold
  instances cut from the variable fonts on PyPI (fontpkg-noto-*).
- Noto Sans SC: the Simplified Chinese face of Debian's fonts-noto-cjk (Noto
  Sans CJK SC 2.004, CFF outlines), subset to the 8,105 characters of the
  Table of General Standard Chinese Characters (general-standard-chinese-characters.txt),
  the whole of GB2312 and the Latin, punctuation and symbols of
  sc-font-extra-chars.txt (9,059 characters), converted to quadratic TrueType
  outlines. Only outlines and metrics are kept: ReportLab reads no other table
  and Chinese needs no shaping, so the OpenType layout and vertical tables would
  only add glyphs nothing draws (alternates, vertical forms): 2.5 MB a weight,
  where keeping them gives 5 MB.

    pip install fonttools fontpkg-noto-sans fontpkg-noto-sans-arabic fontpkg-noto-sans-devanagari
    apt-get install fonts-noto-cjk   # Debian 12: 1:20220127, Noto Sans CJK 2.004
    python tools/make_fonts.py           # every family
    python tools/make_fonts.py NotoSansSC  # one family
"""

from __future__ import annotations

import importlib
import shutil
import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable
from fontTools.varLib.instancer import instantiateVariableFont

TOOLS = Path(__file__).resolve().parent
OUT = TOOLS.parent / "brochure" / "fonts"
WEIGHTS = {"Regular": 400, "Bold": 700}
VARIABLE = {
    "NotoSans": ("fontpkg_noto_sans", "NotoSans[wdth,wght].ttf"),
    "NotoSansArabic": ("fontpkg_noto_sans_arabic", "NotoSansArabic[wdth,wght].ttf"),
    "NotoSansDevanagari": ("fontpkg_noto_sans_devanagari", "NotoSansDevanagari[wdth,wght].ttf"),
}
CJK_DIR = Path("/usr/share/fonts/opentype/noto")
CJK_SC_INDEX = 2  # JP, KR, SC, TC, HK in NotoSansCJK-*.ttc
GENERAL_STANDARD = TOOLS / "general-standard-chinese-characters.txt"
SC_EXTRA = TOOLS / "sc-font-extra-chars.txt"
# The copyright line of noto-cjk's own licence file; Debian's copyright file names
# other holders, and the fonts' name table leaves out the Reserved Font Name.
CJK_COPYRIGHT = "Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'."
# Tables the subset drops: layout (GSUB alternates and vertical forms pull in 7,500
# glyphs), vertical metrics and baselines. ReportLab reads none of them.
CJK_DROP_TABLES = ["GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx", "VORG"]


def make_static(family: str) -> None:
    """Static Regular and Bold instances of a variable font, and its licence."""
    module, filename = VARIABLE[family]
    folder = Path(importlib.import_module(module).__file__).parent
    for name, weight in WEIGHTS.items():
        font = instantiateVariableFont(TTFont(folder / "files" / filename), {"wght": weight, "wdth": 100}, updateFontNames=True)
        font.save(OUT / f"{family}-{name}.ttf")
        print("wrote", OUT / f"{family}-{name}.ttf")
    shutil.copy(folder / "LICENSE", OUT / f"{family}-OFL.txt")


def code_points(path: Path, column: int) -> list[str]:
    """The characters of a tab-separated list whose `column` holds U+XXXX; '#' starts a comment."""
    chars = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            chars.append(chr(int(line.split("\t")[column].removeprefix("U+"), 16)))
    return chars


def general_standard() -> list[str]:
    """The 8,105 characters of the Table of General Standard Chinese Characters (2013), in its order."""
    chars = code_points(GENERAL_STANDARD, 2)
    assert len(set(chars)) == len(chars) == 8105, f"{GENERAL_STANDARD} has {len(set(chars))} characters, not 8,105"
    return chars


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


def cjk_text() -> str:
    """The characters of the Chinese font: the general standard table, GB2312 and the extras."""
    return "".join(sorted(set(general_standard()) | gb2312() | set(code_points(SC_EXTRA, 0))))


def cff_to_truetype(font: TTFont) -> None:
    """Replace CFF outlines with quadratic TrueType outlines, in place."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    maxp.numGlyphs = len(order)
    font["maxp"] = maxp
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"


def cjk_subset(font: TTFont, text: str) -> None:
    """Keep the glyphs of `text` and the tables ReportLab uses, in place."""
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += CJK_DROP_TABLES
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)


def rename_cjk(font: TTFont) -> None:
    """Name the font Noto Sans SC, as the subset no longer has the Japanese, Korean or Chinese (Traditional) glyphs."""
    for record in font["name"].names:
        if record.nameID in (1, 4, 6, 16):
            name = str(record.toUnicode())
            record.string = name.replace("Noto Sans CJK SC", "Noto Sans SC").replace("NotoSansCJKsc", "NotoSansSC")


def cjk_licence() -> str:
    """noto-cjk's licence: its copyright line and the SIL Open Font License 1.1 (the text as fontpkg ships it)."""
    ofl = (Path(importlib.import_module("fontpkg_noto_sans").__file__).parent / "LICENSE").read_text(encoding="utf-8")
    return (
        f"{CJK_COPYRIGHT}\n\n"
        "This Font Software is licensed under the SIL Open Font License, Version 1.1.\n"
        "This license is copied below, and is also available with a FAQ at:\n"
        "https://openfontlicense.org\n\n\n" + ofl[ofl.index("-----") :]
    )


def make_cjk() -> None:
    """Noto Sans SC Regular and Bold as subset TrueType fonts, and their licence."""
    text = cjk_text()
    for name in WEIGHTS:
        font = TTCollection(CJK_DIR / f"NotoSansCJK-{name}.ttc").fonts[CJK_SC_INDEX]
        cjk_subset(font, text)
        cff_to_truetype(font)
        rename_cjk(font)
        missing = set(map(ord, text)) - set(font.getBestCmap())
        assert not missing, f"{name} lacks {len(missing)} characters: {''.join(map(chr, sorted(missing)))[:40]}"
        font.recalcTimestamp = False  # keep the source's date: the same input gives the same bytes
        font.save(OUT / f"NotoSansSC-{name}.ttf")
        print("wrote", OUT / f"NotoSansSC-{name}.ttf", f"({len(text)} characters)")
    (OUT / "NotoSansSC-OFL.txt").write_text(cjk_licence(), encoding="utf-8")


def main(families: list[str]) -> None:
    """Make the fonts of the families named (all when none is)."""
    OUT.mkdir(parents=True, exist_ok=True)
    for family in families or [*VARIABLE, "NotoSansSC"]:
        if family == "NotoSansSC":
            make_cjk()
        else:
            make_static(family)


if __name__ == "__main__":
    main(sys.argv[1:])
