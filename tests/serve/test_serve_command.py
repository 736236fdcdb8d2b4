"""`brochure serve` on the command line: its help, loopback by default, a warning when
asked to serve the network, one line for a port in use, and a clean stop."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from brochure.serve import server


def test_help_says_what_it_serves_and_where(cli) -> None:
    result = cli("serve", "--help")
    text = " ".join(result.output.split())
    assert result.exit_code == 0
    assert "--host ADDRESS The address to serve on: anyone who can reach it can read the drafts. [default: 127.0.0.1]" in text
    assert "--port PORT The port (0 picks a free one). [default: 8000;" in text and "Nothing is written to output/" in text


@pytest.mark.parametrize("command", [["--help"], ["serve", "--help"], ["preview", "--help"]])
def test_help_imports_nothing_heavy(command: list[str]) -> None:
    code = (
        "import sys\nfrom brochure.cli import main\n"
        f"main({command!r}, standalone_mode=False)\n"
        "print(*sorted({m.split('.')[0] for m in sys.modules} & {'reportlab', 'jinja2', 'watchfiles', 'pypdfium2', 'PIL'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == ""


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("::1", True), ("localhost", True), ("0.0.0.0", False), ("192.168.1.20", False), ("clinic-pc", False)],
)
def test_only_loopback_is_private(host: str, loopback: bool) -> None:
    assert server.is_loopback(host) is loopback


@pytest.fixture
def stopped_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The watch ends at once, as on Ctrl-C."""

    def interrupted(root: Path) -> Iterator[set[Path]]:
        raise KeyboardInterrupt
        yield set()

    monkeypatch.setattr(server, "changes", interrupted)


def test_ctrl_c_stops_it_with_no_traceback(cli, project: Path, stopped_at_once: None) -> None:
    result = cli("-C", project, "serve", "--port", "0")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"serving {project.resolve()} at http://127.0.0.1:") and lines[-1] == "stopped"
    assert "warning" not in result.output


def test_serving_the_network_warns_that_drafts_can_be_read(cli, project: Path, stopped_at_once: None) -> None:
    result = cli("-C", project, "serve", "--host", "0.0.0.0", "--port", "0")
    assert result.exit_code == 0, result.output
    assert "warning: serving on 0.0.0.0: anyone on the network can read the clinic's drafts" in result.output.splitlines()


def test_a_port_in_use_is_one_line(cli, project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("-C", project, "serve", "--port", str(port))
    assert result.exit_code == 1
    assert result.output == f"Error: port {port} is in use: use --port\n"


def test_a_folder_that_is_not_there_is_a_usage_error(cli, tmp_path: Path) -> None:
    result = cli("-C", tmp_path / "nowhere", "serve")
    assert result.exit_code == 2 and "does not exist" in result.output
    outside = cli("-C", tmp_path, "serve")
    assert outside.exit_code == 2 and outside.output.startswith(
        f"Error: no brochure project in {tmp_path} or in any folder above"
    )
