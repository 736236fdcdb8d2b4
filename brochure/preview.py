"""`brochure preview`: a document's pages as PNG images, one file a page, drawn from
the PDF that `build` would write (the same jobs, preparation and writer)."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import UsageError
from .pipeline import ALL, open_project, prepare_all, render_job, resolve
from .write.files import write_atomic
from .write.png import page_images

PREVIEWS = Path("output") / "preview"  # in the project: <lang>/<doc>[.<layout>].png


def image_paths(base: Path, count: int) -> list[Path]:
    """`base` for a one-page document, else <base>-1.png, <base>-2.png ... for `count` pages."""
    if count == 1:
        return [base]
    return [base.with_name(f"{base.stem}-{number}{base.suffix}") for number in range(1, count + 1)]


def remove_stale(base: Path, kept: list[Path]) -> None:
    """Remove the page images of `base` that a longer (or shorter) version left behind."""
    if not base.parent.is_dir():
        return
    pattern = re.compile(re.escape(base.stem) + r"(-\d+)?" + re.escape(base.suffix))
    for path in base.parent.iterdir():
        if pattern.fullmatch(path.name) and path not in kept:
            path.unlink()


def preview(
    project: Path | str,
    doc: str,
    lang: str | None = None,
    layout: str | None = None,
    paper: str | None = None,
    output: Path | str | None = None,
    dpi: float = 100,
) -> list[Path]:
    """Draw `doc` in `lang` (the clinic's by default) and `layout` (its own by default) as
    PNG images, and return their paths: `output` (output/preview/<lang>/<doc>[.<layout>].png
    by default) for a one-page document, else one numbered file a page. Problems are
    reported as `build` reports them."""
    loaded = open_project(project, [doc])
    if lang == ALL:
        raise UsageError("preview draws one language: name it with --lang")
    [job] = resolve(loaded, [doc], [lang] if lang else None, loaded.root / PREVIEWS, layout=layout, formats=["pdf"])
    base = Path(output) if output is not None else job.output.with_suffix(".png")
    if base.suffix.lower() != ".png":
        raise UsageError(f"--output must name a .png file, not '{base}'")
    [prepared] = prepare_all(loaded, [job], paper)
    pdf, _ = render_job(job, prepared, fit=False)
    images = page_images(pdf, dpi)
    paths = image_paths(base, len(images))
    remove_stale(base, paths)
    for path, image in zip(paths, images, strict=True):
        write_atomic(path, image.png)
    return paths
