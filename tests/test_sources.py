"""source_create / source_update: one service behind the admin and the API.

Each behaviour is checked through both faces (``face`` fixture): the admin's
change form and the API's PATCH end in the same service, with the same result.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, Evidence, Source
from claims.services.sources import source_create, source_update
from tests.admin.conftest import form_data
from tests.api.conftest import token_client
from tests.factories import ClaimFactory, EvidenceFactory, OrganisationFactory, PersonFactory, SourceFactory

pytestmark = pytest.mark.django_db

Edit = Callable[[Source, dict], None]


@pytest.fixture(autouse=True)
def plain_static(settings) -> None:  # type: ignore[no-untyped-def]
    # Admin pages name static files; the manifest storage needs collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _admin_edit(editor) -> Edit:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(editor)

    def edit(source: Source, changes: dict) -> None:
        page = reverse("admin:claims_source_change", args=[source.pk])
        data = form_data(client.get(page), "source_form")
        data.update({k: ("" if v is None else getattr(v, "pk", v)) for k, v in changes.items()}, _save="Save")
        response = client.post(page, data)
        assert response.status_code == 302, response.context["adminform"].form.errors

    return edit


def _api_edit(editor) -> Edit:  # type: ignore[no-untyped-def]
    client = token_client(editor)

    def edit(source: Source, changes: dict) -> None:
        body = {k: getattr(v, "pk", v) for k, v in changes.items()}
        response = client.patch(f"/api/sources/{source.pk}/", body, format="json")
        assert response.status_code == 200, response.content

    return edit


@pytest.fixture(params=["admin", "api"])
def face(request, editor) -> Edit:  # type: ignore[no-untyped-def]
    return _admin_edit(editor) if request.param == "admin" else _api_edit(editor)


def test_only_the_changed_fields_are_written_so_a_workers_lease_survives(face) -> None:
    # given a source a worker has just leased (after the editor loaded it)
    source = SourceFactory(url="https://news.example/a")
    expires = timezone.now() + timedelta(minutes=5)
    # when the editor changes the notes
    with CaptureQueriesContext(connection) as queries:
        Source.objects.filter(pk=source.pk).update(lease_token="worker-token", lease_expires_at=expires)
        face(source, {"notes": "Checked by phone."})
    # then only the notes were written: the lease is the worker's still
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "claims_source"')]
    assert writes[-1].count('"notes"') == 1 and '"lease_token"' not in writes[-1]
    source.refresh_from_db()
    assert (source.notes, source.lease_token, source.lease_expires_at) == ("Checked by phone.", "worker-token", expires)


def test_a_new_url_forgets_what_the_old_one_answered(face) -> None:
    source = SourceFactory(url="https://news.example/hamma")
    Source.objects.filter(pk=source.pk).update(
        etag='"old"', content_hash="a" * 64, consecutive_failures=3, consecutive_gone=2,
        next_check_at=timezone.now() + timedelta(hours=20),
    )  # fmt: skip
    face(source, {"url": "https://news.example/hama"})
    source.refresh_from_db()
    assert (source.url, source.etag, source.content_hash) == ("https://news.example/hama", "", "")
    assert (source.consecutive_failures, source.consecutive_gone) == (0, 0)
    assert source.next_check_at is not None and source.next_check_at <= timezone.now()


def test_other_edits_keep_the_validators_and_counters(face) -> None:
    source = SourceFactory(url="https://news.example/hama")
    Source.objects.filter(pk=source.pk).update(etag='"v1"', consecutive_failures=1)
    face(source, {"name": "Hama report"})
    source.refresh_from_db()
    assert (source.name, source.etag, source.consecutive_failures) == ("Hama report", '"v1"', 1)


def _confirmed_claim_resting_on(source: Source) -> Claim:
    claim = ClaimFactory(claimant=PersonFactory(organisation=OrganisationFactory()), status=Claim.Status.CONFIRMED)
    EvidenceFactory(claim=claim, source=source, role=Evidence.Role.SUPPORTS)
    return claim


def test_a_new_publisher_flags_the_confirmed_claims_the_source_supports(face) -> None:
    # given a confirmed claim resting on the source, and claims it does not decide
    wire = OrganisationFactory(name="Wire agency")
    source = SourceFactory(name="Wire report", publisher=wire)
    resting = _confirmed_claim_resting_on(source)
    unverified = ClaimFactory()
    EvidenceFactory(claim=unverified, source=source, role=Evidence.Role.SUPPORTS)
    elsewhere = _confirmed_claim_resting_on(SourceFactory())
    # when the source turns out to be published by the claimant's own ministry
    face(source, {"publisher": resting.claimant.organisation})
    # then only the claim whose confirmation rests on it is flagged, saying why
    resting.refresh_from_db()
    assert resting.needs_review and resting.status == Claim.Status.CONFIRMED
    assert "Wire report" in resting.review_reason and "Wire agency" in resting.review_reason
    assert "independent" in resting.review_reason
    assert not Claim.objects.filter(pk__in=[unverified.pk, elsewhere.pk], needs_review=True).exists()


def test_saving_without_a_change_writes_nothing(editor) -> None:
    source = SourceFactory(notes="same")
    with CaptureQueriesContext(connection) as queries:
        source_update(source_id=source.pk, user=editor, notes="same", publisher=source.publisher)
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]


def test_create_judges_the_model_rules_and_names_the_field(editor) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        source_create(user=editor, name="No URL", kind=Source.Kind.WEB, url="")
    assert "url" in refused.value.message_dict or "__all__" in refused.value.message_dict
    assert not Source.objects.filter(name="No URL").exists()
