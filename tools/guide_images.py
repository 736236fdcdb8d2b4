"""Make the pictures of the staff guide (docs/guide/images/) from the sample project: pages
drawn as `brochure preview` draws them, and the pages of `brochure serve` taken in headless
Chromium. Each is reduced to 128 colours, which keeps it small and its colours right.

python tools/guide_images.py [--no-serve]
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from brochure.preview import preview

REPO = Path(__file__).resolve().parent.parent
IMAGES = REPO / "docs" / "guide" / "images"
GAP = 12  # pixels between pages shown side by side


@dataclass(frozen=True)
class Page:
    """One page of a document, drawn at `dpi`, cut to `crop` (left, top, right, bottom as
    fractions of the page)."""

    doc: str
    page: int = 1
    lang: str = "en"
    layout: str | None = None
    dpi: int = 60
    crop: tuple[float, float, float, float] = (0, 0, 1, 1)


@dataclass(frozen=True)
class Picture:
    """An image of the guide: its pages side by side."""

    name: str
    pages: tuple[Page, ...]


TOP_HALF = (0.0, 0.0, 1.0, 0.5)
PICTURES = (
    Picture("leaflet-page-1", (Page("hsg"),)),
    Picture("draft-marks", (Page("hsg", dpi=100, crop=(0, 0, 1, 0.26)),)),
    Picture("trifold-outside", (Page("hsg", layout="trifold", dpi=45),)),
    Picture("trifold-inside", (Page("hsg", page=2, layout="trifold", dpi=45),)),
    Picture("large-print", (Page("hsg", dpi=50, crop=TOP_HALF), Page("hsg", layout="large-print", dpi=50, crop=TOP_HALF))),
    Picture("comparison", (Page("hsg-vs-hysteroscopy"),)),
    Picture("arabic-page-1", (Page("hsg", lang="ar"),)),
)

SCREENS = (  # the live preview: image name, address, window size
    ("serve-index", "/", "1100,700"),
    ("serve-view", "/view/hsg/en/leaflet", "1200,760"),
)


def small(image: Image.Image) -> Image.Image:
    """The image in at most 128 colours, without dithering."""
    return image.convert("RGB").quantize(colors=128, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)


def draw(page: Page, scratch: Path) -> Image.Image:
    """One page as an image, cropped."""
    paths = preview(REPO, page.doc, lang=page.lang, layout=page.layout, output=scratch / "page.png", dpi=page.dpi)
    image = Image.open(paths[page.page - 1]).convert("RGB")
    left, top, right, bottom = page.crop
    width, height = image.size
    return image.crop((round(left * width), round(top * height), round(right * width), round(bottom * height)))


def side_by_side(images: list[Image.Image]) -> Image.Image:
    """Images in a row on white, top aligned."""
    width = sum(image.width for image in images) + GAP * (len(images) - 1)
    row = Image.new("RGB", (width, max(image.height for image in images)), "white")
    x = 0
    for image in images:
        row.paste(image, (x, 0))
        x += image.width + GAP
    return row


def save(image: Image.Image, name: str) -> None:
    """Write docs/guide/images/<name>.png and say how big it is."""
    path = IMAGES / f"{name}.png"
    small(image).save(path, optimize=True)
    print(f"{path.relative_to(REPO)}: {image.width}x{image.height}, {path.stat().st_size // 1024} KB")


def screenshots() -> list[tuple[str, Image.Image]]:
    """The live preview's index and a document's page, from `brochure serve` on a free port."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("no chromium on PATH (or use --no-serve)")
    serve = [sys.executable, "-m", "brochure", "-C", str(REPO), "serve", "--port", "0"]
    shots: list[tuple[str, Image.Image]] = []
    with subprocess.Popen(serve, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as server:
        try:
            line = server.stdout.readline() if server.stdout else ""  # serving ... at http://127.0.0.1:PORT/ (...)
            address = line.split(" at ", 1)[1].split()[0].rstrip("/")
            for name, where, size in SCREENS:
                flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--timeout=8000"]
                flags += ["--run-all-compositor-stages-before-draw", f"--window-size={size}"]
                with tempfile.TemporaryDirectory() as scratch:
                    shot = Path(scratch) / "shot.png"
                    command = [chromium, *flags, f"--screenshot={shot}", address + where]
                    subprocess.run(command, check=True, capture_output=True, timeout=120)
                    shots.append((name, Image.open(io.BytesIO(shot.read_bytes()))))
        finally:
            server.terminate()
    return shots


def main() -> None:
    """Draw every picture of the guide."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-serve", action="store_true", help="skip the screenshots of brochure serve")
    args = parser.parse_args()
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for picture in PICTURES:
            save(side_by_side([draw(page, Path(scratch)) for page in picture.pages]), picture.name)
    if not args.no_serve:
        for name, image in screenshots():  # saved once serve has stopped: it watches docs/ too
            save(image, name)


if __name__ == "__main__":
    main()
