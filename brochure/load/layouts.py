"""Load layouts/*.yaml, follow `extends:` and check the merged result.

Every setting a layout can make is declared once, in SETTINGS: where it sits in
the YAML, what kind of value it takes, its default. Reading, merging along the
`extends:` chain, the checks and the defaults all come from that table.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..defaults import DEFAULTS
from ..document import PARTS, REQUIRED_PARTS
from ..errors import Problem, did_you_mean
from ..folds import FOLDS
from ..model import Layout, Text
from ..scripts import FONT_FAMILIES
from .content import load_yaml_file
from .schema import Fields, as_written

UNITS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(pt|mm|cm|in)?\s*$")
REQUIRED = object()  # a setting every usable layout must make (here or in what it extends)
INVALID = object()  # a setting given a wrong value (reported): the layout is not used, nothing stands in for it
PRINTERS = "office printers leave about 5mm at the edge unprinted"
TEXT_SIZES = "twice large print's; larger, a line holds a few words"
HEADING_SIZES = "larger, a heading does not fit across a page"
LEADING = 1.1  # the least leading, as a multiple of the body size: closer, lines crowd each other
PAPERS = ("a4", "letter")
PAPER_SHORTER_SIDE, PAPER_LONGER_SIDE = 210 * UNITS["mm"], 11 * UNITS["in"]  # of A4 and Letter, the smaller of each


@dataclass(frozen=True)
class Setting:
    """One setting of a layout: its dotted place in the YAML, its kind and default."""

    key: str
    kind: str  # choice | int | length | bool | font | colour | lines | blocks | fraction
    default: Any = REQUIRED
    choices: tuple[str, ...] = ()
    least: str = ""  # the smallest value that makes a readable, printable page, as written ("5mm")
    most: str = ""  # the largest
    why: str = ""  # why, for the message


SETTINGS = (
    Setting("document", "choice", REQUIRED, tuple(PARTS)),  # none: a base layout, only to extend
    Setting("page.size", "choice", None, PAPERS),  # none: the clinic's paper
    Setting("page.sheet", "choice", "single", ("single", "double")),
    Setting("page.orientation", "choice", REQUIRED, ("portrait", "landscape")),
    *(Setting(f"page.margins.{side}", "length", least="5mm", why=PRINTERS) for side in ("top", "right", "bottom", "left")),
    Setting("page.limit", "int", 2, least="1"),
    Setting("page.personal_limit", "int", None, least="1"),  # none: the page limit
    Setting("page.fold", "choice", "none", tuple(FOLDS)),
    Setting("page.bleed", "length", 3 * UNITS["mm"], most="10mm", why="print shops ask for 3-5mm"),
    Setting("page.print_marks", "bool", False),
    Setting("page.band", "length", 0.0),
    # The height of the appointment box of a personalised copy, fixed, so that the copy is
    # rendered once and each patient's details stamped into it; 0: no fixed slot.
    Setting("appointment.slot", "length", 0.0),
    Setting("type.font", "font"),
    *(Setting(f"type.{size}", "length", most="32pt", why=TEXT_SIZES) for size in ("body_size", "small_size", "min_size")),
    Setting("type.leading", "length"),
    *(Setting(f"type.{size}", "length", most="72pt", why=HEADING_SIZES) for size in ("title_size", "h2_size", "h3_size")),
    Setting("type.measure", "length", 0.0),  # the widest a line of running text may be; 0: the frame's width
    *(Setting(f"colours.{name}", "colour") for name in ("text", "primary", "box", "help", "help_border", "rule")),
    Setting("footer.left", "lines"),
    Setting("footer.right", "lines"),
    Setting("blocks", "blocks"),
    *(Setting(panel, "blocks", ()) for fold in FOLDS.values() for panel in fold.fixed),
    Setting("table.label_width", "fraction", 0.22),
    Setting("online.view", "text", ""),  # the view of the online copy the QR code opens (#large-print); '': the page
    Setting("extends", "text", None),
)
BY_KEY = {s.key: s for s in SETTINGS}


@dataclass(frozen=True)
class Value:
    """A setting's value as read, and where."""

    value: Any
    path: Path
    line: int


def parse(f: Fields, name: str, setting: Setting) -> Any:
    """One setting's value from a mapping (INVALID, with a problem, if it is wrong; None for
    a setting whose default is none, left empty)."""
    kind, raw = setting.kind, f.raw(name)
    if kind == "choice":
        return f.choice(name, setting.choices, setting.choices[0])
    if kind == "int":
        if raw is None and setting.default is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw) or raw != int(raw):
            written = "empty" if raw is None else as_written(raw) if isinstance(raw, (int, float)) else repr(raw)
            f.problem(name, f"'{f.name(name)}' must be a whole number, not {written}")
            return INVALID
        return bounded(f, name, setting, int(raw))
    if kind == "bool":
        if not isinstance(raw, bool):
            f.problem(name, f"'{f.name(name)}' must be true or false")
        return raw is True
    if kind == "length":
        match = LENGTH.match(str(raw)) if not isinstance(raw, bool) else None
        if not match:
            f.problem(name, f"'{f.name(name)}' must be a length like 18mm or 12pt, not {raw!r}")
            return INVALID
        return bounded(f, name, setting, points(match))
    if kind == "font":
        font = f.text(name)
        if font not in FONT_FAMILIES:
            f.problem(name, f"unknown font '{font}'", did_you_mean(font, FONT_FAMILIES))
        return font
    if kind == "colour":
        return Text(f.text(name), f.path, f.line(name))
    if kind == "lines":
        lines, seq = f.text_list(name), f.raw(name)
        return tuple(Text(line, f.path, f.first_line + seq.item_lines[i]) for i, line in enumerate(lines))
    if kind == "blocks":
        return block_list(f, name)
    if kind == "fraction":
        value = f.number(name, 0.22)
        if not 0.1 <= value <= 0.5:
            f.problem(name, f"'{f.name(name)}' must be between 0.1 and 0.5")
        return value
    return f.text(name)


def points(match: re.Match[str]) -> float:
    """A LENGTH match in points."""
    return float(match.group(1)) * UNITS[match.group(2) or "pt"]


def bounded(f: Fields, name: str, setting: Setting, value: float) -> Any:
    """The value, or INVALID with a problem if it is outside the setting's bounds."""
    for bound, sign, word in ((setting.least, -1, "at least"), (setting.most, 1, "at most")):
        if not bound:
            continue
        match = LENGTH.match(bound)
        limit = points(match) if setting.kind == "length" and match else float(bound)
        if sign * (value - limit) > 1e-9:
            why = f" ({setting.why})" if setting.why else ""
            f.problem(name, f"'{f.name(name)}' is {as_written(f.raw(name))}; it must be {word} {bound}{why}")
            return INVALID
    return value


def block_list(f: Fields, key: str) -> tuple[str | tuple[str, ...], ...]:
    """Part names; a list of two names in the list is a row of two parts side by side."""
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


def read_mapping(f: Fields, prefix: str, out: dict[str, Value]) -> None:
    """The settings in one mapping of a layout file (and the mappings inside it)."""
    names = {s.key[len(prefix) :].split(".")[0] for s in SETTINGS if s.key.startswith(prefix)}
    f.check_keys(sorted(names))
    for name in f.data:
        key = prefix + str(name)
        if key in BY_KEY:
            before = len(f.problems)
            value = parse(f, str(name), BY_KEY[key])
            if len(f.problems) > before:  # told; the layout is not used, and no default stands in
                value = INVALID
            if value is not None:
                out[key] = Value(value, f.path, f.line(str(name)))
        elif str(name) in names:
            read_mapping(f.sub(str(name)), key + ".", out)


def read_layout_file(path: Path, problems: list[Problem]) -> dict[str, Value]:
    """One layout file's own settings, checked."""
    out: dict[str, Value] = {}
    read_mapping(Fields(load_yaml_file(path, problems), path, 1, problems), "", out)
    return out


BUILT_IN = DEFAULTS / "layouts"


def layout_files(root: Path) -> list[dict[str, Path]]:
    """The layout files a project can use, by name: its own (layouts/), then the built-in
    ones. A project's file replaces the built-in one of its name."""
    return [{p.stem: p for p in sorted(folder.glob("*.yaml"))} for folder in (root / "layouts", BUILT_IN)]


def find(name: str, levels: list[dict[str, Path]], below: int) -> tuple[Path, int] | None:
    """The first file for a layout name at or below a level of the lookup."""
    for level in range(below, len(levels)):
        if name in levels[level]:
            return levels[level][name], level
    return None


def load_layout(name: str, levels: list[dict[str, Path]], problems: list[Problem]) -> Layout | None:
    """A layout with everything it extends merged in, or None if it is broken or a base.
    A project's layout may extend the built-in one of its own name."""
    chain: list[dict[str, Value]] = []
    files: list[Path] = []
    start = find(name, levels, 0)
    if start is None:
        return None
    (first, level), current = start, name
    seen: list[tuple[str, int]] = []
    while True:
        found = find(current, levels, level)
        if found is None or (current, found[1]) in seen:
            if found is None:
                where = chain[-1]["extends"]
                known = sorted({n for names in levels for n in names})
                if where.path.stem == current:  # extending its own name: the built-in one, which does not exist
                    message = f"'extends: {current}' is this layout itself, and there is no built-in layout '{current}'"
                    hint = did_you_mean(current, levels[-1])
                else:
                    message, hint = f"unknown layout '{current}'", did_you_mean(current, known)
                problems.append(Problem(where.path, where.line, message, hint))
            else:  # said once, at the first of the loop's files, whichever layout found it
                loop = seen[seen.index((current, found[1])) :]  # not the layouts that lead into it
                names = sorted({n for n, _ in loop})
                at = min(levels[lv][n] for n, lv in loop if n == names[0])
                problems.append(
                    Problem(at, 1, f"layouts extend each other in a loop: {' -> '.join(names)}", "remove one 'extends:'")
                )
            return None
        path, level = found
        seen.append((current, level))
        if not (settings := read_layout_file(path, problems)):
            problems.append(
                Problem(path, 1, "this layout file is empty", "write its settings, or delete it to use the built-in one")
            )
            return None
        chain.append(settings)
        files.append(path)
        if "extends" not in settings:
            break
        following = settings["extends"].value
        if following is INVALID:
            return None  # told at the line
        level = level + 1 if following == current else 0  # extending its own name: the built-in one
        current = following
    merged: dict[str, Value] = {}
    for settings in reversed(chain):
        merged.update(settings)
    layout = build_layout(name, first, merged, problems)
    return replace(layout, files=tuple(files)) if layout is not None else None


def told_at(s: dict[str, Value], keys: tuple[str, ...], path: Path) -> tuple[Path, int]:
    """Where to tell a problem of some settings: the first of them the project's own file
    makes (what it changed), else the first made at all, else the layout's first line."""
    made = [s[key] for key in keys if key in s]
    own = [value for value in made if not value.path.is_relative_to(BUILT_IN)]
    where = (own or made or [Value(None, path, 1)])[0]
    return where.path, where.line


def type_problems(s: dict[str, Value], path: Path, get: Callable[[str], Any]) -> list[Problem]:
    """What the merged type and page settings get wrong together, each told where
    `told_at` says: a size below min_size, a leading under LEADING or over 3 times the body
    size, an appointment slot taller than the page's text, a personal limit under the page
    limit, a brand band deeper than the top margin (it would cover the title)."""

    def at(*keys: str) -> tuple[Path, int]:
        return told_at(s, keys, path)

    found = [
        Problem(
            *at(f"type.{key}", "type.min_size"),
            f"'{key}' is {get(f'type.{key}'):g}pt, below this layout's min_size {get('type.min_size'):g}pt",
        )
        for key in ("body_size", "title_size", "h2_size", "h3_size", "small_size")
        if get(f"type.{key}") < get("type.min_size")
    ]
    leading, body = get("type.leading"), get("type.body_size")
    if leading < LEADING * body - 1e-9:
        found.append(
            Problem(
                *at("type.leading", "type.body_size"),
                f"the leading, {leading:g}pt, is less than {LEADING:g} times the body size, {body:g}pt: lines crowd each other",
                f"set 'leading: {round(1.25 * body, 1):g}' or more",
            )
        )
    if leading > 3 * body + 1e-9:
        found.append(
            Problem(
                *at("type.leading", "type.body_size"),
                f"the leading, {leading:g}pt, is more than 3 times the body size, {body:g}pt:"
                " lines that far apart do not read as one text",
                f"set 'leading: {round(1.25 * body, 1):g}'",
            )
        )
    side = PAPER_LONGER_SIDE if get("page.orientation") == "portrait" else PAPER_SHORTER_SIDE
    frame = side - get("page.margins.top") - get("page.margins.bottom")
    if get("appointment.slot") > frame + 1e-9:
        found.append(
            Problem(
                *at("appointment.slot"),
                f"the appointment slot, {get('appointment.slot') / UNITS['mm']:.0f}mm, is taller than the page's text"
                f" on the smaller paper, {frame / UNITS['mm']:.0f}mm high",
                "make 'slot' smaller, or 0 for no fixed slot",
            )
        )
    personal, limit = get("page.personal_limit"), get("page.limit")
    if personal is not None and personal < limit:
        found.append(
            Problem(
                *at("page.personal_limit", "page.limit"),
                f"'personal_limit' is {personal}, less than the page limit, {limit}: a personalised copy is the leaflet"
                " with the patient's appointment in it",
                f"set 'personal_limit: {limit}' or more",
            )
        )
    if get("page.band") > get("page.margins.top") + 1e-9:
        found.append(
            Problem(
                *at("page.band", "page.margins.top"),
                "the brand band is deeper than the top margin and would cover the title",
                "make 'band' no deeper than 'margins.top'",
            )
        )
    return found


def build_layout(name: str, path: Path, s: dict[str, Value], problems: list[Problem]) -> Layout | None:
    """Check the merged settings and make the Layout; None for a base layout, or for one
    with problems (reported), which no document is then measured or built with."""
    if "document" not in s:
        return None  # a base layout, only for other layouts to extend
    if any(value.value is INVALID for value in s.values()):
        return None  # told at the setting
    missing = [setting.key for setting in SETTINGS if setting.default is REQUIRED and setting.key not in s]
    if missing:
        problems.append(
            Problem(path, 1, f"layout '{name}' does not set {', '.join(missing)}", "set them here or in the layout it extends")
        )
        return None

    def get(key: str) -> Any:
        return s[key].value if key in s else BY_KEY[key].default

    before = len(problems)
    document, fold = get("document"), FOLDS[get("page.fold")]
    allowed = PARTS[document]
    placed: list[str] = []
    for key in ("blocks", *fold.fixed):
        for item in get(key):
            for part in (item,) if isinstance(item, str) else item:
                where = s[key] if key in s else Value(None, path, 1)
                if part not in allowed:
                    problems.append(
                        Problem(where.path, where.line, f"unknown block '{part}' for a {document}", did_you_mean(part, allowed))
                    )
                elif part in placed:
                    problems.append(Problem(where.path, where.line, f"block '{part}' is placed twice", "place each block once"))
                placed.append(part)
    left_out = [part for part in REQUIRED_PARTS[document] if part not in placed]
    if left_out:
        problems.append(
            Problem(
                *told_at(s, ("blocks", *fold.fixed), path),
                f"layout '{name}' leaves out {', '.join(repr(p) for p in left_out)}",
                f"a {document} layout places {', '.join(REQUIRED_PARTS[document])}",
            )
        )
    for panel in fold.fixed:
        if not get(panel):
            message = f"a {fold.name} layout needs '{panel}:' blocks"
            problems.append(Problem(*told_at(s, (panel,), path), message, "list the blocks of each panel"))
    problems += type_problems(s, path, get)
    if len(problems) > before:
        return None
    limit = get("page.limit")
    return Layout(
        name=name,
        path=path,
        document=document,
        page_size=get("page.size"),
        sheet=get("page.sheet"),
        orientation=get("page.orientation"),
        margins=tuple(get(f"page.margins.{side}") for side in ("top", "right", "bottom", "left")),  # type: ignore[arg-type]
        font=get("type.font"),
        body_size=get("type.body_size"),
        leading=get("type.leading"),
        title_size=get("type.title_size"),
        h2_size=get("type.h2_size"),
        h3_size=get("type.h3_size"),
        small_size=get("type.small_size"),
        min_size=get("type.min_size"),
        measure=get("type.measure"),
        colours={setting.key.split(".")[1]: get(setting.key) for setting in SETTINGS if setting.kind == "colour"},
        footer_left=get("footer.left"),
        footer_right=get("footer.right"),
        blocks=get("blocks"),
        panels={panel: get(panel) for panel in fold.fixed},
        label_width=get("table.label_width"),
        online_view=get("online.view"),
        page_limit=limit,
        personal_limit=get("page.personal_limit") or limit,
        fold=fold.name,
        bleed=get("page.bleed"),
        print_marks=get("page.print_marks"),
        band=get("page.band"),
        appointment_slot=get("appointment.slot"),
    )
