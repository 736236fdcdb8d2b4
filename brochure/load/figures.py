"""Load the diagrams in content/figures/<name>.yaml: shapes in a box of their own
(y upwards), drawn in order, and the points their labels name from the left or
the right of the drawing. A clinic adds a
procedure's diagram by adding a file; its labels' texts are `figure.<id>` in
each language's strings."""

from __future__ import annotations

import math
from pathlib import Path

from ..defaults import DEFAULTS
from ..errors import Problem
from ..model import Anchor, FigureArt, Shape, path_commands
from .content import load_yaml_file
from .schema import Fields

SHAPE_KINDS = {"path": 0, "circle": 3, "ellipse": 4}  # how many numbers each takes (a path: its own)
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


CURVE_STEPS = 16  # points a curve is measured at: its control points may lie off it, outside the box


def extent(kind: str, points: tuple[float, ...], path: str) -> list[tuple[float, float]]:
    """The points a shape reaches: a circle's and an ellipse's corners, the points of a
    path's lines and curves."""
    if kind == "circle":
        x, y, r = points
        return [(x - r, y - r), (x + r, y + r)]
    if kind == "ellipse":
        return [(points[0], points[1]), (points[2], points[3])]
    out: list[tuple[float, float]] = []
    for command, args in path_commands(path):
        if command == "C" and out:
            (x0, y0), (x1, y1, x2, y2, x3, y3) = out[-1], args
            for step in range(1, CURVE_STEPS + 1):
                t = step / CURVE_STEPS
                a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3
                out.append((a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3))
        elif command in ("M", "L"):
            out.append((args[0], args[1]))
    return out


def inside(point: tuple[float, float], box: tuple[float, ...]) -> bool:
    """Whether a point is in the figure's box (its edges included)."""
    return 0 <= point[0] <= box[0] and 0 <= point[1] <= box[1]


def load_shape(f: Fields, box: tuple[float, ...] | None) -> Shape | None:
    """One shape: exactly one of path, circle or ellipse, with its paint, inside `box` (if
    the box is known), its stroke no wider than a tenth of the box's shorter side."""
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
    found_paint = {key: f.colour(key) for key in ("fill", "stroke")}
    paint = {key: value or "" for key, value in found_paint.items()}
    if not paint["fill"] and not paint["stroke"] and None not in found_paint.values():  # else: told
        f.problem(None, "a shape needs a fill, a stroke or both")
    if kind == "circle" and points[2] <= 0 or kind == "ellipse" and (points[0] >= points[2] or points[1] >= points[3]):
        what = "a radius above 0" if kind == "circle" else "x1 < x2 and y1 < y2"
        f.problem(kind, f"'{f.name(kind)}' needs {what}")
        return None
    if box is not None and not all(inside(point, box) for point in extent(kind, points, path)):
        f.problem(
            kind,
            f"'{f.name(kind)}' reaches outside the figure's box, {box[0]:g} x {box[1]:g}",
            "move it inside, or make 'box' larger",
        )
        return None
    width = f.number("width", 1.0)
    if box is not None and (paint["stroke"] or "width" in f.data) and not 0 <= width <= min(box) / 10:
        f.problem("width", f"'{f.name('width')}' is {width:g}; a stroke is 0 to {min(box) / 10:g} wide in this figure's box")
        return None
    return Shape(kind, points, path, paint["fill"], paint["stroke"], width)


def load_figure(path: Path, problems: list[Problem]) -> FigureArt | None:
    """A figure file, checked; None if it cannot be used."""
    f = Fields(load_yaml_file(path, problems), path, 1, problems)
    f.check_keys(("box", "shapes", "labels"), ("box", "shapes", "labels"))
    box = numbers(f, "box", 2) if "box" in f.data else None
    if box is not None and min(box) <= 0:
        f.problem("box", "'box' must be a width and a height above 0", "for example [200, 120]")
        box = None
    shapes = [load_shape(item, box) for item in f.items("shapes")]
    labels = []
    for item in f.items("labels"):
        item.check_keys(("id", "side", "anchor"), ("id", "side", "anchor"))
        point = numbers(item, "anchor", 2) if "anchor" in item.data else None
        if point is not None and box is not None and not inside((point[0], point[1]), box):
            item.problem("anchor", f"'{item.name('anchor')}' is outside the figure's box, {box[0]:g} x {box[1]:g}")
        labels.append(Anchor(item.text("id"), item.choice("side", SIDES, "right"), (point[0], point[1]) if point else (0.0, 0.0)))
    if box is None or None in shapes:
        return None
    reached = [point for shape in shapes if shape is not None for point in extent(shape.kind, shape.points, shape.path)]
    if reached and all(max(p[i] for p in reached) - min(p[i] for p in reached) < box[i] / 2 for i in (0, 1)):
        f.problem(
            "box", f"the shapes fill less than half of 'box' ({box[0]:g} x {box[1]:g}) either way", "make 'box' fit the drawing"
        )
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
