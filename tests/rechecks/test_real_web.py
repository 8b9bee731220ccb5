"""Re-checks against the real web: saved news pages (Arabic and English) and servers that lie or break.

The pages in ``tests/fetching/realpages/`` are real published articles (see
the README there), served byte for byte, or transcoded into the legacy
encodings Arabic sites still use, with the charset declared each way a site
may declare it (or not at all). Each check runs in-process through the same
service the worker calls.
"""

from __future__ import annotations

import gzip
import re
import socket
import time
from pathlib import Path

import pytest

from claims.models import Evidence, Source
from claims.services.checking import source_check_now
from tests.fetching.raw_server import RawServer, head, reset
from tests.fetching.servers import PageServer
from tests.rechecks.stack import MAX_BYTES, TOTAL_TIMEOUT, cite

pytestmark = pytest.mark.django_db

PAGES = Path(__file__).resolve().parents[1] / "fetching" / "realpages"
ARABIC = (PAGES / "arabic.cnn.com-syria-clashes-2013.html").read_bytes()
ENGLISH = (PAGES / "cnn.com-winter-storm.html").read_bytes()
# Sentences of the articles as published (the Arabic one: fighters "took three ammunition depots near Qaldoun").
ARABIC_QUOTE = "سيطروا على ثلاثة مستودعات للذخيرة بالقرب من بلدة قلدون في منطقة القلمون بريف دمشق"
ENGLISH_QUOTE = '"We dodged a bullet," said Steve Cowan, a spokesman for the Pennsylvania Department of Transportation.'
FIGURE_QUOTE = "the more than 43 million Americans expected by AAA to travel over the Thanksgiving holiday weekend"
META_HTTP_EQUIV = re.compile(rb'<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/>', re.IGNORECASE)


def declared(encoding: str, style: str) -> tuple[bytes, dict[str, str]]:
    """The Arabic page in ``encoding``, its charset declared by ``style``: header, meta, http-equiv or none."""
    html = META_HTTP_EQUIV.sub(
        {
            "meta": f'<meta charset="{encoding}">'.encode(),
            "http-equiv": f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">'.encode(),
        }.get(style, b""),
        ARABIC,
    )
    assert html != ARABIC or style == "unchanged"
    body = html.decode("utf-8").encode(encoding, errors="xmlcharrefreplace")
    content_type = f"text/html; charset={encoding}" if style == "header" else "text/html"
    return body, {"Content-Type": content_type}


def check(url: str, quote: str) -> tuple[Source, Evidence]:
    _claim, evidence, source = cite(url, quote)
    check = source_check_now(source_id=source.pk)
    evidence.refresh_from_db()
    source.refresh_from_db()
    return check, evidence


def test_a_real_english_page_keeps_its_quote(pages: PageServer) -> None:
    url = pages.set("/cnn/storm", body=ENGLISH)

    result, evidence = check(url, ENGLISH_QUOTE)

    assert result.outcome in {Source.Outcome.UNCHANGED, Source.Outcome.CHANGED}, result.reason
    assert evidence.quote_state == Evidence.QuoteState.INTACT


@pytest.mark.parametrize(
    ("encoding", "style"),
    [
        ("utf-8", "unchanged"),  # as published: UTF-8 declared in <meta http-equiv>
        ("windows-1256", "header"),
        ("windows-1256", "meta"),
        ("windows-1256", "http-equiv"),
        ("windows-1256", "none"),
        ("iso-8859-6", "header"),
        ("iso-8859-6", "meta"),
        ("iso-8859-6", "http-equiv"),
        ("iso-8859-6", "none"),
    ],
)
def test_a_real_arabic_page_keeps_its_quote_in_every_encoding_and_declaration(
    pages: PageServer, encoding: str, style: str
) -> None:
    body, headers = declared(encoding, style) if style != "unchanged" else (ARABIC, {"Content-Type": "text/html"})
    url = pages.set(f"/cnnarabic/{encoding}/{style}", body=body, headers=headers)

    result, evidence = check(url, ARABIC_QUOTE)

    assert evidence.quote_state == Evidence.QuoteState.INTACT, (result.outcome, result.reason, evidence.quote_change)


def test_a_changed_figure_on_a_real_page_is_named(pages: PageServer) -> None:
    url = pages.set("/cnn/storm", body=ENGLISH)
    _claim, evidence, source = cite(url, FIGURE_QUOTE)
    source_check_now(source_id=source.pk)
    pages.set("/cnn/storm", body=ENGLISH.replace(b"more than 43 million Americans", b"more than 34 million Americans"))

    result = source_check_now(source_id=source.pk)

    evidence.refresh_from_db()
    assert result.outcome == Source.Outcome.CHANGED
    assert evidence.quote_state == Evidence.QuoteState.EDITED
    assert "43" in evidence.quote_change and "34" in evidence.quote_change


def test_a_negation_added_to_a_real_arabic_page_is_named(pages: PageServer) -> None:
    url = pages.set("/cnnarabic/story", body=ARABIC)
    _claim, evidence, source = cite(url, ARABIC_QUOTE)
    source_check_now(source_id=source.pk)
    edited = ARABIC.replace("سيطروا على ثلاثة".encode(), "لم يسيطروا على ثلاثة".encode())
    assert edited != ARABIC
    pages.set("/cnnarabic/story", body=edited)

    source_check_now(source_id=source.pk)

    evidence.refresh_from_db()
    assert evidence.quote_state == Evidence.QuoteState.EDITED
    assert "لم" in evidence.quote_change


def test_a_passage_removed_from_a_real_arabic_page_is_missing(pages: PageServer) -> None:
    url = pages.set("/cnnarabic/story", body=ARABIC)
    _claim, evidence, source = cite(url, ARABIC_QUOTE)
    source_check_now(source_id=source.pk)
    start = ARABIC.index("وقال المرصد السوري".encode())
    end = ARABIC.index("وبحسب المرصد".encode())
    pages.set("/cnnarabic/story", body=ARABIC[:start] + ARABIC[end:])

    source_check_now(source_id=source.pk)

    evidence.refresh_from_db()
    assert evidence.quote_state == Evidence.QuoteState.MISSING


# --- servers that lie or break --------------------------------------------------------------


@pytest.fixture
def raw(settings) -> RawServer:  # type: ignore[no-untyped-def]
    with RawServer() as server:
        settings.FETCH_ALLOWED_HOSTS = [*settings.FETCH_ALLOWED_HOSTS, f"127.0.0.1:{server.port}"]
        yield server


def timed_check(url: str) -> tuple[object, float]:
    _claim, _evidence, source = cite(url)
    started = time.monotonic()
    result = source_check_now(source_id=source.pk)
    return result, time.monotonic() - started


def test_a_gzip_bomb_is_too_large_not_a_memory_blowup(pages: PageServer) -> None:
    # 64 MB of zeros compress to about 64 kB: the cap must count what the page inflates to.
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < MAX_BYTES
    url = pages.set("/bomb", body=bomb, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})

    result, _ = timed_check(url)

    assert result.outcome == Source.Outcome.TOO_LARGE, result.reason


def test_a_content_length_past_the_cap_is_too_large_without_reading(raw: RawServer) -> None:
    def huge(conn: socket.socket) -> None:
        conn.sendall(head(Content_Type="text/html", Content_Length=50 * MAX_BYTES) + b"<html>" + b"x" * 1000)

    result, _ = timed_check(raw.set("/huge", huge))

    assert result.outcome == Source.Outcome.TOO_LARGE, result.reason


def test_a_body_shorter_than_its_content_length_is_an_error_with_a_reason(raw: RawServer) -> None:
    def short(conn: socket.socket) -> None:
        conn.sendall(head(Content_Type="text/html", Content_Length=10_000) + b"<html><p>only this</p>")

    result, elapsed = timed_check(raw.set("/short", short))

    assert result.outcome == Source.Outcome.ERROR
    assert result.reason and "unexpected" not in result.reason.lower(), result.reason
    assert elapsed < TOTAL_TIMEOUT + 5


def test_a_connection_reset_mid_body_is_an_error_with_a_reason(raw: RawServer) -> None:
    def broken(conn: socket.socket) -> None:
        conn.sendall(head(Content_Type="text/html", Content_Length=10_000) + b"<html><p>half a page")
        reset(conn)

    result, _ = timed_check(raw.set("/reset", broken))

    assert result.outcome == Source.Outcome.ERROR
    assert result.reason and "unexpected" not in result.reason.lower(), result.reason


def test_a_server_that_closes_without_answering_is_an_error_with_a_reason(raw: RawServer) -> None:
    result, _ = timed_check(raw.set("/silent", lambda conn: None))

    assert result.outcome == Source.Outcome.ERROR
    assert result.reason and "unexpected" not in result.reason.lower(), result.reason


def test_a_redirect_loop_ends_with_a_reason(pages: PageServer) -> None:
    pages.redirect("/a", pages.url("/b"))
    url = pages.redirect("/b", pages.url("/a"))

    result, _ = timed_check(url)

    assert result.outcome in {Source.Outcome.ERROR, Source.Outcome.MOVED}
    assert "redirect" in result.reason.lower(), result.reason
