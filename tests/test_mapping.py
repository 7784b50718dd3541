"""The generated template: every document field mapped, strict, facets as keywords, per-language analysis that
follows what the connected cluster offers."""
from __future__ import annotations

import pytest

from pipeline import mapping
from pipeline.admin import ensure_index
from pipeline.schema import DOCUMENT_FIELDS, ENTITY_TYPES
from pipeline.settings.index import IndexSettings


def test_every_document_field_is_mapped_and_root_is_strict():
    m = mapping.build_mappings(IndexSettings())
    assert m["dynamic"] == "strict"
    assert set(DOCUMENT_FIELDS) <= set(m["properties"])
    props = m["properties"]
    for f in ("id", "url", "canonical_url", "domain", "source", "language", "authors", "categories", "content_hash"):
        assert props[f]["type"] == "keyword", f
    assert props["title"]["type"] == "text" and props["title"]["fields"]["keyword"]["type"] == "keyword"
    assert props["text"]["type"] == "text"
    for f in ("published_at", "modified_at", "fetched_at", "processed_at"):
        assert props[f]["type"] == "date"
    assert props["word_count"]["type"] == "integer"
    assert props["entity_mentions"] == {"type": "object", "enabled": False}
    for t in ENTITY_TYPES:
        assert props["entities"]["properties"][t]["type"] == "keyword"


def test_language_copies_follow_configured_languages():
    m = mapping.build_mappings(IndexSettings(languages=["en", "ru"]))
    copies = {f for f in m["properties"] if f.startswith(("title_", "text_"))}
    assert copies == {"title_en", "text_en", "title_ru", "text_ru"}


def test_language_plan_prefers_language_analyzer_then_core_stop_then_standard():
    idx = IndexSettings(languages=["en", "de", "ja", "sw"], analyzers={"ja": "kuromoji"})
    full = mapping.language_plan(idx, {"english", "german", "standard", mapping.CORE_STOP_FILTER})
    assert full["en"]["analyzer"] == "english" and full["de"]["analyzer"] == "german"
    assert full["ja"] == {"analyzer": "kuromoji", "kind": "override"}
    assert full["sw"]["analyzer"] == "standard"  # no stop-word set, no analyzer
    core = mapping.language_plan(idx, {"standard", mapping.CORE_STOP_FILTER})
    assert core["en"]["analyzer"] == "newsetl_en" and core["en"]["kind"] == "core_stop"
    bare = mapping.language_plan(idx, None)
    assert bare["en"]["analyzer"] == "standard" and bare["de"]["analyzer"] == "standard"
    analysis = mapping.build_analysis(core)
    assert analysis["analyzer"]["newsetl_de"]["filter"] == ["lowercase", "newsetl_de_stop"]
    assert analysis["filter"]["newsetl_de_stop"]["stopwords"] == "_german_"


def test_template_shape_and_hash():
    idx = IndexSettings(name="news")
    t = mapping.build_template(idx, {"standard", mapping.CORE_STOP_FILTER})
    assert set(t["component_templates"]) == {"news-settings", "news-mappings"}
    body = t["index_template"]["body"]
    assert body["index_patterns"] == ["news-v*"]
    assert body["composed_of"] == ["news-settings", "news-mappings"]
    # the custom analyzers travel with the mappings that use them
    ct = t["component_templates"]["news-mappings"]["template"]
    assert "newsetl_en" in ct["settings"]["index"]["analysis"]["analyzer"]
    assert t["hash"] == mapping.build_template(idx, {"standard", mapping.CORE_STOP_FILTER})["hash"]
    assert t["hash"] != mapping.build_template(IndexSettings(name="news", languages=["en"]),
                                               {"standard", mapping.CORE_STOP_FILTER})["hash"]


def test_mapping_field_paths():
    paths = mapping.mapping_field_paths(mapping.build_mappings(IndexSettings(languages=["en"])))
    assert {"title", "title.keyword", "entities.person", "entities.misc", "entity_mentions", "title_en",
            "text_en", "published_at", "indexed_at"} <= paths
    assert "entities" not in paths


@pytest.mark.es
def test_detected_analyzers_match_the_cluster_and_the_index_uses_them(index_client, index_settings):
    found = mapping.detect_analyzers(index_client)
    assert "standard" in found
    res = ensure_index(index_client, index_settings)
    index = res["index"]
    # whatever was chosen for German, it must drop German stop words on this cluster
    tokens = [t["token"] for t in index_client.indices.analyze(index=index, field="title_de",
                                                                   text="Der Hund und die Katze")["tokens"]]
    assert "und" not in tokens and "die" not in tokens
    assert any(t.startswith("hund") for t in tokens)
    if "german" in found:
        assert res["languages"]["de"] == "german"
    else:
        assert res["languages"]["de"] in ("newsetl_de", "standard")
    # the index holds every field path the template defines
    live = mapping.mapping_field_paths(index_client.indices.get_mapping(index=index)[index])
    assert mapping.mapping_field_paths(mapping.build_mappings(index_settings, found)) == live
