"""Real processes for the production and system tests: Redis, PostgreSQL, gunicorn, Celery.

Every server here is our own, on a free port, so stopping it never touches
the machine's shared PostgreSQL or Redis that other test runs use.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def closed_port() -> int:
    """A port nothing listens on (bound and released, so connecting is refused at once)."""
    return free_port()


def wait_until(predicate: Callable[[], Any], *, timeout: float, interval: float = 0.1, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = predicate()
        except Exception as exc:  # the thing we wait for may fail until it is ready
            last_error = exc
        else:
            if result:
                return result
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what} (last error: {last_error!r})")


@dataclass
class HttpAnswer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


def http(
    method: str, url: str, *, body: Any = None, headers: dict[str, str] | None = None, timeout: float = 15
) -> HttpAnswer:
    data = None
    all_headers = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode()
        all_headers.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            payload = response.read()
            status, answer_headers = response.status, dict(response.headers.items())
    except urllib.error.HTTPError as error:
        payload, status, answer_headers = error.read(), error.code, dict(error.headers.items())
    return HttpAnswer(status, {k.lower(): v for k, v in answer_headers.items()}, payload, time.monotonic() - started)


@dataclass
class ManagedProcess:
    """A child process with its output in a file; stopped with the given signal."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log_dir: Path
    cwd: Path = REPO
    process: subprocess.Popen[bytes] | None = None
    log_path: Path = field(init=False)
    runs: int = 0

    restarts: int = 0

    def __post_init__(self) -> None:
        self.log_path = self.log_dir / f"{self.name}.log"
        self._lock = threading.RLock()

    def start(self) -> ManagedProcess:
        with self._lock:
            return self._start()

    def _start(self) -> ManagedProcess:
        self.runs += 1
        self.log_dir.mkdir(parents=True, exist_ok=True)
        # Append: a restarted process keeps the earlier output for diagnosis.
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child, closed in stop()
        self.process = subprocess.Popen(
            self.argv, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self._log = log
        return self

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        with self._lock:
            self._stop(sig, timeout)

    def restart_if_exited(self) -> bool:
        """What compose's `restart: unless-stopped` does: start again a process that exited by itself."""
        with self._lock:
            if self.process is None or self.process.poll() is None:
                return False
            self._log.close()
            self._start()
            self.restarts += 1
            return True

    def _stop(self, sig: int, timeout: float) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        self._log.close()
        self.process = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def json_lines(self) -> list[dict[str, Any]]:
        """Every non-empty output line, parsed; raises on a line that is not JSON."""
        lines = []
        for line in self.output().splitlines():
            if line.strip():
                try:
                    lines.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise AssertionError(f"{self.name} printed a line that is not JSON: {line!r}") from exc
        return lines

    def assert_alive(self) -> None:
        if not self.running:
            raise AssertionError(f"{self.name} exited early:\n{self.output()[-4000:]}")


class RedisServer:
    """Our own redis-server on a free port, stoppable without touching the shared one."""

    def __init__(self, log_dir: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.proc = ManagedProcess(
            f"redis-{self.port}",
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            env=dict(os.environ),
            log_dir=log_dir,
        )

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> RedisServer:
        self.proc.start()
        wait_until(self.ping, timeout=10, what=f"redis on {self.port}")
        return self

    def ping(self) -> bool:
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()

    def stop(self) -> None:
        self.proc.stop()


class PostgresCluster:
    """A throwaway PostgreSQL cluster in a temp dir, run as the postgres user."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.port = free_port()
        self.logfile = root / "postgres.log"

    @staticmethod
    def available() -> bool:
        return (PG_BIN / "initdb").exists() and (PG_BIN / "pg_ctl").exists()

    def _as_postgres(self, *argv: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        result = subprocess.run([*prefix, *argv], capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise RuntimeError(f"{argv[0]} failed ({result.returncode}): {result.stdout}{result.stderr}")

    def init(self) -> PostgresCluster:
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self._as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        return self

    def start(self) -> PostgresCluster:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off"
        self._as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.logfile), "-w", "start"
        )
        return self

    def stop(self) -> None:
        self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(RuntimeError):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, db: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"

    def create_database(self, name: str) -> str:
        self._as_postgres(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return self.url(name)


_PER_DEPLOYMENT = {
    "DEBUG",
    "DATABASE_URL",
    "REDIS_URL",
    "TRACKER_VAR_DIR",
    "ALLOWED_HOSTS",
    "STATIC_ROOT",
    "STATIC_MANIFEST",
    "WHITENOISE_USE_FINDERS",
    "SECRET_KEY",
}


def django_env(**overrides: str) -> dict[str, str]:
    """The environment a deployed process gets: production security on, values from overrides."""
    env = {
        key: value
        for key, value in os.environ.items()
        # Start clean: the test run's own Django variables must not leak into the "deployment".
        if not key.startswith(("DJANGO_", "PYTEST_", "SECURE_", "CELERY_", "GUNICORN_", "RECHECK_", "FETCH_"))
        and key not in _PER_DEPLOYMENT
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "tracker.settings",
            "SECRET_KEY": "system-test-secret-" + "k" * 48,
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(overrides)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def gunicorn(env: dict[str, str], log_dir: Path, *, port: int | None = None, name: str = "gunicorn") -> ManagedProcess:
    """gunicorn as the web service runs it (gunicorn.conf.py), bound to a free port on 127.0.0.1."""
    port = port or free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": env.get("WEB_CONCURRENCY", "1")}
    proc = ManagedProcess(name, [str(VENV_BIN / "gunicorn"), "tracker.wsgi"], env=env, log_dir=log_dir)
    proc.base_url = f"http://127.0.0.1:{port}"  # type: ignore[attr-defined]
    return proc


def wait_for_http(proc: ManagedProcess, path: str = "/healthz", timeout: float = 30) -> None:
    def answered() -> bool:
        proc.assert_alive()
        return http("GET", proc.base_url + path, timeout=2).status == 200  # type: ignore[attr-defined]

    wait_until(answered, timeout=timeout, what=f"{proc.name} to answer {path}")


def celery(env: dict[str, str], log_dir: Path, *args: str, name: str) -> ManagedProcess:
    return ManagedProcess(name, [str(VENV_BIN / "celery"), "-A", "tracker", *args], env=env, log_dir=log_dir)
