"""FETCH_TOTAL_TIMEOUT is a wall-clock deadline, however slowly a server sends its headers or body."""

from __future__ import annotations

import pytest

from claims import fetching
from tests.fetching.servers import Page, PageServer, article

# At 1 byte / 0.05 s the whole answer would take well over a minute; the deadline is 1 s.
SLOW = 0.05


@pytest.fixture
def allowed(settings, pages):  # type: ignore[no-untyped-def]
    settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{pages.port}"]
    settings.FETCH_TOTAL_TIMEOUT = 1.0
    return pages


@pytest.mark.parametrize("part", ["headers", "body"])
def test_a_trickling_sender_is_cut_off_at_the_deadline(allowed: PageServer, part: str) -> None:
    # given a server that sends its headers (or a body with a Content-Length) one byte at a time
    body = article()
    url = allowed.set("/drip", Page(body=body, trickle=part, trickle_every=SLOW))

    # when / then: the fetch ends as too slow, long before the server is done
    with pytest.raises(fetching.FetchTooSlow, match=r"^Too slow: nothing complete within 1 s\.$"):
        fetching.fetch(url)
    assert allowed.trickled["/drip"] < len(body) // 2  # cut off, not waited out


def test_a_trickling_https_body_is_cut_off_too(settings, https_pages: PageServer) -> None:
    settings.FETCH_ALLOWED_HOSTS = [f"localhost:{https_pages.port}"]
    settings.FETCH_TOTAL_TIMEOUT = 1.0
    body = article()
    https_pages.set("/drip", Page(body=body, trickle="body", trickle_every=SLOW))

    with pytest.raises(fetching.FetchTooSlow):
        fetching.fetch(https_pages.url("/drip", host="localhost"))
    assert https_pages.trickled["/drip"] < len(body) // 2


def test_a_trickle_that_finishes_in_time_is_read_whole(allowed: PageServer, settings) -> None:
    # given a short body sent slowly but well within the deadline (12 bytes x 0.01 s against 10 s)
    settings.FETCH_TOTAL_TIMEOUT = 10.0
    url = allowed.set("/short", Page(body=b"<p>ok ok</p>", trickle="body", trickle_every=0.01))
    allowed.pages["/short"].headers = {"Content-Type": "text/html"}

    response = fetching.fetch(url)

    assert response.body == b"<p>ok ok</p>"


def test_the_classified_answer_says_too_slow(allowed: PageServer) -> None:
    url = allowed.set("/drip", Page(body=article(), trickle="headers", trickle_every=SLOW))

    result = fetching.fetch_page(url)

    assert result.answer == fetching.Answer.TOO_SLOW
    assert result.reason == "Too slow: nothing complete within 1 s."
