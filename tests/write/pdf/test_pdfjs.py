"""pdf.js (the PDF reader of Firefox and of many web viewers) reads the tagged PDF:
the text of every page, and a structure tree with the title and the figure's alt text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from conftest import REPO
from nodejs import require, run

from brochure.load.project import load_project


def nodes(tree: Any) -> Iterator[dict[str, Any]]:
    """Every element of a pdf.js structure tree."""
    if isinstance(tree, dict):
        yield tree
        for child in tree.get("children", []):
            yield from nodes(child)


def test_pdfjs_reads_the_text_and_the_structure_tree(built_all_langs: Path) -> None:
    require()
    found = run("pdfjs.mjs", built_all_langs / "en" / "hsg.pdf")
    project, _ = load_project(REPO)
    leaflet = project.documents[("hsg", "en")]
    assert len(found["pages"]) == len(found["structTree"]) >= 2
    assert leaflet.meta.title.source.strip() in found["pages"][0]
    roles = [n.get("role") for tree in found["structTree"] for n in nodes(tree)]
    assert "Document" in roles and roles.count("H1") == 1 and "Table" not in roles
    (h1,) = [n for tree in found["structTree"] for n in nodes(tree) if n.get("role") == "H1"]
    texts = {k: v for page in found["marked"] for k, v in page.items()}
    assert "".join(texts[c["id"]] for c in h1["children"] if c.get("type") == "content") == leaflet.meta.title.source.strip()
    alts = [n.get("alt") for tree in found["structTree"] for n in nodes(tree) if n.get("role") == "Figure"]
    assert leaflet.figure is not None and " ".join(leaflet.figure.alt.source.split()) in alts  # type: ignore[union-attr]
