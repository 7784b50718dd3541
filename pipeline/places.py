"""Places as one value in every language: the document's locations that CLDR names, in English, and their countries.

``place_facets(["Moskau", "Deutschland", "Bolton"])`` is ``(["Moscow", "Germany"], ["RU", "DE"])``: "Moskau",
"Москва", "Moscou" and "モスクワ" are all "Moscow" (country ``RU``), "Deutschland", "Allemagne" and "Германия" all
"Germany" (``DE``). The names known are those babel ships from CLDR: every country and world region, and the ~420
cities CLDR names time zones by, in each language of ``pipeline.names._SEARCH_LOCALES``; a city's country is its time
zone's; and a few dozen names CLDR lacks (``_MORE_NAMES``: "Britain", "England", "Gaza Strip", "Beijing"). A name
that two places share in some language ("Kongo") is none of them. Anything else ("Bolton", "Mainz", "Rafah") stays
only in ``entities.location``.

The loader stores them (``places``, ``countries``): a Kibana facet or chart of places that does not split by the
language of the article, and ISO 3166-1 alpha-2 codes that Kibana Maps joins to its world countries layer.
"""
from __future__ import annotations

import functools

# shorter English names than CLDR's standard ones, for a facet ("Hong Kong SAR China" → "Hong Kong")
_SHORT_NAMES = {"HK": "Hong Kong", "MO": "Macao", "MM": "Myanmar", "PS": "Palestine", "CD": "DR Congo",
                "CG": "Republic of the Congo"}
# Names news uses that CLDR does not give (a part of a country, an older or shorter name, a capital no time zone is
# named after), in English, German, French, Spanish and Russian: name → (English name, country)
_MORE_NAMES = {
    **dict.fromkeys(("britain", "great britain", "großbritannien", "grande-bretagne", "gran bretaña",
                     "великобритания"), ("United Kingdom", "GB")),
    **{n: (n.title(), "GB") for n in ("england", "scotland", "wales", "northern ireland")},
    **dict.fromkeys(("schottland", "écosse", "escocia", "шотландия"), ("Scotland", "GB")),
    **dict.fromkeys(("turkey", "turquie", "турция"), ("Türkiye", "TR")),
    **dict.fromkeys(("palestine", "palästina", "palestina", "палестина"), ("Palestine", "PS")),
    **dict.fromkeys(("gaza strip", "gazastreifen", "gaza-streifen", "bande de gaza", "franja de gaza",
                     "сектор газа"), ("Gaza", "PS")),
    **dict.fromkeys(("west bank", "westjordanland", "cisjordanie", "cisjordania", "западный берег"),
                    ("West Bank", "PS")),
    **dict.fromkeys(("holland",), ("Netherlands", "NL")),
    **dict.fromkeys(("czech republic", "tschechische republik"), ("Czechia", "CZ")),
    **dict.fromkeys(("ivory coast", "elfenbeinküste"), ("Côte d’Ivoire", "CI")),
    **dict.fromkeys(("burma", "birma"), ("Myanmar", "MM")),
    **dict.fromkeys(("beijing", "peking", "pékin", "pekín", "пекин"), ("Beijing", "CN")),
    **dict.fromkeys(("new delhi", "neu-delhi", "new-delhi", "nueva delhi", "нью-дели"), ("New Delhi", "IN")),
    **dict.fromkeys(("tel aviv", "tel-aviv", "тель-авив"), ("Tel Aviv", "IL")),
    **dict.fromkeys(("ottawa",), ("Ottawa", "CA")),
    **dict.fromkeys(("canberra",), ("Canberra", "AU")),
    **dict.fromkeys(("ankara", "анкара"), ("Ankara", "TR")),
    **dict.fromkeys(("islamabad", "исламабад"), ("Islamabad", "PK")),
    **dict.fromkeys(("brasília",), ("Brasília", "BR")),   # "Brasilia" is Brazil in Finnish: CLDR's
    **dict.fromkeys(("abu dhabi", "abu dabi", "абу-даби"), ("Abu Dhabi", "AE")),
    **dict.fromkeys(("odesa", "odessa", "одесса", "одеса"), ("Odesa", "UA")),
    **dict.fromkeys(("kharkiv", "charkiw", "kharkov", "charkow", "харьков", "харків"), ("Kharkiv", "UA")),
}
# "Georgia" beside one of these is the US state, not the country
_US_STATES = frozenset(
    "alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii idaho illinois indiana "
    "iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri montana "
    "nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia washington wisconsin "
    "wyoming".split() + ["new hampshire", "new jersey", "new mexico", "new york", "north carolina", "north dakota",
                         "rhode island", "south carolina", "south dakota", "west virginia"])


def _city_zone(zone: str) -> bool:
    """Whether a time zone is named by a city that news means by that name: not a research station in Antarctica
    ("Casey", "Davis", "Palmer"), not a county seat of a US state's zones ("America/Indiana/Knox",
    "America/North_Dakota/Center") or a province's capital of Argentina's ("Córdoba", "Mendoza": Spain's, too),
    and not "Mérida" (Mexico's and Spain's)."""
    parts = zone.split("/")
    return (len(parts) == 2 or zone == "America/Argentina/Buenos_Aires") and parts[0] not in ("Antarctica", "Etc") \
        and zone != "America/Merida"


def _zone_city(zone: str) -> str:
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def place_index() -> dict[str, tuple[str, str | None]]:
    """casefolded name in any of the languages → ``(English name, ISO country code or None)``. ~0.5 s once per
    process. ``_MORE_NAMES`` fill in where CLDR gives no place."""
    return _places()[0]


def place_name_pairs() -> tuple[tuple[str, str], ...]:
    """``(name as written, English name)`` of every name ``place_index`` knows: what a search for a place joins
    (``pipeline.names.alias_group``: "Moscow" finds "Moskau", "Москва", "Moscou")."""
    index, written = _places()
    return tuple((written.get(key, key), english) for key, (english, _) in index.items())


@functools.lru_cache(maxsize=1)
def _places() -> tuple[dict[str, tuple[str, str | None]], dict[str, str]]:
    """``(place_index, casefolded name → the name as CLDR first writes it)``."""
    from babel import Locale
    from babel.core import get_global

    from pipeline.names import _NOT_PLACES, _SEARCH_LOCALES

    english = Locale.parse("en")
    zone_country = get_global("zone_territories")
    zones = {z for z in zone_country if _city_zone(z)}
    found: dict[str, set] = {}
    written: dict[str, str] = {}

    def add(name: str, place: tuple[str, str]) -> None:
        found.setdefault(name.casefold(), set()).add(place)
        written.setdefault(name.casefold(), name)

    for zone in zones:     # CLDR writes a city only where its name differs from the zone's: "Europe/Paris" is Paris
        add(_zone_city(zone), ("zone", zone))
    for loc in _SEARCH_LOCALES:
        locale = Locale.parse(loc)
        for code, name in locale.territories.items():
            if code in english.territories and code not in _NOT_PLACES and code != "001":   # 001: the world
                add(name, ("territory", code))
        for zone, names in locale.time_zones.items():
            if (city := names.get("city")) and zone in zones:
                add(city, ("zone", zone))
    out: dict[str, tuple[str, str | None]] = {}
    for key, places in found.items():
        territories = {p for p in places if p[0] == "territory"}
        if territories:          # a country's or a region's name: never a city's ("Mexico", "Singapore")
            places = territories
        if len(places) != 1:
            continue
        kind, code = next(iter(places))
        if kind == "territory":
            country = code if code.isalpha() else None       # "150" (Europe) is a region
            out[key] = (_SHORT_NAMES.get(code) or english.territories[code], country)
        else:
            city = (english.time_zones.get(code) or {}).get("city") or _zone_city(code)
            country = zone_country.get(code)
            out[key] = (city, country if country and country.isalpha() else None)
    for key, place in _MORE_NAMES.items():
        out.setdefault(key, place)
    return out, written


def place_facets(locations: list[str] | None) -> tuple[list[str], list[str]]:
    """``(places, countries)`` of a document's locations (most mentioned first, as ``entities.location`` lists
    them): the English names of those CLDR knows, each once, in that order, and the ISO 3166-1 alpha-2 codes of
    the countries they name or lie in, each once. "Georgia" among US states is the state: no place, no country."""
    if not locations:
        return [], []
    index = place_index()
    folded = [name.casefold() for name in locations]
    us_states = any(f in _US_STATES and f != "georgia" for f in folded)
    places: list[str] = []
    countries: list[str] = []
    for key in folded:
        hit = index.get(key)
        if hit is None or (key == "georgia" and us_states):
            continue
        name, country = hit
        if name not in places:
            places.append(name)
        if country and country not in countries:
            countries.append(country)
    return places, countries


def country_codes(spec: str) -> list[str]:
    """The ISO 3166-1 alpha-2 codes a comma-separated list names: codes ("de", "UA") or country names in any of the
    languages ("Deutschland", "Ukraine", "Украина"). Raises ``ValueError`` naming what is no country."""
    codes = []
    for item in (part.strip() for part in str(spec).split(",")):
        if not item:
            continue
        hit = place_index().get(item.casefold())
        code = item.upper() if len(item) == 2 else hit[1] if hit and hit[0] == _english_name(hit[1]) else None
        if not _english_name(code):
            raise ValueError(f"{item!r} is no country CLDR names: give its ISO 3166-1 alpha-2 code (DE, UA…) or "
                             f"its name (Germany, Deutschland…)")
        if code not in codes:
            codes.append(code)
    return codes


def _english_name(code: str | None) -> str | None:
    """A country's English name as ``places`` writes it; None for what is no country's code."""
    from babel import Locale

    from pipeline.names import _NOT_PLACES      # CLDR's two-letter codes of groups and placeholders: "EU", "UN", "ZZ"

    if not code or not code.isalpha() or code in _NOT_PLACES:
        return None
    return _SHORT_NAMES.get(code) or Locale.parse("en").territories.get(code)
