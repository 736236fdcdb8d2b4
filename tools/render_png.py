"""Render every page of PDFs to PNG files beside them, for looking at.

python tools/render_png.py output/en/*.pdf [--scale 1.5]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pypdfium2 as pdfium


def main() -> None:
    """Write <pdf>-p<N>.png for every page of every PDF given."""
    parser = argparse.ArgumentParser()
    parser.add_argument("pdfs", nargs="+", type=Path)
    parser.add_argument("--scale", type=float, default=1.5)
    args = parser.parse_args()
    for pdf_path in args.pdfs:
        pdf = pdfium.PdfDocument(pdf_path)
        for i in range(len(pdf)):
            out = pdf_path.with_name(f"{pdf_path.stem}-p{i + 1}.png")
            pdf[i].render(scale=args.scale).to_pil().save(out)
            print(out)


if __name__ == "__main__":
    main()
