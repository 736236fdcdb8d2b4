"""brochure: print-ready patient information leaflets from Markdown and YAML.

`brochure.build()` and `brochure.check()` are the Python API; they are imported
on first use, so that `import brochure` (and `brochure --help`) stays light."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "build", "check"]


def __getattr__(name: str) -> Any:
    """The pipeline's functions, imported when first asked for."""
    if name in ("build", "check"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'brochure' has no attribute {name!r}")
