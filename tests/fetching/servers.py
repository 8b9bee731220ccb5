"""Real HTTP servers on 127.0.0.1 for fetcher and re-check tests, controllable per test."""

from __future__ import annotations

import ssl
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.core.cache import cache

ARTICLE = """<!doctype html>
<html><head><title>Front line report</title></head>
<body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article>
<h1>Front line report</h1>
<p>{lead}</p>
<p>Officials said five fighters were captured near the bridge on Tuesday, according to a statement
published by the ministry in the afternoon.</p>
<p>Residents described a night of shelling in the outskirts, and aid groups said convoys were delayed.</p>
</article>
<footer>Copyright The Daily Example</footer>
</body></html>
"""
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def forget_politeness() -> None:
    """Drop per-site spacing, pauses and 429 counts for the local hosts tests use."""
    cache.delete_many([f"fetch:{kind}:{host}" for kind in ("lock", "next", "pause", "429s") for host in LOCAL_HOSTS])


QUOTE = "The opposition retreated 20km from the town overnight, a military spokesman said."


def article(lead: str = QUOTE) -> bytes:
    return ARTICLE.format(lead=lead).encode()


# An Arabic report: "The army said the opposition forces withdrew 20 km from the city on Tuesday."
ARABIC_LEAD = "قال الجيش إن قوات المعارضة انسحبت ٢٠ كم من المدينة يوم الثلاثاء."
ARABIC_QUOTE = "قوات المعارضة انسحبت ٢٠ كم من المدينة"
ARABIC_ARTICLE = """<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>سانا</title></head>
<body><article><h1>انسحاب قوات المعارضة</h1><p>{lead}</p>
<p>وأضاف المتحدث أن خمسة مقاتلين أسروا قرب الجسر، بحسب بيان رسمي صدر مساء الثلاثاء.</p></article></body></html>"""


def arabic_article(lead: str = ARABIC_LEAD) -> bytes:
    return ARABIC_ARTICLE.format(lead=lead).encode()


@dataclass
class Page:
    """What the server answers on one path."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    etag: str = ""  # when set, sent as ETag and answered with 304 on a matching If-None-Match
    delay: float = 0.0  # seconds to wait before answering (a slow site)
    endless: bool = False  # stream bytes until the client goes away
    hang: threading.Event | None = None  # block until set (a check "in the middle")
    # "headers" or "body": that part is sent one byte every ``trickle_every`` seconds (a slow sender);
    # the bytes that went out are counted in ``PageServer.trickled``.
    trickle: str = ""
    trickle_every: float = 0.05


class PageServer:
    """A threaded HTTP server whose pages each test sets; counts connections and requests.

    With ``tls`` (a server-side SSLContext) it speaks HTTPS: the TLS server
    names clients send (SNI) are kept in ``server_names`` and failed handshakes
    in ``handshake_errors``.
    """

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.tls = tls
        self.server_names: list[str | None] = []
        self.handshake_errors: list[str] = []
        self.pages: dict[str, Page] = {}
        self.hits: Counter[str] = Counter()
        self.request_headers: dict[str, list[dict[str, str]]] = {}
        # POSTs received (webhook tests): path, lower-cased headers, body, and the status answered.
        self.posts: list[tuple[str, dict[str, str], bytes, int]] = []
        self.connections = 0
        self.trickled: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._released = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path
                with server._lock:
                    server.hits[path] += 1
                    server.request_headers.setdefault(path, []).append({k.lower(): v for k, v in self.headers.items()})
                page = server.pages.get(path, Page(status=404, body=b"<p>Not here</p>"))
                if page.hang is not None:
                    page.hang.wait(120)
                if page.delay:
                    server._released.wait(page.delay)
                if page.etag and self.headers.get("If-None-Match") == page.etag:
                    self.send_response(304)
                    self.send_header("ETag", page.etag)
                    self.end_headers()
                    return
                if page.trickle:
                    self._trickle(path, page)
                    return
                self.send_response(page.status)
                for name, value in page.headers.items():
                    self.send_header(name, value)
                if page.etag:
                    self.send_header("ETag", page.etag)
                if page.endless:
                    self.end_headers()
                    self._stream_forever()
                    return
                self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                self.wfile.write(page.body)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                page = server.pages.get(self.path, Page(status=404, body=b"not here"))
                if page.delay and server._released.wait(page.delay):
                    return
                with server._lock:
                    server.posts.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body, page.status))
                self.send_response(page.status)
                self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                self.wfile.write(page.body)

            def _trickle(self, path: str, page: Page) -> None:
                head = f"HTTP/1.0 {page.status} Slow\r\n".encode()
                for name, value in {**page.headers, "Content-Length": str(len(page.body))}.items():
                    head += f"{name}: {value}\r\n".encode()
                head += b"X-Padding: " + b"." * 400 + b"\r\n\r\n"
                slow, fast = (head, page.body) if page.trickle == "headers" else (page.body, head)
                try:
                    if page.trickle == "body":
                        self.wfile.write(fast)
                    for i in range(len(slow)):
                        if server._released.wait(page.trickle_every):
                            return
                        self.wfile.write(slow[i : i + 1])
                        with server._lock:
                            server.trickled[path] += 1
                    if page.trickle == "headers":
                        self.wfile.write(fast)
                except OSError:
                    pass  # the client gave up: what we count is what it got

            def _stream_forever(self) -> None:
                chunk = b"x" * 65536
                try:
                    while not server._released.is_set():
                        self.wfile.write(chunk)
                except OSError:
                    pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def verify_request(self, request: object, client_address: object) -> bool:
                with server._lock:
                    server.connections += 1
                return True

            def finish_request(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
                if tls is None:
                    super().finish_request(request, client_address)
                    return
                # The handshake runs here, in the connection's own thread, so a client
                # that refuses our certificate cannot stall the accept loop.
                try:
                    wrapped = tls.wrap_socket(request, server_side=True)
                except (ssl.SSLError, OSError) as exc:
                    with server._lock:
                        server.handshake_errors.append(str(exc))
                    return
                try:
                    super().finish_request(wrapped, client_address)
                finally:
                    wrapped.close()

        if tls is not None:

            def note_server_name(_sock: ssl.SSLObject, name: str | None, _ctx: ssl.SSLContext) -> None:
                with server._lock:
                    server.server_names.append(name)

            tls.sni_callback = note_server_name  # type: ignore[assignment]

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> PageServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._released.set()
        for page in self.pages.values():
            if page.hang is not None:
                page.hang.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://{host}:{self.port}{path}"

    def reset(self) -> None:
        self.pages.clear()
        self.posts.clear()
        self.hits.clear()
        self.trickled.clear()
        self.request_headers.clear()
        self.connections = 0
        self.server_names.clear()
        self.handshake_errors.clear()

    def set(self, path: str, page: Page | None = None, **kwargs: object) -> str:
        self.pages[path] = page or Page(**kwargs)  # type: ignore[arg-type]
        return self.url(path)

    def redirect(self, path: str, to: str, status: int = 302) -> str:
        return self.set(path, status=status, headers={"Location": to})


def wait_for(predicate, *, timeout: float = 30.0, interval: float = 0.1, what: str = "condition"):  # type: ignore[no-untyped-def]
    """Poll until ``predicate()`` is truthy; fail the test with ``what`` when it never is."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"Timed out waiting for {what}")
