"""Entity names: the rules that turn a recogniser's mentions into names a facet can show, one module of plain
functions over ``Mention`` lists that ``pipeline.entities.recognize`` applies in turn (tests: tests/test_entities.py).

- ``clean_name``: a mention's surface form tidied, or None for junk;
- mention fixes: ``split_at_breaks``, ``split_place_lists``, ``drop_headings``, ``join_dotted_names``, ``sentence_final_dots``,
  ``expand_acronyms`` (a defined acronym names its full name), ``drop_common_words``, ``people_without_digits``,
  ``known_organizations`` (well-known companies and platforms);
- language: ``german_nominative`` (declined German names), ``japanese_places``, ``apply_locale_names`` (CLDR:
  weekdays, languages, currencies, months, countries; German adjectives and words for people from a country;
  places in the genitive), ``place_gazetteer`` (countries and regions where a language has no model);
- configuration: ``apply_gazetteer`` (retype, drop, add) and ``apply_aliases`` (one name per entity: "U.S." →
  "United States"; ``alias_group`` gives a search every name an alias joins, and every country's name in every
  language).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from pipeline.settings.processing import EntitySettings
from pipeline.unionfind import components


@dataclass(frozen=True)
class Mention:
    text: str
    type: str        # one of ENTITY_TYPES
    start: int       # character offset in the text given to the recogniser
    end: int = -1    # offset just after the mention in that text (-1: start + len(text))

    @property
    def stop(self) -> int:
        return self.end if self.end >= 0 else self.start + len(self.text)





_EDGE_PUNCT = "\"'“”‘’„«»‹›()[]{}<>,.;:!?*#/\\|-–—_ \n\t·•"
_POSSESSIVE_RE = re.compile(r"(?:['’]s|['’])$", re.I)
_INNER_POSSESSIVE_RE = re.compile(r"(?<=[^\W\d_]{2})['’]s\s+(?=[^\W\d_])")
_LEADING_THE_RE = re.compile(r"^(?:the|a|an)\s+", re.I)
_HAS_LETTER_RE = re.compile(r"[^\W\d_]")
_WS_RE = re.compile(r"\s+")
# abbreviations that end names with their dot: company forms, Jr./St., and the AP style's US states ("Calif.")
_ABBREVIATIONS = frozenset(
    "Inc Corp Co Ltd Bros Jr Sr St Mt Ft Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Ky La Md Mass Mich Minn "
    "Miss Mo Mont Neb Nev Okla Ore Pa Tenn Vt Va Wash Wis Wyo".split())
_INITIALISM_RE = re.compile(r"(?<![^\W\d_])(?:[^\W\d_]\.){2,}$")


# lower-case words a name may start with ("von der Leyen", "de Gaulle", "bin Salman")
_NAME_PARTICLES = frozenset({"von", "van", "zu", "der", "den", "de", "des", "del", "della", "di", "da", "das",
                             "do", "dos", "du", "la", "le", "al", "el", "bin", "ibn", "ben", "ter", "ten", "af"})
# a title before a person's name (French, English, Spanish, German), followed by the capitalised name
_HONORIFIC_RE = re.compile(r"^(?:M\.|MM\.|Mmes?|Mlle|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Prof\.?|Sr\.|Sra\.|Srta\.|Herr|Frau)"
                           r"\s+(?=[^\W\d_])")
# a German role written before a person's name, as a word of its own or a compound's last part: "Digitalminister
# Karsten Wildberger", "Russlandexperte Nico Lange", "Fed-Vize Barr", "Usyk-Promoter Krassyuk"
_GERMAN_ROLE_RE = re.compile(
    r"^(?=[A-ZÄÖÜ])[\w-]*?(?i:minister|experte|promoter|vize|chef|sprecher|präsident|kanzler|trainer|kandidat|"
    r"politiker|direktor|leiter|manager|berater|anwalt|anwältin|stürmer|spieler|sänger|schauspieler|moderator|"
    r"reporter|redakteur|korrespondent|bürgermeister|gründer|rapper|influencer|autor)(?:in)?\s+(?=[A-ZÄÖÜ])")
# at a name's edges also symbols such as emoji and invisible format characters (CoreNLP keeps "Olaf Scholz 😀" whole)
_EDGE_CATEGORIES = {"So", "Sk", "Sm", "Cf", "Co", "Cc", "Zs"}


def _strip_edges(s: str) -> str:
    i, j = 0, len(s)
    while i < j and (s[i] in _EDGE_PUNCT or unicodedata.category(s[i]) in _EDGE_CATEGORIES):
        i += 1
    while j > i and (s[j - 1] in _EDGE_PUNCT or unicodedata.category(s[j - 1]) in _EDGE_CATEGORIES):
        j -= 1
    return s[i:j]


# Languages whose names of things go on in lower case after a capitalised head ("Commission européenne",
# "Organisation mondiale de la santé", "Banca centrale europea", "Cámara de los diputados", "Государственная дума",
# "Высший совет правосудия")
LOWER_TAIL_LANGUAGES = frozenset({"fr", "it", "es", "pt", "ca", "ro", "ru", "uk", "be", "bg", "pl", "cs", "sk"})
# what may still end such a mention and is not the name's: articles, prepositions, conjunctions, a verb's auxiliary
_TAIL_FUNCTION_WORDS = frozenset(
    "de du des la le les l d et à au aux en un une sur par pour dans avec qui que est a ont sont été "      # fr
    "di del della dei degli delle il lo i gli e al in con per che è ha hanno "                                # it
    "el los las y con por para es han "                                                                      # es
    "do da dos das o os as em no na nos nas um uma é foi "                                                   # pt
    "i amb els "                                                                                             # ca
    "și cu pe din la "                                                                                       # ro
    "и в во на по с со к о об от для из за при до "                                                          # ru
    "і та у з зі від "                                                                                       # uk
    "w we z ze na do od dla oraz "                                                                           # pl
    "a v ve s se ze k na pro od".split())                                                                    # cs sk


def _lower_tail_is_name(words: list[str]) -> bool:
    """Whether the lower-case words after a name's last capitalised word can be part of it: at most four, joined to
    it by nothing but spaces ('Just Do It" - en référence au slogan' is a name and the sentence around it)."""
    head = max((i for i, w in enumerate(words) if not w.islower()), default=-1)
    tail = words[head + 1:]
    return (head >= 0 and len(tail) <= 4 and _strip_edges(words[head]) == words[head]
            and all(_strip_edges(w) == w for w in tail[:-1]))


# a pure function of its arguments, called for the same mention by most of the rules and by the merge (~210 calls a
# document on the fundus corpus, under a fifth of them with arguments not seen before): the cache spares the repeats
@functools.lru_cache(maxsize=8192)
def clean_name(name: str, type: str | None = None, language: str = "") -> str | None:
    """Normalise a mention's surface form; None for junk (numbers, single characters, punctuation, "'s", words
    without a capital where the script has capitals: German adjectives such as "französischen", a stray "her").
    A title before a name goes ("M. Macron", "Mme Binet", "Dr. Weber"); lower-case words around it go too, but a
    person's name may start with a particle ("von der Leyen", "de Gaulle"): with ``type`` given and not a person,
    a leading "de la", "des" is the sentence's, not the name's ("de la Défense", "de Crimée"). In
    ``LOWER_TAIL_LANGUAGES`` a name of a thing keeps the lower-case words after it ("Union européenne"), all but
    function words at its end ("Commission de" → "Commission")."""
    whole = _WS_RE.sub(" ", name)
    if whole.lstrip().startswith("@"):
        return None       # a social media handle ("@RobertHahnFox21"), not a name
    s = _strip_edges(_SCORE_TAIL_RE.sub("", _without_cut_brackets(whole)))
    if type == "person":       # "Bryan Kohberger’s Pullman", "David Beckham's Studio": the person is the owner
        s = _INNER_POSSESSIVE_RE.split(s, 1)[0]
    s = _strip_edges(_POSSESSIVE_RE.sub("", s))
    s = _strip_edges(_LEADING_THE_RE.sub("", s))
    s = _strip_edges(_HONORIFIC_RE.sub("", s))
    if language == "de" and type == "person":
        s = _GERMAN_ROLE_RE.sub("", s)
    words = s.split(" ")
    particles = _NAME_PARTICLES if type in (None, "person") else frozenset()
    while len(words) > 1 and words[0].islower() and words[0] not in particles:
        words.pop(0)
    # the sentence's elided article: "l’Elysée" (also of "palais de l’Elysée"), "dell'Unione europea"
    words[0] = (_ELIDED_ARTICLE_RE if type not in (None, "person") else _ELIDED_L_RE).sub("", words[0])
    if language in LOWER_TAIL_LANGUAGES and type not in (None, "person") and _lower_tail_is_name(words):
        while len(words) > 1 and words[-1] in _TAIL_FUNCTION_WORDS:
            words.pop()
    else:
        while len(words) > 1 and words[-1].islower():
            words.pop()
    s = _strip_edges(" ".join(words))      # what stood before a dropped word ('Just Do It" - en référence…')
    if _INITIALISM_RE.search(s + ".") and s + "." in whole:   # "U.S.", "D.C.": the last dot is part of the name
        s += "."
    elif whole.rstrip().endswith(s + ".") and s.rsplit(" ", 1)[-1] in _ABBREVIATIONS:
        s += "."     # "Calif.", "Apple Inc.": the models end a mention with a dot only where it abbreviates
    if len(s) < 2 or len(s) > 100 or not _HAS_LETTER_RE.search(s):
        return None
    if s[0].islower() and not any(c.isupper() for c in s):
        return None
    letters = sum(1 for c in s if c.isalpha())
    if letters < 2 or letters < 0.5 * len(s.replace(" ", "")):
        return None
    if len(s.split()) > 8 or _SPANS_PHRASES_RE.search(s) or not (_quotes_balanced(s) or _quotes_balanced(whole)):
        return None    # 'LE POINT SUR LA SITUATION - «Nous', 'Alchemy” Swift': a span across a heading or a quote
    return s


# an elided article or preposition before a name, in lower case (French, Italian): "l'Amérique", "d’Ukraine",
# "dell'Unione europea", "all'Onu"; before a person's name only "l'" (a model reads "l’Elysée" as a person too), as
# "d'" may be the name's own ("d'Artagnan")
_ELIDED_ARTICLE_RE = re.compile(r"^(?:l|d|dell|all|dall|nell|sull|coll)['’](?=[^\W\d_])(?=[^a-zà-ÿ])")
_ELIDED_L_RE = re.compile(r"^l['’](?=[^\W\d_])(?=[^a-zà-ÿ])")
# a match score the model read into a name: "National League 5-3"
_SCORE_TAIL_RE = re.compile(r"\s+\d{1,2}\s?[-–:]\s?\d{1,2}\s*$")
# a separator between phrases inside a mention: " - ", " : ", " » ", " / "…
_SPANS_PHRASES_RE = re.compile(r"\s[-–—:|/»«]\s")


def _without_cut_brackets(s: str) -> str:
    """A name without an editor's square brackets ("[Yair] Lapid", or "Yair] Lapid" where the span began inside
    them) and without a parenthesis at its end ("Высший совет правосудия (ВСП)", "Europäische Zentralbank (EZB)":
    the short form is a mention of its own)."""
    if "[" in s or "]" in s:
        s = _WS_RE.sub(" ", s.replace("[", " ").replace("]", " ")).strip()
    return _TRAILING_PAREN_RE.sub("", s)


_TRAILING_PAREN_RE = re.compile(r"(?<=\S)\s*\([^()]*\)\s*$")


def _quotes_balanced(s: str) -> bool:
    """Whether the quotes and brackets in a name come in pairs ('Jame “Buffalo Bill” Gumb', '„Spiegel“ Verlag'; not
    'Renters (Reform'); a ’ alone is an apostrophe ("O’Neill")."""
    return (s.count('"') % 2 == 0 and sum(s.count(q) for q in "“”„") % 2 == 0 and s.count("«") == s.count("»")
            and s.count("‹") == s.count("›") and s.count("‘") <= s.count("’") and s.count("(") == s.count(")"))


# languages whose genitive is a bare -s ("Deutschlands", "Macrons"): such a form joins the entity it inflects
GENITIVE_S_LANGUAGES = frozenset({"de", "nl", "sv", "da", "no", "nb", "nn", "lb"})
# languages that decline names by case endings ("Вовка", "Вовку" of "Вовк"): such a form joins the entity it inflects
# where the text names it without the ending too
SLAVIC_CASE_LANGUAGES = frozenset({"ru", "uk", "be", "bg", "pl", "cs", "sk"})


# "Office for Budget Responsibility (OBR)", "Alternative für Deutschland (AfD)", "Rassemblement national (RN)"
_ACRONYM_DEF_RE = re.compile(r"((?:[^\W\d_][\w'’.-]*\s+){1,9})\(([A-Z][A-Za-z&]{1,7})\)")
# the part of it that every match holds: found much faster than the words before it are tried at every letter
_ACRONYM_PAREN_RE = re.compile(r"\(([A-Z][A-Za-z&]{1,7})\)")
_ACRONYM_WORD_CHARS = "_'’.-"    # beside letters and digits, what a word of _ACRONYM_DEF_RE may hold
# words that an acronym may leave out or take a letter from
_ACRONYM_OPTIONAL = frozenset("of for the and on in at to de du des la le les et d l y del di della e da do dos für "
                              "der die das des von und zu zur zum im am".split())


def _acronym_phrase(words: list[str], acronym: str) -> int | None:
    """Where in ``words`` the phrase starts whose initials spell ``acronym`` (case aside; a function word may give
    its letter or be left out; a hyphenated word gives its first letter), its first word capitalised; None if none."""
    letters = [c.lower() for c in acronym if c.isalpha()]

    def spells(i: int, k: int) -> bool:       # words[i:] spell letters[k:]
        if i == len(words):
            return k == len(letters)
        w = words[i]
        optional = w.lower() in _ACRONYM_OPTIONAL
        if k < len(letters) and w[0].lower() == letters[k] and spells(i + 1, k + 1):
            return True
        return optional and spells(i + 1, k)

    for start in range(len(words) - 1, -1, -1):
        if len(words) - start < len(letters) - 1:
            continue
        if words[start][0].isupper() and words[start].lower() not in _ACRONYM_OPTIONAL and spells(start, 0):
            return start
    return None


def _acronym_definitions(text: str):
    """The matches of ``_ACRONYM_DEF_RE.finditer(text)``, found from each "(ABC)" instead of tried at every letter of
    the text: a match ends at such a parenthesis and starts within the nine whitespace-separated runs of word
    characters before it, so the search is run from there (on the fundus corpus: 5 ms, not 1.9 s)."""
    end = 0     # where the last match ended: the next one starts there or later
    for paren in _ACRONYM_PAREN_RE.finditer(text):
        at = paren.start()
        if at < end:
            continue
        i, words, in_word = at, 0, False
        while i > end:                 # back over at most nine words and the spaces between them
            c = text[i - 1]
            if c.isspace():
                in_word = False
            elif c.isalnum() or c in _ACRONYM_WORD_CHARS:
                if not in_word:
                    if words == 9:
                        break
                    words, in_word = words + 1, True
            else:
                break
            i -= 1
        m = _ACRONYM_DEF_RE.search(text, i, paren.end())
        if m is not None:
            end = m.end()
            yield m


def expand_acronyms(mentions: list[Mention], text: str) -> list[Mention]:
    """An acronym the text defines ("the Office for Budget Responsibility (OBR)") names its entity by the full
    name: each later mention of the acronym takes the full name, and the mentions inside the definition (the model
    may cut it: "Constitutional Democratic Party" of "Constitutional Democratic Party of Japan (CDPJ)", or read the
    acronym apart) count once, as the full name; so the facet shows one entity with all its mentions. The type is
    that of a mention covering the full name, else of the acronym's own mentions, else of a mention covering half
    of the definition, else organisation (a part such as "Deutschland" of "Alternative für Deutschland" is no guide)."""
    if "(" not in text or not _ACRONYM_PAREN_RE.search(text):   # the definition's "(OBR)": without one, no scan
        return mentions
    defined: dict[str, tuple[str, int, int]] = {}   # acronym -> (full name, start, end of ")") of its definition
    for m in _acronym_definitions(text):
        acronym = m.group(2)
        if acronym in defined or sum(c.isupper() for c in acronym) < 2:
            continue
        words = m.group(1).split()
        start = _acronym_phrase(words, acronym)
        if start is not None:
            at = text.rfind(words[start], m.start(1), m.end(1))
            defined[acronym] = (" ".join(words[start:]), at, m.end())
    if not defined:
        return mentions

    def kind(acronym: str, phrase: str, a: int, b: int) -> str:
        cover = [x.type for x in mentions if x.start < b and x.stop > a and phrase in x.text]
        named = [x.type for x in mentions if clean_name(x.text, x.type) == acronym]
        part = [x.type for x in mentions if x.start < b and x.stop > a and 2 * len(x.text) >= len(phrase)]
        return (cover or named or part or ["organization"])[0]

    out, seen = [], set()
    for m in mentions:
        inside = next((k for k, (_, a, b) in defined.items() if m.start < b and m.stop > a), None)
        if inside is not None:
            if inside not in seen:      # the definition's mentions: one, named and typed by the full name
                seen.add(inside)
                phrase, a, b = defined[inside]
                out.append(Mention(phrase, kind(inside, phrase, a, b), a, a + len(phrase)))
        elif (name := clean_name(m.text, m.type) or "") in defined:       # "OBR", "the OBR"
            out.append(Mention(defined[name][0], m.type, m.start, m.stop))
        else:
            out.append(m)
    return out


# languages that capitalise common nouns: a capitalised word there says nothing about names
_NOUN_CAPITALISING = frozenset({"de", "lb"})


def _words_of_longer_people(mentions: list[Mention]) -> set[str]:
    """The words of the people's names of two words or more among ``mentions``: "Jeremy Hunt" makes "Hunt" (said
    alone) a surname, not the common word or the place it also is."""
    return {w for m in mentions if m.type == "person" and " " in m.text.strip() for w in m.text.split()}


def drop_common_words(mentions: list[Mention], text: str, language: str) -> list[Mention]:
    """A one-word misc mention that the same text also writes in lower case is a common word capitalised by a
    heading or a sentence's start ("Reviews", "Crime", "Series"), not a name. So is such a one-word person
    ("Order" of "executive order", "Shelter", "Bill" beside "the bill") unless it is a word of a longer person's
    name the text gives ("Jeremy Hunt" … "Hunt said" … "a hunt"), and a longer "person" every word of which the text
    writes in lower case too: a headline in title case ("Newborn Girl Found", "Sauna Journey"), unless its last word
    is a person's name of its own there ("Faith Hill" … "Hill said"). Not in German and Luxembourgish, which
    capitalise every noun."""
    if language in _NOUN_CAPITALISING:
        return mentions
    in_names = _words_of_longer_people(mentions)
    alone = {m.text.strip() for m in mentions if m.type == "person" and " " not in m.text.strip()}

    def lower_in_text(word: str) -> bool:
        lower = word.lower()
        return (word.isalpha() and word[:1].isupper() and word[1:].islower() and lower in text
                and re.search(rf"(?<!\w){re.escape(lower)}(?!\w)", text) is not None)

    out = []
    for m in mentions:
        words = (clean_name(m.text, m.type, language) or m.text).split()
        if len(words) == 1 and (m.type == "misc" or (m.type == "person" and words[0] not in in_names)):
            if lower_in_text(words[0]):
                continue
        elif len(words) > 1 and m.type == "person" and words[-1] not in alone and all(map(lower_in_text, words)):
            continue
        out.append(m)
    return out


def drop_headings(mentions: list[Mention], text: str) -> list[Mention]:
    """A mention of three words or more in capitals that is a whole line of the text is a heading the model read as a
    name ("MIDDLE EAST CRISIS", "GOING HOME TO DIE"), not one."""
    def heading(m: Mention) -> bool:
        words = m.text.split()
        if len(words) < 3 or not m.text.isupper():
            return False
        line_start = text.rfind("\n", 0, m.start) + 1
        line_end = text.find("\n", m.stop)
        return not text[line_start:m.start].strip() and not text[m.stop:None if line_end < 0 else line_end].strip()

    return [m for m in mentions if not heading(m)]


# lower-case words that join the parts of a title or a brand, never of one person's name ("Kate by Kate Moss",
# "Tom and Jerry"); not "y", "e", "of", which do ("José Ortega y Gasset", "Catherine of Aragon")
_NOT_IN_NAMES = frozenset({"by", "and", "for", "the", "with", "und", "für", "mit", "pour", "avec", "para", "con"})


def people_without_digits(mentions: list[Mention]) -> list[Mention]:
    """A person's name has no digits: a "person" with one is a thing the model misread ("COVID-19", "Sputnik 1",
    "Queen Elizabeth 2", the ship; "180 Kent", an address) and counts as misc. So does a "person" with a word that
    joins a title's or a brand's parts ("Kate by Kate Moss": ``_NOT_IN_NAMES``)."""
    def thing(m: Mention) -> bool:
        return m.type == "person" and (any(c.isdigit() for c in m.text)
                                       or any(w in _NOT_IN_NAMES for w in m.text.split()[1:-1]))

    return [Mention(m.text, "misc", m.start, m.stop) if thing(m) else m for m in mentions]


# Companies, platforms and agencies the news names daily and the models now and then read as a person, a place or
# misc ("Tiktok", "Temu", "Whatsapp" as people in German; "Twitter" as misc): named as such, in any case, they are
# organisations. A deployment's gazetteer still wins (it runs after this).
_KNOWN_ORGANIZATIONS = frozenset(n.casefold() for n in (
    "TikTok", "WhatsApp", "Facebook", "Instagram", "Telegram", "YouTube", "Twitter", "Snapchat", "Bluesky", "Reddit",
    "LinkedIn", "Google", "Alphabet", "Apple", "Microsoft", "Amazon", "Netflix", "Spotify", "Uber", "Airbnb", "Tesla",
    "SpaceX", "Starlink", "OpenAI", "Anthropic", "Nvidia", "Intel", "Samsung", "Huawei", "Xiaomi", "Alibaba", "Temu",
    "Shein", "AliExpress", "Tencent", "ByteDance", "PayPal", "Reuters", "Bloomberg", "Pfizer", "Moderna", "BioNTech",
    "AstraZeneca", "Boeing", "Airbus", "Volkswagen", "Gazprom", "Rosneft", "Roscosmos", "NASA", "Hamas", "Hamás",
    "Hisbollah", "Hezbollah", "Hizbollah"))
# ... of which these name places too: a "location" so named is left alone
_KNOWN_ORGANIZATIONS_ALSO_PLACES = frozenset({"amazon"})


# the words that begin or end a sports club's name and no one's: "Manchester United", "Nottingham Forest", "Real
# Madrid", "FC Barcelona", "Borussia Dortmund" (the models read clubs as people: "Manchester United said …")
_CLUB_FIRST_WORDS = frozenset({"fc", "afc", "sc", "sv", "ac", "as", "real", "atlético", "atletico", "borussia", "inter",
                               "sporting", "olympique", "dynamo", "dinamo", "racing", "rb", "vfb", "vfl", "tsg"})
_CLUB_LAST_WORDS = frozenset({"united", "city", "fc", "afc", "cf", "rovers", "wanderers", "athletic", "albion",
                              "hotspur", "rangers", "forest", "argyle", "orient", "hibernian", "wednesday"})


# the last words of an English name that make it a body of people, whatever comes before them: "Torry Harbour
# Residents Association", "North Sea Skills Alliance" (the small English model reads such names as places or misc);
# not "Union", "Bank", "Party", "Office" or "Service", which also end places and events ("Soviet Union", "West Bank")
_ORGANIZATION_LAST_WORDS = frozenset({
    "association", "alliance", "council", "society", "federation", "institute", "foundation", "agency", "committee",
    "commission", "authority", "ministry", "department", "university", "corporation", "inc", "ltd", "plc", "llc",
    "gmbh"})


def known_organizations(mentions: list[Mention]) -> list[Mention]:
    """A mention named as one of ``_KNOWN_ORGANIZATIONS`` is an organisation, whatever the model typed; so is a
    "person" named as a sports club (``_CLUB_FIRST_WORDS``, ``_CLUB_LAST_WORDS``), and a name of several words
    whose last word names a body of people (``_ORGANIZATION_LAST_WORDS``)."""
    def retype(m: Mention) -> Mention:
        if m.type == "organization":
            return m
        key = (clean_name(m.text, m.type) or "").casefold()
        words = key.split()
        if m.type == "person" and len(words) > 1 and (words[0] in _CLUB_FIRST_WORDS or words[-1] in _CLUB_LAST_WORDS):
            return Mention(m.text, "organization", m.start, m.stop)
        if len(words) > 1 and words[-1].strip(".") in _ORGANIZATION_LAST_WORDS:
            return Mention(m.text, "organization", m.start, m.stop)
        if key not in _KNOWN_ORGANIZATIONS or (m.type == "location" and key in _KNOWN_ORGANIZATIONS_ALSO_PLACES):
            return m
        return Mention(m.text, "organization", m.start, m.stop)

    return [retype(m) for m in mentions]


# two people in one span, joined by a slash: "Mathatisi Sebusi/Mohalenyane Phakela"
_PEOPLE_SLASH_RE = re.compile(r"(?<=[^\W\d_]{2})\s*/\s*(?=[A-ZÀ-Þ])")


def split_at_breaks(mentions: list[Mention]) -> list[Mention]:
    """A mention that runs across a line break is two: no name goes on from a heading into the next paragraph
    (CoreNLP's Italian tokenizer ignores ``ssplit.newlineIsSentenceBreak``: "Mosca" / "Dalla Tass …" came back as
    one place). So is a person's across a slash between two names (a byline's "Mathatisi Sebusi/Mohalenyane
    Phakela")."""
    out = []
    for m in mentions:
        breaks = [(b.start(), b.end()) for b in re.finditer(r"\n", m.text)]
        if m.type == "person":
            breaks += [(b.start(), b.end()) for b in _PEOPLE_SLASH_RE.finditer(m.text)]
        if not breaks:
            out.append(m)
            continue
        if "\n" in m.text and clean_name(m.text, m.type) is None:   # (clean_name reads a line break as a space)
            continue           # junk as a whole ('Désaccord total » Pour la syndicaliste'): no pieces of it either
        at = 0
        for a, b in sorted(breaks) + [(len(m.text), len(m.text))]:
            piece = m.text[at:a]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                start = m.start + at + lead
                out.append(Mention(piece.strip(), m.type, start, start + len(piece.strip())))
            at = b
    return out


# what joins two place names into one span: "Senegal y Malí", "Ruanda de Reino Unido", "France and Germany"
_PLACE_JOINER_RE = re.compile(r"\s+(?i:y|e|i|and|und|et|og|och|en|of|de|del|du|des|di|da|do)\s+")


def split_place_lists(mentions: list[Mention], language: str) -> list[Mention]:
    """A mention made of two places (countries, world regions, big cities; ``locale_names``) joined by a conjunction
    or preposition is the two places: "Senegal Y Malí" (a heading's capitals), "Ruanda de Reino Unido" (the UK's
    Rwanda plan), whatever the model typed the whole."""
    out = []
    for m in mentions:
        joiner = _PLACE_JOINER_RE.search(m.text) if " " in m.text.strip() else None
        if joiner is not None:
            places = _unaccented_places(language)
            left, right = m.text[:joiner.start()], m.text[joiner.end():]
            if (unaccented(left) in places and unaccented(right) in places
                    and not _PLACE_JOINER_RE.search(right)):
                out.append(Mention(left, "location", m.start, m.start + len(left)))
                out.append(Mention(right, "location", m.start + joiner.end(), m.start + len(m.text)))
                continue
        out.append(m)
    return out


def unaccented(name: str) -> str:
    """``name`` casefolded, without its edges' punctuation and without accents: "Malí" → "mali"."""
    return "".join(c for c in unicodedata.normalize("NFD", _strip_edges(name).casefold())
                   if not unicodedata.combining(c))


@functools.lru_cache(maxsize=64)
def _unaccented_places(language: str) -> frozenset:
    """``_place_names`` (countries, world regions and big cities of ``language`` and English), ``unaccented``."""
    return frozenset(unaccented(p) for p in _place_names(language))


def sentence_final_dots(mentions: list[Mention], text: str) -> list[Mention]:
    """A mention ending with a dot keeps it as an abbreviation's ("Calif.", "Apple Inc.": see ``clean_name``) unless
    the text goes on with a capital or ends there, where the dot ends the sentence."""
    out = []
    for m in mentions:
        if (m.text.endswith(".") and not _INITIALISM_RE.search(m.text) and 0 < m.stop <= len(text)
                and text[m.stop - 1] == "."):                       # "D.C." keeps its dot at a sentence's end too
            rest = text[m.stop:].lstrip()
            if not rest or rest[0].isupper():
                m = Mention(m.text[:-1], m.type, m.start, m.stop - 1)
        out.append(m)
    return out


_NAME_JOINERS = ("・", "･", "＝", "=")
_KATAKANA_RE = re.compile(r"[\u30a0-\u30ff]+")


def join_dotted_names(mentions: list[Mention], text: str) -> list[Mention]:
    """Two mentions in katakana with only a middle dot (or a double hyphen) between them are one person's name when
    either is a person: Japanese writes foreign names "アンゲラ・メルケル", and GiNZA reads each part alone (the given
    name now and then as a place)."""
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: m.start):
        prev = out[-1] if out else None
        if (prev is not None and "person" in (prev.type, m.type) and prev.stop < m.start
                and text[prev.stop:m.start] in _NAME_JOINERS
                and _KATAKANA_RE.fullmatch(prev.text) and _KATAKANA_RE.fullmatch(m.text)):
            out[-1] = Mention(text[prev.start:m.stop], "person", prev.start, m.stop)
        else:
            out.append(m)
    return out


# CLDR territory codes that name no place: European Union, eurozone, United Nations, unknown and pseudo regions
_NOT_PLACES = frozenset({"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"})


@functools.lru_cache(maxsize=64)
def locale_names(language: str) -> tuple[frozenset, frozenset, frozenset]:
    """``(places, not_names, days)`` for ``language``, casefolded, from the CLDR data babel ships, in that language
    and in English: the names of countries and territories; the names of languages, currencies (singular and
    plural, as CLDR writes them: "Euro", "US-Dollar", "dólares estadounidenses", and the unit word several of them
    share: "Dollar", "Pfund") and months; the names of weekdays."""
    from babel import Locale, UnknownLocaleError
    from babel.numbers import get_currency_name

    places, other, days = set(), set(), set()
    for code in dict.fromkeys((language, "en")):
        try:
            loc = Locale.parse(code)
        except (ValueError, TypeError, UnknownLocaleError):
            continue
        places |= {n.casefold() for k, n in loc.territories.items() if k.isalpha() and k not in _NOT_PLACES}
        other |= {n.casefold() for n in loc.languages.values()}
        other |= {n.casefold() for n in loc.currencies.values()}
        other |= {get_currency_name(c, count=2, locale=loc).casefold() for c in loc.currencies}
        # the unit word several currencies share ("Dollar" of "US-Dollar", "Kanadischer Dollar"…; "Pfund", "Krone")
        units = Counter(re.split(r"[\s-]", n)[-1].casefold() for n in loc.currencies.values() if re.search(r"[\s-]", n))
        other |= {u for u, k in units.items() if k >= 2 and len(u) > 2}
        other |= {n.casefold() for n in loc.months["format"]["wide"].values()}
        days |= {n.casefold() for n in loc.days["format"]["wide"].values()}
    return frozenset(places), frozenset(other - places), frozenset(days)


_LATIN_LETTER_RE = re.compile(r"[A-Za-zÀ-ɏ]")
# languages written without spaces between words: a name found inside a longer word could be another word's part
_UNSPACED_LANGUAGES = frozenset({"zh", "ja", "ko", "th", "lo", "km", "my"})


@functools.lru_cache(maxsize=64)
def place_gazetteer(language: str) -> dict[str, str]:
    """``{name: "location"}`` for every country and world region as CLDR writes it in ``language`` ("Duitsland",
    "Zuid-Amerika"): the places found in a language without a NER model
    (``processing.entities.places_without_model``). Empty for languages written without spaces and those babel does
    not know."""
    from babel import Locale, UnknownLocaleError

    if language in _UNSPACED_LANGUAGES or not re.fullmatch(r"[a-z]{2,3}", language or "") or language == "und":
        return {}
    try:
        names = Locale.parse(language).territories
    except (ValueError, TypeError, UnknownLocaleError):
        return {}
    return {n: "location" for code, n in names.items() if code not in _NOT_PLACES and code != "001"}


def places_in(text: str, places: dict[str, str]) -> dict[str, str]:
    """``places`` without the one-word names that ``text`` also writes in lower case: a common word there (Norwegian
    "Man", the Isle of Man, at the start of a sentence), not the place."""
    written = set(re.findall(r"\w+", text))
    return {n: t for n, t in places.items() if " " in n or n.lower() not in written}


# an article before a country's name: "La Chine", "L’Italie", "el Reino Unido", "die Schweiz"
_ARTICLE_RE = re.compile(r"^(?:(?:la|le|les|el|los|las|die|der|das|the)\s+|l['’])(?=\w)", re.I)


def apply_locale_names(mentions: list[Mention], language: str, text: str = "") -> list[Mention]:
    """The model's mentions set right by CLDR names (``locale_names``): a weekday is no entity ("Jeudi" read as a
    person at the start of a sentence); an organisation or misc mention that names a language, a currency or a
    month is none either ("Englisch", "Euro"), and one that names a country is a location ("Italia ha firmado…"
    read as an organisation); a country's name loses the article before it, whatever the type ("La Chine"). In
    German, a misc word made of a name and -er is its adjective, not a name ("Hamburger Hafen", "Schweizer
    Franken": gone when ``text`` also writes "Hamburg" as a word, or "Schweiz" is a country). A big city's name
    (``_cities``) typed as an organisation or misc is a location too ("Londres"). A one-word person named as a
    country, a world region or a big city is a location unless a longer person's name among ``mentions`` has that
    word ("Jim Jordan" … "Jordan said"); in a script other than the Latin one, where no one is named so, a person
    named as a country is a location whatever its words ("カタール", "Россия"); within a document,
    ``merge_mentions`` settles a name's type by the votes of its mentions."""
    places, other, days = locale_names(language)
    cities = _cities(language) if any(m.type in ("organization", "misc") for m in mentions) else frozenset()
    places_or_cities = _place_names(language)
    in_names = _words_of_longer_people(mentions)
    out = []
    for m in mentions:
        name = clean_name(m.text, m.type, language) or ""
        key = name.casefold()
        if key in days:
            continue
        if m.type in ("organization", "misc"):
            if key in other or (language == "de" and m.type == "misc"
                                and _german_adjective(name, places, other, text)):
                continue
            if key in places or key in cities:
                m = Mention(m.text, "location", m.start, m.stop)
        elif m.type == "person" and key in places and not _LATIN_LETTER_RE.search(name):
            m = Mention(m.text, "location", m.start, m.stop)      # "カタール", "Россия": no one's name
        elif m.type == "person" and " " not in name and key in places_or_cities and name not in in_names:
            m = Mention(m.text, "location", m.start, m.stop)
        if language == "de" and key not in places and key.endswith("n") and key[:-1] in places and name in m.text:
            at = m.start + m.text.index(name)    # "in den Niederlanden": the country's dative plural
            m = Mention(name[:-1], "location", at, at + len(name) - 1)
            name, key = name[:-1], key[:-1]
        if (language in GENITIVE_S_LANGUAGES and m.type in ("location", "organization", "misc")
                and key.endswith("s") and name in m.text and _genitive_place(key, language)):
            at = m.start + m.text.index(name)    # "Russlands", "Europas", "Berlins": the place in the genitive
            m = Mention(name[:-1], "location", at, at + len(name) - 1)
            name, key = name[:-1], key[:-1]
        bare = _ARTICLE_RE.sub("", name)
        at = m.text.find(bare) if bare != name and bare.casefold() in places else -1
        if at >= 0:
            m = Mention(bare, "location", m.start + at, m.start + at + len(bare))
        out.append(m)
    return out


# the endings of Japanese place names: prefecture, city, ward, town, district, sea, bay, port, station, airport,
# peninsula, strait, islands, state. Not 山, 川, 島, 村 or 田, which end many family names (中山, 中川, 小島, 中村)
_JA_PLACE_SUFFIX_RE = re.compile(r"(?:県|府|都|道|市|区|町|郡|灘|湾|港|駅|空港|半島|海峡|諸島|列島|州)$")


def japanese_places(mentions: list[Mention]) -> list[Mention]:
    """A Japanese "person" or misc mention whose name ends as place names do ("日向灘", "熊本市北区", "カリフォルニア
    州") is a location: GiNZA reads some places as people. Organisations keep their type ("横浜市" may be the
    city's government)."""
    return [Mention(m.text, "location", m.start, m.stop)
            if m.type in ("person", "misc") and len(m.text.strip()) >= 2 and _JA_PLACE_SUFFIX_RE.search(m.text.strip())
            else m for m in mentions]


# the word before a German name that declines its adjectives weakly to -en and leaves a singular or feminine noun
# as it is (dative, genitive): "der Deutschen Bank", "im Roten Meer", "zur Europäischen Union"; "des"/"eines" also
# put a genitive -s on a masculine or neuter noun ("des Roten Kreuzes"). Not "den", which is also the dative plural
# ("bei den Olympischen Spielen": the noun takes an -n too)
_WEAK_BEFORE_RE = re.compile(r"(?:^|\s)(der|des|dem|einer|eines|einem|zur|zum|im|am|vom|beim)\s+$", re.I)
_DECLINED_RE = re.compile(r"^[A-ZÄÖÜ][\w-]*[^\We]en$")
_PLACE_ADJECTIVE_RE = re.compile(r"^[A-ZÄÖÜ][\w-]*er$")


def german_nominative(mentions: list[Mention], text: str) -> list[Mention]:
    """German names of things in the nominative, as a sentence's subject writes them after "der/die/das": a name
    whose leading adjectives the word before it declined ("der Deutschen Bank", "des Statistischen Bundesamtes",
    "im Roten Meer") is named "Deutsche Bank", "Statistische Bundesamt", "Rote Meer", so that a facet counts one
    name, not one per case. The head noun loses the genitive -s/-es after "des"/"eines" ("Roten Kreuzes" → "Rote
    Kreuz", "Komitees" → "Komitee"). People, and names the text does not decline, are left as they are."""
    out = []
    for m in mentions:
        words = m.text.split()
        if m.type == "person" or len(words) < 2:
            out.append(m)
            continue
        context, i = text[max(0, m.start - 12):m.start], 0
        while i < len(words) - 1 and words[i].islower():    # the mention's own "der …"
            context, i = f"{context} {words[i]}", i + 1
        before = _WEAK_BEFORE_RE.search(context + " ")
        k = i     # the leading adjectives: declined ones, and place adjectives in -er ("Frankfurter Allgemeinen")
        while before and k < len(words) - 1 and (_DECLINED_RE.match(words[k]) or _PLACE_ADJECTIVE_RE.match(words[k])):
            k += 1
        declined = [j for j in range(i, k) if _DECLINED_RE.match(words[j])]
        if declined and words[k][:1].isupper():
            head = _without_genitive(words[k]) if before.group(1).lower() in ("des", "eines") else words[k]
            named = [w[:-1] if j in declined else w for j, w in enumerate(words[:k])]
            m = Mention(" ".join(named + [head] + words[k + 1:]), m.type, m.start, m.stop)
        out.append(m)
    return out


# the prepositions before a place ("in Bolton", "à Soumy", "en Garrucha"), never before a person; not German
# "nach" or "aus", which also mean "after" and "out of" ("nach Lindner": after him), nor Italian "a"
_PLACE_PREPOSITIONS = {"en": "in|near", "de": "in", "fr": "à|en", "es": "en", "it": "in", "pt": "em"}


# the words German writes before a district's name ("Landkreis Harburg", "im Kreis Pinneberg", "des Landkreises
# Ahrweiler", "Bezirk Kufstein"), which a model leaves out of the place it finds
_DISTRICT_BEFORE_RE = re.compile(r"(?<![\w-])(?:Landkreis(?:es)?|Kreis(?:es)?|LK|Lkr\.|Bezirk(?:e?s)?|"
                                 r"Bezirkshauptmannschaft|Regionalverband(?:e?s)?|Städteregion)\s+$")


def german_districts(mentions: list[Mention], text: str) -> list[Mention]:
    """A mention the text writes right after "Landkreis", "Kreis", "Bezirk"… ("Elmshorn (Kreis Pinneberg)") with
    that word: a location named as the places facet's district tables name it ("Kreis Pinneberg",
    ``pipeline.places``; the towns keep their own name), in whatever type the model gave it, and in the tables'
    nominative ("des Landkreises Ahrweiler": Landkreis Ahrweiler). A name the tables do not know with the word
    before it ("Bezirk Mitte") is left as it was."""
    out = []
    for m in mentions:
        before = _DISTRICT_BEFORE_RE.search(text, max(0, m.start - 40), m.start)
        if before:
            named = " ".join(text[before.start():m.stop].split())
            shown = _district_forms().get(named.casefold())
            if shown:      # named as the tables show it when that ends with the name ("LK Harburg": Landkreis Harburg)
                m = Mention(shown if shown.endswith(m.text) else named, "location", before.start(), m.stop)
        out.append(m)
    return out


@functools.lru_cache(maxsize=1)
def _district_forms() -> dict[str, str]:
    """Every form of a German or Austrian district (``pipeline.regions.DISTRICTS``), case aside -> the name the
    places facet shows: a small table, where ``pipeline.places.place_index`` would add ~100 MiB to each processing
    worker."""
    from pipeline.regions import DISTRICTS

    out: dict[str, str] = {}
    for name, others in DISTRICTS.values():
        for form in [name, *(other.replace("_", " ") for other in others.split())]:
            out.setdefault(form.lstrip("?").casefold(), name)
    return out


# how far before a mention the words of a province's name may start ("città metropolitana di ", "provincia
# autonoma di ") and after it they may end (" e Brianza", " province")
_PROVINCE_BEFORE = 40
_PROVINCE_AFTER = 30
_WORD_RE = re.compile(r"\w+")


def provinces_named(mentions: list[Mention], text: str) -> list[Mention]:
    """A mention that the text writes inside a longer form of a Spanish or Italian province (``_province_forms``)
    as that form, a location: the models keep only the city of "en la provincia de Sevilla", "in provincia di
    Bergamo", "the province of Bergamo", "Bergamo province", "Provinz Sevilla" ("Sevilla", "Bergamo"), which the
    places facet reads as the city; "Monza" and "Brianza" of "provincia di Monza e Brianza" are one. A location
    that holds words before the form ("Nella provincia autonoma di Trento", a capital at a sentence's start) is cut
    to it. A name the tables do not know with the word before it is left as it was, as ``german_districts`` does."""
    forms = _province_forms()
    words_of = _province_words()
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for m in mentions:
        if words_of.isdisjoint(w.casefold() for w in _WORD_RE.findall(m.text)):
            out.append(m)       # no word of a province's name: most mentions, passed at once
            continue
        starts = [w.start() for w in _WORD_RE.finditer(text, max(0, m.start - _PROVINCE_BEFORE), m.start)]
        if m.type == "location":
            starts += [w.start() for w in _WORD_RE.finditer(text, m.start, m.stop)]
        ends = [m.stop] + [w.end() for w in _WORD_RE.finditer(text, m.stop, m.stop + _PROVINCE_AFTER)]
        found = [(s, e) for s in [m.start, *starts] for e in ends
                 if (s < m.start or e > m.stop or " " in text[s:e]) and _province_key(text[s:e]) in forms]
        if found:
            s, e = max(found, key=lambda span: span[1] - span[0])
            if (s, e) in taken:
                continue        # another part of a province found ("Brianza" of "Monza e Brianza")
            words = text[s:e].split()
            if e > m.stop and words[-1].isalpha() and words[-1].islower():
                words[-1] = words[-1].title()       # "Bergamo province": "Bergamo Province", as a name
            named = " ".join(words)
            m = Mention(named[0].upper() + named[1:], "location", s, e)
            taken.append((s, e))
        out.append(m)
    # the parts of a province found, and what overlaps it ("Brianza" of "Monza e Brianza", "the Metropolitan City"
    # of "the Metropolitan City of Milan")
    return [m for m in out if (m.start, m.stop) in taken or not any(a < m.stop and m.start < b for a, b in taken)]


def _province_key(phrase: str) -> str:
    return " ".join(phrase.split()).replace("’", "'").casefold()


@functools.lru_cache(maxsize=1)
def _province_forms() -> frozenset[str]:
    """Every form of a Spanish or Italian province (``pipeline.regions.PROVINCES``; those another country's province
    shares too, "provincia de Córdoba"), case aside: a small table, as ``_district_forms`` is."""
    from pipeline.regions import CONTEXT_NAMES, PROVINCES, SUBDIVISIONS

    forms = {_province_key(name.lstrip("?").replace("_", " ")) for code in PROVINCES
             for name in [SUBDIVISIONS[code][0], *SUBDIVISIONS[code][1].split()]}
    return frozenset(forms | {_province_key(key) for key, codes in CONTEXT_NAMES.items() if PROVINCES & set(codes)})


@functools.lru_cache(maxsize=1)
def _province_words() -> frozenset[str]:
    """The words of the provinces' forms (``_province_forms``), case aside: a mention without one of them cannot be
    part of one."""
    return frozenset(w for form in _province_forms() for w in _WORD_RE.findall(form))


def places_after_prepositions(mentions: list[Mention], text: str, language: str) -> list[Mention]:
    """A one-word "person" that the text writes after a preposition of place ("in Bolton", "à Soumy") at least as
    often as without one is a place. A person's name is not written so ("in Merkel's", with the possessive, does
    not count). So is, in English, one written after a verb of going and "to" or "from" (``_GOING_TO``)."""
    prepositions = _PLACE_PREPOSITIONS.get(language)
    if not prepositions:
        return mentions
    mentions = _people_mostly_after(mentions, text, f"(?:{prepositions})", "location", end=r"(?![\w'’-])")
    going = _GOING_TO.get(language)
    if going:
        mentions = _people_mostly_after(mentions, text, going, "location", end=r"(?![\w'’-])",
                                        keep=_words_of_longer_people(mentions))
    return mentions


# "to"/"from" after a verb of going ("moved to", "flew back from", "sending them to Esbjerg"): a place, unless the
# name is a word of a longer person's name the text gives ("Donald Trump" … "sent them to Trump")
_GOING_TO = {"en": r"(?:(?:mov(?:e|es|ed|ing)|travel\w*|fl(?:y|ies|ying|ew|own)|relocat\w+|deport\w*|"
                   r"head(?:s|ed|ing))\s+(?:back\s+)?(?:to|from)|sen(?:d|ds|ding|t)\s+(?:them|him|her|us|me|you)\s+to)"}


def _ends(pattern: re.Pattern, text: str) -> set[int]:
    """Where the matches of ``pattern`` in ``text`` end."""
    return {m.end() for m in pattern.finditer(text)}


def _written_at(name: str, text: str, starts: set[int], flags: int = 0) -> bool:
    """Whether ``text`` writes ``name`` (as a pattern with ``flags`` reads it) at one of ``starts``."""
    if not starts:
        return False
    if flags:
        pattern = re.compile(re.escape(name), flags)
        return any(pattern.match(text, at) for at in starts)
    at = text.find(name)
    while at >= 0:
        if at in starts:
            return True
        at = text.find(name, at + 1)
    return False


def _people_mostly_after(mentions: list[Mention], text: str, before: str, new_type: str, *, flags: int = 0,
                         end: str = r"(?![\w-])", keep: set[str] = frozenset()) -> list[Mention]:
    """The one-word "people" that ``text`` writes after ``before`` (a pattern; followed by ``end``) at least as often
    as without it, typed ``new_type`` (each name counted once, however many mentions it has); not those in
    ``keep``.

    A name is counted only where ``before`` and its spaces end somewhere the text writes the name: most names stand
    after no such words, and one pass of ``before`` over the text spares two passes a name. That finds every place
    the counting finds because ``before`` is made of whole words that match one way at a place (an alternation of
    words, each to be followed by a space, as the callers' patterns are), so that its matches neither overlap nor
    end elsewhere than where the name begins."""
    def mostly_after(name: str) -> bool:
        word = re.escape(name)
        total = len(re.findall(rf"(?<![\w-]){word}(?![\w-])", text))
        after = len(re.findall(rf"(?<![\w-]){before}\s+{word}{end}", text, flags=flags))
        return bool(after) and 2 * after >= total

    names = {m.text.strip() for m in mentions if m.type == "person"}
    starts = _ends(re.compile(rf"(?<![\w-]){before}\s+", flags), text)
    retype = {n for n in names if " " not in n and len(n) > 2 and n not in keep
              and _written_at(n, text, starts, flags) and mostly_after(n)}
    return [Mention(m.text, new_type, m.start, m.stop) if m.type == "person" and m.text.strip() in retype else m
            for m in mentions]


_OF_PLACE_RE = r"(?:\s(?:de|of|di|du|do|da|del|della|von|van)\s|\sd['’])"


def places_ending_names(mentions: list[Mention]) -> list[Mention]:
    """A one-word "person" that ends an organisation's or a place's name after "de", "of", "di"… is the place the
    name is of: "Liceo Técnico de Mejillones", "Ayuntamiento de Valencia", "Bank of England"."""
    others = {m.text.strip() for m in mentions if m.type in ("organization", "location")}
    names = {m.text.strip() for m in mentions if m.type == "person"}
    places = {n for n in names if " " not in n and len(n) > 2
              and any(o.endswith(n) and re.search(_OF_PLACE_RE + re.escape(n) + "$", o) for o in others)}
    return [Mention(m.text, "location", m.start, m.stop) if m.type == "person" and m.text.strip() in places else m
            for m in mentions]


GENITIVE_PERSON_RE = re.compile(r"(?<=[^\W\d_aeiouäöüyAEIOUÄÖÜY])s$")


def german_genitive_people(mentions: list[Mention], text: str) -> list[Mention]:
    """A German person named in the genitive ("Putins Krieg", "Hillary Clintons Verweis", "Hitlers Zeiten") is
    named without the -s: a name whose last word ends in a consonant and -s, where the text also writes the name
    without it, or where every time the name stands before a noun (a capital word, or an opening quote). Names that
    end in -s themselves take an apostrophe in the genitive ("Sanders' Kampagne") and keep their -s; one followed
    by a verb or a comma keeps it too ("Kate Moss ist", "Bernie Sanders, …")."""
    def genitive(name: str) -> bool:
        last = name.rsplit(" ", 1)[-1]
        if len(last) < 4 or not GENITIVE_PERSON_RE.search(last):
            return False
        after = [text[f.end():f.end() + 3] for f in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w'’-])", text)]
        return bool(re.search(rf"(?<![\w-]){re.escape(name[:-1])}(?![\w-])", text)
                    or (after and all(re.match(r"\s[„\"»]?[A-ZÄÖÜ]", a) for a in after)))

    names = {m.text.strip() for m in mentions if m.type == "person"}
    renamed = {n for n in names if genitive(n)}      # each name looked at once, however many mentions it has
    return [Mention(m.text.strip()[:-1], m.type, m.start, m.stop) if m.type == "person" and m.text.strip() in renamed
            else m for m in mentions]


# the words before a German noun that a name does not take: articles, contracted prepositions, "kein"
_GERMAN_DETERMINER = (r"(?:der|die|das|dem|den|des|ein|eine|einer|einem|einen|eines|im|am|vom|zum|zur|beim|ins|ans|"
                      r"kein|keine|keinen|keinem|keiner)")


def german_things_as_people(mentions: list[Mention], text: str) -> list[Mention]:
    """A German one-word "person" that the text writes after an article ("im Kantonsspital", "das Post-Vac-Syndrom",
    "die Schwergewichts-Show") at least as often as without one is a thing, not a name: misc. German capitalises
    every noun, so the capital says nothing; a person's name rarely takes an article ("die Kate" once among 31
    mentions stays a person)."""
    return _people_mostly_after(mentions, text, _GERMAN_DETERMINER, "misc", flags=re.I)


# the words that may follow an English noun phrase used on its own ("the Blues were", "the Dodgers made"), as against
# a content word that the name modifies ("the Trump administration", "the Mack truck"); a word in -ed counts as a verb
_AFTER_NOUN_PHRASE = frozenset(
    "is are was were be been has have had will would could can may might must should shall do does did won lost beat "
    "drew made took went came got gave saw said told left held led ran met hit put set kept found became began brought "
    "who which that whose and or but nor in on at to of for with from by as than into after before against under over "
    "since during while when where".split())
_ENGLISH_THE_RE = r"(?<![\w-])(?i:the)\s+{}(?![\w-])(?!['’]s)(?:\s*$|\s*[^\w\s]|\s+[A-Z]|\s+(\w+))"
# its start: where it ends, a name "the X" can begin
_ENGLISH_THE_BEFORE_RE = re.compile(r"(?<![\w-])(?i:the)\s+")


def _alone(follower: str | None) -> bool:
    return follower is None or follower.lower() in _AFTER_NOUN_PHRASE or (
        len(follower) >= 4 and follower.endswith("ed") and not follower.endswith("eed"))


def english_things_as_people(mentions: list[Mention], text: str) -> list[Mention]:
    """An English "person" that the text calls "the X" on its own at least as often as without the article is no
    name: a team or a band in the plural ("the Blues were superior", "the Dodgers made") is an organisation, anything
    else misc ("the Standard", "the Pat Tillman Award"). "the X" before a content word is the name used as a modifier
    and does not count ("the Trump administration", "the Shakespeare classic"). A shorter "person" inside a name so
    retyped takes its type ("Lindi" in "the Lindi Bus Stand"), unless a person's name that stays has it too."""
    retyped: dict[str, str] = {}
    after_the = _ends(_ENGLISH_THE_BEFORE_RE, text)
    for name in {m.text.strip() for m in mentions if m.type == "person"}:
        if len(name) > 2 and _written_at(name, text, after_the):
            word = re.escape(name)
            total = len(re.findall(rf"(?<![\w-]){word}(?![\w-])", text))
            alone = sum(1 for f in re.finditer(_ENGLISH_THE_RE.format(word), text) if _alone(f.group(1)))
            if total and 2 * alone >= total:
                last = name.rsplit(" ", 1)[-1]
                plural = len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is"))
                retyped[name] = "organization" if plural else "misc"
    if not retyped:
        return mentions
    kept = [f" {m.text.strip()} " for m in mentions if m.type == "person" and m.text.strip() not in retyped]
    out = []
    for m in mentions:
        name = m.text.strip()
        if m.type == "person":
            new = retyped.get(name)
            if new is None and not any(f" {name} " in k and k.strip() != name for k in kept):
                new = next((t for full, t in retyped.items() if f" {name} " in f" {full} "), None)
            if new:
                m = Mention(m.text, new, m.start, m.stop)
        out.append(m)
    return out


def _without_genitive(noun: str) -> str:
    """A German noun without its genitive ending: "Komitees" → "Komitee", "Kreuzes" → "Kreuz", "Bundestags" →
    "Bundestag" (-es after a consonant is taken whole: "Krieges", "Amtes"; a noun ending in -e, "Gebäudes", loses
    too much, which is rarer in names)."""
    if len(noun) <= 4 or not noun.endswith("s"):
        return noun
    if noun.endswith("es") and not noun.endswith("ees") and noun[-3] not in "aeiouäöü":
        return noun[:-2]
    return noun[:-1]


@functools.lru_cache(maxsize=8)
def _cities(language: str) -> frozenset:
    """Cities named by the time-zone database ("Europe/Berlin", "America/New_York") and by CLDR's exemplar cities of
    the time zones in ``language`` and English ("Wien", "Zürich"), casefolded: a few hundred big cities."""
    import zoneinfo

    from babel import Locale, UnknownLocaleError

    out = {z.rsplit("/", 1)[-1].replace("_", " ").casefold() for z in zoneinfo.available_timezones() if "/" in z}
    for code in dict.fromkeys((language, "en")):
        try:
            out |= {v["city"].casefold() for v in Locale.parse(code).time_zones.values() if v.get("city")}
        except (ValueError, TypeError, UnknownLocaleError):
            continue
    return frozenset(out)


# a part of a country named by its compass point, written as one word: "Norddeutschland", "Ostfrankreich"
_COMPASS_RE = re.compile(r"^(?:nordost|nordwest|südost|südwest|nord|süd|ost|west|mittel)(?=\w{4})")


@functools.lru_cache(maxsize=4096)
def _genitive_place(key: str, language: str) -> bool:
    """Whether casefolded ``key`` is the genitive -s of a country, a region of the world (CLDR: "Europas",
    "Nordamerikas"), a city of ``_cities`` ("Berlins") as ``language`` names them, or of a German compass part of
    a country ("Norddeutschlands"), and not itself such a name ("Paris", "Laos")."""
    names = _place_names(language)
    if len(key) <= 4 or key in names:
        return False
    base = key[:-1]
    return base in names or (language == "de" and _COMPASS_RE.sub("", base) in locale_names(language)[0])


@functools.lru_cache(maxsize=16)
def _place_names(language: str) -> frozenset:
    """Countries, regions of the world and big cities, casefolded, as ``language`` and English name them."""
    return _world_regions(language) | _cities(language) | locale_names(language)[0]


@functools.lru_cache(maxsize=16)
def _world_regions(language: str) -> frozenset:
    """Continents and regions of the world as CLDR names them in ``language`` and English ("Europa", "Südostasien")."""
    from babel import Locale, UnknownLocaleError

    out = set()
    for code in dict.fromkeys((language, "en")):
        try:
            out |= {n.casefold() for k, n in Locale.parse(code).territories.items() if k.isdigit()}
        except (ValueError, TypeError, UnknownLocaleError):
            continue
    return frozenset(out)


# a declined German adjective: "Russische", "US-amerikanischen", "Pyrotechnische", "Deutschsprachige"
_DECLINED_ADJECTIVE_RE = re.compile(r"^[A-ZÄÖÜ][\w-]*(?:isch|lich|sprachig)(?:e|en|er|es|em)$")


def _german_adjective(name: str, places: frozenset, not_names: frozenset, text: str) -> bool:
    """Whether a German one-word misc mention is an adjective or a word for people from somewhere, not a name:
    a declined adjective ("Russische", "US-amerikanischen"), a language's name declined ("Deutsche", "Deutscher",
    "Englischen"), or a place's name with -er ("Hamburger", "Schweizer", "Thüringer" from Thüringen, "Münchner" from
    München, "Amerikaner" from Amerika) whose place is a country or is written as a word of its own in the text
    ("Hamburg", maybe only inside "Technische Universität Hamburg")."""
    if " " in name or len(name) < 5 or any(c.isdigit() for c in name):
        return False
    if _DECLINED_ADJECTIVE_RE.match(name):
        return True
    stem = re.sub(r"(?:e|en|er|es|em)$", "", name)
    if stem.casefold() in not_names or _german_demonym(name.casefold(), _countries_and_regions("de")):
        return True
    if not name.endswith("er"):
        return False
    cities = _cities(language="de")
    for place in (name[:-2], name[:-2] + "en", name[:-3] + "en", name[:-4] + "a"):
        if len(place) < 4:
            continue
        if (place.casefold() in places or place.casefold() in cities
                or re.search(rf"(?<!\w){re.escape(place)}(?!\w)", text)):
            return True
    return False


# German words for people from a country that no ending rule derives
_GERMAN_DEMONYMS = frozenset({"franzose", "franzosen", "brite", "briten", "portugiese", "portugiesen", "filipino",
                              "filipinos", "palästinenser", "palästinensern", "venezolaner", "venezolanern"})


@functools.lru_cache(maxsize=16)
def _countries_and_regions(language: str) -> frozenset:
    """CLDR's countries (``locale_names``) and world regions in ``language`` and English, casefolded."""
    return locale_names(language)[0] | _world_regions(language)


def _german_demonym(word: str, places: frozenset) -> bool:
    """Whether ``word`` (casefolded) names people from a country or region of ``places`` (or is its plural or a
    woman's form): "Ukrainer" (Ukraine), "Europäer" (Europa), "Kanadier" (Kanada), "Brasilianer" (Brasilien),
    "Niederländer" (Niederlande), "Mexikaner" (Mexiko), "Russen" (Russland), "Griechen" (Griechenland), "Dänen"
    (Dänemark), "Chinesen" (China), "Libanesen" (Libanon), "Afghanen" (Afghanistan), "Slowene" (Slowenien),
    "Spaniern", "Ukrainerin". A country's own name is none ("Polen", "Indien")."""
    if word in _GERMAN_DEMONYMS:
        return True
    if word in places:
        return False
    forms = {word}
    for end in ("innen", "in", "n"):
        if word.endswith(end):
            forms.add(word[:-len(end)])
    for f in forms:
        if f.endswith("er"):
            found = {f[:-2], f[:-2] + "e", f[:-2] + "en", f[:-2] + "ien", f[:-2] + "a", f[:-3], f[:-3] + "a",
                     f[:-4], f[:-4] + "en", f[:-4] + "o", f[:-5] + "a"}
        elif f.endswith("e"):
            found = {f[:-1] + "land", f + "nland", f + "mark", f[:-1] + "ien", f + "n", f[:-1] + "ei", f[:-2],
                     f[:-1] + "istan", f[:-1] + "stan", f[:-3], f[:-3] + "a", f[:-3] + "on"}
        elif f.endswith("i"):
            found = {f[:-1]}                                 # "Israeli"
        else:
            continue
        found |= {p.replace("ä", "a").replace("ö", "o").replace("ü", "u") for p in found}    # "Niederländer"
        if any(len(p) >= 4 and p in places for p in found):
            return True
    return False


# Short forms of countries, unions and alliances, by CLDR territory code ("U.S." is the US): a mention so named is
# named by CLDR's name of the territory in the document's language ("United States", "Vereinigte Staaten",
# "États-Unis"), so that the facets count one entity, not three. '*' applies to each language listed; other
# languages have no built-in aliases (the Russian press writes США, the Japanese 米国: CLDR's names would read oddly).
_TERRITORY_ALIASES = {
    "*": {"US": "US", "U.S.": "US", "USA": "US", "U.S.A.": "US", "UK": "GB", "U.K.": "GB", "EU": "EU", "E.U.": "EU",
          "UN": "UN", "U.N.": "UN", "UAE": "AE", "U.A.E.": "AE"},
    "en": {"United States of America": "US"},
    "de": {"Vereinigten Staaten": "US", "Vereinigte Staaten von Amerika": "US", "VAE": "AE", "Vereinten Nationen": "UN",
           "Europäischen Union": "EU"},
    "fr": {"É.-U.": "US", "Etats-Unis": "US", "Emirats arabes unis": "AE", "UE": "EU", "ONU": "UN", "EAU": "AE",
           "Nations unies": "UN", "Organisation des Nations unies": "UN"},
    "es": {"EE. UU.": "US", "EE.UU.": "US", "EEUU": "US", "UE": "EU", "ONU": "UN", "EAU": "AE"},
    "it": {"Usa": "US", "UE": "EU", "Ue": "EU", "ONU": "UN", "Onu": "UN"},
    "pt": {"EUA": "US", "UE": "EU", "ONU": "UN", "EAU": "AE"},
}
# the same for names CLDR does not have: the spelling the language's press writes in capitals
_NAME_ALIASES = {
    "en": {"Nato": "NATO"}, "de": {"Nato": "NATO"}, "it": {"Nato": "NATO"}, "fr": {"Otan": "OTAN", "NATO": "OTAN"},
    "es": {"Otan": "OTAN", "NATO": "OTAN"}, "pt": {"Otan": "OTAN", "NATO": "OTAN"},
}


@functools.lru_cache(maxsize=64)
def builtin_aliases(language: str) -> dict[str, str]:
    """``{short form: canonical name}`` for ``language``: ``_TERRITORY_ALIASES`` named by CLDR (babel) in that
    language, and ``_NAME_ALIASES``."""
    from babel import Locale, UnknownLocaleError

    if language not in _TERRITORY_ALIASES or language == "*":
        return {}
    try:
        names = Locale.parse(language).territories
    except (ValueError, TypeError, UnknownLocaleError):
        return {}
    codes = {**_TERRITORY_ALIASES["*"], **_TERRITORY_ALIASES.get(language, {})}
    out = {short: names[code] for short, code in codes.items() if code in names}
    out.update(_NAME_ALIASES.get(language, {}))
    return {short: name for short, name in out.items() if short != name}


def aliases_for(language: str, settings: EntitySettings) -> dict[str, str]:
    """The aliases that apply to ``language``: the built-in ones (unless ``builtin_aliases`` is off), then the
    configured '*' ones and the language's own; a name mapped to itself names no alias."""
    out = dict(builtin_aliases(language)) if settings.builtin_aliases else {}
    out.update(settings.aliases.get("*", {}))
    out.update(settings.aliases.get(language, {}))
    return {short: name for short, name in out.items() if short != name}


def alias_group(name: str, settings: EntitySettings | None = None) -> set[str]:
    """Every name that the aliases (built in, for every language that has them, and ``settings``' own) join with
    ``name``, case aside, ``name`` included: "USA" → {"USA", "US", "U.S.", "United States", "Vereinigte Staaten",
    "États-Unis", …}. A search for one of them finds the others, in every language."""
    own = tuple(sorted((k, v) for table in (settings.aliases.values() if settings else ()) for k, v in table.items()))
    groups = _alias_groups(own, settings is None or settings.builtin_aliases)
    return set(groups.get(name.casefold(), ())) | {name}


# the languages whose CLDR names of countries and regions a search joins: langdetect's, as babel names them
_SEARCH_LOCALES = ("af ar bg bn ca cs cy da de el en es et fa fi fr gu he hi hr hu id it ja kn ko lt lv mk ml mr ne nb "
                   "nl pa pl pt ro ru sk sl so sq sv sw ta te th fil tr uk ur vi zh zh_Hant").split()


@functools.lru_cache(maxsize=8)
def _alias_groups(own: tuple, builtin: bool) -> dict[str, frozenset]:
    """casefolded name → the group of names joined by aliases (a union of every short form with its canonical name),
    with the built-in ones: the territory aliases of every language and the names of every country, region and
    city ``pipeline.places`` knows, in the languages of ``_SEARCH_LOCALES``."""
    from pipeline.places import place_name_pairs

    pairs = [*own]
    if builtin:
        pairs += [(k, v) for lang in _TERRITORY_ALIASES if lang != "*" for k, v in builtin_aliases(lang).items()]
        pairs += place_name_pairs()
    names: dict[str, set] = {}
    for a, b in pairs:
        names.setdefault(a.casefold(), set()).add(a)
        names.setdefault(b.casefold(), set()).add(b)
    root = components((a.casefold(), b.casefold()) for a, b in pairs)
    members: dict[str, set] = {}
    for key, written in names.items():
        members.setdefault(root[key], set()).update(written)
    return {key: frozenset(members[root[key]]) for key in names}


def apply_aliases(mentions: list[Mention], aliases: dict[str, str], language: str) -> list[Mention]:
    """Mentions whose cleaned name is an alias named by its canonical name ("U.S." → "United States"; the offsets
    stay those of the text found). A canonical name that is a country's (CLDR) makes the mention a location, whatever
    the model typed ("the US said…" read as an organisation)."""
    if not aliases:
        return mentions
    places = locale_names(language)[0]
    out = []
    for m in mentions:
        # the name as cleaned, or as written where cleaning took a dot that is the alias's ("EE.UU.")
        to = aliases.get(clean_name(m.text, m.type, language) or "") or aliases.get(m.text.strip())
        if to:
            m = Mention(to, "location" if to.casefold() in places else m.type, m.start, m.stop)
        out.append(m)
    return out


_GAZETTEER_RE: dict[tuple, re.Pattern | None] = {}


def apply_gazetteer(mentions: list[Mention], text: str, gazetteer: dict[str, str]) -> list[Mention]:
    """The model's mentions corrected by the gazetteer (``{name: type or "drop"}``): a mention whose name is listed
    takes the listed type or is dropped; every whole-word occurrence of a listed name that no model mention covers
    is added. Names match case-sensitively, as written."""
    if not gazetteer:
        return mentions
    out = []
    for m in mentions:
        fix = gazetteer.get(clean_name(m.text, m.type) or "")
        if fix == "drop":
            continue
        out.append(Mention(m.text, fix, m.start, m.end) if fix else m)
    key = tuple(sorted(k for k, t in gazetteer.items() if t != "drop"))
    if key not in _GAZETTEER_RE:   # one alternation per gazetteer, longest names first
        _GAZETTEER_RE[key] = re.compile(r"(?<!\w)(?:" + "|".join(
            re.escape(n) for n in sorted(key, key=len, reverse=True)) + r")(?!\w)") if key else None
    pattern = _GAZETTEER_RE[key]
    if pattern is not None:
        taken = sorted((m.start, m.stop) for m in mentions)
        for hit in pattern.finditer(text):
            if not any(s < hit.end() and hit.start() < e for s, e in taken):
                out.append(Mention(hit.group(0), gazetteer[hit.group(0)], hit.start(), hit.end()))
    return out
