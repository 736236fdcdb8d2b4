"""A print-shop copy as a print shop checks it: every colour read from the pages' content
streams (text and rules in black ink only, crop marks in Registration, brand and diagram
colours in CMYK, no RGB or grey colour space anywhere, images in CMYK), and Ghostscript
turning it into PDF/X-3 without a warning."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pytest
import yaml
from conftest import REPO, edit
from structure import page_marks, read_tree

import brochure
from brochure.write.pdf.inks import CMYK, ink

PDFX_DEF = Path(__file__).with_name("PDFX_def.ps")
REGISTRATION = ("/All", (1.0,))  # the Separation every plate prints, at full tint
TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
PATH_PAINTING = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}
COLOUR_OPERATORS = {"rg", "RG", "g", "G", "k", "K", "cs", "CS", "sc", "SC", "scn", "SCN"}
# The print copies read: a leaflet (with the PNG logo, an image), a tri-fold right to left,
# the comparison in Chinese and large print in Hindi.
COPIES = [
    ("hsg", "en", None),
    ("hysteroscopy", "ar", "trifold"),
    ("hsg-vs-hysteroscopy", "zh-Hans", None),
    ("hsg", "hi", "large-print"),
]

Colour = tuple[str, tuple[float, ...]]  # the colour space ('/DeviceCMYK' or a Separation's name) and its values
Box = tuple[float, float, float, float]


@dataclass
class Painted:
    """What a page paints, in which colour: text, path strokes (with their extent on the
    page) and fills, the colour operators used, and the images' colour spaces."""

    text: Counter[Colour] = field(default_factory=Counter)
    strokes: list[tuple[Colour, Box]] = field(default_factory=list)
    fills: Counter[Colour] = field(default_factory=Counter)
    operators: Counter[str] = field(default_factory=Counter)
    spaces: set[str] = field(default_factory=set)
    images: set[str] = field(default_factory=set)


def multiply(a: list[float], b: list[float]) -> list[float]:
    """The product of two PDF transformation matrices [a b c d e f]."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def read_page(page: pikepdf.Page, painted: Painted) -> None:
    """Follow a page's graphics state (colours, the transformation, the current path)
    through its content stream, recording what is painted in which colour."""
    fill: Colour = ("/DeviceGray", (0.0,))
    stroke: Colour = ("/DeviceGray", (0.0,))
    fill_space = stroke_space = "/DeviceGray"
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    saved: list[tuple[Colour, Colour, str, str, list[float]]] = []
    points: list[tuple[float, float]] = []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        values = (
            tuple(round(float(v), 3) for v in operands) if op in COLOUR_OPERATORS and op not in ("cs", "CS", "scn", "SCN") else ()
        )
        if op in ("scn", "SCN"):
            values = tuple(round(float(v), 3) for v in operands if not isinstance(v, pikepdf.Name))
        if op in COLOUR_OPERATORS:
            painted.operators[op] += 1
        if op == "q":
            saved.append((fill, stroke, fill_space, stroke_space, ctm))
        elif op == "Q":
            fill, stroke, fill_space, stroke_space, ctm = saved.pop()
        elif op == "cm":
            ctm = multiply([float(v) for v in operands], ctm)
        elif op in ("k", "K"):
            colour = ("/DeviceCMYK", values)
            fill, stroke = (colour, stroke) if op == "k" else (fill, colour)
        elif op in ("rg", "RG", "g", "G"):
            colour = ("/DeviceRGB" if op.lower() == "rg" else "/DeviceGray", values)
            fill, stroke = (colour, stroke) if op.islower() else (fill, colour)
        elif op in ("cs", "CS"):
            painted.spaces.add(str(operands[0]))
            fill_space, stroke_space = (str(operands[0]), stroke_space) if op == "cs" else (fill_space, str(operands[0]))
        elif op in ("sc", "scn"):
            fill = (fill_space, values)
        elif op in ("SC", "SCN"):
            stroke = (stroke_space, values)
        elif op in TEXT_SHOWING:
            painted.text[fill] += 1
        elif op in ("m", "l"):
            x, y = (float(v) for v in operands)
            points.append((x * ctm[0] + y * ctm[2] + ctm[4], x * ctm[1] + y * ctm[3] + ctm[5]))
        elif op == "re":
            x, y, w, h = (float(v) for v in operands)
            for px, py in ((x, y), (x + w, y + h)):
                points.append((px * ctm[0] + py * ctm[2] + ctm[4], px * ctm[1] + py * ctm[3] + ctm[5]))
        elif op in PATH_PAINTING or op == "n":
            if op in ("S", "s", "B", "B*", "b", "b*") and points:
                xs, ys = [p[0] for p in points], [p[1] for p in points]
                painted.strokes.append((stroke, (min(xs), min(ys), max(xs), max(ys))))
            if op in ("f", "F", "f*", "B", "B*", "b", "b*"):
                painted.fills[fill] += 1
            points = []
    for image in page.get_images().values():
        space = image.get("/ColorSpace")
        painted.images.add(str(space[0] if isinstance(space, pikepdf.Array) else space))


def read_pdf(pdf: Path) -> tuple[list[Painted], list[Box]]:
    """What each page of a PDF paints, and each page's trim box."""
    pages, trims = [], []
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            painted = Painted()
            read_page(page, painted)
            pages.append(painted)
            trims.append(tuple(float(v) for v in page.TrimBox))
    return pages, trims


def outside(box: Box, trim: Box) -> bool:
    """Whether a path lies wholly outside the trim box (in the border with the marks)."""
    return box[2] <= trim[0] or box[0] >= trim[2] or box[3] <= trim[1] or box[1] >= trim[3]


def k_only(colour: Colour) -> bool:
    """Whether a colour is printed in black ink alone (C, M and Y at zero)."""
    return colour[0] == "/DeviceCMYK" and colour[1][:3] == (0.0, 0.0, 0.0)


def printed(hex_colour: str, given: dict[str, CMYK]) -> Colour:
    """The colour a hex colour is printed in, as the content stream holds it."""
    rgb = tuple(int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return "/DeviceCMYK", tuple(round(v, 3) for v in ink(rgb, given))  # type: ignore[arg-type]


def brand_and_diagram_inks(project: Path) -> tuple[set[Colour], set[Colour]]:
    """The inks the clinic's brand colours are printed in (its print_colours, or converted),
    and those of the diagrams' colours."""
    clinic = yaml.safe_load((project / "content" / "clinic.yaml").read_text(encoding="utf-8"))
    names = {value: key for key, value in clinic["colours"].items()}
    given = {
        colour: tuple(float(v) / 100 for v in clinic["print_colours"][names[colour]].split())
        for colour in names
        if names[colour] in clinic["print_colours"]
    }
    brand = {printed(colour, given) for colour in clinic["colours"].values()}
    figures = "".join(path.read_text(encoding="utf-8") for path in (REPO / "brochure" / "defaults" / "figures").glob("*.yaml"))
    diagram = {printed(colour, {}) for colour in set(re.findall(r"#[0-9a-fA-F]{6}", figures))}
    return brand, diagram


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    """The print-shop copies of COPIES, built once, the clinic's logo a PNG image."""
    from conftest import copy_project

    root = copy_project(tmp_path_factory.mktemp("inks"))
    edit(root / "content" / "clinic.yaml", "logo: assets/logo.svg", "logo: assets/logo.png")
    pdfs = []
    for doc, lang, layout in COPIES:
        pdfs += brochure.build(root, docs=[doc], langs=[lang], layout=layout, formats=["pdf"], print_marks=True)
    return root, pdfs


def test_text_and_marks_are_in_black_ink_and_registration(copies: tuple[Path, list[Path]]) -> None:
    root, pdfs = copies
    brand, diagram = brand_and_diagram_inks(root)
    for pdf in pdfs:
        pages, trims = read_pdf(pdf)
        for number, (page, trim) in enumerate(zip(pages, trims, strict=True), 1):
            where = f"{pdf.name} page {number}"
            used = set(page.operators)
            assert not used & {"rg", "RG", "g", "G", "sc", "SC"}, f"{where}: RGB or grey colour operators {used}"
            assert page.spaces <= {"/All"}, f"{where}: colour spaces {page.spaces}"
            assert page.images <= {"/DeviceCMYK"}, f"{where}: images in {page.images}"
            body, _ = page.text.most_common(1)[0]
            assert body == ("/DeviceCMYK", (0.0, 0.0, 0.0, 1.0)), f"{where}: body text in {body}, not 100 % K"
            odd_text = [c for c in page.text if not k_only(c) and c not in brand]
            assert not odd_text, f"{where}: text in {odd_text}, neither black ink nor a brand colour"
            marks = [colour for colour, box in page.strokes if outside(box, trim)]
            assert marks.count(REGISTRATION) == len(marks) == 8, f"{where}: crop marks in {Counter(marks)}"
            inside = {colour for colour, box in page.strokes if not outside(box, trim)} | set(page.fills)
            odd = [c for c in inside if not k_only(c) and c not in brand | diagram]
            assert not odd, f"{where}: rules or shapes in {odd}, neither black ink, a brand nor a diagram colour"
            assert REGISTRATION not in inside, f"{where}: Registration inside the trimmed page"


def test_the_rules_are_grey_in_black_ink(copies: tuple[Path, list[Path]]) -> None:
    root, pdfs = copies
    rule = printed(yaml.safe_load((REPO / "brochure" / "defaults" / "layouts" / "base.yaml").read_text())["colours"]["rule"], {})
    assert rule == ("/DeviceCMYK", (0.0, 0.0, 0.0, 0.361))
    pages, trims = read_pdf(pdfs[0])
    for page, trim in zip(pages, trims, strict=True):
        width = trim[2] - trim[0]
        rules = [colour for colour, box in page.strokes if box[3] - box[1] < 1 and box[2] - box[0] > width / 2]
        assert rule in rules, "the footer's rule, across the page, in black ink"


def test_the_png_logo_is_printed_in_the_profiles_cmyk(copies: tuple[Path, list[Path]]) -> None:
    with pikepdf.open(copies[1][0]) as doc:
        [logo] = doc.pages[0].get_images().values()
        assert logo.ColorSpace == pikepdf.Name.DeviceCMYK
        samples = logo.read_bytes()
    pixels = Counter(samples[i : i + 4] for i in range(0, len(samples), 4))
    [(brand, _)] = pixels.most_common(1)
    # The circle is the primary colour (#1f5f74): the profile's 85 40 30 25, not a conversion.
    assert tuple(round(v / 2.55) for v in brand) == (85, 40, 30, 25)
    assert pixels[bytes(4)] > 0, "white is no ink at all"


def test_a_print_shop_copy_keeps_its_structure_without_links(copies: tuple[Path, list[Path]]) -> None:
    for pdf in copies[1]:
        tree = read_tree(pdf)
        in_tree: dict[int, set[int]] = {}
        for element in tree.walk():
            for page, mcid in element.mcids:
                in_tree.setdefault(page, set()).add(mcid)
        for number, marks in enumerate(page_marks(pdf)):
            assert marks.unmarked_text == 0, f"{pdf.name} page {number + 1}: text outside tagged content and artifacts"
            assert marks.mcids == in_tree.get(number, set()), f"{pdf.name} page {number + 1}: marked content not in the tree"
        links = tree.find("Link")
        assert links and all(link.mcids and not link.annotations for link in links), "links keep their text, not an annotation"
        with pikepdf.open(pdf) as doc:
            assert not any("/Annots" in page.obj for page in doc.pages), "no annotation on the page (PDF/X)"
            nums = doc.Root.StructTreeRoot.ParentTree.Nums
            assert len(nums) == 2 * len(doc.pages) == 2 * int(doc.Root.StructTreeRoot.ParentTreeNextKey)


def pdfx_profile() -> str | None:
    """Ghostscript's CMYK output profile, if Ghostscript is installed."""
    found = glob.glob("/usr/share/ghostscript/*/iccprofiles/default_cmyk.icc") + glob.glob(
        "/usr/share/color/icc/ghostscript/default_cmyk.icc"
    )
    return found[0] if found and shutil.which("gs") else None


def test_ghostscript_makes_pdf_x_of_it_without_a_warning(copies: tuple[Path, list[Path]], tmp_path: Path) -> None:
    profile = pdfx_profile()
    if profile is None:
        reason = "Ghostscript is not installed (apt-get install ghostscript)"
        pytest.fail(f"{reason}: CI must run it") if os.environ.get("CI") else pytest.skip(reason)
    _, pdfs = copies
    for pdf in pdfs:
        out = tmp_path / pdf.name
        command = ["gs", "-q", "-dPDFX", "-dBATCH", "-dNOPAUSE", "-dNOOUTERSAVE", "-sDEVICE=pdfwrite"]
        command += ["-sColorConversionStrategy=CMYK", f"-sPDFXProfile={profile}", f"--permit-file-read={profile}"]
        command += [f"-sOutputFile={out}", str(PDFX_DEF), str(pdf)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0 and result.stdout + result.stderr == "", f"{pdf.name}: {result.stdout}{result.stderr}"
        with pikepdf.open(out) as doc:
            assert doc.docinfo.GTS_PDFXVersion == "PDF/X-3:2002", "Ghostscript kept it PDF/X"
            assert doc.Root.OutputIntents[0].S == pikepdf.Name.GTS_PDFX
