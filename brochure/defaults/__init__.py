"""What a project gets without writing it: the built-in layouts, strings (i18n) and
figures. A project's own file of the same name replaces a built-in one (strings key
by key); see docs/content-format.md for the lookup order."""

from __future__ import annotations

from pathlib import Path

DEFAULTS = Path(__file__).resolve().parent
BUILT_IN = "built-in:"  # how a built-in file is named to users: built-in:layouts/leaflet.yaml


def shown(path: Path | str) -> str:
    """A file as users see it: a built-in one by its name under the defaults."""
    path = Path(path)
    return BUILT_IN + path.relative_to(DEFAULTS).as_posix() if path.is_relative_to(DEFAULTS) else str(path)
