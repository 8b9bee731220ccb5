"""Measure HTTP clients on this machine before choosing one for the fetcher.

A local aiohttp server (its own process, so the clients do not share its CPU
time slice) serves a ~50 KB HTML page on 127.0.0.1; each client fetches it a
bounded number of times at 10 and 100 concurrent requests, and the script
prints requests per second. Run:

    .venv/bin/python bench/http_clients.py --requests 2000

Needs httpx and aiohttp (requirements-dev.txt); requests and urllib3 are
runtime dependencies already.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import socket
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

_PARAGRAPH = "<p>" + "Forces retreated 20 km overnight, officials said. " * 20 + "</p>"
PAGE_BYTES = ("<html><body>" + _PARAGRAPH * 50 + "</body></html>").encode()


def _serve(port: int) -> None:
    from aiohttp import web

    async def page(request: web.Request) -> web.Response:
        return web.Response(body=PAGE_BYTES, content_type="text/html")

    app = web.Application()
    app.router.add_get("/", page)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _threaded(make_get: Callable[[], Callable[[str], int]], url: str, total: int, concurrency: int) -> float:
    """Run ``total`` GETs over ``concurrency`` threads, one client per thread."""
    import threading

    local = threading.local()

    def one(_: int) -> int:
        if not hasattr(local, "get"):
            local.get = make_get()
        return local.get(url)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        statuses = list(pool.map(one, range(total)))
    elapsed = time.perf_counter() - start
    assert all(s == 200 for s in statuses)
    return total / elapsed


def _requests_get() -> Callable[[str], int]:
    import requests

    session = requests.Session()
    session.trust_env = False

    def get(url: str) -> int:
        r = session.get(url)
        return r.status_code if len(r.content) == len(PAGE_BYTES) else 0

    return get


def _urllib3_get() -> Callable[[str], int]:
    import urllib3

    pool = urllib3.PoolManager()

    def get(url: str) -> int:
        r = pool.request("GET", url)
        return r.status if len(r.data) == len(PAGE_BYTES) else 0

    return get


def _httpx_get() -> Callable[[str], int]:
    import httpx

    client = httpx.Client(trust_env=False)

    def get(url: str) -> int:
        r = client.get(url)
        return r.status_code if len(r.content) == len(PAGE_BYTES) else 0

    return get


async def _httpx_async(url: str, total: int, concurrency: int) -> float:
    import httpx

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    sem = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(trust_env=False, limits=limits) as client:

        async def one() -> int:
            async with sem:
                r = await client.get(url)
                return r.status_code if len(r.content) == len(PAGE_BYTES) else 0

        start = time.perf_counter()
        statuses = await asyncio.gather(*(one() for _ in range(total)))
        elapsed = time.perf_counter() - start
    assert all(s == 200 for s in statuses)
    return total / elapsed


async def _aiohttp_async(url: str, total: int, concurrency: int) -> float:
    import aiohttp

    sem = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one() -> int:
            async with sem, session.get(url) as r:
                body = await r.read()
                return r.status if len(body) == len(PAGE_BYTES) else 0

        start = time.perf_counter()
        statuses = await asyncio.gather(*(one() for _ in range(total)))
        elapsed = time.perf_counter() - start
    assert all(s == 200 for s in statuses)
    return total / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per client and concurrency level")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[10, 100])
    args = parser.parse_args()

    port = _free_port()
    server = multiprocessing.Process(target=_serve, args=(port,), daemon=True)
    server.start()
    url = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)

    clients: dict[str, Callable[[int], float]] = {
        "requests (Session per thread)": lambda c: _threaded(_requests_get, url, args.requests, c),
        "urllib3 (PoolManager per thread)": lambda c: _threaded(_urllib3_get, url, args.requests, c),
        "httpx sync (Client per thread)": lambda c: _threaded(_httpx_get, url, args.requests, c),
        "httpx async": lambda c: asyncio.run(_httpx_async(url, args.requests, c)),
        "aiohttp": lambda c: asyncio.run(_aiohttp_async(url, args.requests, c)),
    }
    print(f"page {len(PAGE_BYTES)} bytes, {args.requests} requests per run, cpus {multiprocessing.cpu_count()}")
    print(f"{'client':36} " + " ".join(f"{'c=' + str(c):>10}" for c in args.concurrency))
    try:
        for name, run in clients.items():
            run(10)  # warm-up: imports, first connections
            rates = [run(c) for c in args.concurrency]
            print(f"{name:36} " + " ".join(f"{r:10.0f}" for r in rates), flush=True)
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
