"""The whole stack end to end: API → database → beat → worker → fetch → flag, and outages.

Runs the processes docker-compose.yml runs (gunicorn, a Celery worker, Celery
beat with the DatabaseScheduler) against our own PostgreSQL cluster and
redis-server. The tests share one stack and run in file order.
"""

from __future__ import annotations

import json
import socket
import subprocess
from base64 import b64encode
from typing import Any

import pytest
import yaml

from tests.production.processes import REPO, VENV_BIN, celery, free_port, http, wait_until
from tests.system.conftest import QUOTE, Stack

pytestmark = [pytest.mark.system, pytest.mark.integration]

CHECK_WAIT = 60  # seconds; a sweep runs every 2 s and a source is due 3 s after its last check


@pytest.fixture(scope="module")
def claim(stack: Stack) -> dict[str, Any]:
    """A claim with a monitored web source and its quote, created through the API as an editor."""
    api = stack.api
    claimant = api.post("/api/claimants/", {"name": "Army spokesman", "kind": "organisation"})
    assert claimant.status == 201, claimant.body
    source = api.post(
        "/api/sources/",
        {"name": "Local news: front line moves east", "kind": "web", "url": stack.site.url, "is_monitored": True},
    )
    assert source.status == 201, source.body
    created = api.post("/api/claims/", {"text": "The opposition retreated 20 km.", "claimant": claimant.json()["id"]})
    assert created.status == 201, created.body
    claim_id = created.json()["id"]
    linked = api.post(
        f"/api/claims/{claim_id}/evidence/",
        {"source": source.json()["id"], "role": "made", "quote": QUOTE},
        etag=created.headers["etag"],
    )
    assert linked.status == 201, linked.body
    return {"id": claim_id, "source_id": source.json()["id"]}


def claim_state(stack: Stack, claim_id: int) -> dict[str, Any]:
    answer = stack.api.get(f"/api/claims/{claim_id}/")
    assert answer.status == 200, answer.body
    return answer.json()


def latest_check(stack: Stack, source_id: int) -> dict[str, Any] | None:
    answer = stack.api.get(f"/api/checks/?source={source_id}&state=done")
    assert answer.status == 200, answer.body
    results = answer.json()["results"]
    return max(results, key=lambda check: check["id"]) if results else None


def wait_for_check_after(stack: Stack, source_id: int, after_id: int) -> dict[str, Any]:
    def newer() -> dict[str, Any] | None:
        check = latest_check(stack, source_id)
        return check if check and check["id"] > after_id else None

    try:
        return wait_until(
            newer, timeout=CHECK_WAIT, interval=0.5, what=f"a check of source {source_id} after {after_id}"
        )
    except TimeoutError as exc:
        raise AssertionError(f"{exc}\n{stack.diagnostics()}") from None


def test_the_stack_is_ready(stack: Stack):
    answer = http("GET", stack.base_url + "/readyz")

    assert answer.status == 200, answer.body
    assert answer.json()["checks"] == {"database": "ok", "migrations": "ok", "broker": "ok"}


def test_a_scheduled_recheck_flags_the_claim_when_the_quote_is_edited(stack: Stack, claim):
    # given the first scheduled check that saw the quote (nobody asked for it: beat did). A sweep
    # may check the new source before the quote is linked; the check after the link compares it.
    def quote_checked() -> dict[str, Any] | None:
        current = claim_state(stack, claim["id"])
        return current if current["evidence"][0]["quote_state"] != "unchecked" else None

    try:
        state = wait_until(quote_checked, timeout=CHECK_WAIT, interval=0.5, what="the quote to be checked")
    except TimeoutError as exc:
        raise AssertionError(f"{exc}\n{stack.diagnostics()}") from None
    assert latest_check(stack, claim["source_id"])["trigger"] == "schedule"
    assert state["last_recheck"] is not None
    assert state["needs_review"] is False
    assert state["evidence"][0]["quote_state"] == "intact"

    # when the site edits the quoted passage
    stack.site.edit("20 km", "10 km")

    # then a later scheduled check flags the claim, saying why, and leaves its status alone
    def flagged() -> dict[str, Any] | None:
        current = claim_state(stack, claim["id"])
        return current if current["needs_review"] else None

    try:
        state = wait_until(flagged, timeout=CHECK_WAIT, interval=0.5, what="the claim to be flagged")
    except TimeoutError as exc:
        raise AssertionError(f"{exc}\n{stack.diagnostics()}") from None
    assert "quoted passage" in state["review_reason"]
    assert state["status"] == "unverified"
    assert state["evidence"][0]["quote_state"] in ("edited", "missing")


def test_scheduled_checks_continue_after_the_worker_restarts(stack: Stack, claim):
    before = latest_check(stack, claim["source_id"])
    assert before is not None

    stack.worker.stop()
    stack.worker.start()

    after = wait_for_check_after(stack, claim["source_id"], after_id=before["id"])
    assert after["trigger"] == "schedule"
    assert after["outcome"]


def test_web_and_beat_log_only_json_lines_and_tasks_carry_ids(stack: Stack):
    web, beat = stack.web.json_lines(), stack.beat.json_lines()
    # The worker also prints Celery's own shutdown notice (and, as root, a warning) outside logging.
    worker = [json.loads(line) for line in stack.worker.output().splitlines() if line.startswith("{")]

    assert any(line["logger"] == "gunicorn.access" and line["request_id"] for line in web)
    assert any("Sending due task" in line["message"] for line in beat)
    checks = [line for line in worker if line.get("task_name") == "claims.tasks.source_check_run"]
    assert checks and all(line["request_id"] and line["task_id"] for line in checks)


def test_the_worker_answers_the_compose_healthcheck(stack: Stack):
    # given the healthcheck command of the worker service, for this machine's worker node
    command = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]["worker"]["healthcheck"]["test"]
    assert command[0] == "CMD-SHELL"
    path = f"{VENV_BIN}:{stack.env.get('PATH', '/usr/bin:/bin')}"  # the image has celery on PATH
    env = {**stack.env, "PATH": path, "HOSTNAME": socket.gethostname()}

    # when it runs, then it succeeds; and it fails for a node that does not exist
    ok = subprocess.run(["sh", "-c", command[1].replace("$$", "$")], cwd=REPO, env=env, capture_output=True, timeout=60)
    absent = subprocess.run(
        ["sh", "-c", command[1].replace("$$", "$")],
        cwd=REPO,
        env={**env, "HOSTNAME": "no-such-node"},
        capture_output=True,
        timeout=60,
    )

    assert ok.returncode == 0, ok.stderr
    assert absent.returncode != 0


def test_flower_shows_the_workers_only_after_a_login(stack: Stack):
    # as the flower service of docker-compose.yml runs it
    port = free_port()
    flower = celery(
        stack.env,
        stack.web.log_dir,
        "flower",
        f"--port={port}",
        "--address=127.0.0.1",
        "--basic-auth=desk:a-flower-password",
        name="flower",
    ).start()
    url = f"http://127.0.0.1:{port}/workers"
    try:
        wait_until(lambda: flower.assert_alive() or http("GET", url, timeout=2).status, timeout=30, what="flower")
        anonymous = http("GET", url)
        wrong = http("GET", url, headers={"Authorization": "Basic " + b64encode(b"desk:guess").decode()})
        logged_in = http(
            "GET", url, headers={"Authorization": "Basic " + b64encode(b"desk:a-flower-password").decode()}
        )
    finally:
        flower.stop()

    assert anonymous.status == 401
    assert wrong.status == 401
    assert logged_in.status == 200
    assert b"Workers" in logged_in.body or b"worker" in logged_in.body


def test_while_redis_is_down_reads_and_status_changes_still_work(stack: Stack, claim):
    stack.redis.stop()
    try:
        # readiness names the broker ...
        ready = http("GET", stack.base_url + "/readyz")
        assert ready.status == 503
        assert ready.json()["checks"]["broker"] == "unavailable"
        # ... but reads (throttled through the cache) and a status change still go through
        listing = stack.api.get("/api/claims/")
        assert listing.status == 200, listing.body
        detail = stack.api.get(f"/api/claims/{claim['id']}/")
        changed = stack.api.post(
            f"/api/claims/{claim['id']}/status/",
            {"status": "unconfirmed", "rationale": "Reviewed while the queue was down; only one side says so."},
            etag=detail.headers["etag"],
        )
        assert changed.status == 200, changed.body
        assert changed.json()["status"] == "unconfirmed"
        # ... and asking for a re-check says plainly that the queue is down (no 500), keeping the request
        recheck = stack.api.post(f"/api/claims/{claim['id']}/recheck/", None)
        assert recheck.status == 503, recheck.body
        error = recheck.json()["errors"][0]
        assert error["code"] == "recheck_unavailable"
        assert "will run automatically" in error["message"]
    finally:
        stack.redis.start()

    wait_until(lambda: http("GET", stack.base_url + "/readyz").status == 200, timeout=20, what="/readyz 200 again")
    # and scheduled checks go on once Redis is back (beat and the worker reconnect)
    before = latest_check(stack, claim["source_id"])
    wait_for_check_after(stack, claim["source_id"], after_id=before["id"] if before else 0)


def test_postgresql_down_answers_503_json_fast_and_recovers(stack: Stack, claim):
    assert stack.api.get(f"/api/claims/{claim['id']}/").status == 200

    stack.postgres.stop()
    try:
        answer = stack.api.get(f"/api/claims/{claim['id']}/", timeout=10)
        ready = http("GET", stack.base_url + "/readyz", timeout=10)
    finally:
        stack.postgres.start()

    assert answer.status == 503
    assert answer.json()["code"] == "database_unavailable"
    assert answer.seconds < 5
    assert b"Traceback" not in answer.body
    assert ready.status == 503 and ready.json()["checks"]["database"] == "unavailable"
    # The first request after the restart succeeds: no stale pooled connection is reused.
    assert stack.api.get(f"/api/claims/{claim['id']}/").status == 200

    # and the worker and beat pick up again: another scheduled check happens
    before = latest_check(stack, claim["source_id"])
    wait_for_check_after(stack, claim["source_id"], after_id=before["id"] if before else 0)
