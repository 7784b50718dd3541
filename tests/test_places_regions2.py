"""Second-level regions outside the US among the places: France's departments and newer collectivities, the United
Kingdom's counties, boroughs, council areas and districts, and the names Michigan's counties share with Ireland's;
and the Palestinian territories' governorates (first-level), named like their cities, which keep the bare names.

A region never takes a name another table gives (a city's, a country's, one several cities share) unless the
document says which: such a name is read from the document's other places (``pipeline.regions.CONTEXT_NAMES``,
``places._region_in_context``), and the region is then named with its country ("Kent (England)")."""
from __future__ import annotations

import pytest

from pipeline import places
from pipeline.places import place_facets, place_hits, place_index, place_points
from pipeline.regions import CONTEXT_NAMES, SUBDIVISIONS


def test_every_new_code_is_iso_3166_2_as_the_installed_pycountry_gives_it():
    import pycountry

    new = [code for code in SUBDIVISIONS if code[:2] == "GB" or code in ("FR-75C", "FR-69M", "FR-6AE")]
    assert len(new) == 134
    for code in new:
        found = pycountry.subdivisions.get(code=code)
        assert found is not None and found.country_code == code[:2], code
    # France's departments: the 95 metropolitan ones pycountry lists (FR-75 is gone: Paris is FR-75C)
    metropolitan = {s.code for s in pycountry.subdivisions.get(country_code="FR")
                    if s.type == "Metropolitan department"}
    assert len(metropolitan) == 95 and metropolitan <= set(SUBDIVISIONS) and "FR-75" not in SUBDIVISIONS
    # the overseas ones are CLDR's territories, with their own ISO 3166-1 codes
    for code, name, country in (("FR-971", "Guadeloupe", "GP"), ("FR-972", "Martinique", "MQ"),
                                ("FR-973", "French Guiana", "GF"), ("FR-974", "Réunion", "RE"),
                                ("FR-976", "Mayotte", "YT")):
        assert pycountry.subdivisions.get(code=code) is not None and code not in SUBDIVISIONS
        assert place_facets([name]) == ([name], [country])


def test_france_s_departments_and_collectivities_by_their_french_names():
    assert place_facets(["Bouches-du-Rhône", "Seine-Saint-Denis", "Pas-de-Calais"]) == (
        ["Bouches-du-Rhône", "Seine-Saint-Denis", "Pas-de-Calais"], ["FR"])
    # Paris is the city; the department that is the same collectivity goes by its forms
    assert place_facets(["Paris"]) == (["Paris"], ["FR"]) and place_points(["Paris"])
    assert place_facets(["département de Paris"]) == (["Paris (department)"], ["FR"])
    assert place_points(["Paris (department)"]) == []
    assert place_facets(["Métropole de Lyon"]) == (["Lyon Metropolis"], ["FR"])
    assert place_facets(["Collectivité européenne d'Alsace", "Elsass"]) == (["Alsace"], ["FR"])


def test_england_s_counties_scotland_s_council_areas_wales_s_and_northern_ireland_s_units():
    assert place_facets(["Devon", "Cumbria", "Greater Manchester", "West Yorkshire"]) == (
        ["Devon", "Cumbria", "Greater Manchester", "West Yorkshire"], ["GB"])
    assert place_facets(["Fife", "Aberdeenshire", "Outer Hebrides", "Na h-Eileanan Siar"]) == (
        ["Fife", "Aberdeenshire", "Na h-Eileanan Siar"], ["GB"])
    assert place_facets(["Ynys Môn", "Anglesey", "Sir Benfro", "Bro Morgannwg"]) == (
        ["Isle of Anglesey", "Pembrokeshire", "Vale of Glamorgan"], ["GB"])
    assert place_facets(["Causeway Coast and Glens", "County Tyrone", "Co Antrim"]) == (
        ["Causeway Coast and Glens", "County Tyrone", "County Antrim"], ["GB"])
    # in other languages
    assert place_facets(["Cornouailles", "Großraum London", "Северный Йоркшир"]) == (
        ["Cornwall (England)", "Greater London", "North Yorkshire"], ["GB"])
    assert place_hits(["North Tyneside"]) == [("North Tyneside", "GB")]      # the fundus page's


def test_a_county_named_like_its_town_leaves_the_town_its_name():
    # Wrexham, Bridgend, Falkirk are the towns; Durham is England's city or North Carolina's, so none alone
    for town in ("Wrexham", "Bridgend", "Falkirk", "Merthyr Tydfil"):
        assert place_facets([town]) == ([town], ["GB"]), town
    assert place_facets(["Durham"]) == ([], [])
    assert place_facets(["Wrexham County Borough", "County Durham", "Co. Durham"]) == (
        ["Wrexham County Borough", "County Durham"], ["GB"])
    # a metropolitan borough or a unitary authority named like its city is the city: no region of that name
    assert place_index()["leeds"] == ("Leeds", "GB") and place_points(["Leeds"])


@pytest.mark.parametrize("name,region,elsewhere", [
    ("Kent", "Kent (England)", ["Seattle"]),                   # Kent, Washington, and Kent, Ohio
    ("Surrey", "Surrey (England)", ["Vancouver"]),             # British Columbia's city
    ("Essex", "Essex (England)", ["New Jersey"]),              # Essex, Maryland, and five Essex Counties
    ("Somerset", "Somerset (England)", ["New Jersey"]),
])
def test_a_county_name_another_table_gives_or_cities_share_is_read_from_the_document(name, region, elsewhere):
    assert name.casefold() in CONTEXT_NAMES
    assert place_facets([name, "London"])[0] == [region, "London"]
    assert place_hits([name, "England"])[0] == (region, "GB")
    assert place_hits([name])[0] != (region, "GB")                            # alone: what it was, or none
    assert place_hits([name, *elsewhere])[0] != (region, "GB")
    # a document naming both countries does not say which
    assert place_hits([name, "London", *elsewhere])[0] != (region, "GB")


def test_a_given_name_s_council_area_is_read_from_the_document():
    assert place_facets(["Angus"]) == ([], [])
    assert place_facets(["Angus", "Scotland"]) == (["Angus (Scotland)", "Scotland"], ["GB"])


def test_a_name_a_city_owns_stays_the_city_beside_its_country():
    assert place_facets(["Surrey", "Vancouver"]) == (["Surrey", "Vancouver"], ["CA"])
    assert place_facets(["Orkney"]) == (["Orkney"], ["ZA"])                   # GeoNames' South African town
    assert place_facets(["Orkney", "Scotland"]) == (["Orkney Islands", "Scotland"], ["GB"])
    assert place_facets(["Norfolk"]) == (["Norfolk Island"], ["NF"])          # CLDR's, as before
    assert place_facets(["Norfolk", "England"])[0] == ["Norfolk (England)", "England"]


def test_the_new_regions_change_no_name_of_the_other_tables_but_on_purpose(monkeypatch):
    index = place_index()
    new = {code: entry for code, entry in SUBDIVISIONS.items()
           if code[:2] == "GB" or code in ("FR-75C", "FR-69M", "FR-6AE")}
    monkeypatch.setattr(places, "_SUBDIVISIONS", {c: e for c, e in SUBDIVISIONS.items() if c not in new})
    monkeypatch.delitem(places._WIDER_REGIONS, "GB")
    without = places._build_places()[0]
    changed = {key: (place, index.get(key)) for key, place in without.items() if index.get(key) != place}
    assert changed == {}


@pytest.mark.parametrize("county,irish,irish_place", [
    ("Clare County", "County Clare", "Galway"), ("Roscommon County", "County Roscommon", "Dublin"),
    ("Wexford County", "County Wexford", "Ireland")])
def test_michigan_s_and_ireland_s_county_names_are_read_from_the_document(county, irish, irish_place):
    mi = f"{county} (US-MI)"
    # beside Michigan or a Michigan city, Michigan's; beside Ireland or an Irish place, Ireland's
    assert place_facets([county, "Michigan"]) == ([mi, "Michigan"], ["US"])
    assert place_facets([county, "Detroit"]) == ([mi, "Detroit"], ["US"])
    assert place_hits([county, "Grand Rapids"])[0] == (mi, "US")
    assert place_facets([county, irish_place])[0] == [irish, irish_place]
    # alone, beside the United States only, or beside two states' places: none, as a name several counties bear
    assert place_facets([county]) == ([], [])
    assert place_hits([county, "United States"])[0] is None
    assert place_hits([county, "Los Angeles"])[0] is None                   # a state with none of the name
    # beside Ireland and the US without a state: none; with Michigan, the state says which
    assert place_hits([county, "Ireland", "United States"])[0] is None
    assert place_hits([county, "Ireland", "Michigan"])[0] == (mi, "US")
    # Ireland's other forms stay Ireland's
    assert place_facets([f"County {county.split()[0]}"])[0] == [irish]


def test_a_us_county_is_read_from_the_city_the_document_names_too():
    assert place_facets(["Orange County", "Anaheim"]) == (["Orange County (US-CA)", "Anaheim"], ["US"])
    assert place_facets(["Orange County", "Orlando"])[0] == ["Orange County (US-FL)", "Orlando"]
    assert place_hits(["Orange County", "Orlando", "Anaheim"])[0] is None       # two states: none


# The Palestinian territories' 16 governorates (first-level, ISO 3166-2:PS): code → their English name and a form of
# it in German, French, Spanish and Arabic, and another spelling the English press writes
GOVERNORATES = {
    "PS-BTH": ("Bethlehem Governorate", "Gouvernement Betlehem", "gouvernorat de Bethléem", "gobernación de Belén",
               "محافظة بيت لحم", "Bethlehem governorate"),
    "PS-DEB": ("Deir al-Balah Governorate", "Gouvernement Deir al-Balah", "gouvernorat de Deir el-Balah",
               "gobernación de Deir al-Balah", "محافظة دير البلح", "Deir el-Balah Governorate"),
    "PS-GZA": ("Gaza Governorate", "Gouvernement Gaza", "gouvernorat de Gaza", "gobernación de Gaza", "محافظة غزة",
               "Gaza governorate"),
    "PS-HBN": ("Hebron Governorate", "Gouvernement Hebron", "gouvernorat d'Hébron", "gobernación de Hebrón",
               "محافظة الخليل", "Al-Khalil Governorate"),
    "PS-JEM": ("Jerusalem Governorate", "Gouvernement Jerusalem", "gouvernorat de Jérusalem",
               "gobernación de Jerusalén", "محافظة القدس", "Al-Quds Governorate"),
    "PS-JEN": ("Jenin Governorate", "Gouvernement Dschenin", "Gouvernorat de Jénine", "gobernación de Yenín",
               "محافظة جنين", "Jenin governorate"),
    "PS-JRH": ("Jericho Governorate", "Gouvernement Jericho", "gouvernorat de Jéricho", "gobernación de Jericó",
               "محافظة أريحا والأغوار", "Jericho and Al Aghwar Governorate"),
    "PS-KYS": ("Khan Yunis Governorate", "Gouvernement Chan Yunis", "gouvernorat de Khan Younès",
               "gobernación de Jan Yunis", "محافظة خان يونس", "Khan Younis Governorate"),
    "PS-NBS": ("Nablus Governorate", "Gouvernement Nablus", "gouvernorat de Naplouse", "gobernación de Nablus",
               "محافظة نابلس", "Nablus governorate"),
    "PS-NGZ": ("North Gaza Governorate", "Gouvernement Nord-Gaza", "gouvernorat de Gaza-Nord",
               "gobernación de Gaza del Norte", "محافظة شمال غزة", "North Gaza"),
    "PS-QQA": ("Qalqilya Governorate", "Gouvernement Qalqiliya", "gouvernorat de Qalqilya",
               "gobernación de Qalqilya", "محافظة قلقيلية", "Qalqilia Governorate"),
    "PS-RBH": ("Ramallah and al-Bireh Governorate", "Gouvernement Ramallah und al-Bira",
               "gouvernorat de Ramallah et Al-Bireh", "gobernación de Ramala y Al Bireh", "محافظة رام الله والبيرة",
               "Ramallah Governorate"),
    "PS-RFH": ("Rafah Governorate", "Gouvernement Rafah", "gouvernorat de Rafah", "gobernación de Rafah",
               "محافظة رفح", "Rafah governorate"),
    "PS-SLT": ("Salfit Governorate", "Gouvernement Salfit", "gouvernorat de Salfit", "gobernación de Salfit",
               "محافظة سلفيت", "Salfit governorate"),
    "PS-TBS": ("Tubas Governorate", "Gouvernement Tubas", "gouvernorat de Tubas", "gobernación de Tubas",
               "محافظة طوباس", "Tubas governorate"),
    "PS-TKM": ("Tulkarm Governorate", "Gouvernement Tulkarm", "gouvernorat de Toulkarem", "gobernación de Tulkarem",
               "محافظة طولكرم", "Tulkarem Governorate"),
}
# the cities (and the Strip) the governorates are named after, and their other spellings: each stays what it is
# without the governorates (a city, Jerusalem Israel's, or none)
GOVERNORATE_CITIES = ("Bethlehem", "Betlehem", "Bethléem", "Belén", "Deir al-Balah", "Deir el-Balah", "Gaza",
                      "Hebron", "Hébron", "Al-Khalil", "Jerusalem", "Jérusalem", "Al-Quds", "Jenin", "Jénine",
                      "Dschenin", "Jericho", "Jéricho", "Khan Yunis", "Khan Younis", "Nablus", "Naplouse",
                      "Qalqilya", "Qalqilia", "Qalqiliya", "Ramallah", "Ramala", "Rafah", "Salfit", "Tubas",
                      "Tulkarm", "Tulkarem", "Toulkarem")


def test_the_palestinian_governorates_are_their_iso_codes_by_pycountry():
    import pycountry

    assert {code for code in SUBDIVISIONS if code[:2] == "PS"} == set(GOVERNORATES)
    for code, (name, *_) in GOVERNORATES.items():
        found = pycountry.subdivisions.get(code=code)
        assert found is not None and found.type == "Governorate" and found.parent_code is None, code
        assert SUBDIVISIONS[code][0] == name


@pytest.mark.parametrize("code", sorted(GOVERNORATES))
def test_a_palestinian_governorate_by_its_english_name_and_in_each_language(code):
    name, *forms = GOVERNORATES[code]
    for form in (name, *forms):
        assert place_facets([form]) == ([name], ["PS"]), form
        assert place_hits([form]) == [(name, "PS")], form


def test_the_cities_the_governorates_are_named_after_keep_their_names(monkeypatch):
    # the city is the city: "Hebron" stays Hebron, and beside its governorate the document names both
    assert place_facets(["Hebron"]) == (["Hebron"], ["PS"]) and place_points(["Hebron"])
    assert place_facets(["Hebron", "Hebron Governorate"]) == (["Hebron", "Hebron Governorate"], ["PS"])
    assert place_facets(["Nablus", "Ramallah"]) == (["Nablus", "Ramallah"], ["PS"])
    assert place_hits(["Jenin", "Tulkarem", "Khan Younis", "Rafah"]) == [
        ("Janīn", "PS"), ("Ţūlkarm", "PS"), ("Khān Yūnis", "PS"), ("Rafaḩ", "PS")]
    # Jerusalem stays Israel's, beside its governorate too; Gaza stays the Strip's city, beside the governorate too
    assert place_facets(["Jerusalem"]) == (["Jerusalem"], ["IL"])
    assert place_facets(["Jerusalem", "Jerusalem Governorate"]) == (
        ["Jerusalem", "Jerusalem Governorate"], ["IL", "PS"])
    assert place_facets(["Gaza"]) == (["Gaza"], ["PS"])
    assert place_facets(["Gaza", "Gaza Governorate"]) == (["Gaza", "Gaza Governorate"], ["PS"])
    # and every bare name is what it is without the governorates (a city, or none where there is none)
    index = place_index()
    monkeypatch.setattr(places, "_SUBDIVISIONS", {c: e for c, e in SUBDIVISIONS.items() if c[:2] != "PS"})
    monkeypatch.setattr(places, "_NOT_ALONE", {k: v - {"PS"} for k, v in places._NOT_ALONE.items()})
    without = places._build_places()[0]
    for name in GOVERNORATE_CITIES:
        assert index.get(name.casefold()) == without.get(name.casefold()), name
    # nor does any other name change but the governorates' own
    changed = {key: (place, index.get(key)) for key, place in without.items() if index.get(key) != place}
    assert changed == {}
