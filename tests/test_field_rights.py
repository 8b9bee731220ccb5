"""Field-level rights: the table in docs/api.md is what the services enforce, cell by cell."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.urls import reverse

from claims.models import Claim
from claims.services.catalog import catalog_create, catalog_update
from claims.services.editing import claim_create, claim_update
from claims.services.errors import FieldsNotPermitted
from claims.services.evidence import evidence_add, evidence_update
from claims.services.rights import FIELD_RIGHTS
from claims.services.sources import source_create, source_update
from tests.api.conftest import token_client
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EvidenceFactory,
    OrganisationFactory,
    SourceFactory,
    UserFactory,
)

DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"
HEADING = "## Which fields each role may set"
ROLES = ["viewers", "fact-checkers", "editors"]


def documented_rights() -> dict[tuple[str, str], dict[str, set[str]]]:
    """``{(resource, field): {role: {"create", "edit"}}}`` as docs/api.md shows it."""
    section = DOC.read_text(encoding="utf-8").split(HEADING, 1)[1].split("\n## ", 1)[0]
    table: dict[tuple[str, str], dict[str, set[str]]] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 2 + len(ROLES) or cells[0] in ("resource", "---"):
            continue
        resource, field = cells[0], cells[1].strip("`")
        table[(resource, field)] = {
            role: {a.strip() for a in cell.split(",")} - {"\u2013"} for role, cell in zip(ROLES, cells[2:], strict=True)
        }
    return table


TABLE = documented_rights()


def test_the_table_names_every_field_the_services_know() -> None:
    assert set(TABLE) == {(resource, name) for resource, fields in FIELD_RIGHTS.items() for name in fields}


@pytest.fixture
def world(db) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    return SimpleNamespace(
        org=OrganisationFactory(),
        source=SourceFactory(),
        claim=claim,
        evidence=EvidenceFactory(claim=claim, role="made"),
        article=ArticleFactory(),
        claimant=OrganisationFactory(),
    )


def _value(world: SimpleNamespace, resource: str, field: str) -> Any:
    """A valid value, different from the one stored, for ``field``."""
    values = {
        "name": f"Renamed {resource}",
        "title": "Renamed article",
        "text": "A changed text.",
        "kind": {"source": "statement", "claimant": "person"}.get(resource),
        "url": f"https://renamed-{resource}.example/page",
        "publisher": world.org,
        "claimant": world.org,
        "organisation": world.org,
        "article": ArticleFactory(),
        "source": SourceFactory(),
        "role": "refutes",
        "quote": "a changed quote",
        "note": "a changed note",
        "notes": "changed notes",
        "description": "changed description",
        "same_as": "https://www.wikidata.org/wiki/Q42",
        "published_on": date(2024, 12, 4),
        "language": "ar",
        "is_archived": True,
        "is_monitored": False,
        "check_interval": timedelta(hours=3),
    }
    return values[field]


def _create(world: SimpleNamespace, resource: str, field: str, value: Any, user: User) -> None:
    if resource == "source":
        source_create(user=user, **{"name": "Recorded", "kind": "statement", field: value})
    elif resource == "claim":
        if field not in ("text", "claimant", "article", "language"):
            raise FieldsNotPermitted({field: "claim_create takes no such field"})
        extra = {"language": value} if field == "language" else {}
        claim_create(text="A new claim.", claimant_id=world.org.pk, article_id=world.article.pk, user=user, **extra)
    elif resource == "evidence":
        evidence_add(
            claim_id=world.claim.pk, source_id=SourceFactory().pk, role="refutes", quote="q", note="n", user=user
        )
    else:
        base = {"name": "New claimant"} if resource == "claimant" else {"title": "New article"}
        catalog_create(resource=resource, user=user, **{**base, field: value})


def _edit(world: SimpleNamespace, resource: str, field: str, value: Any, user: User) -> None:
    if resource == "source":
        source_update(source_id=world.source.pk, user=user, **{field: value})
    elif resource == "claim":
        version = Claim.objects.get(pk=world.claim.pk).version
        claim_update(claim_id=world.claim.pk, expected_version=version, user=user, **{field: value})
    elif resource == "evidence":
        evidence_update(evidence_id=world.evidence.pk, user=user, **{field: value})
    else:
        row = world.claimant if resource == "claimant" else world.article
        catalog_update(resource=resource, pk=row.pk, user=user, **{field: value})


def refused(action: str, world: SimpleNamespace, resource: str, field: str, user: User) -> bool:
    """Whether the service refuses ``user`` setting ``field``; other refusals (validation) say it was allowed."""
    try:
        (_create if action == "create" else _edit)(world, resource, field, _value(world, resource, field), user)
    except FieldsNotPermitted as exc:
        return field in exc.message_dict
    except ValidationError:
        return False
    return False


@pytest.mark.parametrize(("resource", "field"), sorted(TABLE))
def test_the_services_enforce_each_cell_of_the_table(settings, world, resource: str, field: str) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast users
    for role in ROLES:
        user = UserFactory(username=f"{role}-user")
        user.groups.add(Group.objects.get(name=role))
        for action in ("create", "edit"):
            allowed = action in TABLE[(resource, field)][role]
            assert refused(action, world, resource, field, user) is not allowed, (action, resource, field, role)


def test_a_fact_checker_recording_an_archived_unmonitored_source_gets_403_naming_the_fields(fact_checker) -> None:
    api = token_client(fact_checker)
    body = {"name": "SANA", "kind": "web", "url": "https://sana.example/a", "is_archived": True, "is_monitored": False}
    response = api.post("/api/sources/", body, format="json")
    assert response.status_code == 403, response.content
    assert sorted(e["field"] for e in response.json()["errors"]) == ["is_archived", "is_monitored"]
    # the same source without them, or with their defaults, is recorded
    body.update(is_archived=False, is_monitored=True)
    assert api.post("/api/sources/", body, format="json").status_code == 201


def test_the_schema_says_who_may_set_each_field(editor) -> None:
    schema = token_client(editor).get("/api/schema/", {"format": "json"}).json()
    source = schema["components"]["schemas"]["SourceRequest"]["properties"]
    assert "on create `claims.change_source`" in source["is_archived"]["description"]
    assert "on create `claims.add_source`" in source["name"]["description"]


@pytest.fixture
def plain_static(settings) -> None:  # type: ignore[no-untyped-def]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_the_admin_shows_a_fact_checker_the_editors_fields_read_only(plain_static, fact_checker, client) -> None:
    client.force_login(fact_checker)
    html = client.get(reverse("admin:claims_source_add")).content.decode()
    assert 'name="name"' in html
    for field in ("is_archived", "is_monitored", "check_interval"):
        assert f'name="{field}"' not in html
