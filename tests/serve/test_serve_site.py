"""The build inside `brochure serve` and its server, without a browser: what each address
answers, a problem shown in the view and on the terminal until it is fixed, the event
stream that tells an open page of each rebuild, and the requests it refuses."""

from __future__ import annotations

import http.client
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import edit

from brochure.serve import site as site_module
from brochure.serve.server import PreviewServer
from brochure.serve.site import Site

BROKEN = "{{ clinic.phnoe }}"


@dataclass
class Served:
    """A preview server on a free port, and what it printed."""

    site: Site
    port: int
    printed: list[str] = field(default_factory=list)

    def get(self, path: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
        """The status, headers and body of a GET."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", path, headers={"Host": host} if host else {})
        response = connection.getresponse()
        found = response.status, dict(response.getheaders()), response.read()
        connection.close()
        return found

    def page(self, path: str) -> str:
        """A page's HTML, which must be there."""
        status, _, body = self.get(path)
        assert status == 200, body
        return body.decode()


@pytest.fixture
def served(project: Path) -> Iterator[Served]:
    printed: list[str] = []
    site = Site(project, lambda message, err=False: printed.append(message))
    server = PreviewServer("127.0.0.1", 0, site)
    site.load()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield Served(site, server.server_port, printed)
    site.close()
    server.shutdown()
    server.server_close()


def test_every_address_answers(served: Served) -> None:
    status, headers, body = served.get("/")
    assert status == 200 and headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert headers["Cache-Control"] == "no-store" and headers["X-Content-Type-Options"] == "nosniff"
    assert len(re.findall(r'href="/view/', body.decode())) == 2 * 7 * 3 + 7  # two leaflets in 3 layouts, a comparison
    view = served.page("/view/hsg/en/trifold")
    assert "PDF, 2 pages" in view and "<iframe" in view
    status, headers, body = served.get("/page/hsg/en/trifold")
    assert status == 200 and "<h1" in body.decode() and headers["Content-Security-Policy"].endswith("frame-ancestors 'self'")
    status, headers, body = served.get("/image/hsg/en/trifold/2.png?g=0")
    assert status == 200 and headers["Content-Type"] == "image/png" and body.startswith(b"\x89PNG")
    for missing in ("/image/hsg/en/trifold/3.png", "/view/hsg/en/comparison", "/view/nope/en/leaflet", "/nope", "/view/hsg"):
        assert served.get(missing)[0] == 404, missing
    assert served.printed == []


def test_only_its_own_address_is_answered(served: Served) -> None:
    assert served.get("/", host=f"localhost:{served.port}")[0] == 200
    status, _, body = served.get("/", host=f"drafts.example:{served.port}")  # a page that renamed itself to 127.0.0.1
    assert status == 403 and b"only at its own address" in body


def test_serve_writes_nothing_into_the_project(served: Served, project: Path) -> None:
    served.page("/view/hsg/en/leaflet")
    served.get("/image/hsg/en/leaflet/1.png")
    assert not (project / "output").exists() and not (project / ".brochure").exists()


def test_a_problem_shows_in_the_view_and_the_terminal_until_it_is_fixed(served: Served, project: Path) -> None:
    leaflet = project / "content" / "hsg" / "en.md"
    edit(leaflet, "{{ clinic.phone }}", BROKEN)
    line = next(number for number, text in enumerate(leaflet.read_text().splitlines(), 1) if BROKEN in text)
    served.site.update({leaflet.resolve()})
    view = served.page("/view/hsg/en/leaflet")
    [shown] = re.findall(r"<li><code>(.*?)</code></li>", view)
    assert shown.startswith(f"{leaflet}:{line}: unknown placeholder {BROKEN}")
    assert shown in served.printed and "changed content/hsg/en.md" in served.printed
    assert "<iframe" not in view and served.get("/page/hsg/en/leaflet")[0] == 404
    edit(leaflet, BROKEN, "{{ clinic.phone }}")
    served.site.update({leaflet.resolve()})
    view = served.page("/view/hsg/en/leaflet")
    assert 'class="problems"' not in view and "PDF, 4 pages" in view


def test_an_overflow_still_shows_the_html_page(served: Served, project: Path) -> None:
    leaflet = project / "content" / "hsg" / "en.md"
    leaflet.write_text(leaflet.read_text() + "\n## More\n\n" + "A sentence that goes on. " * 900 + "\n")
    served.site.update({leaflet.resolve()})
    view = served.page("/view/hsg/en/leaflet")
    assert "<iframe" in view and "<img" not in view
    assert re.search(r"<li><code>[^<]*content/hsg/en\.md: [^<]*overflow", view), view


def test_a_project_that_does_not_load_shows_why_on_every_page(served: Served, project: Path) -> None:
    clinic = project / "content" / "clinic.yaml"
    edit(clinic, "paper: a4", "paper: [a4")
    served.site.update({clinic.resolve()})
    for path in ("/", "/view/hsg/en/leaflet"):
        assert "content/clinic.yaml:" in served.page(path) and 'role="alert"' in served.page(path)
    assert any("content/clinic.yaml:" in line for line in served.printed)


def test_a_failure_that_is_not_the_contents_is_one_line(served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(site_module, "page_images", broken)
    view = served.page("/view/hsg/en/leaflet")
    assert "hsg (en, leaflet): RuntimeError: disk on fire (a bug in brochure: please report it)" in view


def test_an_open_page_is_told_of_each_rebuild_once_its_view_is_rebuilt(served: Served, project: Path) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    connection.request("GET", "/events?doc=hsg&lang=en&layout=leaflet")
    stream = connection.getresponse()
    assert stream.headers["Content-Type"] == "text/event-stream"
    assert stream.readline() == b"retry: 1000\n" and stream.readline() == b"data: 0\n"
    leaflet = project / "content" / "hsg" / "en.md"
    edit(leaflet, "{{ clinic.phone }}", BROKEN)
    served.site.update({leaflet.resolve()})
    assert stream.readline() == b"\n" and stream.readline() == b"data: 1\n"
    assert any(BROKEN in line for line in served.printed)  # rebuilt (and its problem printed) before the page was told
    connection.close()
