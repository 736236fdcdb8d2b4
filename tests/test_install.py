"""brochure as a clinic gets it: the wheel installed in a fresh virtual environment and
used in a folder outside the repository, with nothing of the repository on the path.

One test, one install (about a minute, most of it pip): it runs everywhere the suite
runs, CI included, and never skips."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO
from pypdf import PdfReader

from brochure.defaults import BUILT_IN


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """A command run to its end, without the test's Python path; it must succeed."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "BROCHURE_DEBUG")}
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def wheel(tmp: Path) -> Path:
    """The wheel, built from a copy of the sources (a build/ folder left in the
    repository by an earlier build could add files that are gone)."""
    source = tmp / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source)
    shutil.copytree(REPO / "brochure", source / "brochure", ignore=shutil.ignore_patterns("__pycache__"))
    run(sys.executable, "-m", "pip", "wheel", source, "--no-deps", "--quiet", "-w", tmp / "wheels")
    (built,) = (tmp / "wheels").glob("brochure-*.whl")
    return built


def test_the_wheel_in_a_fresh_venv_outside_the_repository(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv)
    run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel(tmp_path))
    work = tmp_path / "work"
    work.mkdir()
    assert not work.resolve().is_relative_to(REPO)
    brochure = venv / "bin" / "brochure"
    where = run(venv / "bin" / "python", "-c", "import brochure; print(brochure.__file__)", cwd=work).stdout
    assert Path(where.strip()).is_relative_to(venv)  # the installed package, not the repository's

    init = run(brochure, "init", "clinic", cwd=work)
    assert init.stdout.splitlines()[0] == "wrote clinic/.gitignore"
    assert init.stdout.splitlines()[-1] == "next: brochure -C clinic check, then brochure -C clinic build"
    assert run(brochure, "-C", "clinic", "check", cwd=work).stdout == "ok: no problems found\n"
    root = (work / "clinic").resolve()
    pdf, html = root / "output" / "en" / "hsg.pdf", root / "output" / "en" / "hsg.html"
    build = run(brochure, "-C", "clinic", "build", cwd=work)
    assert build.stdout.splitlines() == ["wrote clinic/output/en/hsg.pdf", "wrote clinic/output/en/hsg.html"]  # from where it ran
    assert "<h1" in html.read_text(encoding="utf-8")

    preview = run(brochure, "-C", "clinic", "preview", "hsg", "-o", "x.png", cwd=work).stdout.splitlines()
    reader = PdfReader(pdf)
    assert preview == [f"wrote x-{n}.png" for n in range(1, len(reader.pages) + 1)]
    assert all((work / f"x-{n}.png").read_bytes().startswith(b"\x89PNG") for n in range(1, len(reader.pages) + 1))

    found = json.loads(run(brochure, "-C", "clinic", "list", "--format", "json", cwd=work).stdout)
    assert [(d["name"], d["languages"]) for d in found["documents"]] == [("hsg", {"en": "source"})]
    assert {layout["name"] for layout in found["layouts"]} == {"comparison", "large-print", "leaflet", "trifold"}
    leaflet = next(layout for layout in found["layouts"] if layout["name"] == "leaflet")
    assert leaflet["files"] == [f"{BUILT_IN}layouts/leaflet.yaml", f"{BUILT_IN}layouts/base.yaml"]
    assert all(file.startswith(BUILT_IN) for layout in found["layouts"] for file in layout["files"])
    assert [lang["strings"] for lang in found["languages"]] == [[f"{BUILT_IN}i18n/en.yaml"]]

    assert 1 < len(reader.pages) <= 4  # the leaflet layout's limit
    first = reader.pages[0].extract_text()
    assert "Your HSG test" in first and "Your Clinic Name" in first
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object(), f"{font['/BaseFont']} is not embedded"
