"""Article text that a page carries only in script data, for pages rendered in the browser.

Some pages send an empty shell and the article as data for their JavaScript: the JSON-LD ``articleBody``, the React
Server Components payload of Next.js' App Router (``self.__next_f.push([1, "..."])`` chunks, whose long strings are
"text rows" ``<id>:T<hex byte length>,<text>``), or a ``<script type="application/json">`` block (Next.js Pages
Router ``__NEXT_DATA__``, Nuxt 3 ``__NUXT_DATA__``, Apollo or other serialised states) or a JSON value assigned in a
script (``Fusion.globalContent = {…}``), either as a string of HTML or as a CMS's list of content blocks (Arc XP,
Sanity Portable Text, Contentful, Editor.js); and as a last resort the
double-quoted string literals of the page's inline scripts (Nuxt 2 ``window.__NUXT__=(function(a,b){…}(…))``, Redux
``window.__PRELOADED_STATE__ = {…}``: JavaScript, not JSON, but their strings are JSON-compatible). ``article_html``
finds the article there and returns it as HTML paragraphs; ``pipeline.extract`` puts them into the page's ``<body>``
and extracts as usual, so the page's metadata (title, authors, dates) is read exactly as for any other page.

Only what is data is read; no script is run.
"""
from __future__ import annotations

import html as htmllib
import json
import re
from typing import Any, Iterator

# a fragment is taken as the article only with at least this much text (tags stripped)
MIN_TEXT_CHARS = 200

_PUSH_RE = re.compile(r"self\.__next_f\.push\((\[.*?\])\)\s*;?\s*</script>", re.S)
_JSON_SCRIPT_RE = re.compile(r"<script\b[^>]*\btype=[\"']application/json[\"'][^>]*>(.*?)</script>", re.S | re.I)
_TAG_RE = re.compile(r"<[^>]+>")
_PARA_RE = re.compile(r"<(?:p|h[2-6]|li|blockquote)\b", re.I)


def article_html(html: str, ld_article: dict | None = None) -> str | None:
    """The article of a script-rendered page as HTML (``<p>`` paragraphs), or None when its data holds none."""
    body = ld_article.get("articleBody") if ld_article else None
    if isinstance(body, str) and len(body.strip()) >= MIN_TEXT_CHARS:
        return _paragraph_html(body)
    for candidates in (lambda: [*flight_text_rows(html), *_json_candidates(html)], lambda: _script_literals(html)):
        best = max((c for c in candidates() if _PARA_RE.search(c)), key=_text_len, default=None)
        if best is not None and _text_len(best) >= MIN_TEXT_CHARS:
            return best
    return None


def _paragraph_html(text: str) -> str:
    """Plain text (paragraphs separated by line breaks) as HTML paragraphs; HTML given as text is kept as HTML."""
    if _PARA_RE.search(text):
        return text
    paras = [p.strip() for p in re.split(r"\n\s*\n|\r?\n", text) if p.strip()]
    return "".join(f"<p>{htmllib.escape(p)}</p>" for p in paras)


def _text_len(fragment: str) -> int:
    return len(" ".join(_TAG_RE.sub(" ", fragment).split()))


def flight_data(html: str) -> str:
    """The React Server Components payload of a Next.js App Router page: its ``self.__next_f.push([1, "…"])``
    strings, in order."""
    out = []
    for m in _PUSH_RE.finditer(html):
        try:
            chunk = json.loads(m.group(1))
        except ValueError:
            continue
        if isinstance(chunk, list) and len(chunk) > 1 and chunk[0] == 1 and isinstance(chunk[1], str):
            out.append(chunk[1])
    return "".join(out)


def flight_text_rows(html: str) -> list[str]:
    """The text rows of the flight payload: where Next.js puts long strings such as an article's HTML. The payload
    is a sequence of rows ``<hex id>:<JSON>\\n`` and ``<hex id>:T<hex byte length>,<that many UTF-8 bytes>``."""
    data = flight_data(html).encode("utf-8")
    rows, pos, n = [], 0, len(data)
    while pos < n:
        m = _ROW_RE.match(data, pos)
        if m and m.group(2) is not None:
            end = m.end() + int(m.group(2), 16)
            rows.append(data[m.end():end].decode("utf-8", "replace"))
            pos = end
        else:   # a JSON row (or something unexpected): on to the next line
            nl = data.find(b"\n", pos)
            pos = n if nl < 0 else nl + 1
    return rows


_ROW_RE = re.compile(rb"([0-9a-f]*):(?:T([0-9a-f]+),)?")


def _json_candidates(html: str) -> list[str]:
    """Article candidates in the page's JSON data (``_json_roots``): long strings holding HTML paragraphs, and lists
    of content blocks written as paragraphs (``_blocks_html``)."""
    out, stack = [], _json_roots(html)
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
            fragment = _blocks_html(node)
            if fragment:
                out.append(fragment)
        elif isinstance(node, str) and len(node) >= MIN_TEXT_CHARS and _PARA_RE.search(node):
            out.append(node)
    return out


# "= {"key"…" or "= [{…": a JSON value assigned in a script (window.__PRELOADED_STATE__ = {…}, Fusion.globalContent=…)
_ASSIGNED_JSON_RE = re.compile(r"=\s*(?=\{\s*\"|\[\s*[{\[\"])")


def _json_roots(html: str) -> list:
    """The values of the page's ``<script type="application/json">`` blocks, and the JSON values assigned in its
    inline scripts (only those that are JSON as written; JavaScript object literals are skipped)."""
    roots = []
    for m in _JSON_SCRIPT_RE.finditer(html):
        raw = m.group(1).strip()
        try:
            roots.append(json.loads(htmllib.unescape(raw) if raw.startswith("{&quot;") else raw))
        except ValueError:
            continue
    decoder = json.JSONDecoder()
    for code in _inline_code(html):
        for a in _ASSIGNED_JSON_RE.finditer(code):
            try:
                roots.append(decoder.raw_decode(code, a.end())[0])
            except ValueError:
                continue
    return roots


# a list of the article's tags in its script data: {"tags": ["Lego", …]}, {"topics": [{"title": "GDP", …}, …]},
# {"keywords": [{"name": "Helm", "weight": 3.0}, …]}, a data layer's {"tag": ["Prinz Harry"]}
_DATA_TAG_KEYS = frozenset(("tags", "tag", "keywords", "topics"))
_DATA_TAG_NAME_KEYS = ("name", "label", "displayName", "title")
# a quick look before any JSON is parsed: one of those keys before a list
_DATA_TAG_LIST_RE = re.compile('"(?:' + "|".join(sorted(_DATA_TAG_KEYS)) + r')"\s*:\s*\[', re.I)
# what a CMS writes among its tags for itself: "fuechse_berlin", a camel-case flag ("defaultArticle",
# "receiveIndyBreakingNews"; not "iPhone", "eBay"), an id of letters and digits ("pPuuZWU2XCTyJXbiK6W65o")
_DATA_TAG_INTERNAL_RE = re.compile(r"_|^[a-z]{3,}[A-Z]\w*$|^(?=\S*\d)(?=\S*[a-z])(?=\S*[A-Z])\S{10,}$")


def data_tags(html: str) -> list[str]:
    """The article's tags as the page's script data lists them (``_DATA_TAG_KEYS``), for a page that shows them
    nowhere else: in the first JSON value (``_json_roots``) that has such a list, the one nearest its root (the
    tags of the related articles listed beside it lie deeper), each entry a string or an object with a name
    (``_DATA_TAG_NAME_KEYS``). A CMS's internal names are no tags (``_DATA_TAG_INTERNAL_RE``), and a list that is
    half such names, or all in lower case ("energieversorgung": a data layer's slugs) or all in capitals (a wire
    service's codes, "AIRL"), is no list of tags."""
    if not _DATA_TAG_LIST_RE.search(html):
        return []
    for root in _json_roots(html):
        found = _nearest_tags(root)
        if found:
            return found
    return []


def _nearest_tags(root: Any) -> list[str]:
    """The tags of ``data_tags`` in one JSON value: its levels one after the other, each in order, so the first list
    found is the one nearest the root."""
    level = [root]
    while level:
        deeper = []
        for node in level:
            if isinstance(node, dict):
                for key, value in node.items():
                    if key.lower() in _DATA_TAG_KEYS and isinstance(value, list) and (names := _tag_names(value)):
                        return names
                node = node.values()
            elif not isinstance(node, list):      # a root that is a string, a number or null
                continue
            deeper.extend(v for v in node if isinstance(v, (dict, list)))
        level = deeper
    return []


def _tag_names(items: list) -> list[str]:
    """The names of a list of tags (``data_tags``), or [] when it is not one: an entry without a name, half of the
    entries internal (``_DATA_TAG_INTERNAL_RE``), or the rest all in lower case or all in capitals."""
    names = [_tag_name(x) for x in items]
    if not all(names):
        return []
    kept = [n for n in names if not _DATA_TAG_INTERNAL_RE.search(n)]
    if 2 * len(kept) <= len(names):
        return []
    if all(n == n.lower() and n != n.upper() for n in kept) or all(n == n.upper() and n != n.lower() for n in kept):
        return []
    return kept


def _tag_name(item: Any) -> str | None:
    if isinstance(item, dict):
        item = next((item[k] for k in _DATA_TAG_NAME_KEYS if isinstance(item.get(k), (str, dict))), None)
        if isinstance(item, dict):        # {"displayName": {"text": "Justice"}}
            item = item.get("text")
    return (item.strip() or None) if isinstance(item, str) else None


_TYPE_KEYS = ("type", "_type", "nodeType", "__typename", "blockType")
_TEXT_KEYS = ("content", "text", "html", "value")


def _blocks_html(items: list) -> str | None:
    """A list of content blocks as HTML, when at least two of them are paragraphs: ``{"type": "text", "content": …}``
    (Arc XP ``content_elements``), ``{"type": "paragraph", "text": …}`` (Editor.js, many CMSs),
    ``{"nodeType": "paragraph", "content": [{"value": …}]}`` (Contentful), ``{"_type": "block", "style": "normal",
    "children": [{"text": …}]}`` (Sanity Portable Text). Heading blocks become ``<h2>``; other blocks (images,
    embeds, ads) are left out. Text that holds markup is kept as HTML, plain text is escaped."""
    parts, paragraphs = [], 0
    for item in items:
        if not isinstance(item, dict):
            continue
        kind = next((item[k] for k in _TYPE_KEYS if isinstance(item.get(k), str)), "").lower()
        style = item.get("style") if isinstance(item.get("style"), str) else "normal"
        if kind in ("text", "p") or "paragraph" in kind or (kind == "block" and style == "normal"):
            tag = "p"
        elif "head" in kind or (kind == "block" and re.fullmatch(r"h[1-6]", style)):
            tag = "h2"
        else:
            continue
        text = _block_text(item)
        if text:
            parts.append(f"<{tag}>{text if '<' in text else htmllib.escape(text)}</{tag}>")
            paragraphs += tag == "p"
    return "".join(parts) if paragraphs >= 2 else None


def _block_text(item: dict) -> str:
    """A block's text: its first text field, or the text of its children (spans, text nodes) joined."""
    for key in _TEXT_KEYS:
        if isinstance(item.get(key), str) and item[key].strip():
            return item[key].strip()
    for key in ("children", "content"):
        kids = item.get(key)
        if isinstance(kids, list):
            return "".join(next((k[t] for t in _TEXT_KEYS if isinstance(k.get(t), str)), "")
                           for k in kids if isinstance(k, dict)).strip()
    return ""


_INLINE_SCRIPT_RE = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
# a paragraph tag written in JavaScript source: "<p>", "<p class=…", "\u003Cp\u003E", "\x3Cp"
_SCRIPT_PARA_RE = re.compile(r"(?:<|\\u003[cC]|\\x3[cC])[pP][\s>\\]")
_STRING_REST_RE = re.compile(r'(?:[^"\\]|\\.)*"', re.S)      # the rest of a double-quoted string, closing quote included
_ESCAPE_RE = re.compile(r"\\(x[0-9a-fA-F]{2}|'|.)", re.S)


def _script_literals(html: str) -> list[str]:
    """The double-quoted string literals that hold HTML paragraphs (at least ``MIN_TEXT_CHARS`` long) in the
    inline scripts that are not JSON blocks. Each is found from a paragraph tag inside it (so the code around the
    strings never has to be parsed) and decoded as a JSON string once JavaScript's ``\\xHH`` and ``\\'`` escapes
    are written as JSON's; one that does not decode is skipped."""
    out = []
    for code in _inline_code(html):
        done = -1
        for tag in _SCRIPT_PARA_RE.finditer(code):
            if tag.start() < done:          # inside the literal just read
                continue
            start = _opening_quote(code, tag.start())
            rest = _STRING_REST_RE.match(code, start + 1) if start >= 0 else None
            if rest is None:
                continue
            done = rest.end()
            literal = code[start + 1:rest.end() - 1]
            if len(literal) < MIN_TEXT_CHARS:
                continue
            json_form = _ESCAPE_RE.sub(lambda e: "\\u00" + e.group(1)[1:] if e.group(1)[0] == "x"
                                       else "'" if e.group(1) == "'" else e.group(0), literal)
            try:
                out.append(json.loads(f'"{json_form}"', strict=False))
            except ValueError:
                continue
    return out


def _inline_code(html: str) -> Iterator[str]:
    """The code of the page's inline scripts, JSON blocks aside (``type="application/json"``, ``ld+json``)."""
    for m in _INLINE_SCRIPT_RE.finditer(html):
        attrs = m.group(1).lower()
        if "src=" not in attrs and "json" not in attrs:
            yield m.group(2)


def _opening_quote(code: str, pos: int) -> int:
    """The position of the last unescaped double quote before ``pos`` (-1: none)."""
    i = code.rfind('"', 0, pos)
    while i >= 0:
        j = i
        while j > 0 and code[j - 1] == "\\":
            j -= 1
        if (i - j) % 2 == 0:
            return i
        i = code.rfind('"', 0, i)
    return -1


def inject(html: str, fragment: str) -> str:
    """``html`` with ``fragment`` as an ``<article>`` at the start of its ``<body>`` (or at the end when it has
    no body tag)."""
    block = f"<article>{fragment}</article>"
    m = re.search(r"<body\b[^>]*>", html, re.I)
    if m:
        return html[:m.end()] + block + html[m.end():]
    return html + block
