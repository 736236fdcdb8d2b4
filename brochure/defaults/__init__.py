"""What a project gets without writing it: the built-in layouts, strings (i18n) and
figures. A project's own file of the same name replaces a built-in one (strings key
by key); see docs/content-format.md for the lookup order."""

from __future__ import annotations

from pathlib import Path

DEFAULTS = Path(__file__).resolve().parent
BUILT_IN = "built-in:"  # how a built-in file is named to users: built-in:layouts/leaflet.yaml


def shown(path: Path | str) -> str:
    """A file as users see it: a built-in one by its name under the defaults, one in the
    working folder from there (content/hsg/en.md, as the notes and the docs name it),
    another as it is."""
    path = Path(path)
    if path.is_relative_to(DEFAULTS):
        return BUILT_IN + path.relative_to(DEFAULTS).as_posix()
    try:
        here = Path.cwd()
    except OSError:  # the working folder was removed
        return str(path)
    return path.relative_to(here).as_posix() if path.is_absolute() and path.is_relative_to(here) and path != here else str(path)
