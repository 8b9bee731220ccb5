"""What one re-check sweep costs: one task per source, and where the time goes.

The sweep (claims.services.scheduling.recheck_dispatch_due) leases each due
source in its own transaction, opens its check, and publishes one task per
source. Grouping sources by site into one task would save messages; this
prints what those messages cost next to the database work, so the choice
rests on figures. Baselines measured in the same run: publishing the same
number of bare task messages (no database), and the sweep's database work
alone (publishing replaced by a no-op).

Needs PostgreSQL (DATABASE_URL; a scratch database <name>_bench_dispatch is
made and dropped) and Redis (REDIS_URL; messages go to a private queue that
is purged afterwards, so no worker runs them). Prints figures only:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/dispatch.py --sources 500 2000
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.api_list import drop_database, scratch_database


def make_due_sources(count: int) -> None:
    from django.db import connection

    from claims.models import Source

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE claims_sourcecheck, claims_source RESTART IDENTITY CASCADE")
    # 50 sites, so a per-site grouping would have made 50 messages instead of `count`.
    Source.objects.bulk_create(
        [Source(name=f"Source {n}", url=f"https://site{n % 50}.example/story/{n}") for n in range(count)]
    )


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sources", type=int, nargs="+", default=[500, 2000])
    args = parser.parse_args()

    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith("postgres") or not os.environ.get("REDIS_URL"):
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL (Redis): the sweep is measured on the real stack.")
    url = scratch_database(base_url, suffix="bench_dispatch")
    os.environ["DATABASE_URL"] = url
    os.environ["CELERY_TASK_DEFAULT_QUEUE"] = f"bench-dispatch-{uuid.uuid4().hex[:8]}"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdef-not-for-production")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from claims.services import scheduling
    from claims.tasks import source_check_run
    from tracker.celery import app

    queue = os.environ["CELERY_TASK_DEFAULT_QUEUE"]
    try:
        call_command("migrate", verbosity=0)
        print(f"queue {queue}; times in seconds (per source in ms)")
        for count in args.sources:
            make_due_sources(count)
            full = timed(lambda count=count: scheduling.recheck_dispatch_due(limit=count))

            make_due_sources(count)
            db_only = timed(
                lambda count=count: [
                    scheduling.source_dispatch(source_id=pk, on_commit=lambda *a: None) for pk in range(1, count + 1)
                ]
            )

            bare = timed(
                lambda count=count: [
                    source_check_run.apply_async(kwargs={"check_id": 0, "lease_token": "x"}, retry=False)
                    for _ in range(count)
                ]
            )
            print(f"\n{count:,} due sources on 50 sites")
            for name, seconds in [
                ("sweep: lease + check + publish, one task per source", full),
                ("baseline: the sweep's database work alone", db_only),
                ("baseline: publishing as many bare messages", bare),
            ]:
                print(f"  {name:<54} {seconds:7.2f}   ({seconds / count * 1000:.2f} ms/source)")
    finally:
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(queue)
        from django.db import connections

        connections.close_all()
        drop_database(url)


if __name__ == "__main__":
    main()
