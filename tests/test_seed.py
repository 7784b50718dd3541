"""The seed article (../shared/seed), wrapped in a minimal HTML page here, through the whole processing core.

What the small English model gets is asserted; what it misses is listed in docs/processing.md (e.g. "Ekho Moskvy"
comes out as a person, "Crimea" only as the adjective "Crimean", "Kremlin" merged into a headline fragment).
"""
from __future__ import annotations

import html

import pytest

from pipeline.page import Page
from pipeline.process import process_page


@pytest.fixture(scope="module")
def seed_doc(seed_text, fixed_now_module):
    paras = "".join(f"<p>{html.escape(' '.join(p.split()))}</p>\n" for p in seed_text.split("\n\n") if p.strip())
    body = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Seed article</title></head>"
            f"<body><article>{paras}</article></body></html>").encode("utf-8")
    return process_page(Page(url="https://www.themoscowtimes.com/seed", body=body, source="seed"),
                        now=fixed_now_module)


@pytest.fixture(scope="module")
def fixed_now_module():
    from tests.plugins.processing import FIXED_NOW

    return FIXED_NOW


@pytest.mark.shared
def test_seed_language(seed_doc):
    assert seed_doc["status"] == "ok"
    assert seed_doc["language"] == "en" and seed_doc["language_confidence"] > 0.9


@pytest.mark.shared
def test_seed_people_with_short_mentions_merged(seed_doc):
    persons = seed_doc["entities"]["person"]
    for name in ("Alexander Lukashenko", "Vladimir Putin", "Dmitry Peskov", "Dmitry Krutoy"):
        assert name in persons
    for short in ("Lukashenko", "Putin", "Peskov"):
        assert short not in persons
    counts = {e["name"]: e["count"] for e in seed_doc["entity_mentions"]}
    assert counts["Alexander Lukashenko"] >= 5 and counts["Vladimir Putin"] >= 3     # short forms counted in
    assert persons[0] == "Alexander Lukashenko"


@pytest.mark.shared
def test_seed_places_and_organisations(seed_doc):
    assert {"Russia", "Belarus", "Minsk", "Moscow", "Ukraine"} <= set(seed_doc["entities"]["location"])
    assert {"RIA Novosti", "RBC"} <= set(seed_doc["entities"]["organization"])
    junk = [n for names in seed_doc["entities"].values() for n in names if len(n) < 2 or n.endswith("'s")]
    assert junk == []
