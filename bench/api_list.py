"""How listing claims scales: keyset (cursor) pages vs an OFFSET page and a COUNT(*).

Creates a scratch PostgreSQL database next to DATABASE_URL (<name>_bench_api),
fills it with N claims (bulk_create, one evidence link each), and prints the
median time of: the API's first page, the API's page at a cursor 90% deep,
the same two queries through the ORM, the ORM query for that page with
OFFSET instead of a cursor, and SELECT COUNT(*) (what a page-number
paginator adds to every request). Prints figures only. Run:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker \\
        .venv/bin/python bench/api_list.py --sizes 10000 100000
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
PAGE = 50
REPEAT = 7


def _admin_connection(url: str):  # type: ignore[no-untyped-def]
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    return psycopg.connect(
        host=cfg["HOST"] or None,
        port=cfg["PORT"] or None,
        user=cfg["USER"] or None,
        password=cfg["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ), cfg["NAME"]


def scratch_database(base_url: str, suffix: str = "bench_api") -> str:
    """A new, empty database <name>_<suffix> beside DATABASE_URL's; returns its URL."""
    conn, name = _admin_connection(base_url)
    bench_name = f"{name}_{suffix}"
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{bench_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{bench_name}"')
    return base_url.rsplit("/", 1)[0] + "/" + bench_name


def drop_database(url: str) -> None:
    conn, name = _admin_connection(url)
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def median_ms(fn: Callable[[], object]) -> float:
    fn()  # warm caches and connections
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def fill(count: int) -> None:
    from django.db import connection

    from claims.models import Claim, Claimant, Evidence, Source

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE claims_evidence, claims_statuschange, claims_sourcecheck, claims_claim, "
            "claims_source, claims_claimant RESTART IDENTITY CASCADE"
        )
    claimants = Claimant.objects.bulk_create([Claimant(name=f"Claimant {n}") for n in range(100)])
    sources = Source.objects.bulk_create(
        [Source(name=f"Source {n}", url=f"https://news{n}.example/", publisher=claimants[n % 100]) for n in range(500)]
    )
    statuses = [s for s, _ in Claim.Status.choices]
    batch = 5000
    for start in range(0, count, batch):
        claims = Claim.objects.bulk_create(
            [
                Claim(text=f"Forces advanced {n} km overnight.", claimant=claimants[n % 100], status=statuses[n % 5])
                for n in range(start, min(start + batch, count))
            ]
        )
        Evidence.objects.bulk_create(
            [Evidence(claim=claim, source=sources[claim.pk % 500], role="made") for claim in claims]
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(count: int) -> dict[str, float]:
    from django.contrib.auth.models import Group, User
    from rest_framework.test import APIClient

    from claims.api.pagination import KeysetPagination, rows_after
    from claims.api.queries import claim_detail_queryset
    from claims.models import Claim

    user, _ = User.objects.get_or_create(username="bench-viewer")
    user.groups.set([Group.objects.get(name="viewers")])
    client = APIClient()
    client.force_authenticate(user)

    deep = int(count * 0.9)
    updated_at, pk = Claim.objects.order_by("-updated_at", "-id").values_list("updated_at", "id")[deep]
    paginator = KeysetPagination()
    paginator.ordering = "-updated_at"
    cursor = paginator._encode(SimpleNamespace(updated_at=updated_at, pk=pk), "updated_at", False)

    def api(url: str) -> Callable[[], object]:
        def get() -> object:
            response = client.get(url)
            assert response.status_code == 200, response.content[:200]
            assert len(response.json()["results"]) == PAGE
            return response

        return get

    base = claim_detail_queryset().filter(is_archived=False).order_by("-updated_at", "-id")
    after = rows_after(base, "updated_at", updated_at, pk, descending=True)
    return {
        "API first page": median_ms(api(f"/api/claims/?page_size={PAGE}")),
        "API page at 90% (cursor)": median_ms(api(f"/api/claims/?page_size={PAGE}&cursor={cursor}")),
        "ORM first page": median_ms(lambda: list(base[:PAGE])),
        "ORM page at 90%, keyset": median_ms(lambda: list(after[:PAGE])),
        "ORM page at 90%, OFFSET": median_ms(lambda: list(base[deep : deep + PAGE])),
        "COUNT(*) of claims": median_ms(lambda: Claim.objects.filter(is_archived=False).count()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database afterwards.")
    args = parser.parse_args()

    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server; the benchmark makes its own scratch database there.")
    url = scratch_database(base_url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdef-not-for-production")
    os.environ["API_THROTTLE_USER"] = "100000000/minute"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver"]
    try:
        call_command("migrate", verbosity=0)
        print(f"database: {url.rsplit('/', 1)[1]}; page size {PAGE}; median of {REPEAT} runs, ms")
        for count in args.sizes:
            start = time.perf_counter()
            fill(count)
            print(f"\n{count:,} claims (filled in {time.perf_counter() - start:.1f} s)")
            for name, ms in measure(count).items():
                print(f"  {name:<28} {ms:8.1f}")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(url)


if __name__ == "__main__":
    main()
