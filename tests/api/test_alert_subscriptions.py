"""Fact-checkers subscribe themselves to alerts through the API, and see only their own subscriptions."""

from __future__ import annotations

import pytest

from claims.models import AlertSubscription
from tests.api.conftest import fields_of
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_a_fact_checker_subscribes_to_an_article_by_digest(checker_api, fact_checker):
    article = ArticleFactory()
    response = checker_api.post(
        "/api/alert-subscriptions/",
        {"name": "Hama", "channel": "digest", "scope": "article", "article": article.pk},
    )
    assert response.status_code == 201, response.json()
    subscription = AlertSubscription.objects.get(pk=response.json()["id"])
    assert (subscription.user, subscription.article) == (fact_checker, article)
    assert (
        checker_api.patch(
            f"/api/alert-subscriptions/{subscription.pk}/", {"quiet_from": "22:00", "quiet_until": "06:00"}
        ).json()["quiet_until"]
        == "06:00"  # HH:MM both ways: the schema's pattern, not OpenAPI's "time" (which needs an offset)
    )
    assert checker_api.delete(f"/api/alert-subscriptions/{subscription.pk}/").status_code == 204


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "channel": "webhook", "scope": "everything"}, "channel"),
        ({"name": "x", "channel": "email", "scope": "claim"}, "non_field_errors"),
        ({"name": "x", "channel": "email", "scope": "article", "article": 999999}, "article"),
        ({"name": "x", "channel": "email", "scope": "everything", "quiet_from": "22:00:00"}, "quiet_from"),
        ({"name": "x", "channel": "email", "scope": "everything", "quiet_until": "25:00"}, "quiet_until"),
    ],
)
def test_bad_subscriptions_are_400_naming_the_field(checker_api, body, field):
    response = checker_api.post("/api/alert-subscriptions/", body)
    assert response.status_code == 400
    assert field in fields_of(response) or (field == "non_field_errors" and fields_of(response))
    assert not AlertSubscription.objects.exists()


def test_people_see_only_their_own(checker_api, viewer_api, viewer):
    AlertSubscription.objects.create(name="Viewer's", channel="email", user=viewer)
    assert checker_api.get("/api/alert-subscriptions/").json()["results"] == []
    assert [s["name"] for s in viewer_api.get("/api/alert-subscriptions/").json()["results"]] == ["Viewer's"]
    other = AlertSubscription.objects.get()
    assert checker_api.get(f"/api/alert-subscriptions/{other.pk}/").status_code == 404
    assert checker_api.delete(f"/api/alert-subscriptions/{other.pk}/").status_code == 404


def test_anonymous_requests_are_refused(anon_api):
    assert anon_api.get("/api/alert-subscriptions/").status_code == 401
