"""The real stack for re-check tests: settings shared with the worker, the worker process, test data."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

from django.db import connection

from claims.models import Claim, Evidence, Source, SourceCheck
from claims.services import checking
from claims.services.rechecks import recheck_request
from tests.factories import ClaimFactory, EvidenceFactory, SourceFactory
from tests.fetching.servers import QUOTE, PageServer, article, wait_for

BASE_DIR = Path(__file__).resolve().parents[2]
# One set of limits for this process and the worker, so both sides agree on leases.
LEASE_SECONDS = 8
TOTAL_TIMEOUT = 4.0
MAX_BYTES = 256 * 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def stack_env(page_port: int, **extra: str) -> dict[str, str]:
    """The environment of a worker or a manage.py process that shares this test run's stack."""
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url(),
            "DB_CONN_MAX_AGE": "0",
            "FETCH_ALLOWED_HOSTS": f"127.0.0.1:{page_port},localhost:{page_port}",
            "FETCH_MIN_SPACING": "0",
            "FETCH_TOTAL_TIMEOUT": str(TOTAL_TIMEOUT),
            "FETCH_CONNECT_TIMEOUT": "1",
            "FETCH_MAX_BYTES": str(MAX_BYTES),
            "RECHECK_LEASE_SECONDS": str(LEASE_SECONDS),
            "RECHECK_GONE_AFTER": "2",
            "RECHECK_UNREACHABLE_AFTER": "2",
            "CELERY_TASK_TIME_LIMIT": "30",
            "PYTHONPATH": str(BASE_DIR),
        }
    )
    env.update(extra)
    return env


class WorkerProcess:
    """A real ``celery worker`` in its own process group, so a test can SIGKILL all of it."""

    def __init__(self, env: dict[str, str], log_dir: Path, *, queue: str) -> None:
        self.env = env
        self.queue = queue
        self.log_dir = log_dir
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path: Path | None = None

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self) -> None:
        self.log_path = self.log_dir / f"worker-{uuid.uuid4().hex[:8]}.log"
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tracker", "worker", "--pool=prefork", "--concurrency=2",
             "-Q", f"{self.queue},{self.queue}-sweeps", "-n", f"rechecks-test-{uuid.uuid4().hex[:6]}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
            cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        wait_for(self._ready, timeout=60, what=f"the Celery worker to start (log: {self.log_path})")

    def _ready(self) -> bool:
        if not self.alive:
            raise AssertionError(f"The Celery worker exited; see {self.log_path}")
        return b"ready." in self.log_path.read_bytes()  # type: ignore[union-attr]

    def kill(self) -> None:
        """SIGKILL the whole worker: the main process and its pool children, mid-task."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def kill_pool_children(self) -> int:
        """SIGKILL the prefork pool's children only (the main process stays and starts new ones)."""
        assert self.proc is not None
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        for pid in children:
            os.kill(int(pid), signal.SIGKILL)
        return len(children)

    def stop(self) -> None:
        if not self.alive:
            return
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.kill()


def cite(url: str, quote_text: str = QUOTE) -> tuple[Claim, Evidence, Source]:
    """A claim made in the source at ``url``, with the quoted passage."""
    source = SourceFactory(url=url)
    claim = ClaimFactory(text="The opposition retreated 20 km.")
    evidence = EvidenceFactory(claim=claim, source=source, quote=quote_text)
    return claim, evidence, source


def run_check(source: Source, *, timeout: float = 30.0) -> SourceCheck:
    """Ask for a re-check as the API does and wait for the worker to finish it."""
    check = recheck_request(source_id=source.pk, trigger=SourceCheck.Trigger.API)
    return wait_for(
        lambda: SourceCheck.objects.filter(pk=check.pk, state=SourceCheck.State.DONE).first(),
        timeout=timeout,
        what=f"check {check.pk} of {source.url} to finish",
    )


def gone_then_back(pages: PageServer, quote_text: str = QUOTE) -> tuple[Claim, SourceCheck]:
    """A cited page that is gone on two checks (flagged), then restored unchanged."""
    url = pages.set("/story", status=404, body=b"<p>Not found</p>")
    claim, _evidence, source = cite(url, quote_text)
    checking.source_check_now(source_id=source.pk)  # the first sight of the page: gone
    checking.source_check_now(source_id=source.pk)  # gone again: flagged
    pages.set("/story", body=article(quote_text))
    back = checking.source_check_now(source_id=source.pk)
    claim.refresh_from_db()
    return claim, back
