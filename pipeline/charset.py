"""Decode HTML bytes to text: BOM, then the bytes themselves, then what the page and the server declare.

Order of evidence (first that works wins):

1. a byte-order mark (UTF-8, UTF-16 LE/BE);
2. valid UTF-8 containing non-ASCII sequences (valid UTF-8 by accident is practically impossible, so this
   overrides a wrong ``Content-Type`` or ``<meta charset>``);
3. the ``<meta charset>`` / ``http-equiv`` declaration, then the HTTP ``Content-Type`` charset, each only if the
   bytes decode under it without error (labels mapped the way browsers do: latin-1 → windows-1252,
   gb2312/gbk → gb18030, shift_jis → cp932…);
4. statistical detection (charset_normalizer), accepted when its chaos score is low;
5. UTF-8 with replacement characters when only a few bytes are bad.

Otherwise ``DecodeError`` (the caller reports ``bad_encoding``).
"""
from __future__ import annotations

import codecs
import re

_META_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_RE = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)

# WHATWG encoding-label behaviour for the labels that differ from Python's codecs
_ALIASES = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "l1": "cp1252",
    "us-ascii": "cp1252", "ascii": "cp1252", "windows-1252": "cp1252",
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "chinese": "gb18030",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "ms_kanji": "cp932",
    "windows-31j": "cp932", "x-euc-jp": "euc_jp", "euc-kr": "cp949", "ks_c_5601-1987": "cp949",
    "big5": "big5hkscs", "x-mac-roman": "mac_roman", "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8",
    "iso-8859-9": "cp1254", "tis-620": "cp874", "iso-8859-11": "cp874",
}

MAX_REPLACEMENT_RATIO = 0.002   # more bad bytes than this in "UTF-8" and it is not UTF-8
MAX_CHAOS = 0.15                # charset_normalizer's mess ratio above which we refuse its guess


class DecodeError(ValueError):
    pass


def python_codec(label: str | None) -> str | None:
    """Python codec name for an HTML/HTTP charset label, or None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in ("utf-16", "utf-32", "utf-16-le", "utf-16-be"):  # a declared UTF-16 without BOM in ASCII meta is a lie
        return None
    return name


def declared_charsets(body: bytes, content_type: str | None) -> list[str]:
    """Codecs declared by the page (meta, first 4 KiB) then by the HTTP header, de-duplicated, in that order."""
    out: list[str] = []
    m = _META_RE.search(body[:4096])
    if m:
        c = python_codec(m.group(1).decode("ascii", "ignore"))
        if c:
            out.append(c)
    if content_type:
        m2 = _HEADER_RE.search(content_type)
        if m2:
            c = python_codec(m2.group(1))
            if c and c not in out:
                out.append(c)
    return out


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return ``(text, codec)``; raise ``DecodeError`` when no charset gives sensible text."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom):].decode(codec, "replace"), codec
    ascii_only = body.isascii()
    if not ascii_only:
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    else:
        return body.decode("ascii"), "ascii"
    declared = declared_charsets(body, content_type)
    for codec in declared:
        if codec == "utf-8":
            continue  # already failed strictly above
        try:
            return body.decode(codec), codec
        except UnicodeDecodeError:
            continue
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:200_000]).best()
    except Exception:  # the detector must never take the page down with it
        best = None
    if best is not None and best.chaos <= MAX_CHAOS and best.encoding:
        codec = python_codec(best.encoding) or best.encoding
        try:
            return body.decode(codec, "replace"), codec
        except LookupError:
            pass
    text = body.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    if bad <= max(2, MAX_REPLACEMENT_RATIO * len(text)):
        return text, "utf-8"
    raise DecodeError(f"bytes are not valid in any declared or detected charset ({bad} undecodable sequences as "
                      f"UTF-8; declared: {', '.join(declared) or 'none'})")
