"""The places of an article on a map (``place_points``: the GeoNames coordinates of the cities among ``places``) and
the geo filter ``near`` of a search ("LAT,LON,KM" or "CITY,KM"): in the library, the CLI in its own process, the API,
and an index made before the field (ensure adds it, a migrate fills it)."""
from __future__ import annotations

import json

import httpx
import pytest

from pipeline.load import bulk_load, prepare_document
from pipeline.places import near_point, place_facets, place_points
from pipeline.search import SearchError, search
from tests.cfgutil import cli_config, run_cli
from tests.plugins.docs import make_document

KYIV = (50.45466, 30.5238)
LVIV = (49.83826, 24.02324)          # ~470 km west of Kyiv
BIRMINGHAM_GB = (52.48142, -1.89983)
BIRMINGHAM_AL = (33.52066, -86.80249)
LONDON = (51.50853, -0.12574)
KOELN = (50.93333, 6.95)
MOSCOW = (55.75204, 37.61781)

# url's last part → (language, locations)
PLACES = {
    "kyiv": ("uk", ["Київ", "Україна"]),
    "lviv": ("en", ["Lviv"]),
    "birmingham-gb": ("en", ["Birmingham", "London"]),
    "birmingham-al": ("en", ["Birmingham", "Alabama"]),
    "koeln": ("de", ["Deutschland", "Köln", "Moskau"]),
    "regions": ("en", ["Ukraine", "Bavaria", "Kharkiv Oblast", "Middle East"]),
    "nowhere": ("en", ["Nowhere Creek"]),
}


def _point(lat_lon):
    return {"lat": lat_lon[0], "lon": lat_lon[1]}


def _docs() -> list[dict]:
    return [make_document(f"https://news.example.org/geo/{name}", language=lang, title=f"Story from {name}",
                          entities={"person": [], "organization": [], "location": locations, "misc": []})
            for name, (lang, locations) in PLACES.items()]


def test_the_points_are_the_cities_among_the_places_in_their_order():
    def points(locations):
        return place_points(place_facets(locations)[0])

    assert points(["Kyiv"]) == points(["Київ"]) == points(["Kiew"]) == [_point(KYIV)]
    # a name two cities bear: the one the rest of the document points to, each with its own coordinates
    assert place_facets(["Birmingham", "London"])[0] == ["Birmingham (GB)", "London"]
    assert points(["Birmingham", "London"]) == [_point(BIRMINGHAM_GB), _point(LONDON)]
    assert points(["Birmingham", "Alabama"]) == [_point(BIRMINGHAM_AL)]     # the state has no point
    # the order of the places; a country has none
    assert points(["Deutschland", "Köln", "Moskau"]) == [_point(KOELN), _point(MOSCOW)]
    # countries, wider and first-level regions, a name that is a region's too ("Gaza": the strip), nothing known
    assert points(["Ukraine", "Bavaria", "Kharkiv Oblast", "Middle East", "Georgia", "Pennsylvania"]) == []
    assert points(["Gaza Strip", "Gaza"]) == [] and points(["Nowhere Creek"]) == [] and points(None) == []
    # cities from each table: CLDR's ("Paris"), the short table's ("Washington", "New York"), GeoNames' ("Leeds")
    assert [round(p["lat"]) for p in points(["Paris", "Washington", "New York", "Leeds"])] == [49, 39, 41, 54]


def test_near_takes_coordinates_or_a_city_and_refuses_anything_else_naming_the_form():
    assert near_point("50.45,30.52,100km") == near_point(" 50.45 , 30.52 , 100 KM ") == (50.45, 30.52, 100.0)
    assert near_point("50.45,30.52,100") == (50.45, 30.52, 100.0)
    assert near_point("-33.9,18.4,2.5km") == (-33.9, 18.4, 2.5)
    assert near_point("Kyiv,100") == near_point("Київ,100km") == (*KYIV, 100.0)
    assert near_point("Birmingham (GB),50") == (*BIRMINGHAM_GB, 50.0)
    for bad, words in (("50.45,30.52", "use LAT,LON,KM"), ("50.45;30.52;100", "use LAT,LON,KM"),
                       ("", "use LAT,LON,KM"), ("50.45,30.52,far", "use LAT,LON,KM"),
                       ("95,30,100", "latitude must be within ±90"), ("50,190,100", "longitude within ±180"),
                       ("50,30,0", "radius must be more than 0"), ("50,30,-5km", "radius must be more than 0"),
                       ("Germany,100", "'Germany' is 'Germany', which has no point"),
                       ("Bavaria,100", "which has no point"),
                       ("Birmingham,100", r"several cities are named 'Birmingham': write its country as places does "
                                          r"\(Birmingham \(GB\)"),
                       ("Nowhere Creek,10", "no place the places tables know")):
        with pytest.raises(ValueError, match=words):
            near_point(bad)
        if bad:
            with pytest.raises(ValueError, match="LAT,LON,KM"):      # every message names the form
                near_point(bad)


@pytest.fixture
def geo(index_client, index_settings, storage):
    docs = _docs()
    assert bulk_load(index_client, docs, index_settings, storage=storage, run_id="geo").failed == 0
    index_client.indices.refresh(index=index_settings.index.read_alias)
    return {d["url"].rsplit("/", 1)[1]: d for d in docs}


def _found(client, settings, near, **kw) -> list[str]:
    return sorted(h["url"].rsplit("/", 1)[1] for h in search(client, settings, "", near=near, size=50, **kw)["hits"])


@pytest.mark.es
def test_the_loader_stores_the_points_and_near_finds_the_articles_within_the_radius(geo, index_client,
                                                                                     index_settings):
    def stored(name):
        return index_client.get(index=index_settings.index.read_alias, id=geo[name]["id"])["_source"]

    assert stored("kyiv")["place_points"] == [_point(KYIV)]
    assert stored("birmingham-gb")["places"] == ["Birmingham (GB)", "London"]
    assert stored("birmingham-gb")["place_points"] == [_point(BIRMINGHAM_GB), _point(LONDON)]
    assert stored("birmingham-al")["place_points"] == [_point(BIRMINGHAM_AL)]
    assert stored("koeln")["place_points"] == [_point(KOELN), _point(MOSCOW)]
    assert stored("regions")["places"] and "place_points" not in stored("regions")
    assert "place_points" not in stored("nowhere")
    mapping = index_client.indices.get_mapping(index=index_settings.index.read_alias)
    assert next(iter(mapping.values()))["mappings"]["properties"]["place_points"] == {"type": "geo_point"}

    # Kyiv and Lviv, ~470 km apart
    assert _found(index_client, index_settings, "50.45,30.52,100km") == ["kyiv"]
    assert _found(index_client, index_settings, "50.45,30.52,100") == ["kyiv"]
    assert _found(index_client, index_settings, "Kyiv,100") == ["kyiv"]
    assert _found(index_client, index_settings, "50.45,30.52,500km") == ["kyiv", "lviv"]
    assert _found(index_client, index_settings, "Lviv,50") == ["lviv"]
    # any of an article's points; the two Birminghams apart; a region's article is never near anything
    assert _found(index_client, index_settings, "Birmingham (GB),50") == ["birmingham-gb"]
    assert _found(index_client, index_settings, "51.5,-0.1,20") == ["birmingham-gb"]          # London
    assert _found(index_client, index_settings, "Birmingham (US-AL),50") == ["birmingham-al"]
    assert _found(index_client, index_settings, "Moscow,30") == ["koeln"]
    assert _found(index_client, index_settings, "49.0,31.0,20000") == sorted(set(PLACES) - {"regions", "nowhere"})
    # with the other filters
    assert _found(index_client, index_settings, "50.45,30.52,500km", lang="uk") == ["kyiv"]
    assert _found(index_client, index_settings, "50.45,30.52,500km", country="DE") == []
    # a bad value: the form named, nothing searched
    with pytest.raises(SearchError, match=r"near '50.45,30.52': use LAT,LON,KM"):
        search(index_client, index_settings, "", near="50.45,30.52")
    with pytest.raises(SearchError, match="'Germany' is 'Germany', which has no point"):
        search(index_client, index_settings, "", near="Germany,100")
    hit = search(index_client, index_settings, "", near="Kyiv,10")["hits"][0]
    assert hit["place_points"] == [_point(KYIV)] and hit["places"] == ["Kyiv", "Ukraine"]


@pytest.mark.es
def test_the_cli_in_its_own_process_takes_near(geo, index_settings, tmp_path):
    cfg = cli_config(tmp_path, index_settings)
    p = run_cli(cfg, "search", "--near", "50.45,30.52,100km", "--json")
    assert p.returncode == 0, p.stderr
    assert [h["url"].rsplit("/", 1)[1] for h in json.loads(p.stdout)["hits"]] == ["kyiv"]
    p = run_cli(cfg, "search", "--near", "Kyiv,500", "--all", "--format", "jsonl")
    assert p.returncode == 0, p.stderr
    assert sorted(json.loads(line)["url"].rsplit("/", 1)[1] for line in p.stdout.splitlines()) == ["kyiv", "lviv"]
    for bad, words in (("50.45,30.52", "use LAT,LON,KM"), ("Atlantis Nowhere,5", "no place the places tables know"),
                       ("Germany,100", "which has no point")):
        p = run_cli(cfg, "search", "--near", bad)
        assert p.returncode == 2 and words in p.stderr and len(p.stderr.strip().splitlines()) == 1, p.stderr
    p = run_cli(cfg, "search", "--near", "Kyiv,100", "--feed-url", "https://news.example:8000")
    assert p.returncode == 0 and "near=Kyiv%2C100" in p.stdout, p.stdout + p.stderr


@pytest.mark.es
def test_the_api_takes_near_on_search_and_the_feed(geo, index_client, index_settings):
    from pipeline.api import create_app
    from tests.test_api import served

    with served(create_app(index_settings, api_key="")) as base:
        r = httpx.get(f"{base}/search", params={"near": "50.45,30.52,100km"})
        assert r.status_code == 200 and [h["url"].rsplit("/", 1)[1] for h in r.json()["hits"]] == ["kyiv"]
        assert r.json()["hits"][0]["place_points"] == [_point(KYIV)]
        r = httpx.get(f"{base}/search", params={"near": "50.45,30.52,500"})
        assert sorted(h["url"].rsplit("/", 1)[1] for h in r.json()["hits"]) == ["kyiv", "lviv"]
        feed = httpx.get(f"{base}/feed.atom", params={"near": "Birmingham (GB),50"})
        assert feed.status_code == 200 and "geo/birmingham-gb" in feed.text and "geo/birmingham-al" not in feed.text
        for path in ("/search", "/feed.atom"):
            for bad, words in (("50.45,30.52", "use LAT,LON,KM"), ("91,0,5km", "latitude must be within"),
                               ("Bavaria,100", "which has no point")):
                r = httpx.get(f"{base}{path}", params={"near": bad})
                assert r.status_code == 400 and words in r.json()["error"], (path, bad, r.text)


@pytest.mark.es
def test_an_index_from_before_gets_the_field_from_ensure_and_a_migrate_fills_it(index_client, index_settings,
                                                                                storage):
    from pipeline import mapping
    from pipeline.admin import ensure_index, migrate

    idx = index_settings.index
    docs = _docs()
    old = mapping.build_mappings(index_settings)
    del old["properties"]["place_points"]                # made by the loader before the points
    index_client.indices.create(index=f"{idx.name}-v1", mappings=old)
    before = [prepare_document(d, index_settings) for d in docs[:3]]
    for d in before:
        d.pop("place_points", None)
    index_client.bulk(operations=[x for d in before for x in ({"index": {"_index": f"{idx.name}-v1",
                                                                           "_id": d["id"]}}, d)], refresh=True)
    ens = ensure_index(index_client, index_settings)
    assert ens["index"] == f"{idx.name}-v1" and "place_points" in ens["added_fields"]
    assert any(p.startswith("place_points: added in place") for p in ens["needs_migrate"]), ens["needs_migrate"]
    bulk_load(index_client, docs[3:], index_settings, storage=storage, run_id="geo-old")
    index_client.indices.refresh(index=idx.read_alias)
    everywhere = "0,0,20000km"
    # the documents indexed before have no points yet; those loaded after ensure have
    assert _found(index_client, index_settings, everywhere) == ["birmingham-al", "koeln"]
    res = migrate(index_client, index_settings, method="bulk", delete_old=True)
    assert res["copied"] == len(docs)
    assert _found(index_client, index_settings, "Kyiv,500") == ["kyiv", "lviv"]
    assert _found(index_client, index_settings, everywhere) == sorted(set(PLACES) - {"regions", "nowhere"})
    assert ensure_index(index_client, index_settings)["needs_migrate"] == []


@pytest.mark.es
def test_suggest_trends_and_the_watches_take_near_and_access_too(geo, index_client, index_settings, tmp_path):
    """The filters of a search are those of ``suggest``, ``trends`` and a watch as well, checked alike."""
    from pydantic import ValidationError

    from pipeline.api import create_app
    from pipeline.suggest import suggest
    from pipeline.watches import Watch
    from tests.test_api import served

    def places(**kw):
        return [(s["value"], s["count"]) for s in suggest(index_client, index_settings, "u", field="places",
                                                           **kw)["suggestions"]]

    assert places() == [("Ukraine", 2)]                       # the Kyiv article's and the regions one's
    assert places(near="Kyiv,100") == [("Ukraine", 1)]        # only the Kyiv article is near Kyiv
    assert places(access="paywalled") == [] and places(access="none") == [("Ukraine", 2)]
    with pytest.raises(SearchError, match="which has no point"):
        places(near="Germany,100")

    cfg = cli_config(tmp_path, index_settings)
    p = run_cli(cfg, "suggest", "u", "--field", "places", "--near", "Kyiv,100", "--json")
    assert p.returncode == 0 and json.loads(p.stdout)["suggestions"] == [{"value": "Ukraine", "count": 1}], p.stderr
    for cmd in (["suggest", "u"], ["trends"]):
        p = run_cli(cfg, *cmd, "--access", "behind-a-wall")
        assert p.returncode == 2 and "use free, metered, paywalled or none" in p.stderr, p.stderr
        p = run_cli(cfg, *cmd, "--near", "Bavaria,100")
        assert p.returncode == 2 and "which has no point" in p.stderr, p.stderr
    with served(create_app(index_settings, api_key="")) as base:
        r = httpx.get(f"{base}/suggest", params={"q": "u", "field": "places", "near": "50.45,30.52,100"})
        assert r.status_code == 200 and r.json()["suggestions"] == [{"value": "Ukraine", "count": 1}]
        for path, params in (("/suggest", {"q": "u"}), ("/trends", {})):
            r = httpx.get(f"{base}{path}", params={**params, "near": "91,0,5"})
            assert r.status_code == 400 and "latitude must be within" in r.json()["error"], r.text
            r = httpx.get(f"{base}{path}", params={**params, "access": "x"})
            assert r.status_code == 400 and "use free, metered, paywalled" in r.json()["error"], r.text
        assert httpx.get(f"{base}/trends", params={"near": "Kyiv,100", "access": "free"}).status_code == 200

    w = Watch.model_validate({"name": "kyiv-free", "near": "Kyiv,100", "access": "free,none"})
    q = json.dumps(w.search_query(index_settings))
    assert '"geo_distance"' in q and '"place_points"' in q and '"access"' in q
    for bad, words in (({"near": "Kyiv"}, "use LAT,LON,KM"), ({"access": "paid"}, "use free, metered")):
        with pytest.raises(ValidationError, match=words):
            Watch.model_validate({"name": "bad", **bad})
    p = run_cli(cfg, "watch", "add", "--name", "kyiv-news", "--near", "Kyiv,100", "--access", "free")
    assert p.returncode == 0, p.stderr
    p = run_cli(cfg, "watch", "add", "--name", "nowhere", "--near", "Atlantis Nowhere,5")
    assert p.returncode == 2 and "near:" in p.stderr and "no place the places tables know" in p.stderr, p.stderr
    stored = index_client.get(index=index_settings.index.watches_index_name, id="kyiv-news")["_source"]
    assert stored["near"] == "Kyiv,100" and stored["access"] == "free"


@pytest.mark.es
def test_near_a_town_reads_the_floor_of_cities_the_loader_had(index_client, index_settings, storage, tmp_path):
    """A town below 15,000 people (Pahalgam, 9,264) is a point only with index.places.min_city_population 5000:
    a search's near, and the command's --near check, read the same setting as the loader."""
    from pipeline.settings.index import PlacesSettings

    lower = index_settings.model_copy(update={"index": index_settings.index.model_copy(
        update={"places": PlacesSettings(min_city_population=5_000)})})
    doc = make_document("https://news.example.org/geo/pahalgam", entities={
        "person": [], "organization": [], "location": ["Pahalgam", "India"], "misc": []})
    assert bulk_load(index_client, [doc], lower, storage=storage, run_id="geo-floor").failed == 0
    index_client.indices.refresh(index=index_settings.index.read_alias)
    assert [h["id"] for h in search(index_client, lower, "", near="Pahalgam,10")["hits"]] == [doc["id"]]
    with pytest.raises(SearchError, match="no place the places tables know"):
        search(index_client, index_settings, "", near="Pahalgam,10")
    p = run_cli(cli_config(tmp_path, index_settings, places={"min_city_population": 5000}), "search", "--near",
                "Pahalgam,10", "--json")
    assert p.returncode == 0, p.stderr
    assert [h["id"] for h in json.loads(p.stdout)["hits"]] == [doc["id"]]
    p = run_cli(cli_config(tmp_path, index_settings), "search", "--near", "Pahalgam,10")
    assert p.returncode == 2 and "no place the places tables know" in p.stderr, p.stderr
