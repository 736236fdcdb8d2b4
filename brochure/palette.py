"""The colours text is set in, each checked against the background it is set on
(WCAG 2.2 contrast, at least 4.5:1): what a layout's colours make of a page, for every
writer and for the check that refuses a faint one."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

WHITE, BLACK = "#ffffff", "#000000"
MIN_CONTRAST = 4.5  # WCAG 2.2 AA for normal text (1.4.3)


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
class Faint:
    """A text colour too faint on its background, the layout colours they are (None for
    white), and the colour used instead."""

    where: str  # "text on the page", "headings and links in tinted boxes" ...
    key: str | None
    colour: str
    background_key: str | None
    background: str
    chosen: str

    @property
    def ratio(self) -> float:
        return contrast(self.colour, self.background)

    def __str__(self) -> str:
        return f"{self.where} {self.colour} on {self.background} is {self.ratio:.2f}:1; {self.chosen} used"


@dataclass(frozen=True)
class Palette:
    """The colours of a page: a surface for the page, the tinted boxes, the help box,
    the table's header row and the status band. `replaced` names every brand colour
    that was too faint on its background and what was used instead."""

    surfaces: dict[str, Surface]
    bars: dict[str, str]  # the bars and rules that are not text: name -> colour
    replaced: tuple[Faint, ...]

    def pairs(self) -> list[tuple[str, str, str]]:
        """(where, text colour, background) for every text colour on every surface."""
        return [
            (f"{name} {role}", colour, s.background)
            for name, s in self.surfaces.items()
            for role, colour in (("text", s.text), ("accent", s.accent))
        ]


def palette(colours: dict[str, str]) -> Palette:
    """The page's palette from a layout's colours (text, primary, box, help, help_border, rule)."""
    replaced: list[Faint] = []

    def readable(where: str, key: str | None, background_key: str | None, fallback: str) -> str:
        """The colour `key` (white for None) if it is readable on `background_key`'s, else
        `fallback` if that is, else black or white, whichever contrasts more."""
        preferred, background = colours.get(key or "", WHITE), colours.get(background_key or "", WHITE)
        if contrast(preferred, background) >= MIN_CONTRAST:
            return preferred
        chosen = (
            fallback
            if contrast(fallback, background) >= MIN_CONTRAST
            else max((BLACK, WHITE), key=lambda c: contrast(c, background))
        )
        replaced.append(Faint(where, key, preferred, background_key, background, chosen))
        return chosen

    def surface(place: str, background_key: str | None, accent_key: str) -> Surface:
        text = readable(f"text {place}", "text", background_key, BLACK)
        accent = readable(f"headings and links {place}", accent_key, background_key, text)
        return Surface(colours.get(background_key or "", WHITE), text, accent)

    primary = colours["primary"]
    header = readable("table header text", None, "primary", BLACK)
    surfaces = {
        "page": surface("on the page", None, "primary"),
        "box": surface("in tinted boxes", "box", "primary"),
        "help": surface("in the help box", "help", "primary"),
        "band": surface("in the status band", "help", "help_border"),
        "header": Surface(primary, header, header),
    }
    bars = {"primary": primary, "help-bar": colours["help_border"], "rule": colours["rule"]}
    return Palette(surfaces, bars, tuple(replaced))
