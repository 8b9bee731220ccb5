"""Newsroom scale: the claims API at a given size, served by gunicorn, loaded from another process.

Makes a scratch database beside DATABASE_URL's (<name>_bench_scale), fills it
in SQL (bench/fill.py), checks every list read in process (queries per
request, and that no EXPLAIN scans the claims table; bench/reads.py), starts
gunicorn with the production settings and configuration (gunicorn.conf.py,
plus the bare comparison view of bench/urls.py), loads each endpoint for a
fixed time from a separate process (bench/load.py) and prints one table, with
the bare ``values()`` view measured in the same run as the baseline.

    make bench-small                              # 10,000 claims, 200 sources; exits 1 on a problem
    make bench                                    # 1,000,000 claims, 100,000 sources
    .venv/bin/python bench/newsroom.py --claims 100000 --sources 10000 --duration 5
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
SMALL = 100_000  # below this many claims, plans are checked for an index path (bench/reads.py)
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "ALLOWED_HOSTS": "127.0.0.1,testserver",
    "DEBUG": "false",
    "STATIC_MANIFEST": "false",
    "LOG_LEVEL": "WARNING",
    # The benchmark is one user at hundreds of requests a second: no throttle in its way.
    "API_THROTTLE_USER": "100000000/minute",
}


def _setup(args: argparse.Namespace) -> str:
    from bench.api_list import scratch_database

    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("bench: DATABASE_URL must point at PostgreSQL (the benchmark makes a scratch database beside it)")
    url = scratch_database(base, "bench_scale")
    os.environ.update(SERVER_ENV, DATABASE_URL=url)
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url


def _fill(args: argparse.Namespace) -> float:
    from bench.fill import Size, fill

    started = time.monotonic()
    fill(Size(claims=args.claims, sources=args.sources, checks=args.checks), echo=args.verbose)
    return time.monotonic() - started


def _token() -> str:
    from django.contrib.auth.models import Group, User

    from claims.services.tokens import token_create

    user, _ = User.objects.get_or_create(username="bench")
    user.groups.add(*Group.objects.filter(name__in=["viewers", "fact-checkers"]))
    return token_create(user=user)[1]


def _inspect(token: str, claims: int) -> dict[str, Any]:
    from rest_framework.test import APIClient

    from bench.reads import Read, inspect_read, list_reads

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    found = {}
    for read in [*list_reads(claims), Read("detail", f"/api/claims/{claims // 2}/")]:
        inspection = inspect_read(client, read, explain=read.name != "detail", seqscan=claims >= SMALL)
        found[read.name] = {
            "path": read.path,
            "queries": inspection.queries,
            "seq_scan": inspection.seq_scan,
            "problems": inspection.problems,
        }
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(workers: int, log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)}
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "tracker.wsgi"], cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    import requests

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/bench/bare/", timeout=30).status_code == 200:
                return server, base
        except requests.RequestException:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.3)
    server.kill()
    server.wait()
    sys.exit(f"bench: gunicorn did not answer within 120 s; see {log}")


def _worker_rss_mb(master: int) -> list[float]:
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master):
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sizes


def _load(base: str, token: str, path: str, concurrency: int, duration: float, first_claim: int) -> dict[str, Any]:
    command = [sys.executable, str(ROOT / "bench" / "load.py"), "--base", base, "--token", token, "--path", path]
    command += ["--concurrency", str(concurrency), "--duration", str(duration), "--first-claim", str(first_claim)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    raw = json.loads(done.stdout)
    ms = sorted(x * 1000 for x in raw["latencies"])
    if not ms:
        return {"requests": 0, "rps": 0.0, "p50": None, "p99": None, "errors": raw["errors"]}
    return {
        "requests": len(ms),
        "rps": len(ms) / raw["seconds"],
        "p50": statistics.median(ms),
        "p99": ms[min(len(ms) - 1, int(len(ms) * 0.99))],
        "errors": raw["errors"],
    }


def _plan(args: argparse.Namespace, inspected: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(name, path, concurrency) of every load run: bare and list at each concurrency, the rest at one."""
    runs = []
    for concurrency in args.concurrency:
        runs += [("bare", "/bench/bare/", concurrency), ("list", inspected["list"]["path"], concurrency)]
    for name, found in inspected.items():
        if name != "list":
            runs.append((name, found["path"], args.load_concurrency))
    runs.append(("status-change", "status-change", args.load_concurrency))
    return runs


def _measure(args: argparse.Namespace, base: str, token: str, inspected: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for name, path, concurrency in _plan(args, inspected):
        result = _load(base, token, path, concurrency, args.duration, first_claim=1)
        rows.append({"name": name, "concurrency": concurrency, **result, **inspected.get(name, {})})
        if args.verbose:
            print(f"  {name} c={concurrency}: p50 {result['p50']}", flush=True)
    bare = {row["concurrency"]: row["p50"] for row in rows if row["name"] == "bare"}
    for row in rows:
        baseline = bare.get(row["concurrency"])
        row["x_bare"] = row["p50"] / baseline if row["p50"] and baseline else None
    return rows


def _cell(value: Any, fmt: str) -> str:
    return "-" if value is None else format(value, fmt)


def _table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| read | clients | requests | req/s | p50 ms | p99 ms | x bare p50 | queries | plan |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        plan = "-" if "seq_scan" not in row or row["name"] == "detail" else ("Seq Scan" if row["seq_scan"] else "index")
        lines.append(
            f"| {row['name']} | {row['concurrency']} | {row['requests']} | {row['rps']:.1f} | "
            f"{_cell(row['p50'], '.1f')} | {_cell(row['p99'], '.1f')} | {_cell(row['x_bare'], '.2f')} | "
            f"{row.get('queries', '-')} | {plan} |"
        )
    return "\n".join(lines)


def _problems(rows: list[dict[str, Any]]) -> list[str]:
    found = [f"{row['name']}: {'; '.join(row['problems'])}" for row in rows if row.get("problems")]
    found += [f"{row['name']}: {row['errors'][0]}" for row in rows if row.get("errors")]
    return sorted(set(found))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--sources", type=int, default=100_000)
    parser.add_argument("--checks", type=int, default=2, help="finished checks per source")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of load per row")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 2, 4, 8, 16], help="for bare and list")
    parser.add_argument("--load-concurrency", type=int, default=8, help="for every other row")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (WEB_CONCURRENCY)")
    parser.add_argument("--json", type=Path, help="also write the rows here (bench/plot.py draws them)")
    parser.add_argument("--check", action="store_true", help="exit 1 on a query budget, Seq Scan or error")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--verbose", action="store_true")
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    url = _setup(args)
    fill_seconds = _fill(args)
    token = _token()
    inspected = _inspect(token, args.claims)
    from django.db import connection

    connection.close()
    server, base = _serve(args.workers, Path(os.environ.get("BENCH_LOG", "/tmp/bench-newsroom-gunicorn.log")))  # noqa: S108
    try:
        rows = _measure(args, base, token, inspected)
        rss = _worker_rss_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    if not args.keep:
        from bench.api_list import drop_database

        drop_database(url)
    print(
        f"\n{args.claims:,} claims, {args.sources:,} sources, filled in {fill_seconds:.0f} s; "
        f"gunicorn {args.workers} workers; {args.duration:g} s per row; worker RSS after load: "
        + ", ".join(f"{mb:.0f} MB" for mb in rss)
    )
    print(_table(rows))
    if args.json:
        meta = {"claims": args.claims, "sources": args.sources, "workers": args.workers, "rss_mb": rss}
        args.json.write_text(json.dumps({"meta": meta, "rows": rows}, indent=1, default=str))
    problems = _problems(rows)
    for problem in problems:
        print(f"PROBLEM {problem}")
    if args.check and problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
