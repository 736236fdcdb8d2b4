"""`brochure serve`: the HTTP server (the standard library's, a thread a request), its
addresses, the event stream that tells open pages of each rebuild (Server-Sent Events),
and the loop that rebuilds after every save until Ctrl-C.

    /                                   the index (pages.index_page)
    /view/DOC/LANG/LAYOUT               a view: the HTML page beside the PDF's pages
    /page/DOC/LANG/LAYOUT               the document's HTML page, as `build` writes it
    /image/DOC/LANG/LAYOUT/N.png        page N of the PDF
    /events[?doc=&lang=&layout=]        the current rebuild, then each next one
"""

from __future__ import annotations

import errno
import ipaddress
import signal
import socket
import socketserver
import threading
import webbrowser
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ..errors import BuildError, UsageError
from ..write.html.writer import CSP as PAGE_POLICY
from .pages import CSP, index_page, not_found_page, view_page
from .site import Say, Site, View
from .watch import changes

KEEPALIVE = 15.0  # seconds between comments on a quiet event stream, so that a closed page is noticed
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
# The document's own page may be framed by the preview, and by nothing else.
PAGE_CSP = f"{PAGE_POLICY}; frame-ancestors 'self'"
HTML = "text/html; charset=utf-8"


class Handler(BaseHTTPRequestHandler):
    """Answers one request: a page, an image or the event stream."""

    server: PreviewServer

    def do_GET(self) -> None:
        """Answer at the preview's own address only (a page elsewhere that renames itself
        to 127.0.0.1 must not read the drafts)."""
        if not self.server.allows(self.headers.get("Host", "")):
            self.reply(403, "text/plain; charset=utf-8", b"brochure serve answers only at its own address\n")
            return
        target = urlsplit(self.path)
        parts = [unquote(part) for part in target.path.split("/") if part]
        try:
            self.route(parts, parse_qs(target.query))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went away

    def route(self, parts: list[str], query: dict[str, list[str]]) -> None:
        """Send what the address names, or a page saying it does not exist."""
        site = self.server.site
        if not parts:
            self.reply(200, HTML, index_page(site.title, site.entries, site.problems, site.generation).encode())
            return
        if parts == ["events"]:
            self.events([query.get(key, [""])[0] for key in ("doc", "lang", "layout")])
            return
        view = site.find(*parts[1:4]) if len(parts) >= 4 and parts[0] in ("view", "page", "image") else None
        if view is not None and self.send_view(parts[0], view, parts[4:]):
            return
        self.reply(404, HTML, not_found_page(f"Nothing at {'/'.join(parts)} in this project.", site.generation).encode())

    def send_view(self, kind: str, view: View, rest: list[str]) -> bool:
        """Send a view's page, its HTML page or one of its page images; False if it has no such thing."""
        site = self.server.site
        built = site.built(view)
        if kind == "view" and not rest:
            siblings = [entry for entry in site.entries if entry.doc == view.doc]
            self.reply(200, HTML, view_page(view, siblings, built, site.generation).encode())
        elif kind == "page" and not rest and built.page:
            self.reply(200, HTML, built.page.encode(), PAGE_CSP)
        elif kind == "image" and len(rest) == 1 and rest[0].removesuffix(".png").isdigit():
            number = int(rest[0].removesuffix(".png"))
            if not 1 <= number <= len(built.images):
                return False
            self.reply(200, "image/png", built.images[number - 1].png)
        else:
            return False
        return True

    def events(self, names: list[str]) -> None:
        """The current rebuild's number, then each next one as it is ready, until the page
        closes or the server stops; a view's page keeps its view rebuilt on every save."""
        site = self.server.site
        view = site.find(*names) if all(names) else None
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        with site.opened(view) if view else nullcontext():  # open before the page hears of it: a save now rebuilds it
            seen = site.generation
            self.wfile.write(f"retry: 1000\ndata: {seen}\n\n".encode())
            while (generation := site.wait(seen, KEEPALIVE)) is not None:
                self.wfile.write(b": waiting\n\n" if generation == seen else f"data: {generation}\n\n".encode())
                seen = generation

    def reply(self, status: int, kind: str, body: bytes, policy: str = CSP) -> None:
        """A whole response, never cached, that may fetch nothing its policy does not allow."""
        self.send_response(status)
        for name, value in (
            ("Content-Type", kind),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            ("Content-Security-Policy", policy),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
        ):
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal shows saves and problems, not requests."""


class PreviewServer(ThreadingHTTPServer):
    """The HTTP server of one project's preview, on IPv4 or IPv6."""

    daemon_threads = True

    def __init__(self, host: str, port: int, site: Site) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.site = site
        super().__init__((host, port), Handler)
        self.loopback = is_loopback(host)

    def server_bind(self) -> None:
        """Bind without HTTPServer's lookup of the host's full name (slow where DNS is)."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    def allows(self, host: str) -> bool:
        """Whether a request's Host header names this server (any name when not on loopback)."""
        return not self.loopback or host in {f"{name}:{self.server_port}" for name in LOOPBACK_NAMES} | set(LOOPBACK_NAMES)


def is_loopback(host: str) -> bool:
    """Whether only this computer can reach `host`."""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def address_url(host: str, port: int) -> str:
    """The address to open in a browser."""
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def bind(host: str, port: int, site: Site) -> PreviewServer:
    """The server, listening; a port in use or an address that cannot be had is one line."""
    try:
        return PreviewServer(host, port, site)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise BuildError(f"port {port} is in use: use --port") from None
        raise BuildError(f"cannot serve on {host} port {port}: {exc.strerror or exc} (use another --host or --port)") from None


def interrupt(signum: int, frame: object) -> None:
    """Stop on SIGTERM (`kill`) as on Ctrl-C."""
    raise KeyboardInterrupt


@contextmanager
def sigterm_as_ctrl_c() -> Iterator[None]:
    """While serving, SIGTERM stops the server as Ctrl-C does (signals reach the main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def serve(project: Path | str, host: str, port: int, open_browser: bool, say: Say, debug: bool = False) -> None:
    """Serve the preview of `project` at host:port, rebuilding after every save, until Ctrl-C."""
    root = Path(project)
    if not root.is_dir():
        raise UsageError(f"no folder '{root}' to serve (pass the project's folder with --project)")
    site = Site(root, say, debug)
    server = bind(host, port, site)
    if not server.loopback:
        say(f"warning: serving on {host}: anyone on the network can read the clinic's drafts", err=True)
    thread = threading.Thread(target=server.serve_forever, name="brochure-serve", daemon=True)
    try:
        with sigterm_as_ctrl_c():
            site.load()
            thread.start()
            address = address_url(host, server.server_port)
            say(f"serving {root.resolve()} at {address} (Ctrl-C to stop)")
            if open_browser:
                webbrowser.open(address)
            for changed in changes(root):
                site.update(changed)
    except KeyboardInterrupt:
        pass
    finally:
        site.close()
        if thread.is_alive():
            server.shutdown()
        server.server_close()
    say("stopped", err=True)
