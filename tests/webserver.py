"""A small HTTP server on 127.0.0.1 for fetch and feed tests: routes set by the test (``"*"``
answers any path), every request recorded, conditional GET (ETag / Last-Modified) answered
with 304. POST is answered like GET."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Page:
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Site:
    port: int = 0
    routes: dict[str, Page | Handler] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def paths(self) -> list[str]:
        return [p for p, _ in self.requests]


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            return None

        def do_GET(self) -> None:
            site.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = (site.routes.get(self.path) or site.routes.get(self.path.split("?")[0])
                     or site.routes.get("*"))
            if route is None:
                route = Page(b"not found", "text/plain", 404)
            if callable(route):
                route(self)
                return
            etag = route.headers.get("ETag")
            if etag and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(route.status)
            if route.content_type:
                self.send_header("Content-Type", route.content_type)
            for k, v in route.headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        do_POST = do_GET

    return H


def trickled_headers(site: Site, pause: float) -> Handler:
    """A route that sends a status line and 400 header bytes one at a time, ``pause``
    seconds apart, and never finishes its headers (until the server shuts down)."""

    def trickle(h: BaseHTTPRequestHandler) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Pad: " + b"a" * 400
        for byte in head:
            try:
                h.wfile.write(bytes([byte]))
                h.wfile.flush()
            except OSError:
                return
            if site.release.wait(pause):
                return

    return trickle


def bot_api_error(status: int, description: str) -> Handler:
    """A Bot API answering every method with ``status`` and a description that echoes the
    request path lower-cased (token included), as some servers and proxies do."""

    def answer(h: BaseHTTPRequestHandler) -> None:
        h.rfile.read(int(h.headers.get("Content-Length") or 0))
        body = json.dumps({"ok": False, "error_code": status,
                           "description": f"{description}: {h.path.lower()}"}).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return answer


class QuietServer(ThreadingHTTPServer):
    """A client hanging up mid-body (the byte cap, a timeout) is expected here."""

    def handle_error(self, request: object, client_address: object) -> None:
        return None


@contextmanager
def serve() -> Iterator[Site]:
    site = Site()
    server = QuietServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.release.set()
        server.shutdown()
        server.server_close()
