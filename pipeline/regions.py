"""The first-level regions of the countries the news names most, as data for ``pipeline.places`` (``SUBDIVISIONS``:
ISO 3166-2 code → its English name and its other names), with the small helpers that write an oblast's, a krai's,
a prefecture's, a province's or a state's names in the forms the news uses. Kept apart from the place logic so
that ``places.py`` stays readable; its cache key covers this file too (``places._cache_file``)."""
from __future__ import annotations

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
    # France's departments; those named like a river, a mountain range, a word or another place by their forms only
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
                   "93 Seine-Saint-Denis 94 Val-de-Marne 95 Val-d'Oise"),
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
