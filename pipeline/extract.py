"""Extraction: raw page bytes → article fields (title, text, authors, dates, …) or a reason why there is no article.

``extract(body, url, headers, settings)`` never raises on content; it returns an ``Extraction`` whose ``status`` is
``"ok"`` or one of the reason codes below (``error`` then carries a human-readable message).

Reason codes, in the order they are checked:

- ``empty``          zero bytes or only whitespace
- ``too_large``      more than ``processing.extraction.max_bytes`` (rejected without parsing)
- ``http_error``     the fetch returned an HTTP status ≥ 400
- ``not_html``       the server says it is not HTML, or the bytes carry no HTML markup
- ``binary``         image/PDF/archive signatures or NUL bytes
- ``bad_encoding``   no charset turns the bytes into sensible text
- ``parse_error``    lxml could not build a tree
- ``error_page``     the page's title says "not found"/"error" and there is little text
- ``not_article``    navigation/index page: mostly links and little article text, or nothing extractable
- ``too_short``      article text shorter than ``min_text_chars`` (``min_text_chars_cjk`` for CJK scripts)

Text is trafilatura's main-content extraction (favouring recall by default, see docs/processing.md), with paragraphs
separated by a blank line. Dates come from the page's explicit metadata (``article:published_time``, JSON-LD
``datePublished``, ``<time datetime>``…) and fall back to htmldate through trafilatura.

A site with a rule in ``processing.extraction.site_rules`` (``pipeline.siterules``) has the elements it names dropped
first, and the fields its selectors find take the place of the generic ones.
"""
from __future__ import annotations

import datetime as dt
import functools
import html as htmllib   # `html` names the decoded page in extract()
import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

import trafilatura
from lxml import etree
from trafilatura.settings import Document
from trafilatura.utils import load_html

from pipeline import scriptdata, siterules, splitbody
from pipeline.charset import DecodeError, decode_html
from pipeline.names import unaccented
from pipeline.settings.processing import TITLE_SOURCES, ExtractionSettings, tag_key
from pipeline.wording import counted

log = logging.getLogger("newsetl.extract")

EXTRACT_REASONS = ("empty", "too_large", "http_error", "not_html", "binary", "bad_encoding", "parse_error",
                   "error_page", "not_article", "too_short")

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"\xff\xd8\xff", "JPEG image"), (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"), (b"%PDF-", "PDF document"), (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"), (b"BM", None), (b"RIFF", "RIFF media"), (b"\x00\x00\x01\x00", "icon"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"), (b"Rar!", "RAR archive"), (b"\x7fELF", "executable"),
    (b"OggS", "Ogg media"), (b"ID3", "MP3 audio"), (b"wOFF", "web font"), (b"wOF2", "web font"),
)
_HTML_RE = re.compile(r"<(?:!doctype\s+html|html|head|body|title|meta|p|div|article|main|h1|br|span|a)[\s/>]", re.I)
_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml", "application/octet-stream",
               "text/plain")
_ERROR_TITLE_RE = re.compile(
    r"\b(404|403|410|500|502|503|not found|page not found|error|access denied|forbidden|seite nicht gefunden|"
    r"page introuvable|erreur|página no encontrada|pagina non trovata|страница не найдена)\b", re.I)
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_WS_RE = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")


@dataclass
class Extraction:
    status: str = "ok"
    error: str | None = None
    title: str | None = None
    text: str = ""
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None
    modified_at: str | None = None
    site_name: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    canonical_url: str | None = None
    top_image: str | None = None
    declared_languages: list[str] = field(default_factory=list)   # html lang, Content-Language, og:locale
    encoding: str | None = None
    link_density: float | None = None
    rule_misses: list[str] = field(default_factory=list)   # fields whose site-rule selector matched nothing
    access: str | None = None     # free | metered | paywalled as the page declares it, None when it does not

    def failed(self, status: str, error: str) -> "Extraction":
        self.status, self.error = status, error
        return self


# ---------------------------------------------------------------- helpers


def _clean(s: Any) -> str | None:
    if s is None:
        return None
    s = _WS_RE.sub(" ", str(s)).strip()
    return s or None


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _metas_named(metas: list, name: str) -> list:
    """The <meta> elements of ``metas`` whose ``property`` or ``name`` is ``name`` with ASCII letters in any case, or
    whose ``itemprop`` is ``name``, in their order. (An XPath query per name walked the whole tree each time; a page's
    <meta> elements are listed once, by ``tree.iter("meta")``.)"""
    def named(el) -> bool:
        prop, nm = el.get("property"), el.get("name")
        return ((prop is not None and prop.translate(_ASCII_LOWER) == name)
                or (nm is not None and nm.translate(_ASCII_LOWER) == name) or el.get("itemprop") == name)

    return [el for el in metas if named(el)]


def _meta(tree, *names: str) -> str | None:
    """First non-empty <meta property|name|itemprop=... content> among names (case-insensitive)."""
    metas = list(tree.iter("meta"))
    for name in names:
        for el in _metas_named(metas, name):
            v = _clean(el.get("content"))
            if v:
                return v
    return None


# an XHTML habit: the script's JSON wrapped in a CDATA section behind comment marks ("//<![CDATA[" … "//]]>")
_CDATA_OPEN = re.compile(r"^(?://|/\*)?\s*<!\[CDATA\[\s*(?:\*/)?")
_CDATA_CLOSE = re.compile(r"(?://|/\*)?\s*\]\]>\s*(?:\*/)?$")


_JSON_LD_SCRIPTS = etree.XPath("//script[@type='application/ld+json']")


def _json_ld(scripts: list) -> list[dict]:
    """The objects of the page's JSON-LD ``scripts`` (``_JSON_LD_SCRIPTS``), those of ``@graph``, ``mainEntity`` and
    ``mainEntityOfPage`` too; a script that does not parse is skipped."""
    out: list[dict] = []

    def walk(node):
        if isinstance(node, list):
            for x in node:
                walk(x)
        elif isinstance(node, dict):
            out.append(node)
            if "@graph" in node:
                walk(node["@graph"])
            for k in ("mainEntity", "mainEntityOfPage"):
                if isinstance(node.get(k), dict):
                    walk(node[k])

    for el in scripts:
        raw = (el.text or "").strip()
        if raw.startswith(("//", "/*", "<![")):
            raw = _CDATA_CLOSE.sub("", _CDATA_OPEN.sub("", raw)).strip()
        if not raw:
            continue
        try:
            walk(json.loads(raw))
        except ValueError:
            continue
    return out


# A JSON-LD block this long is read by ``_json_ld`` alone. trafilatura reads the page's JSON-LD again for its own
# metadata, and where its clean-up of the script breaks the JSON (it strips backslash escapes before ``json.loads``)
# it falls back to regular expressions over the whole block, one author at a time: The Mirror's live blog in the
# fundus corpus, 841 KB of JSON-LD, cost it 2.2 s a pass (7 % of extracting the 258 pages). The other pages' blocks
# are under 35 KB.
JSON_LD_MAX_CHARS = 100_000


def _drop_big_json_ld(scripts: list) -> None:
    """Take those of the JSON-LD ``scripts`` longer than ``JSON_LD_MAX_CHARS`` out of their tree (read by
    ``_json_ld`` before); the text after each stays."""
    for el in scripts:
        if len(el.text or "") > JSON_LD_MAX_CHARS:
            el.drop_tree()


_ARTICLE_TYPES = ("article", "newsarticle", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                  "opinionnewsarticle", "liveblogposting", "webpage", "report", "backgroundnewsarticle")


def _ld_types(node: dict) -> list[str]:
    t = node.get("@type")
    if isinstance(t, str):
        return [t.lower()]
    if isinstance(t, list):
        return [str(x).lower() for x in t]
    return []


# ------------------------------------------------------------- access (free, metered, paywalled)

# the meta tags that name a content tier (property or name): Open Graph's article:content_tier, and the spellings
# Le Monde (og:article:content_tier) and the Washington Post (article_content_tier) use beside it
_TIER_METAS = ("article:content_tier", "og:article:content_tier", "article_content_tier")
_TIER_ACCESS = {"free": "free", "metered": "metered", "locked": "paywalled"}   # pipeline.schema.ACCESS_VALUES


def _tier_contents(tree) -> list[str]:
    """The ``content`` of the <meta> elements whose ``property`` or ``name`` is one of ``_TIER_METAS`` with ASCII
    letters in any case (one pass over the page's <meta> elements, not an XPath query per name)."""
    def tier_meta(el) -> bool:
        prop, nm = el.get("property"), el.get("name")
        return ((prop is not None and prop.translate(_ASCII_LOWER) in _TIER_METAS)
                or (nm is not None and nm.translate(_ASCII_LOWER) in _TIER_METAS))

    return [el.get("content") for el in tree.iter("meta") if el.get("content") is not None and tier_meta(el)]


def _ld_bool(value: Any) -> bool | None:
    """A schema.org Boolean as pages write it: true/false, the strings "True"/"false" (any case), schema.org's
    ``https://schema.org/True``; None for anything else (a number, another URL, a list, a word)."""
    if isinstance(value, bool):
        return value
    if not isinstance(value, str):
        return None
    v = value.strip().lower()
    v = re.sub(r"^(?:https?://)?schema\.org/", "", v)
    return {"true": True, "false": False}.get(v)


def _free_flags(node: dict) -> list[bool]:
    """The ``isAccessibleForFree`` values of one JSON-LD node (the key in any case: NDR writes
    ``isAccessibleforFree``), readable ones only."""
    return [b for k, v in node.items() if isinstance(k, str) and k.lower() == "isaccessibleforfree"
            for b in [_ld_bool(v)] if b is not None]


# the same property outside JSON-LD: schema.org microdata (itemprop) and RDFa (property); a name is plain, with
# RDFa's "schema:" prefix or schema.org's full URL, in any case, among the attribute's space-separated names
_PROP_XPS = {attr: etree.XPath(f"//@{attr}") for attr in ("itemprop", "property")}


def _free_prop_elements(tree, attr: str) -> list:
    """The elements whose ``attr`` holds "isaccessibleforfree" in any ASCII case, in document order. (The attribute
    values are listed by XPath and matched here: a ``translate()`` test of every element in XPath took 2.6 times as
    long on the fundus pages.)"""
    return [v.getparent() for v in _PROP_XPS[attr](tree) if "isaccessibleforfree" in v.translate(_ASCII_LOWER)]


_SCHEMA_NAME = re.compile(r"^(?:(?:https?://)?schema\.org/|schema:)")


def _schema_names(value: str | None) -> set[str]:
    """The schema.org names in an itemprop/property/itemtype/typeof attribute, lower-cased, their prefix or
    schema.org URL dropped (a name of another vocabulary, ``ex:isAccessibleForFree``, keeps its prefix)."""
    return {_SCHEMA_NAME.sub("", n) for n in (value or "").lower().split()}


def _item_of(el, scope: str):
    """The nearest ancestor of ``el`` that opens an item (has the ``scope`` attribute: itemscope, typeof), or None."""
    return next((a for a in el.iterancestors() if a.get(scope) is not None), None)


def _markup_flags(tree) -> list[bool]:
    """The ``isAccessibleForFree`` values written in microdata or RDFa, of the article or of a part of it.

    Microdata: the property belongs to the nearest ancestor with ``itemscope``; it is read when that item's
    ``itemtype`` is an article type (``_ARTICLE_TYPES``), or the item is the ``hasPart`` of one. RDFa: the same with
    ``typeof`` for ``itemscope``; a property outside any ``typeof`` is said of the document itself, so it is read
    (``<meta property="isAccessibleForFree" content="false">`` in the ``<head>``). The value: the ``content``
    attribute, else the ``href`` (``resource`` in RDFa: ``https://schema.org/False``), else the element's text;
    readable as ``_ld_bool`` reads it. An element that opens an item itself (``itemscope``/``typeof``) holds no
    value. ``itemref`` is not followed."""
    flags: list[bool] = []
    for attr, scope, kind in (("itemprop", "itemscope", "itemtype"), ("property", "typeof", "typeof")):
        for el in _free_prop_elements(tree, attr):
            if "isaccessibleforfree" not in _schema_names(el.get(attr)) or el.get(scope) is not None:
                continue
            owner = _item_of(el, scope)
            if owner is None:
                if attr == "itemprop":         # microdata outside an item: no item has it
                    continue
            elif not _schema_names(owner.get(kind)) & set(_ARTICLE_TYPES):
                if "haspart" not in _schema_names(owner.get(attr)):
                    continue
                whole = _item_of(owner, scope)          # the item the part belongs to
                if whole is None and attr == "itemprop":
                    continue
                if whole is not None and not _schema_names(whole.get(kind)) & set(_ARTICLE_TYPES):
                    continue
            value = el.get("content")
            if value is None:
                value = el.get("href") if attr == "itemprop" else (el.get("resource") or el.get("href"))
            if value is None:
                value = el.text_content()
            b = _ld_bool(value)
            if b is not None:
                flags.append(b)
    return flags


def page_access(tree, ld: list[dict]) -> str | None:
    """How the page declares its article may be read: ``"free"``, ``"metered"``, ``"paywalled"``, or None when it
    declares nothing readable. Never guessed from the text. The declarations read: ``isAccessibleForFree`` of the
    JSON-LD article nodes (``_ARTICLE_TYPES``, ``@graph`` too) and of their ``hasPart`` elements, the same in
    microdata and RDFa (``_markup_flags``), and the meta tag ``article:content_tier`` (free, metered, locked). The
    most restrictive declaration wins, whichever kind of markup says it:

    1. a tier ``locked`` → paywalled;
    2. a tier ``metered`` → metered (a metered page also says ``isAccessibleForFree: false``, as Google asks);
    3. ``isAccessibleForFree: false`` on the article or on a part of it (``hasPart``), in JSON-LD, microdata or
       RDFa → paywalled;
    4. a tier ``free`` or ``isAccessibleForFree: true`` → free.

    Other tier values, and values that are no Boolean (a number, a URL other than schema.org's True/False), count
    as undeclared; JSON-LD that does not parse is not read (``_json_ld``)."""
    tiers = set()
    for content in _tier_contents(tree):
        tier = _TIER_ACCESS.get(content.strip().lower())
        if tier:
            tiers.add(tier)
    flags: list[bool] = []
    for node in ld:
        if not any(t in _ARTICLE_TYPES for t in _ld_types(node)):
            continue
        flags += _free_flags(node)
        parts = node.get("hasPart")
        for part in parts if isinstance(parts, list) else [parts]:
            if isinstance(part, dict):
                flags += _free_flags(part)
    flags += _markup_flags(tree)
    if "paywalled" in tiers:
        return "paywalled"
    if "metered" in tiers:
        return "metered"
    if False in flags:
        return "paywalled"
    if "free" in tiers or True in flags:
        return "free"
    return None


def parse_datetime(value: str | None) -> dt.datetime | None:
    """Parse an ISO-8601-ish date/time as pages write them; None when it is not one."""
    if not value:
        return None
    v = value.strip()
    v = re.sub(r"\s+", " ", v)
    if v.endswith("Z"):
        v = v[:-1] + "+00:00"
    v = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", v)             # +0200 → +02:00
    v = re.sub(r"(\.\d{6})\d+", r"\1", v)                     # too many fractional digits
    try:
        d = dt.datetime.fromisoformat(v)
    except ValueError:
        m = re.match(r"(\d{4})-(\d\d)-(\d\d)", v)
        if not m:
            return None
        try:
            d = dt.datetime(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    if not (1990 <= d.year <= dt.date.today().year + 2):
        return None
    return d


def _iso(d: dt.datetime | None) -> str | None:
    if d is None:
        return None
    if d.tzinfo is None and d.time() == dt.time(0):
        return d.date().isoformat()
    return d.isoformat()


def _explicit_dates(tree, ld: list[dict]) -> tuple[dt.datetime | None, dt.datetime | None]:
    published = modified = None
    for node in ld:
        if not any(t in _ARTICLE_TYPES for t in _ld_types(node)):
            continue
        published = published or parse_datetime(str(node.get("datePublished") or "") or None)
        modified = modified or parse_datetime(str(node.get("dateModified") or "") or None)
    published = published or parse_datetime(_meta(
        tree, "article:published_time", "og:article:published_time", "datepublished", "pubdate", "publishdate",
        "date", "dc.date.issued", "dc.date", "dcterms.created", "sailthru.date", "parsely-pub-date", "publish-date"))
    modified = modified or parse_datetime(_meta(tree, "article:modified_time", "og:updated_time", "datemodified",
                                                "dcterms.modified", "last-modified"))
    if published is None:
        for el in tree.xpath("//time[@datetime][@itemprop='datePublished' or @pubdate or "
                             "contains(@class,'publish') or contains(@class,'date')]")[:1]:
            published = parse_datetime(el.get("datetime"))
    if published is None:
        published = _labelled_date(tree)
    return published, modified


# a label for the publication date (DW's sidebar "<strong>Datum</strong> 28.04.2023"), and the dates read after it:
# ISO, or day, month and year with dots as Europe writes them (never month first); a time may follow
_DATE_LABEL_RE = re.compile(r"(?:datum|date|published(?: on)?|veröffentlicht(?: am)?|erschienen(?: am)?|publié le|"
                            r"publicado(?: el)?|fecha|data|pubblicato(?: il)?|gepubliceerd(?: op)?|publicerad|"
                            r"publisert)\s*:?", re.I)
_LABEL_DATE_RE = re.compile(r"(?:(\d{4})-(\d\d)-(\d\d)|(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}))(?!\d)")


def _labelled_date(tree) -> dt.datetime | None:
    """The date the first date label with a date after it gives (``_after_labels``), or None."""
    for value in _after_labels(tree, _DATE_LABEL_RE):
        m = _LABEL_DATE_RE.match(value)
        if m:
            y, mo, d = (m[1], m[2], m[3]) if m[1] else (m[6], m[5], m[4])
            found = parse_datetime(f"{y}-{int(mo):02d}-{int(d):02d}")      # None for 31.02. or a year out of range
            if found is not None:
                return found
    return None


_CTRL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_VISIBLE = "not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)"
_HIDDEN_TAGS = frozenset(("script", "style", "noscript", "template"))   # the elements _VISIBLE leaves out


def _link_density(tree) -> float:
    """Share of the body's visible characters (stripped text nodes) that sit inside links.

    One walk of each outermost ``<body>`` that lies in no hidden element (``_HIDDEN_TAGS``), hidden subtrees
    skipped: an element's text and the tails of its children are its text nodes. (Two XPath queries with an
    ``ancestor::`` test per text node, for the body's text and for the links' text, took 2.2 times as long on the
    fundus pages.)"""
    total = link = 0
    for body in tree.iter("body"):
        if any(a.tag == "body" or a.tag in _HIDDEN_TAGS for a in body.iterancestors()):
            continue
        stack = [(body, False)]        # visible elements still to read, and whether they sit in a link
        while stack:
            el, in_link = stack.pop()
            if el.text:
                n = len(el.text.strip())
                total += n
                link += n if in_link else 0
            for child in el:
                tag = child.tag
                if isinstance(tag, str) and tag not in _HIDDEN_TAGS:     # not a comment, not hidden
                    stack.append((child, in_link or tag == "a"))
                if child.tail:
                    n = len(child.tail.strip())
                    total += n
                    link += n if in_link else 0
    return link / total if total else 0.0


def _paragraphs(body_el) -> str:
    """Text of trafilatura's output tree, one paragraph per top-level block, separated by a blank line."""
    if body_el is None:
        return ""
    paras: list[str] = []
    for child in body_el:
        if child.tag == "list":
            items = [_clean(" ".join(li.itertext())) for li in child.iter("item")]
            block = "\n".join(f"- {i}" for i in items if i)
        elif child.tag == "table":
            rows = []
            for row in child.iter("row"):
                cells = [_clean(" ".join(c.itertext())) or "" for c in row.iter("cell")]
                if any(cells):
                    rows.append(" | ".join(cells))
            block = "\n".join(rows)
        else:
            lines = []
            buf = [child.text or ""]
            for sub in child.iter():
                if sub is child:
                    continue
                if sub.tag == "lb":
                    lines.append("".join(buf))
                    buf = [sub.tail or ""]
                else:
                    buf.append(sub.text or "")
                    buf.append(sub.tail or "")
            lines.append("".join(buf))
            block = "\n".join(x for x in (_clean(l) for l in lines) if x)
        if block:
            paras.append(block)
    return "\n\n".join(paras)


_MARKUP_RE = re.compile(r"</?[a-zA-Z][^<>]*>")


def _description(value: str | None) -> str | None:
    """The page's summary as plain text: markup some sites put into the meta tag ("<p>Prime Minister…") and a
    template's empty tail ("…입니다. | ") removed."""
    text = htmllib.unescape(_MARKUP_RE.sub(" ", value or "")) if "<" in (value or "") else (value or "")
    return _clean(re.sub(r"[\s|–—-]+$", "", text))


_LIST_SEP_RE = re.compile(r"\s*[;,|、，；]\s*")
# a keyword list in Chinese or Japanese separated by spaces ("深空探测 探月工程 外空"): words of Han and kana, which
# those languages write without spaces inside a word (not Korean, whose phrases have spaces)
_SPACED_HAN_KANA_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff々ー・]+(?:[ \u3000]+[\u3040-\u30ff"
                                 r"\u3400-\u4dbf\u4e00-\u9fff々ー・]+)+")


def _split_list(value: Any, split: bool = True) -> list[str]:
    """Tags or categories, one per item. trafilatura hands over one string per meta tag, and a ``keywords`` meta
    holds a whole list ("Ukraine, Russland, Bachmut"): each string is split on , ; | (and the CJK commas, and on spaces
    between words of Han and kana only: "深空探测 探月工程"; not with
    ``split`` false: a link's text is one tag, "Washington, D.C."), its entities unescaped ("Science &amp; Technology" is escaped twice on some sites). A list whose parts would start
    with "&" ("Business, Finance, & Economics", one IPTC-style subject) stays whole. Numbers alone (content ids
    in keyword lists) and repeats (case aside) go. JSON-LD may give an item as an object: its ``name`` counts
    ({"@type": "DefinedTerm", "name": "Politik"})."""
    if not value:
        return []
    out, seen = [], set()
    for item in value if isinstance(value, (list, tuple)) else [value]:
        if isinstance(item, dict):
            item = item.get("name")
        item = htmllib.unescape(item if isinstance(item, str) else str(item) if isinstance(item, (int, float)) else "")
        parts = _LIST_SEP_RE.split(item) if split else [item]
        if any(p.startswith("&") for p in parts):
            parts = [item]
        elif split:
            parts = [w for p in parts for w in (p.split() if _SPACED_HAN_KANA_RE.fullmatch(p.strip()) else [p])]
        for v in parts:
            v = _clean(v)
            if v and not v.isdigit() and v.lower() not in seen:
                seen.add(v.lower())
                out.append(v)
    return out


# "A; B", "A and B", "A, B", "Jörg Soldwisch, dpa" (a lower-case agency code as the last item)
_AUTHOR_SPLIT_RE = re.compile(r"\s*;\s*|\s+(?:and|und|et|y|e|og|och|en)\s+|\s*,\s*(?=[A-ZÀ-Þ]|\w+$)")
_AUTHOR_CODE_RE = re.compile(r"\s*\([\w.]{1,6}\)$")          # "Elena Oberholzer (obe)": a desk code
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")            # "chuck-ross": a URL slug, not a display name
# "Autor Monika Bolliger", "By Jane Doe", "Texte: Paul Martin": a byline's lead word kept in the name
_AUTHOR_ROLE_RE = re.compile(r"^(?:by|author|autor|autorin|text|texte|reporter|par|por)\b\s*:?\s+(?=\w)", re.I)
# "신현주 기자", "山田太郎記者", "王明 记者": the role written after the name in Korean, Japanese and Chinese bylines
_AUTHOR_ROLE_AFTER_RE = re.compile(r"(?<=\w)\s*(?:기자|특파원|記者|记者|特派員|特派员)$")


_DOMAIN_RE = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}$", re.I)


def _is_description(part: str) -> bool:
    """A phrase, not a name: five words or more, three of them lower-case ("Mykolo Romerio universiteto … fakulteto
    profesorius"; a name has at most a few particles: "Ursula von der Leyen")."""
    words = part.split()
    return len(words) >= 5 and sum(w[:1].islower() for w in words) >= 3


def _authors(names: list[str] | str | None) -> list[str]:
    """Author names, one per person: lists joined in one string ("A, B and C", "A; B") are split, desk codes and
    slugs tidied, and variants of one name ("Sophie Foster", "Sophie-Foster") kept once."""
    if not names:
        return []
    if isinstance(names, str):
        names = [names]
    out, seen = [], set()
    for name in names:
        parts = _AUTHOR_SPLIT_RE.split(name)
        for p in parts:
            p = _clean(_AUTHOR_ROLE_AFTER_RE.sub("", _AUTHOR_ROLE_RE.sub("", _AUTHOR_CODE_RE.sub("", p))))
            if not p or len(p) < 2:
                continue
            if _is_description(p) and "," in p:     # "Name, professor at the faculty of …": the name
                p = p.split(",")[0].strip()
            if len(parts) > 1 and (_DOMAIN_RE.match(p) or _is_description(p)):
                continue    # "Name, Professor of …, Lrt.lt": the person's affiliation and the site go
            if _SLUG_RE.match(p):
                p = p.replace("-", " ").title()
            key = re.sub(r"\W+", "", p.lower())
            if key not in seen:
                seen.add(key)
                out.append(p)
    return out


# "(责编：牛镛、岳弘彬)", "责任编辑：王明", "【编辑:李华】": the editors credited under a Chinese article
_EDITOR_CREDIT_RE = re.compile(r"(?:责编|责任编辑|编辑)\s*[：:]\s*([^\s（）()【】\[\]<>]{2,40})")
_EDITOR_XP = etree.XPath(f"//body//text()[contains(., '编')][{_VISIBLE}]", smart_strings=False)


def _editor_credit(tree) -> list[str]:
    """The editors a Chinese news page credits, where it names no author otherwise (People's Daily, Xinhua and
    chinanews.com credit their articles this way): the last such credit on the page, split at 、 and ，."""
    for text in reversed(_EDITOR_XP(tree)):
        m = _EDITOR_CREDIT_RE.search(text)
        if m:
            return _authors([n for n in re.split(r"[、，,]", m.group(1)) if n])
    return []


def _ld_authors(ld: list[dict]) -> list[str]:
    """The JSON-LD ``author`` of the article, as written: its people, then its organisations (an agency credited
    beside the journalist: "Paula Steiger", "SDA"; the site's own name goes later, ``_without_site``).
    Preferred to trafilatura's author string, which re-cases names and drops initials' dots ("Miguel A. Herguedas")."""
    for node in ld:
        if node.get("author") is None or not any(t in _ARTICLE_TYPES for t in _ld_types(node)):
            continue
        people, orgs = [], []
        items = node["author"] if isinstance(node["author"], list) else [node["author"]]
        for item in items:
            if isinstance(item, str):
                name, is_org = item, False
            elif isinstance(item, dict):
                name = item.get("name")   # Organization, NewsMediaOrganization, Corporation…
                is_org = any("organization" in t or t == "corporation" for t in _ld_types(item))
                if isinstance(name, list):
                    name = next((x for x in name if isinstance(x, str)), None)
            else:
                continue
            if isinstance(name, str) and name.strip():
                (orgs if is_org else people).append(htmllib.unescape(name))
        if people or orgs:
            return _authors(people + orgs)
    return []


def _name_key(s: str) -> str:
    return re.sub(r"\W+", "", s.casefold())


def _site_keys(site_names: list[str | None], host: str) -> set[str]:
    """The site's names (``_name_key``), with the domain's own label: "example" of news.example.com, "bbc" of
    bbc.co.uk."""
    labels = host.split(".")
    own = labels[-3] if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3 else labels[-2:][0]
    return {_name_key(n) for n in [*site_names, own] if n} - {""}


def _is_site(author: str, sites: set[str]) -> bool:
    """Whether ``author`` names the site: "Mdr De" for mdr.de, "STERN.de" for Stern (one contains the other), "MDR
    THÜRINGEN" for MDR (its first word)."""
    a, words = _name_key(author), author.split()
    return any(a == s or (min(len(a), len(s)) >= 4 and (a in s or s in a)) for s in sites) or (
        len(words) > 1 and _name_key(words[0]) in sites)


def _without_site(authors: list[str], sites: set[str]) -> list[str]:
    """The authors without the site's own name (``sites``: ``_site_keys``) where they also name someone else
    ("한국일보" beside "신현주": the site is the document's ``site_name`` and ``domain`` already). A site credited alone
    stays: it is the byline ("Associated Press", "BBC News", "Redaktion hessenschau.de")."""
    kept = [a for a in authors if not _is_site(a, sites)]
    return kept if kept and len(kept) < len(authors) else authors


# Where a page names its author when the JSON-LD and trafilatura name none, or only the site: the meta tags of
# analytics, paywall and archive tools, then a visible byline (an element marked as the author or the byline).
_AUTHOR_METAS = ("cxenseparse:author", "parsely-author", "sailthru.author", "byl", "dc.creator", "dcterms.creator")
_BYLINE_XP = etree.XPath(
    "//body//*[(@itemprop='author' or @rel='author' or contains(translate(@class, 'AUTHORBYLINE', 'authorbyline'), "
    "'author') or contains(translate(@class, 'AUTHORBYLINE', 'authorbyline'), 'byline') "
    "or (self::a and (contains(@href, '/author') or contains(@href, '/autor')))) "   # a link to the author's page
    f"and {_VISIBLE}]")
_BYLINE_LEAD_RE = re.compile(r"^(?:von|by|por|par|di|door|av|af|from)\s+(?=\w)", re.I)
_MAX_BYLINES = 20
_CJK_NAME_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]{2,6}")
_NAME_PARTICLE_WORDS = frozenset({"von", "van", "der", "den", "de", "da", "di", "del", "la", "le", "zu", "bin", "al"})


def _name_like(name: str) -> bool:
    """A person's or a desk's name, not a sentence, a date or a label: at most five words and 50 characters, no
    digits and no colon, starting with a capital (or a letter of a script without case)."""
    words = name.split()
    return (0 < len(words) <= 5 and len(name) <= 50 and not re.search(r"[\d:|@/]", name)
            and (name[0].isupper() or (name[0].isalpha() and not name[0].islower())))


def _byline(tree) -> list[str]:
    """The author the page names outside its JSON-LD and the places trafilatura reads: an author meta tag
    (``_AUTHOR_METAS``; not a URL), else the first visible element marked as the author or the byline, or linking
    to an author's page (/author…, /autor…), whose text, without a lead word such as "von" or "by", is one or more
    names of which the first is a full name ("von Jemima Kelly", "Von Seb Dumitru, Lille")."""
    value = _meta(tree, *_AUTHOR_METAS)
    if value and not value.startswith(("http://", "https://")):
        names = _authors(value)
        if names and all(_name_like(n) for n in names):
            return names
    for el in _BYLINE_XP(tree)[:_MAX_BYLINES]:
        text = _clean(" ".join(el.itertext()))
        if not text or len(text) > 120:
            continue
        names = _authors(_BYLINE_LEAD_RE.sub("", text))
        if names and all(_name_like(n) for n in names) and _full_name(names[0]):
            return names
    return []


def _full_name(name: str) -> bool:
    """A person's full name: two words or more, each capitalised ("Jemima Kelly"; in a script without case, two
    words: "منوعات" is a section's name), or two to six Chinese, Japanese or Korean characters; not one word ("APA",
    "Folgen", "Kurzmeldung": an agency or a label the byline element also holds)."""
    words = name.split()
    if _CJK_NAME_RE.fullmatch(name):
        return True
    if not name[0].isupper() and not name[0].islower():
        return len(words) >= 2
    return len(words) >= 2 and all(w[0].isupper() for w in words if w.lower() not in _NAME_PARTICLE_WORDS)


# a paragraph that is the byline: in bold, at the start or the end of the article's text
_SIGNATURE_XP = etree.XPath("//body//p[normalize-space(.) = $text and not(text()[normalize-space()]) "
                            "and not(*[not(self::strong or self::b)])]")
_SIGNATURE_PARAGRAPHS = 3     # where it is looked for: among the text's first three paragraphs, or its last one


def _signature(tree, text: str) -> tuple[list[str], str]:
    """``(names, paragraph)``: the author a paragraph of bold names signs the article with, in the page's text
    (``<p><strong>Lê Phương</strong></p>`` last, ``<p><b>Ana Ruiz/Tom Bell</b></p>`` near the start), where it is
    one to four full names (``_full_name``) and nothing else, and not a label in title case ("Key Points": every
    word of it is also written in lower case in the text); ``([], "")`` when there is none."""
    paragraphs = text.split("\n\n")
    lower = None
    for para in [*paragraphs[:_SIGNATURE_PARAGRAPHS], paragraphs[-1]]:
        if len(para) > 120 or "\n" in para:
            continue
        names = [n for part in para.split("/") for n in _authors(part)]
        if not (0 < len(names) <= 4 and all(_name_like(n) and _full_name(n) for n in names)):
            continue
        if lower is None:
            lower = {w for w in re.findall(r"\w+", text) if w.islower()}
        if (not all(w.lower() in lower for w in re.findall(r"\w+", para))
                and _SIGNATURE_XP(tree, text=" ".join(para.split()))):
            return names, para
    return [], ""


# A byline written as a plain paragraph: a lead word ("By", "Von", "Par", "Por", "Di", "Door", "Av", "Af") among the
# text's first two paragraphs or as its last; a dash ("— Jane Doe") or an agency's credit ("(Reporting by Jane Doe;
# Editing by John Roe)", which may run longer) as its last.
_PLAIN_BYLINE_PARAGRAPHS = 2
_PLAIN_BYLINE_CHARS = 120
# a lead that a byline starts with: a preposition, alone or after a word for the writing ("By", "Written by",
# "Text von", "Texto de"; a colon may follow), or a noun with its colon ("Text:", "Autor:", "Author:", "Reporter:")
_BYLINE_PREPOSITIONS = "by|von|par|por|di|door|av|af"
_BYLINE_WRITING = (r"(?:written|words|story|reported)\s+by"
                   r"|(?:text|texte|texto|testo|tekst)\s+(?:von|de|di|by|door|av|af)")
_BYLINE_NOUNS = "text|texte|texto|testo|tekst|autor|autorin|auteur|autore|author|reporter|reporterin"
_LEAD_BYLINE_RE = re.compile(rf"(?:(?:{_BYLINE_WRITING}|{_BYLINE_PREPOSITIONS})\s*:?|(?:{_BYLINE_NOUNS})\s*:)\s+(.+)",
                             re.I)
_DASH_BYLINE_RE = re.compile(r"(?:—|–|--)\s*(.+)")     # not "- ": a list item as our text writes it
_CREDIT_RE = re.compile(r"\(?((?:additional\s+)?reporting\s+by\s.+?)\.?\)?", re.I)
_CREDIT_PART_RE = re.compile(r"(\w+(?:\s+\w+)?)\s+by\s+(.+)", re.I)  # "Reporting by …", "Additional reporting by …"
_CREDIT_WRITERS = ("reporting", "additional reporting", "writing")   # not "editing by": the editor wrote none of it
_BYLINE_PLACE_RE = re.compile(r"\s+in\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*")   # "Jane Doe in New York"
_BYLINE_AND_RE = re.compile(r"\s(?:and|und|et|y|e|en|og|och)\s|&")
_NAME_WORD_RE = re.compile(r"[^\W\d_][\w.'’-]*")
_QUOTE_END = ('"', "”", "“", "»", "«", "'", "’")
_HEADING_XP = etree.XPath("//body//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6]"
                          "[normalize-space(.) = $text]")


def _byline_names(value: str, lower: set[str]) -> list[str]:
    """The people a byline's text names ("Jane Doe and John Roe, Reuters" → Jane Doe, John Roe), or [] unless every
    one looks like a person's name: two to four capitalised words (particles aside: "Jan de Vries"), letters only,
    not all of them words the text writes in lower case ("By The Numbers" is no byline). A place after "in" goes,
    and so does the part after the last comma when no "and" joins it to the names: an outlet, a desk, a role or a
    dateline ("Reuters", "Staff Writer", "Washington"), which text alone cannot tell apart, while "JANE DOE, JOHN
    ROE and ANN LEE" is a list."""
    value = _BYLINE_PLACE_RE.sub("", value.strip().rstrip("."))
    head, comma, tail = value.rpartition(",")
    if comma and not _BYLINE_AND_RE.search(tail):
        value = head
    names = [n for part in re.split(r"\s+&\s+", value) for n in _authors(part)]
    ok = 0 < len(names) <= 4 and all(
        2 <= len(n.split()) <= 4 and _name_like(n) and _full_name(n)
        and all(_NAME_WORD_RE.fullmatch(w) for w in n.split())
        and not all(w.lower() in lower for w in n.split()) for n in names)
    return names if ok else []


# A label element and the value after it, outside the text: DW's sidebar "<li><strong>Autorin/Autor</strong> Roman
# Goncharenko</li>" and "<li><strong>Datum</strong> 28.04.2023</li>", a definition list's "<dt>Author</dt><dd>…</dd>"
_LABEL_XP = etree.XPath(
    "//body//*[(self::strong or self::b or self::em or self::span or self::label or self::dt or self::th) "
    f"and string-length(normalize-space()) < 24 and {_VISIBLE}]")
_LABEL_VALUE_CHARS = 120
_BYLINE_LABEL_RE = re.compile(rf"(?:{_BYLINE_NOUNS}|autoren|authors|auteurs|autori|autora|autor/in|autorin/autor|"
                              r"autor/autorin|verfasser|verfasserin|författare|forfatter)\s*:?", re.I)


def _after_labels(tree, label_re: re.Pattern) -> Iterator[str]:
    """The value each label element whose whole text ``label_re`` matches gives, in page order: the rest of its
    parent's text ("<strong>Autorin/Autor</strong> Roman Goncharenko"), or the cell or definition after a
    ``<dt>``/``<th>`` label; a value over ``_LABEL_VALUE_CHARS`` characters is none."""
    for label in _LABEL_XP(tree):
        head = " ".join(label.text_content().split())
        if not label_re.fullmatch(head):
            continue
        if label.tag in ("dt", "th"):
            after = label.getnext()
            rest = " ".join(after.text_content().split()) if after is not None and after.tag in ("dd", "td") else ""
        else:
            whole = " ".join(label.getparent().text_content().split())
            rest = whole[len(head):].lstrip(" :") if whole.startswith(head) else ""
        if rest and len(rest) <= _LABEL_VALUE_CHARS:
            yield rest


def _labelled_byline(tree, text: str) -> list[str]:
    """The people an author label names (``_after_labels``; ``_byline_names`` says what counts as a name), outside
    the text; [] when there is none."""
    lower = {w for w in re.findall(r"\w+", text) if w.islower()}
    return next((names for names in (_byline_names(v, lower) for v in _after_labels(tree, _BYLINE_LABEL_RE))
                 if names), [])


def _plain_byline(tree, text: str) -> tuple[list[str], str]:
    """``(names, paragraph)``: the authors a plain paragraph of the text names, as news writes a byline into the
    article (``_byline_names`` says what counts as a name): "By Jane Doe and John Roe", "Von Anna Schmidt" or
    "Door Jan de Vries" among the first two paragraphs or as the last; "— Jane Doe" as the last, unless it follows
    a quotation (it is the quote's source then); "(Reporting by Jane Doe; Editing by John Roe)" as the last (its
    writers, not its editors). A paragraph of several lines, or one that is a heading of the page, is none.
    ``([], "")`` when there is none."""
    paragraphs = text.split("\n\n")
    lower = {w for w in re.findall(r"\w+", text) if w.islower()}
    for i, para in enumerate(paragraphs):
        last = i == len(paragraphs) - 1
        if "\n" in para or len(para) > 2 * _PLAIN_BYLINE_CHARS or not (i < _PLAIN_BYLINE_PARAGRAPHS or last):
            continue
        names: list[str] = []
        short = len(para) <= _PLAIN_BYLINE_CHARS
        if short and (m := _LEAD_BYLINE_RE.fullmatch(para)):
            names = _byline_names(m.group(1), lower)
        elif (short and last and i and (m := _DASH_BYLINE_RE.fullmatch(para))
              and not paragraphs[i - 1].endswith(_QUOTE_END)):
            names = _byline_names(m.group(1), lower)
        elif last and (m := _CREDIT_RE.fullmatch(para)):
            parts = [_CREDIT_PART_RE.fullmatch(p.strip()) for p in m.group(1).split(";")]
            if all(parts):
                found = [_byline_names(p.group(2), lower) for p in parts if p.group(1).lower() in _CREDIT_WRITERS]
                names = [] if [] in found else [n for f in found for n in f]
        if names and not _HEADING_XP(tree, text=" ".join(para.split())):
            return names, para
    return [], ""


def _page_authors(ld: list[dict], doc, tree, site_names: list[str | None], host: str,
                  text: str = "") -> tuple[list[str], str]:
    """``(authors, signature)``: the article's authors: the JSON-LD's, else trafilatura's, else a Chinese editor
    credit; where these name no one or only the site, the page's byline (``_byline``) when it names someone else,
    else the names after an author label (``_labelled_byline``), else the bold names that sign the text
    (``_signature``), else a plain paragraph that is the byline (``_plain_byline``; either paragraph then returned
    as ``signature``, to leave the text); the site's name left out beside a person (``_without_site``)."""
    authors = _ld_authors(ld) or _authors(doc.author) or _editor_credit(tree)
    sites = _site_keys(site_names, host)
    signature = ""
    if all(_is_site(a, sites) for a in authors):
        byline = _byline(tree)
        if not byline or all(_is_site(a, sites) for a in byline):
            byline = _labelled_byline(tree, text)
        if not byline or all(_is_site(a, sites) for a in byline):
            byline, signature = _signature(tree, text) if text else ([], "")
        if not byline or all(_is_site(a, sites) for a in byline):
            byline, signature = _plain_byline(tree, text)
        if byline and not all(_is_site(a, sites) for a in byline):
            authors = byline
        else:
            signature = ""
    return _without_site(authors, sites), signature


# Where else a page lists its keywords, in this order, when the meta tags trafilatura reads in the <head> (keywords,
# article:tag, parsely-tags, citation_keywords, dcterms.subject) have none: the article's JSON-LD ``keywords``, then
# the first of these meta tags that has any, anywhere in the page (Google News' news_keywords, Sailthru's, Dublin
# Core's subjects), then the visible links HTML marks as the page's tags (``rel="tag"``; not WordPress's
# ``rel="category tag"``, its categories). On the fundus corpus pages without tags went from 73 to 38 of the 212
# whose truth has topics with the first two, and to 36 with the links (docs/processing.md, "Tags"). Last, a visible
# list whose class names it the tags, the links after a label such as "Tags:" (both ``_tag_boxes``),
# then the list the page's script data holds
# (``scriptdata.data_tags``: BBC's and CBC's Next.js props, Focus' keywords, a data layer's "tag").
_TAG_METAS = ("news_keywords", "keywords", "article:tag", "parsely-tags", "sailthru.tags", "dc.subject",
              "dcterms.subject", "classification-tags", "dcsext.channellist", "custom-keywords")
_REL_TAG_XP = etree.XPath(
    "//body//a[contains(concat(' ', translate(normalize-space(@rel), 'TAG', 'tag'), ' '), ' tag ') and not("
    "contains(concat(' ', translate(normalize-space(@rel), 'CATEGORY', 'category'), ' '), ' category ')) "
    f"and {_VISIBLE}]")
# A visible list of the page's tags that only its class or id names ("article__tags", "taglist-container",
# "c-article-tags", "post-tags", "widget-keywords", camel case "singleTagList", "ContentTags_content-tags__x"), or a
# data attribute written without a value (Funke's ``<section data-test-tags-box-v2>``; one with a value,
# ``data-tags="…"``, holds data, and the element it sits on may be the whole article)
_TAG_BOX_RE = re.compile(r"(?:^|[\s_-])(?:tags|taglist|tag-list|tag-links|keywords|schlagworte|schlagwoerter)"
                         r"(?:$|[\s_-])", re.I)
_TAG_BOX_CAMEL_RE = re.compile(r"[a-z](?:Tags|TagList|Keywords)(?:$|[\s_A-Z-])")
# a label before a list of the page's tags, in the languages of the corpus and a few more
_TAG_LABEL_TEXT_RE = re.compile(
    r"(?:tags?|topics?|keywords?|related (?:tags|topics)|schlagw(?:o|ö)rte?|schlagw(?:o|ö)rter|stichw(?:o|ö)rte?|"
    r"mots[- ]cl(?:é|e)s|étiquettes|sujets|etiquetas|palabras clave|temas|temi|parole chiave|argomenti|etichette|"
    r"trefwoorden|onderwerpen|tagi|słowa kluczowe|tagy|štítky|témata|теги|тэги|ключевые слова|etiketler|"
    r"anahtar kelimeler|emneord|nøkkelord|ämnen|taggar|avainsanat|aiheet|タグ|キーワード|标签|關鍵詞|关键词|태그|키워드)"
    r"\s*[:：]", re.I)
# a link to the site's index of every topic, after a page's tags ("Alle Themen", FAZ's)
_ALL_TAGS_RE = re.compile(r"(?:alle|all|tous les|toutes les|todos los|todas las|tutti i|tutte le)\s+"
                          r"(?:themen|schlagw(?:o|ö)rter|topics|tags|sujets|thèmes|temas|etiquetas|temi|argomenti)$",
                          re.I)
_TAG_BOX_OUTSIDE = frozenset(("nav", "header", "footer", "aside", "head", "script", "style", "noscript", "template"))
_TAG_BOX_MAX_LINKS = 30          # more links than this is a menu or a tag cloud, not one article's tags
_TAG_LABEL_RE = re.compile(r"^[\w .-]{1,30}:\s")                # "Page Type: Article", "NLP Category: General"
# in such a list, the entries whose label says they are the page's subjects ("Subject: Justice", The Intercept's)
_TAG_SUBJECT_RE = re.compile(r"^(?:subjects?|topics?|tags?|keywords?|themes?):\s+(?=\S)", re.I)
_TAG_ID_RE = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", re.I)   # a UUID
# "stats-reach-team-all-articles", or a CMS's flag in snake case ("editors_pick")
_TAG_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+){3,}$|^[a-z0-9]+(?:_[a-z0-9]+)+$")
# "organization/Lundsberg", "topic/Misshandel & överfall": a keyword written after its kind in the site's taxonomy
_TAG_KIND_RE = re.compile(r"^(?:organi[sz]ations?|persons?|people|topics?|sections?|locations?|places?|"
                          r"categor(?:y|ies)|subjects?|compan(?:y|ies)|events?|themes?|tags?)/(?=\w)", re.I)
_TAG_KEY_RE = re.compile(r"^[\w-]+:[\w-]+:")          # "source:tagname:CNBC US Source": a CMS's internal key
# a wire service's subject codes ("AER,AERO,AIRL,AIRS08,CRSH,…,PACKAGE:US-TOP-NEWS"): capitals, digits, no space
_TAG_CODE_RE = re.compile(r"[A-Z0-9][A-Z0-9:_.-]*")
_TAG_CODE_LIST = 10        # a list of this many entries or more, four in five of them codes, is a code list


def _tag_list(value: Any, split: bool = True) -> list[str]:
    """``_split_list`` without a CMS's bookkeeping and what is no keyword: ids, internal names ("_Prio_3",
    "_commerce", "stats-reach-team-all-articles", "source:tagname:…"), domains and headlines go, a kind written
    before the keyword goes ("organization/Lundsberg" is "Lundsberg"), and a list mostly of "Label: value" entries
    ("Day: Friday", "WC: 1000-1999", "Page Type: Article") is none but for the entries labelled as its subjects
    ("Subject: Justice" is "Justice"), as is a long list of subject codes (Reuters' "AER,AERO,AIRL,…":
    ``_TAG_CODE_LIST`` entries or more, four in five in capitals and digits without a space)."""
    items = _split_list(value, split)
    if 2 * sum(1 for t in items if _TAG_LABEL_RE.match(t)) > len(items):
        items = [_TAG_SUBJECT_RE.sub("", t) for t in items if _TAG_SUBJECT_RE.match(t)]
    if len(items) >= _TAG_CODE_LIST and 5 * sum(1 for t in items if _TAG_CODE_RE.fullmatch(t)) >= 4 * len(items):
        return []
    out, seen = [], set()
    for t in items:
        t = _TAG_KIND_RE.sub("", t)
        if (len(t) <= 80      # longer is a headline written into the list, not a keyword
                and not (t.startswith("_") or _TAG_ID_RE.match(t) or _TAG_SLUG_RE.match(t) or _DOMAIN_RE.match(t)
                         or _TAG_KEY_RE.match(t))
                and t.lower() not in seen):
            seen.add(t.lower())
            out.append(t)
    return out


# trafilatura's keyword metas (``metadata.METANAME_TAG`` and ``article:tag``), whose values it hands over with every
# quote and apostrophe taken out ("Protection de lenvironnement", "Stati Uniti dAmerica")
_TRAFILATURA_TAG_METAS = ("keywords", "article:tag", "tags", "parsely-tags", "citation_keywords", "dcterms.subject",
                          "shareaholic:keywords")
_QUOTES_RE = re.compile("[\"']")


def _keyword_metas(metas: list) -> list[str]:
    """The contents of the keyword metas trafilatura reads (``_TRAFILATURA_TAG_METAS``), in page order."""
    return [el.get("content") for el in metas
            if (el.get("property") or el.get("name") or "").translate(_ASCII_LOWER) in _TRAFILATURA_TAG_METAS]


def _with_quotes(tags: list[str], metas: list) -> list[str]:
    """trafilatura's tags with the apostrophes and quotes it removed put back: each tag that is, without them, a
    keyword of the page's own metas becomes that keyword as written ("Protection de l'environnement")."""
    if not tags:
        return tags
    written: dict[str, str] = {}
    for keyword in _tag_list(_keyword_metas(metas)):
        if _QUOTES_RE.search(keyword):
            written.setdefault(_QUOTES_RE.sub("", keyword), keyword)
    return [written.get(t, t) for t in tags] if written else tags


def _tags(found: Any, tree, ld: list[dict], site_names: list[str | None], host: str, html: str,
          title: str | None) -> list[str]:
    """The page's keywords, one tag each (``_tag_list``): the article's own list where the page has one beside a
    keywords meta that may add search terms ("Bhopal news, Bhopal latest news, …", "cape town, durban, …"), that is
    two ``article:tag`` metas or more, else ``news_keywords`` that the ``keywords`` meta holds with others; else
    ``found`` (trafilatura's: every keyword meta of the <head> merged), else the first of the places above that has
    any. A keyword meta that lists the headline's words (``_headline_words``) and the site's own name ("dailymail",
    "Anadolu Ajansı", "The Taipei Times") are no tags."""
    metas = [el for el in tree.iter("meta") if not _foreign_item_meta(el)]
    headline = _headline_words(metas, title)
    if headline:
        # trafilatura merges its metas' lists, keeping one of two tags equal but for case: the headline's "hijos"
        # hides the page's tag "Hijos", so its metas are read again without the headline's
        metas = [el for el in metas if el not in headline]
        found = _keyword_metas(metas)
    ld_keywords = next((n["keywords"] for n in ld
                        if n.get("keywords") and any(t in _ARTICLE_TYPES for t in _ld_types(n))), None)
    boxes = functools.cache(lambda: _tag_boxes(tree))

    @functools.cache
    def named(name: str) -> list[str]:          # the tags of the metas of that name
        return _tag_list([el.get("content") for el in _metas_named(metas, name)])

    article_tags = named("article:tag")
    sources = [lambda: article_tags if len(article_tags) >= 2 else [],
               lambda: _news_keywords_within(named("news_keywords"), named("keywords")),
               lambda: _with_quotes(_tag_list(found), metas),
               lambda: _tag_list(ld_keywords),       # a list, one string or one object: _split_list takes each
               *(lambda name=name: named(name) for name in _TAG_METAS),
               lambda: _tag_list([el.text_content() for el in _REL_TAG_XP(tree)], split=False),
               lambda: _tag_list(boxes()[0], split=False),
               lambda: _tag_list(boxes()[1], split=False),
               lambda: _tag_list(scriptdata.data_tags(html), split=False)]
    tags = next((tags for tags in (source() for source in sources) if tags), [])
    sites = _site_keys(site_names, host)
    return [t for t in tags if _name_key(t) not in sites and _name_key(t).removeprefix("the") not in sites]


def _news_keywords_within(news: list[str], keywords: list[str]) -> list[str]:
    """``news`` where the ``keywords`` meta holds every one of them and more (case aside), else []."""
    inner, outer = ({t.casefold() for t in ts} for ts in (news, keywords))
    return news if inner and inner < outer else []


def _foreign_item_meta(el) -> bool:
    """Whether a <meta itemprop> is a property of a microdata item other than the article: the nearest element with
    ``itemscope`` has an ``itemtype`` of another kind (a WordPress theme's footer, ``schema.org/WPFooter``, with
    ``<meta itemprop="keywords" content="Data Protection, Copyright Data">``: Lesotho Times)."""
    if el.get("itemprop") is None:
        return False
    for up in el.iterancestors():
        if up.get("itemscope") is not None:
            kind = (up.get("itemtype") or "").strip().rstrip("/").rsplit("/", 1)[-1].lower()
            return bool(kind) and kind not in _ARTICLE_TYPES
    return False


def _headline_words(metas: list, title: str | None) -> list:
    """The keyword metas (``keywords``, ``news_keywords``) that list the headline's words, not its topics: three
    single words or more, four in five of them words of the title, case and accents aside (ABC's and La Vanguardia's
    "detenido, policia, abusar, torturar, …" for "Detenido un policía por abusar y torturar …"). Phrases ("infant
    abandonment cases") are topics even where the headline has them."""
    words = set(_HEADLINE_WORD_RE.findall(unaccented(title or "")))
    out = []
    for el in _metas_named(metas, "keywords") + _metas_named(metas, "news_keywords"):
        items = _split_list(el.get("content"))
        if (len(items) >= 3 and all(_HEADLINE_WORD_RE.fullmatch(t) for t in items)
                and 5 * sum(unaccented(t) in words for t in items) >= 4 * len(items)):
            out.append(el)
    return out


_HEADLINE_WORD_RE = re.compile(r"\w+")


def _tag_boxes(tree) -> tuple[list[str], list[str]]:
    """``(named, labelled)``: the link texts (``_box_tags``) of the first element of the body whose class or id, or
    a data attribute without a value, names it a list of tags (``_named_tag_box``), and of the first whose text
    begins with a label such as "Tags:" (``_labelled_tag_box``; looked for only where no element is named so, since
    the named list comes first). One walk of the page's elements, some 5 ms."""
    labelled: list[str] = []
    for body in tree.iter("body"):
        for el in body.iter():
            if not isinstance(el.tag, str) or el.tag in _TAG_BOX_OUTSIDE:
                continue
            if _named_tag_box(el):
                texts = _box_tags(el)
                if texts:
                    return texts, []
            if not labelled and _labelled_tag_box(el):
                labelled = _box_tags(el)
        break
    return [], labelled


def _box_tags(el) -> list[str]:
    """The tags an element that is a list of them gives: its links' texts, "#" before a tag taken off, a label
    ("Themen:"), a link to every topic ("Alle Themen") and a text over 60 characters left out; none where the element
    lies in a navigation, header, footer or aside, or has more than ``_TAG_BOX_MAX_LINKS`` links (a menu)."""
    if any(a.tag in _TAG_BOX_OUTSIDE or a.get("role") == "navigation" for a in el.iterancestors()):
        return []
    links = list(el.iter("a"))
    if len(links) > _TAG_BOX_MAX_LINKS:
        return []
    texts = [" ".join(a.text_content().split()).lstrip("#").strip() for a in links]
    return [t for t in texts if t and len(t) <= 60 and not t.endswith(":") and not _ALL_TAGS_RE.match(t)]


def _named_tag_box(el) -> bool:
    """Whether the element's class or id, or a data attribute of it written without a value, names a list of tags
    (``_TAG_BOX_RE``, ``_TAG_BOX_CAMEL_RE``)."""
    names = " ".join([v for v in (el.get("class"), el.get("id")) if v]
                     + [k for k, v in el.attrib.items() if not v and k.startswith("data-")])
    return bool(names) and bool(_TAG_BOX_RE.search(names) or _TAG_BOX_CAMEL_RE.search(names))


def _labelled_tag_box(el) -> bool:
    """Whether the element's text begins with a label that names its links the page's tags ("Schlagworte:",
    "Tags:", "Mots-clés :"), written before its first child or as the whole text of a first child without children
    (``<p><strong>Tags:</strong> <a …>``)."""
    label = el.text
    if not (label and label.strip()) and len(el):
        first = el[0]
        label = first.text if isinstance(first.tag, str) and first.tag != "a" and not len(first) else None
    return bool(label) and (":" in label or "：" in label) and _TAG_LABEL_TEXT_RE.fullmatch(label.strip()) is not None


def _norm_title(s: str | None) -> str:
    return re.sub(r"\W+", " ", (s or "").lower()).strip()


def title_candidates(tree, ld: list[dict], traf_title: str | None) -> dict[str, str]:
    """Every headline the page offers, by source (see ``TITLE_SOURCES``), whitespace-normalised; absent ones left
    out."""
    raw: dict[str, str | None] = {"json_ld": next(
        (htmllib.unescape(str(n["headline"])) for n in ld
         if n.get("headline") and any(t in _ARTICLE_TYPES for t in _ld_types(n))), None)}
    raw["og_title"] = _meta(tree, "og:title")
    raw["twitter_title"] = _meta(tree, "twitter:title")
    t = tree.find(".//title")
    raw["html_title"] = "".join(t.itertext()) if t is not None else None
    h1 = tree.xpath("//h1")
    raw["h1"] = "".join(h1[0].itertext()) if h1 else None
    raw["trafilatura"] = traf_title
    found = {k: v for k, v in ((k, " ".join((v or "").split())) for k, v in raw.items()) if v}
    return _repair_cut_attributes(found)


def _repair_cut_attributes(found: dict[str, str]) -> dict[str, str]:
    """A meta tag written ``content="Sieger und "royaler Besuch""`` (the headline's own double quotes left
    unescaped) ends at the first of them. Where another candidate goes on from exactly there with a double quote,
    that one (the shortest of them: the others may carry a site name) is the meta title the page meant."""
    for key in ("og_title", "twitter_title"):
        cut = found.get(key)
        if cut:
            longer = [o for o in found.values() if o.startswith(cut) and o[len(cut):].lstrip().startswith('"')]
            if longer:
                found[key] = min(longer, key=len)
    return found


def _choose_title(tree, ld: list[dict], traf_title: str | None, site_name: str | None, url: str | None,
                  settings: ExtractionSettings, hint_title: str | None = None, html: str = "") -> str | None:
    """The headline, without a trailing " | Site Name" (see ``_strip_site``):

    1. the candidate equal to ``hint_title`` (the title the site's own feed gave the item), when one is;
    2. else the first present in the site's ``extraction.site_title_sources`` order, when the site has one;
    3. else the first present in ``extraction.title_sources`` (default: JSON-LD ``headline`` of the article,
       og:title, twitter:title, <title>, the first <h1>, trafilatura's title; the order that matched the fundus
       truth best, see docs/processing.md); but where the JSON-LD headline and og:title lead that order (and the
       site has no order of its own) and disagree, the one whose text ``html`` repeats more often
       (``title_tiebreak: occurrences``): sites put the headline they mean in share links, data attributes and
       scripts too."""
    found = title_candidates(tree, ld, traf_title)
    if not found:
        return None
    names = [n for n in (site_name, _meta(tree, "og:site_name"), _meta(tree, "application-name")) if n]
    host = _host(url)
    # headlines the page marks up but that are not title sources of their own (<meta name="headline">, an element
    # with itemprop="headline"): they still show where a title ends and its " - Section" tail begins
    marked = _marked_headlines(tree)

    def clean(title: str) -> str:
        return _strip_site(title, names, [x for x in [*found.values(), *marked] if x != title], host)

    hint = _norm_title(hint_title)
    if hint:
        match = next((c for c in map(clean, found.values()) if _norm_title(c) == hint), None)
        if match:
            return match
    site_order = settings.title_sources_for(host)
    order = [*site_order, *TITLE_SOURCES]
    first = clean(next(found[k] for k in order if k in found))
    if (settings.title_tiebreak == "occurrences" and html and settings.site_title_key(host) is None
            and site_order[:2] in (["json_ld", "og_title"], ["og_title", "json_ld"])
            and "json_ld" in found and "og_title" in found):
        ld_title, og_title = clean(found["json_ld"]), clean(found["og_title"])
        if ld_title != og_title:
            other = og_title if first == ld_title else ld_title
            if _occurrences(html, other) > _occurrences(html, first):
                return other
    return first


def _occurrences(html: str, text: str) -> int:
    """How often ``text`` is written in ``html``: as is, HTML-escaped or JSON-escaped (also inside longer text)."""
    forms = {text, htmllib.escape(text), htmllib.escape(text, quote=False), json.dumps(text)[1:-1],
             json.dumps(text, ensure_ascii=False)[1:-1]}
    return sum(html.count(f) for f in forms)


_HEADLINE_XP = etree.XPath("//meta[translate(@name,'HEADLINE','headline')='headline' or @itemprop='headline'] | "
                            "//*[@itemprop='headline'][not(self::meta)]")


def _marked_headlines(tree) -> list[str]:
    """Headlines the page marks up outside the title sources: ``<meta name|itemprop="headline">``, elements with
    ``itemprop="headline"``; whitespace-normalised."""
    out = []
    for el in _HEADLINE_XP(tree):
        text = _clean(el.get("content") if el.tag == "meta" else "".join(el.itertext()))
        if text and text not in out:
            out.append(text)
    return out


_SUFFIX_RE = re.compile(r"^(.{10,}?)\s*(?:\s[|\-–—·:*]\s|[|ㅣ｜：]|\s-)\s*(\S.{0,60})$")
# a short tail after a separator, with or without spaces ("-정치", " / Politik"); never ":" (a kicker's colon)
_SECTION_TAIL_RE = re.compile(r"\s*[|\-–—/ㅣ｜]\s*\S.{0,24}")
_DATE_TAIL_RE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}")


def _host(url: str | None) -> str:
    from urllib.parse import urlsplit

    try:
        return (urlsplit(url or "").hostname or "").removeprefix("www.")
    except ValueError:
        return ""


def _strip_site(title: str, site_names: list[str], others: list[str], host: str = "") -> str:
    """Drop trailing " | Site", " - Section | Site", "-정치ㅣ한국일보", " | DW | 28.04.2023" parts: a tail goes when it
    names the site (site name, og:site_name, the host) or is a date, or when another headline of the page
    (``others``) is exactly the part before it (then also a short tail joined without spaces: "…다-정치")."""
    for _ in range(3):
        head = next((o for o in others if len(o) >= 10 and title.startswith(o)
                     and _SECTION_TAIL_RE.fullmatch(title[len(o):])), None)
        if head:               # "…커졌다-정치": another headline of the page ends where a short tail begins
            title = head
            continue
        m = _SUFFIX_RE.match(title)
        if not m:
            break
        head, tail = m.group(1).strip(), m.group(2).strip()
        tl = tail.lower()
        compact = tl.replace(" ", "")
        sitey = (any(tl in n.lower() or n.lower() in tl for n in site_names)
                 or (host and (host in compact or compact.split(".")[0] in host.split(".")))
                 or head in others or _DATE_TAIL_RE.search(tail))
        if not sitey:
            break
        title = head
    return title


def declared_languages(tree, headers: dict[str, str]) -> list[str]:
    """What the page says its language is, most specific first: <html lang>, Content-Language, og:locale."""
    out = []
    html = tree if tree.tag == "html" else tree.find(".//html")
    if html is not None:
        v = html.get("lang") or html.get("{http://www.w3.org/XML/1998/namespace}lang")
        if v:
            out.append(v)
    cl = headers.get("content-language") or _meta(tree, "content-language")
    if cl:
        out.append(cl.split(",")[0])
    loc = _meta(tree, "og:locale")
    if loc:
        out.append(loc)
    codes = []
    for v in out:
        code = re.split(r"[-_]", v.strip().lower())[0]
        if re.fullmatch(r"[a-z]{2,3}", code) and code not in codes:
            codes.append(code)
    return codes


def is_cjk(text: str) -> bool:
    sample = text[:2000]
    return bool(sample) and len(_CJK_RE.findall(sample)) > 0.3 * len(sample)


# ---------------------------------------------------------------- main entry


def sniff(body: bytes, headers: dict[str, str], settings: ExtractionSettings,
          status_code: int | None = None) -> tuple[str, str] | None:
    """Cheap checks before decoding: returns (reason, message) to reject, or None."""
    if not body or not body.strip():
        return "empty", "the page has no content (0 bytes or only whitespace)"
    if len(body) > settings.max_bytes:
        return "too_large", f"page is larger than processing.extraction.max_bytes ({settings.max_bytes} bytes)"
    if status_code is not None and status_code >= 400:
        return "http_error", f"HTTP status {status_code}"
    ctype = (headers.get("content-type") or "").split(";")[0].strip().lower()
    if ctype and not any(ctype.startswith(t) for t in _HTML_TYPES):
        return "not_html", f"Content-Type is {ctype}"
    head = body[:16]
    for magic, what in _MAGIC:
        if what and head.startswith(magic):
            return "binary", f"the bytes are a {what}, not HTML"
    if not body.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in body[:8192]:
        return "binary", "the bytes contain NUL characters: binary data, not HTML"
    return None


def extract(body: bytes, url: str | None, headers: dict[str, str] | None = None,
            settings: ExtractionSettings | None = None, status_code: int | None = None,
            hint_title: str | None = None) -> Extraction:
    """Article fields of one page, or a reason code. ``hint_title`` is the title a feed gave the item: when one of
    the page's own headlines equals it, that one is the title (see ``_choose_title``)."""
    settings = settings or ExtractionSettings()
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    ex = Extraction()
    rejected = sniff(body, headers, settings, status_code)
    if rejected:
        return ex.failed(*rejected)
    try:
        html, ex.encoding = decode_html(body, headers.get("content-type"))
    except DecodeError as e:
        return ex.failed("bad_encoding", str(e))
    if not _HTML_RE.search(html[:65536]):
        return ex.failed("not_html", "no HTML markup found in the page")
    ctrl = len(_CTRL_RE.findall(html, 0, 8192))
    if ctrl > 0.01 * min(len(html), 8192):
        return ex.failed("binary", "the text is full of control characters: binary data, not HTML")
    try:
        tree = load_html(html)
    except Exception as e:  # lxml raises a zoo of errors on broken input
        tree = None
        err = str(e)
    else:
        err = "lxml returned no document"
    if tree is None:
        return ex.failed("parse_error", f"could not parse the HTML: {err}")
    rule = settings.site_rule(_host(url)) if settings.site_rules else None
    picked = None
    parsed = tree     # the parse of `html` (trafilatura works on a copy; the long JSON-LD blocks go below); None
                      # once a rule changed it
    if rule is not None:   # the site's own selectors, read before trafilatura prunes the tree
        if rule.remove and siterules.remove(tree, rule.removals()):
            html = etree.tostring(tree, encoding="unicode", method="html")    # what the later passes parse again
            parsed = None
        picked = siterules.pick(tree, rule.selectors(), url)
        ex.rule_misses = list(picked.misses)
        if picked.misses:
            log.warning("site rule for %s: %s matched nothing on %s; the generic extraction is kept there "
                        "(has the site's layout changed?)", _host(url), ", ".join(picked.misses), url)

    # metadata that trafilatura's cleaning would remove: read it before extraction
    ld_scripts = _JSON_LD_SCRIPTS(tree)
    ld = _json_ld(ld_scripts)
    ex.access = page_access(tree, ld)
    ex.declared_languages = declared_languages(tree, headers)
    canon = tree.xpath("//link[@rel='canonical']/@href")
    ex.canonical_url = _clean(canon[0]) if canon else _meta(tree, "og:url")
    if ex.canonical_url and url and not re.match(r"^https?://", ex.canonical_url):
        from urllib.parse import urljoin
        ex.canonical_url = urljoin(url, ex.canonical_url)
    if ex.canonical_url and not re.match(r"^https?://", ex.canonical_url):
        ex.canonical_url = None
    published, modified = _explicit_dates(tree, ld)
    ex.link_density = _link_density(tree)
    _drop_big_json_ld(ld_scripts)
    try:
        doc = _trafilatura(tree, html, url, settings)
        if doc is None or len(doc.text or "") < settings.min_text_chars:
            doc, tree = _from_script_data(doc, tree, html, ld, url, settings)
        if doc is not None and doc.text and settings.join_split_body:
            doc, tree = _join_split_body(doc, tree, html, url, settings, parsed if tree is parsed else None)
    except Exception as e:  # trafilatura bugs on odd pages must not take the batch down
        return ex.failed("parse_error", f"extraction failed: {type(e).__name__}: {e}")
    if doc is None and picked and picked.values.get("body"):
        doc = Document()        # the rule found the body where trafilatura found none
    if doc is None:
        shell = _SCRIPT_RENDERED_RE.search(html)
        return ex.failed("not_article", "no main content found (navigation, index or empty page)" if not shell else
                         f"no main content in the HTML: the page renders its text with JavaScript "
                         f"({shell.group(0).strip('<= ')!r} found), and its script data holds no article text "
                         f"we can read (scripts are not run)")
    ex.site_name = _clean(doc.sitename)
    ex.title = _choose_title(tree, ld, _clean(doc.title), ex.site_name, url, settings, hint_title, html)
    ex.text = _paragraphs(doc.body)
    if not ex.text and doc.text:
        ex.text = re.sub(r"\n+", "\n\n", doc.text.strip())
    if ex.title and ex.text:   # the headline repeated as the first paragraph is not body text
        first, _, rest = ex.text.partition("\n\n")
        if _norm_title(first) == _norm_title(ex.title) and rest:
            ex.text = rest
    ex.text = _ld_full_text(ld, ex.text) or ex.text
    ex.description = _description(doc.description)
    site_names, host = [ex.site_name, _meta(tree, "og:site_name")], _host(url)
    # the publisher a meta tag names is the site too, where it is credited as the author ("Deutsche Welle
    # (www.dw.com)" on DW.COM)
    ex.authors, signature = _page_authors(ld, doc, tree, [*site_names, _meta(tree, "publisher")], host, ex.text)
    if signature:      # the byline paragraph is no body text
        ex.text = "\n\n".join(p for p in ex.text.split("\n\n") if p != signature)
    ex.categories = _split_list(doc.categories)
    ex.tags = _tags(doc.tags, tree, ld, site_names, host, html, ex.title)
    ex.top_image = _clean(doc.image)
    if published is None and doc.date:
        published = parse_datetime(doc.date)
    ex.published_at, ex.modified_at = _iso(published), _iso(modified)
    if picked:
        _apply_rule(ex, picked.values, url)
    if rule is not None and rule.drop_tags:     # the site's own tags on every page ("Breaking news", its name)
        dropped = rule.dropped_tags()
        ex.tags = [t for t in ex.tags if tag_key(t) not in dropped]
    return _judge(ex, settings)


def _apply_rule(ex: Extraction, values: dict[str, Any], url: str | None) -> None:
    """The site rule's values in place of the generic ones (``pipeline.siterules``), tidied as the generic ones are."""
    for name in ("published_at", "modified_at"):
        if name in values:
            when = parse_datetime(values[name]) or siterules.text_date(values[name])
            if when is None or not 1990 <= when.year <= dt.date.today().year + 2:
                log.warning("site rule for %s: %s %r is no date; the generic one is kept", _host(url), name,
                            values[name])
            else:
                setattr(ex, name, _iso(when))
    if "title" in values:
        ex.title = _clean(values["title"])
    if "body" in values:
        ex.text = values["body"]
    if "description" in values:
        ex.description = _description(values["description"])
    if "authors" in values:
        ex.authors = _authors(values["authors"])
    for name in ("tags", "categories", "top_image"):
        if name in values:
            setattr(ex, name, values[name])


# Markers of pages whose article text is only in script data, rendered in the browser (Next.js, Nuxt, Redux, Arc XP…)
_SCRIPT_RENDERED_RE = re.compile(r"__NEXT_DATA__|self\.__next_f\.push|window\.__NUXT__|__NUXT_DATA__|"
                                 r"window\.__(?:INITIAL|PRELOADED)_STATE__|Fusion\.globalContent")


# the JSON-LD's articleBody is this many times as long as the text the HTML shows: see _ld_full_text
_LD_BODY_RATIO = 1.3
_LD_CAPTION_RE = re.compile(r"<(figure|figcaption|script|style)\b.*?</\1>", re.S | re.I)
_LD_BLOCK_END_RE = re.compile(r"</(?:p|h[1-6]|li|blockquote|div)>|<br\s*/?>", re.I)


def _ld_full_text(ld: list[dict], text: str) -> str | None:
    """The whole article from the JSON-LD ``articleBody`` where the HTML shows only a part of it (a paywall's
    teaser, the rest loaded by a script): the body is ``_LD_BODY_RATIO`` times as long as ``text`` or more, holds a
    paragraph of ``text`` (40 characters or more) once, and none twice (a body that repeats the article is not
    taken). Its paragraphs are its HTML blocks or lines, without figures and their captions. None otherwise."""
    body = next((n["articleBody"] for n in ld if isinstance(n.get("articleBody"), str)
                 and any(t in _ARTICLE_TYPES for t in _ld_types(n))), None)
    if not body or not text or len(body) < _LD_BODY_RATIO * len(text):    # markup aside, it is shorter still
        return None
    if "<" in body:
        body = _MARKUP_RE.sub(" ", _LD_BLOCK_END_RE.sub("\n", _LD_CAPTION_RE.sub(" ", body)))
    paragraphs = [" ".join(p.split()) for p in htmllib.unescape(body).split("\n") if p.strip()]
    flat = " ".join(paragraphs)
    if len(flat) < _LD_BODY_RATIO * len(text):
        return None
    shown = [" ".join(p.split()) for p in text.split("\n\n") if len(p) >= 40]
    counts = [flat.count(p) for p in shown]
    if 1 not in counts or any(c > 1 for c in counts):
        return None
    return "\n\n".join(paragraphs)


def _from_script_data(doc, tree, html: str, ld: list[dict], url: str | None, settings: ExtractionSettings):
    """(doc, tree) of the page with the article its script data holds (``pipeline.scriptdata``) put into its body,
    when that gives more text than the HTML alone; else the given ones."""
    article = next((n for n in ld if n.get("articleBody") and any(t in _ARTICLE_TYPES for t in _ld_types(n))), None)
    fragment = scriptdata.article_html(html, article)
    if fragment is None:
        return doc, tree
    rendered = scriptdata.inject(html, fragment)
    tree2 = load_html(rendered)
    doc2 = _trafilatura(tree2, rendered, url, settings) if tree2 is not None else None
    if doc2 is not None and len(doc2.text or "") > len((doc.text or "") if doc is not None else ""):
        return doc2, tree2
    return doc, tree


def _join_split_body(doc, tree, html: str, url: str | None, settings: ExtractionSettings, parsed=None):
    """(doc, tree) of the page with the parts of a split article body joined (``pipeline.splitbody``), when that
    gives at least 20 % more text; else the given ones. ``parsed``: ``html`` parsed and unchanged, to copy rather
    than parse again."""
    joined = splitbody.joined_tree(html, doc.text, parsed)
    if joined is None:
        return doc, tree
    doc2 = _trafilatura(joined, None, url, settings)
    if doc2 is not None and len(doc2.text or "") > 1.2 * len(doc.text):
        return doc2, joined
    return doc, tree


def _trafilatura(tree, html: str | None, url: str | None, settings: ExtractionSettings):
    """trafilatura's ``bare_extraction`` with our settings. Its fallback extractors (readability, jusText) run only
    when they can matter: when ``settings.fallback`` is on and the fast pass found fewer than
    ``settings.fallback_below_chars`` characters of text (0: always). On the fundus corpus this gives the same
    quality as always comparing, at about 25 % less extraction time (docs/processing.md). The fast pass prunes
    ``tree`` in place, so the second pass parses ``html`` again (with ``html`` None: the fast pass only)."""
    def run(t, fast: bool):
        return trafilatura.bare_extraction(
            t, url=url, with_metadata=True, include_comments=False,
            favor_precision=settings.favor_precision, favor_recall=settings.favor_recall and not settings.favor_precision,
            include_tables=settings.include_tables, deduplicate=settings.deduplicate, fast=fast,
            date_extraction_params={"extensive_search": True, "original_date": True,
                                    "outputformat": "%Y-%m-%dT%H:%M:%S"})

    if not settings.fallback or settings.fallback_below_chars == 0:
        return run(tree, fast=not settings.fallback)
    doc = run(tree, fast=True)
    if doc is not None and len(doc.text or "") >= settings.fallback_below_chars or html is None:
        return doc
    fresh = load_html(html)
    return run(fresh if fresh is not None else tree, fast=False)


def _judge(ex: Extraction, settings: ExtractionSettings) -> Extraction:
    n = len(ex.text)
    minimum = settings.min_text_chars_cjk if is_cjk(ex.text) else settings.min_text_chars
    if n < minimum and ex.title and _ERROR_TITLE_RE.search(ex.title):
        return ex.failed("error_page", f"error page (title {ex.title!r}) with {counted(n, 'character')} of text")
    if (ex.link_density or 0) > settings.max_link_density and n < 4 * max(minimum, 1):
        return ex.failed("not_article", f"navigation page: {ex.link_density:.0%} of its text is links and the "
                                        f"article text has only {counted(n, 'character')}")
    if n < minimum:
        return ex.failed("too_short", f"article text has {counted(n, 'character')} (minimum {minimum})")
    return ex
