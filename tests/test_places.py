"""Places in English and their countries (pipeline.places), from the CLDR data babel ships."""
from __future__ import annotations

import pytest

from pipeline.places import country_codes, place_facets


def test_one_place_is_one_english_name_whatever_the_language():
    # a city in German, Russian, Ukrainian, Spanish, Japanese; countries and a region
    assert place_facets(["Moskau", "Москва", "Київ", "Kiew", "Nueva York", "モスクワ"]) == (
        ["Moscow", "Kyiv", "New York"], ["RU", "UA", "US"])
    assert place_facets(["Deutschland", "Allemagne", "Германия", "Europa", "Vereinigte Staaten"]) == (
        ["Germany", "Europe", "United States"], ["DE", "US"])
    # a city whose CLDR name is its time zone's ("Europe/Paris"), and a short name for a facet
    assert place_facets(["Paris", "Hongkong"]) == (["Paris", "Hong Kong"], ["FR", "HK"])
    # names CLDR lacks: a part of a country, a territory, a capital no time zone is named after
    assert place_facets(["Britain", "England", "Gazastreifen", "Peking", "Turkey"]) == (
        ["United Kingdom", "England", "Gaza", "Beijing", "Türkiye"], ["GB", "PS", "CN", "TR"])


def test_what_cldr_does_not_name_or_names_twice_is_no_place():
    # a town, a name two countries share in German ("Kongo"), a research station and a US county seat's zone
    assert place_facets(["Bolton", "Kongo", "Casey", "Knox", "Center"]) == ([], [])
    assert place_facets([]) == place_facets(None) == ([], [])


def test_georgia_beside_a_us_state_is_the_state():
    assert place_facets(["Georgia", "Pennsylvania", "Atlanta"]) == ([], [])
    assert place_facets(["Georgia", "Tbilisi", "Russia"]) == (["Georgia", "Tbilisi", "Russia"], ["GE", "RU"])


def test_country_codes_take_codes_and_names_in_any_language():
    assert country_codes("de, Ukraine,Украина , Deutschland,hk") == ["DE", "UA", "HK"]
    for bad in ("Moscow", "Europe", "Atlantis", "XX", "EU"):
        with pytest.raises(ValueError, match=f"'{bad}' is no country"):
            country_codes(bad)
