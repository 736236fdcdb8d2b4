"""Load the diagrams in content/figures/<name>.yaml: shapes in a box of their own
(y upwards), drawn in order, and the points their labels name from the left or
the right of the drawing. A clinic adds a
procedure's diagram by adding a file; its labels' texts are `figure.<id>` in
each language's strings."""

from __future__ import annotations

import math
import re
from pathlib import Path

from ..defaults import DEFAULTS
from ..errors import Problem
from ..model import Anchor, FigureArt, Shape, path_commands
from .content import load_yaml_file
from .schema import Fields

SHAPE_KINDS = {"path": 0, "circle": 3, "ellipse": 4}  # how many numbers each takes (a path: its own)
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
SIDES = ("left", "right")


def numbers(f: Fields, key: str, count: int) -> tuple[float, ...] | None:
    """A list of exactly `count` numbers."""
    value = f.raw(key)
    if not isinstance(value, list) or len(value) != count or not all(is_number(v) for v in value):
        f.problem(key, f"'{f.name(key)}' must be a list of {count} numbers")
        return None
    return tuple(float(v) for v in value)


def is_number(value: object) -> bool:
    """A finite number (YAML's true and .nan are not)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def load_shape(f: Fields) -> Shape | None:
    """One shape: exactly one of path, circle or ellipse, with its paint."""
    f.check_keys((*SHAPE_KINDS, "fill", "stroke", "width"))
    kinds = [k for k in SHAPE_KINDS if k in f.data]
    if len(kinds) != 1:
        f.problem(None, "a shape needs exactly one of path, circle or ellipse")
        return None
    kind = kinds[0]
    path = ""
    if kind == "path":
        path = f.text("path")
        points: tuple[float, ...] = ()
        try:
            path_commands(path)
        except ValueError as exc:
            f.problem(
                "path", f"'{f.name('path')}' is not a path of M, L, C and Z commands: {exc}", "for example: M 10 10 L 20 10 Z"
            )
            return None
    else:
        found = numbers(f, kind, SHAPE_KINDS[kind])
        if found is None:
            return None
        points = found
    paint = {}
    for key in ("fill", "stroke"):
        value = f.text(key)
        if value and not COLOUR.match(value):
            f.problem(key, f"'{f.name(key)}' must be a colour like '#1f5f74', not '{value}'", "quote it")
            value = ""
        paint[key] = value
    if not paint["fill"] and not paint["stroke"]:
        f.problem(None, "a shape needs a fill, a stroke or both")
    return Shape(kind, points, path, paint["fill"], paint["stroke"], f.number("width", 1.0))


def load_figure(path: Path, problems: list[Problem]) -> FigureArt | None:
    """A figure file, checked; None if it cannot be used."""
    f = Fields(load_yaml_file(path, problems), path, 1, problems)
    f.check_keys(("box", "shapes", "labels"), ("box", "shapes", "labels"))
    box = numbers(f, "box", 2) if "box" in f.data else None
    if box is not None and min(box) <= 0:
        f.problem("box", "'box' must be a width and a height above 0", "for example [200, 120]")
        box = None
    shapes = [load_shape(item) for item in f.items("shapes")]
    labels = []
    for item in f.items("labels"):
        item.check_keys(("id", "side", "anchor"), ("id", "side", "anchor"))
        point = numbers(item, "anchor", 2) if "anchor" in item.data else None
        labels.append(Anchor(item.text("id"), item.choice("side", SIDES, "right"), (point[0], point[1]) if point else (0.0, 0.0)))
    if box is None or None in shapes:
        return None
    return FigureArt(path.stem, path, (box[0], box[1]), tuple(s for s in shapes if s is not None), tuple(labels))


BUILT_IN = DEFAULTS / "figures"


def load_figures(folder: Path, problems: list[Problem]) -> dict[str, FigureArt]:
    """Every figure a project can use: the built-in ones, and those in its content/figures/
    (a project's file replaces the built-in one of its name)."""
    paths = {p.stem: p for p in sorted(BUILT_IN.glob("*.yaml"))} | {p.stem: p for p in sorted(folder.glob("*.yaml"))}
    figures = {}
    for name, path in sorted(paths.items()):
        figure = load_figure(path, problems)
        if figure is not None:
            figures[name] = figure
    return figures
