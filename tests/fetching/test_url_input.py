"""One rule for source URLs: what the fetcher will always refuse is refused at input, with its reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from claims.fetching.urls import url_refusal, validate_fetchable_url
from claims.models import Source
from claims.services.checking import source_check_now
from tests.factories import SourceFactory
from tests.fetching.test_url_safety import UNSAFE_URL_TEMPLATES

UNSAFE_URLS = [template.format(port=8000) for template in UNSAFE_URL_TEMPLATES]


@pytest.mark.parametrize("url", UNSAFE_URLS)
def test_every_url_the_fetcher_refuses_is_refused_by_the_validator_with_the_fetchers_reason(url: str) -> None:
    reason = url_refusal(url)
    assert reason, f"{url} would be stored and then blocked on every check"
    with pytest.raises(ValidationError) as refused:
        validate_fetchable_url(url)
    assert reason in refused.value.messages[0]
    assert "Enter a valid URL" not in refused.value.messages[0]


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://example.com@127.0.0.1/", "user name or password"),
        ("http://127.0.0.1\\@example.com/", "backslash"),
        ("http://127.0.0.1/", "loopback"),
        ("http://2130706433/", "non-canonical"),
        ("ftp://files.example/report.txt", "Only http and https"),
    ],
)
def test_the_reason_names_the_problem(url: str, says: str) -> None:
    assert says in (url_refusal(url) or "")


@pytest.mark.parametrize(
    "url", ["https://sana.sy/en/?p=12345", "http://news.example:8080/a?b=c", "https://xn--mgbh0fb.example/"]
)
def test_public_web_addresses_pass(url: str) -> None:
    assert url_refusal(url) is None
    validate_fetchable_url(url)


def test_an_address_the_fetcher_is_configured_to_reach_passes_input_too(settings) -> None:
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1:8000", "localhost"]
    for url in ("http://127.0.0.1:8000/page", "http://localhost:9000/"):
        validate_fetchable_url(url)
    assert url_refusal("http://127.0.0.1:8001/page")


def test_a_name_without_a_dot_is_refused_as_incomplete() -> None:
    with pytest.raises(ValidationError, match="complete web address"):
        validate_fetchable_url("http://intranet/page")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["http://example.com@127.0.0.1/", "http://127.0.0.1\\@example.com/"])
def test_the_model_refuses_it_and_the_fetcher_blocks_it_with_the_same_reason(url: str) -> None:
    # The model validator (admin, API) and the fetcher (re-checks) are the same rule.
    with pytest.raises(ValidationError) as refused:
        Source(name="Bad", kind=Source.Kind.WEB, url=url).full_clean()
    (message,) = refused.value.message_dict["url"]
    stored = SourceFactory(url=url)  # as rows stored before the rule still hold
    check = source_check_now(source_id=stored.pk)
    assert check is not None and check.outcome == Source.Outcome.BLOCKED
    assert check.reason in message
