"""Re-checks at scale, end to end: the sweep as beat calls it, a real Celery worker, local slow sites.

N sources (default 2,000) on 50 host names (127.0.0.1 .. 127.0.0.50, all
loopback), served by an aiohttp server in its own process that answers every
page after --latency seconds (default 0.1) with the same ~60 kB article, so
the second pass finds every page unchanged. Each source is cited by one claim
with a quote on the page. For each worker mode (pool:concurrency) a fresh
worker is started, every source is made due, and the sweep function beat runs
(claims.tasks.recheck_sweep) is called every --sweep-every seconds until
every source has a finished check: the first pass (first snapshots, quotes
judged), then the second (nothing changed). Printed per mode: sources/s of
both passes, the worker's peak RSS (main process and pool children).

Baselines measured in the same run against the same server: a sequential
``requests.get`` loop, ``requests`` in 32 threads, aiohttp at 100 concurrent.
Also printed: SQL statements of one unchanged check (in process,
CaptureQueriesContext). With --spacing S (default politeness is 2 s) a pass
is compared with the politeness limit, sites / spacing.

Needs PostgreSQL (DATABASE_URL; a scratch database <name>_bench_rechecks is
made and dropped) and Redis (REDIS_URL; a private queue, deleted afterwards):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/rechecks.py --modes prefork:2 threads:32 --plot docs/img/rechecks-throughput.png
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.api_list import drop_database, scratch_database

BASE_DIR = Path(__file__).resolve().parent.parent
SITES = 50
QUOTE = "Forces retreated 20 km overnight, officials said."
PAGE = ("<html><body><article>" + f"<p>{QUOTE} " + "Residents described the night. " * 60 + "</p>") * 30
PAGE_BYTES = (PAGE + "</article></body></html>").encode()


def _serve(port: int, latency: float) -> None:
    from aiohttp import web

    async def page(request: web.Request) -> web.Response:
        await asyncio.sleep(latency)
        return web.Response(body=PAGE_BYTES, content_type="text/html")

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/{tail:.*}", page)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        for n in range(1, SITES + 1):
            await web.TCPSite(runner, f"127.0.0.{n}", port, backlog=1024).start()
        await asyncio.Event().wait()

    asyncio.run(main())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def site_urls(port: int, count: int) -> list[str]:
    # Consecutive ids on different sites would hide the per-site spreading; group them like a desk does.
    return [f"http://127.0.0.{1 + n * SITES // count}:{port}/story/{n}" for n in range(count)]


def baselines(urls: list[str]) -> dict[str, float]:
    import aiohttp
    import requests

    def rate(fn, n: int) -> float:  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        fn()
        return n / (time.perf_counter() - start)

    sequential = urls[:60]
    with requests.Session() as session:
        seq = rate(lambda: [session.get(u, timeout=10).content for u in sequential], len(sequential))

    def threaded() -> None:
        with ThreadPoolExecutor(32) as pool:
            list(pool.map(lambda u: requests.get(u, timeout=10).content, urls))

    async def gathered() -> None:
        limit = asyncio.Semaphore(100)
        async with aiohttp.ClientSession() as session:

            async def one(url: str) -> None:
                async with limit, session.get(url) as response:
                    await response.read()

            await asyncio.gather(*(one(u) for u in urls))

    return {
        "sequential requests.get": seq,
        "requests, 32 threads": rate(threaded, len(urls)),
        "aiohttp, 100 concurrent": rate(lambda: asyncio.run(gathered()), len(urls)),
    }


def make_sources(urls: list[str]) -> None:
    from django.db import connection

    from claims.models import Claim, Claimant, Evidence, Source

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE claims_sourcecheck, claims_evidence, claims_source, claims_claim CASCADE")
    sources = Source.objects.bulk_create([Source(name=f"Story {n}", url=u) for n, u in enumerate(urls)])
    claimant = Claimant.objects.create(name="Ministry of Defence")
    claims = Claim.objects.bulk_create(
        [Claim(text=f"Forces retreated 20 km ({n}).", claimant=claimant) for n in range(len(urls))]
    )
    Evidence.objects.bulk_create(
        [Evidence(claim=c, source=s, quote=QUOTE, role="supports") for c, s in zip(claims, sources, strict=True)]
    )


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            stack += [int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split()]
        except FileNotFoundError:
            continue
        total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
    return total / 1024


def start_worker(pool: str, concurrency: int, queue: str, log: Path) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "celery", "-A", "tracker", "worker", f"--pool={pool}",
            f"--concurrency={concurrency}", "-Q", queue, "-n", f"bench-{uuid.uuid4().hex[:6]}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"]  # fmt: skip
    env = {**os.environ, "LOG_LEVEL": "INFO"}  # its "ready." line
    proc = subprocess.Popen(args, cwd=BASE_DIR, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while b"ready." not in log.read_bytes():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"The worker did not start; see {log}")
        time.sleep(0.2)
    return proc


def one_pass(count: int, sweep_every: float, worker_pid: int, timeout: float) -> tuple[float, float]:
    """Make every source due, sweep like beat until all are checked; (sources/s, peak RSS MB)."""
    from django.utils import timezone

    from claims.models import Source, SourceCheck
    from claims.tasks import recheck_sweep

    Source.objects.update(next_check_at=None, lease_token="", lease_expires_at=None)
    started_at = timezone.now()
    start = time.perf_counter()
    peak, next_sweep = 0.0, 0.0
    while True:
        now = time.perf_counter()
        if now >= next_sweep:
            recheck_sweep()  # what beat runs every RECHECK_SWEEP_SECONDS
            next_sweep = now + sweep_every
        peak = max(peak, rss_mb(worker_pid))
        done = SourceCheck.objects.filter(state="done", finished_at__gte=started_at).count()
        if done >= count:
            return count / (time.perf_counter() - start), peak
        if now - start > timeout:
            raise SystemExit(f"Pass timed out with {done} of {count} checked")
        time.sleep(0.2)


def statements_of_an_unchanged_check() -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from claims.models import Source
    from claims.services.checking import source_check_run
    from claims.services.scheduling import source_dispatch

    source = Source.objects.order_by("id").first()
    assert source is not None
    check, token = source_dispatch(source_id=source.pk, on_commit=lambda *args: None)
    assert check is not None and token is not None
    with CaptureQueriesContext(connection) as queries:
        done = source_check_run(check_id=check.pk, lease_token=token)
    assert done is not None and done.outcome == "unchanged", done and done.reason
    sql = [q["sql"] for q in queries.captured_queries]
    return len([s for s in sql if s not in ("BEGIN", "COMMIT")]), sql.count("COMMIT")


def plot(results: list[tuple[str, int, float, float]], seq: float, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for pool in sorted({r[0] for r in results}):
        rows = sorted((c, second) for p, c, _first, second in results if p == pool)
        ax.plot([c for c, _ in rows], [s for _, s in rows], marker="o", label=f"{pool} pool (second pass)")
    ax.axhline(seq, color="grey", linestyle="--", label="sequential requests.get")
    ax.axhline(seq * 40, color="green", linestyle=":", label="target: 40x sequential")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("worker concurrency")
    ax.set_ylabel("sources re-checked per second")
    ax.set_title("Re-checks through the sweep, 50 sites answering in 100 ms")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--modes", nargs="+", default=["threads:32"], help="pool:concurrency, e.g. prefork:2")
    parser.add_argument("--spacing", type=float, default=0.0, help="FETCH_MIN_SPACING (0: politeness relaxed)")
    parser.add_argument("--sweep-every", type=float, default=2.0, help="seconds between sweeps (beat's interval)")
    parser.add_argument("--timeout", type=float, default=900.0, help="longest pass, in seconds")
    parser.add_argument("--plot", type=Path, help="write a PNG of throughput against concurrency")
    args = parser.parse_args()

    port = _free_port()
    server = multiprocessing.Process(target=_serve, args=(port, args.latency), daemon=True)
    server.start()
    url = scratch_database(os.environ["DATABASE_URL"], "bench_rechecks")
    queue = f"bench-rechecks-{uuid.uuid4().hex[:8]}"
    os.environ.update(
        {
            "DATABASE_URL": url,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "FETCH_ALLOWED_HOSTS": ",".join(f"127.0.0.{n}:{port}" for n in range(1, SITES + 1)),
            "FETCH_MIN_SPACING": str(args.spacing),
            "RECHECK_SWEEP_SECONDS": str(max(1, round(args.sweep_every))),
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(BASE_DIR),
            "DJANGO_SETTINGS_MODULE": "tracker.settings",
        }
    )
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdef-not-for-production")
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    from tracker.celery import app

    logs = Path(tempfile.mkdtemp(prefix="bench-rechecks-"))
    results: list[tuple[str, int, float, float]] = []
    try:
        call_command("migrate", verbosity=0)
        urls = site_urls(port, args.sources)
        time.sleep(1)  # the server binds its 50 addresses
        base = baselines(urls)
        make_sources(urls)
        print(f"{args.sources:,} sources on {SITES} sites, {args.latency * 1000:.0f} ms per answer, "
              f"{len(PAGE_BYTES) // 1024} kB pages, spacing {args.spacing:g} s; sources/s")  # fmt: skip
        print(f"{'mode':<34}{'first pass':>12}{'second pass':>13}{'x seq':>8}{'worker RSS':>12}")
        for mode in args.modes:
            pool, concurrency = mode.split(":")
            cache.clear()  # politeness schedule of the previous mode
            worker = start_worker(pool, int(concurrency), queue, logs / f"{pool}-{concurrency}.log")
            try:
                first, rss1 = one_pass(args.sources, args.sweep_every, worker.pid, args.timeout)
                second, rss2 = one_pass(args.sources, args.sweep_every, worker.pid, args.timeout)
            finally:
                worker.terminate()
                worker.wait(30)
            results.append((pool, int(concurrency), first, second))
            ratio = second / base["sequential requests.get"]
            print(
                f"{'sweep + worker, ' + mode:<34}{first:>12.1f}{second:>13.1f}{ratio:>7.1f}x{max(rss1, rss2):>9.0f} MB"
            )
        for name, value in base.items():
            print(f"{'baseline: ' + name:<34}{'':>12}{value:>13.1f}{value / base['sequential requests.get']:>7.1f}x")
        if args.spacing:
            print(f"politeness limit: {SITES} sites / {args.spacing:g} s = {SITES / args.spacing:.1f} sources/s")
        statements, commits = statements_of_an_unchanged_check()
        print(f"one unchanged check (in process): {statements} SQL statements, {commits} commit")
        if args.plot and results:
            plot(results, base["sequential requests.get"], args.plot)
            print(f"plot: {args.plot}")
    finally:
        with app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)
        from django.db import connections

        connections.close_all()
        drop_database(url)
        server.terminate()


if __name__ == "__main__":
    main()
