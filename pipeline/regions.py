"""The first-level regions of the countries the news names most, as data for ``pipeline.places`` (``SUBDIVISIONS``:
ISO 3166-2 code → its English name and its other names; ``CONTEXT_NAMES``: the names the rest of a document must
confirm, casefolded → the codes of the regions bearing them), with the small helpers that write an oblast's, a krai's,
a prefecture's, a province's or a state's names in the forms the news uses. Kept apart from the place logic so
that ``places.py`` stays readable; its cache key covers this file too (``places._cache_file``)."""
from __future__ import annotations

import unicodedata

# The names of first-level regions, built from their parts in the forms the news writes them (``_SUBDIVISIONS``)
def _as_names(names: list[str], more: str = "") -> str:
    """Names as ``_SUBDIVISIONS`` lists them: one string, "_" for a space; ``more`` is added as it is."""
    return " ".join([name.replace(" ", "_") for name in names] + more.split())


def _oblast(stems: str, more: str = "") -> str:
    """The names of an oblast of Ukraine or Russia, from the city it is named after in English, German, French,
    Spanish and Italian and its Russian and Ukrainian adjectives ("Kharkiv Charkiw Kharkiv Járkov Kharkiv Харьковская
    Харківська"), in the forms the news writes: "Kharkiv Oblast", "Kharkiv region", "Oblast Charkiw", "Gebiet
    Charkiw", "Region Charkiw", "oblast de Kharkiv", "région de Kharkiv", "óblast de Járkov", "región de Járkov",
    "oblast di Kharkiv", "regione di Kharkiv", "Харьковская область", "Харківська область"; never the city's name
    alone. ``more``: other names, as they are ("Харківщина")."""
    en, de, fr, es, it, ru, uk = (stem.replace("_", " ") for stem in stems.split())
    of = f"d'{fr}" if fr[0] in "AEIOUYÉ" else f"de {fr}"
    return _as_names([f"{en} Oblast", f"{en} region", f"Oblast {de}", f"Gebiet {de}", f"Region {de}", f"oblast {of}",
                      f"région {of}", f"óblast de {es}", f"oblast de {es}", f"región de {es}", f"oblast di {it}",
                      f"regione di {it}", f"{ru} область", f"{uk} область"], more)


def _krai(stems: str, more: str = "") -> str:
    """A krai of Russia as ``_oblast`` an oblast: "Krasnodar Krai", "Krasnodar Territory", "Krasnodar region",
    "Region Krasnodar", "Krai Krasnodar", "kraï de Krasnodar", "krai de Krasnodar", "territorio di Krasnodar",
    "Краснодарский край", "Краснодарський край"."""
    en, de, fr, es, it, ru, uk = (stem.replace("_", " ") for stem in stems.split())
    return _as_names([f"{en} Krai", f"{en} Territory", f"{en} region", f"Region {de}", f"Krai {de}", f"kraï de {fr}",
                      f"région de {fr}", f"krai de {es}", f"región de {es}", f"territorio di {it}",
                      f"regione di {it}", f"{ru} край", f"{uk} край"], more)


def _prefecture(en: str, kanji: str, ru: str, more: str = "") -> str:
    """A prefecture of Japan: "Miyazaki Prefecture", "Präfektur Miyazaki", "préfecture de Miyazaki", "prefectura de
    Miyazaki", "prefettura di Miyazaki", "префектура Миядзаки", "宮崎県"; not "Miyazaki", the city."""
    of = f"d'{en}" if en[0] in "AEIOU" else f"de {en}"
    return _as_names([f"{en} Prefecture", f"Präfektur {en}", f"préfecture {of}", f"prefectura de {en}",
                      f"prefettura di {en}", f"префектура {ru}", kanji], more)


def _province(en: str, zh: str, zh_traditional: str, ru: str, more: str = "", bare: str = "en ru zh") -> str:
    """A province of China: "Guangdong", "Guangdong Province", "Provinz Guangdong", "province du Guangdong",
    "provincia de Guangdong", "Гуандун", "провинция Гуандун", "广东", "广东省", "廣東省"; the names alone only in the
    languages ``bare`` says: not "Jilin", "吉林" (the city), not "海南" (Kainan, Japan), not "Liaoning", "Shandong",
    "Fujian" (China's aircraft carriers: "the carrier Liaoning")."""
    of = f"de l'{en}" if en[0] in "AEIOU" else f"du {en}"
    names = [f"{en} Province", f"Provinz {en}", f"province {of}", f"provincia de {en}", f"провинция {ru}", f"{zh}省"]
    if zh_traditional:
        names.append(f"{zh_traditional}省")
    alone = {"en": en, "ru": ru, "zh": zh}
    return _as_names(names + [alone[lang] for lang in bare.split()], more)


def _state(name: str, ru: str, local: str = "", bare: bool = True, more: str = "") -> str:
    """A state of Mexico or Brazil: "Jalisco", "Jalisco State", "State of Jalisco", "Bundesstaat Jalisco", "État de
    Jalisco", "Estado de Jalisco" (``local``: Brazil's "Estado do Pará"), "Stato di Jalisco", "штат Халиско"; with
    ``bare=False`` not the name alone ("Puebla": the city)."""
    return _as_names([f"{name} State", f"State of {name}", f"Bundesstaat {name}", f"État de {name}",
                      local or f"Estado de {name}", f"Stato di {name}", f"штат {ru}"] + ([name] if bare else []), more)


def _department(name: str, of: str = "") -> str:
    """A department of France: "Essonne", "Essonne department", "Département Essonne"; one named like a river, a
    word or another place (``of``: its French article, "de la " of "département de la Somme") not by that name
    alone."""
    return _as_names([f"{name} department", f"Département {name}"] + ([f"département {of}{name}"] if of else [name]))


def _departments(table: str) -> dict[str, tuple[str, str]]:
    """``_department`` of "code name" pairs, "_" for a space; "code name/article_" for one not by its name alone,
    which is then "Somme (department)"."""
    out = {}
    for code, spec in zip(*[iter(table.split())] * 2):
        name, _, of = spec.replace("_", " ").partition("/")
        out[f"FR-{code}"] = (f"{name} (department)" if of else name, _department(name, of))
    return out


# First-level regions of the countries the news names most (and France's departments), by ISO 3166-2 code
# (tests/test_places.py checks each code with pycountry): code → (English name, its other names, "_" for a space;
# a name with "'" is also taken with "’"). The country is the code's. A region named like a city or a country keeps
# the city, or the country, for the bare name and takes only its own forms: "Madrid" is the city, "Comunidad de
# Madrid" the region; "Puebla", "Salzburg", "Miyazaki" and "Jilin" are cities, "Estado de Puebla", "Land Salzburg",
# "宮崎県" and "吉林省" regions. An oblast or a krai goes by its forms ("Kharkiv Oblast", "Харківська область",
# "Oblast Charkiw"), never by the city's name. A region named like a river, a mountain range, a word, a person, a
# ship or a place elsewhere leaves that name out too: France's "Somme", "Var", "Lot", "Nord", "Vienne" (Vienna),
# "Jura"; Spain's "La Rioja" (a city in Argentina); Mexico's "Yucatán" (the peninsula); India's "Punjab"
# (Pakistan's too); "Liaoning" (China's carrier); "Tuva" (a given name). The English name is one of the names, so
# it is one of those forms where the bare name is left out ("Salzburg (state)", "Liaoning Province"). Where a
# GeoNames city only bears a region's name among its other names ("Ceará", Fortaleza's; "Henan", Hengyang's) or
# is a small town of the name ("Goiás", "Mpumalanga"), the region takes it: these tables come before GeoNames'.
# Where ``_WIDER_REGIONS`` or ``_MORE_NAMES`` has the region ("Crimea", "Tuscany", "Andalusia", "Hokkaido"), it
# keeps its English name here and the names it has there; this adds other names of it.
SUBDIVISIONS: dict[str, tuple[str, str]] = {
    # Japan: the names with 県, 府, 都 or 道; "Aichi", "Gunma"… alone where GeoNames has no city of the name
    "JP-01": ("Hokkaido", "北海道 Hokkaido_Prefecture Präfektur_Hokkaido Хоккайдо"),
    "JP-02": ("Aomori Prefecture", _prefecture("Aomori", "青森県", "Аомори")),
    "JP-03": ("Iwate Prefecture", _prefecture("Iwate", "岩手県", "Иватэ", "Iwate")),
    "JP-04": ("Miyagi Prefecture", _prefecture("Miyagi", "宮城県", "Мияги", "Miyagi")),
    "JP-05": ("Akita Prefecture", _prefecture("Akita", "秋田県", "Акита")),
    "JP-06": ("Yamagata Prefecture", _prefecture("Yamagata", "山形県", "Ямагата")),
    "JP-07": ("Fukushima Prefecture", _prefecture("Fukushima", "福島県", "Фукусима")),
    "JP-08": ("Ibaraki Prefecture", _prefecture("Ibaraki", "茨城県", "Ибараки")),
    "JP-09": ("Tochigi Prefecture", _prefecture("Tochigi", "栃木県", "Тотиги")),
    "JP-10": ("Gunma Prefecture", _prefecture("Gunma", "群馬県", "Гумма", "Gunma Гунма")),
    "JP-11": ("Saitama Prefecture", _prefecture("Saitama", "埼玉県", "Сайтама")),
    "JP-12": ("Chiba Prefecture", _prefecture("Chiba", "千葉県", "Тиба")),
    # the metropolis is the city's place: "Tokyo"
    "JP-13": ("Tokyo", "東京都 Tokyo_Metropolis Tokyo_Prefecture Präfektur_Tokio"),
    "JP-14": ("Kanagawa Prefecture", _prefecture("Kanagawa", "神奈川県", "Канагава", "Kanagawa")),
    "JP-15": ("Niigata Prefecture", _prefecture("Niigata", "新潟県", "Ниигата")),
    "JP-16": ("Toyama Prefecture", _prefecture("Toyama", "富山県", "Тояма")),
    "JP-17": ("Ishikawa Prefecture", _prefecture("Ishikawa", "石川県", "Исикава")),
    "JP-18": ("Fukui Prefecture", _prefecture("Fukui", "福井県", "Фукуи")),
    "JP-19": ("Yamanashi Prefecture", _prefecture("Yamanashi", "山梨県", "Яманаси")),
    "JP-20": ("Nagano Prefecture", _prefecture("Nagano", "長野県", "Нагано")),
    "JP-21": ("Gifu Prefecture", _prefecture("Gifu", "岐阜県", "Гифу")),
    "JP-22": ("Shizuoka Prefecture", _prefecture("Shizuoka", "静岡県", "Сидзуока")),
    "JP-23": ("Aichi Prefecture", _prefecture("Aichi", "愛知県", "Аити", "Aichi")),
    "JP-24": ("Mie Prefecture", _prefecture("Mie", "三重県", "Миэ")),
    "JP-25": ("Shiga Prefecture", _prefecture("Shiga", "滋賀県", "Сига")),
    "JP-26": ("Kyoto Prefecture", _prefecture("Kyoto", "京都府", "Киото", "Kyōto_Prefecture")),
    "JP-27": ("Osaka Prefecture", _prefecture("Osaka", "大阪府", "Осака", "Ōsaka_Prefecture")),
    "JP-28": ("Hyogo Prefecture", _prefecture("Hyogo", "兵庫県", "Хёго", "Hyogo Hyōgo Hyōgo_Prefecture")),
    "JP-29": ("Nara Prefecture", _prefecture("Nara", "奈良県", "Нара")),
    "JP-30": ("Wakayama Prefecture", _prefecture("Wakayama", "和歌山県", "Вакаяма")),
    "JP-31": ("Tottori Prefecture", _prefecture("Tottori", "鳥取県", "Тоттори")),
    "JP-32": ("Shimane Prefecture", _prefecture("Shimane", "島根県", "Симанэ", "Shimane")),
    "JP-33": ("Okayama Prefecture", _prefecture("Okayama", "岡山県", "Окаяма")),
    "JP-34": ("Hiroshima Prefecture", _prefecture("Hiroshima", "広島県", "Хиросима")),
    "JP-35": ("Yamaguchi Prefecture", _prefecture("Yamaguchi", "山口県", "Ямагути")),
    "JP-36": ("Tokushima Prefecture", _prefecture("Tokushima", "徳島県", "Токусима")),
    "JP-37": ("Kagawa Prefecture", _prefecture("Kagawa", "香川県", "Кагава")),
    "JP-38": ("Ehime Prefecture", _prefecture("Ehime", "愛媛県", "Эхимэ", "Ehime")),
    "JP-39": ("Kochi Prefecture", _prefecture("Kochi", "高知県", "Коти", "Kōchi_Prefecture")),
    "JP-40": ("Fukuoka Prefecture", _prefecture("Fukuoka", "福岡県", "Фукуока")),
    "JP-41": ("Saga Prefecture", _prefecture("Saga", "佐賀県", "Сага")),
    "JP-42": ("Nagasaki Prefecture", _prefecture("Nagasaki", "長崎県", "Нагасаки")),
    "JP-43": ("Kumamoto Prefecture", _prefecture("Kumamoto", "熊本県", "Кумамото")),
    "JP-44": ("Oita Prefecture", _prefecture("Oita", "大分県", "Оита", "Ōita_Prefecture")),
    "JP-45": ("Miyazaki Prefecture", _prefecture("Miyazaki", "宮崎県", "Миядзаки")),
    "JP-46": ("Kagoshima Prefecture", _prefecture("Kagoshima", "鹿児島県", "Кагосима")),
    "JP-47": ("Okinawa Prefecture", _prefecture("Okinawa", "沖縄県", "Окинава")),
    # China: provinces and autonomous regions (its municipalities are their cities; Hong Kong, Macao, Taiwan CLDR's)
    "CN-AH": ("Anhui", _province("Anhui", "安徽", "", "Аньхой")),
    "CN-FJ": ("Fujian Province", _province("Fujian", "福建", "", "Фуцзянь", bare="zh")),
    "CN-GD": ("Guangdong", _province("Guangdong", "广东", "廣東", "Гуандун")),
    "CN-GS": ("Gansu", _province("Gansu", "甘肃", "甘肅", "Ганьсу")),
    "CN-GZ": ("Guizhou", _province("Guizhou", "贵州", "貴州", "Гуйчжоу")),
    "CN-HA": ("Henan", _province("Henan", "河南", "", "Хэнань")),
    "CN-HB": ("Hubei", _province("Hubei", "湖北", "", "Хубэй")),
    "CN-HE": ("Hebei", _province("Hebei", "河北", "", "Хэбэй")),
    "CN-HI": ("Hainan", _province("Hainan", "海南", "", "Хайнань", bare="en ru")),
    "CN-HL": ("Heilongjiang", _province("Heilongjiang", "黑龙江", "黑龍江", "Хэйлунцзян")),
    "CN-HN": ("Hunan", _province("Hunan", "湖南", "", "Хунань")),
    "CN-JL": ("Jilin Province", _province("Jilin", "吉林", "", "Цзилинь", bare="")),
    "CN-JS": ("Jiangsu", _province("Jiangsu", "江苏", "江蘇", "Цзянсу")),
    "CN-JX": ("Jiangxi", _province("Jiangxi", "江西", "", "Цзянси")),
    "CN-LN": ("Liaoning Province", _province("Liaoning", "辽宁", "遼寧", "Ляонин", bare="zh")),
    "CN-QH": ("Qinghai", _province("Qinghai", "青海", "", "Цинхай")),
    "CN-SC": ("Sichuan", _province("Sichuan", "四川", "", "Сычуань", "Szechuan Szechwan Sezuan")),
    "CN-SD": ("Shandong Province", _province("Shandong", "山东", "山東", "Шаньдун", bare="zh")),
    "CN-SN": ("Shaanxi", _province("Shaanxi", "陕西", "陝西", "Шэньси")),
    "CN-SX": ("Shanxi", _province("Shanxi", "山西", "", "Шаньси")),
    "CN-YN": ("Yunnan", _province("Yunnan", "云南", "雲南", "Юньнань")),
    "CN-ZJ": ("Zhejiang", _province("Zhejiang", "浙江", "", "Чжэцзян")),
    "CN-GX": ("Guangxi", "Guangxi Guangxi_Zhuang_Autonomous_Region Autonomes_Gebiet_Guangxi 广西 廣西 广西壮族自治区 "
                         "廣西壯族自治區 Гуанси Гуанси-Чжуанский_автономный_район"),
    "CN-NM": ("Inner Mongolia", "Inner_Mongolia_Autonomous_Region Nei_Mongol 内蒙古 內蒙古 内蒙古自治区 內蒙古自治區"),
    "CN-NX": ("Ningxia", "Ningxia Ningxia_Hui_Autonomous_Region Autonomes_Gebiet_Ningxia 宁夏 寧夏 宁夏回族自治区 "
                         "寧夏回族自治區 Нинся Нинся-Хуэйский_автономный_район"),
    "CN-XJ": ("Xinjiang", "Xinjiang_Uyghur_Autonomous_Region Xinjiang_Uygur_Autonomous_Region Uigurisches_Autonomes_"
                          "Gebiet_Xinjiang 新疆 新疆维吾尔自治区 新疆維吾爾自治區 Синьцзян-Уйгурский_автономный_район"),
    "CN-XZ": ("Tibet", "Xizang Tibet_Autonomous_Region Autonomes_Gebiet_Tibet Région_autonome_du_Tibet "
                       "Región_Autónoma_del_Tíbet 西藏 西藏自治区 Тибетский_автономный_район"),
    # Ukraine: the oblasts and Crimea (Kyiv and Sevastopol are their cities)
    "UA-05": ("Vinnytsia Oblast", _oblast("Vinnytsia Winnyzja Vinnytsia Vínnytsia Vinnytsia Винницкая Вінницька",
                                          "Vinnitsa_Oblast Vinnitsa_region Вінниччина Винничина")),
    "UA-07": ("Volyn Oblast", _oblast("Volyn Wolyn Volhynie Volinia Volinia Волынская Волинська")),
    "UA-09": ("Luhansk Oblast", _oblast("Luhansk Luhansk Louhansk Lugansk Luhansk Луганская Луганська",
                                        "Lugansk_Oblast Lugansk_region Луганщина")),
    "UA-12": ("Dnipropetrovsk Oblast", _oblast("Dnipropetrovsk Dnipropetrowsk Dnipropetrovsk Dnipropetrovsk "
                                               "Dnipropetrovsk Днепропетровская Дніпропетровська",
                                               "Dnepropetrovsk_Oblast Dnepropetrovsk_region Dnipro_region "
                                               "Дніпропетровщина Днепропетровщина")),
    "UA-14": ("Donetsk Oblast", _oblast("Donetsk Donezk Donetsk Donetsk Donetsk Донецкая Донецька",
                                        "Донеччина Донетчина")),
    "UA-18": ("Zhytomyr Oblast", _oblast("Zhytomyr Schytomyr Jytomyr Zhytómyr Zhytomyr Житомирская Житомирська",
                                         "Zhitomir_Oblast Zhitomir_region Житомирщина")),
    "UA-21": ("Zakarpattia Oblast", _oblast("Zakarpattia Transkarpatien Transcarpatie Zakarpatia Transcarpazia "
                                            "Закарпатская Закарпатська",
                                            "Zakarpattia Transcarpathia Transcarpathian_Oblast Transkarpatien "
                                            "Transcarpatie Закарпаття Закарпатье")),
    "UA-23": ("Zaporizhzhia Oblast", _oblast("Zaporizhzhia Saporischschja Zaporijia Zaporiyia Zaporizhzhia "
                                             "Запорожская Запорізька",
                                             "Zaporizhia_Oblast Zaporizhia_region Zaporozhye_Oblast "
                                             "Zaporozhye_region")),
    "UA-26": ("Ivano-Frankivsk Oblast", _oblast("Ivano-Frankivsk Iwano-Frankiwsk Ivano-Frankivsk Ivano-Frankivsk "
                                                "Ivano-Frankivsk Ивано-Франковская Івано-Франківська",
                                                "Ivano-Frankovsk_Oblast Івано-Франківщина")),
    "UA-32": ("Kyiv Oblast", _oblast("Kyiv Kiew Kyiv Kiev Kiev Киевская Київська",
                                     "Kiev_Oblast Kiev_region Oblast_Kyjiw Gebiet_Kyjiw oblast_de_Kiev région_de_Kiev "
                                     "Київщина Киевщина")),
    "UA-35": ("Kirovohrad Oblast", _oblast("Kirovohrad Kirowohrad Kirovohrad Kirovogrado Kirovohrad Кировоградская "
                                           "Кіровоградська", "Kirovograd_Oblast Kirovograd_region Кіровоградщина")),
    "UA-46": ("Lviv Oblast", _oblast("Lviv Lwiw Lviv Leópolis Leopoli Львовская Львівська",
                                     "Lvov_Oblast Lvov_region región_de_Lviv Львівщина Львовщина")),
    "UA-48": ("Mykolaiv Oblast", _oblast("Mykolaiv Mykolajiw Mykolaïv Mykolaiv Mykolaiv Николаевская Миколаївська",
                                         "Nikolaev_Oblast Nikolayev_Oblast Nikolaev_region Nikolayev_region "
                                         "oblast_de_Mykolaiv óblast_de_Nikoláyev Миколаївщина Николаевщина")),
    "UA-51": ("Odesa Oblast", _oblast("Odesa Odessa Odessa Odesa Odessa Одесская Одеська",
                                      "Odessa_Oblast Odessa_region Одещина")),
    "UA-53": ("Poltava Oblast", _oblast("Poltava Poltawa Poltava Poltava Poltava Полтавская Полтавська",
                                        "Полтавщина")),
    "UA-56": ("Rivne Oblast", _oblast("Rivne Riwne Rivne Rivne Rivne Ровенская Рівненська",
                                      "Rovno_Oblast Рівненщина")),
    "UA-59": ("Sumy Oblast", _oblast("Sumy Sumy Soumy Sumy Sumy Сумская Сумська", "Сумщина")),
    "UA-61": ("Ternopil Oblast", _oblast("Ternopil Ternopil Ternopil Ternópil Ternopil Тернопольская Тернопільська",
                                         "Тернопільщина")),
    "UA-63": ("Kharkiv Oblast", _oblast("Kharkiv Charkiw Kharkiv Járkov Kharkiv Харьковская Харківська",
                                        "Kharkov_Oblast Kharkov_region Харківщина Харьковщина")),
    "UA-65": ("Kherson Oblast", _oblast("Kherson Cherson Kherson Jersón Kherson Херсонская Херсонська",
                                        "Херсонщина")),
    "UA-68": ("Khmelnytskyi Oblast", _oblast("Khmelnytskyi Chmelnyzkyj Khmelnytsky Jmelnitski Khmelnytskyi "
                                             "Хмельницкая Хмельницька", "Khmelnytsky_Oblast Khmelnytsky_region "
                                             "Khmelnitsky_Oblast Хмельниччина")),
    "UA-71": ("Cherkasy Oblast", _oblast("Cherkasy Tscherkassy Tcherkassy Cherkasy Cherkasy Черкасская Черкаська",
                                         "Cherkassy_Oblast Черкащина")),
    "UA-74": ("Chernihiv Oblast", _oblast("Chernihiv Tschernihiw Tchernihiv Chernígov Chernihiv Черниговская "
                                          "Чернігівська", "Chernigov_Oblast Chernigov_region Чернігівщина "
                                          "Черниговщина")),
    "UA-77": ("Chernivtsi Oblast", _oblast("Chernivtsi Tscherniwzi Tchernivtsi Chernivtsí Chernivtsi Черновицкая "
                                           "Чернівецька", "Oblast_Czernowitz Gebiet_Czernowitz Chernovtsy_Oblast "
                                           "Чернівеччина")),
    "UA-43": ("Crimea", "Autonomous_Republic_of_Crimea Autonome_Republik_Krim République_autonome_de_Crimée "
                        "República_Autónoma_de_Crimea Repubblica_autonoma_di_Crimea Автономная_Республика_Крым "
                        "Республика_Крым Автономна_Республіка_Крим АР_Крим"),
    # Russia: the oblasts, krais, republics and autonomous okrugs (Moscow and Saint Petersburg are their cities)
    "RU-AMU": ("Amur Oblast", _oblast("Amur Amur Amour Amur Amur Амурская Амурська")),
    "RU-ARK": ("Arkhangelsk Oblast", _oblast("Arkhangelsk Archangelsk Arkhangelsk Arcángel Arcangelo Архангельская "
                                             "Архангельська")),
    "RU-AST": ("Astrakhan Oblast", _oblast("Astrakhan Astrachan Astrakhan Astracán Astrakhan Астраханская "
                                           "Астраханська")),
    "RU-BEL": ("Belgorod Oblast", _oblast("Belgorod Belgorod Belgorod Bélgorod Belgorod Белгородская Бєлгородська",
                                          "Белгородщина Бєлгородщина")),
    "RU-BRY": ("Bryansk Oblast", _oblast("Bryansk Brjansk Briansk Briansk Bryansk Брянская Брянська", "Брянщина")),
    "RU-CHE": ("Chelyabinsk Oblast", _oblast("Chelyabinsk Tscheljabinsk Tcheliabinsk Cheliábinsk Chelyabinsk "
                                             "Челябинская Челябінська")),
    "RU-IRK": ("Irkutsk Oblast", _oblast("Irkutsk Irkutsk Irkoutsk Irkutsk Irkutsk Иркутская Іркутська")),
    "RU-IVA": ("Ivanovo Oblast", _oblast("Ivanovo Iwanowo Ivanovo Ivánovo Ivanovo Ивановская Іванівська")),
    "RU-KEM": ("Kemerovo Oblast", _oblast("Kemerovo Kemerowo Kemerovo Kémerovo Kemerovo Кемеровская Кемеровська",
                                          "Kuzbass Kusbass Кузбасс Кузбас")),
    "RU-KGD": ("Kaliningrad Oblast", _oblast("Kaliningrad Kaliningrad Kaliningrad Kaliningrado Kaliningrad "
                                             "Калининградская Калінінградська")),
    "RU-KGN": ("Kurgan Oblast", _oblast("Kurgan Kurgan Kourgan Kurgán Kurgan Курганская Курганська")),
    "RU-KIR": ("Kirov Oblast", _oblast("Kirov Kirow Kirov Kírov Kirov Кировская Кіровська")),
    "RU-KLU": ("Kaluga Oblast", _oblast("Kaluga Kaluga Kalouga Kaluga Kaluga Калужская Калузька")),
    "RU-KOS": ("Kostroma Oblast", _oblast("Kostroma Kostroma Kostroma Kostromá Kostroma Костромская Костромська")),
    "RU-KRS": ("Kursk Oblast", _oblast("Kursk Kursk Koursk Kursk Kursk Курская Курська", "Курщина")),
    "RU-LEN": ("Leningrad Oblast", _oblast("Leningrad Leningrad Léningrad Leningrado Leningrado Ленинградская "
                                           "Ленінградська", "Ленобласть")),
    "RU-LIP": ("Lipetsk Oblast", _oblast("Lipetsk Lipezk Lipetsk Lípetsk Lipetsk Липецкая Липецька")),
    "RU-MAG": ("Magadan Oblast", _oblast("Magadan Magadan Magadan Magadán Magadan Магаданская Магаданська")),
    "RU-MOS": ("Moscow Oblast", _oblast("Moscow Moskau Moscou Moscú Mosca Московская Московська",
                                       "Подмосковье Підмосков'я")),
    "RU-MUR": ("Murmansk Oblast", _oblast("Murmansk Murmansk Mourmansk Múrmansk Murmansk Мурманская Мурманська")),
    "RU-NGR": ("Novgorod Oblast", _oblast("Novgorod Nowgorod Novgorod Nóvgorod Novgorod Новгородская Новгородська")),
    "RU-NIZ": ("Nizhny Novgorod Oblast", _oblast("Nizhny_Novgorod Nischni_Nowgorod Nijni_Novgorod Nizhni_Nóvgorod "
                                                 "Nizhny_Novgorod Нижегородская Нижньогородська")),
    "RU-NVS": ("Novosibirsk Oblast", _oblast("Novosibirsk Nowosibirsk Novossibirsk Novosibirsk Novosibirsk "
                                             "Новосибирская Новосибірська")),
    "RU-OMS": ("Omsk Oblast", _oblast("Omsk Omsk Omsk Omsk Omsk Омская Омська")),
    "RU-ORE": ("Orenburg Oblast", _oblast("Orenburg Orenburg Orenbourg Oremburgo Orenburg Оренбургская "
                                          "Оренбурзька")),
    "RU-ORL": ("Oryol Oblast", _oblast("Oryol Orjol Orel Oriol Oryol Орловская Орловська", "Orel_Oblast")),
    "RU-PNZ": ("Penza Oblast", _oblast("Penza Pensa Penza Penza Penza Пензенская Пензенська")),
    "RU-PSK": ("Pskov Oblast", _oblast("Pskov Pskow Pskov Pskov Pskov Псковская Псковська")),
    "RU-ROS": ("Rostov Oblast", _oblast("Rostov Rostow Rostov Rostov Rostov Ростовская Ростовська")),
    "RU-RYA": ("Ryazan Oblast", _oblast("Ryazan Rjasan Riazan Riazán Ryazan Рязанская Рязанська")),
    "RU-SAK": ("Sakhalin Oblast", _oblast("Sakhalin Sachalin Sakhaline Sajalín Sakhalin Сахалинская Сахалінська")),
    "RU-SAM": ("Samara Oblast", _oblast("Samara Samara Samara Samara Samara Самарская Самарська")),
    "RU-SAR": ("Saratov Oblast", _oblast("Saratov Saratow Saratov Sarátov Saratov Саратовская Саратовська")),
    "RU-SMO": ("Smolensk Oblast", _oblast("Smolensk Smolensk Smolensk Smolensk Smolensk Смоленская Смоленська",
                                          "Смоленщина")),
    "RU-SVE": ("Sverdlovsk Oblast", _oblast("Sverdlovsk Swerdlowsk Sverdlovsk Sverdlovsk Sverdlovsk Свердловская "
                                            "Свердловська")),
    "RU-TAM": ("Tambov Oblast", _oblast("Tambov Tambow Tambov Tambov Tambov Тамбовская Тамбовська")),
    "RU-TOM": ("Tomsk Oblast", _oblast("Tomsk Tomsk Tomsk Tomsk Tomsk Томская Томська")),
    "RU-TUL": ("Tula Oblast", _oblast("Tula Tula Toula Tula Tula Тульская Тульська")),
    "RU-TVE": ("Tver Oblast", _oblast("Tver Twer Tver Tver Tver Тверская Тверська")),
    "RU-TYU": ("Tyumen Oblast", _oblast("Tyumen Tjumen Tioumen Tiumén Tyumen Тюменская Тюменська")),
    "RU-ULY": ("Ulyanovsk Oblast", _oblast("Ulyanovsk Uljanowsk Oulianovsk Uliánovsk Ulyanovsk Ульяновская "
                                           "Ульяновська")),
    "RU-VGG": ("Volgograd Oblast", _oblast("Volgograd Wolgograd Volgograd Volgogrado Volgograd Волгоградская "
                                           "Волгоградська")),
    "RU-VLA": ("Vladimir Oblast", _oblast("Vladimir Wladimir Vladimir Vladímir Vladimir Владимирская "
                                          "Владимирська")),
    "RU-VLG": ("Vologda Oblast", _oblast("Vologda Wologda Vologda Vólogda Vologda Вологодская Вологодська")),
    "RU-VOR": ("Voronezh Oblast", _oblast("Voronezh Woronesch Voronej Vorónezh Voronezh Воронежская Воронезька")),
    "RU-YAR": ("Yaroslavl Oblast", _oblast("Yaroslavl Jaroslawl Iaroslavl Yaroslavl Yaroslavl Ярославская "
                                           "Ярославська")),
    "RU-KAM": ("Kamchatka Krai", _krai("Kamchatka Kamtschatka Kamtchatka Kamchatka Kamchatka Камчатский "
                                       "Камчатський")),
    "RU-KDA": ("Krasnodar Krai", _krai("Krasnodar Krasnodar Krasnodar Krasnodar Krasnodar Краснодарский "
                                       "Краснодарський")),
    "RU-KHA": ("Khabarovsk Krai", _krai("Khabarovsk Chabarowsk Khabarovsk Jabárovsk Khabarovsk Хабаровский "
                                        "Хабаровський")),
    "RU-KYA": ("Krasnoyarsk Krai", _krai("Krasnoyarsk Krasnojarsk Krasnoïarsk Krasnoyarsk Krasnoyarsk Красноярский "
                                         "Красноярський")),
    "RU-PER": ("Perm Krai", _krai("Perm Perm Perm Perm Perm Пермский Пермський")),
    "RU-STA": ("Stavropol Krai", _krai("Stavropol Stawropol Stavropol Stávropol Stavropol Ставропольский "
                                       "Ставропольський", "Ставрополье")),
    "RU-ALT": ("Altai Krai", "Altai_Krai Altai_Territory Region_Altai Krai_Altai kraï_de_l'Altaï krai_de_Altái "
                             "Алтайский_край Алтайський_край"),
    "RU-PRI": ("Primorsky Krai", "Primorsky_Krai Primorsky_region Primorye Primorje Region_Primorje "
                                 "kraï_du_Primorié krai_de_Primorie Приморский_край Приморье Приморський_край"),
    "RU-ZAB": ("Zabaykalsky Krai", "Zabaykalsky_Krai Zabaikalsky_Krai Transbaikal_Krai Region_Transbaikalien "
                                   "Забайкальский_край Забайкальський_край"),
    "RU-AD": ("Adygea", "Adygeja Adygea Adyguée Adigueya Adighezia Republic_of_Adygea Адыгея Республика_Адыгея "
                        "Адигея"),
    "RU-AL": ("Altai Republic", "Republic_of_Altai Republik_Altai République_de_l'Altaï República_de_Altái "
                                "Республика_Алтай Республіка_Алтай"),
    "RU-BA": ("Bashkortostan", "Baschkortostan Baschkirien Bachkortostan Bachkirie Bashkortostán Baschiria "
                               "Bashkiria Republic_of_Bashkortostan Башкортостан Башкирия Республика_Башкортостан "
                               "Башкирія"),
    "RU-BU": ("Buryatia", "Burjatien Bouriatie Buriatia Buriazia Republic_of_Buryatia Бурятия Республика_Бурятия "
                          "Бурятія"),
    "RU-CE": ("Chechnya", "Chechen_Republic Tschetschenische_Republik République_tchétchène República_de_Chechenia "
                          "Чеченская_Республика Чеченська_Республіка Ichkeria Ичкерия Ічкерія"),
    "RU-CU": ("Chuvashia", "Tschuwaschien Tchouvachie Chuvasia Ciuvascia Chuvash_Republic Чувашия "
                           "Чувашская_Республика Чувашія"),
    "RU-DA": ("Dagestan", "Republic_of_Dagestan Republik_Dagestan Республика_Дагестан"),
    "RU-IN": ("Ingushetia", "Inguschetien Ingouchie Ingusetia Inguscezia Republic_of_Ingushetia Ингушетия "
                            "Республика_Ингушетия Інгушетія"),
    "RU-KB": ("Kabardino-Balkaria", "Kabardino-Balkarien Kabardino-Balkarie Cabardino-Balcaria "
                                    "Kabardino-Balkar_Republic Кабардино-Балкария Кабардино-Балкарская_Республика "
                                    "Кабардино-Балкарія"),
    "RU-KC": ("Karachay-Cherkessia", "Karatschai-Tscherkessien Karatchaïévo-Tcherkessie Karacháyevo-Cherkesia "
                                     "Karachay-Cherkess_Republic Карачаево-Черкесия "
                                     "Карачаево-Черкесская_Республика Карачаєво-Черкесія"),
    "RU-KK": ("Khakassia", "Chakassien Khakassie Jakasia Republic_of_Khakassia Хакасия Республика_Хакасия Хакасія"),
    "RU-KL": ("Kalmykia", "Kalmückien Kalmoukie Kalmukia Calmucchia Republic_of_Kalmykia Калмыкия "
                          "Республика_Калмыкия Калмикія"),
    # "Komi" alone is a word too (Iceland's)
    "RU-KO": ("Komi Republic", "Republic_of_Komi Republik_Komi République_des_Komis República_de_Komi Коми "
                               "Республика_Коми Республіка_Комі"),
    "RU-KR": ("Republic of Karelia", "Republik_Karelien République_de_Carélie República_de_Carelia Карелия "
                                     "Республика_Карелия Республіка_Карелія"),
    "RU-ME": ("Mari El", "Republic_of_Mari_El Republik_Mari_El Марий_Эл Республика_Марий_Эл Марій_Ел"),
    "RU-MO": ("Mordovia", "Mordwinien Mordovie Republic_of_Mordovia Мордовия Республика_Мордовия Мордовія"),
    "RU-SA": ("Yakutia", "Sakha_Republic Republic_of_Sakha Jakutien Republik_Sacha Iakoutie Jacuzia Якутия "
                         "Республика_Саха Якутія"),
    "RU-SE": ("North Ossetia", "North_Ossetia-Alania Nordossetien Ossétie_du_Nord Osetia_del_Norte Ossezia_del_Nord "
                               "Северная_Осетия Північна_Осетія"),
    "RU-TA": ("Tatarstan", "Tartaristán Tatarstán Republic_of_Tatarstan Republik_Tatarstan Татарстан "
                           "Республика_Татарстан Татария"),
    # "Tuva" alone is a given name too (Norway's)
    "RU-TY": ("Tuva Republic", "Tyva Tuwa Touva Tuvá Republic_of_Tuva Тыва Тува Республика_Тыва"),
    "RU-UD": ("Udmurtia", "Udmurtien Oudmourtie Udmurt_Republic Удмуртия Удмуртская_Республика Удмуртія"),
    "RU-CHU": ("Chukotka", "Chukotka_Autonomous_Okrug Tschukotka Tchoukotka Чукотка Чукотский_автономный_округ "
                           "Чукотський_автономний_округ"),
    "RU-KHM": ("Khanty-Mansi Autonomous Okrug", "Khanty-Mansiysk_Autonomous_Okrug Yugra Jugra "
                                                "Ханты-Мансийский_автономный_округ Югра ХМАО "
                                                "Ханти-Мансійський_автономний_округ"),
    "RU-NEN": ("Nenets Autonomous Okrug", "Autonomer_Kreis_der_Nenzen Ненецкий_автономный_округ "
                                          "Ненецький_автономний_округ"),
    "RU-YAN": ("Yamalo-Nenets Autonomous Okrug", "Yamal-Nenets_Autonomous_Okrug Autonomer_Kreis_der_Jamal-Nenzen "
                                                 "Ямало-Ненецкий_автономный_округ ЯНАО "
                                                 "Ямало-Ненецький_автономний_округ"),
    "RU-YEV": ("Jewish Autonomous Oblast", "Jüdische_Autonome_Oblast Oblast_autonome_juive Óblast_Autónomo_Hebreo "
                                           "Oblast_autonoma_ebraica Еврейская_автономная_область "
                                           "Єврейська_автономна_область"),
    # Italy's 20 regions
    "IT-21": ("Piedmont", "Regione_Piemonte"),
    "IT-23": ("Aosta Valley", "Aostatal Vallée_d'Aoste Valle_de_Aosta Valle_d'Aosta Валле-д'Аоста"),
    "IT-25": ("Lombardy", "Regione_Lombardia"),
    "IT-32": ("Trentino-Alto Adige", "Trentino-Südtirol Trentin-Haut-Adige Trentino-Alto_Adigio "
                                     "Trentino-Alto_Adige/Südtirol Трентино-Альто-Адидже"),
    "IT-34": ("Veneto", "Regione_Veneto"),
    "IT-36": ("Friuli-Venezia Giulia", "Friuli_Venezia_Giulia Friaul-Julisch_Venetien Frioul-Vénétie_julienne "
                                       "Friuli-Venecia_Julia Фриули-Венеция-Джулия"),
    "IT-42": ("Liguria", "Ligurien Ligurie Лигурия"),
    "IT-45": ("Emilia-Romagna", "Emilia_Romagna Émilie-Romagne Emilia-Romaña Эмилия-Романья"),
    "IT-52": ("Tuscany", "Regione_Toscana"),
    "IT-55": ("Umbria", "Umbrien Ombrie Умбрия"),
    "IT-57": ("Marche", "Le_Marche Marche_region Regione_Marche Region_Marken Марке"),
    "IT-62": ("Lazio", "Latium Lacio Лацио"),
    "IT-65": ("Abruzzo", "Abruzzi Abruzzen Abruzzes Abruzos Абруццо"),
    "IT-67": ("Molise", "Молизе"),
    "IT-72": ("Campania", "Kampanien Campanie"),
    "IT-75": ("Apulia", "Puglia Apulien Pouilles Апулия"),
    "IT-77": ("Basilicata", "Basilikata Basilicate Базиликата"),
    "IT-78": ("Calabria", "Kalabrien Calabre Калабрия"),
    "IT-82": ("Sicily", "Regione_Siciliana"),
    "IT-88": ("Sardinia", "Regione_Sardegna"),
    # Spain's 17 autonomous communities: "Madrid", "Murcia", "Valencia" are the cities, "La Rioja" also Argentina's
    "ES-AN": ("Andalusia", "Andalucia"),
    "ES-AR": ("Aragon", "Aragón Aragonien Aragona Арагон"),
    "ES-AS": ("Asturias", "Principality_of_Asturias Principado_de_Asturias Asturien Asturies Астурия"),
    "ES-CB": ("Cantabria", "Kantabrien Cantabrie Кантабрия"),
    "ES-CL": ("Castile and León", "Castile_and_Leon Castilla_y_León Castilla_y_Leon Kastilien_und_León "
                                  "Kastilien-León Castille-et-León Castiglia_e_León Кастилия_и_Леон"),
    "ES-CM": ("Castilla–La Mancha", "Castile-La_Mancha Castilla-La_Mancha Castile–La_Mancha Kastilien-La_Mancha "
                                    "Castille-La_Manche Castiglia-La_Mancia"),
    "ES-CN": ("Canary Islands", "Comunidad_Autónoma_de_Canarias"),
    "ES-CT": ("Catalonia", "Generalitat_de_Catalunya"),
    "ES-EX": ("Extremadura", "Estrémadure Estremadura Эстремадура"),
    "ES-GA": ("Galicia", "Galicien Galice Галисия Xunta_de_Galicia"),
    "ES-IB": ("Balearic Islands", "Balearic_Isles"),
    "ES-MC": ("Region of Murcia", "Región_de_Murcia Region_Murcia Région_de_Murcie Regione_di_Murcia"),
    "ES-MD": ("Community of Madrid", "Comunidad_de_Madrid Comunidad_Autónoma_de_Madrid Madrid_region Region_Madrid "
                                     "Autonome_Gemeinschaft_Madrid Communauté_de_Madrid Comunità_di_Madrid"),
    "ES-NC": ("Navarre", "Navarra Nafarroa Comunidad_Foral_de_Navarra Chartered_Community_of_Navarre Наварра"),
    "ES-PV": ("Basque Country", "País_Vasco Comunidad_Autónoma_del_País_Vasco"),
    "ES-RI": ("La Rioja (Spain)", "Comunidad_Autónoma_de_La_Rioja"),
    "ES-VC": ("Valencian Community", "Comunidad_Valenciana Comunitat_Valenciana País_Valenciano Valencia_region "
                                     "Region_Valencia Valencianische_Gemeinschaft Communauté_valencienne "
                                     "Comunità_Valenciana Валенсийское_сообщество"),
    # Austria's 9 Länder: "Salzburg" is the city, the Land "Land Salzburg"; "Wien" is the city and the Land
    "AT-1": ("Burgenland", "Бургенланд"),
    "AT-2": ("Carinthia", "Land_Kärnten Bundesland_Kärnten"),
    "AT-3": ("Lower Austria", "Niederösterreich Basse-Autriche Baja_Austria Bassa_Austria Нижняя_Австрия"),
    "AT-4": ("Upper Austria", "Oberösterreich Haute-Autriche Alta_Austria Верхняя_Австрия"),
    "AT-5": ("Salzburg (state)", "Land_Salzburg Bundesland_Salzburg Salzburger_Land State_of_Salzburg Salzburg_state "
                                 "Land_de_Salzbourg Salisburghese"),
    "AT-6": ("Styria", "Land_Steiermark Bundesland_Steiermark"),
    "AT-7": ("Tyrol", "Land_Tirol Bundesland_Tirol"),
    "AT-8": ("Vorarlberg", "Форарльберг"),
    "AT-9": ("Vienna", "Bundesland_Wien Land_Wien"),
    # France's 13 metropolitan regions (Corsica's code is its collectivity's)
    "FR-ARA": ("Auvergne-Rhône-Alpes", "Auvergne-Rhone-Alpes"),
    "FR-BFC": ("Bourgogne-Franche-Comté", "Burgundy-Franche-Comté Burgund-Franche-Comté Borgoña-Franco_Condado "
                                          "Borgogna-Franca_Contea"),
    "FR-BRE": ("Brittany", "Région_Bretagne"),
    "FR-CVL": ("Centre-Val de Loire", "Centre-Val-de-Loire Centro-Valle_de_Loira"),
    "FR-20R": ("Corsica", "Collectivité_de_Corse"),
    "FR-GES": ("Grand Est", "Grand-Est Région_Grand_Est"),
    "FR-HDF": ("Hauts-de-France", ""),
    "FR-IDF": ("Île-de-France", "Région_Île-de-France"),
    "FR-NOR": ("Normandy", "Région_Normandie"),
    "FR-NAQ": ("Nouvelle-Aquitaine", "Neu-Aquitanien Nueva_Aquitania Nuova_Aquitania Новая_Аквитания"),
    "FR-OCC": ("Occitania", "Occitanie Okzitanien Occitània Окситания"),
    "FR-PDL": ("Pays de la Loire", "Pays-de-la-Loire Países_del_Loira Paesi_della_Loira"),
    "FR-PAC": ("Provence-Alpes-Côte d'Azur", "Provence-Alpes-Côte-d'Azur PACA Région_Sud Provenza-Alpes-Costa_Azul "
                                             "Provenza-Alpi-Costa_Azzurra"),
    # France's departments; those named like a river, a mountain range, a word or another place by their forms only.
    # By the codes the installed pycountry gives (ISO 3166-2:FR as changed in 2016-2021): Paris is FR-75C, a
    # collectivity that is both the city and the department, so "Paris" stays the city and "département de Paris"
    # is "Paris (department)"; Lyon's metropolis (FR-69M) and the European Collectivity of Alsace (FR-6AE, over
    # FR-67 and FR-68, which pycountry still lists) have codes of their own. The overseas departments (FR-971 to
    # FR-976) are left to CLDR, which names them as territories with their own ISO 3166-1 codes (GP, MQ, GF, RE,
    # YT) that Kibana Maps joins: a second name under FR would split their facet
    **_departments("01 Ain/de_l' 02 Aisne 03 Allier 04 Alpes-de-Haute-Provence 05 Hautes-Alpes 06 Alpes-Maritimes "
                   "07 Ardèche 08 Ardennes/des_ 09 Ariège 10 Aube/de_l' 11 Aude 12 Aveyron 13 Bouches-du-Rhône "
                   "14 Calvados 15 Cantal 16 Charente 17 Charente-Maritime 18 Cher/du_ 19 Corrèze 2A Corse-du-Sud "
                   "2B Haute-Corse 21 Côte-d'Or 22 Côtes-d'Armor 23 Creuse/de_la_ 24 Dordogne 25 Doubs 26 Drôme "
                   "27 Eure/de_l' 28 Eure-et-Loir 29 Finistère 30 Gard/du_ 31 Haute-Garonne 32 Gers 33 Gironde "
                   "34 Hérault 35 Ille-et-Vilaine 36 Indre/de_l' 37 Indre-et-Loire 38 Isère 39 Jura/du_ "
                   "40 Landes/des_ 41 Loir-et-Cher 42 Loire/de_la_ 43 Haute-Loire 44 Loire-Atlantique 45 Loiret "
                   "46 Lot/du_ 47 Lot-et-Garonne 48 Lozère 49 Maine-et-Loire 50 Manche/de_la_ 51 Marne/de_la_ "
                   "52 Haute-Marne 53 Mayenne/de_la_ 54 Meurthe-et-Moselle 55 Meuse/de_la_ 56 Morbihan "
                   "57 Moselle/de_la_ 58 Nièvre 59 Nord/du_ 60 Oise 61 Orne/de_l' 62 Pas-de-Calais 63 Puy-de-Dôme "
                   "64 Pyrénées-Atlantiques 65 Hautes-Pyrénées 66 Pyrénées-Orientales 67 Bas-Rhin 68 Haut-Rhin "
                   "69 Rhône/du_ 70 Haute-Saône 71 Saône-et-Loire 72 Sarthe 73 Savoie/de_la_ 74 Haute-Savoie "
                   "76 Seine-Maritime 77 Seine-et-Marne 78 Yvelines 79 Deux-Sèvres 80 Somme/de_la_ 81 Tarn "
                   "82 Tarn-et-Garonne 83 Var/du_ 84 Vaucluse 85 Vendée 86 Vienne/de_la_ 87 Haute-Vienne "
                   "88 Vosges/des_ 89 Yonne 90 Territoire_de_Belfort 91 Essonne 92 Hauts-de-Seine "
                   "93 Seine-Saint-Denis 94 Val-de-Marne 95 Val-d'Oise 75C Paris/de_"),
    "FR-69M": ("Lyon Metropolis", "Métropole_de_Lyon Metropolis_of_Lyon Métropole_du_Grand_Lyon Grand_Lyon "
                                  "Metropole_de_Lyon"),
    "FR-6AE": ("Alsace", "Collectivité_européenne_d'Alsace European_Collectivity_of_Alsace "
                         "Europäische_Gebietskörperschaft_Elsass"),
    # Poland's 16 voivodeships ("Silesia", "Pomerania" are wider than theirs)
    "PL-02": ("Lower Silesian Voivodeship", "Lower_Silesia Dolny_Śląsk Dolnośląskie województwo_dolnośląskie "
                                            "Niederschlesien Woiwodschaft_Niederschlesien Basse-Silésie "
                                            "Нижнесилезское_воеводство"),
    "PL-04": ("Kuyavian-Pomeranian Voivodeship", "Kujawsko-Pomorskie województwo_kujawsko-pomorskie "
                                                 "Kujawien-Pommern Woiwodschaft_Kujawien-Pommern "
                                                 "Куявско-Поморское_воеводство"),
    "PL-06": ("Lublin Voivodeship", "Lubelskie województwo_lubelskie Lubelszczyzna Woiwodschaft_Lublin "
                                    "Люблинское_воеводство"),
    "PL-08": ("Lubusz Voivodeship", "Lubuskie województwo_lubuskie Woiwodschaft_Lebus Любушское_воеводство"),
    "PL-10": ("Łódź Voivodeship", "Lodz_Voivodeship Łódzkie województwo_łódzkie Woiwodschaft_Łódź "
                                  "Woiwodschaft_Lodz Лодзинское_воеводство"),
    "PL-12": ("Lesser Poland Voivodeship", "Lesser_Poland Małopolska Małopolskie województwo_małopolskie Kleinpolen "
                                           "Woiwodschaft_Kleinpolen Petite-Pologne Малопольское_воеводство"),
    "PL-14": ("Masovian Voivodeship", "Masovia Mazovia Mazowsze Mazowieckie województwo_mazowieckie Masowien "
                                      "Woiwodschaft_Masowien Mazovie Мазовецкое_воеводство"),
    "PL-16": ("Opole Voivodeship", "Opolskie województwo_opolskie Woiwodschaft_Oppeln Опольское_воеводство"),
    "PL-18": ("Subcarpathian Voivodeship", "Podkarpacie Podkarpackie województwo_podkarpackie "
                                           "Woiwodschaft_Karpatenvorland Подкарпатское_воеводство"),
    "PL-20": ("Podlaskie Voivodeship", "Podlaskie Podlasie województwo_podlaskie Podlachien Woiwodschaft_Podlachien "
                                       "Подляское_воеводство"),
    "PL-22": ("Pomeranian Voivodeship", "Pomorskie województwo_pomorskie Woiwodschaft_Pommern Поморское_воеводство"),
    "PL-24": ("Silesian Voivodeship", "Śląskie województwo_śląskie Woiwodschaft_Schlesien Силезское_воеводство"),
    "PL-26": ("Świętokrzyskie Voivodeship", "Świętokrzyskie województwo_świętokrzyskie Holy_Cross_Voivodeship "
                                            "Woiwodschaft_Heiligkreuz Свентокшиское_воеводство"),
    "PL-28": ("Warmian-Masurian Voivodeship", "Warmia-Masuria Warmia_i_Mazury Warmińsko-Mazurskie "
                                              "województwo_warmińsko-mazurskie Ermland-Masuren "
                                              "Woiwodschaft_Ermland-Masuren Варминско-Мазурское_воеводство"),
    "PL-30": ("Greater Poland Voivodeship", "Greater_Poland Wielkopolska Wielkopolskie województwo_wielkopolskie "
                                            "Großpolen Woiwodschaft_Großpolen Grande-Pologne "
                                            "Великопольское_воеводство"),
    "PL-32": ("West Pomeranian Voivodeship", "Zachodniopomorskie województwo_zachodniopomorskie Westpommern "
                                             "Woiwodschaft_Westpommern Западно-Поморское_воеводство"),
    # India's 28 states ("Punjab" is Pakistan's too: ``_WIDER_REGIONS``) and 4 of its union territories (Delhi,
    # Chandigarh, Puducherry: their cities)
    "IN-AP": ("Andhra Pradesh", "Андхра-Прадеш आंध्र_प्रदेश"),
    "IN-AR": ("Arunachal Pradesh", "Аруначал-Прадеш अरुणाचल_प्रदेश"),
    "IN-AS": ("Assam", "Ассам असम"),
    "IN-BR": ("Bihar", "Бихар बिहार"),
    "IN-CG": ("Chhattisgarh", "Чхаттисгарх छत्तीसगढ़"),
    "IN-GA": ("Goa", "Гоа गोवा"),
    "IN-GJ": ("Gujarat", "Гуджарат गुजरात"),
    "IN-HP": ("Himachal Pradesh", "Химачал-Прадеш हिमाचल_प्रदेश"),
    "IN-HR": ("Haryana", "Харьяна हरियाणा"),
    "IN-JH": ("Jharkhand", "Джаркханд झारखंड झारखण्ड"),
    "IN-KA": ("Karnataka", "Карнатака कर्नाटक"),
    "IN-KL": ("Kerala", "Керала केरल"),
    "IN-MH": ("Maharashtra", "Махараштра महाराष्ट्र"),
    "IN-ML": ("Meghalaya", "Мегхалая मेघालय"),
    "IN-MN": ("Manipur", "Манипур मणिपुर"),
    "IN-MP": ("Madhya Pradesh", "Мадхья-Прадеш मध्य_प्रदेश"),
    "IN-MZ": ("Mizoram", "Мизорам मिज़ोरम मिजोरम"),
    "IN-NL": ("Nagaland", "Нагаленд नागालैंड"),
    "IN-OD": ("Odisha", "Orissa Одиша Орисса ओडिशा"),
    "IN-RJ": ("Rajasthan", "Раджастхан राजस्थान"),
    "IN-SK": ("Sikkim", "Сикким सिक्किम"),
    "IN-TN": ("Tamil Nadu", "Тамилнад Тамил-Наду तमिलनाडु तमिल_नाडु"),
    "IN-TR": ("Tripura", "Трипура त्रिपुरा"),
    "IN-TS": ("Telangana", "Телангана तेलंगाना"),
    "IN-UK": ("Uttarakhand", "Uttaranchal Уттаракханд उत्तराखंड उत्तराखण्ड"),
    "IN-UP": ("Uttar Pradesh", "Уттар-Прадеш उत्तर_प्रदेश"),
    "IN-WB": ("West Bengal", "Westbengalen Bengale-Occidental Bengala_Occidental Bengala_Occidentale "
                             "Западная_Бенгалия पश्चिम_बंगाल"),
    "IN-JK": ("Jammu and Kashmir", "Jammu_&_Kashmir Jammu_und_Kaschmir Jammu-et-Cachemire Jammu_y_Cachemira "
                                   "Jammu_e_Kashmir Джамму_и_Кашмир जम्मू_और_कश्मीर"),
    "IN-LA": ("Ladakh", "Ладакх लद्दाख"),
    "IN-AN": ("Andaman and Nicobar Islands", "Andamanen_und_Nikobaren Îles_Andaman-et-Nicobar "
                                             "Islas_Andamán_y_Nicobar Андаманские_и_Никобарские_острова"),
    "IN-LD": ("Lakshadweep", "Лакшадвип"),
    # Brazil's 26 states (its Federal District: Brasília): "Rio de Janeiro", "São Paulo" are the cities, "Acre" also
    # Israel's, "Amazonas" the river in German, "Paraná" Argentina's city
    "BR-AC": ("Acre (state)", _state("Acre", "Акри", "Estado do Acre", bare=False)),
    "BR-AL": ("Alagoas", _state("Alagoas", "Алагоас", "Estado de Alagoas")),
    "BR-AM": ("Amazonas (Brazil)", "Estado_do_Amazonas штат_Амазонас"),   # Venezuela's is "Amazonas State" too
    "BR-AP": ("Amapá", _state("Amapá", "Амапа", "Estado do Amapá")),
    "BR-BA": ("Bahia", _state("Bahia", "Баия", "Estado da Bahia")),
    "BR-CE": ("Ceará", _state("Ceará", "Сеара", "Estado do Ceará")),
    "BR-ES": ("Espírito Santo", _state("Espírito Santo", "Эспириту-Санту", "Estado do Espírito Santo")),
    "BR-GO": ("Goiás", _state("Goiás", "Гояс", "Estado de Goiás")),
    "BR-MA": ("Maranhão", _state("Maranhão", "Мараньян", "Estado do Maranhão")),
    "BR-MG": ("Minas Gerais", _state("Minas Gerais", "Минас-Жерайс", "Estado de Minas Gerais")),
    "BR-MS": ("Mato Grosso do Sul", _state("Mato Grosso do Sul", "Мату-Гросу-ду-Сул", "Estado de Mato Grosso do Sul")),
    "BR-MT": ("Mato Grosso", _state("Mato Grosso", "Мату-Гросу", "Estado de Mato Grosso")),
    "BR-PA": ("Pará", _state("Pará", "Пара", "Estado do Pará")),
    "BR-PB": ("Paraíba", _state("Paraíba", "Параиба", "Estado da Paraíba")),
    "BR-PE": ("Pernambuco", _state("Pernambuco", "Пернамбуку", "Estado de Pernambuco", more="Pernambouc")),
    "BR-PI": ("Piauí", _state("Piauí", "Пиауи", "Estado do Piauí")),
    "BR-PR": ("Paraná (state)", _state("Paraná", "Парана", "Estado do Paraná", bare=False)),
    "BR-RJ": ("Rio de Janeiro (state)", _state("Rio de Janeiro", "Рио-де-Жанейро", "Estado do Rio de Janeiro",
                                               bare=False, more="Estado_de_Río_de_Janeiro")),
    "BR-RN": ("Rio Grande do Norte", _state("Rio Grande do Norte", "Риу-Гранди-ду-Норти",
                                            "Estado do Rio Grande do Norte")),
    "BR-RO": ("Rondônia", _state("Rondônia", "Рондония", "Estado de Rondônia")),
    "BR-RR": ("Roraima", _state("Roraima", "Рорайма", "Estado de Roraima")),
    "BR-RS": ("Rio Grande do Sul", _state("Rio Grande do Sul", "Риу-Гранди-ду-Сул", "Estado do Rio Grande do Sul",
                                          more="Рио-Гранде-ду-Сул")),
    "BR-SC": ("Santa Catarina", _state("Santa Catarina", "Санта-Катарина", "Estado de Santa Catarina")),
    "BR-SE": ("Sergipe", _state("Sergipe", "Сержипи", "Estado de Sergipe")),
    "BR-SP": ("São Paulo (state)", _state("São Paulo", "Сан-Паулу", "Estado de São Paulo", bare=False,
                                          more="Sao_Paulo_State Estado_de_Sao_Paulo")),
    "BR-TO": ("Tocantins", _state("Tocantins", "Токантинс", "Estado do Tocantins")),
    # Mexico's 31 states (Mexico City is the city): those named like their capital by their forms only; "México" is
    # the country, the state "Estado de México"; "Yucatán" also the peninsula, "Hidalgo" a name, "Durango" Spain's
    "MX-AGU": ("Aguascalientes (state)", _state("Aguascalientes", "Агуаскальентес", bare=False)),
    "MX-BCN": ("Baja California", _state("Baja California", "Нижняя Калифорния",
                                         more="Basse-Californie Bassa_California Нижняя_Калифорния")),
    "MX-BCS": ("Baja California Sur", _state("Baja California Sur", "Южная Нижняя Калифорния",
                                             more="Basse-Californie_du_Sud Bassa_California_del_Sud "
                                                  "Южная_Нижняя_Калифорния")),
    "MX-CAM": ("Campeche (state)", _state("Campeche", "Кампече", bare=False)),
    "MX-CHH": ("Chihuahua (state)", _state("Chihuahua", "Чиуауа", bare=False)),
    "MX-CHP": ("Chiapas", _state("Chiapas", "Чьяпас", more="Чьяпас")),
    "MX-COA": ("Coahuila", _state("Coahuila", "Коауила", more="Coahuila_de_Zaragoza Коауила")),
    "MX-COL": ("Colima (state)", _state("Colima", "Колима", bare=False)),
    "MX-DUR": ("Durango (state)", _state("Durango", "Дуранго", bare=False)),
    "MX-GRO": ("Guerrero", _state("Guerrero", "Герреро", more="Герреро")),
    "MX-GUA": ("Guanajuato (state)", _state("Guanajuato", "Гуанахуато", bare=False)),
    "MX-HID": ("Hidalgo (state)", _state("Hidalgo", "Идальго", bare=False)),
    "MX-JAL": ("Jalisco", _state("Jalisco", "Халиско", more="Халиско")),
    "MX-MEX": ("State of Mexico", "Estado_de_México Estado_de_Mexico Edomex Mexico_State México_State "
                                  "Bundesstaat_México État_de_Mexico Stato_del_Messico штат_Мехико"),
    "MX-MIC": ("Michoacán", _state("Michoacán", "Мичоакан", more="Michoacan Michoacán_de_Ocampo Мичоакан")),
    "MX-MOR": ("Morelos", _state("Morelos", "Морелос", more="Морелос")),
    "MX-NAY": ("Nayarit", _state("Nayarit", "Наярит", more="Наярит")),
    "MX-NLE": ("Nuevo León", _state("Nuevo León", "Нуэво-Леон", more="Nuevo_Leon Нуэво-Леон")),
    "MX-OAX": ("Oaxaca (state)", _state("Oaxaca", "Оахака", bare=False)),
    "MX-PUE": ("Puebla (state)", _state("Puebla", "Пуэбла", bare=False)),
    "MX-QUE": ("Querétaro (state)", _state("Querétaro", "Керетаро", bare=False)),
    "MX-ROO": ("Quintana Roo", _state("Quintana Roo", "Кинтана-Роо", more="Кинтана-Роо")),
    "MX-SIN": ("Sinaloa", _state("Sinaloa", "Синалоа", more="Синалоа")),
    "MX-SLP": ("San Luis Potosí (state)", _state("San Luis Potosí", "Сан-Луис-Потоси", bare=False)),
    "MX-SON": ("Sonora", _state("Sonora", "Сонора", more="Сонора")),
    "MX-TAB": ("Tabasco", _state("Tabasco", "Табаско", more="Табаско")),
    "MX-TAM": ("Tamaulipas", _state("Tamaulipas", "Тамаулипас", more="Тамаулипас")),
    "MX-TLA": ("Tlaxcala (state)", _state("Tlaxcala", "Тласкала", bare=False)),
    "MX-VER": ("Veracruz (state)", _state("Veracruz", "Веракрус", bare=False,
                                          more="Veracruz_de_Ignacio_de_la_Llave")),
    "MX-YUC": ("Yucatán (state)", _state("Yucatán", "Юкатан", bare=False)),
    "MX-ZAC": ("Zacatecas (state)", _state("Zacatecas", "Сакатекас", bare=False)),
    # South Africa's 9 provinces ("Free State", "North West", "Limpopo" (the river) by their forms only)
    "ZA-EC": ("Eastern Cape", "Ostkap Provinz_Ostkap Cap-Oriental Cabo_Oriental Capo_Orientale "
                              "Восточно-Капская_провинция"),
    "ZA-FS": ("Free State (province)", "Free_State_Province Provinz_Free_State État-Libre"),
    "ZA-GP": ("Gauteng", "Provinz_Gauteng Гаутенг"),
    "ZA-KZN": ("KwaZulu-Natal", "KwaZulu_Natal Provinz_KwaZulu-Natal Квазулу-Натал"),
    "ZA-LP": ("Limpopo (province)", "Limpopo_Province Provinz_Limpopo"),
    "ZA-MP": ("Mpumalanga", "Provinz_Mpumalanga Мпумаланга"),
    "ZA-NC": ("Northern Cape", "Provinz_Nordkap Северо-Капская_провинция"),
    "ZA-NW": ("North West (South Africa)", "North_West_Province Provinz_Nordwest"),
    "ZA-WC": ("Western Cape", "Westkap Provinz_Westkap Cap-Occidental Cabo_Occidental Capo_Occidentale "
                              "Западно-Капская_провинция"),
}


# The regions of more countries, one a line, built from templates of the forms the news writes them in
_ASCII = str.maketrans("İıŞşĞğÇçÖöÜüÂâÎîÛû", "IiSsGgCcOoUuAaIiUu")


def _unmarked(name: str) -> str:
    """A name without its diacritics, as the English press writes Vietnamese, Norwegian and Romanian names ("Binh
    Duong" of "Bình Dương", "Ostfold" of "Østfold", "judetul Arges" of "județul Argeș")."""
    name = name.replace("Đ", "D").replace("đ", "d").replace("Ø", "O").replace("ø", "o").replace("Æ", "Ae")
    return "".join(ch for ch in unicodedata.normalize("NFD", name.replace("æ", "ae"))
                   if not unicodedata.combining(ch))


def _cedilla(name: str) -> str:
    """A Romanian name with the cedilla letters much of its press still types ("Constanţa", "judeţul")."""
    return name.translate(str.maketrans("ȘșȚț", "ŞşŢţ"))


def _variants(tables: dict[str, tuple[str, str]], *spellings) -> dict[str, tuple[str, str]]:
    """``tables`` with each name (the English one too) also as each of ``spellings`` (functions of a name) writes
    it."""
    out = {}
    for code, (english, others) in tables.items():
        names = [english.replace(" ", "_"), *others.split()]
        names += [spell(name) for spell in spellings for name in names]
        out[code] = (english, " ".join(n for n in dict.fromkeys(names) if n.replace("_", " ") != english))
    return out


def _of(name: str, article: str = "de") -> str:
    """French (or Italian, ``article="di"``) "of": "de Mendoza", "d'Antioquia"."""
    return f"{article[0]}'{name}" if name[0] in "AEIOUYÁÉÍÓÚÂÊÎÔÛÄËÏÖÜİ" else f"{article} {name}"


# the names a region bears only in its forms, never alone ("-Name" of ``_table``: a city's, a river's, a word's),
# casefolded → the countries of such regions: "gedo" → {"SO"}, Somalia's region, also Ethiopia's town Gēdo
NOT_ALONE: dict[str, set[str]] = {}


def _table(country: str, english: str, forms: str, rows: str, ascii_too: bool = False) -> dict[str, tuple[str, str]]:
    """Regions of ``country`` from ``rows``, one a line: "CODE Name/Other_spelling… [=English_name] [more names]",
    "_" for a space. Each spelling is taken in the ``forms`` (templates, "_" for a space: {n} the name, {de} and {di}
    its French and Italian "of") and alone; "-Name": not alone (a city's, a river's, a word's, a person's name);
    "?Name": alone only where the rest of the document names the region's country (``CONTEXT_NAMES``). The English
    name is the first spelling (or, when it is not taken alone, ``english`` of it) unless "=English_name" gives it
    (as it must for a "?" first spelling);
    the more names are taken as they are ("?" too). ``ascii_too``: each spelling also without its diacritics
    ("Sanliurfa")."""
    out = {}
    for line in rows.strip().replace("\n ", " ").splitlines():     # an indented line goes on with the one above
        code, spec, *more = line.split()
        first = spec[0] if spec[0] in "-?" else ""          # the first spelling's "-" holds for the unmarked
        spellings = {}
        for spelt in spec.split("/"):
            how = spelt[0] if spelt[0] in "-?" else first.replace("?", "")
            spelt = spelt.lstrip("-?").replace("_", " ")
            spellings[spelt] = how
            if ascii_too:
                spellings.setdefault(spelt.translate(_ASCII), how)
            if how == "-":
                NOT_ALONE.setdefault(spelt.casefold(), set()).add(country)
        head = next(iter(spellings))
        name = next((m[1:].replace("_", " ") for m in more if m.startswith("=")), None)
        name = name or (english.replace("_", " ").format(n=head) if first == "-" else head)
        names = [name]
        for spelt, how in spellings.items():
            names += [form.replace("_", " ").format(n=spelt, de=_of(spelt), di=_of(spelt, "di"))
                      for form in forms.split()]
            names.append({"-": "", "?": f"?{spelt}"}.get(how, spelt))
        names += [m.replace("_", " ") for m in more if not m.startswith("=")]
        out[f"{country}-{code}"] = (name, _as_names([n for n in dict.fromkeys(names) if n and n != name]))
    return out


MORE_SUBDIVISIONS: dict[str, tuple[str, str]] = {
    # Turkey's 81 provinces, all but Hatay, Kocaeli and Sakarya named like their cities (which keep the name); "ili"
    # also in the cases the press writes ("Hatay ilinde", "iline", "ilinden", "ilinin"), and those three alone also
    # with their case endings ("Hatay'da", "Kocaeli'ye", "Sakarya'nın")
    **_table("TR", "{n}_Province", "{n}_Province {n}_ili {n}_ilinde {n}_iline {n}_ilinden {n}_ilinin Provinz_{n} "
                                   "province_{de} provincia_de_{n} provincia_di_{n}",
             """
01 -Adana
02 -Adıyaman
03 -Afyonkarahisar/Afyon
04 -Ağrı
05 -Amasya
06 -Ankara
07 -Antalya
08 -Artvin
09 -Aydın
10 -Balıkesir
11 -Bilecik
12 -Bingöl
13 -Bitlis
14 -Bolu
15 -Burdur
16 -Bursa
17 -Çanakkale
18 -Çankırı
19 -Çorum
20 -Denizli
21 -Diyarbakır
22 -Edirne
23 -Elazığ
24 -Erzincan
25 -Erzurum
26 -Eskişehir
27 -Gaziantep/Antep
28 -Giresun
29 -Gümüşhane
30 -Hakkâri/Hakkari
31 Hatay Hatay'da Hatay'dan Hatay'a Hatay'ın Hatay'ı
32 -Isparta
33 -Mersin/İçel
34 -Istanbul/İstanbul provincia_de_Estambul
35 -İzmir/Izmir provincia_de_Esmirna
36 -Kars
37 -Kastamonu
38 -Kayseri
39 -Kırklareli
40 -Kırşehir
41 Kocaeli Kocaeli'de Kocaeli'den Kocaeli'ye Kocaeli'nin Kocaeli'yi
42 -Konya
43 -Kütahya
44 -Malatya
45 -Manisa
46 -Kahramanmaraş/Maraş
47 -Mardin
48 -Muğla
49 -Muş
50 -Nevşehir
51 -Niğde
52 -Ordu
53 -Rize
54 Sakarya Sakarya'da Sakarya'dan Sakarya'ya Sakarya'nın Sakarya'yı
55 -Samsun
56 -Siirt
57 -Sinop
58 -Sivas
59 -Tekirdağ
60 -Tokat
61 -Trabzon
62 -Tunceli/Dersim
63 -Şanlıurfa/Urfa
64 -Uşak
65 -Van
66 -Yozgat
67 -Zonguldak
68 -Aksaray
69 -Bayburt
70 -Karaman
71 -Kırıkkale
72 -Batman
73 -Şırnak
74 -Bartın
75 -Ardahan
76 -Iğdır
77 -Yalova
78 -Karabük
79 -Kilis
80 -Osmaniye
81 -Düzce
""", ascii_too=True),
    # Argentina's 23 provinces (Buenos Aires, the city, is its own): those named like their capital ("Mendoza",
    # "Córdoba"), a river ("Río Negro"), a word ("Misiones") or a place elsewhere ("Santa Fe", "La Rioja",
    # "Formosa", "Chaco", "Tierra del Fuego") by their forms only
    **_table("AR", "{n}_Province", "{n}_Province Provincia_de_{n} Provinz_{n} province_{de} provincia_di_{n}", """
A -Salta
B -Buenos_Aires
D -San_Luis
E Entre_Ríos/Entre_Rios
F -La_Rioja
G -Santiago_del_Estero
H -Chaco
J -San_Juan
K -Catamarca
L La_Pampa
M -Mendoza
N -Misiones
P -Formosa
Q -Neuquén/Neuquen
R -Río_Negro/Rio_Negro
S -Santa_Fe
T -Tucumán/Tucuman
U Chubut
V -Tierra_del_Fuego Provincia_de_Tierra_del_Fuego,_Antártida_e_Islas_del_Atlántico_Sur
W -Corrientes
X -Córdoba/Cordoba
Y Jujuy
Z -Santa_Cruz
"""),
    # Colombia's 32 departments (Bogotá is the city): named like a river ("Cauca", "Magdalena", "Meta"), a city
    # ("Arauca", "Caldas"), a person ("Bolívar", "Sucre", "Cesar", "Nariño") or a word ("Atlántico") by their forms
    # only; "Santander" (Spain's city) and "Córdoba" (Spain's and Argentina's) alone where the rest is Colombia's
    **_table("CO", "{n}_Department", "{n}_Department Departamento_de_{n} departamento_de_{n} Departement_{n} "
                                     "département_{de} dipartimento_di_{n}", """
AMA -Amazonas
ANT ?Antioquia =Antioquia_Department
ARA -Arauca
ATL -Atlántico Departamento_del_Atlántico
BOL -Bolívar
BOY Boyacá
CAL -Caldas
CAQ -Caquetá Departamento_del_Caquetá
CAS Casanare
CAU -Cauca Departamento_del_Cauca
CES -Cesar Departamento_del_Cesar
CHO Chocó Departamento_del_Chocó
COR ?Córdoba =Córdoba_Department
CUN Cundinamarca
GUA -Guainía
GUV -Guaviare Departamento_del_Guaviare
HUI Huila Departamento_del_Huila
LAG La_Guajira Guajira
MAG -Magdalena Departamento_del_Magdalena
MET -Meta Departamento_del_Meta
NAR -Nariño
NSA Norte_de_Santander
PUT -Putumayo Departamento_del_Putumayo
QUI Quindío Departamento_del_Quindío
RIS Risaralda
SAN ?Santander =Santander_Department
SAP -San_Andrés =San_Andrés_and_Providencia San_Andrés_y_Providencia San_Andrés,_Providencia_y_Santa_Catalina
SUC -Sucre
TOL Tolima Departamento_del_Tolima
VAC Valle_del_Cauca Departamento_del_Valle_del_Cauca
VAU -Vaupés
VID -Vichada
"""),
    # Chile's 16 regions: "Región de Valparaíso"; those named like a city, a river, a desert or a person by these
    **_table("CL", "{n}_Region", "{n}_Region Región_de_{n} Region_{n} région_{de} regione_di_{n}", """
AI Aysén/Aisén Región_de_Aysén_del_General_Carlos_Ibáñez_del_Campo
AN -Antofagasta
AP Arica_y_Parinacota Arica_and_Parinacota
AR La_Araucanía/Araucanía Araucania
AT -Atacama
BI -Biobío/Bío_Bío Región_del_Biobío Región_del_Bío_Bío
CO -Coquimbo
LI -O'Higgins Región_del_Libertador_General_Bernardo_O'Higgins Libertador_General_Bernardo_O'Higgins
LL -Los_Lagos
LR -Los_Ríos
MA -Magallanes Región_de_Magallanes_y_de_la_Antártica_Chilena Magallanes_y_la_Antártica_Chilena
ML -Maule Región_del_Maule
NB -Ñuble
RM -Santiago =Santiago_Metropolitan_Region Región_Metropolitana_de_Santiago
TA Tarapacá
VS -Valparaíso/Valparaiso
"""),
    # Peru's 25 regions (and Lima's metropolitan municipality: the city): "Región Cusco", "departamento de Cusco"
    **_table("PE", "{n}_Region", "{n}_Region Región_{n} región_de_{n} {n}_Department Departamento_de_{n} "
                                 "Region_{n} région_{de} regione_di_{n}", """
AMA -Amazonas
ANC Áncash/Ancash
APU -Apurímac
ARE -Arequipa
AYA -Ayacucho
CAJ -Cajamarca
CAL -Callao
CUS -Cusco/Cuzco
HUC -Huánuco
HUV -Huancavelica
ICA -Ica
JUN -Junín
LAL -La_Libertad
LAM -Lambayeque
LIM -Lima
LOR -Loreto
MDD -Madre_de_Dios
MOQ -Moquegua
PAS -Pasco
PIU -Piura
PUN -Puno
SAM -San_Martín
TAC -Tacna
TUM -Tumbes
UCA -Ucayali
"""),
    # Venezuela's 23 states and its federal dependencies (Caracas is the city): "estado Zulia"
    **_table("VE", "{n}_State", "{n}_State Estado_{n} Estado_de_{n} Bundesstaat_{n} État_{de} Stato_di_{n}", """
B Anzoátegui/Anzoategui
C -Apure
D Aragua
E -Barinas
F -Bolívar
G Carabobo
H Cojedes
I -Falcón
J -Guárico
K -Lara
L -Mérida
M -Miranda
N Monagas
O Nueva_Esparta
P -Portuguesa
R -Sucre
S Táchira/Tachira
T -Trujillo
U Yaracuy
V Zulia
W Dependencias_Federales =Federal_Dependencies_of_Venezuela
X -La_Guaira Estado_Vargas
Y Delta_Amacuro
Z -Amazonas
"""),
}
MORE_SUBDIVISIONS.update({
    # Czechia's 13 regions (Prague is the city), as Czech writes them in four cases: "Jihomoravský kraj",
    # "Jihomoravského kraje", "v Jihomoravském kraji", "Jihomoravským krajem"; and "Jihomoravsko"
    **{f"CZ-{code}": (english, _as_names([f"{stem}{a} {k}" for a, k in zip(("ý", "ého", "ém", "ým"),
                                                                            ("kraj", "kraje", "kraji", "krajem"))]
                                         + more.split()))
       for code, english, stem, more in (
           ("20", "Central Bohemian Region", "Středočesk", "Střední_Čechy Mittelböhmische_Region Mittelböhmen "
                                                          "Bohême-Centrale"),
           ("31", "South Bohemian Region", "Jihočesk", "Jižní_Čechy Südböhmische_Region Südböhmen Bohême-du-Sud"),
           ("32", "Plzeň Region", "Plzeňsk", "Pilsen_Region Pilsner_Region Region_Pilsen Plzeňsko"),
           ("41", "Karlovy Vary Region", "Karlovarsk", "Karlsbader_Region Region_Karlsbad Karlovarsko"),
           ("42", "Ústí nad Labem Region", "Ústeck", "Ústecko Aussiger_Region Region_Ústí"),
           ("51", "Liberec Region", "Libereck", "Liberecko Reichenberger_Region Region_Liberec"),
           ("52", "Hradec Králové Region", "Královéhradeck", "Královéhradecko Königgrätzer_Region"),
           ("53", "Pardubice Region", "Pardubick", "Pardubicko Pardubitzer_Region Region_Pardubice"),
           ("64", "South Moravian Region", "Jihomoravsk", "Jižní_Morava Jihomoravsko Südmährische_Region Südmähren "
                                                          "Moravie-du-Sud"),
           ("71", "Olomouc Region", "Olomouck", "Olomoucko Olmützer_Region Region_Olmütz"),
           ("72", "Zlín Region", "Zlínsk", "Zlínsko Region_Zlín"),
           ("80", "Moravian-Silesian Region", "Moravskoslezsk", "Moravskoslezsko Mährisch-Schlesische_Region "
                                                               "Moravie-Silésie"))},
    "CZ-63": ("Vysočina Region", "Vysočina Kraj_Vysočina kraje_Vysočina kraji_Vysočina Vysočině Vysočiny "
                                 "Region_Vysočina"),
    # the Netherlands' 12 provinces; "Groningen", "Utrecht" are the cities, "Limburg" also Belgium's (and a German
    # town's), "Friesland" also a German district
    **_table("NL", "{n}_(province)", "provincie_{n} Provinz_{n} province_{de} {n}_Province", """
DR Drenthe Drente
FL Flevoland
FR Friesland/Fryslân Frise
GE Gelderland Gueldre
GR -Groningen
LI ?Limburg =Limburg_(Netherlands) Nederlands-Limburg Dutch_Limburg Niederländisch-Limburg
NB North_Brabant/Noord-Brabant Nordbrabant Brabant-Septentrional Brabante_Septentrional
NH North_Holland/Noord-Holland Nordholland Hollande-Septentrionale Holanda_Septentrional Olanda_Settentrionale
OV Overijssel
UT -Utrecht
ZE Zeeland Zélande
ZH ?South_Holland/Zuid-Holland =South_Holland_(province)
   Südholland Hollande-Méridionale Holanda_Meridional Olanda_Meridionale
"""),
    # Belgium's 3 regions and its 10 provinces (second-level, like France's departments)
    **_table("BE", "{n}_Province", "", """
BRU -Brussels =Brussels-Capital_Region Brussels_Hoofdstedelijk_Gewest Région_de_Bruxelles-Capitale
   Region_Brüssel-Hauptstadt Región_de_Bruselas-Capital Regione_di_Bruxelles-Capitale
VLG Flanders Vlaanderen Vlaams_Gewest Flemish_Region Région_flamande Flämische_Region
WAL Wallonia Wallonië Région_wallonne Walloon_Region Wallonische_Region Waals_Gewest
"""),
    **_table("BE", "{n}_Province", "provincie_{n} province_{de} Provinz_{n} {n}_Province", """
VAN -Antwerp/Antwerpen/Anvers
VBR Flemish_Brabant/Vlaams-Brabant Flämisch-Brabant Brabant_flamand
VLI ?Limburg/?Limbourg =Limburg_(Belgium) Belgisch-Limburg Belgian_Limburg
VOV East_Flanders/Oost-Vlaanderen Ostflandern Flandre-Orientale
VWV West_Flanders/West-Vlaanderen Westflandern Flandre-Occidentale
WBR Walloon_Brabant/Brabant_wallon Waals-Brabant Wallonisch-Brabant
WHT Hainaut Henegouwen Hennegau
WLG -Liège/Luik/Lüttich
WLX -Luxembourg/Luxemburg
WNA -Namur/Namen
"""),
    # Switzerland's 26 cantons: those named like their city ("Zürich", "Genf", "Bern") or a mountain range ("Jura"),
    # a train ("Zug") or a given name ("Uri") by their forms: "Kanton Zürich", "canton de Genève"
    **_table("CH", "Canton_of_{n}", "Kanton_{n} canton_{de} Canton_of_{n} cantone_{di}", """
AG Aargau/Argovie Argovia
AI Appenzell_Innerrhoden Appenzell_Rhodes-Intérieures
AR Appenzell_Ausserrhoden Appenzell_Rhodes-Extérieures
BE -Bern/Berne
BL Basel-Landschaft/Bâle-Campagne Baselland Basilea_Campagna
BS Basel-Stadt/Bâle-Ville Basilea_Città
FR -Fribourg/Freiburg
GE -Geneva/Genève/Genf/Ginevra
GL -Glarus/Glaris
GR Graubünden/Grisons/Grigioni Grischun
JU -Jura canton_du_Jura
LU -Lucerne/Luzern/Lucerna
NE -Neuchâtel/Neuenburg
NW Nidwalden/Nidwald
OW Obwalden/Obwald
SG -St._Gallen/Sankt_Gallen/St._Gall/Saint-Gall/San_Gallo
SH -Schaffhausen/Schaffhouse/Sciaffusa
SO -Solothurn/Soleure/Soletta
SZ -Schwyz/Svitto
TG Thurgau/Thurgovie Turgovia
TI Ticino/Tessin canton_du_Tessin
UR -Uri
VD Vaud/Waadt canton_de_Vaud
VS Valais/?Wallis Vallese canton_du_Valais
ZG -Zug/Zoug/Zugo
ZH -Zürich/Zurich/Zurigo
"""),
    # Portugal's 18 districts (named like their cities) and its two autonomous regions (islands CLDR names)
    **_table("PT", "{n}_District", "distrito_de_{n} {n}_District Distrikt_{n} district_{de}", """
01 -Aveiro
02 -Beja
03 -Braga
04 -Bragança
05 -Castelo_Branco
06 -Coimbra
07 -Évora
08 -Faro
09 -Guarda distrito_da_Guarda
10 -Leiria
11 -Lisbon/Lisboa/Lissabon/Lisbonne
12 -Portalegre
13 -Porto distrito_do_Porto
14 -Santarém
15 -Setúbal
16 -Viana_do_Castelo
17 -Vila_Real
18 -Viseu
20 -Azores =Azores Região_Autónoma_dos_Açores Autonomous_Region_of_the_Azores Autonome_Region_Azoren
30 -Madeira =Madeira Região_Autónoma_da_Madeira Autonomous_Region_of_Madeira Autonome_Region_Madeira
"""),
    # Sweden's 21 counties: "Skåne län", "Region Skåne", "Skåne County"; the cities keep their names
    **_table("SE", "{n}_County", "{n}_County Region_{n}", """
AB -Stockholm Stockholms_län
AC Västerbotten Västerbottens_län
BD Norrbotten Norrbottens_län
C -Uppsala Uppsala_län
D Södermanland Södermanlands_län Sörmland Region_Sörmland
E Östergötland Östergötlands_län
F -Jönköping Jönköpings_län
G Kronoberg Kronobergs_län
H -Kalmar Kalmar_län
I Gotland Gotlands_län
K Blekinge Blekinge_län
M Skåne/-Scania Skåne_län Schonen Scanie
N Halland Hallands_län
O Västra_Götaland Västra_Götalands_län
S Värmland Värmlands_län
T -Örebro Örebro_län
U Västmanland Västmanlands_län
W Dalarna Dalarnas_län
X Gävleborg Gävleborgs_län
Y Västernorrland Västernorrlands_län
Z Jämtland Jämtlands_län Jämtland_Härjedalen Region_Jämtland_Härjedalen
"""),
    # Norway's 15 counties since 1 January 2024, when Viken, Vestfold og Telemark and Troms og Finnmark (2020–2023)
    # were split again into Østfold, Akershus, Buskerud, Vestfold, Telemark, Troms and Finnmark: the new ones by the
    # county numbers Norway gave them (NO-31…NO-56), which pycountry does not list yet (it still has the merged
    # ones); Oslo is the city. The three merged counties stay regions of their own under their ISO codes, "(former
    # county)": the news of 2020–2023 names them, and they were none of the new ones alone
    **_variants(_table("NO", "{n}_County", "{n}_County {n}_fylke {n}_fylkeskommune Provinz_{n}", """
11 Rogaland
15 Møre_og_Romsdal
18 Nordland
31 Østfold
32 Akershus
33 Buskerud
34 Innlandet
39 Vestfold
40 Telemark
42 Agder
46 Vestland
50 Trøndelag
55 Troms
56 Finnmark Finnmárku
30 Viken =Viken_(former_county)
38 Vestfold_og_Telemark =Vestfold_og_Telemark_(former_county)
54 Troms_og_Finnmark =Troms_og_Finnmark_(former_county)
"""), _unmarked),
    # Denmark's 5 regions ("Hovedstaden" is "the capital", "Sjælland" the island)
    **_table("DK", "Region_{n}", "Region_{n}", """
81 Nordjylland North_Denmark_Region Nordjütland
82 Midtjylland =Central_Denmark_Region Mitteljütland
83 Syddanmark =Region_of_Southern_Denmark Süddänemark
84 -Hovedstaden =Capital_Region_of_Denmark Hauptstadtregion_Dänemark
85 -Sjælland =Region_Zealand Region_Seeland
"""),
    # Finland's 18 regions on the mainland (Åland is CLDR's "AX"); "Lapland" alone also Sweden's and Norway's north
    **_table("FI", "", "", """
02 Etelä-Karjala =South_Karelia South_Karelia Södra_Karelen Südkarelien
03 Etelä-Pohjanmaa =South_Ostrobothnia South_Ostrobothnia Södra_Österbotten Südösterbotten
04 Etelä-Savo =South_Savo South_Savo Södra_Savolax Südsavo
05 Kainuu Kajanaland
06 Kanta-Häme Egentliga_Tavastland Tavastia_Proper
07 Keski-Pohjanmaa =Central_Ostrobothnia Central_Ostrobothnia Mellersta_Österbotten Mittelösterbotten
08 Keski-Suomi =Central_Finland Central_Finland Mellersta_Finland Mittelfinnland
09 Kymenlaakso Kymmenedalen
10 Lappi =Lapland_(Finland) ?Lapland Finnish_Lapland Finnisch-Lappland Laponie_finlandaise
11 Pirkanmaa Birkaland
12 Pohjanmaa =Ostrobothnia Ostrobothnia Österbotten
13 Pohjois-Karjala =North_Karelia North_Karelia Norra_Karelen Nordkarelien
14 Pohjois-Pohjanmaa =North_Ostrobothnia North_Ostrobothnia Norra_Österbotten Nordösterbotten
15 Pohjois-Savo =North_Savo North_Savo Norra_Savolax Nordsavo
16 Päijät-Häme Päijänne_Tavastia Päijänne-Tavastland
17 Satakunta
18 Uusimaa Nyland
19 Varsinais-Suomi =Southwest_Finland Southwest_Finland Egentliga_Finland Finland_Proper
"""),
    # Lithuania's 10 counties (named like their cities): "Vilniaus apskritis", "Vilniaus apskrityje"
    **{f"LT-{code}": (f"{name} County", _as_names([f"{gen} apskritis", f"{gen} apskrityje", f"Bezirk {name}",
                                                   f"comté {_of(name)}"]))
       for code, name, gen in (("AL", "Alytus", "Alytaus"), ("KL", "Klaipėda", "Klaipėdos"), ("KU", "Kaunas", "Kauno"),
                               ("MR", "Marijampolė", "Marijampolės"), ("PN", "Panevėžys", "Panevėžio"),
                               ("SA", "Šiauliai", "Šiaulių"), ("TA", "Tauragė", "Tauragės"),
                               ("TE", "Telšiai", "Telšių"), ("UT", "Utena", "Utenos"), ("VL", "Vilnius", "Vilniaus"))},
    # Iceland's 8 regions
    **_table("IS", "", "", """
1 -Höfuðborgarsvæðið =Capital_Region_(Iceland) Höfuðborgarsvæðið Höfuðborgarsvæði
2 Suðurnes
3 Vesturland
4 Vestfirðir =Westfjords Westfjords Westfjorde Vestfirðir
5 Norðurland_vestra
6 Norðurland_eystra
7 Austurland
8 Suðurland
"""),
})
MORE_SUBDIVISIONS.update({
    # Indonesia's 38 provinces (second-level in ISO 3166-2, under its island groups; Jakarta is the city), by their
    # Indonesian and English names and the short forms its press writes ("Jabar", "Jatim")
    **_table("ID", "{n}_Province", "{n}_Province Provinsi_{n} Provinz_{n} province_{de} provincia_de_{n}", """
AC Aceh
BA Bali
BB Bangka_Belitung/Kepulauan_Bangka_Belitung Bangka_Belitung_Islands
BE -Bengkulu
BT Banten
GO -Gorontalo
JA -Jambi
JB West_Java/Jawa_Barat Westjava Java_occidental Jabar
JI East_Java/Jawa_Timur Ostjava Java_oriental Jatim
JT Central_Java/Jawa_Tengah Zentraljava Java_central Jateng
KB West_Kalimantan/Kalimantan_Barat Westkalimantan Kalbar
KI East_Kalimantan/Kalimantan_Timur Ostkalimantan Kaltim
KR Riau_Islands/Kepulauan_Riau Kepri
KS South_Kalimantan/Kalimantan_Selatan Südkalimantan Kalsel
KT Central_Kalimantan/Kalimantan_Tengah Zentralkalimantan Kalteng
KU North_Kalimantan/Kalimantan_Utara Nordkalimantan Kaltara
LA Lampung
MA Maluku
MU North_Maluku/Maluku_Utara Nordmolukken
NB West_Nusa_Tenggara/Nusa_Tenggara_Barat
NT East_Nusa_Tenggara/Nusa_Tenggara_Timur
PA ?Papua =Papua_(province)
PB West_Papua/Papua_Barat
PD Southwest_Papua/Papua_Barat_Daya
PE Highland_Papua/Papua_Pegunungan
PS South_Papua/Papua_Selatan
PT Central_Papua/Papua_Tengah
RI Riau
SA North_Sulawesi/Sulawesi_Utara Nordsulawesi Sulut
SB West_Sumatra/Sumatera_Barat Westsumatra Sumbar
SG Southeast_Sulawesi/Sulawesi_Tenggara Südostsulawesi Sultra
SN South_Sulawesi/Sulawesi_Selatan Südsulawesi Sulsel
SR West_Sulawesi/Sulawesi_Barat Westsulawesi Sulbar
SS South_Sumatra/Sumatera_Selatan Südsumatra Sumsel
ST Central_Sulawesi/Sulawesi_Tengah Zentralsulawesi Sulteng
SU North_Sumatra/Sumatera_Utara Nordsumatra Sumut
YO -Yogyakarta =Special_Region_of_Yogyakarta Daerah_Istimewa_Yogyakarta DI_Yogyakarta
"""),
    # the Philippines' 17 regions ("National Capital Region" alone is also India's) and 82 provinces (second-level);
    # those named like a city, a person or a word ("Cebu", "Rizal", "Laguna", "Antique") by their forms
    **_table("PH", "", "", """
00 Metro_Manila ?National_Capital_Region ?NCR
01 Ilocos_Region Ilocos
02 Cagayan_Valley
03 Central_Luzon
05 Bicol_Region Bicol
06 Western_Visayas
07 Central_Visayas
08 Eastern_Visayas
09 Zamboanga_Peninsula
10 Northern_Mindanao
11 Davao_Region
12 Soccsksargen
13 Caraga
14 Bangsamoro BARMM Bangsamoro_Autonomous_Region_in_Muslim_Mindanao Autonomous_Region_in_Muslim_Mindanao ARMM
15 Cordillera_Administrative_Region
40 Calabarzon
41 Mimaropa
"""),
    **_table("PH", "{n}_Province", "{n}_Province Province_of_{n} Provinz_{n} provincia_de_{n}", """
ABR -Abra
AGN Agusan_del_Norte
AGS Agusan_del_Sur
AKL Aklan
ALB Albay
ANT -Antique
APA Apayao
AUR -Aurora
BAN Bataan
BAS Basilan
BEN Benguet
BIL Biliran
BOH Bohol
BTG -Batangas
BTN Batanes
BUK Bukidnon
BUL Bulacan
CAG -Cagayan
CAM Camiguin
CAN Camarines_Norte
CAP -Capiz
CAS Camarines_Sur
CAT Catanduanes
CAV -Cavite
CEB -Cebu
COM Davao_de_Oro
DAO Davao_Oriental
DAS Davao_del_Sur
DAV Davao_del_Norte
DIN Dinagat_Islands
DVO Davao_Occidental
EAS Eastern_Samar
GUI Guimaras
IFU Ifugao
ILI -Iloilo
ILN Ilocos_Norte
ILS Ilocos_Sur
ISA -Isabela
KAL -Kalinga
LAG -Laguna
LAN Lanao_del_Norte
LAS Lanao_del_Sur
LEY Leyte
LUN La_Union
MAD Marinduque
MAS -Masbate
MDC Occidental_Mindoro/Mindoro_Occidental
MDR Oriental_Mindoro/Mindoro_Oriental
MGN Maguindanao_del_Norte
MGS Maguindanao_del_Sur
MOU Mountain_Province
MSC Misamis_Occidental
MSR Misamis_Oriental
NCO -Cotabato
NEC Negros_Occidental
NER Negros_Oriental
NSA Northern_Samar
NUE Nueva_Ecija
NUV Nueva_Vizcaya
PAM Pampanga
PAN Pangasinan
PLW Palawan
QUE -Quezon
QUI -Quirino
RIZ -Rizal
ROM -Romblon
SAR Sarangani
SCO South_Cotabato
SIG Siquijor
SLE Southern_Leyte
SLU -Sulu
SOR -Sorsogon
SUK Sultan_Kudarat
SUN Surigao_del_Norte
SUR Surigao_del_Sur
TAR -Tarlac
TAW Tawi-Tawi
WSA -Samar
ZAN Zamboanga_del_Norte
ZAS Zamboanga_del_Sur
ZMB Zambales
ZSI Zamboanga_Sibugay
"""),
    # Nigeria's 36 states and its capital territory: "Lagos State", "Kano State"; those named like a city, a river,
    # a word ("Delta", "Plateau", "Rivers") or a country ("Niger") by their forms
    **_table("NG", "{n}_State", "{n}_State Bundesstaat_{n} État_{de} estado_de_{n} stato_di_{n}", """
AB Abia
AD ?Adamawa =Adamawa_State
AK Akwa_Ibom
AN Anambra
BA -Bauchi
BE -Benue
BO Borno
BY Bayelsa
CR -Cross_River
DE -Delta
EB Ebonyi
ED -Edo
EK Ekiti
EN -Enugu
FC -Abuja =Federal_Capital_Territory_(Nigeria) Abuja_Federal_Capital_Territory
GO -Gombe
IM -Imo
JI Jigawa
KD -Kaduna
KE Kebbi
KN -Kano
KO Kogi
KT -Katsina
KW Kwara
LA -Lagos
NA Nasarawa
NI -Niger
OG -Ogun
ON -Ondo
OS -Osun
OY -Oyo
PL -Plateau
RI -Rivers
SO -Sokoto
TA Taraba
YO Yobe
ZA Zamfara
"""),
    # Kenya's 47 counties, most named like their towns: "Kisumu County", "Kaunti ya Kisumu"
    **_table("KE", "{n}_County", "{n}_County Kaunti_ya_{n}", """
01 -Baringo
02 -Bomet
03 -Bungoma
04 -Busia
05 Elgeyo-Marakwet/Elgeyo_Marakwet
06 -Embu
07 -Garissa
08 -Homa_Bay
09 -Isiolo
10 -Kajiado
11 -Kakamega
12 -Kericho
13 -Kiambu
14 -Kilifi
15 -Kirinyaga
16 -Kisii
17 -Kisumu
18 -Kitui
19 -Kwale
20 Laikipia
21 -Lamu
22 -Machakos
23 -Makueni
24 -Mandera
25 -Marsabit
26 -Meru
27 -Migori
28 -Mombasa
29 -Murang'a
30 -Nairobi Nairobi_City_County
31 -Nakuru
32 -Nandi
33 -Narok
34 -Nyamira
35 Nyandarua
36 -Nyeri
37 -Samburu
38 -Siaya
39 Taita-Taveta/Taita_Taveta
40 -Tana_River
41 Tharaka-Nithi/Tharaka_Nithi
42 Trans-Nzoia/Trans_Nzoia
43 -Turkana
44 Uasin_Gishu
45 -Vihiga
46 -Wajir
47 West_Pokot
"""),
    # Tanzania's 31 regions (named like their towns, or "Pwani", "the coast"): "Lindi Region", "Mkoa wa Lindi"
    **_table("TZ", "{n}_Region", "{n}_Region Mkoa_wa_{n} Region_{n} région_{de}", """
01 -Arusha
02 -Dar_es_Salaam
03 -Dodoma
04 -Iringa
05 -Kagera
06 -Kaskazini_Pemba =Pemba_North_Region
07 -Kaskazini_Unguja =Zanzibar_North_Region
08 -Kigoma
09 -Kilimanjaro
10 -Kusini_Pemba =Pemba_South_Region
11 -Kusini_Unguja =Zanzibar_South_Region
12 -Lindi
13 -Mara
14 -Mbeya
15 -Mjini_Magharibi =Zanzibar_West_Region
16 -Morogoro
17 -Mtwara
18 -Mwanza
19 -Pwani Coast_Region_(Tanzania)
20 -Rukwa
21 -Ruvuma
22 -Shinyanga
23 -Singida
24 -Tabora
25 -Tanga
26 -Manyara
27 -Geita
28 -Katavi
29 -Njombe
30 -Simiyu
31 -Songwe
"""),
    # Namibia's 14 regions ("Kunene" and "Zambezi" are rivers too)
    **_table("NA", "{n}_Region", "{n}_Region Region_{n} région_{de}", """
CA -Zambezi
ER Erongo
HA Hardap
KA Karas/ǁKaras //Karas
KE Kavango_East Kavango-Ost
KH Khomas
KU -Kunene
KW Kavango_West Kavango-West
OD Otjozondjupa
OH Omaheke
ON Oshana
OS Omusati
OT Oshikoto
OW Ohangwena
"""),
    # South Korea's 9 provinces (its special and metropolitan cities are the cities): "Gyeonggi Province", "경기도",
    # "경북" (the short forms of the two-part names; "경기" alone is "a match", "the economy")
    **_table("KR", "{n}_Province", "{n}_Province Provinz_{n} province_{de} provincia_de_{n}", """
41 Gyeonggi/Gyeonggi-do 경기도
42 Gangwon/Gangwon-do 강원도 강원특별자치도 Gangwon-teukbyeoljachido Gangwon_Special_Self-Governing_Province
43 North_Chungcheong/Chungcheongbuk-do 충청북도 충북 Chungbuk
44 South_Chungcheong/Chungcheongnam-do 충청남도 충남 Chungnam
45 North_Jeolla/Jeollabuk-do 전라북도 전북 전북특별자치도 Jeonbuk Jeonbuk_State
46 South_Jeolla/Jeollanam-do 전라남도 전남 Jeonnam
47 North_Gyeongsang/Gyeongsangbuk-do 경상북도 경북 Gyeongbuk
48 South_Gyeongsang/Gyeongsangnam-do 경상남도 경남 Gyeongnam
49 -Jeju Jeju-do 제주도 제주특별자치도 Jeju-teukbyeoljachido Jeju_Special_Self-Governing_Province
"""),
    # Pakistan's provinces and territories ("Punjab" alone is India's too: ``_WIDER_REGIONS``; Islamabad the city;
    # not "KPK", Indonesia's anti-corruption commission, nor "AJK")
    **_table("PK", "{n}_Province", "{n}_Province Provinz_{n} province_{de} provincia_de_{n}", """
BA Balochistan/Baluchistan/Belutschistan/Baloutchistan/Baluchistán Белуджистан بلوچستان
GB Gilgit-Baltistan
JK Azad_Kashmir =Azad_Jammu_and_Kashmir Asad_Kaschmir
KP Khyber_Pakhtunkhwa Хайбер-Пахтунхва خیبر_پختونخوا
PB -Punjab =Punjab_(Pakistan) Provinz_Pandschab province_du_Pendjab
SD Sindh Синд سندھ
"""),
    # Bangladesh's 8 divisions, named like their cities: "Dhaka Division", "ঢাকা বিভাগ"
    **{f"BD-{code}": (f"{name} Division", _as_names([f"{spelt} Division" for spelt in (name, *more.split())]
                                                    + [f"{bn} বিভাগ", f"Division {name}"]))
       for code, name, bn, more in (("A", "Barishal", "বরিশাল", "Barisal"),
                                    ("B", "Chattogram", "চট্টগ্রাম", "Chittagong"),
                                    ("C", "Dhaka", "ঢাকা", ""), ("D", "Khulna", "খুলনা", ""),
                                    ("E", "Rajshahi", "রাজশাহী", ""), ("F", "Rangpur", "রংপুর", ""),
                                    ("G", "Sylhet", "সিলেট", ""), ("H", "Mymensingh", "ময়মনসিংহ", ""))},
    # Iran's 31 provinces, most named like their cities ("Tehran Province", "استان تهران")
    **_table("IR", "{n}_Province", "{n}_Province Provinz_{n} province_{de} provincia_de_{n}", """
00 -Markazi استان_مرکزی
01 Gilan/Guilan استان_گیلان
02 Mazandaran/Masandaran استان_مازندران
03 East_Azerbaijan/Azarbayjan-e_Sharqi Ost-Aserbaidschan Azerbaïdjan_oriental Azerbaiyán_Oriental استان_آذربایجان_شرقی
04 West_Azerbaijan/Azarbayjan-e_Gharbi West-Aserbaidschan
   Azerbaïdjan_occidental Azerbaiyán_Occidental استان_آذربایجان_غربی
05 -Kermanshah استان_کرمانشاه
06 Khuzestan/Chuzestan/Khouzistan/Juzestán استان_خوزستان
07 -Fars استان_فارس
08 -Kerman استان_کرمان
09 Razavi_Khorasan/Khorasan-e_Razavi/Khorasan_Razavi Razavi-Chorasan استان_خراسان_رضوی
10 -Isfahan/Esfahan/Ispahan استان_اصفهان
11 Sistan_and_Baluchestan/Sistan_va_Baluchestan/Sistan_and_Baluchistan/Sistan-Belutschistan/Sistan-et-Baloutchistan
   استان_سیستان_و_بلوچستان
12 -Kurdistan/Kordestan استان_کردستان
13 -Hamadan استان_همدان
14 Chaharmahal_and_Bakhtiari/Chahar_Mahal_va_Bakhtiari استان_چهارمحال_و_بختیاری
15 Lorestan/Luristan استان_لرستان
16 -Ilam استان_ایلام
17 Kohgiluyeh_and_Boyer-Ahmad/Kohgiluyeh_va_Bowyer_Ahmad استان_کهگیلویه_و_بویراحمد
18 -Bushehr استان_بوشهر
19 -Zanjan استان_زنجان
20 -Semnan استان_سمنان
21 -Yazd استان_یزد
22 Hormozgan استان_هرمزگان
23 -Tehran/Teheran/Téhéran/Teherán استان_تهران
24 -Ardabil استان_اردبیل
25 -Qom/Ghom استان_قم
26 -Qazvin استان_قزوین
27 -Golestan استان_گلستان
28 North_Khorasan/Khorasan-e_Shomali Nord-Chorasan استان_خراسان_شمالی
29 South_Khorasan/Khorasan-e_Jonubi Süd-Chorasan استان_خراسان_جنوبی
30 -Alborz استان_البرز
"""),
    # Saudi Arabia's 13 regions, most named like their cities ("Riyadh Region"); "Eastern Province" and "Al-Jawf"
    # (Yemen's too) alone only in a Saudi context
    **_table("SA", "{n}_Region", "{n}_Region {n}_Province Provinz_{n} région_{de} provincia_de_{n}", """
01 -Riyadh/Riad/Riyad
02 -Makkah/Mecca/Mekka/La_Mecque/La_Meca
03 -Madinah/Medina/Médine
04 ?Eastern_Province =Eastern_Province_(Saudi_Arabia)
05 Al-Qassim/Qassim/Al_Qasim
06 -Ha'il/Hail
07 -Tabuk
08 Northern_Borders =Northern_Borders_Region Al_Hudud_ash_Shamaliyah
09 -Jazan/Jizan
10 -Najran
11 -Al-Bahah/Al_Bahah/Baha
12 -Al-Jawf/Al_Jawf
14 Asir/'Asir
"""),
    # Egypt's 27 governorates, most named like their cities ("Giza Governorate"); "Sharqia" also Oman's
    **_table("EG", "{n}_Governorate", "{n}_Governorate Gouvernement_{n} gouvernorat_{de} gobernación_de_{n} "
                                      "governatorato_di_{n}", """
ALX -Alexandria/Alexandrie/Alejandría
ASN -Aswan/Assuan/Assouan/Asuán
AST -Asyut/Assiut/Assiout
BA -Red_Sea
BH Beheira/Buhayrah/Behera
BNS -Beni_Suef
C -Cairo/Kairo/Le_Caire/El_Cairo
DK Dakahlia/Daqahliyah
DT -Damietta/Damiette
FYM -Faiyum/Fayoum/Fayyum
GH Gharbia/Gharbiya
GZ -Giza/Gizeh
IS -Ismailia
JS South_Sinai/Süd-Sinai/Sinaï_du_Sud/Janub_Sina
KB Qalyubia/Qalyubiyah
KFS -Kafr_el-Sheikh
KN -Qena
LX -Luxor/Louxor
MN -Minya
MNF Monufia/Menoufia/Minufiyah
MT Matrouh/-Matruh
PTS -Port_Said
SHG -Sohag
SHR ?Sharqia/?Sharkia =Sharqia_Governorate
SIN North_Sinai/Nord-Sinai/Sinaï_du_Nord/Shamal_Sina
SUZ -Suez
WAD -New_Valley
"""),
    # Lebanon's governorates (Beirut is the city): "South Lebanon", "Bekaa", "Mount Lebanon"
    **_table("LB", "{n}_Governorate", "{n}_Governorate Gouvernement_{n} gouvernorat_{de} gobernación_de_{n}", """
AK Akkar عكار
AS North_Lebanon/Nordlibanon/Liban-Nord محافظة_الشمال
BH Baalbek-Hermel بعلبك_الهرمل
BI Beqaa/Bekaa/Béqaa البقاع
JA South_Lebanon/Südlibanon/Sud-Liban/Sur_del_Líbano/Libano_meridionale جنوب_لبنان محافظة_الجنوب
JL ?Mount_Lebanon/Libanonberg =Mount_Lebanon_Governorate/Mont-Liban/Monte_Líbano جبل_لبنان
NA -Nabatieh/Nabatiyeh محافظة_النبطية
"""),
})


def _vietnam(rows: str, former: bool = False) -> dict[str, tuple[str, str]]:
    """Vietnam's provinces of ``rows`` ("CODE Name…" as ``_table`` reads them), with and without the diacritics:
    "tỉnh Quảng Ninh", "Quang Ninh province"; ``former``: a province merged into another in 2025, named "Bình
    Dương Province (former)" and also by "tỉnh Bình Dương cũ", "Bình Dương cũ" ("the former")."""
    lines = [f"{line} ={line.split()[1].split('/')[0].lstrip('-?')}_Province_(former)" if former else line
             for line in rows.strip().splitlines()]
    forms = "{n}_Province tỉnh_{n} Provinz_{n} province_{de} provincia_de_{n}" + (" tỉnh_{n}_cũ {n}_cũ" * former)
    return _variants(_table("VN", "{n}_Province", forms, "\n".join(lines)), _unmarked)


MORE_SUBDIVISIONS.update({
    # Vietnam's 28 provinces since 1 July 2025, when 63 province-level units were merged into 34 (its 6
    # centrally-run cities, Hanoi, Ho Chi Minh City, Haiphong, Da Nang, Can Tho and Hue, are their cities). ISO
    # 3166-2 and pycountry still list the 63: each merged province goes by the code of the one whose name it kept
    # (Tuyên Quang, with Hà Giang, is VN-07). Named like their cities ("Thanh Hóa"), Taiyuan's and Xining's
    # Vietnamese names ("Thái Nguyên", "Tây Ninh") or a river ("Đồng Nai") by their forms only
    **_vietnam("""
01 -Lai_Châu
02 -Lào_Cai
04 -Cao_Bằng
05 -Sơn_La
07 -Tuyên_Quang
09 -Lạng_Sơn
13 Quảng_Ninh
18 -Ninh_Bình
21 -Thanh_Hóa/Thanh_Hoá
22 Nghệ_An
23 -Hà_Tĩnh
25 Quảng_Trị
29 -Quảng_Ngãi
30 Gia_Lai
33 Đắk_Lắk/Đắc_Lắc/Daklak
34 -Khánh_Hòa/Khánh_Hoà
35 Lâm_Đồng
37 -Tây_Ninh
39 -Đồng_Nai
44 An_Giang
45 Đồng_Tháp
49 -Vĩnh_Long
56 -Bắc_Ninh
59 -Cà_Mau
66 -Hưng_Yên
68 -Phú_Thọ
69 -Thái_Nguyên
71 Điện_Biên
"""),
    # and the 29 provinces merged into those or into the cities in 2025, and Thừa Thiên Huế (Hue's since January
    # 2025), as regions of their own under their ISO codes, "(former)": the news before July 2025 names them, and
    # "Bình Dương" then was not Ho Chi Minh City. Those named like their cities by their forms, "Hà Nam" (Henan in
    # Vietnamese) too
    **_vietnam("""
03 -Hà_Giang
06 -Yên_Bái
14 -Hòa_Bình/Hoà_Bình
20 -Thái_Bình
24 Quảng_Bình
26 Thừa_Thiên_Huế/Thừa_Thiên-Huế
27 Quảng_Nam
28 -Kon_Tum
31 Bình_Định
32 Phú_Yên
36 Ninh_Thuận
40 Bình_Thuận
41 Long_An
43 Bà_Rịa–Vũng_Tàu/Bà_Rịa-Vũng_Tàu/Bà_Rịa_-_Vũng_Tàu
46 Tiền_Giang
47 Kiên_Giang
50 -Bến_Tre
51 -Trà_Vinh
52 -Sóc_Trăng
53 -Bắc_Kạn/Bắc_Cạn
54 -Bắc_Giang
55 -Bạc_Liêu
57 Bình_Dương
58 Bình_Phước
61 -Hải_Dương
63 -Hà_Nam
67 -Nam_Định
70 Vĩnh_Phúc
72 Đắk_Nông/Đắc_Nông
73 Hậu_Giang
""", former=True),
    # Iraq's 15 governorates outside Kurdistan and its Kurdistan Region (Erbil, Duhok, Sulaymaniyah and Halabja, in
    # it, are second-level, their cities): "Anbar Province", "محافظة الأنبار"; named like their cities, a river
    # ("Diyala"), a person ("Salah ad-Din", Saladin; "Muthanna"), an ancient city ("Babil", "Nineveh") or a battle
    # and clubs ("Al-Qadisiyyah") by their forms only
    **_table("IQ", "{n}_Governorate", "{n}_Governorate {n}_Province Provinz_{n} Gouvernement_{n} gouvernorat_{de} "
                                      "province_{de} gobernación_de_{n} governatorato_di_{n}", """
AN Anbar/Al-Anbar/Al_Anbar الأنبار محافظة_الأنبار
BA -Basra/Basrah/Bassora محافظة_البصرة
BB -Babil/Babylon محافظة_بابل
BG -Baghdad/Bagdad محافظة_بغداد
DI -Diyala محافظة_ديالى
DQ Dhi_Qar/Thi_Qar/Dhi-Qar ذي_قار محافظة_ذي_قار
KA -Karbala/Kerbela محافظة_كربلاء
KI -Kirkuk/Kirkouk محافظة_كركوك
MA Maysan/Missan ميسان محافظة_ميسان
MU -Muthanna/Al-Muthanna محافظة_المثنى
NA -Najaf/Nadschaf محافظة_النجف
NI -Nineveh/Ninawa/Ninive محافظة_نينوى
QA -Al-Qadisiyyah/Qadisiyyah/Qadisiyah/Al-Qadisiyah محافظة_القادسية
SD -Salah_ad-Din/Salahuddin/Salah_al-Din/Saladin محافظة_صلاح_الدين
WA Wasit واسط محافظة_واسط
"""),
    "IQ-KR": ("Kurdistan Region", "Kurdistan_Region_of_Iraq Iraqi_Kurdistan Kurdistan-Region Autonome_Region_Kurdistan "
                                  "Irakisch-Kurdistan Kurdistan_irakien Région_autonome_du_Kurdistan "
                                  "Kurdistán_iraquí Kurdistan_iracheno إقليم_كردستان إقليم_كردستان_العراق "
                                  "Иракский_Курдистан"),
    # Syria's 14 governorates, all but Rif Dimashq named like their cities: "Idlib Governorate", "محافظة إدلب"
    **_table("SY", "{n}_Governorate", "{n}_Governorate {n}_Province Provinz_{n} Gouvernement_{n} gouvernorat_{de} "
                                      "province_{de} gobernación_de_{n} governatorato_di_{n}", """
DI -Damascus/Damaskus/Damas/Damasco محافظة_دمشق
DR -Daraa/Deraa/Dara'a محافظة_درعا
DY -Deir_ez-Zor/Deir_Ezzor/Deir_al-Zor/Deir_el-Zor محافظة_دير_الزور
HA -Al-Hasakah/Hasakah/Hasaka/Al-Hasaka محافظة_الحسكة
HI -Homs محافظة_حمص
HL -Aleppo/Alep/Alepo/Halab محافظة_حلب
HM -Hama محافظة_حماة
ID -Idlib/Idleb محافظة_إدلب
LA -Latakia/Lattakia/Lattaquié/Latakia محافظة_اللاذقية
QU -Quneitra/Kuneitra محافظة_القنيطرة
RA -Raqqa/Rakka/Raqqah محافظة_الرقة
RD Rif_Dimashq =Rif_Dimashq Rural_Damascus Damascus_Countryside Umland_von_Damaskus ريف_دمشق محافظة_ريف_دمشق
SU -As-Suwayda/Suwayda/Sweida/Suweida/Soueïda محافظة_السويداء
TA -Tartus/Tartous محافظة_طرطوس
"""),
    # Malaysia's 13 states (its federal territories are their cities): "negeri Selangor", "Selangor state"; named
    # like a city ("Melaka"), a river ("Pahang", "Kelantan", "Terengganu") or a word ("Perak", silver; "Sabah",
    # morning in Arabic and Turkish, and a Turkish daily) by their forms only; "Johor" and "Penang" are the
    # states, not Johor Bahru's and George Town's other names
    **_table("MY", "{n}_(state)", "{n}_State State_of_{n} negeri_{n} Bundesstaat_{n} État_{de} estado_de_{n}", """
01 Johor
02 Kedah
03 -Kelantan
04 -Melaka/Malacca
05 Negeri_Sembilan
06 -Pahang
07 Penang/Pulau_Pinang =Penang
08 -Perak
09 Perlis
10 Selangor
11 -Terengganu
12 -Sabah
13 Sarawak
"""),
    # Romania's 41 counties (Bucharest is the city): "județul Cluj", "judeţul Cluj", "județului Cluj", "Cluj County",
    # "Kreis Cluj", "Kolozs megye"; those named like their city, a river ("Argeș", "Olt", "Mureș", "Prahova") or a
    # word ("Alba") by their forms only
    **_variants(_table("RO", "{n}_County", "{n}_County județul_{n} județului_{n} Kreis_{n} {n}_megye", """
AB -Alba Fehér_megye
AG -Argeș
AR -Arad
BC -Bacău
BH Bihor Bihar_megye
BN Bistrița-Năsăud Beszterce-Naszód_megye
BR -Brăila
BT -Botoșani
BV -Brașov Brassó_megye
BZ -Buzău
CJ -Cluj Kolozs_megye
CL -Călărași
CS Caraș-Severin Krassó-Szörény_megye
CT -Constanța
CV Covasna Kovászna_megye
DB -Dâmbovița
DJ Dolj
GJ Gorj
GL -Galați
GR -Giurgiu
HD -Hunedoara Hunyad_megye
HR Harghita Hargita_megye
IF Ilfov
IL -Ialomița
IS -Iași
MH Mehedinți
MM Maramureș Máramaros_megye
MS -Mureș Maros_megye
NT Neamț
OT -Olt
PH -Prahova
SB -Sibiu Szeben_megye
SJ Sălaj Szilágy_megye
SM -Satu_Mare Szatmár_megye
SV -Suceava
TL -Tulcea
TM -Timiș Temes_megye
TR -Teleorman
VL Vâlcea/Vîlcea
VN Vrancea
VS -Vaslui
"""), _unmarked, _cedilla),
    # Hungary's 19 counties (vármegye since 2023; Budapest and the cities with county rights are their cities): "Pest
    # vármegye", "Pest megyében", "Pest County", "Komitat Pest"; named like a city or a part of one ("Pest",
    # "Veszprém"), a word ("Békés", peaceful; "Vas", iron) or a river ("Zala") by their forms only
    **_table("HU", "{n}_County", "{n}_County {n}_vármegye {n}_megye {n}_vármegyében {n}_megyében Komitat_{n} "
                                 "comitat_{de}", """
BA Baranya
BE -Békés
BK Bács-Kiskun
BZ Borsod-Abaúj-Zemplén Borsod_megye Borsod_megyében
CS Csongrád-Csanád Csongrád_megye Csongrád_megyében
FE Fejér
GS Győr-Moson-Sopron
HB Hajdú-Bihar
HE Heves
JN Jász-Nagykun-Szolnok
KE Komárom-Esztergom
NO Nógrád
PE -Pest
SO Somogy
SZ Szabolcs-Szatmár-Bereg
TO Tolna
VA -Vas
VE -Veszprém
ZA -Zala
"""),
})

MORE_SUBDIVISIONS.update({
    # Afghanistan's 34 provinces: "Helmand Province", "ولایت هلمند"; those named like their cities, a river
    # ("Helmand", "Kunar"), Iran's Zabol or a word ("Ghor", the Jordan Valley's Arabic name) by their forms only;
    # "Badakhshan" (Tajikistan's Gorno-Badakhshan too) alone only in an Afghan context
    **_table("AF", "{n}_Province", "{n}_Province Provinz_{n} province_{de} provincia_de_{n}", """
BAL -Balkh ولایت_بلخ
BAM -Bamyan/Bamiyan/Bāmyān ولایت_بامیان
BDG Badghis ولایت_بادغیس
BDS ?Badakhshan/?Badachschan =Badakhshan_Province ولایت_بدخشان
BGL -Baghlan ولایت_بغلان
DAY Daykundi/Daikundi ولایت_دایکندی
FRA -Farah ولایت_فراه
FYB Faryab/Fariab ولایت_فاریاب
GHA -Ghazni/Ghasni ولایت_غزنی
GHO -Ghor/Ghowr ولایت_غور
HEL -Helmand/Hilmand ولایت_هلمند
HER -Herat ولایت_هرات
JOW Jowzjan/Jawzjan ولایت_جوزجان
KAB -Kabul ولایت_کابل
KAN -Kandahar/Qandahar ولایت_قندهار
KAP Kapisa ولایت_کاپیسا
KDZ -Kunduz/Kundus/Konduz ولایت_کندز
KHO -Khost/Chost ولایت_خوست
KNR -Kunar/Konar ولایت_کنر
LAG Laghman ولایت_لغمان
LOG Logar ولایت_لوگر
NAN Nangarhar ولایت_ننگرهار
NIM Nimruz/Nimroz ولایت_نیمروز
NUR Nuristan/Nurestan ولایت_نورستان
PAN Panjshir/Panjsher/Pandschschir ولایت_پنجشیر
PAR Parwan/Parvan ولایت_پروان
PIA Paktia/Paktiya/Paktija ولایت_پکتیا
PKA Paktika ولایت_پکتیکا
SAM Samangan ولایت_سمنگان
SAR -Sar-e_Pol/Sar-e_Pul/Sari_Pul ولایت_سرپل
TAK Takhar/Tachar ولایت_تخار
URU Uruzgan/Oruzgan/Urozgan ولایت_ارزگان
WAR Wardak/Maidan_Wardak/Maydan_Wardak ولایت_میدان_وردک
ZAB Zabul/-Zabol ولایت_زابل
"""),
    # Ethiopia's regions (Addis Ababa and Dire Dawa are their cities; the Southern Nations' region, split in 2023,
    # and the South West's are left out): "Amhara Region", "አማራ ክልል"; named like a people, a country or a person
    # ("Somali", "Sidama", "Harari"), a town ("Gambela") or a word ("Afar") by their forms only
    **_table("ET", "{n}_Region", "{n}_Region Region_{n} région_{de} región_de_{n} {n}_Regional_State", """
AF -Afar አፋር_ክልል
AM Amhara Amara_Region አማራ_ክልል
BE Benishangul-Gumuz/Benshangul-Gumuz
GA -Gambela/Gambella Gambela_Peoples'_Region
HA -Harari
OR Oromia/Oromiya ኦሮሚያ_ክልል
SI -Sidama
SO -Somali =Somali_Region ሶማሌ_ክልል
TI Tigray/Tigrai ትግራይ_ክልል
"""),
    # DR Congo's 25 provinces (Kinshasa is the city): "province du Nord-Kivu", "South Kivu", "province de l'Ituri";
    # those named like a river, a lake ("Tanganyika", "Mai-Ndombe"), a forest ("Ituri"), a country ("Équateur") or a
    # city elsewhere ("Kasai", Japan's) by their forms only
    **_table("CD", "{n}_Province", "{n}_Province Provinz_{n} provincia_de_{n}", """
BC Kongo_Central/Kongo-Central Bas-Congo province_du_Kongo-Central province_du_Kongo_Central
BU Bas-Uélé/Bas-Uele province_du_Bas-Uele province_du_Bas-Uélé
EQ -Équateur/Equateur province_de_l'Équateur province_de_l'Equateur
HK Haut-Katanga province_du_Haut-Katanga
HL Haut-Lomami province_du_Haut-Lomami
HU Haut-Uélé/Haut-Uele province_du_Haut-Uele province_du_Haut-Uélé
IT -Ituri province_de_l'Ituri
KC Kasaï-Central/Kasai-Central/Kasaï_Central province_du_Kasaï-Central province_du_Kasai-Central
KE Kasaï-Oriental/Kasai-Oriental province_du_Kasaï-Oriental province_du_Kasai-Oriental
KG -Kwango province_du_Kwango
KL -Kwilu province_du_Kwilu
KS -Kasaï/Kasai province_du_Kasaï province_du_Kasai
LO -Lomami province_du_Lomami
LU -Lualaba province_du_Lualaba
MA Maniema province_du_Maniema
MN -Mai-Ndombe/Maï-Ndombe province_de_Mai-Ndombe province_du_Mai-Ndombe
MO -Mongala province_de_la_Mongala
NK North_Kivu/Nord-Kivu province_du_Nord-Kivu Kivu_del_Norte Северное_Киву
NU North_Ubangi/Nord-Ubangi province_du_Nord-Ubangi
SA -Sankuru province_du_Sankuru
SK South_Kivu/Sud-Kivu/Süd-Kivu/Südkivu province_du_Sud-Kivu Kivu_del_Sur Южное_Киву
SU South_Ubangi/Sud-Ubangi province_du_Sud-Ubangi
TA -Tanganyika province_du_Tanganyika
TO -Tshopo province_de_la_Tshopo
TU -Tshuapa province_de_la_Tshuapa
"""),
    # Sudan's 18 states: "North Darfur", "ولاية شمال دارفور"; those named like their cities, a river ("Blue Nile",
    # "River Nile", "White Nile"), the sea, a word ("Northern") or Cairo's island ("Gezira") by their forms only
    **_table("SD", "{n}_State", "{n}_State Bundesstaat_{n} État_{de} estado_de_{n}", """
DC Central_Darfur/Zentral-Darfur ولاية_وسط_دارفور
DE East_Darfur/Ost-Darfur ولاية_شرق_دارفور
DN North_Darfur/Nord-Darfur/Darfour-Nord ولاية_شمال_دارفور
DS South_Darfur/Süd-Darfur/Darfour-Sud ولاية_جنوب_دارفور
DW West_Darfur/West-Darfur/Darfour-Occidental ولاية_غرب_دارفور
GD -Gedaref/Al_Qadarif/Gadarif ولاية_القضارف
GK West_Kordofan/West-Kordofan ولاية_غرب_كردفان
GZ -Gezira/Al_Jazirah ولاية_الجزيرة
KA -Kassala ولاية_كسلا
KH -Khartoum/Khartum ولاية_الخرطوم
KN North_Kordofan/Nord-Kordofan ولاية_شمال_كردفان
KS South_Kordofan/Süd-Kordofan/Kordofan-Sud ولاية_جنوب_كردفان
NB -Blue_Nile ولاية_النيل_الأزرق
NO -Northern ولاية_الشمالية
NR -River_Nile ولاية_نهر_النيل
NW -White_Nile ولاية_النيل_الأبيض
RS -Red_Sea ولاية_البحر_الأحمر
SI -Sennar/Sannar ولاية_سنار
"""),
    # Greece's 13 regions and Mount Athos, in Greek (nominative and the genitive of "Περιφέρεια Αττικής"); the
    # Peloponnese region is not the whole peninsula, so by its forms only
    "GR-A": ("Eastern Macedonia and Thrace", "Ανατολική_Μακεδονία_και_Θράκη "
                                             "Περιφέρεια_Ανατολικής_Μακεδονίας_και_Θράκης "
                                             "Ostmakedonien_und_Thrakien Macédoine-Orientale-et-Thrace "
                                             "Macedonia_Oriental_y_Tracia"),
    "GR-B": ("Central Macedonia", "Κεντρική_Μακεδονία Περιφέρεια_Κεντρικής_Μακεδονίας Zentralmakedonien "
                                  "Macédoine-Centrale Macedonia_Central Macedonia_Centrale"),
    "GR-C": ("Western Macedonia", "Δυτική_Μακεδονία Περιφέρεια_Δυτικής_Μακεδονίας Westmakedonien "
                                  "Macédoine-Occidentale Macedonia_Occidental Macedonia_Occidentale"),
    "GR-D": ("Epirus", "Ήπειρος Περιφέρεια_Ηπείρου Épire Epiro Region_Epirus Эпир"),
    "GR-E": ("Thessaly", "Θεσσαλία Περιφέρεια_Θεσσαλίας Thessalien Thessalie Tesalia Tessaglia Фессалия"),
    "GR-F": ("Ionian Islands", "Ιόνια_Νησιά Περιφέρεια_Ιονίων_Νήσων Ionische_Inseln Îles_Ioniennes Islas_Jónicas "
                               "Isole_Ionie"),
    "GR-G": ("Western Greece", "Δυτική_Ελλάδα Περιφέρεια_Δυτικής_Ελλάδας Westgriechenland Grèce-Occidentale "
                               "Grecia_Occidental Grecia_Occidentale"),
    "GR-H": ("Central Greece", "Στερεά_Ελλάδα Περιφέρεια_Στερεάς_Ελλάδας Mittelgriechenland Grèce-Centrale "
                               "Grecia_Central Grecia_Centrale"),
    "GR-I": ("Attica", "Αττική Περιφέρεια_Αττικής Attika Attique Ática Attica_Region Аттика"),
    "GR-J": ("Peloponnese Region", "Περιφέρεια_Πελοποννήσου Region_Peloponnes région_du_Péloponnèse"),
    "GR-K": ("North Aegean", "Βόρειο_Αιγαίο Περιφέρεια_Βορείου_Αιγαίου Nördliche_Ägäis Égée-Septentrionale "
                             "Egeo_Septentrional Egeo_Settentrionale"),
    "GR-L": ("South Aegean", "Νότιο_Αιγαίο Περιφέρεια_Νοτίου_Αιγαίου Südliche_Ägäis Égée-Méridionale "
                             "Egeo_Meridional Egeo_Meridionale"),
    "GR-M": ("Crete", "Κρήτη Περιφέρεια_Κρήτης Kreta Crète Creta Крит"),
    "GR-69": ("Mount Athos", "Άγιον_Όρος Agion_Oros Berg_Athos Mont_Athos Monte_Athos Афон"),
    # Israel's 6 districts: "Haifa District", "מחוז חיפה"; "Southern", "Central", "Northern District" (Hong Kong's,
    # Botswana's…) alone only in an Israeli context
    "IL-D": ("Southern District (Israel)", "?Southern_District מחוז_הדרום"),
    "IL-HA": ("Haifa District", "מחוז_חיפה Bezirk_Haifa district_de_Haïfa"),
    "IL-JM": ("Jerusalem District", "מחוז_ירושלים Bezirk_Jerusalem district_de_Jérusalem"),
    "IL-M": ("Central District (Israel)", "?Central_District מחוז_המרכז"),
    "IL-TA": ("Tel Aviv District", "מחוז_תל_אביב Bezirk_Tel_Aviv district_de_Tel_Aviv"),
    "IL-Z": ("Northern District (Israel)", "?Northern_District מחוז_הצפון"),
    # Jordan's 12 governorates, all but Balqa named like their cities: "Irbid Governorate", "محافظة إربد"
    **_table("JO", "{n}_Governorate", "{n}_Governorate Gouvernement_{n} gouvernorat_{de} gobernación_de_{n}", """
AJ -Ajloun/Ajlun محافظة_عجلون
AM -Amman Capital_Governorate_(Jordan) محافظة_العاصمة محافظة_عمان
AQ -Aqaba/Aqabah محافظة_العقبة
AT -Tafilah/Tafila محافظة_الطفيلة
AZ -Zarqa محافظة_الزرقاء
BA Balqa/Al-Balqa البلقاء محافظة_البلقاء
IR -Irbid محافظة_إربد
JA -Jerash/Jarash محافظة_جرش
KA -Karak/Kerak محافظة_الكرك
MA -Mafraq محافظة_المفرق
MD -Madaba محافظة_مادبا
MN -Ma'an/Maan محافظة_معان
"""),
    # the Palestinian territories' 16 governorates (11 in the West Bank, 5 in Gaza), in English, German, French,
    # Spanish and Arabic: "Jenin Governorate", "Gouvernement Dschenin", "gouvernorat de Jénine", "gobernación de
    # Yenín", "محافظة جنين"; each named like its city (or two), so by its forms only: "Hebron" stays the city,
    # "Gaza" the city (or the Strip), "Jerusalem" and "Al-Quds" Israel's; North Gaza alone too, as no city bears it
    **_table("PS", "{n}_Governorate", "{n}_Governorate Gouvernement_{n} gouvernorat_{de} gobernación_de_{n}", """
BTH -Bethlehem/Betlehem/Bethléem/Belén محافظة_بيت_لحم
DEB -Deir_al-Balah/Deir_el-Balah/Deir_al_Balah/Deir_El_Balah محافظة_دير_البلح
GZA -Gaza محافظة_غزة
HBN -Hebron/Hébron/Hebrón/Al-Khalil gouvernorat_d'Hébron محافظة_الخليل
JEM -Jerusalem/Jérusalem/Jerusalén/Al-Quds محافظة_القدس
JEN -Jenin/Jénine/Dschenin/Yenín/Jenín محافظة_جنين
JRH -Jericho/Jéricho/Jericó Jericho_and_Al_Aghwar Jericho_and_al-Aghwar Jericho_and_Al_Aghwar_Governorate
 Jericho_and_al-Aghwar_Governorate محافظة_أريحا محافظة_أريحا_والأغوار
KYS -Khan_Yunis/Khan_Younis/Khan_Younes/Khan_Yunes/Khan_Younès/Chan_Yunis/Chan_Junis/Jan_Yunis محافظة_خان_يونس
NBS -Nablus/Naplouse محافظة_نابلس
NGZ North_Gaza =North_Gaza_Governorate Nord-Gaza Gaza-Nord Gouvernement_Nord-Gaza gouvernorat_de_Gaza-Nord
 gouvernorat_du_Nord_de_Gaza gobernación_de_Gaza_del_Norte gobernación_del_Norte_de_Gaza محافظة_شمال_غزة
QQA -Qalqilya/Qalqilia/Qalqiliya/Kalkilia/Kalkilya محافظة_قلقيلية
RBH -Ramallah/Ramala =Ramallah_and_al-Bireh_Governorate Ramallah_and_al-Bireh Ramallah_and_Al_Bireh
 Ramallah_and_Al_Bireh_Governorate Gouvernement_Ramallah_und_al-Bira gouvernorat_de_Ramallah_et_Al-Bireh
 gobernación_de_Ramala_y_Al_Bireh محافظة_رام_الله_والبيرة محافظة_رام_الله
RFH -Rafah محافظة_رفح
SLT -Salfit محافظة_سلفيت
TBS -Tubas محافظة_طوباس محافظة_طوباس_والأغوار_الشمالية
TKM -Tulkarm/Tulkarem/Toulkarem/Tulkarim محافظة_طولكرم
"""),
    # Yemen's 21 governorates (Sanaa's city, Amanat al-Asimah, is the city): "Marib Governorate", "محافظة مأرب";
    # those named like their cities by their forms only; "Al Jawf" (Saudi Arabia's too) not alone
    **_table("YE", "{n}_Governorate", "{n}_Governorate {n}_Province Provinz_{n} Gouvernement_{n} gouvernorat_{de} "
                                      "gobernación_de_{n}", """
AB Abyan أبين محافظة_أبين
AD -Aden/Adan محافظة_عدن
AM -Amran محافظة_عمران
BA -Al_Bayda/Al-Bayda/Bayda محافظة_البيضاء
DA -Al_Dhale/Dhale/Ad_Dali/Al-Dhalea محافظة_الضالع
DH -Dhamar محافظة_ذمار
HD Hadramawt/Hadramout/Hadhramaut/Hadramaut/Hadramut حضرموت محافظة_حضرموت
HJ -Hajjah محافظة_حجة
HU -Hodeidah/Al_Hudaydah/Hudaydah/Hodeida محافظة_الحديدة
IB -Ibb محافظة_إب
JA -Al_Jawf محافظة_الجوف
LA -Lahij/Lahj محافظة_لحج
MA -Marib/Ma'rib محافظة_مأرب
MR Al_Mahrah/Al-Mahra/Al_Mahra/-Mahra المهرة محافظة_المهرة
MW -Al_Mahwit/Mahwit محافظة_المحويت
RA Raymah/Raima محافظة_ريمة
SD -Saada/Sa'dah/Sadah محافظة_صعدة
SH Shabwa/Shabwah شبوة محافظة_شبوة
SN -Sanaa/Sana'a محافظة_صنعاء
SU Socotra/Soqotra/Sokotra سقطرى محافظة_أرخبيل_سقطرى Socotra_Archipelago
TA -Taiz/Ta'izz محافظة_تعز
"""),
})

MORE_SUBDIVISIONS.update({
    # Kazakhstan's 17 regions (since 2022, with Abai, Jetisu and Ulytau; Astana, Almaty and Shymkent are the
    # cities): "Karaganda Region", "Карагандинская область", "Қарағанды облысы", "Gebiet Karaganda"; named like their
    # cities, a poet ("Abai"), a peninsula ("Mangystau"), Astana's old name ("Akmola") or a wider historical region
    # ("Jetisu") by their forms only
    **{f"KZ-{code}": (f"{en} Region", _as_names([f"{spelt} Region" for spelt in [en, *filter(None, more.split("/"))]]
                                               + [f"{en} Oblast", f"Gebiet {de}", f"région {_of(en)}", ru, kk]
                                               + ([en] if alone else [])))
       for code, en, more, de, ru, kk, alone in (
           ("10", "Abai", "Abay", "Abai", "Абайская_область", "Абай_облысы", False),
           ("11", "Akmola", "Aqmola", "Akmola", "Акмолинская_область", "Ақмола_облысы", False),
           ("15", "Aktobe", "Aqtöbe", "Aktobe", "Актюбинская_область", "Ақтөбе_облысы", False),
           ("19", "Almaty", "", "Almaty", "Алматинская_область", "Алматы_облысы", False),
           ("23", "Atyrau", "", "Atyrau", "Атырауская_область", "Атырау_облысы", False),
           ("27", "West Kazakhstan", "", "Westkasachstan", "Западно-Казахстанская_область",
            "Батыс_Қазақстан_облысы", True),
           ("31", "Jambyl", "Zhambyl", "Schambyl", "Жамбылская_область", "Жамбыл_облысы", False),
           ("33", "Jetisu", "Zhetysu", "Schetissu", "область_Жетысу", "Жетісу_облысы", False),
           ("35", "Karaganda", "Karagandy/Qaraghandy", "Karaganda", "Карагандинская_область", "Қарағанды_облысы",
            False),
           ("39", "Kostanay", "Qostanay", "Kostanai", "Костанайская_область", "Қостанай_облысы", False),
           ("43", "Kyzylorda", "Qyzylorda", "Kysylorda", "Кызылординская_область", "Қызылорда_облысы", False),
           ("47", "Mangystau", "Mangghystau", "Mangghystau", "Мангистауская_область", "Маңғыстау_облысы", False),
           ("55", "Pavlodar", "", "Pawlodar", "Павлодарская_область", "Павлодар_облысы", False),
           ("59", "North Kazakhstan", "", "Nordkasachstan", "Северо-Казахстанская_область",
            "Солтүстік_Қазақстан_облысы", True),
           ("61", "Turkistan", "Turkestan", "Türkistan", "Туркестанская_область", "Түркістан_облысы", False),
           ("62", "Ulytau", "", "Ulytau", "Улытауская_область", "Ұлытау_облысы", False),
           ("63", "East Kazakhstan", "", "Ostkasachstan", "Восточно-Казахстанская_область",
            "Шығыс_Қазақстан_облысы", True))},
    # Myanmar's 7 regions and 7 states (Naypyidaw is the city): "Rakhine State", "Shan-Staat", "Sagaing Region";
    # the states are named like their peoples, the regions like their cities or a river ("Ayeyarwady", the
    # Irrawaddy): by their forms only, but for Tanintharyi
    **_table("MM", "{n}_Region", "{n}_Region {n}_Division Region_{n} région_{de}", """
01 -Sagaing
02 -Bago/Pegu
03 -Magway/Magwe
04 -Mandalay
05 Tanintharyi/Tenasserim =Tanintharyi
06 -Yangon/Rangoon
07 -Ayeyarwady/Irrawaddy
"""),
    **_table("MM", "{n}_State", "{n}_State {n}-Staat État_{de} estado_de_{n}", """
11 -Kachin
12 -Kayah/Karenni
13 -Kayin/Karen
14 -Chin
15 -Mon
16 -Rakhine/Arakan
17 -Shan
"""),
    # Bolivia's 9 departments: "departamento de Chuquisaca"; named like their cities, a river ("Beni") or
    # Uruguay's Pando by their forms only
    **_table("BO", "{n}_Department", "{n}_Department departamento_de_{n} Departement_{n} département_{de}", """
B -Beni =Beni_Department departamento_del_Beni El_Beni
C -Cochabamba
H Chuquisaca
L -La_Paz
N -Pando
O -Oruro
P -Potosí/Potosi
S -Santa_Cruz
T -Tarija
"""),
    # Nepal's 7 provinces (since 2015, named in 2020–2023): "Koshi Province", "कोशी प्रदेश"; named like a river
    # ("Koshi", "Bagmati", "Gandaki", "Karnali") or a town ("Lumbini") by their forms only
    **_table("NP", "{n}_Province", "{n}_Province Provinz_{n} province_{de}", """
P1 -Koshi/Kosi कोशी_प्रदेश
P2 Madhesh मधेश_प्रदेश
P3 -Bagmati बागमती_प्रदेश
P4 -Gandaki गण्डकी_प्रदेश
P5 -Lumbini लुम्बिनी_प्रदेश
P6 -Karnali कर्णाली_प्रदेश
P7 Sudurpashchim/Sudurpaschim सुदूरपश्चिम_प्रदेश
"""),
    # Sri Lanka's 9 provinces, in English, Sinhala and (the north and the east) Tamil; the points of the compass
    # ("Northern Province": Zambia's, Sierra Leone's…) alone only in a Sri Lankan context, "Uva" (a word) by its form
    **{f"LK-{code}": (f"{en} Province" + (" (Sri Lanka)" if ask else ""),
                      _as_names([f"{'?' if ask else ''}{en} Province", f"{si} පළාත", *more.split()]
                                + ([] if ask or en == "Uva" else [en])))
       for code, en, si, more, ask in (
           ("1", "Western", "බස්නාහිර", "", True), ("2", "Central", "මධ්‍යම", "", True),
           ("3", "Southern", "දකුණු", "", True), ("4", "Northern", "උතුරු", "வடக்கு_மாகாணம்", True),
           ("5", "Eastern", "නැගෙනහිර", "கிழக்கு_மாகாணம்", True), ("6", "North Western", "වයඹ", "Wayamba", True),
           ("7", "North Central", "උතුරු_මැද", "", True), ("8", "Uva", "ඌව", "", False),
           ("9", "Sabaragamuwa", "සබරගමුව", "", False))},
    # Georgia's regions and Adjara (Abkhazia is ``_WIDER_REGIONS``' too; Tbilisi the city; South Ossetia has no code),
    # in English, Georgian, Russian and German
    "GE-AB": ("Abkhazia", "Autonomous_Republic_of_Abkhazia აფხაზეთი"),
    "GE-AJ": ("Adjara", "Ajara Ajaria Adjaria Autonomous_Republic_of_Adjara Adscharien Adjarie Ayaria Agiaria აჭარა "
                        "Аджария"),
    "GE-GU": ("Guria", "Gurien Гурия გურია"),
    "GE-IM": ("Imereti", "Imeretien Imérétie Имеретия Имерети იმერეთი"),
    "GE-KA": ("Kakheti", "Kachetien Kakhétie Кахетия Кахети კახეთი"),
    "GE-KK": ("Kvemo Kartli", "Niederkartlien Квемо-Картли ქვემო_ქართლი"),
    "GE-MM": ("Mtskheta-Mtianeti", "Mzcheta-Mtianeti Мцхета-Мтианети მცხეთა-მთიანეთი"),
    "GE-RL": ("Racha-Lechkhumi and Kvemo Svaneti", "Ratscha-Letschchumi_und_Niederswanetien "
                                                   "Рача-Лечхуми_и_Квемо-Сванети რაჭა-ლეჩხუმი_და_ქვემო_სვანეთი"),
    "GE-SJ": ("Samtskhe-Javakheti", "Samzche-Dschawachetien Самцхе-Джавахети Самцхе-Джавахетия "
                                    "სამცხე-ჯავახეთი"),
    "GE-SK": ("Shida Kartli", "Innerkartlien Шида-Картли შიდა_ქართლი"),
    "GE-SZ": ("Samegrelo-Zemo Svaneti", "Samegrelo-Oberswanetien Самегрело-Земо-Сванети სამეგრელო-ზემო_სვანეთი"),
    # New Zealand's 16 regions (the Chatham Islands are CLDR's); named like a city ("Auckland", "Canterbury",
    # "Nelson", "Gisborne", "Marlborough"), a river ("Waikato"), a sea ("Tasman") or words ("West Coast") by their
    # forms only; "Southland" is also Southern California's
    **_table("NZ", "{n}_Region", "{n}_Region Region_{n} région_{de}", """
AUK -Auckland
BOP Bay_of_Plenty
CAN -Canterbury
GIS -Gisborne Gisborne_District
HKB Hawke's_Bay
MBH -Marlborough
MWT Manawatū-Whanganui/Manawatu-Whanganui
NSN -Nelson
NTL Northland
OTA Otago
STL -Southland
TAS -Tasman Tasman_District
TKI Taranaki
WGN Greater_Wellington =Wellington_Region Wellington_Region
WKO -Waikato
WTC -West_Coast
"""),
    # Ecuador's 24 provinces: "provincia de Manabí", "Manabí"; named like their cities, a river ("Guayas", "Napo",
    # "Pastaza"), a volcano ("Cotopaxi", "Chimborazo", "Pichincha"…), a person ("Bolívar", "Orellana"), a word ("El
    # Oro", "Los Ríos") or a place elsewhere (Santa Elena, Saint Helena; Santo Domingo) by their forms only;
    # Galápagos keeps the islands
    **_table("EC", "{n}_Province", "{n}_Province provincia_de_{n} Provincia_de_{n} Provinz_{n} province_{de}", """
A Azuay
B -Bolívar
C Carchi
D -Orellana
E -Esmeraldas
F Cañar
G -Guayas provincia_del_Guayas
H -Chimborazo
I -Imbabura
L -Loja
M Manabí/Manabi
N -Napo
O -El_Oro
P -Pichincha
R -Los_Ríos
S Morona_Santiago
SD Santo_Domingo_de_los_Tsáchilas
SE -Santa_Elena
T -Tungurahua
U Sucumbíos/Sucumbios
W -Galápagos/Galapagos =Galápagos_Province
X -Cotopaxi
Y -Pastaza
Z Zamora_Chinchipe
"""),
})


def _thailand(rows: str) -> dict[str, tuple[str, str]]:
    """Thailand's provinces of ``rows`` ("CODE English/Other_spelling… Thai"): each named like its capital, so
    by its forms only: "Chiang Mai Province", "Provinz Chiang Mai", "province de Chiang Mai", "จังหวัดเชียงใหม่",
    "จ.เชียงใหม่"."""
    out = {}
    for line in rows.strip().splitlines():
        code, spellings, thai = line.split()
        names = spellings.replace("_", " ").split("/")
        out[f"TH-{code}"] = (f"{names[0]} Province", _as_names(
            [form for n in names for form in (f"{n} Province", f"Provinz {n}", f"province {_of(n)}",
                                              f"provincia de {n}")][1:] + [f"จังหวัด{thai}", f"จ.{thai}"]))
    return out


MORE_SUBDIVISIONS.update({
    # Thailand's 76 provinces (Bangkok and Pattaya are the cities), by their forms only: each is named like its
    # capital
    **_thailand("""
11 Samut_Prakan สมุทรปราการ
12 Nonthaburi นนทบุรี
13 Pathum_Thani ปทุมธานี
14 Phra_Nakhon_Si_Ayutthaya/Ayutthaya พระนครศรีอยุธยา
15 Ang_Thong อ่างทอง
16 Lopburi/Lop_Buri ลพบุรี
17 Sing_Buri/Singburi สิงห์บุรี
18 Chai_Nat/Chainat ชัยนาท
19 Saraburi สระบุรี
20 Chonburi/Chon_Buri ชลบุรี
21 Rayong ระยอง
22 Chanthaburi จันทบุรี
23 Trat ตราด
24 Chachoengsao ฉะเชิงเทรา
25 Prachinburi/Prachin_Buri ปราจีนบุรี
26 Nakhon_Nayok นครนายก
27 Sa_Kaeo สระแก้ว
30 Nakhon_Ratchasima/Korat นครราชสีมา
31 Buriram/Buri_Ram บุรีรัมย์
32 Surin สุรินทร์
33 Sisaket/Si_Sa_Ket ศรีสะเกษ
34 Ubon_Ratchathani อุบลราชธานี
35 Yasothon ยโสธร
36 Chaiyaphum ชัยภูมิ
37 Amnat_Charoen อำนาจเจริญ
38 Bueng_Kan บึงกาฬ
39 Nong_Bua_Lamphu/Nong_Bua_Lam_Phu หนองบัวลำภู
40 Khon_Kaen ขอนแก่น
41 Udon_Thani อุดรธานี
42 Loei เลย
43 Nong_Khai หนองคาย
44 Maha_Sarakham มหาสารคาม
45 Roi_Et ร้อยเอ็ด
46 Kalasin กาฬสินธุ์
47 Sakon_Nakhon สกลนคร
48 Nakhon_Phanom นครพนม
49 Mukdahan มุกดาหาร
50 Chiang_Mai เชียงใหม่
51 Lamphun ลำพูน
52 Lampang ลำปาง
53 Uttaradit อุตรดิตถ์
54 Phrae แพร่
55 Nan น่าน
56 Phayao พะเยา
57 Chiang_Rai เชียงราย
58 Mae_Hong_Son แม่ฮ่องสอน
60 Nakhon_Sawan นครสวรรค์
61 Uthai_Thani อุทัยธานี
62 Kamphaeng_Phet กำแพงเพชร
63 Tak ตาก
64 Sukhothai สุโขทัย
65 Phitsanulok พิษณุโลก
66 Phichit พิจิตร
67 Phetchabun เพชรบูรณ์
70 Ratchaburi ราชบุรี
71 Kanchanaburi กาญจนบุรี
72 Suphanburi/Suphan_Buri สุพรรณบุรี
73 Nakhon_Pathom นครปฐม
74 Samut_Sakhon สมุทรสาคร
75 Samut_Songkhram สมุทรสงคราม
76 Phetchaburi เพชรบุรี
77 Prachuap_Khiri_Khan ประจวบคีรีขันธ์
80 Nakhon_Si_Thammarat นครศรีธรรมราช
81 Krabi กระบี่
82 Phang_Nga/Phangnga พังงา
83 Phuket ภูเก็ต
84 Surat_Thani สุราษฎร์ธานี
85 Ranong ระนอง
86 Chumphon ชุมพร
90 Songkhla สงขลา
91 Satun สตูล
92 Trang ตรัง
93 Phatthalung พัทลุง
94 Pattani ปัตตานี
95 Yala ยะลา
96 Narathiwat นราธิวาส
"""),
})

MORE_SUBDIVISIONS.update({
    # Ireland's 26 counties (second-level, under its four provinces): "County Kerry", "Co. Kerry", "Co Kerry"; those
    # named like a city or a town ("Cork", "Wexford", "Louth", England's), a given name ("Kerry", "Clare"), a
    # surname ("Monaghan") or a word ("Mayo") by these forms only. "Clare County", "Roscommon County" and "Wexford
    # County" are Michigan's counties too: read from the document ("?"; ``places._region_in_context``)
    **{f"IE-{code}": (f"County {name}", _as_names([f"Co. {name}", f"Co {name}",
                                                  f"{'?' if code in ('CE', 'RN', 'WX') else ''}{name} County",
                                                  f"Grafschaft {name}", f"comté {_of(name)}", f"condado de {name}"]
                                                 + ([name] if alone else [])))
       for code, name, alone in (
           ("CE", "Clare", False), ("CN", "Cavan", True), ("CO", "Cork", False), ("CW", "Carlow", False),
           ("D", "Dublin", False), ("DL", "Donegal", True), ("G", "Galway", False), ("KE", "Kildare", True),
           ("KK", "Kilkenny", False), ("KY", "Kerry", False), ("LD", "Longford", False), ("LH", "Louth", False),
           ("LK", "Limerick", False), ("LM", "Leitrim", True), ("LS", "Laois", True), ("MH", "Meath", True),
           ("MN", "Monaghan", False), ("MO", "Mayo", False), ("OY", "Offaly", True), ("RN", "Roscommon", True),
           ("SO", "Sligo", False), ("TA", "Tipperary", True), ("WD", "Waterford", False),
           ("WH", "Westmeath", True), ("WW", "Wicklow", True), ("WX", "Wexford", False))},
    # Croatia's 20 counties (Zagreb is the city), as Croatian writes them in three cases: "Splitsko-dalmatinska
    # županija", "Splitsko-dalmatinske županije", "u Splitsko-dalmatinskoj županiji"; "Istria" is the peninsula
    **{f"HR-{code}": (english, _as_names([f"{adjective[:-1]}{a} {z}" for a, z in zip(
        ("a", "e", "oj"), ("županija", "županije", "županiji"))] + more.split()))
       for code, english, adjective, more in (
           ("01", "Zagreb County", "Zagrebačka", ""), ("02", "Krapina-Zagorje County", "Krapinsko-zagorska", ""),
           ("03", "Sisak-Moslavina County", "Sisačko-moslavačka", ""), ("04", "Karlovac County", "Karlovačka", ""),
           ("05", "Varaždin County", "Varaždinska", ""),
           ("06", "Koprivnica-Križevci County", "Koprivničko-križevačka", ""),
           ("07", "Bjelovar-Bilogora County", "Bjelovarsko-bilogorska", ""),
           ("08", "Primorje-Gorski Kotar County", "Primorsko-goranska", ""),
           ("09", "Lika-Senj County", "Ličko-senjska", ""),
           ("10", "Virovitica-Podravina County", "Virovitičko-podravska", ""),
           ("11", "Požega-Slavonia County", "Požeško-slavonska", ""),
           ("12", "Brod-Posavina County", "Brodsko-posavska", ""), ("13", "Zadar County", "Zadarska", ""),
           ("14", "Osijek-Baranja County", "Osječko-baranjska", ""),
           ("15", "Šibenik-Knin County", "Šibensko-kninska", ""),
           ("16", "Vukovar-Srijem County", "Vukovarsko-srijemska", ""),
           ("17", "Split-Dalmatia County", "Splitsko-dalmatinska", "Gespanschaft_Split-Dalmatien"),
           ("18", "Istria County", "Istarska", "Gespanschaft_Istrien"),
           ("19", "Dubrovnik-Neretva County", "Dubrovačko-neretvanska", "Gespanschaft_Dubrovnik-Neretva"),
           ("20", "Međimurje County", "Međimurska", "Međimurje"))},
    # Slovakia's 8 regions (named like their cities), in four cases as Czechia's: "Košický kraj", "Košického kraja",
    # "v Košickom kraji", "Košickým krajom" ("Nitriansky", "Nitrianskeho": the short vowel after a long syllable)
    **{f"SK-{code}": (f"{city} Region", _as_names(
        [f"{adjective[:-1]}{a} {k}" for a, k in zip(("ý", "ého", "om", "ým") if adjective[-1] == "ý" else
                                                     ("y", "eho", "om", "ym"), ("kraj", "kraja", "kraji", "krajom"))]
        + [f"Region {city}", f"Landschaftsverband {city}", f"région {_of(city)}"]))
       for code, city, adjective in (
           ("BC", "Banská Bystrica", "Banskobystrický"), ("BL", "Bratislava", "Bratislavský"),
           ("KI", "Košice", "Košický"), ("NI", "Nitra", "Nitriansky"), ("PV", "Prešov", "Prešovský"),
           ("TA", "Trnava", "Trnavský"), ("TC", "Trenčín", "Trenčiansky"), ("ZI", "Žilina", "Žilinský"))},
    # Bulgaria's 27 provinces (Sofia's city province is the city), named like their cities: "Plovdiv Province",
    # "област Пловдив", "Пловдивска област"; the province around Sofia only as "Sofia Province", "Софийска област"
    **{f"BG-{code}": (f"{en} Province", _as_names([f"{en} Oblast", f"{adjective} област"] + (
        [f"Oblast {en}", f"Region {en}", f"province {_of(en)}", f"област {bg}"] if bg else [])))
       for code, en, bg, adjective in (
           ("01", "Blagoevgrad", "Благоевград", "Благоевградска"), ("02", "Burgas", "Бургас", "Бургаска"),
           ("03", "Varna", "Варна", "Варненска"), ("04", "Veliko Tarnovo", "Велико_Търново", "Великотърновска"),
           ("05", "Vidin", "Видин", "Видинска"), ("06", "Vratsa", "Враца", "Врачанска"),
           ("07", "Gabrovo", "Габрово", "Габровска"), ("08", "Dobrich", "Добрич", "Добричка"),
           ("09", "Kardzhali", "Кърджали", "Кърджалийска"), ("10", "Kyustendil", "Кюстендил", "Кюстендилска"),
           ("11", "Lovech", "Ловеч", "Ловешка"), ("12", "Montana", "Монтана", "Монтанска"),
           ("13", "Pazardzhik", "Пазарджик", "Пазарджишка"), ("14", "Pernik", "Перник", "Пернишка"),
           ("15", "Pleven", "Плевен", "Плевенска"), ("16", "Plovdiv", "Пловдив", "Пловдивска"),
           ("17", "Razgrad", "Разград", "Разградска"), ("18", "Ruse", "Русе", "Русенска"),
           ("19", "Silistra", "Силистра", "Силистренска"), ("20", "Sliven", "Сливен", "Сливенска"),
           ("21", "Smolyan", "Смолян", "Смолянска"), ("23", "Sofia", "", "Софийска"),
           ("24", "Stara Zagora", "Стара_Загора", "Старозагорска"), ("25", "Targovishte", "Търговище", "Търговищка"),
           ("26", "Haskovo", "Хасково", "Хасковска"), ("27", "Shumen", "Шумен", "Шуменска"),
           ("28", "Yambol", "Ямбол", "Ямболска"))},
    # Serbia's autonomous province of Vojvodina (Kosovo is CLDR's; the districts are second-level, Belgrade the city)
    "RS-VO": ("Vojvodina", "Wojwodina Voïvodine Voivodina Војводина Воеводина Autonomous_Province_of_Vojvodina "
                           "Autonome_Provinz_Vojvodina АП_Војводина"),
})


MORE_SUBDIVISIONS.update({
    # Ghana's 16 regions: "Ashanti Region", "Greater Accra"; named like a people ("Ashanti"), a river or a lake
    # ("Volta", "Oti"), a word ("Savannah", Georgia's city too) or a person ("Bono") by their forms only; the points
    # of the compass ("Northern Region": Uganda's too) alone only in a Ghanaian context
    **{f"GH-{code}": (english, _as_names(names.split()))
       for code, english, names in (
           ("AA", "Greater Accra", "Greater_Accra_Region Grand_Accra région_du_Grand_Accra"),
           ("AF", "Ahafo", "Ahafo_Region région_d'Ahafo"),
           ("AH", "Ashanti Region", "région_Ashanti région_d'Ashanti Region_Ashanti"),
           ("BE", "Bono East", "Bono_East_Region"),
           ("BO", "Bono Region", "région_Bono"),
           ("CP", "Central Region (Ghana)", "?Central_Region"),
           ("EP", "Eastern Region (Ghana)", "?Eastern_Region"),
           ("NE", "North East Region (Ghana)", "?North_East_Region"),
           ("NP", "Northern Region (Ghana)", "?Northern_Region"),
           ("OT", "Oti Region", "région_de_l'Oti"),
           ("SV", "Savannah Region", "région_de_la_Savane"),
           ("TV", "Volta Region", "région_de_la_Volta Region_Volta"),
           ("UE", "Upper East Region", "?Upper_East région_du_Haut-Est"),
           ("UW", "Upper West Region", "?Upper_West région_du_Haut-Ouest"),
           ("WN", "Western North Region", "?Western_North"),
           ("WP", "Western Region (Ghana)", "?Western_Region"))},
    # Uganda's 4 regions, each named by a point of the compass: "Northern Uganda", and "Northern Region" alone only
    # in a Ugandan context
    **{f"UG-{code}": (f"{point} Region (Uganda)", _as_names([f"?{point} Region", f"{point} Uganda"]))
       for code, point in (("C", "Central"), ("E", "Eastern"), ("N", "Northern"), ("W", "Western"))},
    # Morocco's 12 regions since 2015, less the two in Western Sahara (Laâyoune-Sakia El Hamra, Dakhla-Oued
    # Ed-Dahab: the tables have Laayoune in Western Sahara), in French, English and Arabic: "région de
    # Fès-Meknès", "Fez-Meknes", "جهة فاس مكناس"; the Oriental ("oriental", a word) by its forms only
    **_table("MA", "{n}_Region", "{n}_Region région_{de} région_{n} Region_{n} región_de_{n}", """
01 Tanger-Tétouan-Al_Hoceïma/Tangier-Tetouan-Al_Hoceima/Tanger-Tetouan-Al_Hoceima طنجة_تطوان_الحسيمة
 جهة_طنجة_تطوان_الحسيمة جهة_طنجة-تطوان-الحسيمة
03 Fès-Meknès/Fez-Meknes/Fes-Meknes فاس_مكناس جهة_فاس_مكناس جهة_فاس-مكناس
04 Rabat-Salé-Kénitra/Rabat-Sale-Kenitra الرباط_سلا_القنيطرة جهة_الرباط_سلا_القنيطرة جهة_الرباط-سلا-القنيطرة
05 Béni_Mellal-Khénifra/Beni_Mellal-Khenifra بني_ملال_خنيفرة جهة_بني_ملال_خنيفرة جهة_بني_ملال-خنيفرة
06 Casablanca-Settat الدار_البيضاء_سطات جهة_الدار_البيضاء_سطات جهة_الدار_البيضاء-سطات
07 Marrakech-Safi/Marrakesh-Safi مراكش_آسفي جهة_مراكش_آسفي جهة_مراكش-آسفي
08 Drâa-Tafilalet/Draa-Tafilalet درعة_تافيلالت جهة_درعة_تافيلالت جهة_درعة-تافيلالت
09 Souss-Massa سوس_ماسة جهة_سوس_ماسة جهة_سوس-ماسة
10 Guelmim-Oued_Noun كلميم_واد_نون جهة_كلميم_واد_نون جهة_كلميم-واد_نون
"""),
    "MA-02": ("Oriental Region (Morocco)", "région_de_l'Oriental Oriental_Region جهة_الشرق"),
    # Tunisia's 24 governorates, each named like its capital, so by their forms only: "Sfax Governorate",
    # "gouvernorat de Sfax", "ولاية صفاقس"
    **_table("TN", "{n}_Governorate", "{n}_Governorate gouvernorat_{de} Gouvernement_{n} gobernación_de_{n}", """
11 -Tunis ولاية_تونس
12 -Ariana gouvernorat_de_l'Ariana ولاية_أريانة
13 -Ben_Arous ولاية_بن_عروس
14 -Manouba gouvernorat_de_la_Manouba ولاية_منوبة
21 -Nabeul ولاية_نابل
22 -Zaghouan ولاية_زغوان
23 -Bizerte ولاية_بنزرت
31 -Béja/Beja ولاية_باجة
32 -Jendouba ولاية_جندوبة
33 -Kef/Le_Kef =Kef_Governorate gouvernorat_du_Kef ولاية_الكاف
34 -Siliana ولاية_سليانة
41 -Kairouan ولاية_القيروان
42 -Kasserine ولاية_القصرين
43 -Sidi_Bouzid ولاية_سيدي_بوزيد
51 -Sousse ولاية_سوسة
52 -Monastir ولاية_المنستير
53 -Mahdia ولاية_المهدية
61 -Sfax ولاية_صفاقس
71 -Gafsa ولاية_قفصة
72 -Tozeur ولاية_توزر
73 -Kébili/Kebili ولاية_قبلي
81 -Gabès/Gabes ولاية_قابس
82 -Médenine/Medenine ولاية_مدنين
83 -Tataouine ولاية_تطاوين
"""),
    # Algeria's 58 wilayas (since 2019, with Timimoun, Touggourt, Djanet…), each named like its capital, so by
    # their forms only: "wilaya de Tizi Ouzou", "Tizi Ouzou Province", "ولاية تيزي وزو"
    **_table("DZ", "{n}_Province", "{n}_Province wilaya_{de} {n}_wilaya Provinz_{n} provincia_de_{n}", """
01 -Adrar ولاية_أدرار
02 -Chlef ولاية_الشلف
03 -Laghouat ولاية_الأغواط
04 -Oum_el_Bouaghi/Oum_El_Bouaghi ولاية_أم_البواقي
05 -Batna ولاية_باتنة
06 -Béjaïa/Bejaia ولاية_بجاية
07 -Biskra ولاية_بسكرة
08 -Béchar/Bechar ولاية_بشار
09 -Blida ولاية_البليدة
10 -Bouira ولاية_البويرة
11 -Tamanrasset ولاية_تمنراست
12 -Tébessa/Tebessa ولاية_تبسة
13 -Tlemcen ولاية_تلمسان
14 -Tiaret ولاية_تيارت
15 -Tizi_Ouzou ولاية_تيزي_وزو
16 -Alger =Algiers_Province Algiers_Province ولاية_الجزائر
17 -Djelfa ولاية_الجلفة
18 -Jijel ولاية_جيجل
19 -Sétif/Setif ولاية_سطيف
20 -Saïda/Saida ولاية_سعيدة
21 -Skikda ولاية_سكيكدة
22 -Sidi_Bel_Abbès/Sidi_Bel_Abbes ولاية_سيدي_بلعباس
23 -Annaba ولاية_عنابة
24 -Guelma ولاية_قالمة
25 -Constantine ولاية_قسنطينة
26 -Médéa/Medea ولاية_المدية
27 -Mostaganem ولاية_مستغانم
28 -M'Sila ولاية_المسيلة
29 -Mascara ولاية_معسكر
30 -Ouargla ولاية_ورقلة
31 -Oran ولاية_وهران
32 -El_Bayadh ولاية_البيض
33 -Illizi ولاية_إليزي
34 -Bordj_Bou_Arréridj/Bordj_Bou_Arreridj ولاية_برج_بوعريريج
35 -Boumerdès/Boumerdes ولاية_بومرداس
36 -El_Tarf ولاية_الطارف
37 -Tindouf ولاية_تندوف
38 -Tissemsilt ولاية_تيسمسيلت
39 -El_Oued ولاية_الوادي
40 -Khenchela ولاية_خنشلة
41 -Souk_Ahras ولاية_سوق_أهراس
42 -Tipaza/Tipasa ولاية_تيبازة
43 -Mila ولاية_ميلة
44 -Aïn_Defla/Ain_Defla ولاية_عين_الدفلى
45 -Naâma/Naama ولاية_النعامة
46 -Aïn_Témouchent/Ain_Temouchent ولاية_عين_تموشنت
47 -Ghardaïa/Ghardaia ولاية_غرداية
48 -Relizane ولاية_غليزان
49 -Timimoun ولاية_تيميمون
50 -Bordj_Badji_Mokhtar ولاية_برج_باجي_مختار
51 -Ouled_Djellal ولاية_أولاد_جلال
52 -Béni_Abbès/Beni_Abbes ولاية_بني_عباس
53 -In_Salah ولاية_عين_صالح
54 -In_Guezzam ولاية_عين_قزام
55 -Touggourt ولاية_تقرت
56 -Djanet ولاية_جانت
57 -El_M'Ghair/El_Meghaier ولاية_المغير
58 -El_Meniaa/El_Menia ولاية_المنيعة
"""),
    # Cameroon's 10 regions, in English and French: "Far North Region", "région de l'Extrême-Nord"; those named by
    # a point of the compass ("North-West Region", "région du Sud-Ouest") alone only in a Cameroonian context, the
    # Littoral (a word) and Adamaoua (the plateau; Nigeria's Adamawa) by their forms
    **{f"CM-{code}": (english, _as_names(names.split()))
       for code, english, names in (
           ("AD", "Adamawa Region", "Adamaoua_Region région_de_l'Adamaoua Region_Adamaua"),
           ("CE", "Centre Region (Cameroon)", "?Centre_Region ?région_du_Centre"),
           ("EN", "Far North Region", "Far_North_Region_(Cameroon) Extrême-Nord région_de_l'Extrême-Nord "
                                      "Extreme_North_Region"),
           ("ES", "East Region (Cameroon)", "?East_Region ?région_de_l'Est"),
           ("LT", "Littoral Region", "région_du_Littoral"),
           ("NO", "North Region (Cameroon)", "?North_Region ?région_du_Nord"),
           ("NW", "Northwest Region (Cameroon)", "?Northwest_Region ?North-West_Region ?North_West_Region "
                                                 "?région_du_Nord-Ouest"),
           ("OU", "West Region (Cameroon)", "?West_Region ?région_de_l'Ouest"),
           ("SU", "South Region (Cameroon)", "?South_Region ?région_du_Sud"),
           ("SW", "Southwest Region (Cameroon)", "?Southwest_Region ?South-West_Region ?South_West_Region "
                                                 "?région_du_Sud-Ouest"))},
    # Zimbabwe's 8 provinces (Harare and Bulawayo are their cities): "Manicaland", "Matabeleland North Province";
    # "Midlands" (England's) and "Masvingo" (the city) by their forms only
    **_table("ZW", "{n}_Province", "{n}_Province Provinz_{n} province_{de}", """
MA Manicaland
MC Mashonaland_Central
ME Mashonaland_East
MI -Midlands
MN Matabeleland_North
MS Matabeleland_South
MV -Masvingo
MW Mashonaland_West
"""),
    # Zambia's 10 provinces: "Copperbelt Province"; those named by a point of the compass ("Southern Province": Sri
    # Lanka's too) and the Copperbelt (DR Congo's too) alone only in a Zambian context; Lusaka (the city), Luapula (a
    # river) and Muchinga (mountains) by their forms only
    **{f"ZM-{code}": (english, _as_names(names.split()))
       for code, english, names in (
           ("01", "Western Province (Zambia)", "?Western_Province"),
           ("02", "Central Province (Zambia)", "?Central_Province"),
           ("03", "Eastern Province (Zambia)", "?Eastern_Province"),
           ("04", "Luapula Province", "Provinz_Luapula"),
           ("05", "Northern Province (Zambia)", "?Northern_Province"),
           ("06", "North-Western Province (Zambia)", "?North-Western_Province ?Northwestern_Province"),
           ("07", "Southern Province (Zambia)", "?Southern_Province"),
           ("08", "Copperbelt Province", "?Copperbelt Provinz_Copperbelt"),
           ("09", "Lusaka Province", "Provinz_Lusaka"),
           ("10", "Muchinga Province", "Provinz_Muchinga"))},
    # Mozambique's 10 provinces (Maputo's city is the city), in Portuguese and English: "província de Cabo
    # Delgado", "Cabo Delgado"; named like their cities, a lake ("Niassa") or Gaza by their forms only
    **_table("MZ", "{n}_Province", "{n}_Province Provinz_{n} province_{de} provincia_de_{n}", """
A -Niassa província_do_Niassa província_de_Niassa
B -Manica província_de_Manica
G -Gaza província_de_Gaza
I -Inhambane província_de_Inhambane
L -Maputo província_de_Maputo
N -Nampula província_de_Nampula
P Cabo_Delgado província_de_Cabo_Delgado
Q Zambézia/Zambezia província_da_Zambézia
S Sofala província_de_Sofala
T -Tete província_de_Tete
"""),
    # Rwanda's 4 provinces (Kigali is the city), in English, French and Kinyarwanda, each named by a point of the
    # compass: alone only in a Rwandan context ("Eastern Province": Zambia's and Sri Lanka's too)
    **{f"RW-{code}": (f"{point} Province (Rwanda)", _as_names([f"?{point} Province", f"?{fr}", rw]))
       for code, point, fr, rw in (
           ("02", "Eastern", "Province de l'Est", "Intara y'Iburasirazuba"),
           ("03", "Northern", "Province du Nord", "Intara y'Amajyaruguru"),
           ("04", "Western", "Province de l'Ouest", "Intara y'Iburengerazuba"),
           ("05", "Southern", "Province du Sud", "Intara y'Amajyepfo"))},
    # Somalia's 18 regions (Somaliland's and Puntland's among them), in English and Somali: "Lower Shabelle",
    # "Shabeellaha Hoose", "Gobolka Mudug"; named like a word ("Bay"), Italy's Bari, a valley or a seasonal river
    # ("Nugaal", "Togdheer") or an Ethiopian town ("Gedo") by their forms only
    **_table("SO", "{n}_Region", "{n}_Region Gobolka_{n}", """
AW Awdal
BK Bakool
BN Banaadir/Benadir
BR -Bari =Bari_Region
BY -Bay =Bay_Region
GA Galguduud/Galgaduud
GE -Gedo
HI Hiiraan/Hiraan/Hiran =Hiiraan
JD Middle_Juba/Jubbada_Dhexe
JH Lower_Juba/Jubbada_Hoose
MU Mudug
NU -Nugaal/Nugal
SA Sanaag
SD Middle_Shabelle/Shabeellaha_Dhexe
SH Lower_Shabelle/Shabeellaha_Hoose
SO Sool
TO -Togdheer
WO Woqooyi_Galbeed/Maroodi_Jeex
"""),
    # South Sudan's 10 states (again since 2020): "Jonglei State", "Western Bahr el Ghazal"; named like words
    # ("Lakes", "Unity") or the Nile ("Upper Nile") by their forms only
    **_table("SS", "{n}_State", "{n}_State État_{de} Bundesstaat_{n} estado_de_{n}", """
BN Northern_Bahr_el_Ghazal/Northern_Bahr_al_Ghazal
BW Western_Bahr_el_Ghazal/Western_Bahr_al_Ghazal
EC Central_Equatoria
EE Eastern_Equatoria
EW Western_Equatoria
JG Jonglei
LK -Lakes
NU -Upper_Nile État_du_Haut-Nil
UY -Unity
WR Warrap
"""),
    # Senegal's 14 regions, each named like its capital, so by their forms only: "région de Thiès", "Thiès Region"
    **_table("SN", "{n}_Region", "{n}_Region région_{de} Region_{n} región_de_{n}", """
DB -Diourbel
DK -Dakar
FK -Fatick
KA -Kaffrine
KD -Kolda
KE -Kédougou/Kedougou
KL -Kaolack
LG -Louga
MT -Matam
SE -Sédhiou/Sedhiou
SL -Saint-Louis
TC -Tambacounda
TH -Thiès/Thies
ZG -Ziguinchor
"""),
    # Uruguay's 19 departments: "departamento de Rocha", "Rocha Department"; all but Cerro Largo named like their
    # cities, a river ("Río Negro", Argentina's province too), a word ("Colonia", Cologne; "Salto", "Durazno",
    # "Flores"), Florida or a person ("Artigas", "Lavalleja", "Rivera", "Soriano", "Maldonado") by their forms only
    **_table("UY", "{n}_Department", "{n}_Department departamento_de_{n} Departement_{n} département_{de}", """
AR -Artigas
CA -Canelones
CL Cerro_Largo
CO -Colonia
DU -Durazno
FD -Florida
FS -Flores
LA -Lavalleja
MA -Maldonado
MO -Montevideo
PA -Paysandú/Paysandu
RN -Río_Negro/Rio_Negro
RO -Rocha
RV -Rivera
SA -Salto
SJ -San_José/San_Jose
SO -Soriano
TA -Tacuarembó/Tacuarembo
TT -Treinta_y_Tres
"""),
    # Paraguay's 17 departments (Asunción is the city): "departamento de Itapúa", "Alto Paraná Department"; named
    # like their cities, a river ("Alto Paraná", "Alto Paraguay"), a range ("Amambay"), a person ("Presidente
    # Hayes", "Canindeyú"), a battle ("Boquerón"), a word ("Cordillera"), the Guairá falls or Argentina's Misiones
    # by their forms only; "Central Department" (Haiti's too) alone only in a Paraguayan context
    **_table("PY", "{n}_Department", "{n}_Department departamento_de_{n} Departement_{n} département_{de}", """
1 -Concepción/Concepcion =Concepción_Department_(Paraguay)
2 -San_Pedro =San_Pedro_Department_(Paraguay)
3 -Cordillera
4 -Guairá/Guaira departamento_del_Guairá
5 -Caaguazú/Caaguazu
6 -Caazapá/Caazapa
7 Itapúa/Itapua
8 -Misiones =Misiones_Department
9 -Paraguarí/Paraguari
10 -Alto_Paraná/Alto_Parana
12 Ñeembucú/Neembucu
13 -Amambay
14 -Canindeyú/Canindeyu
15 -Presidente_Hayes
16 -Alto_Paraguay
19 -Boquerón/Boqueron
"""),
    "PY-11": ("Central Department (Paraguay)", "?Central_Department departamento_Central Departamento_Central"),
    # Cuba's 14 provinces (La Habana's is the city, Havana) and Isla de la Juventud: "provincia de Holguín",
    # "Holguín Province"; named like their cities, a newspaper ("Granma") or a river ("Mayabeque") by their forms
    # only
    **_table("CU", "{n}_Province", "{n}_Province provincia_de_{n} Provinz_{n} province_{de}", """
01 -Pinar_del_Río/Pinar_del_Rio
04 -Matanzas
05 Villa_Clara
06 -Cienfuegos
07 -Sancti_Spíritus/Sancti_Spiritus
08 -Ciego_de_Ávila/Ciego_de_Avila
09 -Camagüey/Camaguey
10 -Las_Tunas
11 -Holguín/Holguin
12 -Granma
13 -Santiago_de_Cuba
14 -Guantánamo/Guantanamo
15 -Artemisa
16 -Mayabeque
"""),
    "CU-99": ("Isla de la Juventud", "Isle_of_Youth municipio_especial_Isla_de_la_Juventud"),
    # Guatemala's 22 departments: "departamento de Alta Verapaz", "Petén"; named like the country, their cities, a
    # lake ("Izabal"), a people ("Quiché", the K'iche') or a word ("El Progreso", "Santa Rosa") by their forms only
    **_table("GT", "{n}_Department", "{n}_Department departamento_de_{n} Departement_{n} département_{de}", """
01 -Guatemala =Guatemala_Department
02 -El_Progreso
03 Sacatepéquez/Sacatepequez
04 -Chimaltenango
05 -Escuintla
06 -Santa_Rosa =Santa_Rosa_Department_(Guatemala)
07 -Sololá/Solola
08 -Totonicapán/Totonicapan
09 -Quetzaltenango
10 Suchitepéquez/Suchitepequez
11 -Retalhuleu
12 -San_Marcos =San_Marcos_Department_(Guatemala)
13 -Huehuetenango
14 -Quiché/El_Quiché/Quiche departamento_del_Quiché
15 Baja_Verapaz
16 Alta_Verapaz
17 Petén/Peten/El_Petén departamento_del_Petén
18 -Izabal
19 -Zacapa
20 -Chiquimula
21 -Jalapa =Jalapa_Department_(Guatemala)
22 -Jutiapa
"""),
    # Belarus's 6 regions (Minsk is the city), in English, Russian, Belarusian and Ukrainian: "Gomel Region",
    # "Homel Region", "Гомельская область", "Гомельская вобласць", "Гомельська область"; never the city's name alone,
    # nor "région de Brest" (France's Brest)
    **{f"BY-{code}": (f"{en} Region", _as_names(
        [form for n in [en, *filter(None, alt.split("/"))] for form in (f"{n} Region", f"{n} Oblast")][1:]
        + [f"Gebiet {de}", f"Oblast {de}", f"oblast {_of(fr)}", f"óblast de {fr}", *(f"{adj} область" for adj in
                                                                                      ru.split("/")),
           f"{be} вобласць", f"{uk} область"]))
       for code, en, alt, de, fr, ru, be, uk in (
           ("BR", "Brest", "", "Brest", "Brest", "Брестская", "Брэсцкая", "Брестська"),
           ("HO", "Gomel", "Homel/Homiel", "Gomel", "Gomel", "Гомельская", "Гомельская", "Гомельська"),
           ("HR", "Grodno", "Hrodna", "Grodno", "Grodno", "Гродненская", "Гродзенская", "Гродненська"),
           ("MA", "Mogilev", "Mahilyow/Mogilyov/Mahilioŭ", "Mogiljow", "Moguilev", "Могилёвская/Могилевская",
            "Магілёўская", "Могильовська"),
           ("MI", "Minsk", "", "Minsk", "Minsk", "Минская", "Мінская", "Мінська"),
           ("VI", "Vitebsk", "Viciebsk", "Witebsk", "Vitebsk", "Витебская", "Віцебская", "Вітебська"))},
    # Taiwan's 13 counties (its 6 special municipalities and 3 provincial cities are their cities), in English and
    # in traditional and simplified Chinese: "Hualien County", "花蓮縣", "花莲县"; named like their seats by their
    # forms only; Kinmen and Penghu (their islands) and Yunlin alone too; "连江县" (Fujian's Lianjiang) not
    **{f"TW-{code}": (f"{en} County", _as_names([f"Landkreis {en}", f"comté {_of(en)}", f"condado de {en}",
                                                 *zh.split("/"), *more.split()] + ([en] if alone else [])))
       for code, en, zh, more, alone in (
           ("CHA", "Changhua", "彰化縣/彰化县", "", False), ("CYQ", "Chiayi", "嘉義縣/嘉义县", "", False),
           ("HSQ", "Hsinchu", "新竹縣/新竹县", "", False), ("HUA", "Hualien", "花蓮縣/花莲县", "", False),
           ("ILA", "Yilan", "宜蘭縣/宜兰县", "Ilan_County", False),
           ("KIN", "Kinmen", "金門縣/金门县", "Quemoy 金門 金门", True),
           ("LIE", "Lienchiang", "連江縣", "Matsu_Islands 馬祖列島", False),
           ("MIA", "Miaoli", "苗栗縣/苗栗县", "", False), ("NAN", "Nantou", "南投縣/南投县", "", False),
           ("PEN", "Penghu", "澎湖縣/澎湖县", "Pescadores 澎湖", True),
           ("PIF", "Pingtung", "屏東縣/屏东县", "", False),
           ("TTT", "Taitung", "臺東縣/台東縣/台东县", "", False),
           ("YUN", "Yunlin", "雲林縣/云林县", "雲林 云林", True))},
})


def _serbian_cases(adjective: str, noun: str = "okrug") -> list[str]:
    """A Serbian or Bosnian "adjective + noun" name in the three cases the press writes, in the script it is given
    in: "Zlatiborski okrug", "Zlatiborskog okruga", "u Zlatiborskom okrugu" ("Златиборски округ"…); "kanton" too."""
    stem, cyrillic = adjective[:-1], "а" <= noun[0] <= "я"
    (og, om), (a, u) = (("ог", "ом"), ("а", "у")) if cyrillic else (("og", "om"), ("a", "u"))
    return [f"{adjective} {noun}", f"{stem}{og} {noun}{a}", f"{stem}{om} {noun}{u}"]


def _latin_unmarked(name: str) -> str:
    """``_unmarked`` of a name in the Latin script ("Hercegovacko-neretvanski kanton"); one in Cyrillic as it is
    ("й" is no "и" with a mark)."""
    return name if any("Ѐ" <= ch <= "ӿ" for ch in name) else _unmarked(name)


MORE_SUBDIVISIONS.update({
    # Mali's 10 regions as ISO 3166-2 lists them (Bamako's district is the city; the 9 regions the 2012 law carved
    # out of them and the state has been putting in place since, Kita, Nioro, Nara, Dioïla, Bougouni, Koutiala, San,
    # Bandiagara and Douentza, have no code yet and are left out), in French and English: "région de Kayes",
    # "Timbuktu Region";
    # each named like its capital, so by its forms only ("Gao", "Kidal" are the towns)
    **_table("ML", "{n}_Region", "{n}_Region région_{de} Region_{n} región_de_{n}", """
1 -Kayes
2 -Koulikoro
3 -Sikasso
4 -Ségou/Segou/Segu
5 -Mopti
6 -Tombouctou/Timbuktu/Tombuctú =Timbuktu_Region
7 -Gao
8 -Kidal
9 -Ménaka/Menaka
10 -Taoudénit/Taoudeni/Taoudenni
"""),
    # Niger's 7 regions (Niamey's urban community is the city), in French and English, each named like its
    # capital, so by its forms only: "région d'Agadez", "Zinder Region"
    **_table("NE", "{n}_Region", "{n}_Region région_{de} Region_{n} región_de_{n}", """
1 -Agadez
2 -Diffa
3 -Dosso
4 -Maradi
5 -Tahoua
6 -Tillabéri/Tillaberi/Tillabéry
7 -Zinder
"""),
    # Chad's 22 provinces (regions until 2018; N'Djamena is the city), in French, English and Arabic: "province du
    # Ouaddaï", "Ouaddaï Province", "وداي"; named like a word ("Lac"; "Sila", Calabria's plateau too), mountains
    # ("Tibesti") or a river ("Bahr el Ghazal", South Sudan's region too; "Mandoul", "Salamat") by their forms only;
    # "Batha" (a quarter of Riyadh too) alone only in a Chadian context
    **{f"TD-{code}": (english, _as_names([f"{name} Province", f"province {fr}", f"Provinz {name}",
                                          f"provincia de {name}", *filter(None, more.split("/")),
                                          *([name] if alone else [])]))
       for code, english, name, fr, more, alone in (
           ("BA", "Batha Province", "Batha", "du Batha", "?Batha", False),
           ("BG", "Bahr el Ghazal Province", "Bahr el Ghazal", "du Barh El Gazel", "Barh El Gazel Province", False),
           ("BO", "Borkou", "Borkou", "du Borkou", "بوركو", True),
           ("CB", "Chari-Baguirmi", "Chari-Baguirmi", "du Chari-Baguirmi", "", True),
           ("EE", "Ennedi-Est", "Ennedi-Est", "de l'Ennedi-Est", "Ennedi East/East Ennedi", True),
           ("EO", "Ennedi-Ouest", "Ennedi-Ouest", "de l'Ennedi-Ouest", "Ennedi West/West Ennedi", True),
           ("GR", "Guéra", "Guéra", "du Guéra", "Guera Province", True),
           ("HL", "Hadjer-Lamis", "Hadjer-Lamis", "du Hadjer-Lamis", "Hadjer Lamis", True),
           ("KA", "Kanem", "Kanem", "du Kanem", "كانم", True),
           ("LC", "Lac Province", "Lac", "du Lac", "", False),
           ("LO", "Logone Occidental", "Logone-Occidental", "du Logone-Occidental", "Logone Occidental/"
            "Western Logone", True),
           ("LR", "Logone Oriental", "Logone-Oriental", "du Logone-Oriental", "Logone Oriental/Eastern Logone", True),
           ("MA", "Mandoul Province", "Mandoul", "du Mandoul", "", False),
           ("MC", "Moyen-Chari", "Moyen-Chari", "du Moyen-Chari", "Middle Chari", True),
           ("ME", "Mayo-Kebbi Est", "Mayo-Kebbi-Est", "du Mayo-Kebbi-Est", "Mayo-Kebbi Est/Mayo-Kebbi East", True),
           ("MO", "Mayo-Kebbi Ouest", "Mayo-Kebbi-Ouest", "du Mayo-Kebbi-Ouest", "Mayo-Kebbi Ouest/Mayo-Kebbi West",
            True),
           ("OD", "Ouaddaï", "Ouaddaï", "du Ouaddaï", "Ouaddai/Wadai/وداي", True),
           ("SA", "Salamat Province", "Salamat", "du Salamat", "", False),
           ("SI", "Sila Province", "Sila", "du Sila", "", False),
           ("TA", "Tandjilé", "Tandjilé", "de la Tandjilé", "Tandjile", True),
           ("TI", "Tibesti Province", "Tibesti", "du Tibesti", "", False),
           ("WF", "Wadi Fira", "Wadi Fira", "du Wadi Fira", "وادي فيرا", True))},
    # Burkina Faso's 13 regions as ISO 3166-2 lists them, under the names they took in July 2025, when the
    # country was divided into 17 regions named in its own languages (the four carved out then, Sirba, Soum,
    # Sourou and Tapoa, have no code yet and are left out; "Soum", "Sourou" and "Tapoa" are provinces too): "région
    # du Guiriko", and the former names the news of before writes, "région des Hauts-Bassins". Named like a river
    # ("Nakambé", "Nazinon": the White and Red Volta), a wider area ("Liptako", "Sahel"), a word ("Cascades",
    # "Centre", "Nord", "Est") or a person ("Nando", "Oubri") by their forms only; the compass's compounds
    # ("Centre-Nord", "Sud-Ouest": Cameroon's too) alone only in a Burkinabè context
    **{f"BF-{code}": (f"{new} Region", _as_names(
        [f"région {fr}", f"{new} Region (Burkina Faso)", f"Region {new}", f"región de {new}", *more.split("/")]
        + ([new] if alone else [])))
       for code, new, fr, alone, more in (
           ("01", "Bankui", "du Bankui", True, "Boucle du Mouhoun/région de la Boucle du Mouhoun/"
            "Boucle du Mouhoun Region"),
           ("02", "Tannounyan", "de la Tannounyan", True, "région des Cascades/Cascades Region"),
           ("03", "Kadiogo", "du Kadiogo", True, "région du Centre/?Centre Region"),
           ("04", "Nakambé", "du Nakambé", False, "Nakambe Region/?Centre-Est/région du Centre-Est/Centre-Est Region"),
           ("05", "Kuilsé", "du Kuilsé", True, "Kuilse/?Centre-Nord/région du Centre-Nord/Centre-Nord Region"),
           ("06", "Nando", "du Nando", False, "?Centre-Ouest/région du Centre-Ouest/Centre-Ouest Region"),
           ("07", "Nazinon", "du Nazinon", False, "?Centre-Sud/région du Centre-Sud/Centre-Sud Region"),
           ("08", "Goulmou", "du Goulmou", True, "région de l'Est/?Est Region"),
           ("09", "Guiriko", "du Guiriko", True, "Hauts-Bassins/région des Hauts-Bassins/Hauts-Bassins Region"),
           ("10", "Yaadga", "du Yaadga", True, "région du Nord/?Nord Region"),
           ("11", "Oubri", "de l'Oubri", False, "?Plateau-Central/région du Plateau-Central/Plateau-Central Region"),
           ("12", "Liptako", "du Liptako", False, "région du Sahel/Sahel Region (Burkina Faso)/?Sahel Region"),
           ("13", "Djôrô", "du Djôrô", True, "Djoro/?Sud-Ouest/région du Sud-Ouest/Sud-Ouest Region"))},
    # Libya's 22 districts (shabiyat), in English, French, German, Spanish and Arabic: "Misrata District", "district
    # de Misrata", "شعبية مصراتة"; all but Butnan, Nuqat al Khams and the two wadis named like their towns, a
    # mountain ("Jabal al Akhdar", Oman's too), a plain ("Jafara") or the oases ("Al Wahat") by their forms only
    **_table("LY", "{n}_District", "{n}_District district_{de} Distrikt_{n} Munizip_{n} distrito_de_{n}", """
BA -Benghazi/Banghazi/Bengasi شعبية_بنغازي
BU Butnan/Al_Butnan =Butnan شعبية_البطنان البطنان
DR -Derna/Darnah/Darna شعبية_درنة
GT -Ghat شعبية_غات
JA -Jabal_al_Akhdar/Al_Jabal_al_Akhdar =Jabal_al_Akhdar_District شعبية_الجبل_الأخضر
JG -Jabal_al_Gharbi/Al_Jabal_al_Gharbi/Nafusa_Mountains =Jabal_al_Gharbi_District شعبية_الجبل_الغربي
JI -Jafara/Jafarah/Al_Jafarah/Jfara شعبية_الجفارة
JU -Jufra/Jufrah/Al_Jufrah شعبية_الجفرة
KF -Kufra/Kufrah/Al_Kufrah شعبية_الكفرة
MB -Murqub/Al_Marqab/Marqab/Al_Murqub شعبية_المرقب
MI -Misrata/Misurata/Misratah شعبية_مصراتة
MJ -Marj/Al_Marj شعبية_المرج
MQ -Murzuq شعبية_مرزق
NL -Nalut شعبية_نالوت
NQ Nuqat_al_Khams/An_Nuqat_al_Khams شعبية_النقاط_الخمس النقاط_الخمس
SB -Sabha/Sebha شعبية_سبها
SR -Sirte/Surt شعبية_سرت
TB -Tripoli/Tarabulus =Tripoli_District_(Libya) شعبية_طرابلس
WA -Al_Wahat/Wahat شعبية_الواحات
WD Wadi_al_Hayat/Wadi_al-Hayaa شعبية_وادي_الحياة وادي_الحياة
WS Wadi_al_Shatii/Wadi_ash_Shati/Wadi_al_Shati شعبية_وادي_الشاطئ وادي_الشاطئ
ZA -Zawiya/Az_Zawiyah/Zawiyah/Zawia شعبية_الزاوية
"""),
})

MORE_SUBDIVISIONS.update({
    # Moldova's 32 districts (raioane), named like their towns, so by their forms only, in Romanian (with the "â"
    # of 1993 and the "î" of before, comma and cedilla letters, with and without diacritics), English, French,
    # German, Spanish and Russian: "raionul Cahul", "raionului Cahul", "Cahul District", "Кагульский район";
    # Gagauzia (its autonomous territorial unit) and Transnistria (the districts of the left bank of the Dniester,
    # as Moldova's law names them; ``_WIDER_REGIONS``' too). Chișinău, Bălți and Bender are the cities
    **_variants({f"MD-{code}": (f"{spellings.split('/')[0]} District", _as_names(
        [form for n in spellings.split("/") for form in (f"raionul {n}", f"raionului {n}", f"{n} District",
                                                         f"district de {n}", f"Rajon {n}", f"distrito de {n}")
         if form != f"{spellings.split('/')[0]} District"]
        + [f"{adjective} район" for adjective in ru.split("/")]))
        for code, spellings, ru in (
            ("AN", "Anenii Noi", "Новоаненский"), ("BS", "Basarabeasca", "Бессарабский"),
            ("BR", "Briceni", "Бричанский"), ("CA", "Cahul", "Кагульский"), ("CT", "Cantemir", "Кантемирский"),
            ("CL", "Călărași", "Каларашский"), ("CS", "Căușeni", "Каушанский"), ("CM", "Cimișlia", "Чимишлийский"),
            ("CR", "Criuleni", "Криулянский"), ("DO", "Dondușeni", "Дондюшанский"), ("DR", "Drochia", "Дрокиевский"),
            ("DU", "Dubăsari", "Дубоссарский"), ("ED", "Edineț", "Единецкий"), ("FA", "Fălești", "Фалештский"),
            ("FL", "Florești", "Флорештский"), ("GL", "Glodeni", "Глодянский"),
            ("HI", "Hîncești/Hâncești", "Хынчештский"), ("IA", "Ialoveni", "Яловенский"), ("LE", "Leova", "Леовский"),
            ("NI", "Nisporeni", "Ниспоренский"), ("OC", "Ocnița", "Окницкий"), ("OR", "Orhei", "Оргеевский"),
            ("RE", "Rezina", "Резинский"), ("RI", "Rîșcani/Râșcani", "Рышканский"),
            ("SI", "Sîngerei/Sângerei", "Сынжерейский"), ("SO", "Soroca", "Сорокский"),
            ("ST", "Strășeni", "Страшенский"), ("SD", "Șoldănești", "Шолданештский"),
            ("SV", "Ștefan Vodă", "Штефан-Водский/Штефан-Водэнский"), ("TA", "Taraclia", "Тараклийский"),
            ("TE", "Telenești", "Теленештский"), ("UN", "Ungheni", "Унгенский"))}
                | {"MD-GA": ("Gagauzia", "Găgăuzia Gagauz_Yeri Gagauziya UTA_Găgăuzia Unitatea_teritorială_autonomă_"
                                         "Găgăuzia Autonomous_Territorial_Unit_of_Gagauzia Gagausien Gagaouzie "
                                         "Гагаузия Гагаузія АТО_Гагаузия"),
                   "MD-SN": ("Transnistria", "Pridnestrovie Transnistrian_region stânga_Nistrului stînga_Nistrului "
                                             "regiunea_transnistreană Unitățile_administrativ-teritoriale_din_stînga_"
                                             "Nistrului Приднестровская_Молдавская_Республика "
                                             "Приднестровский_регион")},
                _latin_unmarked, _cedilla),
    # Bosnia and Herzegovina's two entities and Brčko District, and the Federation's 10 cantons (second-level, by
    # the codes BA-01…BA-10 ISO 3166-2 gave them, which pycountry does not list), in Bosnian, Croatian and Serbian
    # (Latin and Cyrillic, the cantons in three cases: "Tuzlanski kanton", "Tuzlanskog kantona", "u Tuzlanskom
    # kantonu"), English, German, French, Spanish and Russian; the cantons named like their city ("Sarajevo",
    # "Tuzla") or a wider area ("Posavina") and Canton 10 by their forms only; "Brčko" is the town
    **_variants({
        "BA-BIH": ("Federation of Bosnia and Herzegovina", "Federacija_Bosne_i_Hercegovine Federaciji_Bosne_i_"
                   "Hercegovine Federacije_Bosne_i_Hercegovine Federacija_BiH Federaciji_BiH Federacije_BiH FBiH "
                   "Федерација_Босне_и_Херцеговине Федерацији_БиХ Bosniak-Croat_Federation "
                   "Föderation_Bosnien_und_Herzegowina Fédération_de_Bosnie-et-Herzégovine "
                   "Federación_de_Bosnia_y_Herzegovina Федерация_Боснии_и_Герцеговины"),
        "BA-SRP": ("Republika Srpska", "Republike_Srpske Republici_Srpskoj Република_Српска Републике_Српске "
                   "Републици_Српској Republic_of_Srpska Serb_Republic Serbische_Republik République_serbe_de_Bosnie "
                   "República_Srpska Республика_Сербская Республіка_Сербська"),
        "BA-BRC": ("Brčko District", "Brčko_distrikt Brčko_Distrikt_BiH Distrikt_Brčko Brčko_distrikta "
                   "Брчко_дистрикт district_de_Brčko distrito_de_Brčko округ_Брчко"),
        **{f"BA-{code}": (english, _as_names(
            [*_serbian_cases(latin, "kanton"), *_serbian_cases(cyrillic, "кантон"), f"Kanton {de}",
             *filter(None, more.split("/")), *([bare] if bare else [])]))
           for code, english, latin, cyrillic, de, bare, more in (
               ("01", "Una-Sana Canton", "Unsko-sanski", "Унско-сански", "Una-Sana", "Una-Sana", ""),
               ("02", "Posavina Canton", "Posavski", "Посавски", "Posavina", "", "Županija_Posavska/Posavska_županija"),
               ("03", "Tuzla Canton", "Tuzlanski", "Тузлански", "Tuzla", "", ""),
               ("04", "Zenica-Doboj Canton", "Zeničko-dobojski", "Зеничко-добојски", "Zenica-Doboj", "Zenica-Doboj",
                ""),
               ("05", "Bosnian-Podrinje Canton Goražde", "Bosansko-podrinjski", "Босанско-подрињски", "Goražde", "",
                "Bosansko-podrinjski_kanton_Goražde/Босанско-подрињски_кантон_Горажде/Bosnian-Podrinje_Canton"),
               ("06", "Central Bosnia Canton", "Srednjobosanski", "Средњобосански", "Zentralbosnien", "Central Bosnia",
                "Kanton_Središnja_Bosna/Županija_Središnja_Bosna"),
               ("07", "Herzegovina-Neretva Canton", "Hercegovačko-neretvanski", "Херцеговачко-неретвански",
                "Herzegowina-Neretva", "Herzegovina-Neretva", "Hercegovačko-neretvanska_županija"),
               ("08", "West Herzegovina Canton", "Zapadnohercegovački", "Западнохерцеговачки", "Westherzegowina",
                "West Herzegovina", "Zapadnohercegovačka_županija/Županija_Zapadnohercegovačka"),
               ("09", "Sarajevo Canton", "Sarajevski", "Сарајевски", "Sarajevo", "",
                "Kanton_Sarajevo/Кантон_Сарајево/Canton_of_Sarajevo"),
               ("10", "Canton 10", "Livanjski", "Ливањски", "10", "",
                "Кантон_10/Hercegbosanska_županija/Herzeg-Bosnia_Canton/Livno_Canton"))}}, _unmarked),
    # Serbia's districts (okrugs; Belgrade is the city, Kosovo's five CLDR's, the seven in Vojvodina second-level,
    # in it), in Serbian (Latin, with and without diacritics, and Cyrillic, in three cases: "Zlatiborski okrug",
    # "Zlatiborskog okruga", "u Zlatiborskom okrugu"), English and German: "Zlatibor District", "Bezirk Zlatibor";
    # "Šumadija", "Srem", "Banat", "Bačka" (wider areas) and the towns never alone
    **_variants({f"RS-{code}": (f"{english} District", _as_names(
        [*_serbian_cases(latin), *_serbian_cases(cyrillic, "округ"), f"Bezirk {english}",
         f"district {_of(english)}", f"distrito de {english}", *filter(None, more.split("/"))]))
        for code, english, latin, cyrillic, more in (
            ("01", "North Bačka", "Severnobački", "Севернобачки", "North_Backa_District"),
            ("02", "Central Banat", "Srednjebanatski", "Средњебанатски", ""),
            ("03", "North Banat", "Severnobanatski", "Севернобанатски", ""),
            ("04", "South Banat", "Južnobanatski", "Јужнобанатски", ""),
            ("05", "West Bačka", "Zapadnobački", "Западнобачки", "West_Backa_District"),
            ("06", "South Bačka", "Južnobački", "Јужнобачки", "South_Backa_District"),
            ("07", "Srem", "Sremski", "Сремски", "Syrmia_District"),
            ("08", "Mačva", "Mačvanski", "Мачвански", ""),
            ("09", "Kolubara", "Kolubarski", "Колубарски", ""),
            ("10", "Podunavlje", "Podunavski", "Подунавски", ""),
            ("11", "Braničevo", "Braničevski", "Браничевски", ""),
            ("12", "Šumadija", "Šumadijski", "Шумадијски", ""),
            ("13", "Pomoravlje", "Pomoravski", "Поморавски", ""),
            ("14", "Bor", "Borski", "Борски", ""),
            ("15", "Zaječar", "Zaječarski", "Зајечарски", ""),
            ("16", "Zlatibor", "Zlatiborski", "Златиборски", ""),
            ("17", "Moravica", "Moravički", "Моравички", ""),
            ("18", "Raška", "Raški", "Рашки", ""),
            ("19", "Rasina", "Rasinski", "Расински", ""),
            ("20", "Nišava", "Nišavski", "Нишавски", ""),
            ("21", "Toplica", "Toplički", "Топлички", ""),
            ("22", "Pirot", "Pirotski", "Пиротски", ""),
            ("23", "Jablanica", "Jablanički", "Јабланички", ""),
            ("24", "Pčinja", "Pčinjski", "Пчињски", ""))}, _latin_unmarked),
})

MORE_SUBDIVISIONS.update({
    # Armenia's 10 provinces (marzer; Yerevan is the city), in English, Armenian, Russian, German and French:
    # "Syunik Province", "Սյունիքի մարզ", "Сюникская область", "Provinz Sjunik"; named like a town ("Ararat",
    # "Armavir", Russia's too), a mountain ("Ararat") or a given name ("Lori") by their forms only
    **{f"AM-{code}": (f"{en} Province" if not alone else en, _as_names(
        [form for n in [en, *filter(None, alt.split("/"))] for form in (f"{n} Province", f"{n} Region", f"{n} marz")]
        + [f"Provinz {de}", f"province {_of(fr)}", f"provincia de {en}", f"{hy}ի մարզ" if not hy.endswith("ու")
           else f"{hy} մարզ", f"{ru} область"] + ([en, hy_bare] if alone else [])))
       for code, en, alt, hy_bare, hy, ru, de, fr, alone in (
           ("AG", "Aragatsotn", "", "Արագածոտն", "Արագածոտն", "Арагацотнская", "Aragazotn", "Aragatsotn", True),
           ("AR", "Ararat", "", "Արարատ", "Արարատ", "Араратская", "Ararat", "Ararat", False),
           ("AV", "Armavir", "", "Արմավիր", "Արմավիր", "Армавирская", "Armawir", "Armavir", False),
           ("GR", "Gegharkunik", "Gegharkunik'", "Գեղարքունիք", "Գեղարքունիք", "Гехаркуникская", "Gegharkunik",
            "Gegharkunik", True),
           ("KT", "Kotayk", "Kotayk'", "Կոտայք", "Կոտայք", "Котайкская", "Kotajk", "Kotayk", True),
           ("LO", "Lori", "", "Լոռի", "Լոռու", "Лорийская", "Lori", "Lorri", False),
           ("SH", "Shirak", "", "Շիրակ", "Շիրակ", "Ширакская", "Schirak", "Shirak", True),
           ("SU", "Syunik", "Siunik", "Սյունիք", "Սյունիք", "Сюникская", "Sjunik", "Syunik", True),
           ("TV", "Tavush", "", "Տավուշ", "Տավուշ", "Тавушская", "Tawusch", "Tavush", True),
           ("VD", "Vayots Dzor", "", "Վայոց ձոր", "Վայոց ձոր", "Вайоцдзорская", "Wajoz Dsor", "Vayots Dzor",
            True))},
    # Uzbekistan's 12 regions (viloyatlar; Tashkent is the city) and the Republic of Karakalpakstan, in English,
    # Uzbek (Latin, with each of the apostrophes it is typed with, and Cyrillic), Russian, German and French:
    # "Samarkand Region", "Samarqand viloyati", "Самарқанд вилояти", "Самаркандская область", "Gebiet Samarkand";
    # named like their cities, a river ("Kashkadarya", "Syrdarya", "Surkhandarya"), a valley ("Fergana") or a
    # wider historical region ("Khorezm") by their forms only
    **{f"UZ-{code}": (f"{en} Region", _as_names(
        [form for n in [en, *filter(None, alt.split("/"))] for form in (f"{n} Region", f"{n} Province")][1:]
        + [f"{n} viloyati" for n in {uz, uz.replace("‘", "'"), uz.replace("‘", "ʻ"), uz.replace("‘", "")}]
        + [f"{uzc} вилояти", f"{ru} область", f"Gebiet {de}", f"Provinz {de}", f"région {_of(fr)}",
           f"province {_of(fr)}", f"provincia de {en}"]))
       for code, en, alt, uz, uzc, ru, de, fr in (
           ("AN", "Andijan", "Andijon", "Andijon", "Андижон", "Андижанская", "Andijon", "Andijan"),
           ("BU", "Bukhara", "Buxoro", "Buxoro", "Бухоро", "Бухарская", "Buxoro", "Boukhara"),
           ("FA", "Fergana", "Ferghana/Farg‘ona/Farg'ona", "Farg‘ona", "Фарғона", "Ферганская", "Fargʻona",
            "Ferghana"),
           ("JI", "Jizzakh", "Jizzax/Jizakh", "Jizzax", "Жиззах", "Джизакская", "Jizzax", "Djizak"),
           ("NG", "Namangan", "", "Namangan", "Наманган", "Наманганская", "Namangan", "Namangan"),
           ("NW", "Navoiy", "Navoi", "Navoiy", "Навоий", "Навоийская", "Navoiy", "Navoï"),
           ("QA", "Kashkadarya", "Qashqadaryo", "Qashqadaryo", "Қашқадарё", "Кашкадарьинская", "Qashqadaryo",
            "Kachkadaria"),
           ("SA", "Samarkand", "Samarqand", "Samarqand", "Самарқанд", "Самаркандская", "Samarqand", "Samarcande"),
           ("SI", "Syrdarya", "Sirdaryo", "Sirdaryo", "Сирдарё", "Сырдарьинская", "Sirdaryo", "Syr-Daria"),
           ("SU", "Surkhandarya", "Surxondaryo", "Surxondaryo", "Сурхондарё", "Сурхандарьинская", "Surxondaryo",
            "Sourkhan-Daria"),
           ("TO", "Tashkent", "Toshkent", "Toshkent", "Тошкент", "Ташкентская", "Taschkent", "Tachkent"),
           ("XO", "Khorezm", "Xorazm/Khorazm", "Xorazm", "Хоразм", "Хорезмская", "Choresm", "Khorezm"))},
    "UZ-QR": ("Karakalpakstan", "Republic_of_Karakalpakstan Karakalpakistan Qoraqalpog‘iston Qoraqalpog'iston "
                                "Qoraqalpogʻiston Qoraqalpog‘iston_Respublikasi Qoraqalpog'iston_Respublikasi "
                                "Қорақалпоғистон Каракалпакстан Республика_Каракалпакстан Karakalpakien "
                                "Karakalpakstan_Republic"),
    # Azerbaijan's 59 districts (rayonlar) outside Nakhchivan (whose 7 are second-level, in it; its cities are the
    # cities) and the Nakhchivan Autonomous Republic, in Azerbaijani, English, French, Spanish and Russian: "Şuşa
    # rayonu", "Shusha District", "Rayon Shusha", "Шушинский район"; each named like its town (or a peninsula:
    # "Absheron"), so by its forms only, as "Nakhchivan" (the city); "Salyan District" (Nepal's too) alone only in
    # an Azerbaijani context
    **{f"AZ-{code}": (f"{en.split('/')[0]} District", _as_names(
        [form for n in en.split("/") for form in (f"{n} District", f"{n} Rayon", f"Rayon {n}", f"district {_of(n)}",
                                                  f"distrito de {n}")][1:]
        + [f"{az} rayonu", *(f"{adjective} район" for adjective in ru.split("/"))]))
       for code, az, en, ru in (
           ("ABS", "Abşeron", "Absheron/Apsheron", "Абшеронский/Апшеронский"),
           ("AGA", "Ağstafa", "Agstafa/Aghstafa", "Агстафинский"), ("AGC", "Ağcabədi", "Aghjabadi", "Агджабединский"),
           ("AGM", "Ağdam", "Aghdam/Agdam", "Агдамский"), ("AGS", "Ağdaş", "Agdash/Aghdash", "Агдашский"),
           ("AGU", "Ağsu", "Agsu/Aghsu", "Агсуинский"), ("AST", "Astara", "Astara", "Астаринский"),
           ("BAL", "Balakən", "Balakan", "Балакенский"), ("BAR", "Bərdə", "Barda", "Бардинский"),
           ("BEY", "Beyləqan", "Beylagan", "Бейлаганский"), ("BIL", "Biləsuvar", "Bilasuvar", "Билясуварский"),
           ("CAB", "Cəbrayıl", "Jabrayil/Jabrail", "Джебраильский"),
           ("CAL", "Cəlilabad", "Jalilabad", "Джалилабадский"), ("DAS", "Daşkəsən", "Dashkasan", "Дашкесанский"),
           ("FUZ", "Füzuli", "Fuzuli", "Физулинский"), ("GAD", "Gədəbəy", "Gadabay", "Гедабекский"),
           ("GOR", "Goranboy", "Goranboy", "Геранбойский"), ("GOY", "Göyçay", "Goychay", "Гёйчайский/Геокчайский"),
           ("GYG", "Göygöl", "Goygol", "Гёйгёльский"), ("HAC", "Hacıqabul", "Hajigabul", "Гаджигабульский"),
           ("IMI", "İmişli", "Imishli", "Имишлинский"), ("ISM", "İsmayıllı", "Ismayilli", "Исмаиллинский"),
           ("KAL", "Kəlbəcər", "Kalbajar/Kelbajar", "Кельбаджарский"),
           ("KUR", "Kürdəmir", "Kurdamir", "Кюрдамирский"), ("LAC", "Laçın", "Lachin", "Лачинский"),
           ("LAN", "Lənkəran", "Lankaran", "Ленкоранский"), ("LER", "Lerik", "Lerik", "Лерикский"),
           ("MAS", "Masallı", "Masally", "Масаллинский"), ("NEF", "Neftçala", "Neftchala", "Нефтчалинский"),
           ("OGU", "Oğuz", "Oghuz", "Огузский"), ("QAB", "Qəbələ", "Gabala/Qabala", "Габалинский"),
           ("QAX", "Qax", "Gakh/Qakh", "Гахский"), ("QAZ", "Qazax", "Gazakh/Qazakh", "Газахский"),
           ("QBA", "Quba", "Guba/Quba", "Губинский"), ("QBI", "Qubadlı", "Gubadly/Qubadli", "Губадлинский"),
           ("QOB", "Qobustan", "Gobustan/Qobustan", "Гобустанский"), ("QUS", "Qusar", "Gusar/Qusar", "Гусарский"),
           ("SAB", "Sabirabad", "Sabirabad", "Сабирабадский"), ("SAK", "Şəki", "Shaki/Sheki", "Шекинский"),
           ("SAL", "Salyan", "Salyan", "Сальянский"), ("SAT", "Saatlı", "Saatly", "Саатлинский"),
           ("SBN", "Şabran", "Shabran", "Шабранский"), ("SIY", "Siyəzən", "Siyazan", "Сиазаньский"),
           ("SKR", "Şəmkir", "Shamkir", "Шамкирский"), ("SMI", "Şamaxı", "Shamakhi", "Шемахинский"),
           ("SMX", "Samux", "Samukh", "Самухский"), ("SUS", "Şuşa", "Shusha", "Шушинский"),
           ("TAR", "Tərtər", "Tartar/Terter", "Тертерский"), ("TOV", "Tovuz", "Tovuz", "Товузский"),
           ("UCA", "Ucar", "Ujar", "Уджарский"), ("XAC", "Xaçmaz", "Khachmaz", "Хачмазский"),
           ("XCI", "Xocalı", "Khojaly", "Ходжалинский"), ("XIZ", "Xızı", "Khizi", "Хызынский"),
           ("XVD", "Xocavənd", "Khojavend", "Ходжавендский"), ("YAR", "Yardımlı", "Yardimli", "Ярдымлинский"),
           ("YEV", "Yevlax", "Yevlakh", "Евлахский"), ("ZAN", "Zəngilan", "Zangilan", "Зангеланский"),
           ("ZAQ", "Zaqatala", "Zagatala/Zaqatala", "Закатальский"), ("ZAR", "Zərdab", "Zardab", "Зардабский"))},
    "AZ-NX": ("Nakhchivan Autonomous Republic", "Naxçıvan_Muxtar_Respublikası Naxçıvan_MR Nakhichevan_Autonomous_"
                                                "Republic Autonome_Republik_Nachitschewan République_autonome_du_"
                                                "Nakhitchevan República_Autónoma_de_Najicheván "
                                                "Нахичеванская_Автономная_Республика Нахчыванская_Автономная_"
                                                "Республика Nakhchivan_exclave"),
})
MORE_SUBDIVISIONS["AZ-SAL"] = ("Salyan District (Azerbaijan)", "?Salyan_District Salyan_Rayon Rayon_Salyan "
                                                              "district_de_Salyan distrito_de_Salyan Salyan_rayonu "
                                                              "Сальянский_район")


# Finland's regions in the cases the Finnish press writes them (as Turkey's "ili" and Poland's voivodeships are):
# the genitive ("Pirkanmaan", and "Pirkanmaan maakunta" in its cases) and the local cases, inner ("Lapissa",
# "Lappiin", "Lapista") or, for the lands in -maa, outer ("Uudellamaalla", "Pirkanmaalle", "Pohjanmaalta"); the
# genitive "Lapin" (a rabbit in French) alone only in a Finnish context
_FINNISH_CASES = {
    "FI-02": "Etelä-Karjalan Etelä-Karjalassa Etelä-Karjalaan Etelä-Karjalasta",
    "FI-03": "Etelä-Pohjanmaan Etelä-Pohjanmaalla Etelä-Pohjanmaalle Etelä-Pohjanmaalta",
    "FI-04": "Etelä-Savon Etelä-Savossa Etelä-Savoon Etelä-Savosta",
    "FI-05": "Kainuun Kainuussa Kainuuseen Kainuusta",
    "FI-06": "Kanta-Hämeen Kanta-Hämeessä Kanta-Hämeeseen Kanta-Hämeestä",
    "FI-07": "Keski-Pohjanmaan Keski-Pohjanmaalla Keski-Pohjanmaalle Keski-Pohjanmaalta",
    "FI-08": "Keski-Suomen Keski-Suomessa Keski-Suomeen Keski-Suomesta",
    "FI-09": "Kymenlaakson Kymenlaaksossa Kymenlaaksoon Kymenlaaksosta",
    "FI-10": "?Lapin Lapissa Lappiin Lapista",
    "FI-11": "Pirkanmaan Pirkanmaalla Pirkanmaalle Pirkanmaalta",
    "FI-12": "Pohjanmaan Pohjanmaalla Pohjanmaalle Pohjanmaalta",
    "FI-13": "Pohjois-Karjalan Pohjois-Karjalassa Pohjois-Karjalaan Pohjois-Karjalasta",
    "FI-14": "Pohjois-Pohjanmaan Pohjois-Pohjanmaalla Pohjois-Pohjanmaalle Pohjois-Pohjanmaalta",
    "FI-15": "Pohjois-Savon Pohjois-Savossa Pohjois-Savoon Pohjois-Savosta",
    "FI-16": "Päijät-Hämeen Päijät-Hämeessä Päijät-Hämeeseen Päijät-Hämeestä",
    "FI-17": "Satakunnan Satakunnassa Satakuntaan Satakunnasta",
    "FI-18": "Uudenmaan Uudellamaalla Uudellemaalle Uudeltamaalta",
    "FI-19": "Varsinais-Suomen Varsinais-Suomessa Varsinais-Suomeen Varsinais-Suomesta",
}


def _finnish_cases(cases: str) -> str:
    """A region's cases of ``_FINNISH_CASES`` and "maakunta" after its genitive in the cases the press writes it
    ("Pirkanmaan maakunta", "maakunnan", "maakunnassa", "maakuntaan", "maakunnasta")."""
    genitive = cases.split()[0].lstrip("?")
    return " ".join([cases] + [f"{genitive}_{word}" for word in
                               "maakunta maakunnan maakunnassa maakuntaan maakunnasta".split()])


def _hungarian_cases(names: str) -> str:
    """A Hungarian county's names, each "Pest megye" and "Pest vármegye" also as the press writes it going in,
    coming out of it and of it ("Pest megyébe", "Pest megyéből", "Pest megyei"), and each name alone (one the
    county's table takes alone) also in the inessive, illative and elative, by the vowels of its last part
    ("Baranyában", "Baranyába", "Baranyából"; "Fejérben"; "Borsod-Abaúj-Zemplénben")."""
    out = names.split()
    for name in names.split():
        if name.endswith("megye"):
            out += [f"{name}i", f"{name[:-1]}ébe", f"{name[:-1]}éből", f"{name[:-1]}ében"]
        elif "_" not in name:
            back = any(vowel in name.rsplit("-", 1)[-1] for vowel in "aáoóuú")
            stem = name[:-1] + {"a": "á", "e": "é"}[name[-1]] if name[-1] in "ae" else name
            out += [stem + ending for ending in (("ban", "ba", "ból") if back else ("ben", "be", "ből"))]
    return " ".join(dict.fromkeys(out))


MORE_SUBDIVISIONS.update({code: (english, _hungarian_cases(f"{english.replace(' ', '_')} {others}")
                                 if code.startswith("HU-") else f"{others} {_finnish_cases(_FINNISH_CASES[code])}")
                          for code, (english, others) in MORE_SUBDIVISIONS.items()
                          if code.startswith("HU-") or code in _FINNISH_CASES})


MORE_SUBDIVISIONS.update({
    # The United Kingdom's second-level units as ISO 3166-2:GB codes them (pycountry's list): England's 25 two-tier
    # counties, its unitary authorities that are a county or a district of several towns ("Cornwall", "Medway"),
    # the metropolitan boroughs and London boroughs not named like a town, Wales's 22 principal areas and
    # Scotland's 32 council areas (in English, Welsh or Gaelic, and in German, French, Spanish, Italian and
    # Russian where they differ), Northern Ireland's 11 districts. Left out, on purpose: the unitary authorities,
    # metropolitan boroughs and London boroughs named like their town or city ("Leeds", "Derby", "Croydon",
    # Scotland's four cities, Cardiff, Swansea, Newport, Belfast), which the news means by the town; the ceremonial
    # and metropolitan counties that have no code of their own ("Greater Manchester", "West Yorkshire") are
    # regions of ``places._WIDER_REGIONS``, with GB as their country. A county named like a city a table has, a
    # name several cities share or a city of 15,000 people bears ("Kent": Washington's and Ohio's; "Surrey",
    # British Columbia's city; "Norfolk", Virginia's and Norfolk Island's; "Essex", Maryland's) is "?": read from
    # the rest of the document (``CONTEXT_NAMES``), and then named with its country ("Kent (England)"); one named
    # like its own town ("Durham", "Wrexham", "Falkirk") goes by its forms only ("County Durham", "Wrexham County
    # Borough"). Cumbria, North Yorkshire and Somerset are two-tier counties as pycountry still lists them.
    **_table("GB", "{n}", "Grafschaft_{n}", """
CAM Cambridgeshire
CMA Cumbria Камбрия
DBY Derbyshire Дербишир
DEV Devon Девон
DOR Dorset Дорсет
ESS ?Essex =Essex_(England) ?Эссекс
ESX East_Sussex Sussex_de_l'Est Sussex_Oriental Восточный_Суссекс
GLS Gloucestershire Глостершир
HAM Hampshire Хэмпшир
HRT Hertfordshire Хартфордшир
KEN ?Kent =Kent_(England) ?Кент
LAN Lancashire Ланкашир
LEC Leicestershire Лестершир
LIN Lincolnshire Линкольншир
NFK ?Norfolk =Norfolk_(England) ?Норфолк
NTT Nottinghamshire Ноттингемшир
NYK North_Yorkshire Yorkshire_du_Nord Северный_Йоркшир
OXF Oxfordshire Оксфордшир
SFK ?Suffolk =Suffolk_(England) ?Суффолк
SOM ?Somerset =Somerset_(England) ?Сомерсет
SRY ?Surrey =Surrey_(England) ?Суррей
STS Staffordshire Стаффордшир
WAR Warwickshire Уорикшир
WOR Worcestershire Вустершир
WSX West_Sussex Sussex_de_l'Ouest Sussex_Occidental Западный_Суссекс
BAS Bath_and_North_East_Somerset
BBD Blackburn_with_Darwen
BCP Bournemouth,_Christchurch_and_Poole
BKM Buckinghamshire Бакингемшир
BNH Brighton_and_Hove
BRC Bracknell_Forest
CBF Central_Bedfordshire
CHE Cheshire_East
CHW Cheshire_West_and_Chester
CON ?Cornwall =Cornwall_(England) Cornouailles Cornualles Cornovaglia Корнуолл
DUR -Durham =County_Durham Co._Durham Co_Durham
ERY East_Riding_of_Yorkshire East_Riding
HAL Halton_Borough
HEF Herefordshire Херефордшир
IOS Isles_of_Scilly Scilly_Isles Îles_Scilly Islas_Sorlingas Isole_Scilly Острова_Силли
IOW Isle_of_Wight Île_de_Wight Isla_de_Wight Isola_di_Wight Остров_Уайт
MDW Medway
NBL Northumberland Нортумберленд
NEL North_East_Lincolnshire
NLN North_Lincolnshire
NNH North_Northamptonshire
NSM North_Somerset
RCC Redcar_and_Cleveland
RUT ?Rutland =Rutland_(England)
SGC South_Gloucestershire
SHR Shropshire Шропшир
TFW Telford_and_Wrekin
THR Thurrock
TOB Torbay
WBK West_Berkshire
WIL Wiltshire Уилтшир
WNH West_Northamptonshire
WNM Windsor_and_Maidenhead
"""),
    **_table("GB", "{n}", "", """
WOK -Wokingham =Wokingham_Borough
CLD Calderdale
KIR Kirklees
KWL Knowsley
SAW Sandwell
SFT Sefton
TAM Tameside
TRF Trafford
WRL Wirral
NTY North_Tyneside
STY South_Tyneside
KEC Kensington_and_Chelsea Royal_Borough_of_Kensington_and_Chelsea
TWH Tower_Hamlets
HMF Hammersmith_and_Fulham
BDG Barking_and_Dagenham
WFT Waltham_Forest
AGY Isle_of_Anglesey/Anglesey/Ynys_Môn/Sir_Ynys_Môn Англси
BGE -Bridgend =Bridgend_County_Borough
BGW Blaenau_Gwent
CAY -Caerphilly =Caerphilly_County_Borough
CGN Ceredigion/Sir_Ceredigion
CMN Carmarthenshire/Sir_Gaerfyrddin/Sir_Gâr
CWY Conwy Conwy_County_Borough
DEN Denbighshire/Sir_Ddinbych
FLN Flintshire/Sir_y_Fflint
GWN Gwynedd Гуинет
MON Monmouthshire/Sir_Fynwy
MTY -Merthyr_Tydfil =Merthyr_Tydfil_County_Borough
NTL Neath_Port_Talbot/Castell-nedd_Port_Talbot
PEM Pembrokeshire/Sir_Benfro Пембрукшир
POW Powys Поуис
RCT Rhondda_Cynon_Taf/Rhondda_Cynon_Taff/Rhondda_CynonTaf
TOF Torfaen/Tor-faen
VGL Vale_of_Glamorgan/The_Vale_of_Glamorgan/Bro_Morgannwg
WRX -Wrexham =Wrexham_County_Borough
ABD Aberdeenshire/Siorrachd_Obar_Dheathain Абердиншир
AGB Argyll_and_Bute/Earra-Ghàidheal_agus_Bòd
ANS ?Angus =Angus_(Scotland)
CLK Clackmannanshire
DGY Dumfries_and_Galloway/Dùn_Phris_is_Gall-Ghàidhealaibh
EAY East_Ayrshire
EDU East_Dunbartonshire
ELN East_Lothian
ELS Na_h-Eileanan_Siar/Eilean_Siar/Western_Isles/Outer_Hebrides Hébrides_extérieures Äußere_Hebriden
 Hébridas_Exteriores Ebridi_Esterne Внешние_Гебридские_острова
ERW East_Renfrewshire
FAL -Falkirk =Falkirk_council_area
FIF Fife/Fìobha Файф
HLD -Highland =Highland_council_area Highland_Council_area
IVC Inverclyde
MLN ?Midlothian =Midlothian_(Scotland)
MRY Moray/Moireibh
NAY North_Ayrshire
NLK North_Lanarkshire
ORK Orkney_Islands/Arcaibh ?Orkney Orkneyinseln Orcades Îles_Orcades Orcadas Isole_Orcadi Оркнейские_острова
PKN Perth_and_Kinross/Peairt_agus_Ceann_Rois
RFW Renfrewshire
SCB Scottish_Borders
SAY South_Ayrshire
SLK South_Lanarkshire
STG -Stirling =Stirling_council_area
WDU West_Dunbartonshire
WLN West_Lothian
ZET Shetland_Islands/Shetland/Sealtainn Shetlandinseln Îles_Shetland Islas_Shetland Isole_Shetland
 Шетландские_острова
ABC Armagh_City,_Banbridge_and_Craigavon/Armagh,_Banbridge_and_Craigavon
AND Ards_and_North_Down
ANN Antrim_and_Newtownabbey
CCG Causeway_Coast_and_Glens
DRS Derry_and_Strabane/Derry_City_and_Strabane
FMO Fermanagh_and_Omagh
LBC Lisburn_and_Castlereagh
MEA Mid_and_East_Antrim
MUL Mid-Ulster/Mid_Ulster
NMD Newry,_Mourne_and_Down
"""),
})

# Spain's and Italy's provinces (second-level, like France's departments), in English, Spanish, Catalan, Italian,
# German and French: "Province of Seville", "provincia de Sevilla", "província de Girona", "Seville province",
# "Provinz Sevilla", "province de Séville", "provincia di Siviglia". Most are named like their capital, which keeps
# the bare name ("Sevilla", "Bergamo"), so by these forms only; those named like no city ("Gipuzkoa", "Álava",
# "Monza e Brianza", "Verbano-Cusio-Ossola") alone too. A form another country's province shares ("provincia de
# Córdoba": Argentina's) is read from the document (``CONTEXT_NAMES``). ``pipeline.names.provinces_named`` keeps
# the word before a province the models leave out ("en la provincia de Sevilla": "Sevilla").
_SPANISH_FORMS = "Province_of_{n} {n}_province provincia_de_{n} província_{de} Provinz_{n} province_{de} provincia_di_{n}"
# Italy's provinces, and the forms the press still writes of a metropolitan city, a Sicilian free municipal
# consortium or a Friulian decentralisation entity, which were provinces until 2015-2020 ("provincia di Milano")
_ITALIAN_FORMS = "Province_of_{n} {n}_province provincia_di_{n} Provinz_{n} province_{de} provincia_de_{n}"
MORE_SUBDIVISIONS.update({
    # Spain's 50 provinces but the 7 that are an autonomous community of their own (Asturias, the Balearic Islands,
    # Cantabria, La Rioja, Madrid, Murcia, Navarre: their province's forms are the community's, below, one place in
    # the facet); "Biscay" alone, as English names the province, and "Araba" (a car in Turkish) by its forms only
    **_table("ES", "Province_of_{n}", _SPANISH_FORMS, """
C -A_Coruña/La_Coruña/Corunna/La_Corogne provincia_da_Coruña
VI Álava/Alava/-Araba Araba/Álava Araba-Álava
AB -Albacete
A -Alicante/Alacant
AL -Almería/Almeria
AV -Ávila/Avila
BA -Badajoz
B -Barcelona/Barcelone
BI Biscay/Bizkaia/Vizcaya/Biscaye/Biskaya
BU -Burgos
CC -Cáceres/Caceres
CA -Cádiz/Cadiz/Cadix
CS -Castellón/Castelló/Castellon
CR -Ciudad_Real
CO -Córdoba/Cordoba/Cordoue
CU -Cuenca
GI -Girona/Gerona/Gérone
GR -Granada/Grenade
GU -Guadalajara
SS Gipuzkoa/Guipúzcoa/Guipuzcoa
H -Huelva
HU -Huesca
J -Jaén/Jaen
GC -Las_Palmas
LE -León/Leon
L -Lleida/Lérida
LU -Lugo
MA -Málaga/Malaga
OR -Ourense/Orense
P -Palencia
PO -Pontevedra
SA -Salamanca/Salamanque
TF -Santa_Cruz_de_Tenerife
SG -Segovia/Ségovie
SE -Seville/Sevilla/Séville/Siviglia
SO -Soria
T -Tarragona/Tarragone
TE -Teruel
TO -Toledo/Tolède
V -Valencia/València
VA -Valladolid
ZA -Zamora
Z -Zaragoza/Saragossa/Saragosse/Saragozza
"""),
    # Italy's 80 provinces as ISO 3166-2 lists them (pycountry's; Sardinia's as its 2016 law drew them: Sassari,
    # Nuoro, Oristano, South Sardinia and Cagliari's metropolitan city. Its 2021 law, in force since 2025, made
    # Sassari a metropolitan city and carved out Gallura North-East Sardinia, Ogliastra, Medio Campidano and Sulcis
    # Iglesiente, which ISO has given no code yet and are left out; "città metropolitana di Sassari" is Sassari's)
    **_table("IT", "Province_of_{n}", _ITALIAN_FORMS, """
AL -Alessandria/Alexandrie
AN -Ancona/Ancône
AP -Ascoli_Piceno
AQ -L'Aquila provincia_dell'Aquila
AR -Arezzo
AT -Asti
AV -Avellino
BG -Bergamo/Bergame/Bérgamo
BI -Biella
BL -Belluno
BN -Benevento/Bénévent
BR -Brindisi
BS -Brescia
BT Barletta-Andria-Trani =Province_of_Barletta-Andria-Trani
CB -Campobasso
CE -Caserta/Caserte
CH -Chieti
CN -Cuneo/Coni
CO -Como/Côme
CR -Cremona/Crémone
CS -Cosenza
CZ -Catanzaro
FC Forlì-Cesena/Forli-Cesena =Province_of_Forlì-Cesena
FE -Ferrara/Ferrare
FG -Foggia
FM -Fermo
FR -Frosinone
GR -Grosseto
IM -Imperia
IS -Isernia
KR -Crotone
LC -Lecco
LE -Lecce
LI -Livorno/Livourne
LO -Lodi
LT -Latina
LU -Lucca/Lucques
MB Monza_and_Brianza/Monza_e_Brianza/Monza_e_della_Brianza/Monza-Brianza/Monza_und_Brianza/Monza_et_Brianza
 =Province_of_Monza_and_Brianza
MC -Macerata
MN -Mantua/Mantova/Mantoue
MO -Modena/Modène
MS Massa-Carrara/Massa_e_Carrara/Massa_Carrara =Province_of_Massa_and_Carrara
MT -Matera
NO -Novara/Novare
NU -Nuoro
OR -Oristano
PC -Piacenza/Plaisance
PD -Padua/Padova/Padoue
PE -Pescara
PG -Perugia/Pérouse
PI -Pisa/Pise
PO -Prato
PR -Parma/Parme
PT -Pistoia
PU Pesaro_and_Urbino/Pesaro_e_Urbino/Pesaro-Urbino =Province_of_Pesaro_and_Urbino
PV -Pavia/Pavie
PZ -Potenza
RA -Ravenna/Ravenne
RE -Reggio_Emilia/Reggio_nell'Emilia
RI -Rieti
RN -Rimini
RO -Rovigo
SA -Salerno/Salerne
SI -Siena/Sienne
SO -Sondrio
SP -La_Spezia provincia_della_Spezia
SS -Sassari città_metropolitana_di_Sassari Metropolitan_City_of_Sassari
SU Sud_Sardegna/-South_Sardinia/-Südsardinien =Province_of_South_Sardinia provincia_del_Sud_Sardegna
SV -Savona/Savone
TA -Taranto/Tarente
TE -Teramo
TR -Terni
TV -Treviso/Trévise
VA -Varese
VB Verbano-Cusio-Ossola =Province_of_Verbano-Cusio-Ossola provincia_del_Verbano-Cusio-Ossola
VC -Vercelli/Verceil
VI -Vicenza/Vicence
VR -Verona/Vérone
VT -Viterbo/Viterbe
VV -Vibo_Valentia
"""),
    # Italy's 14 metropolitan cities (the provinces of their cities until 2015): "città metropolitana di Milano"
    **_table("IT", "Metropolitan_City_of_{n}", "Metropolitan_City_of_{n} città_metropolitana_di_{n} "
                                               "{n}_metropolitan_city Metropolitanstadt_{n} ville_métropolitaine_{de} "
                                               "ciudad_metropolitana_de_{n} " + _ITALIAN_FORMS, """
TO -Turin/Torino/Turín
GE -Genoa/Genova/Genua/Gênes/Génova
MI -Milan/Milano/Mailand/Milán
VE -Venice/Venezia/Venedig/Venise/Venecia
BO -Bologna/Bologne/Bolonia
FI -Florence/Firenze/Florenz/Florencia
RM -Rome/Roma/Rom =Metropolitan_City_of_Rome_Capital città_metropolitana_di_Roma_Capitale
NA -Naples/Napoli/Neapel/Nápoles
BA -Bari
RC -Reggio_Calabria/Reggio_di_Calabria
PA -Palermo/Palerme
CT -Catania/Catane
ME -Messina/Messine
CA -Cagliari
"""),
    # Sicily's 6 free municipal consortia (its provinces until 2015, and again by name in the news)
    **_table("IT", "Free_Municipal_Consortium_of_{n}", "Free_Municipal_Consortium_of_{n} "
                                                       "libero_consorzio_comunale_di_{n} " + _ITALIAN_FORMS, """
AG -Agrigento/Agrigente
CL -Caltanissetta
EN -Enna
RG -Ragusa/Raguse
SR -Syracuse/Siracusa/Syrakus
TP -Trapani
"""),
    # Friuli-Venezia Giulia's 4 regional decentralisation entities (its provinces until 2017-2020, as the news
    # still names them)
    **_table("IT", "Province_of_{n}", "ente_di_decentramento_regionale_di_{n} " + _ITALIAN_FORMS, """
GO -Gorizia/Görz/Gorice
PN -Pordenone
TS -Trieste/Triest
UD -Udine
"""),
    # Trentino-Alto Adige's two autonomous provinces: South Tyrol (``places._WIDER_REGIONS``' name) and Trentino
    "IT-BZ": ("South Tyrol", "Alto_Adige/Südtirol Südtirol/Alto_Adige Sudtirolo Autonomous_Province_of_Bolzano "
                             "Autonomous_Province_of_South_Tyrol provincia_autonoma_di_Bolzano Provincia_di_Bolzano "
                             "Province_of_Bolzano Bolzano_province Autonome_Provinz_Bozen Provinz_Bozen "
                             "province_de_Bolzano province_autonome_de_Bolzano provincia_de_Bolzano "
                             "provincia_autónoma_de_Bolzano"),
    "IT-TN": ("Trentino", "Autonomous_Province_of_Trento provincia_autonoma_di_Trento provincia_di_Trento "
                          "Province_of_Trento Trento_province Autonome_Provinz_Trient Provinz_Trient Trentin "
                          "province_de_Trente province_autonome_de_Trente provincia_de_Trento "
                          "provincia_autónoma_de_Trento"),
})
# the provinces of the communities that are one province each: their forms are the community's
SUBDIVISIONS.update({code: (SUBDIVISIONS[code][0], " ".join([SUBDIVISIONS[code][1], *(
    form.format(n=name, de=_of(name)).replace(" ", "_") for name in names.split("/")
    for form in _SPANISH_FORMS.split())]))
    for code, names in (("ES-AS", "Asturias"), ("ES-IB", "Baleares/Islas_Baleares/Illes_Balears"),
                        ("ES-CB", "Cantabria"), ("ES-RI", "La_Rioja"), ("ES-MD", "Madrid"), ("ES-MC", "Murcia"),
                        ("ES-NC", "Navarra/Navarre"))})
# the codes of those provinces and communities: the forms ``pipeline.names.provinces_named`` looks for
PROVINCES = frozenset(code for code in MORE_SUBDIVISIONS if code[:3] in ("ES-", "IT-")) | {
    "ES-AS", "ES-IB", "ES-CB", "ES-RI", "ES-MD", "ES-MC", "ES-NC"}


def _context_names(tables: dict[str, tuple[str, str]]) -> tuple[dict[str, tuple[str, str]], dict[str, list[str]]]:
    """``tables`` without the names two regions share and those marked "?" (a region's name, or one of its forms,
    that the rest of a document must confirm: "Limburg", Dutch or Belgian; "Lapland", Finland's or the north's), and
    those names: casefolded name → the codes of the regions bearing it, which ``pipeline.places`` reads from the
    document's other places. A region's English name is always its own."""
    bearers: dict[str, list[str]] = {}
    marked = set()
    for code, (_, others) in tables.items():
        for name in others.split():
            key = name.lstrip("?").replace("_", " ").casefold()
            if name.startswith("?"):
                marked.add(key)
            if code not in bearers.setdefault(key, []):
                bearers[key].append(code)
    english = {name.casefold() for name, _ in tables.values()}
    context = {key: codes for key, codes in bearers.items()
               if key not in english and (len(codes) > 1 or key in marked)}
    out = {}
    for code, (name, others) in tables.items():
        kept = [n for n in others.split() if (key := n.lstrip("?").replace("_", " ").casefold()) not in context
                and (key not in english or key == name.casefold())]      # another's English name is its own
        out[code] = (name, " ".join(kept))
    return out, context


def _polish_cases(names: str) -> str:
    """A voivodeship's names with "województwo mazowieckie" also in the genitive and the locative the press writes
    ("województwa mazowieckiego", "w województwie mazowieckim"); each adjective ends in "-kie"."""
    more = [f"województwa_{adjective[:-2]}iego województwie_{adjective[:-1]}m"
            for name in names.split() if name.startswith("województwo_") and (adjective := name[12:]).endswith("kie")]
    return " ".join([names, *more])


# and the locatives of their other names: "na Mazowszu", "w Małopolsce", "na Dolnym Śląsku"
_POLISH_LOCATIVES = {"PL-02": "Dolnym_Śląsku", "PL-12": "Małopolsce", "PL-14": "Mazowszu", "PL-18": "Podkarpaciu",
                     "PL-20": "Podlasiu", "PL-30": "Wielkopolsce"}
SUBDIVISIONS.update({code: (english, f"{_polish_cases(others)} {_POLISH_LOCATIVES.get(code, '')}".strip())
                     for code, (english, others) in SUBDIVISIONS.items() if code.startswith("PL-")})

# Germany's 294 districts (Landkreise and Kreise, with Region Hannover, the Städteregion Aachen and the
# Regionalverband Saarbrücken) and Austria's 79 (Bezirke; not its 15 statutory cities, which are the cities, nor
# Vienna's 23 municipal districts), by the ISO 3166-2 code of their Land, one a line as the Land writes its name.
# ISO 3166-2 codes neither (only the Länder), so a district is keyed by its Land's code and its name ("DE-NI
# Landkreis Harburg"): ``places`` gives it its country, and reads a form two districts share ("Bezirk Bruck":
# Lower Austria's and Styria's) from the Land the rest of the document names. A line: "[+|?]Official name[ /
# other spelling…][ =a full other name…]". The name after "Landkreis", "Kreis" or "Bezirk" and each other
# spelling are taken in the forms the press writes ("Landkreis Harburg", "Kreis Harburg", "des Landkreises
# Harburg", "LK Harburg", "Harburg district"), never alone, as most of them are a town's or a city's name
# ("München", "Pinneberg", "Kufstein"); "+": the name is also taken alone, where no GeoNames place of 500 people or
# more and no other table bears it and it is no range, river, word or landscape reaching into another Land
# ("Vorpommern-Greifswald", "Emsland", "Pinzgau"; not "Harz", "Eichsfeld", "Börde", "Lippe", "Murtal");
# "?": every form only where the document's other places lie in the district's country (``CONTEXT_NAMES``:
# Switzerland's Aargau has a "Bezirk Baden" too). A name without a prefix ("Rhein-Sieg-Kreis", "Märkischer Kreis")
# is taken as it is and in its genitive ("des Rhein-Sieg-Kreises", "des Märkischen Kreises").
_DISTRICTS_BY_LAND = {
    "DE-BW": """
Alb-Donau-Kreis
Landkreis Biberach
Landkreis Böblingen
Bodenseekreis
+Landkreis Breisgau-Hochschwarzwald
Landkreis Calw
Landkreis Emmendingen
Enzkreis
Landkreis Esslingen / Eßlingen
Landkreis Freudenstadt
Landkreis Göppingen
Landkreis Heidenheim
Landkreis Heilbronn
Hohenlohekreis
Landkreis Karlsruhe
Landkreis Konstanz
Landkreis Lörrach
Landkreis Ludwigsburg
Main-Tauber-Kreis
Neckar-Odenwald-Kreis
Ortenaukreis
Ostalbkreis
Landkreis Rastatt
Landkreis Ravensburg
Rems-Murr-Kreis
Landkreis Reutlingen
Rhein-Neckar-Kreis
Landkreis Rottweil
Landkreis Schwäbisch Hall
Schwarzwald-Baar-Kreis
Landkreis Sigmaringen
Landkreis Tübingen
Landkreis Tuttlingen
Landkreis Waldshut
Zollernalbkreis
""",
    "DE-BY": """
+Landkreis Aichach-Friedberg
Landkreis Altötting
+Landkreis Amberg-Sulzbach
Landkreis Ansbach
Landkreis Aschaffenburg
Landkreis Augsburg
Landkreis Bad Kissingen
+Landkreis Bad Tölz-Wolfratshausen / Bad Tölz
Landkreis Bamberg
Landkreis Bayreuth
+Landkreis Berchtesgadener Land
Landkreis Cham
Landkreis Coburg
Landkreis Dachau
Landkreis Deggendorf
Landkreis Dillingen an der Donau / Dillingen / Dillingen a.d. Donau
+Landkreis Dingolfing-Landau
+Landkreis Donau-Ries
Landkreis Ebersberg
Landkreis Eichstätt
Landkreis Erding
+Landkreis Erlangen-Höchstadt
Landkreis Forchheim
Landkreis Freising
+Landkreis Freyung-Grafenau
Landkreis Fürstenfeldbruck
Landkreis Fürth
Landkreis Garmisch-Partenkirchen
Landkreis Günzburg
Landkreis Haßberge
Landkreis Hof
Landkreis Kelheim
Landkreis Kitzingen
Landkreis Kronach
Landkreis Kulmbach
Landkreis Landsberg am Lech / Landsberg
Landkreis Landshut
Landkreis Lichtenfels
Landkreis Lindau (Bodensee) / Lindau
+Landkreis Main-Spessart
Landkreis Miesbach
Landkreis Miltenberg
Landkreis Mühldorf am Inn / Mühldorf
Landkreis München
Landkreis Neu-Ulm
+Landkreis Neuburg-Schrobenhausen
Landkreis Neumarkt in der Oberpfalz / Neumarkt / Neumarkt i.d.OPf.
+Landkreis Neustadt an der Aisch-Bad Windsheim / Neustadt a.d. Aisch-Bad Windsheim / Neustadt/Aisch-Bad Windsheim
 / Neustadt
Landkreis Neustadt an der Waldnaab / Neustadt a.d. Waldnaab / Neustadt/Waldnaab / Neustadt
+Landkreis Nürnberger Land
+Landkreis Oberallgäu
+Landkreis Ostallgäu
Landkreis Passau
Landkreis Pfaffenhofen an der Ilm / Pfaffenhofen
Landkreis Regen
Landkreis Regensburg
+Landkreis Rhön-Grabfeld
Landkreis Rosenheim
Landkreis Roth
+Landkreis Rottal-Inn
Landkreis Schwandorf
Landkreis Schweinfurt
Landkreis Starnberg
+Landkreis Straubing-Bogen
Landkreis Tirschenreuth
Landkreis Traunstein
+Landkreis Unterallgäu
+Landkreis Weilheim-Schongau
+Landkreis Weißenburg-Gunzenhausen
Landkreis Wunsiedel im Fichtelgebirge / Wunsiedel
Landkreis Würzburg
""",
    "DE-BB": """
+Landkreis Barnim
+Landkreis Dahme-Spreewald
+Landkreis Elbe-Elster
+Landkreis Havelland
+Landkreis Märkisch-Oderland
+Landkreis Oberhavel
+Landkreis Oberspreewald-Lausitz
+Landkreis Oder-Spree
+Landkreis Ostprignitz-Ruppin
+Landkreis Potsdam-Mittelmark
+Landkreis Prignitz
+Landkreis Spree-Neiße
+Landkreis Teltow-Fläming
+Landkreis Uckermark
""",
    "DE-HE": """
Kreis Bergstraße
+Landkreis Darmstadt-Dieburg
Landkreis Fulda
Landkreis Gießen
Kreis Groß-Gerau
+Landkreis Hersfeld-Rotenburg
Hochtaunuskreis
Landkreis Kassel
Lahn-Dill-Kreis
+Landkreis Limburg-Weilburg
Main-Kinzig-Kreis
Main-Taunus-Kreis
+Landkreis Marburg-Biedenkopf
Odenwaldkreis
Kreis Offenbach
Rheingau-Taunus-Kreis
Schwalm-Eder-Kreis
Vogelsbergkreis
+Landkreis Waldeck-Frankenberg
Werra-Meißner-Kreis
Wetteraukreis
""",
    "DE-MV": """
Landkreis Rostock
+Landkreis Ludwigslust-Parchim
+Landkreis Mecklenburgische Seenplatte
+Landkreis Nordwestmecklenburg
+Landkreis Vorpommern-Greifswald
+Landkreis Vorpommern-Rügen
""",
    "DE-NI": """
+Landkreis Ammerland
Landkreis Aurich
Landkreis Celle
Landkreis Cloppenburg
Landkreis Cuxhaven
Landkreis Diepholz
+Landkreis Emsland
Landkreis Friesland
Landkreis Gifhorn
Landkreis Goslar
Landkreis Göttingen
+Landkreis Grafschaft Bentheim
+Landkreis Hameln-Pyrmont
Landkreis Harburg
Heidekreis =Landkreis_Heidekreis
Landkreis Helmstedt
Landkreis Hildesheim
Landkreis Holzminden
Landkreis Leer
+Landkreis Lüchow-Dannenberg
Landkreis Lüneburg
Landkreis Nienburg/Weser / Nienburg / Nienburg (Weser)
Landkreis Northeim
Landkreis Oldenburg
Landkreis Osnabrück
Landkreis Osterholz
Landkreis Peine
Landkreis Rotenburg (Wümme) / Rotenburg / Rotenburg/Wümme
Landkreis Schaumburg
Landkreis Stade
Landkreis Uelzen
Landkreis Vechta
Landkreis Verden
+Landkreis Wesermarsch
Landkreis Wittmund
Landkreis Wolfenbüttel
Region Hannover
""",
    "DE-NW": """
Kreis Borken
Kreis Coesfeld
Kreis Düren
Ennepe-Ruhr-Kreis
Kreis Euskirchen
Kreis Gütersloh
Kreis Heinsberg
Kreis Herford
Hochsauerlandkreis
Kreis Höxter
Kreis Kleve
Kreis Lippe
Märkischer Kreis
Kreis Mettmann
+Kreis Minden-Lübbecke
Oberbergischer Kreis
Kreis Olpe
Kreis Paderborn
Kreis Recklinghausen
Rhein-Erft-Kreis
Rheinisch-Bergischer Kreis
Rhein-Kreis Neuss =Kreis_Neuss
Rhein-Sieg-Kreis
+Kreis Siegen-Wittgenstein
Kreis Soest
Kreis Steinfurt
Kreis Unna
Kreis Viersen
Kreis Warendorf
Kreis Wesel
Städteregion Aachen =StädteRegion_Aachen
""",
    "DE-RP": """
Landkreis Ahrweiler
Landkreis Altenkirchen (Westerwald) / Altenkirchen
+Landkreis Alzey-Worms
Landkreis Bad Dürkheim
Landkreis Bad Kreuznach
+Landkreis Bernkastel-Wittlich
Landkreis Birkenfeld
+Landkreis Cochem-Zell
Donnersbergkreis
Eifelkreis Bitburg-Prüm =Landkreis_Bitburg-Prüm =Kreis_Bitburg-Prüm
Landkreis Germersheim
Landkreis Kaiserslautern
Landkreis Kusel
+Landkreis Mainz-Bingen
+Landkreis Mayen-Koblenz
Landkreis Neuwied
Rhein-Hunsrück-Kreis
Rhein-Lahn-Kreis
Rhein-Pfalz-Kreis
+Landkreis Südliche Weinstraße
+Landkreis Südwestpfalz
+Landkreis Trier-Saarburg
+Landkreis Vulkaneifel
Westerwaldkreis
""",
    "DE-SL": """
+Landkreis Merzig-Wadern
Landkreis Neunkirchen
Regionalverband Saarbrücken
Landkreis Saarlouis
Saarpfalz-Kreis
Landkreis St. Wendel / Sankt Wendel / St Wendel
""",
    "DE-SN": """
Landkreis Bautzen
Erzgebirgskreis
Landkreis Görlitz
Landkreis Leipzig
Landkreis Meißen
+Landkreis Mittelsachsen
+Landkreis Nordsachsen
+Landkreis Sächsische Schweiz-Osterzgebirge
Vogtlandkreis
Landkreis Zwickau
""",
    "DE-ST": """
Altmarkkreis Salzwedel
+Landkreis Anhalt-Bitterfeld
Landkreis Börde
Burgenlandkreis
Landkreis Harz
+Landkreis Jerichower Land
+Landkreis Mansfeld-Südharz
Saalekreis
Salzlandkreis
Landkreis Stendal
Landkreis Wittenberg
""",
    "DE-SH": """
+Kreis Dithmarschen
+Kreis Herzogtum Lauenburg
+Kreis Nordfriesland
+Kreis Ostholstein
Kreis Pinneberg
Kreis Plön
+Kreis Rendsburg-Eckernförde
+Kreis Schleswig-Flensburg
Kreis Segeberg
Kreis Steinburg
+Kreis Stormarn
""",
    "DE-TH": """
+Landkreis Altenburger Land
Landkreis Eichsfeld
Landkreis Gotha
Landkreis Greiz
Landkreis Hildburghausen
Ilm-Kreis
Kyffhäuserkreis
Landkreis Nordhausen
Saale-Holzland-Kreis
Saale-Orla-Kreis
+Landkreis Saalfeld-Rudolstadt
+Landkreis Schmalkalden-Meiningen
Landkreis Sömmerda
Landkreis Sonneberg
Unstrut-Hainich-Kreis
Wartburgkreis
+Landkreis Weimarer Land
""",
    "AT-1": """
+Bezirk Eisenstadt-Umgebung
Bezirk Güssing
Bezirk Jennersdorf
Bezirk Mattersburg
Bezirk Neusiedl am See / Neusiedl
Bezirk Oberpullendorf
Bezirk Oberwart
""",
    "AT-2": """
Bezirk Feldkirchen
Bezirk Hermagor
+Bezirk Klagenfurt-Land
Bezirk Sankt Veit an der Glan / St. Veit an der Glan / St. Veit / Sankt Veit
Bezirk Spittal an der Drau / Spittal
+Bezirk Villach-Land
Bezirk Völkermarkt
Bezirk Wolfsberg
""",
    "AT-3": """
Bezirk Amstetten
?Bezirk Baden
Bezirk Bruck an der Leitha / Bruck/Leitha / Bruck
Bezirk Gänserndorf
Bezirk Gmünd
Bezirk Hollabrunn
Bezirk Horn
Bezirk Korneuburg
+Bezirk Krems-Land
Bezirk Lilienfeld
Bezirk Melk
Bezirk Mistelbach
Bezirk Mödling
Bezirk Neunkirchen
+Bezirk Sankt Pölten-Land / St. Pölten-Land
Bezirk Scheibbs
Bezirk Tulln
Bezirk Waidhofen an der Thaya / Waidhofen/Thaya / Waidhofen
+Bezirk Wiener Neustadt-Land
Bezirk Zwettl
""",
    "AT-4": """
Bezirk Braunau am Inn / Braunau
Bezirk Eferding
Bezirk Freistadt
Bezirk Gmunden
Bezirk Grieskirchen
Bezirk Kirchdorf an der Krems / Kirchdorf
+Bezirk Linz-Land
Bezirk Perg
Bezirk Ried im Innkreis / Ried
Bezirk Rohrbach
Bezirk Schärding
+Bezirk Steyr-Land
+Bezirk Urfahr-Umgebung
Bezirk Vöcklabruck
+Bezirk Wels-Land
""",
    "AT-5": """
Bezirk Hallein =Tennengau
+Bezirk Salzburg-Umgebung =Flachgau
Bezirk Sankt Johann im Pongau / St. Johann im Pongau / St. Johann =Pongau
Bezirk Tamsweg =Lungau
Bezirk Zell am See =Pinzgau
""",
    "AT-6": """
+Bezirk Bruck-Mürzzuschlag / Bruck
Bezirk Deutschlandsberg
+Bezirk Graz-Umgebung
+Bezirk Hartberg-Fürstenfeld
Bezirk Leibnitz
Bezirk Leoben
Bezirk Liezen
Bezirk Murau
Bezirk Murtal
+Bezirk Südoststeiermark
Bezirk Voitsberg
Bezirk Weiz
""",
    "AT-7": """
Bezirk Imst
+Bezirk Innsbruck-Land
Bezirk Kitzbühel
Bezirk Kufstein
Bezirk Landeck
Bezirk Lienz
Bezirk Reutte
Bezirk Schwaz
""",
    "AT-8": """
Bezirk Bludenz
Bezirk Bregenz
Bezirk Dornbirn
Bezirk Feldkirch
""",
}
# the forms of a district's name after its prefix ("Harburg" of "Landkreis Harburg"), "{n}" the name
_DISTRICT_FORMS = {
    "DE": ("Landkreis_{n} Landkreises_{n} Kreis_{n} Kreises_{n} LK_{n} Lkr._{n} {n}_district {n}_District "
           "district_of_{n}"),
    "AT": "Bezirk_{n} Bezirks_{n} Bezirkes_{n} Bezirkshauptmannschaft_{n} {n}_district {n}_District district_of_{n}",
}


def _genitive(name: str) -> str:
    """The genitive of a district's name that holds its "Kreis" or "Regionalverband" ("Rhein-Sieg-Kreises",
    "Märkischen Kreises", "Rhein-Kreises Neuss", "Regionalverbands Saarbrücken"); the name itself where it has
    none of them ("Region Hannover")."""
    words = name.split(" ")
    for i, word in enumerate(words):
        if word.casefold().endswith("kreis"):
            words[i] = word + "es"
            if i and words[i - 1].endswith("er") and word == "Kreis":      # "Märkischer Kreis"
                words[i - 1] = words[i - 1][:-2] + "en"
        elif word == "Regionalverband":
            words[i] = word + "s"
    return " ".join(words)


def _districts(lands: dict[str, str]) -> dict[str, tuple[str, str]]:
    """The districts of ``lands`` (Land code → lines, as ``_DISTRICTS_BY_LAND`` writes them): "CODE Official name"
    → (the official name, its other names as ``SUBDIVISIONS`` writes them). A "?" line's name is written with its
    country ("Bezirk Baden (AT)"), as each of its forms is one the document must confirm."""
    out = {}
    for land, rows in lands.items():
        for line in rows.strip().replace("\n / ", " / ").splitlines():
            mark = line[0] if line[0] in "+?" else ""
            head, *more = line.lstrip("+?").split(" =")
            official, *spellings = head.split(" / ")
            prefix, _, bare = official.partition(" ")
            names = [f"?{official}" if mark == "?" else official]
            if prefix in ("Landkreis", "Kreis", "Bezirk"):
                for spelt in [bare, *spellings]:
                    names += [form.replace("_", " ").format(n=spelt) for form in _DISTRICT_FORMS[land[:2]].split()]
                if mark == "+":
                    names.append(bare)
            else:
                names.append(_genitive(official))
            names += [name.replace("_", " ") for name in more]
            name = f"{official} ({land[:2]})" if mark == "?" else official
            others = [f"?{n}" if mark == "?" and not n.startswith("?") else n for n in dict.fromkeys(names)]
            out[f"{land} {official}"] = (name, _as_names([n for n in others if n != name]))
    return out


DISTRICTS = _districts(_DISTRICTS_BY_LAND)
# the Land of each district and of each Land, by the name ``places`` gives it: "Bavaria", "Landkreis Harburg" →
# "DE-BY", "DE-NI"; so a form two districts share is read from the Land the document names
LANDS: dict[str, str] = {
    "Baden-Württemberg": "DE-BW", "Bavaria": "DE-BY", "Berlin": "DE-BE", "Brandenburg": "DE-BB", "Bremen": "DE-HB",
    "Hamburg": "DE-HH", "Hesse": "DE-HE", "Lower Saxony": "DE-NI", "Mecklenburg-Vorpommern": "DE-MV",
    "North Rhine-Westphalia": "DE-NW", "Rhineland-Palatinate": "DE-RP", "Saarland": "DE-SL", "Saxony": "DE-SN",
    "Saxony-Anhalt": "DE-ST", "Schleswig-Holstein": "DE-SH", "Thuringia": "DE-TH",
    **{SUBDIVISIONS[f"AT-{n}"][0]: f"AT-{n}" for n in range(1, 10)},
    **{name: code.split()[0] for code, (name, _) in DISTRICTS.items()},
}


# the districts go through the same check: a form two of them share ("Bezirk Bruck", "Neunkirchen district": Saarland's
# and Lower Austria's) is read from the document
_ALL_REGIONS, CONTEXT_NAMES = _context_names({**SUBDIVISIONS, **MORE_SUBDIVISIONS, **DISTRICTS})
SUBDIVISIONS = {code: entry for code, entry in _ALL_REGIONS.items() if code not in DISTRICTS}
DISTRICTS = {code: _ALL_REGIONS[code] for code in DISTRICTS}
