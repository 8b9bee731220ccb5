"""Load one URL for a fixed time from this process, N clients at once; prints the latencies as JSON.

Run by ``bench/newsroom.py`` in its own process, so the client's Python never
shares a core's time slice with the server's in the same interpreter:

    .venv/bin/python bench/load.py --base http://127.0.0.1:8000 --token T --path /api/claims/ \\
        --concurrency 4 --duration 5

``--path status-change`` moves claims between two statuses instead: each
client reads a claim's ETag (not timed) and POSTs the change (timed).
"""

from __future__ import annotations

import argparse
import json
import threading
import time

import requests

STATUS_PAIR = ("unconfirmed", "disputed")


def _get(session: requests.Session, url: str) -> float:
    started = time.perf_counter()
    response = session.get(url, timeout=60)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed


def _status_change(session: requests.Session, base: str, claim_id: int) -> float:
    current = session.get(f"{base}/api/claims/{claim_id}/", timeout=60)
    current.raise_for_status()
    to_status = STATUS_PAIR[1] if current.json()["status"] == STATUS_PAIR[0] else STATUS_PAIR[0]
    started = time.perf_counter()
    response = session.post(
        f"{base}/api/claims/{claim_id}/status/",
        json={"status": to_status, "rationale": "Benchmark."},
        headers={"If-Match": current.headers["ETag"]},
        timeout=60,
    )
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed


def _client(args: argparse.Namespace, number: int, deadline: float, out: list[float], errors: list[str]) -> None:
    session = requests.Session()
    session.headers["Authorization"] = f"Token {args.token}"
    done = 0
    while time.perf_counter() < deadline:
        try:
            if args.path == "status-change":
                # Each client its own claims, so two clients never race for one version.
                out.append(_status_change(session, args.base, args.first_claim + number * 1000 + done % 1000))
            else:
                out.append(_get(session, args.base + args.path))
        except requests.RequestException as exc:
            errors.append(str(exc)[:200])
        done += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--first-claim", type=int, default=1)
    args = parser.parse_args()
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.perf_counter() + args.duration
    threads = [
        threading.Thread(target=_client, args=(args, n, deadline, latencies, errors)) for n in range(args.concurrency)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"seconds": time.perf_counter() - started, "latencies": latencies, "errors": errors[:5]}))


if __name__ == "__main__":
    main()
