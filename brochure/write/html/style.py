"""The page's stylesheet: the clinic's brand colours as the palette makes them readable
(brochure.palette), and the fonts of the document's script."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from ...palette import palette
from ...scripts import SCRIPTS

# The system names of the shipped font families (a page loads no font: it uses what the
# reader's device has), tried before the generic family.
SYSTEM_FONTS = {
    "NotoSans": ('"Noto Sans"', '"Segoe UI"', "Roboto", '"Helvetica Neue"', "Arial"),
    "NotoSansArabic": ('"Noto Sans Arabic"', '"Noto Naskh Arabic"', '"Segoe UI"', "Tahoma", '"Geeza Pro"'),
    "NotoSansDevanagari": ('"Noto Sans Devanagari"', '"Nirmala UI"', '"Kohinoor Devanagari"', "Mangal"),
    "NotoSansSC": ('"Noto Sans SC"', '"Noto Sans CJK SC"', '"PingFang SC"', '"Microsoft YaHei"'),
}


def font_stack(script: str) -> str:
    """The CSS font families for a script: its shipped family's system names, then Latin."""
    family = SCRIPTS[script].family or "NotoSans"
    names = dict.fromkeys(SYSTEM_FONTS.get(family, ()) + SYSTEM_FONTS["NotoSans"])
    return ", ".join((*names, "sans-serif"))


@cache
def base_css() -> str:
    """The stylesheet shipped with the writer (style.css), without its comments."""
    text = files(__package__).joinpath("style.css").read_text(encoding="utf-8")
    return re.sub(r"/\*.*?\*/\s*", "", text, flags=re.S)


def stylesheet(colours: dict[str, str], script: str) -> str:
    """The whole stylesheet of a page: its colours and fonts as custom properties, then
    the shipped rules."""
    found = palette(colours)
    props = [f"--font: {font_stack(script)};"]
    for name, s in found.surfaces.items():
        props += [f"--{name}-bg: {s.background};", f"--{name}-text: {s.text};", f"--{name}-accent: {s.accent};"]
    props += [f"--{name}: {colour};" for name, colour in found.bars.items()]
    return ":root {\n  " + "\n  ".join(props) + "\n}\n" + base_css()
