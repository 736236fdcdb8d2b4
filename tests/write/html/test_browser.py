"""The pages in a real browser (Debian's Chromium, headless, driven by Playwright):
axe-core finds no WCAG 2.2 AA violation, nothing scrolls sideways at 320 px or at
200 % zoom, no page makes a request, and a screenshot of each language to look at.
One browser checks every page, once per test session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE_DOCS
from nodejs import require, run

LANGS = ("en", "ar", "es", "hi", "pl", "vi", "zh-Hans")
PAGES = [(doc, lang) for doc in SAMPLE_DOCS for lang in LANGS]
pytestmark = pytest.mark.xdist_group("browser")  # one worker starts the browser, once
SHOTS = [("hsg", lang) for lang in LANGS] + [("hsg-vs-hysteroscopy", "en"), ("hsg-vs-hysteroscopy", "ar")]


@pytest.fixture(scope="session")
def browser(built_all_langs: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What Chromium found on every page, and the screenshots it took."""
    require(browser=True)
    shots = tmp_path_factory.mktemp("screenshots")
    job = {
        "files": [str(built_all_langs / lang / f"{doc}.html") for doc, lang in PAGES],
        "screenshots": {"dir": str(shots), "files": [str(built_all_langs / lang / f"{doc}.html") for doc, lang in SHOTS]},
    }
    report: dict[str, Any] = run("check_html.mjs", stdin=job)
    report["by_page"] = {(doc, lang): report["pages"][file] for (doc, lang), file in zip(PAGES, job["files"], strict=True)}
    return report


@pytest.mark.parametrize(("doc", "lang"), PAGES)
def test_axe_finds_no_wcag_22_aa_violation(browser: dict[str, Any], doc: str, lang: str) -> None:
    violations = browser["by_page"][(doc, lang)]["violations"]
    lines = [f"{v['viewport']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']]}" for v in violations]
    assert not violations, "\n".join(lines)


@pytest.mark.parametrize(("doc", "lang"), PAGES)
def test_no_sideways_scrolling_at_320_px_or_at_200_percent_zoom(browser: dict[str, Any], doc: str, lang: str) -> None:
    for name, found in browser["by_page"][(doc, lang)]["widths"].items():
        assert found["scrollWidth"] <= found["viewport"], f"{name}: {found['scrollWidth']} px wide in {found['viewport']} px"


@pytest.mark.parametrize(("doc", "lang"), PAGES)
def test_a_page_makes_no_request(browser: dict[str, Any], doc: str, lang: str) -> None:
    assert browser["by_page"][(doc, lang)]["requests"] == []


def test_a_screenshot_of_each_language(browser: dict[str, Any]) -> None:
    from PIL import Image

    shots = [Path(p) for p in browser["screenshots"]]
    assert len(shots) == 2 * len(SHOTS)  # a desktop and a phone width each
    for shot in shots:
        with Image.open(shot) as image:
            assert image.width in (1024, 320) and image.height > 1000, shot.name
            assert len(image.convert("L").getcolors(1 << 16) or []) > 16, f"{shot.name} is blank"
