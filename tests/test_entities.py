"""Entities: per-language backends behind one interface, normalised types, merging, junk removal, caps."""
from __future__ import annotations

from pipeline.entities import Mention, by_type, clean_name, merge_mentions, recognize, truncate
from pipeline.settings.processing import EntitySettings, ModelSpec

TEXT = ("Russian President Vladimir Putin met Alexander Lukashenko in Minsk on Tuesday. Putin said the talks "
        "went well, and Lukashenko agreed. The Kremlin spokesman Dmitry Peskov told RIA Novosti that Putin "
        "would return to Moscow.")


def test_english_with_spacy_merges_short_forms():
    r = recognize(TEXT, "en", EntitySettings())
    assert r.status == "ok"
    ents = {e["name"]: e for e in r.entities}
    assert ents["Vladimir Putin"]["type"] == "person" and ents["Vladimir Putin"]["count"] == 3
    assert ents["Alexander Lukashenko"]["count"] == 2
    assert "Putin" not in ents and "Lukashenko" not in ents
    assert ents["Vladimir Putin"]["first_offset"] == TEXT.index("Vladimir Putin")
    grouped = by_type(r.entities)
    assert grouped["person"][0] == "Vladimir Putin"          # most mentioned first
    assert {"Minsk", "Moscow"} <= set(grouped["location"])
    assert "RIA Novosti" in grouped["organization"]


def test_french_with_spacy():
    r = recognize("Emmanuel Macron a rencontré Olaf Scholz à Berlin mardi. Macron a parlé de l'Union européenne.",
                  "fr", EntitySettings())
    assert r.status == "ok"
    g = by_type(r.entities)
    assert "Emmanuel Macron" in g["person"] and "Berlin" in g["location"]


def test_russian_with_natasha_normalises_case():
    r = recognize("Владимир Путин встретился с Александром Лукашенко в Минске. Путина поддержали в Москве.",
                  "ru", EntitySettings())
    assert r.status == "ok"
    g = by_type(r.entities)
    assert "Владимир Путин" in g["person"] and "Александр Лукашенко" in g["person"]
    assert "Путина" not in g["person"]
    assert {"Минск", "Москва"} <= set(g["location"])


def test_no_model_is_not_an_error():
    r = recognize("Angela Merkel besuchte Paris.", "de", EntitySettings())
    assert r.status == "no_model" and r.entities == []
    assert recognize(TEXT, "en", EntitySettings(), enabled=False).status == "disabled"


def test_missing_model_package_is_an_error_status():
    s = EntitySettings(models={"en": ModelSpec(backend="spacy", model="xx_no_such_model_pkg")})
    r = recognize(TEXT, "en", s)
    assert r.status == "error" and "xx_no_such_model_pkg" in r.error


def test_junk_is_dropped():
    for junk in ["'s", "2024", "A", "--", "’s", "12.5%", "  "]:
        assert clean_name(junk) is None, junk
    assert clean_name("Putin's") == "Putin"
    assert clean_name("the Kremlin") == "Kremlin"
    assert clean_name("“RBC”") == "RBC"


def test_type_settled_by_votes_and_cap():
    ms = [Mention("Jordan", "location", 0), Mention("Jordan", "location", 10), Mention("Jordan", "person", 20)]
    ms += [Mention(f"Name{i} Surname", "person", 100 + i) for i in range(30)]
    out = merge_mentions(ms, max_entities=5)
    assert len(out) == 5
    assert out[0] == {"name": "Jordan", "type": "location", "count": 3, "first_offset": 0}


def test_ambiguous_short_form_is_not_merged():
    ms = [Mention("Dmitry Peskov", "person", 0), Mention("Dmitry Krutoy", "person", 20), Mention("Dmitry", "person", 40)]
    names = {e["name"] for e in merge_mentions(ms, 10)}
    assert names == {"Dmitry Peskov", "Dmitry Krutoy", "Dmitry"}


def test_truncate_cuts_at_paragraph():
    t = "a" * 60 + "\n\n" + "b" * 60
    assert truncate(t, 100) == "a" * 60
    assert truncate("short", 100) == "short"


def test_initialisms_keep_their_last_dot():
    assert clean_name("the U.S.") == "U.S."
    assert clean_name("U.K.’s") == "U.K."
    assert clean_name("Washington, D.C.") == "Washington, D.C."
    assert clean_name("Putin.") == "Putin" and clean_name("Inc.") == "Inc"


def test_merged_entity_takes_the_type_of_its_full_name():
    """A surname the model often mistypes ("the Trump campaign" → ORG) does not turn the person into an org."""
    ms = [Mention("Donald Trump", "person", 0)]
    ms += [Mention("Trump", "organization", 20 + i) for i in range(5)] + [Mention("Trump", "person", 40)]
    assert merge_mentions(ms, 10) == [{"name": "Donald Trump", "type": "person", "count": 7, "first_offset": 0}]
