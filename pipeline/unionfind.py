"""Connected components: things joined in pairs, directly or through others, in one group (a union-find).

Used where names meet through shared keys (``namekeys.group_spellings``), aliases join names
(``names._alias_groups``) and near duplicates join documents (``neardup.mark_near_duplicates``).
"""
from __future__ import annotations

from typing import Hashable, Iterable, TypeVar

T = TypeVar("T", bound=Hashable)


def components(pairs: Iterable[tuple[T, T]], nodes: Iterable[T] = ()) -> dict[T, T]:
    """Each node's representative (one member of its component): two nodes have the same one exactly when the
    pairs join them. ``nodes``: nodes that may be in no pair (their own representative). Every node of a pair is in
    the answer."""
    parent: dict[T, T] = {}

    def find(x: T) -> T:
        while parent.setdefault(x, x) != x:
            parent[x] = x = parent[parent[x]]     # path halving: the chains stay short
        return x

    for node in nodes:
        parent.setdefault(node, node)
    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    return {node: find(node) for node in list(parent)}
