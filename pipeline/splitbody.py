"""Articles split into several containers of one kind (in-story ads or sidebars between the parts): join them.

trafilatura keeps the container that holds most of the article text, so on a page whose body comes in sibling blocks
(``<div class="article__content">`` … ad … ``<div class="article__content">`` …) it returns only the first part.
``joined_tree`` finds the container of the text extracted so far: the closest ancestor of its first paragraph whose
``class`` attribute is shared, exactly, by other elements that hold paragraphs. When all of them sit in the same
``<article>`` or ``<main>`` (else under the same grandparent), it moves their children into the first one and returns
the page's tree so rewritten; ``pipeline.extract`` extracts it again and keeps the result when it is clearly longer.

The same-``<article>`` rule keeps a preloaded next article (infinite scroll repeats the container classes) out.
"""
from __future__ import annotations

import copy
import re

from trafilatura.utils import load_html

# the other parts must add at least this many characters of paragraph text, and this share of the text so far
MIN_EXTRA_CHARS = 200
EXTRA_SHARE = 0.2
_MAX_CLIMB = 5


def _norm(s: str | None) -> str:
    return " ".join((s or "").split())


def joined_tree(html: str, text: str, parsed=None):
    """The page parsed, with the parts of a split article body joined in its first part; None when it is not split.
    ``parsed``: the tree ``load_html(html)`` gave, unchanged since; a copy of it is joined (copying a tree takes a
    fraction of the time parsing the page again does), and it stays as it is."""
    paras = [_norm(p)[:200] for p in text.split("\n\n") if len(p) >= 60][:3]
    if not paras or not _may_be_split(html, paras):
        return None
    tree = copy.deepcopy(parsed) if parsed is not None else load_html(html)
    if tree is None:
        return None
    texts = [(p, _norm("".join(p.itertext()))) for p in tree.iter("p")]
    target = next((p for key in paras for p, t in texts if t.startswith(key[:60])), None)
    if target is None:
        return None
    node = target.getparent()
    for _ in range(_MAX_CLIMB):
        if node is None or node.tag in ("body", "html", "article", "main"):
            return None
        cls = node.get("class")
        if cls:
            group = tree.xpath("//*[@class=$c]", c=cls)
            if len(group) >= 2:
                return _join(tree, node, group, len(text))
        node = node.getparent()
    return None


_TAG_RE = re.compile(r"<(/?)([a-zA-Z][\w-]*)([^>]*)>")
_CLASS_RE = re.compile(r"""\bclass=(["'])([^"'<>]+)\1""")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def _enclosing_classes(html: str, at: int, window: int = 4000) -> list[str]:
    """The class attributes of the elements still open at ``at`` (closest first), read from the ``window``
    characters of raw HTML before it: a tag balancer over a few dozen tags instead of a second parse."""
    stack: list[tuple[str, str | None]] = []
    for m in _TAG_RE.finditer(html, max(0, at - window), at):
        closing, tag, attrs = m.group(1), m.group(2).lower(), m.group(3)
        if tag in _VOID or attrs.endswith("/"):
            continue
        if closing:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == tag:
                    del stack[i:]
                    break
        else:
            cm = _CLASS_RE.search(attrs)
            stack.append((tag, cm.group(2) if cm else None))
    return [c for _, c in reversed(stack) if c]


def _may_be_split(html: str, firsts: list[str]) -> bool:
    """A quick look at the raw HTML before parsing it again: is an element around the first paragraph one of several
    with its exact class? (Most pages answer no, at the cost of a few string searches.)"""
    for key in firsts:
        # four words in a row with nothing between them that HTML could write as an entity or a tag
        runs = re.findall(r"(?:[^\W_]+ ){3}[^\W_]+", key)
        if not runs:
            continue
        at, seen = html.find(runs[0]), 0
        while at >= 0 and seen < 5:     # the same words may stand in script data (JSON-LD) before the paragraph
            around = _enclosing_classes(html, at)[:_MAX_CLIMB]
            if any(html.count(f'class="{c}"') + html.count(f"class='{c}'") >= 2 for c in around):
                return True
            at, seen = html.find(runs[0], at + 1), seen + 1
        return False
    return False


def _join(tree, node, group: list, text_chars: int):
    scope = next((a for a in node.iterancestors() if a.tag in ("article", "main")), None)
    if scope is None:
        parent = node.getparent()
        scope = parent.getparent() if parent is not None else None
    if scope is None or any(scope not in g.iterancestors() for g in group):
        return None
    members = set(group)
    if any(a in members for g in group for a in g.iterancestors()):   # nested: a wrapper, not parts
        return None
    extra = sum(len(_norm("".join(p.itertext()))) for g in group if g is not node for p in g.iter("p"))
    if extra < max(MIN_EXTRA_CHARS, EXTRA_SHARE * text_chars):   # too little to matter: not worth extracting again
        return None
    first = group[0]
    for g in group[1:]:
        for child in list(g):
            first.append(child)
        g.getparent().remove(g)
    return tree
