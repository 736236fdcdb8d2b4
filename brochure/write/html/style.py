"""The page's colours and stylesheet: the clinic's brand colours, each text colour
checked against the background it is set on (WCAG 2.2 contrast, at least 4.5:1),
and the fonts of the document's script."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from ...scripts import SCRIPTS

WHITE, BLACK = "#ffffff", "#000000"
MIN_CONTRAST = 4.5  # WCAG 2.2 AA for normal text (1.4.3)
# The system names of the shipped font families (a page loads no font: it uses what the
# reader's device has), tried before the generic family.
SYSTEM_FONTS = {
    "NotoSans": ('"Noto Sans"', '"Segoe UI"', "Roboto", '"Helvetica Neue"', "Arial"),
    "NotoSansArabic": ('"Noto Sans Arabic"', '"Noto Naskh Arabic"', '"Segoe UI"', "Tahoma", '"Geeza Pro"'),
    "NotoSansDevanagari": ('"Noto Sans Devanagari"', '"Nirmala UI"', '"Kohinoor Devanagari"', "Mangal"),
    "NotoSansSC": ('"Noto Sans SC"', '"Noto Sans CJK SC"', '"PingFang SC"', '"Microsoft YaHei"'),
}


@cache
def luminance(colour: str) -> float:
    """The relative luminance of a '#rrggbb' colour (WCAG 2.2)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(a: str, b: str) -> float:
    """The contrast ratio of two colours, from 1 to 21."""
    darker, lighter = sorted((luminance(a), luminance(b)))
    return (lighter + 0.05) / (darker + 0.05)


@dataclass(frozen=True)
class Surface:
    """A background and the colours of text set on it: body text, and the accent of
    headings and links."""

    background: str
    text: str
    accent: str


@dataclass(frozen=True)
class Palette:
    """The colours of a page: a surface for the page, the tinted boxes, the help box,
    the table's header row and the status band. `replaced` names every brand colour
    that was too faint on its background and what was used instead."""

    surfaces: dict[str, Surface]
    bars: dict[str, str]  # the bars and rules that are not text: name -> colour
    replaced: tuple[str, ...]

    def pairs(self) -> list[tuple[str, str, str]]:
        """(where, text colour, background) for every text colour on every surface."""
        return [
            (f"{name} {role}", colour, s.background)
            for name, s in self.surfaces.items()
            for role, colour in (("text", s.text), ("accent", s.accent))
        ]


def palette(colours: dict[str, str]) -> Palette:
    """The page's palette from a layout's colours (text, primary, box, help, help_border, rule)."""
    replaced: list[str] = []

    def readable(name: str, preferred: str, background: str, fallback: str) -> str:
        """`preferred` if it is readable on `background`, else `fallback` if that is,
        else black or white, whichever contrasts more."""
        if contrast(preferred, background) >= MIN_CONTRAST:
            return preferred
        chosen = (
            fallback
            if contrast(fallback, background) >= MIN_CONTRAST
            else max((BLACK, WHITE), key=lambda c: contrast(c, background))
        )
        replaced.append(f"{name} {preferred} on {background} is {contrast(preferred, background):.2f}:1; {chosen} used")
        return chosen

    def surface(name: str, background: str, accent: str) -> Surface:
        text = readable(f"{name} text", colours["text"], background, BLACK)
        return Surface(background, text, readable(f"{name} accent", accent, background, text))

    primary = colours["primary"]
    header = readable("table header text", WHITE, primary, BLACK)
    surfaces = {
        "page": surface("page", WHITE, primary),
        "box": surface("box", colours["box"], primary),
        "help": surface("help", colours["help"], primary),
        "band": surface("status band", colours["help"], colours["help_border"]),
        "header": Surface(primary, header, header),
    }
    bars = {"primary": primary, "help-bar": colours["help_border"], "rule": colours["rule"]}
    return Palette(surfaces, bars, tuple(replaced))


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
