"""Load layouts/*.yaml, follow `extends:` and check the merged result."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .content import load_yaml_file
from .errors import Problem, did_you_mean
from .fonts import FAMILIES
from .model import Layout, Text
from .schema import Fields

DOCUMENT_KINDS = ("leaflet", "comparison")
BLOCKS = {
    "leaflet": (
        "title",
        "status",
        "appointment",
        "summary",
        "figure",
        "body",
        "other_formats",
        "contact",
        "qr",
        "sources",
        "about",
        "edition",
    ),
    "comparison": (
        "title",
        "status",
        "intro",
        "table",
        "sections",
        "other_formats",
        "contact",
        "qr",
        "sources",
        "about",
        "edition",
    ),
}
FOLDS = ("none", "trifold")
TOP_KEYS = ("extends", "document", "page", "type", "colours", "footer", "blocks", "cover", "back", "table")
PAGE_KEYS = ("size", "sheet", "orientation", "margins", "limit", "personal_limit", "fold", "bleed", "print_marks", "band")
MARGIN_KEYS = ("top", "right", "bottom", "left")
TYPE_KEYS = ("font", "body_size", "leading", "title_size", "h2_size", "h3_size", "small_size", "min_size")
COLOUR_KEYS = ("text", "primary", "box", "help", "help_border", "rule")
UNITS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(pt|mm|cm|in)?\s*$")


def parse_length(f: Fields, key: str) -> float | None:
    """A length like 18mm, 0.5in or 12 (points), in points."""
    value = f.raw(key)
    match = LENGTH.match(str(value)) if not isinstance(value, bool) else None
    if not match:
        f.problem(key, f"'{f.name(key)}' must be a length like 18mm or 12pt, not {value!r}")
        return None
    return float(match.group(1)) * UNITS[match.group(2) or "pt"]


def block_list(f: Fields, key: str) -> tuple[str | tuple[str, ...], ...]:
    """Block names; a list of two names in the list is a row of two blocks side by side."""
    value = f.raw(key)
    if not isinstance(value, list):
        f.problem(key, f"'{key}' must be a list of block names", "write [title, summary, body, ...]")
        return ()
    out: list[str | tuple[str, ...]] = []
    for item in value:
        if isinstance(item, list) and len(item) == 2 and all(isinstance(i, str) for i in item):
            out.append(tuple(item))
        elif isinstance(item, str):
            out.append(item)
        else:
            f.problem(key, f"'{key}' holds {item!r}", "use a block name, or [block, block] for two side by side")
    return tuple(out)


def read_layout_file(path: Path, problems: list[Problem]) -> tuple[dict[str, Any], str | None]:
    """One layout file's own settings, checked, as flat keys; and what it extends."""
    f = Fields(load_yaml_file(path, problems), path, 1, problems)
    f.check_keys(TOP_KEYS)
    out: dict[str, Any] = {}
    page = f.sub("page")
    page.check_keys(PAGE_KEYS)
    if "size" in page.data:
        out["page_size"] = page.choice("size", ("a4", "letter"), "a4")
    if "sheet" in page.data:
        out["sheet"] = page.choice("sheet", ("single", "double"), "single")
    if "orientation" in page.data:
        out["orientation"] = page.choice("orientation", ("portrait", "landscape"), "portrait")
    if "limit" in page.data:
        out["page_limit"] = int(page.number("limit", 2))
    if "personal_limit" in page.data:
        out["personal_limit"] = int(page.number("personal_limit", 2))
    if "fold" in page.data:
        out["fold"] = page.choice("fold", FOLDS, "none")
    for key in ("bleed", "band"):
        if key in page.data:
            out[key] = parse_length(page, key)
    if "print_marks" in page.data:
        if not isinstance(page.raw("print_marks"), bool):
            page.problem("print_marks", "'page.print_marks' must be true or false")
        out["print_marks"] = page.raw("print_marks") is True
    margins = page.sub("margins")
    margins.check_keys(MARGIN_KEYS)
    for key in MARGIN_KEYS:
        if key in margins.data:
            out[f"margin_{key}"] = parse_length(margins, key)
    typ = f.sub("type")
    typ.check_keys(TYPE_KEYS)
    if "font" in typ.data:
        font = typ.text("font")
        if font not in FAMILIES:
            typ.problem("font", f"unknown font '{font}'", did_you_mean(font, FAMILIES))
        out["font"] = font
    for key in TYPE_KEYS[1:]:
        if key in typ.data:
            out[key] = parse_length(typ, key)
    colours = f.sub("colours")
    colours.check_keys(COLOUR_KEYS)
    for key in colours.data:
        out[f"colour_{key}"] = Text(colours.text(str(key)), path, colours.line(str(key)))
    footer = f.sub("footer")
    footer.check_keys(("left", "right"))
    for side in ("left", "right"):
        if side in footer.data:
            lines = footer.text_list(side)
            seq = footer.raw(side)
            out[f"footer_{side}"] = tuple(Text(line, path, footer.first_line + seq.lc.item(i)[0]) for i, line in enumerate(lines))
    if "document" in f.data:
        out["document"] = f.choice("document", DOCUMENT_KINDS, "leaflet")
    for key in ("blocks", "cover", "back"):
        if key in f.data:
            out[key] = block_list(f, key)
            out[f"{key}_line"] = f.line(key)
    table = f.sub("table")
    table.check_keys(("label_width",))
    if "label_width" in table.data:
        width = table.number("label_width", 0.22)
        if not 0.1 <= width <= 0.5:
            table.problem("label_width", "'table.label_width' must be between 0.1 and 0.5")
        out["label_width"] = width
    extends = f.text("extends") if "extends" in f.data else None
    return out, extends


def load_layout(name: str, layout_dir: Path, problems: list[Problem]) -> Layout | None:
    """A layout with everything it extends merged in, or None if it is broken."""
    chain: list[tuple[Path, dict[str, Any]]] = []
    current: str | None = name
    seen: set[str] = set()
    while current is not None:
        path = layout_dir / f"{current}.yaml"
        if current in seen:
            problems.append(Problem(path, 1, f"layout '{current}' extends itself in a loop"))
            return None
        seen.add(current)
        if not path.is_file():
            where = chain[-1][0] if chain else layout_dir
            available = sorted(p.stem for p in layout_dir.glob("*.yaml"))
            problems.append(Problem(where, 1, f"unknown layout '{current}'", did_you_mean(current, available)))
            return None
        settings, current = read_layout_file(path, problems)
        chain.append((path, settings))
    merged: dict[str, Any] = {}
    for _, settings in reversed(chain):
        merged.update(settings)
    return build_layout(name, chain[0][0], merged, problems)


REQUIRED = (
    (
        "document",
        "blocks",
        "orientation",
        "font",
        "body_size",
        "leading",
        "title_size",
        "h2_size",
        "h3_size",
        "small_size",
        "min_size",
        "footer_left",
        "footer_right",
    )
    + tuple(f"margin_{k}" for k in MARGIN_KEYS)
    + tuple(f"colour_{k}" for k in COLOUR_KEYS)
)


def build_layout(name: str, path: Path, s: dict[str, Any], problems: list[Problem]) -> Layout | None:
    """Check the merged settings and make the Layout; None for a base layout."""
    if "document" not in s:
        return None  # a base layout, only for other layouts to extend
    missing = [key for key in REQUIRED if s.get(key) is None]
    if missing:
        problems.append(
            Problem(path, 1, f"layout '{name}' does not set {', '.join(missing)}", "set them here or in the layout it extends")
        )
        return None
    allowed = BLOCKS[s["document"]]
    for key in ("blocks", "cover", "back"):
        names = [n for item in s.get(key, ()) for n in ((item,) if isinstance(item, str) else item)]
        for block in names:
            if block not in allowed:
                problems.append(
                    Problem(
                        path, s[f"{key}_line"], f"unknown block '{block}' for a {s['document']}", did_you_mean(block, allowed)
                    )
                )
    if s.get("fold", "none") == "trifold" and not (s.get("cover") and s.get("back")):
        problems.append(Problem(path, 1, "a tri-fold layout needs 'cover:' and 'back:' blocks", "list the blocks of each panel"))
    for key in ("body_size", "title_size", "h2_size", "h3_size", "small_size"):
        if s[key] < s["min_size"]:
            problems.append(Problem(path, 1, f"'{key}' is {s[key]:g}pt, below this layout's min_size {s['min_size']:g}pt"))
    return Layout(
        name=name,
        path=path,
        document=s["document"],
        page_size=s.get("page_size"),
        sheet=s.get("sheet", "single"),
        orientation=s["orientation"],
        margins=(s["margin_top"], s["margin_right"], s["margin_bottom"], s["margin_left"]),
        font=s["font"],
        body_size=s["body_size"],
        leading=s["leading"],
        title_size=s["title_size"],
        h2_size=s["h2_size"],
        h3_size=s["h3_size"],
        small_size=s["small_size"],
        min_size=s["min_size"],
        colours={key: s[f"colour_{key}"] for key in COLOUR_KEYS},
        footer_left=s["footer_left"],
        footer_right=s["footer_right"],
        blocks=tuple(s["blocks"]),
        label_width=s.get("label_width", 0.22),
        page_limit=s.get("page_limit", 2),
        personal_limit=s.get("personal_limit", s.get("page_limit", 2)),
        fold=s.get("fold", "none"),
        cover=tuple(s.get("cover", ())),
        back=tuple(s.get("back", ())),
        bleed=s.get("bleed", 3 * UNITS["mm"]),
        print_marks=s.get("print_marks", False),
        band=s.get("band", 0.0),
    )
