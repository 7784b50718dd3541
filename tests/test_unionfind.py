"""pipeline.unionfind: connected components of pairs."""
from __future__ import annotations

import random

from pipeline.unionfind import components


def _groups(root: dict) -> set[frozenset]:
    out: dict = {}
    for node, r in root.items():
        out.setdefault(r, set()).add(node)
    return {frozenset(g) for g in out.values()}


def test_pairs_join_through_others_and_lone_nodes_stay_alone():
    root = components([("a", "b"), ("c", "d"), ("b", "c"), ("x", "y")], nodes=["z", "a"])
    assert _groups(root) == {frozenset("abcd"), frozenset("xy"), frozenset("z")}
    assert components([]) == {} and components([(1, 1)]) == {1: 1}


def test_the_groups_do_not_depend_on_the_order_of_the_pairs():
    rng = random.Random(7)
    pairs = [(rng.randrange(200), rng.randrange(200)) for _ in range(150)]
    want = _groups(components(pairs, range(200)))
    for _ in range(5):
        rng.shuffle(pairs)
        flipped = [(b, a) if rng.random() < 0.5 else (a, b) for a, b in pairs]
        assert _groups(components(flipped, range(200))) == want
    # a long chain stays one group (and finding its root stays cheap: path halving)
    chain = [(i, i + 1) for i in range(100_000)]
    assert len(set(components(chain).values())) == 1
