"""`brochure serve` as an author uses it, in Debian's headless Chromium driven by
Playwright: a real server on a copy of the sample project, a view open in the browser,
and the leaflet's file edited under it. Each save must reach the open page within 5 s,
without reloading it; a broken placeholder must show its file and line in the page and
in the terminal, and the page must come back once it is fixed."""

from __future__ import annotations

import re
import selectors
import signal
import subprocess
import sys
import time
from typing import Any

import pytest
from conftest import copy_project
from nodejs import require, run

pytestmark = pytest.mark.xdist_group("browser")  # one browser at a time on the browser's worker
WITHIN_MS = 5000
HEADING, EDITED = "What is an HSG?", "What an HSG shows"
PLACEHOLDER, BROKEN = "{{ clinic.phone }}. {{ clinic.out_of_hours }}", "{{ clinic.phnoe }}. {{ clinic.out_of_hours }}"


def started(process: subprocess.Popen[str], timeout: float = 30) -> str:
    """The address the server prints once it listens."""
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and selector.select(deadline - time.monotonic()):
            found = re.search(r"at (http://\S+) ", process.stdout.readline())
            if found:
                return found.group(1)
            if process.poll() is not None:
                break
    process.kill()
    pytest.fail(f"brochure serve did not start:\n{process.communicate()[1]}")


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What the browser saw at each step, and what the server printed until Ctrl-C."""
    require(browser=True)
    root = copy_project(tmp_path_factory.mktemp("serve"))
    shots = tmp_path_factory.mktemp("serve-screenshots")
    leaflet = root / "content" / "hsg" / "en.md"
    source = leaflet.read_text(encoding="utf-8")
    broken = source.replace(PLACEHOLDER, BROKEN)
    line = next(number for number, text in enumerate(broken.splitlines(), 1) if "clinic.phnoe" in text)
    error = f"{leaflet}:{line}: unknown placeholder {{{{ clinic.phnoe }}}}"
    server = subprocess.Popen(
        [sys.executable, "-m", "brochure", "-C", str(root), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        address = started(server)
        step = {"file": str(leaflet)}
        job = {
            "url": f"{address}view/hsg/en/leaflet",
            "timeout": WITHIN_MS,
            "shots": str(shots),
            "expect": {"frame": HEADING, "noProblems": True},
            "steps": [
                {**step, "name": "edited", "text": source.replace(f"## {HEADING}", f"## {EDITED}"), "expect": {"frame": EDITED}},
                {**step, "name": "error", "text": broken, "expect": {"problem": error}},
                {**step, "name": "fixed", "text": source, "expect": {"frame": HEADING, "noProblems": True}},
            ],
        }
        report: dict[str, Any] = run("serve.mjs", stdin=job, timeout=120)
    finally:
        server.send_signal(signal.SIGINT)
        _, stderr = server.communicate(timeout=30)
    report["steps"] = {found["name"]: found for found in report["steps"]}
    report.update(error=error, returncode=server.returncode, stderr=stderr)
    return report


def test_the_view_opens_with_its_html_page_and_pdf_pages(session: dict[str, Any]) -> None:
    opened = session["steps"]["open"]
    assert opened["met"], opened
    assert len(opened["images"]) == 4 and all(image["width"] > 0 for image in opened["images"])


def test_a_save_reaches_the_open_page_within_5_s_without_a_reload(session: dict[str, Any]) -> None:
    edited = session["steps"]["edited"]
    assert edited["met"], f"the new heading was not in the page after {edited['ms']} ms"
    assert edited["marker"], "the page was reloaded"
    before, after = session["steps"]["open"]["images"], edited["images"]
    assert [image["src"] for image in before] != [image["src"] for image in after], "the PDF's pages were not replaced"


def test_a_broken_placeholder_shows_its_file_and_line_in_the_page_and_the_terminal(session: dict[str, Any]) -> None:
    error = session["steps"]["error"]
    assert error["met"], f"no '{session['error']}' in the page after {error['ms']} ms: {error['problems']}"
    assert error["marker"], "the page was reloaded"
    printed = [line for line in session["stderr"].splitlines() if line.startswith(session["error"])]
    assert printed and error["problems"] == printed[:1]  # the line the terminal shows, hint and all


def test_the_page_comes_back_once_the_error_is_fixed(session: dict[str, Any]) -> None:
    fixed = session["steps"]["fixed"]
    assert fixed["met"] and fixed["marker"], fixed
    assert len(fixed["images"]) == 4


def test_the_preview_asks_nothing_of_another_site_and_breaks_no_policy(session: dict[str, Any]) -> None:
    assert session["outside"] == [] and session["blocked"] == []


def test_ctrl_c_stops_the_server_cleanly(session: dict[str, Any]) -> None:
    assert session["returncode"] == 0, session["stderr"]
    assert "Traceback" not in session["stderr"] and session["stderr"].rstrip().endswith("stopped")
