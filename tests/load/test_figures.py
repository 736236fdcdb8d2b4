"""Figures: what a diagram's file may hold, and what it is refused for."""

from __future__ import annotations

from pathlib import Path

from brochure.errors import Problem
from brochure.load.figures import load_figure

LABEL = "\nlabels:\n  - {id: womb, side: left, anchor: [5, 3]}\n"


def figure(tmp_path: Path, text: str) -> tuple[object, list[Problem]]:
    path = tmp_path / "arc.yaml"
    path.write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    return load_figure(path, problems), problems


def test_a_curve_inside_the_box_is_inside_though_its_control_points_are_not(tmp_path: Path) -> None:
    """The curve peaks at y = 47.5 in a box 50 high; its control points are at y = 60."""
    art, problems = figure(
        tmp_path,
        'box: [100, 50]\nshapes:\n  - path: M 10 10 C 10 60 90 60 90 10 Z\n    stroke: "#1f5f74"' + LABEL,
    )
    assert art is not None and not problems


def test_a_curve_that_leaves_the_box_is_refused(tmp_path: Path) -> None:
    _, problems = figure(
        tmp_path,
        'box: [100, 40]\nshapes:\n  - path: M 10 10 C 10 60 90 60 90 10 Z\n    stroke: "#1f5f74"' + LABEL,
    )
    assert [p.message for p in problems] == ["'shapes[0].path' reaches outside the figure's box, 100 x 40"]


def test_a_filled_shape_in_a_small_box_needs_no_stroke_width(tmp_path: Path) -> None:
    art, problems = figure(
        tmp_path,
        'box: [10, 6]\nshapes:\n  - circle: [5, 3, 2.5]\n    fill: "#1f5f74"' + LABEL,
    )
    assert art is not None and not problems
