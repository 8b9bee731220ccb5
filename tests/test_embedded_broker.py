"""The laptop default: with no Redis, a worker in another process gets tasks through the file-system broker."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_worker_process_runs_a_task_published_by_another_process(tmp_path):
    # given: SQLite and no broker configured, as after a fresh `make run`
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        TRACKER_VAR_DIR=str(tmp_path / "var"),
        SECRET_KEY="embedded-broker-test-secret-key-0123456789abcdef",
    )
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "timeout": 120, "check": True}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], **run)
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tracker", "worker", "--pool=solo", "--loglevel=INFO"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        # when: another process publishes the sweep task
        publish = "import django; django.setup()\nfrom claims.tasks import recheck_sweep\nrecheck_sweep.delay()\n"
        subprocess.run([sys.executable, "-c", publish], **run)
        # then: the worker receives and runs it
        deadline = time.monotonic() + 60
        while "recheck_sweep" not in log.read_text() or "succeeded" not in log.read_text():
            assert worker.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert (tmp_path / "var" / "broker" / "queue").is_dir()
