"""The browser order for finding a page's encoding: BOM, header, <meta> prescan, detection."""

from __future__ import annotations

import codecs

from claims.fetching import decode_page
from claims.fetching.encodings import meta_charset

ARABIC = "انسحبت قوات المعارضة عشرين كيلومترا من البلدة خلال الليل، بحسب المتحدث العسكري."


def test_a_byte_order_mark_wins_over_every_declaration() -> None:
    body = codecs.BOM_UTF8 + f'<meta charset="windows-1256"><p>{ARABIC}</p>'.encode()

    decoded = decode_page(body, "text/html; charset=koi8-r")

    assert (decoded.encoding, decoded.found_by) == ("utf-8", "byte order mark")
    assert ARABIC in decoded.text


def test_the_header_wins_over_the_meta() -> None:
    body = f'<meta charset="koi8-r"><p>{ARABIC}</p>'.encode("windows-1256")

    decoded = decode_page(body, "text/html; charset=windows-1256")

    assert decoded.found_by == "HTTP header" and ARABIC in decoded.text


def test_an_unknown_or_wrong_header_charset_falls_through_to_the_meta() -> None:
    body = f'<meta charset="windows-1256"><p>{ARABIC}</p>'.encode("windows-1256")

    for header in ("text/html; charset=x-no-such-thing", "text/html; charset=utf-8"):
        decoded = decode_page(body, header)
        assert decoded.found_by == "meta charset" and ARABIC in decoded.text


def test_the_prescan_skips_comments_and_stops_after_1024_bytes() -> None:
    commented = (
        b'<!-- <meta charset="koi8-r"> --><meta http-equiv=content-type content="text/html;charset=windows-1256">'
    )
    late = b"<title>x</title>" + b" " * 1100 + b'<meta charset="windows-1256">'

    assert meta_charset(commented) == ("windows-1256", "meta http-equiv")
    assert meta_charset(late) is None


def test_latin1_labels_read_as_windows_1252_like_browsers() -> None:
    decoded = decode_page("<p>\u201cquoted\u201d</p>".encode("cp1252"), "text/html; charset=iso-8859-1")

    assert decoded.encoding == "cp1252" and "\u201cquoted\u201d" in decoded.text


def test_undeclared_utf8_is_utf8() -> None:
    decoded = decode_page(f"<p>{ARABIC}</p>".encode(), "text/html")

    assert (decoded.encoding, decoded.found_by) == ("utf-8", "detection")
