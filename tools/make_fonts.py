"""Make the static TrueType fonts shipped in brochure/fonts/.

ReportLab renders only the default instance of a variable font, so the
Noto Sans variable font from PyPI (fontpkg-noto-sans, SIL OFL 1.1) is cut
once into static Regular and Bold instances. Run it again only to update
the fonts:  pip install fontpkg-noto-sans fonttools && python tools/make_fonts.py
"""

from __future__ import annotations

import shutil
from pathlib import Path

import fontpkg_noto_sans
from fontTools.ttLib import TTFont
from fontTools.varLib.instancer import instantiateVariableFont

OUT = Path(__file__).resolve().parent.parent / "brochure" / "fonts"
SOURCE_DIR = Path(fontpkg_noto_sans.__file__).parent
WEIGHTS = {"Regular": 400, "Bold": 700}


def main() -> None:
    """Write NotoSans-<weight>.ttf and the licence into brochure/fonts/."""
    OUT.mkdir(parents=True, exist_ok=True)
    source = SOURCE_DIR / "files" / "NotoSans[wdth,wght].ttf"
    for name, weight in WEIGHTS.items():
        font = instantiateVariableFont(
            TTFont(source), {"wght": weight, "wdth": 100}, updateFontNames=True
        )
        font.save(OUT / f"NotoSans-{name}.ttf")
        print("wrote", OUT / f"NotoSans-{name}.ttf")
    shutil.copy(SOURCE_DIR / "LICENSE", OUT / "NotoSans-OFL.txt")


if __name__ == "__main__":
    main()
