"""Search over the processed fundus corpus plus the seed article, on the real node."""
from __future__ import annotations

import collections
import datetime as dt
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import yaml

from pipeline.es import client_from_settings
from pipeline.load import bulk_load
from pipeline.namekeys import name_key
from pipeline.search import SearchError, iter_all, search
from pipeline.storage import Storage
from tests.plugins.es import delete_by_prefix

pytestmark = [pytest.mark.es, pytest.mark.shared]
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus(es_url, es_client, fundus_docs, seed_doc, tmp_path_factory):
    """(settings, client, docs): the ok documents (one per id, the last version wins) loaded into a fresh index."""
    from pipeline.settings import load_settings

    prefix = f"test-{uuid.uuid4().hex[:8]}-"
    root = tmp_path_factory.mktemp("search")
    settings = load_settings(overrides={"elasticsearch": {"url": es_url}, "index": {"name": f"{prefix}news"},
                                        "storage": {"root": str(root / "storage")}})
    client = client_from_settings(settings)
    docs = fundus_docs + [seed_doc]
    res = bulk_load(client, docs, settings, storage=Storage(settings.storage.root), run_id="search")
    assert res.failed == 0
    by_id = {d["id"]: d for d in docs if d["status"] == "ok"}
    yield settings, client, list(by_id.values()), root
    client.close()
    delete_by_prefix(es_client, prefix)


def test_title_words_find_their_articles(corpus):
    settings, client, docs, _ = corpus
    missed = []
    for d in docs:
        if not d.get("title"):
            continue
        res = search(client, settings, d["title"], size=10)
        if d["id"] not in [h["id"] for h in res["hits"]]:
            missed.append(d["title"])
    assert missed == []


def test_highlights_mark_query_words(corpus):
    settings, client, docs, _ = corpus
    res = search(client, settings, "Lukashenko", size=3)
    assert res["hits"], res
    top = res["hits"][0]
    assert any("<em>Lukashenko</em>" in f for f in top["highlight"].get("text", []) + top["highlight"].get("title", []))


def _utc_month(value: str) -> str:
    t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-01")


def test_facet_counts_equal_counts_from_the_input(corpus):
    settings, client, docs, _ = corpus
    res = search(client, settings, "", size=0, facets=True, facet_size=5000)
    assert res["total"] == len(docs)
    f = {name: {b["key"]: b["count"] for b in buckets} for name, buckets in res["facets"].items()}
    assert f["language"] == collections.Counter(d["language"] for d in docs)
    assert f["source"] == collections.Counter(d["source"] for d in docs)
    assert f["domain"] == collections.Counter(d["domain"] for d in docs)
    for etype in ("person", "organization", "location", "misc"):
        expected = collections.Counter(n for d in docs for n in set((d.get("entities") or {}).get(etype) or []))
        assert f[f"entities.{etype}"] == expected, etype
    assert f["published_at"] == collections.Counter(_utc_month(d["published_at"]) for d in docs if d["published_at"])
    assert sum(f["entities.person"].values()) > 50  # the corpus really has people in it
    for field in ("authors", "categories", "tags"):   # bylines; the pages' own sections and keywords, one value each
        assert f[field] == collections.Counter(v for d in docs for v in set(d.get(field) or [])), field
    # keyword lists arrive split (an IPTC subject such as "Business, Finance, & Economics" stays whole)
    assert sum(f["tags"].values()) > 300 and not any(t.count(",") >= 3 for t in f["tags"])


def test_filters(corpus):
    settings, client, docs, _ = corpus
    de = [d for d in docs if d["language"] == "de"]
    res = search(client, settings, "", lang="de", size=5)
    assert res["total"] == len(de) and all(h["language"] == "de" for h in res["hits"])
    src = docs[0]["source"]
    assert search(client, settings, "", source=src, size=0)["total"] == sum(d["source"] == src for d in docs)
    dom = docs[0]["domain"]
    assert search(client, settings, "", source=dom, size=0)["total"] == sum(
        d["domain"] == dom or d["source"] == dom for d in docs)
    dated = [dt.datetime.fromisoformat(d["published_at"].replace("Z", "+00:00")) for d in docs if d["published_at"]]
    dated = [t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc) for t in dated]
    lo, hi = dt.date(2023, 1, 1), dt.date(2023, 12, 31)
    expected = sum(lo <= t.astimezone(dt.timezone.utc).date() <= hi for t in dated)
    res = search(client, settings, "", since="2023-01-01", until="2023-12-31", size=0)
    assert res["total"] == expected
    with pytest.raises(SearchError):
        search(client, settings, "", since="yesterday-ish")
    with pytest.raises(SearchError):
        search(client, settings, "", entities=[("weapon", "x")])
    # a tag or category as the page writes it; several: any of them
    top = collections.Counter(t for d in docs for t in set(d["tags"])).most_common(2)
    one = top[0][0]
    assert search(client, settings, "", tag=one, size=0)["total"] == sum(
        one in d["tags"] or one in d["categories"] for d in docs)
    both = ",".join(t for t, _ in top)
    assert search(client, settings, "", tag=both, size=0)["total"] == sum(
        any(t in d["tags"] or t in d["categories"] for t, _ in top) for d in docs)


@pytest.mark.parametrize("use_pit", [True, False])
@pytest.mark.parametrize("query", ["", "Russia"])
def test_paging_returns_each_document_exactly_once(corpus, use_pit, query):
    settings, client, docs, _ = corpus
    s = settings.model_copy(deep=True)
    s.index.search.use_pit = use_pit
    total = search(client, s, query, size=0)["total"]
    assert total > 0
    ids = [h["id"] for h in iter_all(client, s, query, page_size=7)]
    assert len(ids) == total
    assert len(set(ids)) == total
    if query == "":
        assert set(ids) == {d["id"] for d in docs}


def test_cursor_checks(corpus):
    settings, client, _, _ = corpus
    page = search(client, settings, "", size=5)
    assert page["next"]
    with pytest.raises(SearchError, match="different query"):
        search(client, settings, "Russia", size=5, after=page["next"])
    with pytest.raises(SearchError, match="not valid"):
        search(client, settings, "", size=5, after="not-a-cursor")


def _cli(settings, root: Path, *args: str) -> subprocess.CompletedProcess:
    cfg = root / "newsetl.yaml"
    cfg.write_text(yaml.safe_dump({"elasticsearch": {"url": settings.elasticsearch.url},
                                   "index": {"name": settings.index.name},
                                   "storage": {"root": settings.storage.root}}))
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSETL_ES_")}
    env["NEWSETL_CONFIG"] = str(cfg)
    return subprocess.run([sys.executable, "-m", "pipeline", "search", *args], capture_output=True, text=True,
                          cwd=REPO, env=env, timeout=120)


def test_cli_exports_every_hit_as_csv_or_json_lines(corpus):
    import csv
    import io

    settings, client, docs, root = corpus
    german = [d for d in docs if d.get("language") == "de"]
    assert german
    p = _cli(settings, root, "--lang", "de", "--all", "--format", "csv")
    assert p.returncode == 0, p.stderr
    rows = list(csv.DictReader(io.StringIO(p.stdout)))
    assert sorted(r["id"] for r in rows) == sorted(d["id"] for d in german)
    row = next(r for r in rows if r["id"] == german[0]["id"])
    assert row["title"] == german[0]["title"] and row["url"] == german[0]["url"] and row["language"] == "de"
    assert row["authors"] == " | ".join(german[0]["authors"])
    tagged = next(d for d in german if d["tags"])       # the page's own keywords: a column of their own
    assert next(r for r in rows if r["id"] == tagged["id"])["tags"] == " | ".join(tagged["tags"])
    p = _cli(settings, root, "--all", "--format", "jsonl")
    lines = [json.loads(line) for line in p.stdout.splitlines()]
    assert len(lines) == len(docs) and len({h["id"] for h in lines}) == len(docs)
    assert all("highlight" not in h and h.get("url") for h in lines)
    p = _cli(settings, root, "--all")
    assert p.returncode == 2 and "--all needs --format" in p.stderr
    p = _cli(settings, root, "--format", "csv", "--facets")
    assert p.returncode == 2 and "drop --json and --facets" in p.stderr


def test_cli_csv_export_takes_the_columns_asked_for(corpus):
    import csv
    import io

    settings, client, docs, root = corpus
    loaded = {h["id"]: h for h in iter_all(client, settings, "", page_size=200, include_text=True)}
    english = [d for d in docs if d.get("language") == "en"]   # entities by spaCy: places, regions
    p = _cli(settings, root, "--lang", "en", "--all", "--format", "csv", "--columns",
             "id, regions,entities.person,organization,place_points,text")
    assert p.returncode == 0, p.stderr
    reader = csv.reader(io.StringIO(p.stdout))
    assert next(reader) == ["id", "regions", "person", "organization", "place_points", "text"]
    rows = {r[0]: r for r in reader}
    assert sorted(rows) == sorted(d["id"] for d in english)
    with_regions = [i for i in rows if loaded[i].get("regions")]
    assert with_regions, "no English article with regions: the column cannot be checked"
    for i, row in rows.items():
        hit = loaded[i]
        assert row[1] == " | ".join(hit.get("regions") or [])
        assert row[2] == " | ".join(hit["entities"]["person"]) and row[3] == " | ".join(hit["entities"]["organization"])
        # a list of objects is JSON, the text whole, paragraph breaks and all
        assert (json.loads(row[4]) if row[4] else None) == (hit.get("place_points") or None)
        assert row[5] == hit["text"]
    assert any("\n" in row[5] for row in rows.values())
    # "+": the default columns first, as they were, then those asked for
    p = _cli(settings, root, "--lang", "en", "--all", "--format", "csv", "--columns", "+regions,score")
    assert p.returncode == 0, p.stderr
    header = next(csv.reader(io.StringIO(p.stdout)))
    from pipeline.cli.search import CSV_COLUMNS
    assert header == [*CSV_COLUMNS, "regions", "score"]
    for args, message in ((["--columns", "id,colour"], "no column 'colour'"),
                          (["--columns", ","], "at least one column"),
                          (["--format", "jsonl", "--columns", "id"], "--columns picks the columns of --format csv")):
        fmt = [] if "--format" in args else ["--format", "csv"]
        p = _cli(settings, root, "--all", *fmt, *args)
        assert p.returncode == 2 and message in p.stderr, p.stderr


def test_cli_entity_filter_finds_the_seed_article(corpus, seed_doc):
    settings, _, _, root = corpus
    assert "Vladimir Putin" in seed_doc["entities"]["person"]
    p = _cli(settings, root, "--entity", 'person:"Vladimir Putin"', "--json", "--facets")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert seed_doc["id"] in [h["id"] for h in out["hits"]]
    # the name, or its spelling in another language or script ("Wladimir Putin", "Владимир Путин")
    assert all(any(f" {name_key('Vladimir Putin')} " in f" {name_key(n, h['language'])} "
                   for n in h["entities"]["person"]) for h in out["hits"])
    assert out["total"] == len(out["hits"]) or out["next"]
    assert {"language", "source", "authors", "tags", "categories", "entities.person", "published_at", "people",
            "places", "countries"} <= set(out["facets"])
    human = _cli(settings, root, "Lukashenko", "--entity", "person:Vladimir Putin", "--lang", "en", "--facets")
    assert human.returncode == 0, human.stderr
    assert "Lukashenko says Russia should join Belarus" in human.stdout
    # the facets as lines; a person's other spellings beside its count ("Vladimir Putin (3: Wladimir Putin 1)")
    people = next(line for line in human.stdout.splitlines() if line.startswith("  people: "))
    assert "Vladimir Putin (1)" in people
    assert "\n  places: " in human.stdout and "Russia (1)" in human.stdout


def test_cli_unreachable_cluster_one_line_nonzero(tmp_path):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(yaml.safe_dump({"elasticsearch": {"url": f"http://127.0.0.1:{port}"},
                                   "storage": {"root": str(tmp_path / "storage")}}))
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSETL_ES_")}
    env["NEWSETL_CONFIG"] = str(cfg)
    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"id": "x", "title": "t"}) + "\n")
    for args in (["search", "foo"], ["index", "ensure"], ["index", "load", str(docs)], ["index", "mark-duplicates"]):
        p = subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=REPO,
                           env=env, timeout=120)
        assert p.returncode != 0, args
        lines = p.stderr.strip().splitlines()
        assert len(lines) == 1, p.stderr
        assert f"http://127.0.0.1:{port}" in lines[0] and "unreachable" in lines[0]
    assert not (tmp_path / "storage").exists()  # nothing written


def test_cli_bad_config_one_line(tmp_path):
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text("index:\n  languages: [english]\n")
    p = subprocess.run([sys.executable, "-m", "pipeline", "search", "foo"], capture_output=True, text=True, cwd=REPO,
                       env={**os.environ, "NEWSETL_CONFIG": str(cfg)}, timeout=120)
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and str(cfg) in lines[0] and "index.languages" in lines[0]


def test_entity_filter_takes_any_case_and_words_of_one_name(corpus, seed_doc):
    settings, client, docs, _ = corpus

    def ids(name, etype="person"):
        return {h["id"] for h in iter_all(client, settings, "", entities=[(etype, name)], page_size=100)}

    exact = ids("Vladimir Putin")
    assert seed_doc["id"] in exact
    assert ids("vladimir putin") == ids("VLADIMIR PUTIN") == exact          # any case
    # a word of a name finds every document with a name holding it, or its spelling in the document's language
    # ("Путин"), and only those
    with_word = {d["id"] for d in docs if any("putin" in n.lower().replace("-", " ").split()
                                              or "putin" in name_key(n, d["language"]).split()
                                              for n in d["entities"]["person"])}
    assert ids("putin") == with_word and exact <= with_word
    assert seed_doc["id"] not in ids("Putin Vladimir")                      # words in their order
    assert ids("Puti") == set()                                              # whole words, not prefixes
    # the words must be in one name, not spread over two
    assert seed_doc["id"] not in ids("Lukashenko Putin")


def test_entity_filter_finds_the_names_an_alias_joins_in_every_language(make_doc, index_client, index_settings,
                                                                        storage):
    def doc(i, language, locations, organizations=()):
        return make_doc(f"https://news.example.org/alias/{i}", language=language,
                        entities={"person": [], "organization": list(organizations), "location": locations,
                                  "misc": []})

    docs = [doc(0, "en", ["United States", "Canada"]), doc(1, "de", ["Vereinigte Staaten"]),
            doc(2, "fr", ["États-Unis"]), doc(3, "en", ["Australia"]), doc(4, "en", ["USA Today Arena"]),
            doc(5, "fr", [], ["OTAN"]), doc(6, "en", [], ["NATO"]), doc(7, "en", [], ["Nato Road Garage"]),
            doc(8, "de", ["Deutschland"]), doc(9, "fr", ["Allemagne"]), doc(10, "ru", ["Германия"]),
            doc(11, "ja", ["ドイツ"]), doc(12, "de", ["Europa"]), doc(13, "fr", ["Europe"]),
            doc(14, "de", ["Moskau"]), doc(15, "ru", ["Москва"]), doc(16, "en", ["Moscow Oblast"]),
            doc(17, "uk", ["Київ"]), doc(18, "de", ["Kiew"])]
    assert bulk_load(index_client, docs, index_settings, storage=storage, run_id="alias").failed == 0
    index_client.indices.refresh(index=index_settings.index.read_alias)

    def found(name, etype="location", settings=index_settings):
        return sorted(int(h["url"].rsplit("/", 1)[1]) for h in search(
            index_client, settings, "", entities=[(etype, name)], size=20)["hits"])

    # the short form finds every language's name of the country, and a name holding its word
    assert found("USA") == found("usa") == [0, 1, 2, 4]
    assert found("États-Unis") == found("U.S.") == [0, 1, 2]       # "U.S." and "États-Unis": no word of the arena
    assert found("NATO", "organization") == [5, 6, 7] and found("otan", "organization") == [5, 6]
    assert found("Australia") == [3]
    # every country and world region by its CLDR name in each language langdetect tells
    assert found("Germany") == found("deutschland") == found("Германия") == [8, 9, 10, 11]
    assert found("Europa") == [12, 13]
    # and every city CLDR names a time zone by (the name typed also finds a name holding its words)
    assert found("Moscow") == [14, 15, 16] and found("Москва") == found("moskau") == [14, 15]
    assert found("Kyiv") == found("Kiev") == [17, 18]
    # the configured aliases join names too; without the built-in ones a name finds only itself and its words
    own = index_settings.model_copy(deep=True)
    own.processing.entities.aliases = {"*": {"Aussie": "Australia"}}
    own.processing.entities.builtin_aliases = False
    assert found("Aussie", settings=own) == [3] and found("USA", settings=own) == [4]
    assert found("Germany", settings=own) == []


def test_entity_filter_joins_the_spellings_of_one_name_across_languages_and_scripts(make_doc, index_client,
                                                                                    index_settings, storage):
    def doc(i, language, people=(), organizations=()):
        return make_doc(f"https://news.example.org/keys/{i}", language=language,
                        entities={"person": list(people), "organization": list(organizations), "location": [],
                                  "misc": []})

    docs = [doc(0, "ru", ["Владимир Путин"]), doc(1, "fr", ["Vladimir Poutine"]), doc(2, "de", ["Wladimir Putin"]),
            doc(3, "en", ["Vladimir Putin"]), doc(4, "en", ["Peyton Manning"]), doc(5, "de", ["Wolodymyr Selenskyj"]),
            doc(6, "uk", ["Володимир Зеленський"]), doc(7, "en", ["Volodymyr Zelenskyy"]),
            doc(8, "ru", ["Ольга Шольц"]), doc(9, "en", [], ["BBC"]), doc(10, "en", [], ["BC Hydro"])]
    assert bulk_load(index_client, docs, index_settings, storage=storage, run_id="keys").failed == 0
    index_client.indices.refresh(index=index_settings.index.read_alias)

    def found(name, etype="person"):
        return sorted(int(h["url"].rsplit("/", 1)[1]) for h in search(
            index_client, index_settings, "", entities=[(etype, name)], size=20)["hits"])

    # Cyrillic, French and German spellings meet the English one, and the other way round; a word of the name too
    assert found("Putin") == found("Путин") == found("Vladimir Putin") == found("Poutine") == [0, 1, 2, 3]
    assert found("Zelensky") == found("Selenskyj") == found("Зеленський") == [5, 6, 7]
    assert found("Scholz") == [8]                  # the German spelling's key: "Шольц"
    assert found("Peyton") == [4] and found("Vladimir Zelensky") == []
    assert found("BBC", "organization") == [9]     # acronyms letter by letter: not "BC Hydro"
    # the hits do not carry the keys
    hit = search(index_client, index_settings, "", entities=[("person", "Putin")], size=1)["hits"][0]
    assert "entity_keys" not in hit
    # the people facet joins the spellings: one entry per person, its spellings and their counts beside it
    res = search(index_client, index_settings, "", entities=[("person", "Putin")], facets=True, size=0)
    assert res["facets"]["entities.person"] == sorted(
        [{"key": n, "count": 1} for n in ("Владимир Путин", "Vladimir Poutine", "Wladimir Putin", "Vladimir Putin")],
        key=lambda b: b["key"])
    # (each document counted once, under the label every document gives the person: pipeline.people)
    assert res["facets"]["people"] == [{"key": "Vladimir Putin", "count": 4,
                                        "spellings": res["facets"]["entities.person"]}]
    res = search(index_client, index_settings, "", facets=True, size=0, facet_size=100)
    zelensky = next(p for p in res["facets"]["people"] if "Volodymyr Zelenskyy" in [s["key"] for s in p["spellings"]])
    assert sorted(s["key"] for s in zelensky["spellings"]) == [
        "Volodymyr Zelenskyy", "Wolodymyr Selenskyj", "Володимир Зеленський"]


def test_places_and_countries_are_one_facet_value_in_every_language(make_doc, index_client, index_settings,
                                                                     storage):
    def doc(i, language, locations):
        return make_doc(f"https://news.example.org/places/{i}", language=language,
                        entities={"person": [], "organization": [], "location": list(locations), "misc": []})

    docs = [doc(0, "de", ["Moskau", "Deutschland"]), doc(1, "ru", ["Москва"]), doc(2, "fr", ["Moscou", "Kiev"]),
            doc(3, "uk", ["Київ", "Бахмут"]), doc(4, "en", ["Georgia", "Pennsylvania"]),
            doc(5, "en", ["Leeds", "Nowhere Creek"])]
    assert bulk_load(index_client, docs, index_settings, storage=storage, run_id="places").failed == 0
    index_client.indices.refresh(index=index_settings.index.read_alias)
    base = {"bool": {"filter": [{"prefix": {"url": "https://news.example.org/places/"}}]}}
    resp = index_client.search(index=index_settings.index.read_alias, query=base, size=0, aggs={
        f: {"terms": {"field": f}} for f in ("places", "countries")})
    counts = {f: {b["key"]: b["doc_count"] for b in resp["aggregations"][f]["buckets"]} for f in ("places", "countries")}
    # Moskau, Москва and Moscou are one value; Kiev and Київ another; a US state; a town GeoNames names; a place
    # no table names is in no facet
    assert counts["places"] == {"Moscow": 3, "Kyiv": 2, "Germany": 1, "Georgia (US)": 1, "Pennsylvania": 1,
                                "Leeds": 1}
    assert counts["countries"] == {"RU": 3, "UA": 2, "DE": 1, "US": 1, "GB": 1}

    def found(country):
        return sorted(int(h["url"].rsplit("/", 1)[1]) for h in search(
            index_client, index_settings, "", country=country, size=20)["hits"]
            if "/places/" in h["url"])

    # a country by its code or its name in any language; a city in it counts; several: any of them
    assert found("ru") == found("Russland") == found("Россия") == [0, 1, 2]
    assert found("UA,DE") == [0, 2, 3]
    assert found("GE") == [] and found("US") == [4]         # "Georgia" beside Pennsylvania is the state
    with pytest.raises(SearchError, match="'Moskau' is no country"):
        search(index_client, index_settings, "", country="Moskau")
    hit = search(index_client, index_settings, "", country="DE", size=1)["hits"][0]
    assert hit["places"] == ["Moscow", "Germany"] and hit["countries"] == ["RU", "DE"]


def test_regions_are_a_facet_and_a_filter_by_iso_code_or_name(make_doc, index_client, index_settings, storage):
    def doc(i, language, locations):
        return make_doc(f"https://news.example.org/regions/{i}", language=language,
                        entities={"person": [], "organization": [], "location": list(locations), "misc": []})

    docs = [doc(0, "de", ["München", "Deutschland"]), doc(1, "en", ["Bavaria"]), doc(2, "en", ["Los Angeles"]),
            doc(3, "en", ["Toronto"]), doc(4, "en", ["Nowhere Creek", "Germany"]), doc(5, "de", ["Landkreis Harburg"])]
    assert bulk_load(index_client, docs, index_settings, storage=storage, run_id="regions").failed == 0
    index_client.indices.refresh(index=index_settings.index.read_alias)
    res = search(index_client, index_settings, "", facets=True, size=20)
    hits = {int(h["url"].rsplit("/", 1)[1]): h for h in res["hits"] if "/regions/" in h["url"]}
    # a city's region, a region named, a district's Land; a country alone or a place no table knows: none
    assert {i: h.get("regions") for i, h in hits.items()} == {
        0: ["DE-BY"], 1: ["DE-BY"], 2: ["US-CA"], 3: ["CA-ON"], 4: None, 5: ["DE-NI"]}
    facet = {b["key"]: b["count"] for b in res["facets"]["regions"]}
    assert {k: facet.get(k) for k in ("DE-BY", "US-CA", "CA-ON", "DE-NI")} == {
        "DE-BY": 2, "US-CA": 1, "CA-ON": 1, "DE-NI": 1}

    def found(country):
        return sorted(int(h["url"].rsplit("/", 1)[1]) for h in search(
            index_client, index_settings, "", country=country, size=20)["hits"]
            if "/regions/" in h["url"])

    # a region by its ISO 3166-2 code (any case) or its name in a language the places know; with countries: any
    assert found("DE-BY") == found("de-by") == found("Bayern") == found("Bavaria") == [0, 1]
    assert found("Niedersachsen") == [5] and found("US-CA") == [2]
    assert found("CA-ON,US") == [2, 3]
    assert found("DE") == [0, 1, 4, 5]          # the country filter as before
    with pytest.raises(SearchError, match="'Moskau' is no country.*first-level region"):
        search(index_client, index_settings, "", country="Moskau")
    with pytest.raises(SearchError, match="'XX-ZZ' is no country"):
        search(index_client, index_settings, "", country="XX-ZZ")


def test_like_finds_the_articles_that_resemble_one(make_doc, index_client, index_settings, storage):
    bridge = ("The council of Riverton voted to rebuild the old stone bridge over the canal. The mayor said work "
              "starts in spring; the quarry at Hollin supplies the stone and the budget is four million. ")
    other = ("The harbour of Dunmore closes for the winter. Ferries stop in November and the fishing fleet moves "
             "to the southern port until March, the harbour master said. ")
    docs = [make_doc("https://news.example.org/like/0", title="Riverton votes to rebuild stone bridge", text=bridge * 3),
            make_doc("https://news.example.org/like/1", title="Stone bridge in Riverton to be rebuilt",
                     text=("Riverton's council approved a rebuild of the stone bridge over the canal on Tuesday; "
                           "stone from the Hollin quarry, a four million budget, work from spring. ") * 3),
            make_doc("https://news.example.org/like/2", title="Dunmore harbour closes", text=other * 3),
            make_doc("https://news.example.org/like/3", title="Ferries stop at Dunmore", text=other * 2)]
    assert bulk_load(index_client, docs, index_settings, storage=storage, run_id="like").failed == 0
    index_client.indices.refresh(index=index_settings.index.read_alias)

    def like(i, **kw):
        return [int(h["url"].rsplit("/", 1)[1]) for h in search(
            index_client, index_settings, "", like=docs[i]["id"], size=20, **kw)["hits"] if "/like/" in h["url"]]

    # the alike article, not the liked one itself nor the unrelated ones; filters still apply
    assert like(0) == [1]
    assert like(2) == [3]
    assert like(0, source="nowhere") == []
    with pytest.raises(SearchError, match="no document with id 'nope'"):
        search(index_client, index_settings, "", like="nope")
