"""Importing hand-made ClaimReview files of each shape through the command, and matching them to claims."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import ExternalFactCheck
from claims.services.intake_factchecks import factchecks_matching

FILES = Path(__file__).parent / "claimreview"
pytestmark = pytest.mark.django_db


def _import(name: str) -> str:
    out = StringIO()
    call_command("import_claimreview", str(FILES / name), stdout=out)
    return out.getvalue()


def test_each_shape_is_read_and_mapped():
    for name in ("single.json", "graph.jsonld", "feed.json"):
        _import(name)
    by_url = {f.review_url: f for f in ExternalFactCheck.objects.all()}
    assert len(by_url) == 4
    single = by_url["https://factcheck.example/hama-retreat"]
    assert (single.publisher, single.claimant, single.rating_label, single.mapped_status) == (
        "Example Fact Check",
        "SANA",
        "Mostly false",
        "disputed",
    )
    assert str(single.published_on) == "2024-12-05"
    assert by_url["https://verify.example/golani-video"].mapped_status == "confirmed"  # "5" of 1..5
    free_text = by_url["https://verify.example/refugees"]
    assert free_text.rating_label.startswith("Needs context") and free_text.mapped_status == ""
    arabic = by_url["https://misbar.example/ar/hama"]
    assert (arabic.publisher, arabic.mapped_status, arabic.language) == ("مسبار", "disputed", "ar")


def test_importing_the_same_file_twice_adds_nothing():
    assert "3 fact-checks imported" not in _import("graph.jsonld")
    assert "0 fact-checks imported, 2 already present" in _import("graph.jsonld")
    assert ExternalFactCheck.objects.count() == 2


def test_rating_map_is_configurable(settings):
    settings.CLAIMREVIEW_RATING_MAP = {"mostly false": "false"}
    _import("single.json")
    assert ExternalFactCheck.objects.get().mapped_status == "false"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not-json.json", "is not JSON (line 1"),
        ("missing-claim.json", "Item 2 (https://bad.example/2): claimReviewed is missing"),
    ],
)
def test_bad_files_are_refused_whole(name, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _import(name)
    assert not ExternalFactCheck.objects.exists()


def test_matching_fact_checks_are_found_for_a_claim():
    _import("single.json")
    _import("feed.json")
    english = factchecks_matching(text="Opposition fighters retreated some 20km from government-held Hama.")
    assert [f.review_url for f, _ in english] == ["https://factcheck.example/hama-retreat"]
    arabic = factchecks_matching(text="قالت سانا إن مقاتلي المعارضة انسحبوا 20 كيلومترا من مدينة حماة")
    assert [f.publisher for f, _ in arabic] == ["مسبار"]
    assert factchecks_matching(text="Opposition fighters retreated some 10km from government-held Hama.") == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"@type": "ClaimReview", "claimReviewed": "a\\u0000b"}', "NUL characters"),
        (b'{"@type": "ClaimReview", "claimReviewed": "a", "reviewRating": {"ratingValue": 1e400}}', "NaN or Infinity"),
        (b'{"@type": "WebPage"}', "No ClaimReview item found"),
    ],
)
def test_what_the_database_cannot_hold_is_refused(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_claimreview", str(path))
    assert not ExternalFactCheck.objects.exists()
