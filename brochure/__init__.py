"""brochure: print-ready patient information leaflets from Markdown and YAML."""

from __future__ import annotations

__version__ = "0.1.0"

from .build import build, check  # noqa: E402

__all__ = ["__version__", "build", "check"]
