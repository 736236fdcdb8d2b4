"""Inline SVG for the page: the figure (its shapes and its labels as text), the QR
code, and the clinic's logo made safe to inline (no scripts, no event handlers, no
references to other files)."""

from __future__ import annotations

import base64
import itertools
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html import escape
from pathlib import Path

from ...document import Figure, FigureLabel, plain
from ...model import Shape
from ..qr import QUIET_ZONE, modules

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
LEADER = "#444444"
FONT_SHARE = 0.1  # a label's type size, as a share of the drawing's width
GAP_SHARE = 0.03  # between a label column and the drawing
# Elements a logo may not bring into the page: active content, other documents, and text
# a reader would hear (the logo is shown beside the clinic's name, and hidden from readers).
DROPPED = {"script", "foreignObject", "iframe", "embed", "object", "audio", "video", "title", "desc", "metadata"}
IMAGE_DATA = re.compile(r"^data:image/(png|jpeg|gif);base64,", re.I)
UNSAFE_STYLE = re.compile(r"@import|expression\s*\(|javascript:|url\(\s*['\"]?(?!#)", re.I)
MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def number(value: float) -> str:
    """A coordinate, short: 12, 12.5, 12.34."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def attrs(values: dict[str, str]) -> str:
    """Quoted, escaped attributes."""
    return "".join(f' {name}="{escape(value)}"' for name, value in values.items())


# The figure ------------------------------------------------------------------------------


def path_data(shape: Shape) -> str:
    """A path's M, L, C and Z commands as SVG path data."""
    return " ".join(" ".join((command, *map(number, numbers))) for command, numbers in shape.commands())


def shape_svg(shape: Shape) -> str:
    """One shape of a figure, in the figure's own coordinates."""
    paint = {"fill": shape.fill or "none", "stroke": shape.stroke or "none"}
    if shape.stroke:
        paint["stroke-width"] = number(shape.width)
    if shape.kind == "circle":
        x, y, r = shape.points
        return f"<circle{attrs({'cx': number(x), 'cy': number(y), 'r': number(r), **paint})}/>"
    if shape.kind == "ellipse":
        x1, y1, x2, y2 = shape.points
        geometry = {"cx": (x1 + x2) / 2, "cy": (y1 + y2) / 2, "rx": abs(x2 - x1) / 2, "ry": abs(y2 - y1) / 2}
        return f"<ellipse{attrs({k: number(v) for k, v in geometry.items()} | paint)}/>"
    return f"<path{attrs({'d': path_data(shape), **paint})}/>"


def text_width(text: str) -> float:
    """About how wide a text is set, in ems: wide (Chinese) characters one em, marks
    and joiners nothing, other letters 0.6 em."""
    width = 0.0
    for char in text:
        if unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.6
    return width


def wrap(text: str, width: float) -> list[str]:
    """A label's lines, broken at spaces to fit `width` ems where the words allow."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(lines[-1] + " " + word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


@dataclass(frozen=True)
class PlacedLabel:
    """A label's lines, its centre and the edge of its column that faces the drawing."""

    label: FigureLabel
    lines: tuple[str, ...]
    centre: float
    edge: float


def figure_svg(figure: Figure, title_id: str, rtl: bool) -> str:
    """The figure as an image with an accessible name (its alt text): the drawing between
    two columns of labels, each label with a leader to the point it names."""
    box_w, box_h = figure.box
    font = box_w * FONT_SHARE
    line = font * 1.25
    texts = [plain(label.inlines) for label in figure.labels]
    longest_word = max((text_width(word) for text in texts for word in text.split()), default=1.0)
    column_ems = min(max(longest_word, 6.0), 12.0)
    column, gap = column_ems * font, box_w * GAP_SHARE
    width = 2 * (column + gap) + box_w
    sides = {side: [i for i, label in enumerate(figure.labels) if label.side == side] for side in ("left", "right")}
    lines = [wrap(text, column_ems) for text in texts]
    height = max([box_h] + [side_height(side, lines, line) for side in sides.values()])
    ox, oy = column + gap, (height - box_h) / 2
    placed = []
    for side, members in sides.items():
        for k, i in enumerate(members):
            centre = height * (0.15 + k * 0.7 / max(len(members) - 1, 1))
            edge = column if side == "left" else width - column
            placed.append(PlacedLabel(figure.labels[i], tuple(lines[i]), centre, edge))
    parts = [
        f'<svg role="img" aria-labelledby="{title_id}" viewBox="0 0 {number(width)} {number(height)}"'
        f' xmlns="{SVG_NS}" font-size="{number(font)}">',
        f'<title id="{title_id}">{escape(figure.alt)}</title>',
        f'<g transform="translate({number(ox)} {number(oy + box_h)}) scale(1 -1)">',
        *(shape_svg(shape) for shape in figure.shapes),
        "</g>",
        *(label_svg(p, ox, oy + box_h, font, line, rtl) for p in placed),
        "</svg>",
    ]
    return "".join(parts)


def side_height(members: list[int], lines: list[list[str]], line: float) -> float:
    """The height the labels of one side need, spread as the PDF spreads them: centres
    from 15 % to 85 % of the height, none touching the next."""
    heights = [len(lines[i]) * line for i in members]
    if not heights:
        return 0.0
    need = max(heights[0], heights[-1]) / 0.3
    if len(heights) > 1:
        step = max((a + b) / 2 + line * 0.4 for a, b in itertools.pairwise(heights))
        need = max(need, step * (len(heights) - 1) / 0.7)
    return need


def label_svg(placed: PlacedLabel, ox: float, base: float, font: float, line: float, rtl: bool) -> str:
    """A label's text beside the drawing, and its leader to the point it names."""
    left = placed.label.side == "left"
    x = placed.edge - font * 0.3 if left else placed.edge + font * 0.3
    # The label's edge that faces the drawing: its end in left-to-right text, its start in right to left.
    anchor = "end" if left != rtl else "start"
    top = placed.centre - (len(placed.lines) - 1) * line / 2 + font * 0.35
    spans = "".join(
        f'<tspan x="{number(x)}" y="{number(top + n * line)}">{escape(text)}</tspan>' for n, text in enumerate(placed.lines)
    )
    direction = ' direction="rtl"' if rtl else ""
    ax, ay = placed.label.anchor
    tx, ty = ox + ax, base - ay
    leader = (
        f'<line x1="{number(placed.edge)}" y1="{number(placed.centre)}" x2="{number(tx)}" y2="{number(ty)}"'
        f' stroke="{LEADER}" stroke-width="{number(font * 0.05)}"/>'
        f'<circle cx="{number(tx)}" cy="{number(ty)}" r="{number(font * 0.1)}" fill="{LEADER}"/>'
    )
    return f'<text text-anchor="{anchor}" fill="currentColor"{direction}>{spans}</text>{leader}'


# The QR code -----------------------------------------------------------------------------


def qr_svg(url: str, alt: str) -> str:
    """A QR code for `url` as an image named by `alt`: one path of dark runs, quiet zone included."""
    rows = modules(url)
    size = len(rows) + 2 * QUIET_ZONE
    runs = []
    for r, row in enumerate(rows):
        c = 0
        for dark, run in itertools.groupby(row):
            count = len(list(run))
            if dark:
                runs.append(f"M{c + QUIET_ZONE} {r + QUIET_ZONE}h{count}v1h-{count}z")
            c += count
    return (
        f'<svg role="img" aria-label="{escape(alt)}" viewBox="0 0 {size} {size}" xmlns="{SVG_NS}" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#ffffff"/><path fill="#000000" d="{"".join(runs)}"/></svg>'
    )


# The logo --------------------------------------------------------------------------------


def logo_html(path: Path) -> str:
    """The clinic's logo for the page, hidden from readers (the clinic's name is beside it):
    an SVG inline and made safe, a PNG or JPEG as a data: URI."""
    mime = MIME.get(path.suffix.lower())
    if mime:
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f'<img class="logo" src="data:{mime};base64,{data}" alt="">'
    return f'<span class="logo">{safe_svg(path.read_bytes())}</span>'


def safe_svg(data: bytes) -> str:
    """An SVG file as inline markup without what could run or fetch anything: scripts,
    event handlers, links, foreign content, references to other files. Its size comes
    from the page (a viewBox is kept or made from width and height)."""
    root = ET.fromstring(data)
    if not root.get("viewBox") and root.get("width") and root.get("height"):
        width, height = (re.sub(r"[^\d.]", "", root.get(key, "")) for key in ("width", "height"))
        root.set("viewBox", f"0 0 {width} {height}")
    for key in ("width", "height", "x", "y"):
        root.attrib.pop(key, None)
    root.set("aria-hidden", "true")
    root.set("focusable", "false")
    return element_svg(root)


def local(name: str) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag or attribute name."""
    if name.startswith("{"):
        ns, _, rest = name[1:].partition("}")
        return ns, rest
    return "", name


def safe_attrs(element: ET.Element) -> dict[str, str]:
    """The attributes of an element that are safe to inline."""
    out = {}
    for name, value in element.attrib.items():
        ns, key = local(name)
        if key.lower().startswith("on") or ns not in ("", XLINK_NS):
            continue
        if key == "href" and not (value.startswith("#") or (local(element.tag)[1] == "image" and IMAGE_DATA.match(value))):
            continue
        if key == "style" and UNSAFE_STYLE.search(value):
            continue
        out["href" if key == "href" else key] = value
    return out


def element_svg(element: ET.Element) -> str:
    """One element of an SVG and what it holds, with only what is safe kept."""
    ns, name = local(element.tag)
    if ns != SVG_NS or name in DROPPED:
        return ""
    if name == "image" and "href" not in safe_attrs(element):
        return ""
    text = element.text or ""
    if name == "style" and UNSAFE_STYLE.search(text):
        return ""
    inner = escape(text, quote=False) + "".join(element_svg(child) + escape(child.tail or "", quote=False) for child in element)
    if name == "a":  # a link in a logo: its drawing stays, the link goes
        return inner
    return f"<{name}{attrs(safe_attrs(element))}>{inner}</{name}>"
