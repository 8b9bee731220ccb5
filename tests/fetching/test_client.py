"""The fetcher against real local servers: limits, conditional requests, politeness, walls."""

from __future__ import annotations

import pytest

from claims import fetching
from claims.fetching import politeness
from tests.fetching.servers import Page, PageServer, article


@pytest.fixture
def allowed(settings, pages):  # type: ignore[no-untyped-def]
    settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{pages.port}"]
    return pages


def test_endless_body_is_cut_at_the_size_cap(allowed) -> None:
    # given a server that streams bytes forever without a Content-Length
    url = allowed.set("/huge", endless=True)

    # when / then
    with pytest.raises(fetching.FetchTooLarge, match="limit"):
        fetching.fetch(url)


def test_declared_oversize_body_is_not_read(allowed, settings) -> None:
    url = allowed.set("/big", body=b"x" * (settings.FETCH_MAX_BYTES + 1))

    with pytest.raises(fetching.FetchTooLarge, match="not read"):
        fetching.fetch(url)


def test_slow_answer_hits_the_total_timeout(allowed, settings) -> None:
    settings.FETCH_TOTAL_TIMEOUT = 0.5
    url = allowed.set("/slow", body=article(), delay=5)

    with pytest.raises(fetching.FetchTooSlow, match=r"Too slow: nothing complete within 0\.5 s"):
        fetching.fetch(url)


def test_conditional_request_gets_304(allowed) -> None:
    # given a page with an ETag and a Last-Modified date
    url = allowed.set(
        "/story",
        Page(
            body=article(),
            etag='"v1"',
            headers={"Content-Type": "text/html", "Last-Modified": "Tue, 03 Dec 2024 10:00:00 GMT"},
        ),
    )
    first = fetching.fetch(url)

    # when we ask again with what it told us
    second = fetching.fetch(url, etag=first.headers["etag"], last_modified=first.headers["last-modified"])

    # then
    assert first.status == 200
    assert second.status == 304
    sent = allowed.request_headers["/story"][1]
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Tue, 03 Dec 2024 10:00:00 GMT"


def test_redirects_are_followed_and_reported(allowed) -> None:
    allowed.set("/new", body=article())
    url = allowed.redirect("/old", "/new", status=301)

    response = fetching.fetch(url)

    assert response.status == 200
    assert response.url == allowed.url("/new")
    assert response.redirects == [allowed.url("/new")]


def test_proxy_environment_is_ignored(allowed, monkeypatch) -> None:
    # given proxy variables pointing nowhere useful
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    url = allowed.set("/story", body=article())

    # when / then: the page still comes straight from the server
    assert fetching.fetch(url).status == 200


def test_spacing_is_shared_and_a_far_turn_defers(settings) -> None:
    # given a spacing longer than a worker may sleep, and one fetch that took the site's slot
    settings.FETCH_MIN_SPACING = 3600.0
    politeness.wait_for_turn("127.0.0.1")

    # when a second fetch (any worker: the schedule is in the shared cache) asks for a turn
    with pytest.raises(politeness.HostBusy) as busy:
        politeness.wait_for_turn("127.0.0.1")

    # then it is told to come back after about a spacing, and other sites are unaffected
    assert 3500 < busy.value.retry_after <= 3600
    politeness.wait_for_turn("localhost")


def test_retry_after_pauses_the_site_for_every_worker(allowed) -> None:
    # given a site that answers 429 with Retry-After
    url = allowed.set("/story", status=429, body=b"slow down", headers={"Retry-After": "120"})
    assert fetching.fetch(url).status == 429

    # when another fetch to the same site comes along
    with pytest.raises(politeness.HostBusy) as busy:
        fetching.fetch(url)

    # then it is refused before connecting, for about the time the site asked
    assert allowed.hits["/story"] == 1
    assert 100 < busy.value.retry_after <= 120


def test_repeated_429_without_retry_after_pauses_the_site(allowed) -> None:
    url = allowed.set("/story", status=429, body=b"slow down")
    fetching.fetch(url)
    fetching.fetch(url)

    with pytest.raises(politeness.HostBusy):
        fetching.fetch(url)
    assert allowed.hits["/story"] == 2


@pytest.mark.parametrize(
    ("status", "headers", "body"),
    [
        (403, {"cf-mitigated": "challenge"}, b"<title>Just a moment...</title>"),
        (503, {}, b"<html><title>Just a moment...</title><script src='/cdn-cgi/challenge-platform/x'></script>"),
        (403, {}, b"<div id='cf-chl-widget'></div>"),
        (401, {"WWW-Authenticate": "Basic"}, b"login"),
        (200, {"cf-mitigated": "challenge"}, b"<p>checking</p>"),
    ],
)
def test_bot_and_login_walls_are_recognised(status: int, headers: dict[str, str], body: bytes) -> None:
    assert fetching.detect_wall(status, {k.lower(): v for k, v in headers.items()}, body)


@pytest.mark.parametrize(("status", "body"), [(404, b"Just a moment..."), (503, b"maintenance"), (200, b"<p>news</p>")])
def test_ordinary_answers_are_not_walls(status: int, body: bytes) -> None:
    assert fetching.detect_wall(status, {}, body) is None


def test_main_text_is_extracted_and_normalised() -> None:
    html = article("The opposition \u201cretreated\u201d   20km \u2013 officials said.")

    text = fetching.extract_main_text(html, "text/html; charset=utf-8")

    assert 'The opposition "retreated" 20km - officials said.' in text
    assert "Copyright" not in text  # boilerplate dropped
    assert fetching.text_hash(text) == fetching.text_hash(fetching.extract_main_text(html, "text/html"))


def test_images_are_unreadable() -> None:
    with pytest.raises(fetching.UnreadableContent):
        fetching.extract_main_text(b"\x89PNG...", "image/png")


def test_a_fetch_asked_to_stay_on_site_stops_at_a_redirect_to_another_site(allowed, settings) -> None:
    # given a page that now redirects to another (reachable, allowed) site
    with PageServer() as other:
        settings.FETCH_ALLOWED_HOSTS = [*settings.FETCH_ALLOWED_HOSTS, f"localhost:{other.port}"]
        other.set("/new-home", body=article())
        url = allowed.redirect("/story", other.url("/new-home", host="localhost"), status=301)

        # when
        response = fetching.fetch(url, stop_at_other_site=True)

        # then: where it went is known without fetching the other site's page
        assert response.status == 301
        assert response.moved_to == other.url("/new-home", host="localhost")
        assert other.connections == 0


def test_a_fetch_that_stays_on_site_still_refuses_a_redirect_to_an_unsafe_address(allowed, forbidden) -> None:
    url = allowed.redirect("/story", forbidden.url("/admin", host="localhost"))

    with pytest.raises(fetching.FetchBlocked) as refused:
        fetching.fetch(url, stop_at_other_site=True)
    assert forbidden.connections == 0
    destination = forbidden.url("/admin", host="localhost")
    assert str(refused.value).startswith(
        f"The page redirected from {url} to {destination}; the hop was refused because localhost is not a public address"
    )
    assert (refused.value.url, refused.value.status) == (destination, 302)


def test_the_classified_answer_keeps_the_refused_hop_and_its_status(allowed, forbidden) -> None:
    url = allowed.redirect("/story", forbidden.url("/admin"), status=301)

    result = fetching.fetch_page(url)

    assert result.answer == fetching.Answer.BLOCKED
    assert (result.url, result.status) == (forbidden.url("/admin"), 301)
    assert "because 127.0.0.1 is not a public address" in result.reason
    assert forbidden.connections == 0
