"""Name keys (pipeline.namekeys): the spellings of one name in several languages and scripts share a key."""
from __future__ import annotations

import pytest

from pipeline.load import prepare_document, strip_language_copies
from pipeline.namekeys import entity_keys, name_key, query_keys
from pipeline.settings import load_settings
from tests.plugins.docs import make_document


@pytest.mark.parametrize("spellings, key", [
    ([("Владимир Путин", "ru"), ("Vladimir Poutine", "fr"), ("Wladimir Putin", "de"), ("Vladimir Putin", "en")],
     "vladimir putin"),
    ([("Зеленский", "ru"), ("Зеленський", "uk"), ("Selenskyj", "de"), ("Zelensky", "en"), ("Zelenskyy", "en"),
      ("Zelenski", "es")], "zelensky"),
    ([("Лукашенко", "ru"), ("Lukaschenko", "de"), ("Loukachenko", "fr"), ("Lukashenko", "en")], "lukashenko"),
    ([("Алексей Навальный", "ru"), ("Alexej Nawalny", "de"), ("Alexei Navalny", "en"), ("Alexeï Navalny", "fr")],
     "aleksei navalny"),
    ([("Шойгу", "ru"), ("Choïgou", "fr"), ("Schoigu", "de"), ("Shoigu", "en")], "shoigu"),
    ([("Ельцин", "ru"), ("Jelzin", "de"), ("Yeltsin", "en"), ("Eltsine", "fr")], "eltsin"),
    ([("Ходорковский", "ru"), ("Chodorkowski", "de"), ("Khodorkovsky", "en")], "khodorkovsky"),
    ([("Макрон", "ru"), ("Macron", "fr"), ("Macron", "en")], "makron"),
    ([("Леонид Слуцкий", "ru"), ("Leonid Slutsky", "en")], "leonid slutsky"),
])
def test_one_name_spelt_by_several_languages_has_one_key(spellings, key):
    assert {name_key(n, lang) for n, lang in spellings} == {key}


def test_keys_keep_different_names_apart():
    # acronyms are spelt letter by letter, without a language's rules or the doubled-letter rule
    assert name_key("BBC", "en") == "bbc" != name_key("BC", "en")
    assert name_key("WHO", "de") == "who" != name_key("Who", "de")
    assert name_key("ФСБ", "ru") == "fsb"
    assert name_key("CAC 40", "fr") == "cac 40" != name_key("CAC", "fr") and name_key("G7", "de") == "g7"
    # sounds a transcription changes do not meet; other scripts have no key
    assert name_key("Трамп", "ru") != name_key("Trump", "en")
    assert name_key("Peyton", "en") != name_key("Putin", "en")
    assert name_key("Πούτιν", "el") == "" and name_key("プーチン", "ja") == ""
    # letters Unicode does not decompose
    assert name_key("Wałęsa", "pl") == "walesa" and name_key("Großbritannien", "de") == name_key(
        "Grossbritannien", "de")


def test_a_query_is_keyed_as_english_german_and_french_spell_it():
    # "Scholz" typed by an analyst meets the Russian "Шольц", which German spelling keys alike
    assert name_key("Шольц", "ru") in query_keys("Scholz") and name_key("Scholz", "en") in query_keys("Scholz")
    assert query_keys("Putin") == ["putin"]
    assert query_keys("Путин") == ["putin", "putyn"]          # Russian and Ukrainian tables
    assert query_keys("") == [] and query_keys("プーチン") == []


def test_the_loader_adds_the_keys_in_the_documents_language_and_strips_them_again():
    settings = load_settings()
    doc = make_document(language="de", entities={"person": ["Wladimir Putin", "Putin"], "organization": ["BBC"],
                                                 "location": ["東京"], "misc": []})
    out = prepare_document(doc, settings, now="2026-11-28T00:00:00+00:00")
    assert out["entity_keys"] == {"person": ["vladimir putin", "putin"], "organization": ["bbc"]}
    assert "entity_keys" not in strip_language_copies(out)
    assert entity_keys({"person": []}, "en") == {} and entity_keys(None, None) == {}


def test_facet_buckets_of_one_name_in_several_spellings_are_joined():
    from pipeline.namekeys import group_spellings

    buckets = [{"key": "Vladimir Putin", "count": 8}, {"key": "Donald Trump", "count": 6},
               {"key": "Владимир Путин", "count": 3}, {"key": "Wladimir Putin", "count": 2},
               {"key": "Olaf Scholz", "count": 2}, {"key": "Олаф Шольц", "count": 1},
               {"key": "Дональд Трамп", "count": 1}, {"key": "Vladimir Poutine", "count": 1}]
    got = group_spellings(buckets)
    assert [(g["key"], g["count"], [b["key"] for b in g["spellings"]]) for g in got] == [
        ("Vladimir Putin", 14, ["Vladimir Putin", "Владимир Путин", "Wladimir Putin", "Vladimir Poutine"]),
        ("Donald Trump", 6, ["Donald Trump"]),
        ("Olaf Scholz", 3, ["Olaf Scholz", "Олаф Шольц"]),
        ("Дональд Трамп", 1, ["Дональд Трамп"])]     # transcribed by ear: not joined
    # the most counted spelling names the group, whichever comes first
    assert group_spellings([{"key": "Wladimir Putin", "count": 1}, {"key": "Владимир Путин", "count": 5}])[0][
        "key"] == "Владимир Путин"
    assert group_spellings([]) == []
