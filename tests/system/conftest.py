"""The stack as compose runs it, without Docker: gunicorn, a Celery worker and beat as processes.

PostgreSQL is a throwaway cluster of our own and Redis our own redis-server,
both on free ports, so the tests may stop and start them; a local HTTP server
plays the news site whose page the re-checks fetch.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.production.conftest import collected_static, pg_cluster  # noqa: F401 - shared fixtures
from tests.production.processes import (
    HttpAnswer,
    ManagedProcess,
    PostgresCluster,
    RedisServer,
    celery,
    django_env,
    gunicorn,
    http,
    manage,
    wait_for_http,
)

QUOTE = "The opposition retreated 20 km from the eastern front line overnight"
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Front line moves east</title></head>
<body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article>
<h1>Front line moves east after a night of heavy fighting</h1>
<p>{quote}, a military spokesman told reporters on Tuesday morning in a short statement.</p>
<p>Independent observers could not confirm the figure, and the opposition has not commented on the
claim. Residents of two villages near the road said they had heard shelling until the early hours.</p>
<p>The spokesman said that the advance had been planned for weeks and that supply lines were secure.
Aid agencies said they were preparing for more people to leave the area in the coming days.</p>
</article>
<footer>Copyright the local news site</footer>
</body></html>
"""


class NewsSite:
    """A real HTTP server on 127.0.0.1 whose one story the test can edit."""

    def __init__(self) -> None:
        self.html = PAGE.format(quote=QUOTE)
        self.hits = 0
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.hits += 1
                body = site.html.encode()
                self.send_response(200 if self.path == "/story" else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/story"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def edit(self, old: str, new: str) -> None:
        assert old in self.html
        self.html = self.html.replace(old, new)


class Api:
    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url
        self.headers = {"Authorization": f"Token {token}", "Accept": "application/json"}

    def get(self, path: str, **kw: Any) -> HttpAnswer:
        return http("GET", self.base_url + path, headers=self.headers, **kw)

    def post(self, path: str, body: Any, *, etag: str | None = None, **kw: Any) -> HttpAnswer:
        headers = dict(self.headers, **({"If-Match": etag} if etag else {}))
        return http("POST", self.base_url + path, body=body, headers=headers, **kw)


class Supervisor(threading.Thread):
    """compose's `restart: unless-stopped` for web, worker and beat: a process that exits is started again.

    Celery's worker can exit on a lost broker connection while it holds an
    unacknowledged task (kombu's Redis channel close fails); in compose the
    restart policy brings it back, so the test does the same and counts it.
    """

    def __init__(self, processes: list[ManagedProcess]) -> None:
        super().__init__(daemon=True)
        self.processes = processes
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.wait(0.5):
            for proc in self.processes:
                proc.restart_if_exited()

    def stop(self) -> None:
        self.halt.set()
        if self.is_alive():
            self.join(5)


@dataclass
class Stack:
    env: dict[str, str]
    web: ManagedProcess
    worker: ManagedProcess
    beat: ManagedProcess
    redis: RedisServer
    postgres: PostgresCluster
    site: NewsSite
    api: Api

    @property
    def base_url(self) -> str:
        return self.web.base_url  # type: ignore[attr-defined]

    def diagnostics(self) -> str:
        return "\n".join(f"--- {p.name} ---\n{p.output()[-3000:]}" for p in (self.web, self.worker, self.beat))


@pytest.fixture(scope="module")
def stack(
    pg_cluster: PostgresCluster,  # noqa: F811
    collected_static: Path,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Stack]:
    logs = tmp_path_factory.mktemp("system")
    site = NewsSite()
    site.thread.start()
    redis_server = RedisServer(logs).start()
    env = django_env(
        DATABASE_URL=pg_cluster.create_database(f"system_{uuid.uuid4().hex[:8]}"),
        REDIS_URL=redis_server.url(0),
        TRACKER_VAR_DIR=str(logs / "var"),
        STATIC_ROOT=str(collected_static),
        FETCH_ALLOWED_HOSTS="127.0.0.1",
        FETCH_MIN_SPACING="0.2",
        # A sweep every 2 s and a source due 3 s after its last check keep the test short.
        RECHECK_SWEEP_SECONDS="2",
        RECHECK_DEFAULT_INTERVAL_SECONDS="3",
        WEB_CONCURRENCY="2",
    )
    # The migrate service of docker-compose.yml, step by step.
    for args in (
        ["migrate", "--noinput"],
        ["setup_schedules"],
        ["ensure_editor", "--username", "desk-editor", "--password", "a-long-editor-password"],
        ["api_token", "--user", "desk-editor"],
    ):
        result = manage(env, *args)
        assert result.returncode == 0, f"manage.py {' '.join(args)}: {result.stdout}{result.stderr}"
    token = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"\S{16,}", token), token

    web = gunicorn(env, logs, name="web").start()
    worker = celery(
        env,
        logs,
        *("--quiet", "worker", "--loglevel", "INFO", "--concurrency", "2", "--hostname", "worker@%h"),
        name="worker",
    )
    beat = celery(
        env,
        logs,
        "--quiet",
        "beat",
        "--loglevel",
        "INFO",
        "--scheduler",
        "django_celery_beat.schedulers:DatabaseScheduler",
        name="beat",
    )
    worker.start()
    beat.start()
    built = Stack(env, web, worker, beat, redis_server, pg_cluster, site, Api(web.base_url, token))  # type: ignore[attr-defined]
    supervisor = Supervisor([web, worker, beat])
    try:
        wait_for_http(web)
        supervisor.start()
        yield built
    finally:
        supervisor.stop()
        for proc in (beat, worker, web):
            proc.stop()
        redis_server.stop()
        site.server.shutdown()
