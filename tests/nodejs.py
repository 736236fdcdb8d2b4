"""Running the Node scripts of tests/js/ (axe-core in Chromium, pdf.js) from tests.

Each needs Node, the npm packages of package-lock.json (`npm ci`) and, for the
browser, Debian's chromium. Where one is missing a test is skipped with the reason,
except in CI (CI=true), where it fails: CI must run them (`.ci/run` installs them)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

JS = REPO / "tests" / "js"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


def missing(browser: bool = False) -> str:
    """What a Node script needs and this machine lacks ('' if nothing)."""
    if shutil.which("node") is None:
        return "Node.js is not installed"
    if not (REPO / "node_modules" / "axe-core").is_dir():
        return "the npm packages are not installed (run `npm ci`)"
    if browser and not CHROMIUM.is_file():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    return ""


def require(browser: bool = False) -> None:
    """Skip the test (fail it in CI) if what it needs is missing."""
    reason = missing(browser)
    if reason and os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run the browser and PDF reader tests")
    if reason:
        pytest.skip(reason)


def run(script: str, *args: str | Path, stdin: Any = None, timeout: float = 600) -> Any:
    """Run tests/js/<script> with Node and return the JSON it prints."""
    result = subprocess.run(
        ["node", str(JS / script), *map(str, args)],
        input=json.dumps(stdin) if stdin is not None else None,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"{script} failed:\n{result.stderr[-3000:]}"
    return json.loads(result.stdout)
