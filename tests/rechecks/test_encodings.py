# ruff: noqa: RUF001 (Cyrillic letters that look Latin are the point of these pages)
"""Pages in legacy encodings are read the way browsers read them, so a verbatim quote is found.

Arabic (windows-1256, ISO-8859-6) and Cyrillic (windows-1251, KOI8-R) pages, each
declared in the HTTP header, in <meta charset>, in <meta http-equiv>, or not at all.
"""

from __future__ import annotations

import pytest

from claims import fetching
from claims.models import Evidence
from claims.services.checking import source_check_now
from tests.fetching.servers import PageServer
from tests.rechecks.stack import cite

pytestmark = pytest.mark.django_db

ARABIC_QUOTE = "قال المتحدث العسكري إن قوات المعارضة انسحبت عشرين كيلومترا من البلدة خلال الليل."
ARABIC_MORE = (
    "وأضاف أن خمسة مقاتلين أسروا قرب الجسر يوم الثلاثاء، بحسب بيان نشرته الوزارة بعد الظهر. "
    "ووصف السكان ليلة من القصف في الضواحي، وقالت منظمات الإغاثة إن القوافل تأخرت."
)
CYRILLIC_QUOTE = "Военный представитель заявил, что оппозиция отступила на двадцать километров от города за ночь."
CYRILLIC_MORE = (
    "По его словам, пятеро боевиков были задержаны у моста во вторник, говорится в заявлении министерства. "
    "Жители описали ночь обстрелов на окраинах, а гуманитарные организации сообщили, что колонны задержались."
)
PAGE = """<!doctype html>
<html lang="{lang}" dir="{direction}"><head>{meta}<title>{title}</title></head>
<body><article><h1>{title}</h1><p>{quote}</p><p>{more}</p></article></body></html>
"""
STYLES = ["header", "meta charset", "meta http-equiv", "none"]
CASES = [
    ("windows-1256", "ar", ARABIC_QUOTE, ARABIC_MORE),
    ("iso-8859-6", "ar", ARABIC_QUOTE, ARABIC_MORE),
    ("windows-1251", "ru", CYRILLIC_QUOTE, CYRILLIC_MORE),
    ("koi8-r", "ru", CYRILLIC_QUOTE, CYRILLIC_MORE),
]


def serve(pages: PageServer, path: str, encoding: str, style: str, lang: str, quote: str, more: str) -> str:
    meta = {
        "meta charset": f'<meta charset="{encoding}">',
        "meta http-equiv": f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">',
    }.get(style, "")
    html = PAGE.format(
        lang=lang, direction="rtl" if lang == "ar" else "ltr", meta=meta, title=quote.split()[0], quote=quote, more=more
    )
    content_type = f"text/html; charset={encoding}" if style == "header" else "text/html"
    return pages.set(path, body=html.encode(encoding), headers={"Content-Type": content_type})


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize(("encoding", "lang", "quote", "more"), CASES)
def test_a_verbatim_quote_from_a_legacy_encoded_page_is_intact(
    pages: PageServer, encoding: str, lang: str, quote: str, more: str, style: str
) -> None:
    # given a page in a legacy encoding, declared in one of the ways pages do (or not at all)
    url = serve(pages, "/story", encoding, style, lang, quote, more)
    claim, evidence, _source = cite(url, quote)

    # when it is checked
    check = source_check_now(source_id=_source.pk)

    # then the text was decoded, not stored as mojibake, and the quote is found
    evidence.refresh_from_db()
    claim.refresh_from_db()
    assert check.outcome == "changed", check.reason
    assert quote in check.snapshot.content
    assert evidence.quote_state == Evidence.QuoteState.INTACT
    assert not claim.needs_review


@pytest.mark.parametrize("style", STYLES)
def test_how_the_encoding_was_found_follows_the_browser_order(pages: PageServer, style: str) -> None:
    url = serve(pages, "/story", "windows-1256", style, "ar", ARABIC_QUOTE, ARABIC_MORE)
    result = fetching.fetch_page(url)

    decoded = fetching.decode_page(result.body, result.headers["content-type"])

    assert decoded.encoding == "cp1256"
    assert decoded.found_by == {"none": "detection"}.get(style, style.replace("header", "HTTP header"))
