"""Decoding a page the way browsers do, so a page's own encoding is never ignored.

The order (after the WHATWG encoding sniffing algorithm, simplified):
1. a byte order mark (UTF-8, UTF-16 LE/BE);
2. the charset of the HTTP Content-Type header;
3. for HTML, a prescan of the first 1024 bytes for ``<meta charset=...>`` or
   ``<meta http-equiv="Content-Type" content="...; charset=...">``;
4. detection from the bytes themselves (UTF-8 if they are valid UTF-8,
   otherwise charset-normalizer's best guess).
A declaration naming an unknown encoding, or one the bytes are not valid in
(a server that says UTF-8 for a windows-1256 page), is passed over for the
next step rather than decoded into replacement characters.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

PRESCAN_BYTES = 1024
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_COMMENT = re.compile(rb"<!--.*?(?:-->|$)", re.DOTALL)
_META = re.compile(rb"<meta(?=[\s/])([^>]*)>?", re.IGNORECASE)
_ATTRIBUTE = re.compile(rb"""([^\s/>=]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?""")
_CONTENT_CHARSET = re.compile(rb"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
# Labels browsers map to another encoding (WHATWG): Latin-1 and ASCII pages are read as windows-1252,
# and a <meta> cannot switch to UTF-16 (the bytes it was read from are ASCII-compatible).
_BROWSER_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252"}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # Python's codec name, e.g. "cp1256"
    found_by: str  # "byte order mark", "HTTP header", "meta charset", "meta http-equiv", "detection"


def _codec(label: str, how: str) -> str | None:
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    if how.startswith("meta") and name.startswith("utf-16"):
        return "utf-8"
    return _BROWSER_ALIASES.get(name, name)


def header_charset(content_type: str) -> str | None:
    match = _HEADER_CHARSET.search(content_type)
    return match.group(1) if match else None


def meta_charset(head: bytes) -> tuple[str, str] | None:
    """The charset a ``<meta>`` in ``head`` declares, and how ("meta charset" or "meta http-equiv")."""
    for meta in _META.finditer(_COMMENT.sub(b"", head[:PRESCAN_BYTES])):
        attributes: dict[bytes, bytes] = {}
        for name, *values in _ATTRIBUTE.findall(meta.group(1)):
            attributes.setdefault(name.lower(), next((v for v in values if v), b""))
        if attributes.get(b"charset"):
            return attributes[b"charset"].decode("ascii", "replace"), "meta charset"
        if attributes.get(b"http-equiv", b"").lower() == b"content-type":
            found = _CONTENT_CHARSET.search(attributes.get(b"content", b""))
            if found:
                return found.group(1).decode("ascii", "replace"), "meta http-equiv"
    return None


def _try(body: bytes, label: str | None, how: str) -> tuple[str, str] | None:
    codec = _codec(label, how) if label else None
    if codec is None:
        return None
    try:
        return body.decode(codec), codec
    except UnicodeDecodeError:
        return None


def decode_page(body: bytes, content_type: str, *, html: bool = True) -> Decoded:
    """The page's text, decoded by BOM, then header, then (HTML) a <meta> prescan, then detection."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return Decoded(body[len(bom) :].decode(codec, errors="replace"), codec, "byte order mark")
    declared: list[tuple[str | None, str]] = [(header_charset(content_type), "HTTP header")]
    if html:
        meta = meta_charset(body)
        if meta:
            declared.append(meta)
    for label, how in declared:
        decoded = _try(body, label, how)
        if decoded:
            return Decoded(decoded[0], decoded[1], how)
    return _detect(body)


def _detect(body: bytes) -> Decoded:
    try:
        return Decoded(body.decode("utf-8"), "utf-8", "detection")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(body).best()
    if best is not None:
        return Decoded(str(best), best.encoding, "detection")
    return Decoded(body.decode("cp1252", errors="replace"), "cp1252", "detection")
