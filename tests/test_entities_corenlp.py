"""German, Spanish and Italian entities through a real Stanford CoreNLP server (tools/corenlp-local), and the
clean-up that German text needs (genitive -s, lower-case adjectives tagged MISC); the server-less failure modes."""
from __future__ import annotations

import pytest

from pipeline.entities import by_type, merge_mentions, recognize
from pipeline.names import _NAME_PARTICLES, Mention, clean_name
from pipeline.page import Page
from pipeline.process import process_page, process_pages
from pipeline.settings.processing import EntitySettings, ModelSpec, ProcessingSettings
from tests.cfgutil import config_error
from tests.plugins.shared import read_fundus_page

GERMAN = ("Bundeskanzler Olaf Scholz traf am Montag in Berlin den französischen Präsidenten Emmanuel Macron. "
          "Scholz sagte, Deutschlands Zukunft liege in Europa. Die Deutsche Bahn und Siemens kündigten "
          "Investitionen an. Macrons Berater blieben in Paris. Deutschland und Frankreich einigten sich 🎉 am Abend "
          "in Straßburg.")


@pytest.mark.corenlp
def test_german_entities_merged_and_typed(corenlp_url):
    r = recognize(GERMAN, "de", EntitySettings())
    assert r.status == "ok", r.error
    ents = {e["name"]: e for e in r.entities}
    g = by_type(r.entities)
    assert {"Olaf Scholz", "Emmanuel Macron"} <= set(g["person"])
    assert {"Berlin", "Deutschland", "Europa", "Paris", "Straßburg"} <= set(g["location"])
    assert {"Deutsche Bahn", "Siemens"} <= set(g["organization"])
    # "Scholz" and the genitive "Macrons" count for the full names; "Deutschlands" for "Deutschland"
    assert ents["Olaf Scholz"]["count"] == 2 and ents["Emmanuel Macron"]["count"] == 2
    assert ents["Deutschland"]["count"] == 2 and "Deutschlands" not in ents and "Macrons" not in ents
    # a lower-case adjective tagged MISC ("französischen") is not an entity
    assert not any(n[0].islower() for n in ents)
    # offsets are str indexes although the server counts UTF-16 units and an emoji comes before "Straßburg"
    assert ents["Straßburg"]["first_offset"] == GERMAN.index("Straßburg")
    assert ents["Deutschland"]["first_offset"] == GERMAN.index("Deutschlands")


# paragraph breaks and doubled spaces on purpose: the Italian tokenizer counts a run of spaces as one character
SPANISH = ("El presidente del Gobierno, Pedro Sánchez, se reunió el lunes en Madrid con la presidenta de la Comisión "
           "Europea, Ursula von der Leyen.\n\nSánchez defendió el plan ante el Congreso de los Diputados.  Telefónica "
           "y el Banco Santander participaron en la reunión, celebrada después en Barcelona.")
ITALIAN = ("La presidente del Consiglio Giorgia Meloni ha incontrato a Roma il presidente francese Emmanuel Macron.\n\n"
           "Meloni ha parlato anche con i dirigenti della Fiat e dell'Eni.  \n\n  A Milano il sindaco Giuseppe Sala "
           "ha criticato il governo.")


# Italian is a default model since its gazettes are indexed (tools/corenlp-local; docs/processing.md)
WITH_ITALIAN = EntitySettings()


@pytest.mark.corenlp
@pytest.mark.parametrize("language, text, person, locations, organizations, last", [
    ("es", SPANISH, ("Pedro Sánchez", 2), {"Madrid", "Barcelona"}, {"Telefónica", "Banco Santander",
                                                                     "Comisión Europea"}, "Barcelona"),
    # Italian: CoreNLP's tags are PER/ORG/LOC there; "dell'Eni" gives "Eni" (the default configuration)
    ("it", ITALIAN, ("Giorgia Meloni", 2), {"Roma", "Milano"}, {"Fiat", "Eni"}, "Giuseppe Sala"),
])
def test_spanish_and_italian_entities(corenlp_url, language, text, person, locations, organizations, last):
    r = recognize(text, language, WITH_ITALIAN)
    assert r.status == "ok", r.error
    g = by_type(r.entities)
    ents = {e["name"]: e for e in r.entities}
    name, count = person
    assert g["person"][0] == name and ents[name]["count"] == count      # the short form counts for the full name
    assert locations <= set(g["location"]) and organizations <= set(g["organization"])
    # offsets point into the text as given, also after the paragraph breaks and doubled spaces
    assert ents[name]["first_offset"] == text.index(name) and ents[last]["first_offset"] == text.index(last)
    assert last in (g["person"] + g["location"])


@pytest.mark.corenlp
def test_german_page_through_the_process_pool(corenlp_url, pages_dir, fixed_now):
    page = Page(url="https://news.example.com/de", body=(pages_dir / "de_latin1.html").read_bytes(), source="de")
    en = Page(url="https://news.example.com/en", body=(pages_dir / "en_article.html").read_bytes(), source="en")
    docs = list(process_pages([page, en] * 3, ProcessingSettings(workers=2, chunksize=1), now=fixed_now))
    assert [d["source"] for d in docs] == ["de", "en"] * 3
    de = docs[0]
    assert de["language"] == "de" and de["entities_status"] == "ok"
    assert "Jutta Krämer" in de["entities"]["person"] and "Lindenau" in de["entities"]["location"]
    assert all(d == de for d in docs[::2])       # every worker's client gives the same document


def test_server_not_running_is_an_entity_error_not_a_lost_page(pages_dir, fixed_now, monkeypatch):
    monkeypatch.setenv("NEWSETL_CORENLP_URL", "http://127.0.0.1:9")   # port 9 (discard): closed here
    r = recognize(GERMAN, "de", EntitySettings())
    assert r.status == "error" and r.entities == []
    assert "127.0.0.1:9" in r.error and "not reachable" in r.error and "corenlp-start" in r.error
    d = process_page(Page(url="https://news.example.com/de", body=(pages_dir / "de_latin1.html").read_bytes()),
                     now=fixed_now)
    assert d["status"] == "ok" and d["language"] == "de" and d["text"]
    assert d["entities_status"] == "error" and "not reachable" in d["error"]


@pytest.mark.es
def test_a_run_with_the_server_down_indexes_the_articles_and_reports_it(es_url, es_client, es_prefix, tmp_path,
                                                                           monkeypatch, caplog):
    """`newsetl run` over the demo articles while no CoreNLP server answers: every article is indexed (German,
    Spanish and Italian ones without entities), and the run's report and log say how many lack entities and why."""
    import json
    from pathlib import Path

    import yaml

    from pipeline.settings import load_settings
    from pipeline.stages import run_pipeline
    from tests.plugins.es import delete_by_prefix

    repo = Path(__file__).resolve().parents[1]
    monkeypatch.setenv("NEWSETL_CORENLP_URL", "http://127.0.0.1:9")
    sources = tmp_path / "sources.yaml"
    sources.write_text(yaml.safe_dump({"sources": [
        {"name": "demo", "kind": "files", "path": str(repo / "config/demo/pages"),
         "url_map": str(repo / "config/demo/urls.json")}]}))
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(yaml.safe_dump({
        "storage": {"root": str(tmp_path / "store")}, "elasticsearch": {"url": es_url},
        "index": {"name": f"{es_prefix}news"}, "fetch": {"sources_file": str(sources)}, "processing": {"workers": 1}}))
    n_demo = len(json.loads((repo / "config/demo/urls.json").read_text()))
    try:
        with caplog.at_level("WARNING", logger="newsetl.stages"):
            summary = run_pipeline(load_settings(cfg), run_id="no-corenlp")
        es_client.indices.refresh(index=f"{es_prefix}news")
        docs = [h["_source"] for h in es_client.search(index=f"{es_prefix}news", size=100)["hits"]["hits"]]
        assert len(docs) == n_demo == summary["total"]["indexed"]
        served = [d for d in docs if d["language"] in ("de", "es", "it")]      # the languages CoreNLP serves
        assert {d["language"] for d in served} == {"de", "es", "it"}     # config/demo has each
        assert all(d["entities_status"] == "error" and not any(d["entities"].values()) for d in served)
        assert all(d["entities_status"] == "ok" for d in docs if d["language"] in ("en", "fr", "ru"))
        assert summary["total"]["entity_errors"] == len(served)
        assert "not reachable" in caplog.text and "entities_status error" in caplog.text
    finally:
        delete_by_prefix(es_client, es_prefix)


@pytest.mark.corenlp
def test_server_refusing_the_request_is_an_entity_error(corenlp_url):
    s = EntitySettings(models={"de": ModelSpec(backend="corenlp", model="klingon")})
    r = recognize(GERMAN, "de", s)
    assert r.status == "error" and "klingon" in r.error and corenlp_url in r.error


@pytest.mark.corenlp
def test_url_in_config_wins_over_environment(corenlp_url, monkeypatch):
    monkeypatch.setenv("NEWSETL_CORENLP_URL", "http://127.0.0.1:9")
    s = EntitySettings(models={"de": ModelSpec(backend="corenlp", url=corenlp_url)})
    assert recognize(GERMAN, "de", s).status == "ok"


@pytest.mark.corenlp
@pytest.mark.shared
def test_fundus_german_pages_get_entities(corenlp_url, fundus_manifest):
    """On the corpus's German pages (108 of 258), CoreNLP finds people or places on nearly every article."""
    pages = [Page(url=r["url"], body=read_fundus_page(r), source=r["file"]) for r in fundus_manifest
             if r.get("language") == "de"]
    docs = [d for d in process_pages(pages, ProcessingSettings(workers=2)) if d["status"] == "ok"
            and d["language"] == "de"]
    assert len(docs) >= 100
    failed = [d["source"] for d in docs if d["entities_status"] != "ok"]
    assert not failed, failed
    with_names = [d for d in docs if d["entities"]["person"] or d["entities"]["location"]]
    assert len(with_names) >= 0.95 * len(docs)
    names = [n for d in docs for t in ("person", "organization", "location", "misc") for n in d["entities"][t]]
    assert not [n for n in names if n.split()[0].islower() and n.split()[0] not in _NAME_PARTICLES], \
        "lower-case words kept at the start of a name"


@pytest.mark.corenlp
@pytest.mark.shared
def test_fundus_spanish_and_italian_pages_get_entities(corenlp_url, fundus_manifest):
    pages = [Page(url=r["url"], body=read_fundus_page(r), source=r["file"]) for r in fundus_manifest
             if r.get("language") in ("es", "it")]
    docs = [d for d in process_pages(pages, ProcessingSettings(workers=2, entities=WITH_ITALIAN)) if d["status"] == "ok"]
    assert sorted(d["language"] for d in docs) == ["es"] * 8 + ["it"] * 3
    assert all(d["entities_status"] == "ok" for d in docs), [(d["source"], d.get("error")) for d in docs]
    assert all(any(d["entities"].values()) for d in docs)
    assert sum(bool(d["entities"]["person"] or d["entities"]["location"]) for d in docs) >= 10
    # offsets map back through the Italian tokenizer's squeezed spaces: no name cut off mid-word
    names = [n for d in docs for t in ("person", "organization", "location") for n in d["entities"][t]]
    assert {"Giorgia Meloni", "Donald Trump", "Pedro Sánchez"} <= set(names), sorted(names)


# ---------------------------------------------------------------- clean-up rules (no server needed)

def test_genitive_s_joins_its_entity_in_german_only():
    ms = [Mention("Prince William", "person", 0), Mention("Williams", "person", 30), Mention("Hamburg", "location", 50),
          Mention("Hamburgs", "location", 70)]
    de = {e["name"]: e["count"] for e in merge_mentions(ms, 10, "de")}
    en = {e["name"]: e["count"] for e in merge_mentions(ms, 10, "en")}
    assert de == {"Prince William": 2, "Hamburg": 2}
    assert en == {"Prince William": 1, "Williams": 1, "Hamburg": 1, "Hamburgs": 1}
    # a genitive that inflects nothing else in the document stays as written
    assert [e["name"] for e in merge_mentions([Mention("Siemens", "organization", 0)], 5, "de")] == ["Siemens"]
    # the only form of an entity names it even when inflected
    only = merge_mentions([Mention("Merkels", "person", 0), Mention("Angela Merkel", "person", 9)], 5, "de")
    assert only == [{"name": "Angela Merkel", "type": "person", "count": 2, "first_offset": 0}]


def test_declined_german_names_of_things_are_one_entity_named_as_written():
    ms = [Mention("Europäischen Kommission", "organization", 0), Mention("Europäische Kommission", "organization", 40),
          Mention("Europäischer Rat", "organization", 80), Mention("Europäischen Rat", "organization", 99),
          Mention("Roten Kreuzes", "organization", 120), Mention("Rote Kreuz", "organization", 140),
          Mention("Deutschen Bank", "organization", 160), Mention("Jürgen Klopp", "person", 180)]
    got = {e["name"]: e["count"] for e in merge_mentions(ms, 10, "de")}
    # the -e form, where the text has it, names the entity; otherwise one of the forms as written
    rat = got.pop("Europäischer Rat", None) or got.pop("Europäischen Rat")
    assert rat == 2
    assert got == {"Europäische Kommission": 2, "Rote Kreuz": 2, "Deutschen Bank": 1, "Jürgen Klopp": 1}
    assert len(merge_mentions(ms, 10, "en")) == 8          # other languages: as before


def test_names_lose_symbols_at_their_edges_and_lower_case_words_are_dropped():
    assert clean_name("Olaf Scholz 😀") == "Olaf Scholz"
    assert clean_name("\u200bBerlin\u00ad") == "Berlin"
    for junk in ["französischen", "her", "😀"]:
        assert clean_name(junk) is None, junk
    assert clean_name("im Kongress") == "Kongress" and clean_name("am Askanischen Platz") == "Askanischen Platz"
    assert clean_name("Bildern amerikanischer") == "Bildern"
    assert clean_name("von der Leyen") == "von der Leyen" and clean_name("Golf von Mexiko") == "Golf von Mexiko"
    for kept in ["iPhone", "al-Qaida", "de Gaulle", "eBay", "北京"]:
        assert clean_name(kept) == kept


def test_corenlp_settings_are_validated(tmp_path):
    base = "processing:\n  entities:\n    models:\n      de: "
    err = config_error(tmp_path, base + "{backend: corenlp, model: [a, b]}\n")
    assert "processing.entities.models.de" in err and "pipelineLanguage" in err
    err = config_error(tmp_path, base + "{backend: spacy, model: x, url: 'http://127.0.0.1:9000'}\n")
    assert "url is for the corenlp backend only" in err
    err = config_error(tmp_path, base + "{backend: corenlp, url: '127.0.0.1:9000'}\n")
    assert "base URL" in err
    err = config_error(tmp_path, base + "{backend: spacy}\n")
    assert "needs model" in err
    err = config_error(tmp_path, base + "{backend: spacy, model: x, min_person_confidence: 0.5}\n")
    assert "min_person_confidence is for the corenlp backend only" in err
    err = config_error(tmp_path, base + "{backend: corenlp, min_person_confidence: 2}\n")
    assert "min_person_confidence" in err and "less than or equal to 1" in err


# ---------------------------------------------------------------- newsetl models

@pytest.mark.corenlp
def test_newsetl_models_tries_every_configured_language(corenlp_url, capsys):
    from pipeline.cli import main

    assert main(["models"]) == 0
    lines = {ln.split()[0]: ln for ln in capsys.readouterr().out.splitlines()}
    assert set(lines) == {"en", "fr", "ru", "ja", "de", "es", "it"}      # config/newsetl.yaml's languages
    for lang in ("de", "es", "it"):
        assert "corenlp" in lines[lang] and " ok " in lines[lang] and "person:Angela Merkel" in lines[lang]
    assert "location:Paris" in lines["en"]
    assert "ja_ginza" in lines["ja"] and " ok " in lines["ja"] and "location:パリ" in lines["ja"]


def test_newsetl_models_fails_naming_the_language_whose_server_is_down(monkeypatch, capsys):
    import json

    from pipeline.cli import main

    monkeypatch.setenv("NEWSETL_CORENLP_URL", "http://127.0.0.1:9")
    assert main(["models", "--json"]) == 1
    out = capsys.readouterr()
    rows = {r["language"]: r for r in json.loads(out.out)}
    assert rows["de"]["status"] == "error" and "not reachable" in rows["de"]["error"]
    assert rows["en"]["status"] == "ok" and rows["ru"]["status"] == "ok"
    assert "no working recogniser for de" in out.err


@pytest.mark.corenlp
def test_no_name_runs_across_a_paragraph_break(corenlp_url):
    # a heading that ends in a name, a paragraph that starts with one: two entities, never "Aegon Wynaendts"
    text = ("Der Aufsichtsrat hat Alexander Wynaendts erneut nominiert.\n\nEinst bei ABN Amro und Aegon\n\n"
            "Wynaendts war von 2008 bis 2020 Vorstandschef des Versicherungskonzerns Aegon.")
    r = recognize(text, "de", EntitySettings())
    assert r.status == "ok", r.error
    names = {e["name"]: e for e in r.entities}
    assert not any("\n" in n or n.startswith("Aegon ") for n in names), names
    assert names["Alexander Wynaendts"]["count"] == 2


@pytest.mark.corenlp
def test_a_one_word_person_the_model_is_never_sure_of_is_misc(corenlp_url):
    text = "Der Vertrag mit Atruvia läuft aus. Angela Merkel war in Berlin. Kritiker sehen Makluba skeptisch."
    default = by_type(recognize(text, "de", EntitySettings()).entities)
    # the model's confidence in "Atruvia" (a company) and "Makluba" (a dish) as people is about 0.4, in "Angela
    # Merkel" 1.0 (ModelSpec.min_person_confidence, 0.6 by default)
    assert default["person"] == ["Angela Merkel"] and {"Atruvia", "Makluba"} <= set(default["misc"])
    off = EntitySettings(models={**EntitySettings().models,
                                 "de": ModelSpec(backend="corenlp", min_person_confidence=0)})
    assert {"Angela Merkel", "Atruvia", "Makluba"} <= set(by_type(recognize(text, "de", off).entities)["person"])
