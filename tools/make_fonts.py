"""Make the static TrueType fonts shipped in brochure/fonts/.

ReportLab embeds only TrueType (glyf) outlines and renders only the default
instance of a variable font, so the fonts are prepared once, here, and the
results are committed with their licences (SIL Open Font License 1.1):

- Noto Sans, Noto Sans Arabic, Noto Sans Devanagari: static Regular and Bold
  instances cut from the variable fonts on PyPI (fontpkg-noto-*).
- Noto Sans SC: the Simplified Chinese face of Debian's fonts-noto-cjk (CFF
  outlines), subset to GB2312 plus ASCII and punctuation, converted to
  quadratic TrueType outlines.

    pip install fonttools fontpkg-noto-sans fontpkg-noto-sans-arabic fontpkg-noto-sans-devanagari
    apt-get install fonts-noto-cjk
    python tools/make_fonts.py
"""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable
from fontTools.varLib.instancer import instantiateVariableFont

OUT = Path(__file__).resolve().parent.parent / "brochure" / "fonts"
WEIGHTS = {"Regular": 400, "Bold": 700}
VARIABLE = {
    "NotoSans": ("fontpkg_noto_sans", "NotoSans[wdth,wght].ttf"),
    "NotoSansArabic": ("fontpkg_noto_sans_arabic", "NotoSansArabic[wdth,wght].ttf"),
    "NotoSansDevanagari": ("fontpkg_noto_sans_devanagari", "NotoSansDevanagari[wdth,wght].ttf"),
}
CJK_DIR = Path("/usr/share/fonts/opentype/noto")
CJK_SC_INDEX = 2  # JP, KR, SC, TC, HK in NotoSansCJK-*.ttc


def make_static(family: str) -> None:
    """Static Regular and Bold instances of a variable font, and its licence."""
    module, filename = VARIABLE[family]
    folder = Path(importlib.import_module(module).__file__).parent
    for name, weight in WEIGHTS.items():
        font = instantiateVariableFont(TTFont(folder / "files" / filename), {"wght": weight, "wdth": 100}, updateFontNames=True)
        font.save(OUT / f"{family}-{name}.ttf")
        print("wrote", OUT / f"{family}-{name}.ttf")
    shutil.copy(folder / "LICENSE", OUT / f"{family}-OFL.txt")


def gb2312() -> str:
    """Every character of the GB2312 set, plus ASCII and common punctuation."""
    chars = {chr(c) for c in range(0x20, 0x7F)}
    chars |= {chr(c) for c in range(0x3000, 0x3040)} | {chr(c) for c in range(0xFF01, 0xFF5F)}
    chars |= set("\u00a0\u00b7\u2010\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2022\u00d7")
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return "".join(sorted(chars))


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


def make_cjk() -> None:
    """Noto Sans SC Regular and Bold as subset TrueType fonts."""
    text = gb2312()
    for name in WEIGHTS:
        font = TTCollection(CJK_DIR / f"NotoSansCJK-{name}.ttc").fonts[CJK_SC_INDEX]
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        cff_to_truetype(font)
        for record in font["name"].names:
            if record.nameID in (1, 4, 6, 16):
                record.string = (
                    str(record.toUnicode()).replace("Noto Sans CJK SC", "Noto Sans SC").replace("NotoSansCJKsc", "NotoSansSC")
                )
        font.save(OUT / f"NotoSansSC-{name}.ttf")
        print("wrote", OUT / f"NotoSansSC-{name}.ttf")
    shutil.copy("/usr/share/doc/fonts-noto-cjk/copyright", OUT / "NotoSansSC-OFL.txt")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for family in VARIABLE:
        make_static(family)
    make_cjk()


if __name__ == "__main__":
    main()
