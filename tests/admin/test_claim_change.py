"""The claim change page: plain edits, status changes through the service, and bad input refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, Evidence, Source, StatusChange
from claims.services.review import claim_flag_for_review
from claims.services.status import claim_change_status
from tests.admin.conftest import change_form, form_data, inline_rows, messages_of
from tests.factories import ClaimFactory, EvidenceFactory, OrganisationFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def change_url(claim: Claim) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def snapshot(claim: Claim) -> dict:
    """The stored row, to compare before and after a refused save."""
    return Claim.objects.filter(pk=claim.pk).values().get()


def errors_of(response) -> dict:
    form = response.context["adminform"].form
    return {name: " ".join(errs) for name, errs in form.errors.items()}


@pytest.fixture
def claim() -> Claim:
    return ClaimFactory(status=Claim.Status.UNCONFIRMED, text="Opposition fighters retreated some 20 km from Hama.")


@pytest.fixture
def independent_support(claim) -> Evidence:
    return EvidenceFactory(
        claim=claim, source=SourceFactory(publisher=OrganisationFactory(name="Reuters")), role="supports"
    )


def test_change_page_shows_status_section_evidence_and_history(editor_client, claim):
    EvidenceFactory(claim=claim, quote="retreated some 20km")
    response = editor_client.get(change_url(claim))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="new_status"' in html
    assert 'name="rationale"' in html
    assert f'name="version" value="{claim.version}"' in html
    # The status itself is shown, never an editable field.
    assert 'name="status"' not in html
    assert "status-badge status-unconfirmed" in html
    assert "retreated some 20km" in html
    assert "Recorded." in html  # the history row from the factory


def test_plain_edit_saves_through_the_service_and_bumps_the_version(editor_client, claim):
    data = change_form(editor_client, change_url(claim), text="Opposition fighters retreated about 20 km from Hama.")
    response = editor_client.post(change_url(claim), data)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.text == "Opposition fighters retreated about 20 km from Hama."
    assert claim.version == 2
    assert claim.status == Claim.Status.UNCONFIRMED


def test_status_change_writes_history_with_user_and_rationale(editor_client, editor, claim, independent_support):
    version = Claim.objects.get(pk=claim.pk).version
    data = change_form(
        editor_client, change_url(claim), "_continue", new_status="confirmed", rationale="Reuters saw the front line."
    )
    response = editor_client.post(change_url(claim), data, follow=True)
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.status == Claim.Status.CONFIRMED
    assert claim.version == version + 1
    change = claim.history.first()
    assert (change.from_status, change.to_status) == ("unconfirmed", "confirmed")
    assert change.changed_by == editor
    assert change.rationale == "Reuters saw the front line."
    assert change.via == StatusChange.Via.ADMIN
    # The history on the page shows who, when, from, to, why and how.
    latest = inline_rows(response, "history-group")[0]
    assert latest["changed_at"]
    assert {k: latest[k] for k in ["who", "from_status", "to_status", "rationale", "via"]} == {
        "who": "editor",
        "from_status": "Unconfirmed",
        "to_status": "Confirmed",
        "rationale": "Reuters saw the front line.",
        "via": "Admin",
    }
    assert "Status changed to confirmed." in " ".join(messages_of(response))


def test_status_change_without_rationale_is_a_form_error(editor_client, claim, independent_support):
    before = snapshot(claim)
    data = change_form(editor_client, change_url(claim), new_status="confirmed", rationale="  ")
    response = editor_client.post(change_url(claim), data)
    assert response.status_code == 200
    assert "rationale is required" in errors_of(response)["rationale"]
    assert snapshot(claim) == before
    assert claim.history.count() == 1


def test_confirmed_without_independent_source_is_refused_on_the_status_field(editor_client, claim):
    # The only source is the claimant's own.
    EvidenceFactory(claim=claim, source=SourceFactory(publisher=claim.claimant), role="supports")
    before = snapshot(claim)
    data = change_form(editor_client, change_url(claim), new_status="confirmed", rationale="Looks right.")
    response = editor_client.post(change_url(claim), data)
    assert response.status_code == 200
    assert "other than the claimant" in errors_of(response)["new_status"]
    assert snapshot(claim) == before


def test_unknown_status_is_a_form_error(editor_client, claim):
    before = snapshot(claim)
    data = change_form(editor_client, change_url(claim), new_status="probably", rationale="Why not.")
    response = editor_client.post(change_url(claim), data)
    assert response.status_code == 200
    assert "Select a valid choice" in errors_of(response)["new_status"]
    assert snapshot(claim) == before


def test_over_long_claim_text_is_a_form_error(editor_client, claim):
    before = snapshot(claim)
    data = change_form(editor_client, change_url(claim), text="x" * 1001)
    response = editor_client.post(change_url(claim), data)
    assert response.status_code == 200
    assert "at most 1000 characters" in errors_of(response)["text"]
    assert snapshot(claim) == before


def test_stale_edit_is_refused_and_names_who_changed_it(editor_client, claim, independent_support):
    # given: the editor opens the claim, then a colleague changes its status
    data = change_form(editor_client, change_url(claim), text="My edit, made on the old version.")
    colleague = UserFactory(username="amira", first_name="Amira", last_name="Haddad")
    claim_change_status(
        claim_id=claim.pk,
        to_status="disputed",
        rationale="AFP disagrees.",
        user=colleague,
        expected_version=None,
        via="api",
    )
    before = snapshot(claim)
    # when
    response = editor_client.post(change_url(claim), data)
    # then
    assert response.status_code == 200
    message = " ".join(response.context["adminform"].form.non_field_errors())
    assert "Someone else changed this claim since you opened it" in message
    assert "Amira Haddad set it to disputed" in message
    assert "Nothing was saved" in message
    assert snapshot(claim) == before


def test_rationale_without_a_new_status_is_a_form_error(editor_client, claim):
    before = snapshot(claim)
    data = change_form(editor_client, change_url(claim), rationale="Forgot to pick one.")
    response = editor_client.post(change_url(claim), data)
    assert response.status_code == 200
    assert "Choose the new status" in errors_of(response)["new_status"]
    assert snapshot(claim) == before


def _add_evidence_row(data: dict, source_id: int, role: str, quote: str = "") -> None:
    index = int(data["evidence-TOTAL_FORMS"])
    data.update(
        {
            f"evidence-{index}-source": str(source_id),
            f"evidence-{index}-role": role,
            f"evidence-{index}-quote": quote,
            f"evidence-{index}-note": "",
            f"evidence-{index}-id": "",
            f"evidence-{index}-claim": str(data.get("evidence-0-claim", "")),
            "evidence-TOTAL_FORMS": str(index + 1),
        }
    )


def test_adding_an_independent_source_and_confirming_in_one_save(editor_client, editor, claim):
    source = SourceFactory(publisher=OrganisationFactory(name="AFP"))
    data = change_form(editor_client, change_url(claim), new_status="confirmed", rationale="AFP saw it too.")
    _add_evidence_row(data, source.pk, "supports", "fighters pulled back 20 km")
    response = editor_client.post(change_url(claim), data)
    assert response.status_code == 302, errors_of(response)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.CONFIRMED
    evidence = claim.evidence.get(source=source)
    assert evidence.added_by == editor
    assert evidence.quote == "fighters pulled back 20 km"


def test_adding_the_claimants_own_source_does_not_allow_confirming(editor_client, claim):
    own = SourceFactory(publisher=claim.claimant)
    before = snapshot(claim)
    data = change_form(editor_client, change_url(claim), new_status="confirmed", rationale="Own word.")
    _add_evidence_row(data, own.pk, "supports")
    response = editor_client.post(change_url(claim), data)
    assert response.status_code == 200
    # Judged once, with the source being added: refused on the status field like any other confirmation.
    assert "other than the claimant" in errors_of(response)["new_status"]
    assert snapshot(claim) == before
    assert not claim.evidence.filter(source=own).exists()


def test_removing_the_source_a_confirmed_status_rests_on_is_refused(editor_client, claim, independent_support):
    claim_change_status(
        claim_id=claim.pk, to_status="confirmed", rationale="Reuters.", user=None, expected_version=None, via="api"
    )
    before = snapshot(claim)
    data = change_form(editor_client, change_url(claim), **{"evidence-0-DELETE": "on"})
    response = editor_client.post(change_url(claim), data)
    assert response.status_code == 200
    assert Evidence.objects.filter(pk=independent_support.pk).exists()
    assert snapshot(claim) == before


def test_unconfirming_and_removing_the_source_in_one_save(editor_client, claim, independent_support):
    claim_change_status(
        claim_id=claim.pk, to_status="confirmed", rationale="Reuters.", user=None, expected_version=None, via="api"
    )
    data = change_form(
        editor_client,
        change_url(claim),
        new_status="unconfirmed",
        rationale="Reuters withdrew the report.",
        **{"evidence-0-DELETE": "on"},
    )
    response = editor_client.post(change_url(claim), data)
    assert response.status_code == 302, errors_of(response)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNCONFIRMED
    assert not Evidence.objects.filter(pk=independent_support.pk).exists()


def test_history_inline_is_read_only(editor_client, claim):
    response = editor_client.get(change_url(claim))
    history = next(f for f in response.context["inline_admin_formsets"] if f.opts.model is StatusChange)
    assert not history.has_add_permission
    assert not history.has_change_permission
    assert not history.has_delete_permission


def test_users_without_change_claim_status_get_no_status_fields(viewer_client, checker_client, claim):
    for client in (viewer_client, checker_client):
        html = client.get(change_url(claim)).content.decode()
        assert 'name="new_status"' not in html


def test_editor_without_status_permission_cannot_post_a_status(editor_client, editor, claim, independent_support):
    # An editor account stripped of the status permission posts the field anyway.
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="change_claim"))
    editor.groups.clear()
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_claim", "view_evidence", "view_statuschange"])
    )
    data = change_form(editor_client, change_url(claim))
    data.update(new_status="confirmed", rationale="Sneaky.")
    response = editor_client.post(change_url(claim), data)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNCONFIRMED


def test_adding_a_claim_records_it_unverified_with_its_first_history_entry(editor_client, editor):
    claimant = OrganisationFactory(name="Ministry of Defence")
    source = SourceFactory()
    add_url = reverse("admin:claims_claim_add")
    data = form_data(editor_client.get(add_url), "claim_form")
    assert "new_status" not in data and "version" not in data
    data.update(
        {
            "text": "Five drones were shot down overnight.",
            "claimant": str(claimant.pk),
            "evidence-TOTAL_FORMS": "1",
            "evidence-0-source": str(source.pk),
            "evidence-0-role": "made",
            "evidence-0-quote": "five drones",
            "_save": "Save",
        }
    )
    response = editor_client.post(add_url, data)
    assert response.status_code == 302, errors_of(response)
    claim = Claim.objects.get(text="Five drones were shot down overnight.")
    assert (claim.status, claim.created_by) == (Claim.Status.UNVERIFIED, editor)
    assert claim.history.get().via == StatusChange.Via.ADMIN
    assert claim.evidence.get().added_by == editor


def test_correcting_a_quote_sends_it_back_to_not_checked_yet(editor_client, claim):
    # given: a re-check found the quote missing (the editor had mistyped it)
    evidence = EvidenceFactory(
        claim=claim,
        role="made",
        quote="fighters retreated some 200km",
        quote_state=Evidence.QuoteState.MISSING,
        quote_change="",
    )
    other = EvidenceFactory(claim=claim, role="made", quote="as it was", quote_state=Evidence.QuoteState.INTACT)
    # when the editor corrects the quote
    data = change_form(editor_client, change_url(claim), **{"evidence-0-quote": "fighters retreated some 20km"})
    response = editor_client.post(change_url(claim), data)
    # then the old verdict no longer stands for the new words: the next re-check judges them
    assert response.status_code == 302, errors_of(response)
    evidence.refresh_from_db()
    assert (evidence.quote, evidence.quote_state, evidence.quote_change) == (
        "fighters retreated some 20km",
        Evidence.QuoteState.UNCHECKED,
        "",
    )
    other.refresh_from_db()
    assert other.quote_state == Evidence.QuoteState.INTACT


def test_stale_edit_after_a_recheck_flag_says_a_recheck_flagged_it(editor_client, claim):
    # given: the editor opens the claim, then a re-check flags it (which bumps the version)
    data = change_form(editor_client, change_url(claim), text="My edit, made before the flag.")
    claim_flag_for_review(
        claim_id=claim.pk, reason='Re-check of "SANA": the quoted passage was edited (figure changed).'
    )
    # when
    response = editor_client.post(change_url(claim), data)
    # then: the editor learns it was a re-check, and what it found, not just "someone"
    assert response.status_code == 200
    message = " ".join(response.context["adminform"].form.non_field_errors())
    assert "a re-check flagged it for review" in message
    assert "the quoted passage was edited (figure changed)" in message
    assert "Nothing was saved" in message


def test_evidence_from_a_source_without_url_offers_no_recheck_or_diff(editor_client, claim):
    EvidenceFactory(claim=claim, source=SourceFactory(kind="statement", url=""), role="made")
    response = editor_client.get(change_url(claim))
    row = inline_rows(response, "evidence-group")[0]
    assert row["source_check"] == "no URL: not re-checked"
    assert reverse("admin:claims_source_diff", args=[claim.evidence.get().source_id]) not in response.content.decode()


def test_claims_offer_archiving_not_a_delete_that_always_fails(editor_client, claim):
    # Every claim has status history, which is append-only: a delete could never succeed.
    page = editor_client.get(change_url(claim)).content.decode()
    assert reverse("admin:claims_claim_delete", args=[claim.pk]) not in page
    listing = editor_client.get(reverse("admin:claims_claim_changelist"))
    assert "delete_selected" not in listing.content.decode()
    assert editor_client.post(reverse("admin:claims_claim_delete", args=[claim.pk]), {"post": "yes"}).status_code == 403
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_a_quote_added_or_corrected_is_checked_at_the_next_sweep_not_hours_later(editor_client, claim):
    # given: a web source already checked (its next check hours away) and one without a URL
    later = timezone.now() + timedelta(hours=6)
    checked = SourceFactory(url="https://news.example/hama")
    statement = SourceFactory(kind="statement", url="")
    Source.objects.filter(pk=checked.pk).update(next_check_at=later, last_outcome="changed")
    # when the editor cites it with a quote
    data = change_form(editor_client, change_url(claim))
    _add_evidence_row(data, checked.pk, "made", "fighters retreated some 20km")
    _add_evidence_row(data, statement.pk, "made", "we pushed them back")
    response = editor_client.post(change_url(claim), data)
    # then the source is due at once, so the new quote does not wait for the regular schedule
    assert response.status_code == 302, errors_of(response)
    checked.refresh_from_db()
    assert checked.next_check_at <= timezone.now()
    statement.refresh_from_db()
    assert statement.next_check_at is None
    # and the same when the quote is corrected later
    Source.objects.filter(pk=checked.pk).update(next_check_at=later)
    data = change_form(editor_client, change_url(claim), **{"evidence-0-quote": "fighters retreated some 10km"})
    assert editor_client.post(change_url(claim), data).status_code == 302
    checked.refresh_from_db()
    assert checked.next_check_at <= timezone.now()
