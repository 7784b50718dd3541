"""Per-site extraction rules: where the generic extraction gets a site wrong, the site's own selectors say where its
title, authors, dates, body, tags or image are, and which elements to drop (``processing.extraction.site_rules``).

A selector is CSS (``h1.headline``, ``div.story > p``) or XPath when it starts with ``/`` or ``(``; a value taken
from an attribute is written ``selector@attribute`` (``time.published@datetime``, ``figure img@src``). Per field:

- ``title``, ``description``, ``published_at``, ``modified_at``, ``top_image``: the first match (its text, or its
  attribute);
- ``authors``, ``tags``, ``categories``: every match, one value each;
- ``body``: every match, in page order, as paragraphs (one per block element: p, h2…h6, li, blockquote, pre, div
  without blocks inside, a ``<br>`` ends a line);
- ``remove``: every match is dropped from the page before anything is read (related links, newsletter boxes,
  captions inside the body).

A field whose selector matches nothing (or only empty elements) keeps the generic value: ``pick`` lists it among the
misses, which ``pipeline.extract`` logs, since it usually means the site changed its layout.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from lxml import etree

FIRST = ("title", "description", "published_at", "modified_at", "top_image")
EVERY = ("authors", "tags", "categories")
FIELDS = FIRST + EVERY + ("body",)
_ATTR_RE = re.compile(r"^(.*?[^/\s])\s*/?@([A-Za-z_][\w:.-]*)$")     # "img@src", XPath "//img/@src" too
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "div", "section", "article", "dd",
           "dt", "td", "th", "figcaption", "header", "footer", "ul", "ol", "table", "tr"}
_SKIP = {"script", "style", "noscript", "template", "iframe", "svg", "button", "form", "select", "textarea"}


class SelectorError(ValueError):
    """A selector that is neither CSS nor XPath; the message says which and why."""


@dataclass(frozen=True)
class Selector:
    text: str                 # as written in the config
    path: Any                 # compiled lxml XPath
    attribute: str | None = None

    def matches(self, tree) -> list:
        return [el for el in self.path(tree) if isinstance(el, etree._Element)]

    def values(self, tree) -> list[str]:
        """The whitespace-normalised values of the matches (attribute or text), empty ones left out."""
        out = []
        for el in self.matches(tree):
            raw = el.get(self.attribute) if self.attribute else " ".join(el.itertext())
            value = " ".join((raw or "").split())
            if value:
                out.append(value)
        return out


@functools.lru_cache(maxsize=1024)
def compile_selector(text: str, *, attribute: bool = True) -> Selector:
    """A config selector, compiled (once per process); ``SelectorError`` saying what is wrong. ``attribute``:
    ``@name`` allowed."""
    text = (text or "").strip()
    if not text:
        raise SelectorError("the selector is empty")
    attr = None
    m = _ATTR_RE.match(text)
    if m and attribute:
        text, attr = m.group(1), m.group(2)
    if text.startswith(("/", "(")):
        try:
            path = etree.XPath(text)
        except etree.XPathSyntaxError as e:
            raise SelectorError(f"{text!r} is not a valid XPath ({e})") from None
    else:
        from cssselect import GenericTranslator, SelectorError as CssError

        try:
            path = etree.XPath(GenericTranslator().css_to_xpath(text))
        except (CssError, etree.XPathSyntaxError) as e:
            raise SelectorError(f"{text!r} is not a valid CSS selector ({e}); an XPath starts with / or (") from None
    return Selector(text, path, attr)


@dataclass
class Picked:
    values: dict[str, Any] = field(default_factory=dict)    # field -> the rule's value
    misses: list[str] = field(default_factory=list)          # fields whose selector gave nothing


def remove(tree, selectors: list[Selector]) -> int:
    """Drop every element the selectors match (their tails stay). Returns how many."""
    n = 0
    for sel in selectors:
        for el in sel.matches(tree):
            if el.getparent() is not None:
                el.drop_tree()
                n += 1
    return n


def pick(tree, selectors: dict[str, Selector], base_url: str | None) -> Picked:
    """The values of one page for the fields the rule names (the module docstring)."""
    out = Picked()
    for name, sel in selectors.items():
        if name == "body":
            value: Any = "\n\n".join(t for t in (block_text(el) for el in sel.matches(tree)) if t) or None
        elif name in EVERY:
            value = list(dict.fromkeys(sel.values(tree))) or None
        else:
            found = sel.values(tree)
            value = found[0] if found else None
            if value and name == "top_image":
                value = urljoin(base_url or "", value)
        if value:
            out.values[name] = value
        else:
            out.misses.append(name)
    return out


def text_date(value: str) -> dt.datetime | None:
    """A date written as text ("20 November 2026, 09:15", "Fri, 20 Nov 2026 09:15:00 +0000", "20.11.2026"; numbers
    read day first; English month names), or None, also when it lacks the year ("20 Nov"). ISO dates are read by
    ``pipeline.extract.parse_datetime`` first."""
    from dateutil import parser

    try:
        # parsed with two defaults: a part the text lacks comes out different
        a = parser.parse(value, dayfirst=True, default=dt.datetime(1900, 1, 1))
        b = parser.parse(value, dayfirst=True, default=dt.datetime(1901, 2, 2))
    except (ValueError, OverflowError):
        return None
    return a if a.date() == b.date() else None


def block_text(el) -> str:
    """The text of an element as paragraphs: one per block element, a blank line between them; scripts, styles
    and forms left out."""
    paragraphs: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = " ".join("".join(buf).split())
        if text:
            paragraphs.append(text)
        buf.clear()

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _SKIP or not tag:
            return
        if tag == "br":
            flush()
            return
        block = tag in _BLOCKS
        if block:
            flush()
        buf.append(node.text or "")
        for child in node:
            walk(child)
            buf.append(child.tail or "")
        if block:
            flush()

    walk(el)
    flush()
    return "\n\n".join(paragraphs)
