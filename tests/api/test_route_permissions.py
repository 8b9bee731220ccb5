"""Every route by every method by every role answers as docs/api.md's permission table says.

The routes come from the URL configuration and the table from the docs, so a
new route without a row, or a row the code no longer matches, fails here.
Each request carries a body the route's writes would accept and the claim's
If-Match, so a safe method that reached a write would succeed at it; safe
methods must leave every table exactly as it was.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.admindocs.views import simplify_regex
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from claims.api.etags import claim_etag
from claims.models import Claim, Evidence, SourceCheck
from tests.api.conftest import token_client
from tests.factories import ArticleFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"
TABLE_HEADING = "## Permissions by route and method"
#: Callers from least to most rights; a cell naming one admits it and everyone after it.
ROLES = ["anyone", "logged-in", "viewer", "fact-checker", "editor", "superuser"]
GROUPS = {"viewer": "viewers", "fact-checker": "fact-checkers", "editor": "editors"}
SAFE = ("GET", "HEAD", "OPTIONS")
#: The table's columns; "other" is any method no route serves, sent as PROPFIND.
COLUMNS = {**{m: m for m in (*SAFE, "POST", "PUT", "PATCH", "DELETE")}, "other": "PROPFIND"}
PASSWORD = "correct-horse-battery-staple"  # tests/factories.py


def url_routes(patterns: list[Any] | None = None, prefix: str = "") -> list[str]:
    """Every non-admin route of the URL configuration, as /api/claims/<pk>/."""
    routes = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if route.startswith("admin/"):  # the admin's own permissions, tested in tests/admin
            continue
        if isinstance(entry, URLResolver):
            routes += url_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            routes.append(simplify_regex(route))
    return routes


def docs_table() -> dict[str, dict[str, str]]:
    """The permission table of docs/api.md: route -> column -> cell."""
    text = DOCS.read_text(encoding="utf-8")
    if TABLE_HEADING not in text:
        return {}
    section = text.split(TABLE_HEADING, 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    table = {}
    for line in rows[2:]:
        cells = [cell.strip().strip("`") for cell in line.strip("|").split("|")]
        table[cells[0]] = dict(zip(header[1:], cells[1:], strict=True))
    return table


ROUTES = url_routes()
TABLE = docs_table()


def test_the_table_has_a_row_for_every_route_and_no_other():
    assert TABLE, f"docs/api.md has no table under {TABLE_HEADING!r}"
    assert set(COLUMNS) == set(next(iter(TABLE.values())))
    assert sorted(set(ROUTES) - set(TABLE)) == [], "routes without a row in docs/api.md"
    assert sorted(set(TABLE) - set(ROUTES)) == [], "rows in docs/api.md without a route"
    allowed = {*ROLES, "405", "404"}
    assert {cell for row in TABLE.values() for cell in row.values()} <= allowed


@dataclass
class World:
    claim: Claim
    evidence: Evidence
    source_id: int
    check_id: int
    article_id: int
    users: dict[str, Any]

    def path(self, route: str) -> str:
        resource = route.split("/")[2] if route.startswith("/api/") else ""
        ids: dict[str, Any] = {"claims": self.claim.pk, "claimants": self.claim.claimant_id, "sources": self.source_id}
        ids |= {"articles": self.article_id, "evidence": self.evidence.pk, "checks": self.check_id}
        ids |= {"claim_id": self.claim.pk, "article_id": self.article_id, "evidence_id": self.evidence.pk}
        ids["pk"] = ids.get(resource, 0)
        ids["path"] = "no-such-endpoint/"
        return re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(ids.get(match[1], 0)), route)

    def body(self, route: str) -> dict[str, Any]:
        """A body that the route's write would accept (so that reaching it would show)."""
        claimant, source = self.claim.claimant_id, self.source_id
        bodies: dict[str, dict[str, Any]] = {
            "/api/auth/token/": {"username": "viewer", "password": PASSWORD},
            "/api/claims/": {"text": "The port reopened.", "claimant": claimant},
            "/api/claims/<pk>/": {"text": "The port reopened on Monday.", "claimant": claimant},
            "/api/claims/<pk>/status/": {"status": "unconfirmed", "rationale": "One report so far."},
            "/api/claims/<pk>/evidence/": {"source": source, "role": "supports", "quote": "", "note": ""},
            "/api/claimants/": {"name": "Port authority"},
            "/api/claimants/<pk>/": {"name": "Port authority (renamed)"},
            "/api/sources/": {"name": "Harbour webcam", "kind": "social"},
            "/api/sources/<pk>/": {"name": "Harbour webcam (renamed)", "kind": "social"},
            "/api/articles/": {"title": "Port reopens"},
            "/api/articles/<pk>/": {"title": "Port reopens (update)"},
        }
        return bodies.get(route, {})

    def client(self, role: str) -> APIClient:
        client = APIClient() if role == "anyone" else token_client(self.users[role])
        client.raise_request_exception = False
        return client


@pytest.fixture
def world(db) -> World:
    from django.contrib.auth.models import Group

    from tests.factories import ClaimFactory, EvidenceFactory

    users = {"logged-in": UserFactory(username="nobody"), "superuser": UserFactory(is_superuser=True)}
    for role, group in GROUPS.items():
        users[role] = UserFactory(username=role)
        users[role].groups.add(Group.objects.get(name=group))
    claim = ClaimFactory()
    evidence = EvidenceFactory(claim=claim)
    source = SourceFactory()
    check = SourceCheck.objects.create(source=source)
    return World(claim, evidence, source.pk, check.pk, ArticleFactory().pk, users)


def database_state() -> list[tuple[Any, ...]]:
    """What a write would change: on PostgreSQL, this transaction's row inserts, updates and
    deletes per table (pg_stat_xact_*, which also sees an UPDATE that rewrites a value as it
    was); elsewhere every table's row count."""
    if connection.vendor == "postgresql":
        sql = (
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_all_tables "
            "WHERE n_tup_ins + n_tup_upd + n_tup_del > 0 ORDER BY relid"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()
    tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT %s, count(*) FROM {quote(table)}" for table in tables)  # noqa: S608 (quoted names)
    with connection.cursor() as cursor:
        cursor.execute(sql, tables)
        return cursor.fetchall()


def expected(cell: str, role: str) -> str:
    if cell in ("404", "405"):
        return cell
    if ROLES.index(role) >= ROLES.index(cell):
        return "allowed"
    return "401" if role == "anyone" else "403"


def judge(want: str, got: int) -> bool:
    if want == "allowed":
        return got < 500 and got not in (401, 403, 405)
    return str(got) == want


def ask(world: World, route: str, method: str, client: APIClient) -> Any:
    claim = Claim.objects.get(pk=world.claim.pk)
    return client.generic(
        method,
        world.path(route),
        data=json.dumps(world.body(route)),
        content_type="application/json",
        HTTP_IF_MATCH=claim_etag(claim),
    )


@pytest.mark.parametrize("route", sorted(set(ROUTES) & set(TABLE)))
def test_each_route_answers_each_method_and_role_as_documented(world, route):
    failures = []
    clients = {role: world.client(role) for role in ROLES}
    state = None  # the database as the last safe request found it; None after a write
    for column, method in COLUMNS.items():
        cell = TABLE[route][column]
        for role in ROLES:
            if method in SAFE and state is None:
                state = database_state()
            response = ask(world, route, method, clients[role])
            want = expected(cell, role)
            if not judge(want, response.status_code):
                failures.append(f"{method} as {role}: {response.status_code}, table says {cell} ({want})")
            if method in SAFE:
                after = database_state()
                if after != state:
                    failures.append(f"{method} as {role} changed the database")
                state = after
            else:
                state = None
                clients[role] = world.client(role)  # POST /api/auth/logout/ revokes the token
            if response.status_code >= 400 and method != "HEAD" and route.startswith("/api/"):
                body = response.json()
                if set(body) - {"errors", "status_code"} or body.get("status_code") != response.status_code:
                    failures.append(f"{method} as {role}: not the API's error shape: {body}")
    assert failures == [], f"{route}:\n" + "\n".join(failures)


def test_head_with_a_write_body_never_writes(world):
    """The case that was found: a viewer's HEAD on a claim's evidence created a link."""
    before = Evidence.objects.count()
    for role in ROLES:
        response = ask(world, "/api/claims/<pk>/evidence/", "HEAD", world.client(role))
        assert response.status_code in (200, 401, 403), (role, response.status_code)
    assert Evidence.objects.count() == before


def test_routes_are_read_from_the_url_configuration():
    # A route added to the code shows up here without anyone listing it by hand.
    assert "/api/claims/<pk>/evidence/" in ROUTES
    assert all(re.match(r"^/[a-z]", route) for route in ROUTES)
