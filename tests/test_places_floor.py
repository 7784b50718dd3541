"""The floor of GeoNames cities that may own a name (``index.places.min_city_population``): a town under 15,000
people is a place only with a lower floor, a name many small towns share stays nobody's or the big city's, and a
floor GeoNames has no table for is a configuration error naming the file, the key and the allowed values."""
from __future__ import annotations

import pytest

from pipeline.load import bulk_load
from pipeline.places import OWN, _city_owner, near_point, place_facets, place_points
from pipeline.settings.index import PlacesSettings
from tests.cfgutil import config_error, load_config_text
from tests.plugins.docs import make_document

PAHALGAM = {"lat": 34.01592, "lon": 75.31899}      # a town of 9,264 in Kashmir, GeoNames'


def test_a_town_under_15000_people_is_a_place_only_with_a_lower_floor():
    kashmir = ["Pahalgam", "Kashmir", "India"]
    assert place_facets(kashmir) == (["Kashmir", "India"], ["IN"])
    assert place_facets(kashmir, 5_000) == (["Pahalgam", "Kashmir", "India"], ["IN"])
    assert place_points(["Pahalgam"]) == [] and place_points(["Pahalgam"], 5_000) == [PAHALGAM]
    assert near_point("Pahalgam,10", 5_000) == (PAHALGAM["lat"], PAHALGAM["lon"], 10.0)
    with pytest.raises(ValueError, match="no place"):
        near_point("Pahalgam,10")
    with pytest.raises(ValueError, match="500, 1000, 5000, 15000"):
        place_facets(kashmir, 2_000)


def test_a_name_many_small_towns_share_takes_no_big_citys_place():
    # the ratios hold whatever the floor: Naples (Italy, 909,000) beside Naples, Florida (21,000) and two villages,
    # Boston beside Lincolnshire's (45,000), Athens beside Georgia's (127,000) and a dozen small towns
    for floor in (15_000, 5_000):
        assert place_facets(["Naples", "Boston", "Athens", "Perth"], floor) == (
            ["Naples", "Boston", "Athens", "Perth"], ["IT", "US", "GR", "AU"])
        # "Hope": Arkansas's (9,900), British Columbia's (6,700) and five smaller ones; none owns it alone
        assert place_facets(["Hope"], floor) == ([], [])
        # nor do many small towns make "Victoria" or "Mercedes" any one of them
        assert place_facets(["Victoria", "Mercedes"], floor) == ([], [])
    # beside Arkansas, with towns of 5,000 in the tables, it is Arkansas's (the state's only one, 10 times BC's)
    assert place_facets(["Hope", "Arkansas"]) == (["Arkansas"], ["US"])
    assert place_facets(["Hope", "Arkansas"], 5_000) == (["Hope (US)", "Arkansas"], ["US"])
    # a town of 9,000 owns its name at the floor of 5,000 if no town of 500 or more has an eighth of its people
    assert _city_owner({"1": (9_000, OWN)}, 5_000) == "1" and _city_owner({"1": (9_000, OWN)}) is None
    assert _city_owner({"1": (9_000, OWN), "2": (1_200, OWN)}, 5_000) is None      # 7.5 times, not 8


def test_a_floor_geonames_has_no_table_for_is_a_config_error(tmp_path):
    message = config_error(tmp_path, "index:\n  places:\n    min_city_population: 2000\n")
    assert "newsetl.yaml" in message and "index.places.min_city_population" in message
    assert "500, 1000, 5000, 15000" in message and "2000" in message
    assert "use a whole number" in config_error(tmp_path, "index:\n  places:\n    min_city_population: many\n")
    assert load_config_text(tmp_path, "index:\n  places:\n    min_city_population: 5000\n"
                            ).index.places.min_city_population == 5_000
    assert load_config_text(tmp_path, "index: {}\n").index.places.min_city_population == 15_000


@pytest.mark.es
def test_the_loader_stores_the_town_with_the_lower_setting_only(index_client, index_settings, storage):
    lower = index_settings.model_copy(update={"index": index_settings.index.model_copy(
        update={"places": PlacesSettings(min_city_population=5_000)})})
    entities = {"person": [], "organization": [], "location": ["Pahalgam", "Kashmir", "India"], "misc": []}
    default_doc = make_document("https://news.example.org/places/default", entities=entities)
    lower_doc = make_document("https://news.example.org/places/lower", entities=entities)
    assert bulk_load(index_client, [default_doc], index_settings, storage=storage, run_id="floor-a").failed == 0
    assert bulk_load(index_client, [lower_doc], lower, storage=storage, run_id="floor-b").failed == 0
    index_client.indices.refresh(index=index_settings.index.read_alias)

    def stored(doc: dict) -> dict:
        return index_client.get(index=index_settings.index.read_alias, id=doc["id"])["_source"]

    assert stored(default_doc)["places"] == ["Kashmir", "India"] and "place_points" not in stored(default_doc)
    assert stored(lower_doc)["places"] == ["Pahalgam", "Kashmir", "India"]
    assert stored(lower_doc)["place_points"] == [PAHALGAM] and stored(lower_doc)["countries"] == ["IN"]
    near = index_client.search(index=index_settings.index.read_alias, query={"geo_distance": {
        "distance": "10km", "place_points": PAHALGAM}})["hits"]["hits"]
    assert [h["_id"] for h in near] == [lower_doc["id"]]


def test_a_watch_near_a_town_is_checked_against_the_configured_floor(tmp_path):
    """A watch's ``near`` names a town by the floor its settings give (the one its search uses), not the default's:
    Pahalgam (9,264 people) is refused at 15,000 with the floor that would take it, accepted at 5,000."""
    import yaml

    from pipeline.settings import ConfigError
    from pipeline.watches import Watch, check_near, load_watches

    watches = tmp_path / "watches.yaml"
    watches.write_text(yaml.safe_dump({"watches": [
        {"name": "kashmir", "near": "Pahalgam,10", "deliver": [{"folder": "alerts/kashmir"}]}]}))
    cfg = f"alerts:\n  watches_file: {watches}\n"
    default = load_config_text(tmp_path, cfg)
    with pytest.raises(ConfigError) as caught:
        load_watches(settings=default)
    message = str(caught.value)
    assert "watches[0] (kashmir).near" in message and "'Pahalgam' is no place" in message
    assert "at index.places.min_city_population 15000: a town under 15000 people needs a lower floor" in message
    lower = load_config_text(tmp_path, cfg + "index:\n  places:\n    min_city_population: 5000\n")
    assert [w.near for w in load_watches(settings=lower)] == ["Pahalgam,10"]
    # the form is still checked when the watch is read, before any settings; coordinates need no table
    with pytest.raises(ValueError, match="radius"):
        Watch.model_validate({"name": "w", "near": "Pahalgam,0"})
    check_near(Watch.model_validate({"name": "w", "near": "34.0,75.3,10"}), default)
