"""Fixtures for the API tests: token-authenticated clients by role, and claims with evidence."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from claims.models import Claim, Evidence
from claims.services.tokens import token_create
from tests.factories import ClaimFactory, EvidenceFactory, OrganisationFactory, PersonFactory, SourceFactory


@pytest.fixture(autouse=True)
def fresh_throttles(settings) -> None:
    # Throttle counters live in the cache (Redis). A key prefix of its own gives each
    # test fresh counters without flushing a database other test processes share.
    settings.CACHES = {
        name: {**config, "KEY_PREFIX": f"test-api-{uuid.uuid4().hex}"} for name, config in settings.CACHES.items()
    }


def token_client(user: User) -> APIClient:
    client = APIClient()
    _, token = token_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def anon_api() -> APIClient:
    return APIClient()


@pytest.fixture
def editor_api(editor) -> APIClient:
    return token_client(editor)


@pytest.fixture
def checker_api(fact_checker) -> APIClient:
    return token_client(fact_checker)


@pytest.fixture
def viewer_api(viewer) -> APIClient:
    return token_client(viewer)


@pytest.fixture
def claim(db) -> Claim:
    """An unverified claim by a ministry spokesperson, made in the ministry's own statement."""
    ministry = OrganisationFactory(name="Ministry of Defence")
    spokesperson = PersonFactory(name="Ministry spokesperson", organisation=ministry)
    claim = ClaimFactory(text="We captured five fighters near the bridge.", claimant=spokesperson)
    EvidenceFactory(
        claim=claim,
        source=SourceFactory(name="Ministry statement", publisher=ministry, url="https://mod.example/statement"),
        role=Evidence.Role.MADE,
        quote="five fighters were captured",
    )
    return claim


@pytest.fixture
def independent_source(db):
    return SourceFactory(name="Wire agency report", publisher=OrganisationFactory(name="Wire agency"))


def etag_of(client: APIClient, claim_id: int) -> str:
    response = client.get(f"/api/claims/{claim_id}/")
    assert response.status_code == 200, response.content
    return response["ETag"]


def fields_of(response) -> list[str | None]:  # type: ignore[no-untyped-def]
    return [error["field"] for error in response.json()["errors"]]
