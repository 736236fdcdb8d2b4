"""The inks of a print-shop copy (--print-marks). ReportLab and svglib draw in RGB; a print
shop wants CMYK, with text, rules and other greys in black ink only (K), near-black as 100 %
K rather than a rich black of all four inks, and brand colours as the clinic's profile gives
them (`print_colours:`) or converted plainly. So every RGB colour operator of a print-shop
copy's pages is rewritten as its CMYK one when the PDF is finished."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pikepdf

NEUTRAL = 6 / 255  # channels this close together make a grey
NEAR_BLACK = 0.2  # a grey this dark is printed as solid black
CMYK = tuple[float, float, float, float]


def hex_of(rgb: Iterable[float]) -> str:
    """'#rrggbb' of red, green and blue from 0 to 1."""
    return "#" + "".join(f"{round(float(v) * 255):02x}" for v in rgb)


def plain_cmyk(r: float, g: float, b: float) -> CMYK:
    """The simple device conversion of an RGB colour to CMYK (no colour profile)."""
    k = 1 - max(r, g, b)
    if k >= 1:
        return 0.0, 0.0, 0.0, 1.0
    return (1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k


def ink(rgb: tuple[float, float, float], given: dict[str, CMYK]) -> CMYK:
    """The CMYK a colour is printed in: a grey in black ink only, a brand colour as given."""
    r, g, b = rgb
    if max(rgb) - min(rgb) <= NEUTRAL:
        grey = (r + g + b) / 3
        return 0.0, 0.0, 0.0, 1.0 if grey <= NEAR_BLACK else round(1 - grey, 3)
    return given.get(hex_of(rgb)) or plain_cmyk(r, g, b)


def print_inks(doc: pikepdf.Pdf, given: dict[str, CMYK]) -> None:
    """Rewrite each page's RGB fill and stroke colours (rg, RG) as CMYK ones (k, K)."""
    for page in doc.pages:
        commands: list[Any] = list(pikepdf.parse_content_stream(page))
        if not any(str(command.operator) in ("rg", "RG") for command in commands):
            continue
        out: list[Any] = []
        for command in commands:
            op = str(command.operator)
            if op in ("rg", "RG"):
                r, g, b = (float(v) for v in command.operands)
                cmyk = [round(v, 4) for v in ink((r, g, b), given)]
                command = pikepdf.ContentStreamInstruction(cmyk, pikepdf.Operator("k" if op == "rg" else "K"))
            out.append(command)
        page.Contents = doc.make_stream(pikepdf.unparse_content_stream(out))
