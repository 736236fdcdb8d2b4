"""Tagged PDF (PDF/UA-1): the structure tree of every document in every language and
layout, read back with pikepdf, poppler and PDFium; every piece of text is either in
the tree or an artifact."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import SAMPLE_DOCS
from structure import page_marks, pdfium_tree, read_tree

LANGS = ("en", "ar", "es", "hi", "pl", "vi", "zh-Hans")
LEAFLETS = ("hsg", "hysteroscopy")


@pytest.fixture(scope="session")
def every_layout(built_all: Path) -> list[Path]:
    """Every document in every language and every layout it can have (the other layouts
    built into a folder of their own: the shared output stays as other tests expect it)."""
    import brochure

    others = built_all / "other-layouts"
    for layout in ("trifold", "large-print"):
        brochure.build(built_all, layout=layout, langs=["all"], output=others)
    paths = sorted([*(built_all / "output").glob("*/*.pdf"), *others.glob("*/*.pdf")])
    assert len(paths) == 21 + 14 + 14
    return paths


def title_of(path: Path) -> str:
    """The document's title, from its metadata."""
    with pikepdf.open(path) as pdf:
        return str(pdf.docinfo["/Title"])


def test_catalog_and_pages_say_they_are_tagged(every_layout: list[Path]) -> None:
    for path in every_layout:
        with pikepdf.open(path) as pdf:
            assert pdf.pdf_version == "1.7", path.name
            assert pdf.Root.MarkInfo.Marked is True
            assert str(pdf.Root.Lang) == str(pdf.Root.Lang).strip() != ""
            assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
            meta = pdf.open_metadata()
            assert meta["pdfuaid:part"] == "1" and meta["dc:title"] == str(pdf.docinfo["/Title"])
            for i, page in enumerate(pdf.pages):
                assert page.obj.StructParents == i and page.obj.Tabs == "/S"


def test_every_text_is_in_the_tree_or_an_artifact(every_layout: list[Path]) -> None:
    for path in every_layout:
        tree = read_tree(path)
        in_tree: dict[int, set[int]] = {}
        for element in tree.walk():
            for page, mcid in element.mcids:
                in_tree.setdefault(page, set()).add(mcid)
        for number, marks in enumerate(page_marks(path)):
            assert marks.unmarked_text == 0, f"{path.name} page {number + 1}: text outside tagged content and artifacts"
            assert marks.mcids == in_tree.get(number, set()), f"{path.name} page {number + 1}: marked content not in the tree"
        with pikepdf.open(path) as pdf:
            nums = pdf.Root.StructTreeRoot.ParentTree.Nums
            parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
            for i in range(len(pdf.pages)):
                assert len(parents[i]) == len(in_tree.get(i, set())), f"{path.name}: ParentTree of page {i + 1}"


def test_footers_and_bands_are_artifacts(built: Path) -> None:
    marks = page_marks(built / "en" / "hsg.pdf")
    assert all(m.artifact_text >= 3 for m in marks), "status band, footer lines, page number"


@pytest.mark.parametrize("doc", SAMPLE_DOCS)
@pytest.mark.parametrize("lang", LANGS)
def test_tree_shape(built_all: Path, doc: str, lang: str) -> None:
    tree = read_tree(built_all / "output" / lang / f"{doc}.pdf")
    assert tree.role == "Document"
    roles = [e.role for e in tree.walk()]
    headings = [r for r in roles if re.fullmatch(r"H\d", r)]
    assert headings[0] == "H1" and headings.count("H1") == 1, "one title, first"
    for before, after in zip(headings, headings[1:], strict=False):
        assert int(after[1]) <= int(before[1]) + 1, f"heading levels skip: {before} -> {after}"
    for element in tree.find("L"):
        assert all(kid.role == "LI" for kid in element.kids)
        for item in element.kids:
            assert [k.role for k in item.kids] == ["Lbl", "LBody"]
    figures = tree.find("Figure")
    assert figures and all(f.alt for f in figures), "every figure has alt text"
    assert len(figures) == (2 if doc in LEAFLETS else 1), "the diagram and the QR code"
    assert {"Sect", "P", "L"} <= set(roles)


@pytest.mark.parametrize("lang", LANGS)
def test_comparison_table_has_header_cells(built_all: Path, lang: str) -> None:
    (table,) = read_tree(built_all / "output" / lang / "hsg-vs-hysteroscopy.pdf").find("Table")
    rows = table.kids
    assert all(row.role == "TR" for row in rows) and len(rows) > 5
    assert [c.role for c in rows[0].kids] == ["TH", "TH", "TH"]
    assert all(c.attributes["Scope"] == "Column" for c in rows[0].kids)
    for row in rows[1:]:
        assert [c.role for c in row.kids] == ["TH", "TD", "TD"]
        assert row.kids[0].attributes["Scope"] == "Row"


@pytest.mark.parametrize("lang", LANGS)
def test_links_are_bound_to_their_annotations(built_all: Path, lang: str) -> None:
    path = built_all / "output" / lang / "hsg.pdf"
    links = read_tree(path).find("Link")
    with pikepdf.open(path) as pdf:
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        annotations = [a for page in pdf.pages for a in page.obj.get("/Annots", [])]
        uris = sorted(str(a.A.URI).split(":")[0] for a in annotations)
        assert uris == ["https", "mailto", "tel"], "phone, email and website are tappable"
        for annotation in annotations:
            element = parents[int(annotation.StructParent)]
            assert element.S == "/Link"
            assert any(k.get("/Type") == "/OBJR" and k.Obj.objgen == annotation.objgen for k in element.K)
            assert str(annotation.Contents), "a link says where it goes"
    assert len(links) == 3 and all(link.mcids and link.annotations for link in links)


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang != "ar"])
def test_poppler_finds_the_title_and_the_figure(built_all: Path, lang: str) -> None:
    path = built_all / "output" / lang / "hsg.pdf"
    out = subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True).stdout
    h1 = re.search(r"^  H1 \(block\)\n\s+\"(.*)\"$", out, re.M)
    assert h1 and re.sub(r"\s+", "", h1.group(1)) == re.sub(r"\s+", "", title_of(path))
    assert "\n  Figure" in out


@pytest.mark.parametrize("lang", LANGS)
def test_pdfium_finds_the_title_and_the_alt_texts(built_all: Path, lang: str) -> None:
    path = built_all / "output" / lang / "hsg.pdf"
    found = pdfium_tree(path)
    alts = [alt for role, alt, _ in found if role == "Figure"]
    front = (built_all / "content" / "hsg" / f"{lang}.md").read_text(encoding="utf-8")
    alt = re.search(r"^  alt: (.+)$", front, re.M).group(1).strip()
    assert alt in alts
    (h1,) = [text for role, _, text in found if role == "H1"]
    if lang != "ar":  # PDFium gives right-to-left text objects in drawing order
        assert re.sub(r"\s+", "", h1) == re.sub(r"\s+", "", title_of(path))


def test_encrypted_copy_keeps_its_structure(built: Path) -> None:
    out = io.BytesIO()
    with pikepdf.open(built / "en" / "hsg.pdf") as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="owner", R=6, aes=True))
    path = built / "encrypted-hsg.pdf"
    path.write_bytes(out.getvalue())
    with pikepdf.open(path, password="secret") as pdf:
        assert pdf.is_encrypted and pdf.Root.MarkInfo.Marked is True
        assert pdf.Root.StructTreeRoot.K.S == "/Document"
