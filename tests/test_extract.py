"""Extraction on fixture pages written for this project: charsets, languages, metadata, rejections."""
from __future__ import annotations

import gzip
import html as htmllib
import re
from pathlib import Path

import pytest

from pipeline.charset import DecodeError, decode_html
from pipeline.extract import _split_list, extract, parse_datetime
from pipeline.settings.processing import ExtractionSettings

URL = "https://news.example.com/story"


def ex(pages_dir, name, **kw):
    return extract((pages_dir / name).read_bytes(), URL, kw.pop("headers", {}), kw.pop("settings", None), **kw)


@pytest.mark.parametrize("name, title, needle", [
    ("en_article.html", "Riverton votes to rebuild the old stone bridge", "Mayor Helen Carter"),
    ("en_bom.html", "Riverton votes to rebuild the old stone bridge", "Northern Transport Agency"),
    ("fr_article.html", "Valmont va transformer sa vieille gare en médiathèque", "région Occitanie"),
    ("fr_wrong_charset.html", "Valmont va transformer sa vieille gare en médiathèque", "d'autres craignent"),
    ("ru_cp1251.html", "В Северске отремонтируют старый мост", "Анна Петрова"),
    ("de_latin1.html", "Lindenau saniert das alte Freibad", "Bürgermeisterin Jutta Krämer"),
    ("ja_shift_jis.html", "青葉市、市民会館を建て替えへ", "市長の山田花子氏"),
    ("zh_gb18030.html", "绿江市将修建有轨电车线路", "市长李明"),
    ("broken.html", "Riverton votes to rebuild the old stone bridge", "Paul Novak"),
])
def test_articles_in_any_charset(pages_dir, name, title, needle):
    e = ex(pages_dir, name)
    assert e.status == "ok", e.error
    assert e.title == title
    assert needle in e.text
    assert "\ufffd" not in e.text
    assert "Contact" not in e.text and "Home" not in e.text.split()     # boilerplate left out
    assert e.published_at == "2024-03-14T09:30:00+01:00"


def test_metadata_and_paragraphs(pages_dir):
    e = ex(pages_dir, "en_article.html")
    assert e.authors == ["Jane Doe"]
    assert e.site_name == "Example News"
    assert e.description.startswith("The city council of Riverton")
    assert e.canonical_url == "https://news.example.com/2024/03/riverton-bridge?utm_source=rss"
    assert e.declared_languages == ["en"]
    paras = e.text.split("\n\n")
    assert len(paras) == 3 and paras[0].startswith("The city council") and paras[2].startswith("Critics")


def test_header_charset_is_used_when_the_page_says_nothing():
    body = "<html><body><p>Привет, мир! Это проверка.</p></body></html>".encode("koi8_r")
    text, codec = decode_html(body, "text/html; charset=KOI8-R")
    assert "Привет, мир" in text and codec == "koi8-r"


def test_wrong_header_loses_to_valid_utf8():
    body = "<html><body><p>Zürich – Genève</p></body></html>".encode("utf-8")
    text, codec = decode_html(body, "text/html; charset=iso-8859-1")
    assert "Zürich – Genève" in text and codec == "utf-8"


def test_undecodable_bytes_raise():
    with pytest.raises(DecodeError):
        decode_html(b"<p>" + bytes(range(0x80, 0x100)) * 20 + b"</p>", "text/html; charset=utf-8")


@pytest.mark.parametrize("name, status", [
    ("empty.html", "empty"),
    ("image_png.html", "binary"),
    ("invalid_utf8.html", "bad_encoding"),
    ("navigation.html", "not_article"),
    ("error_404.html", "error_page"),
])
def test_bad_pages_get_a_reason(pages_dir, name, status):
    e = ex(pages_dir, name)
    assert e.status == status
    assert e.error
    if status != "error_page":   # an error page keeps its few words (they explain the rejection)
        assert e.text == ""


def test_too_large_is_rejected_unparsed(pages_dir):
    e = ex(pages_dir, "en_article.html", settings=ExtractionSettings(max_bytes=500))
    assert e.status == "too_large" and e.title is None


def test_http_error_and_non_html_content_type(pages_dir):
    assert ex(pages_dir, "en_article.html", status_code=404).status == "http_error"
    assert ex(pages_dir, "en_article.html", headers={"Content-Type": "image/jpeg"}).status == "not_html"
    assert extract(b"just some plain words, no markup at all " * 20, URL).status == "not_html"
    assert extract(b"%PDF-1.7\n...", URL).status == "binary"
    assert extract(b"<html>\x00\x01\x02\x00</html>", URL).status == "binary"


def test_too_short(pages_dir):
    body = b"<html lang='en'><head><title>Short</title></head><body><article><p>Only one line here.</p></article></body></html>"
    assert extract(body, URL).status == "too_short"


def test_gzip_fixture_matches_plain(pages_dir):
    plain = (pages_dir / "en_article.html").read_bytes()
    assert gzip.decompress((pages_dir / "en_article.html.gz").read_bytes()) == plain


@pytest.mark.parametrize("value, expected", [
    ("2024-03-14T09:30:00Z", "2024-03-14T09:30:00+00:00"),
    ("2024-03-14T09:30:00+0200", "2024-03-14T09:30:00+02:00"),
    ("2024-03-14", "2024-03-14T00:00:00"),
    ("2024-03-14T09:30:00.123456789+01:00", "2024-03-14T09:30:00.123456+01:00"),
])
def test_parse_datetime(value, expected):
    assert parse_datetime(value).isoformat() == expected


@pytest.mark.parametrize("value", ["", "yesterday", "1700-01-01", "3024-01-01"])
def test_parse_datetime_rejects_junk(value):
    assert parse_datetime(value) is None


def _paragraphs(n: int) -> str:
    """``n`` article paragraphs of ~120 characters each (500 characters take 5: below that is a short article)."""
    return "".join(f"<p>Paragraph {i} of the council report: the bridge over the Riverton canal needs new stone, "
                   f"and the budget vote is set for spring.</p>" for i in range(n))


def _article(paragraphs: int) -> bytes:
    ps = _paragraphs(paragraphs)
    return (f"<html lang='en'><head><title>Bridge vote</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>Bridge vote</h1>{ps}</article></body></html>").encode()


@pytest.mark.parametrize("paragraphs, setting, calls", [
    (12, {}, [True]),                                   # long enough after the fast pass: no fallback
    (3, {}, [True, False]),                             # short: trafilatura compares with its fallbacks
    (12, {"fallback_below_chars": 0}, [False]),         # 0: always compare
    (3, {"fallback": False}, [True]),                   # fallback off: fast pass only
])
def test_fallback_extractors_run_only_when_the_fast_pass_is_short(monkeypatch, paragraphs, setting, calls):
    import trafilatura

    seen: list[bool] = []
    real = trafilatura.bare_extraction

    def recording(*args, **kw):   # the real extractor, with its `fast` argument recorded
        seen.append(kw["fast"])
        return real(*args, **kw)

    monkeypatch.setattr(trafilatura, "bare_extraction", recording)
    e = extract(_article(paragraphs), URL, settings=ExtractionSettings(**setting))
    assert seen == calls
    assert e.status == "ok" and e.text.count("Paragraph ") == paragraphs


def _ld_page(author) -> bytes:
    import json

    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Bridge vote", "author": author}
    body = _paragraphs(6)
    return (f"<html lang='en'><head><title>Bridge vote</title><meta name='author' content='Web Desk'>"
            f"<script type='application/ld+json'>{json.dumps(ld)}</script></head>"
            f"<body><article><h1>Bridge vote</h1>{body}</article></body></html>").encode()


@pytest.mark.parametrize("author, expected", [
    # people as written (initials keep their dots, no re-casing); the organisation beside them is not an author
    ([{"@type": "Person", "name": "Miguel A. Herguedas"}, {"@type": "NewsMediaOrganization", "name": "Example News"},
      {"@type": "Person", "name": "anna de la Cruz"}], ["Miguel A. Herguedas", "anna de la Cruz"]),
    # one string naming several people; a desk code and a slug variant of the same name
    ({"@type": "Person", "name": "Samya Kullab and Vasilisa Stepanenko"}, ["Samya Kullab", "Vasilisa Stepanenko"]),
    ([{"@type": "Person", "name": "Elena Oberholzer (obe)"}, {"@type": "Person", "name": "Elena-Oberholzer"}],
     ["Elena Oberholzer"]),
    ({"@type": "Person", "name": "chuck-ross"}, ["Chuck Ross"]),
    # a byline's lead word written into the name; a surname that merely starts like one is kept
    ([{"@type": "Person", "name": "Autor Monika Bolliger"}, {"@type": "Person", "name": "By: Jane Doe"},
      {"@type": "Person", "name": "Texte Paul Martin"}, {"@type": "Person", "name": "Byron Parker"}],
     ["Monika Bolliger", "Jane Doe", "Paul Martin", "Byron Parker"]),
    # the role written after the name in Korean, Japanese and Chinese bylines (the role word alone is left as it is)
    ([{"@type": "Person", "name": "신현주 기자"}, {"@type": "Person", "name": "山田太郎記者"},
      {"@type": "Person", "name": "王明 记者"}, {"@type": "Person", "name": "기자"}],
     ["신현주", "山田太郎", "王明", "기자"]),
    # a lower-case agency code after a comma; a person's affiliation and the site written into the name; a name
    # with particles is no description, and a domain alone is still the byline
    ({"@type": "Person", "name": "Felix Schröder und Jörg Soldwisch, dpa"}, ["Felix Schröder", "Jörg Soldwisch", "dpa"]),
    ({"@type": "Person", "name": "Povilas Aleksandravičius, Mykolo Romerio universiteto fakulteto profesorius, Lrt.lt"},
     ["Povilas Aleksandravičius"]),
    ({"@type": "Person", "name": "Jane Doe, professor at the faculty of law"}, ["Jane Doe"]),
    ([{"@type": "Person", "name": "Ursula von der Leyen"}, {"@type": "Person", "name": "ntv.com.tr"}],
     ["Ursula von der Leyen", "ntv.com.tr"]),
    # the site's own name beside a person is no author (here the host's: news.example.com); alone it is the byline
    ([{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "Example News"}], ["Jane Doe"]),
    ({"@type": "Person", "name": "Example News"}, ["Example News"]),
    # only an organisation: it is the byline; beside a person, an agency is an author too, the site is not
    ({"@type": "Organization", "name": "Reuters"}, ["Reuters"]),
    ([{"@type": "Organization", "name": "SDA"}, {"@type": "Person", "name": "Paula Steiger"},
      {"@type": "NewsMediaOrganization", "name": "Example News"}], ["Paula Steiger", "SDA"]),
    # no JSON-LD author: trafilatura's (from the author meta tag)
    (None, ["Web Desk"]),
])
def test_authors_prefer_json_ld_people(author, expected):
    assert extract(_ld_page(author), URL).authors == expected


def _byline_page(ld_author: str | None, byline: str = "", head: str = "", before: str = "", after: str = "") -> bytes:
    """A page whose JSON-LD credits ``ld_author`` (an organisation) or no one; ``byline`` in its header, ``before``
    and ``after`` the article's paragraphs."""
    import json

    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Bridge vote"}
    if ld_author:
        ld["author"] = {"@type": "Organization", "name": ld_author}
    return (f"<html lang='de'><head><title>Bridge vote</title><meta property='og:site_name' content='Example News'>"
            f"{head}<script type='application/ld+json'>{json.dumps(ld)}</script></head><body><header>{byline}</header>"
            f"<article><h1>Bridge vote</h1>{before}{_paragraphs(6)}{after}</article></body></html>").encode()


@pytest.mark.parametrize("ld_author, byline, head, expected", [
    # the page names only the site: its byline element names the journalist (lead word and the site's desk go)
    ("Example News", "<p class='author'> von <a href='mailto:jk@example.com'>Jana Krüger, EXAMPLE NEWS BERLIN</a></p>",
     "", ["Jana Krüger"]),
    ("Example News", "<ul><li class='authors__list-item'><span>von</span> <span>Jemima Kelly</span></li></ul>", "",
     ["Jemima Kelly"]),
    ("Example News", "<span itemprop='author'>Von Seb Dumitru, Lille</span>", "", ["Seb Dumitru", "Lille"]),
    (None, "<p>von <a href='/autoren/name/max-kolter'>Dr. Max Kolter</a></p>", "", ["Dr. Max Kolter"]),   # author page
    (None, "<p><a href='/politics/'>Politics Desk Today</a></p>", "", []),                             # any link: no
    # no author at all: an analytics tool's author meta tag; a URL there is no name
    (None, "", "<meta name='parsely-author' content='Sam Ortiz'>", ["Sam Ortiz"]),
    (None, "", "<meta name='cXenseParse:author' content='松岡大地'>", ["松岡大地"]),
    (None, "", "<meta name='parsely-author' content='https://example.com/staff/sam'>", []),
    # one word in the byline element is an agency or a label, not the journalist: the site stays the byline
    ("Example News", "<div class='article-author'>Folgen</div><div class='byline'>APA</div>", "", ["Example News"]),
    ("Example News", "<div class='byline'>Von</div>", "", ["Example News"]),
    # a label element and the names after it (DW's sidebar), or a definition list's; a label before no name is none
    ("Example News", "<ul><li><strong>Autorin/Autor</strong>\nRoman Goncharenko</li></ul>", "", ["Roman Goncharenko"]),
    ("Example News", "<dl><dt>Authors</dt><dd>Jane Doe and John Roe</dd></dl>", "", ["Jane Doe", "John Roe"]),
    ("Example News", "<p><b>Autor:</b> Redaktion</p>", "", ["Example News"]),
    ("Example News", "<p><b>Autor</b> Jana Krüger schreibt seit 2019 über Verkehr und Stadtplanung.</p>", "",
     ["Example News"]),
    # the publisher a meta names, credited as the author, is the site: the label's name is the author
    (None, "<ul><li><strong>Autor</strong> Jana Krüger</li></ul>",
     "<meta name='author' content='Deutsche Welle (www.dw.com)'><meta name='publisher' content='Deutsche Welle "
     "(www.dw.com)'>", ["Jana Krüger"]),
])
def test_a_page_that_credits_only_itself_names_the_journalist_in_its_byline(ld_author, byline, head, expected):
    assert extract(_byline_page(ld_author, byline, head), URL).authors == expected


@pytest.mark.parametrize("sidebar, head, expected", [
    # a date label and the date after it (DW's sidebar) beats a related item's date that htmldate would take
    ("<ul><li><strong>Datum</strong>\n28.04.2023\n</li></ul>", "", "2023-04-28"),
    ("<dl><dt>Published:</dt><dd>2023-04-28 10:15</dd></dl>", "", "2023-04-28"),
    ("<p><b>Veröffentlicht am</b> 3.4.2023, 10:15 Uhr</p>", "", "2023-04-03"),
    # no day 31 in February, and no date after the label: htmldate's guess as before
    ("<ul><li><strong>Datum</strong> 31.02.2023</li></ul>", "", "2023-04-24"),
    ("<ul><li><strong>Date</strong> gestern</li></ul>", "", "2023-04-24"),
    # a date meta comes first
    ("<ul><li><strong>Datum</strong> 28.04.2023</li></ul>",
     "<meta property='article:published_time' content='2023-04-27T08:00:00Z'>", "2023-04-27"),
])
def test_a_date_label_gives_the_date_where_the_metadata_has_none(sidebar, head, expected):
    related = "<aside><h2>Ukraine aktuell <span class='date'>24.04.2023</span></h2><p>Mehr dazu.</p></aside>"
    page = (f"<html lang='de'><head><title>Bridge vote</title>{head}</head><body><article><h1>Bridge vote</h1>"
            f"{_paragraphs(6)}</article>{related}<div class='group'>{sidebar}</div></body></html>").encode()
    assert (extract(page, URL).published_at or "")[:10] == expected


def test_a_full_name_in_a_byline_has_two_words_or_is_written_in_cjk():
    from pipeline.extract import _full_name

    assert _full_name("Jana Krüger") and _full_name("Ursula von der Leyen") and _full_name("محمد علي")
    assert _full_name("松岡大地") and _full_name("박준석")
    assert not _full_name("APA") and not _full_name("منوعات") and not _full_name("Jana krüger")


def test_a_named_person_is_not_replaced_by_the_byline_element_or_a_signature():
    import json

    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Bridge vote",
          "author": {"@type": "Person", "name": "Ana Ruiz"}}
    page = (f"<html><head><script type='application/ld+json'>{json.dumps(ld)}</script></head><body>"
            f"<p class='byline'>By Jana Krüger</p><article><h1>Bridge vote</h1>{_paragraphs(6)}"
            f"<p><strong>Tom Bell</strong></p></article></body></html>").encode()
    doc = extract(page, URL)
    assert doc.authors == ["Ana Ruiz"] and doc.text.endswith("Tom Bell")     # the bold line stays body text


@pytest.mark.parametrize("ld_author, before, after, expected", [
    # the page credits only itself (or no one) and signs the text with bold names: at its end, or near its start
    ("Example News", "", "<p style='text-align:right'><strong>Lê Phương</strong></p>", ["Lê Phương"]),
    (None, "<p><strong>Ana Ruiz/Tom Bell</strong></p>", "", ["Ana Ruiz", "Tom Bell"]),
    # not a signature: words outside the bold, no bold, one word, a label whose words the text writes in lower case
    (None, "<p><b>Ana Ruiz</b> and <b>Tom Bell</b></p>", "", []),
    (None, "<p>Ana Ruiz</p>", "", []),
    ("Example News", "", "<p><strong>Bridge</strong></p>", ["Example News"]),
    ("Example News", "<p><strong>Key Points</strong></p>", "", ["Example News"]),
])
def test_bold_names_that_sign_the_text_are_its_authors_where_the_page_credits_no_one_else(
        ld_author, before, after, expected):
    doc = extract(_byline_page(ld_author, before=before,
                               after="<p>The key points of the plan were read out.</p>" + after), URL)
    assert doc.authors == expected
    assert doc.text.count("Paragraph") == 6                           # the article is all there
    signature = re.sub(r"<[^>]+>", "", before + after)
    # the signature leaves the text; any other paragraph stays in it
    assert (signature in doc.text) == (doc.authors in ([], ["Example News"]))


BYLINES = Path(__file__).resolve().parent / "fixtures" / "bylines"    # pages whose byline is a paragraph of the text


@pytest.mark.parametrize("name, authors, byline", [
    # the page credits only itself (JSON-LD) or no one; the byline is a plain paragraph of the article
    ("byline_en.html", ["Jane Doe", "John Roe"], "By Jane Doe and John Roe, Reuters"),     # the outlet goes
    ("byline_de.html", ["Anna Schmidt", "Jörg Weber"], "Von Anna Schmidt und Jörg Weber"),  # under the standfirst
    ("byline_fr.html", ["Marie Dupont"], "Par Marie Dupont"),
    ("byline_es.html", ["Ana García", "Luis Pérez"], "Por Ana García y Luis Pérez"),
    ("byline_it.html", ["Mario Rossi"], "Di Mario Rossi"),
    ("byline_nl.html", ["Jan de Vries"], "Door Jan de Vries"),
    # closing lines: an agency's credit (its writers, not its editor; the places go) and a dash
    ("byline_en_credit.html", ["Jane Doe", "John Roe", "Ann Lee"], "(Reporting by Jane Doe in London"),
    ("byline_en_dash.html", ["Helen Carter"], "— Helen Carter"),
])
def test_a_plain_paragraph_byline_names_the_authors_and_leaves_the_text(name, authors, byline):
    doc = ex(BYLINES, name)
    assert doc.status == "ok", doc.error
    assert doc.authors == authors
    assert not any(p.startswith(byline) for p in doc.text.split("\n\n"))     # the byline paragraph is gone
    assert len(doc.text.split("\n\n")) == (4 if name == "byline_de.html" else 3)     # and nothing else


def test_sentences_that_start_like_a_byline_are_no_byline():
    doc = ex(BYLINES, "byline_en_not.html")
    assert doc.authors == []
    paras = doc.text.split("\n\n")
    # a sentence, a heading in title case, and the source of the quotation before it all stay text
    assert paras[:2] == ["By Tuesday the river had risen.", "By Popular Demand"] and paras[-1] == "— Paul Novak"


def test_a_byline_paragraph_does_not_override_the_page_s_author():
    doc = ex(BYLINES, "byline_en_meta.html")
    assert doc.authors == ["Helen Carter"]
    assert doc.text.startswith("By Jane Doe\n\n")


@pytest.mark.parametrize("before, after, expected", [
    ("<p>BY JANE DOE, JOHN ROE and ANN LEE</p>", "", ["JANE DOE", "JOHN ROE", "ANN LEE"]),    # a list, as written
    ("<p>By: Jane Doe, Staff Writer</p>", "", ["Jane Doe"]),
    ("<p>By Jane Doe &amp; John Roe</p>", "", ["Jane Doe", "John Roe"]),
    ("", "<p>Reporting by Jane Doe; Writing by John Roe; Editing by Ann Lee</p>", ["Jane Doe", "John Roe"]),
    # other leads: a word for the writing before the preposition, or a noun and its colon
    ("<p>Written by Jane Doe</p>", "", ["Jane Doe"]),
    ("<p>Text: Anna Schmidt</p>", "", ["Anna Schmidt"]),
    ("<p>Texto de Ana García</p>", "", ["Ana García"]),
    ("", "<p>Author: Jane Doe</p>", ["Jane Doe"]),
    ("<p>Text Anna Schmidt</p>", "", []),                     # a noun without its colon is no lead
    ("<p>Written by Council Vote</p>", "", []),
    # not a byline: a third paragraph, words the text writes in lower case, more than names, an editor alone, a
    # sentence at the end
    ("<p>The council met.</p><p>It voted.</p><p>By Jane Doe</p>", "", []),
    ("<p>By Council Vote</p>", "", []),
    ("<p>By Jane Doe | 5 min read</p>", "", []),
    ("", "<p>(Editing by Ann Lee)</p>", []),
    ("", "<p>By then, Jane Doe had left the council.</p>", []),
])
def test_plain_paragraph_byline_forms_and_guards(before, after, expected):
    doc = extract(_byline_page(None, before=before, after=after), URL)
    assert doc.authors == expected
    assert doc.text.count("Paragraph") == 6
    added = [p for p in htmllib.unescape(re.sub(r"<[^>]+>", "\n", before + after)).split("\n") if p]
    assert all((p in doc.text) == (not expected) for p in added)     # a byline taken leaves the text, else all stays


def _headlines_page(ld: str, og: str, h1: str) -> bytes:
    import json

    body = _paragraphs(6)
    meta = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": ld})
    return (f"<html lang='en'><head><title>{h1} | Example News</title><meta property='og:title' content='{og}'>"
            f"<meta property='og:site_name' content='Example News'>"
            f"<script type='application/ld+json'>{meta}</script></head>"
            f"<body><article><h1>{h1}</h1>{body}</article></body></html>").encode()


PAGE = _headlines_page("Council backs the bridge plan", "Riverton will rebuild its stone bridge",
                       "Council backs the bridge plan")


@pytest.mark.parametrize("url, settings, hint, title", [
    # default order: the JSON-LD headline
    ("https://news.example.com/a", {}, None, "Council backs the bridge plan"),
    # a site's own order applies to the host, its subdomains (www. ignored), not to other sites
    ("https://www.example.com/a", {"site_title_sources": {"example.com": ["og_title"]}}, None,
     "Riverton will rebuild its stone bridge"),
    ("https://news.example.com/a", {"site_title_sources": {"example.com": ["og_title"]}}, None,
     "Riverton will rebuild its stone bridge"),
    ("https://example.org/a", {"site_title_sources": {"example.com": ["og_title"]}}, None,
     "Council backs the bridge plan"),
    # the most specific site entry wins; a source the page lacks falls through to the default order
    ("https://news.example.com/a", {"site_title_sources": {"example.com": ["og_title"],
                                                           "news.example.com": ["twitter_title"]}}, None,
     "Council backs the bridge plan"),
    # a different default order
    ("https://news.example.com/a", {"title_sources": ["html_title"]}, None, "Council backs the bridge plan"),
    # the feed's title settles it when it equals one of the page's headlines (case and punctuation aside) ...
    ("https://news.example.com/a", {}, "Riverton will rebuild its stone bridge!",
     "Riverton will rebuild its stone bridge"),
    # ... and is ignored when it equals none
    ("https://news.example.com/a", {}, "Something else entirely", "Council backs the bridge plan"),
])
def test_title_source_order(url, settings, hint, title):
    assert extract(PAGE, url, settings=ExtractionSettings(**settings), hint_title=hint).title == title


def _two_headlines_page(ld_copies: int, og_copies: int, og: str = "Riverton will rebuild its stone bridge") -> bytes:
    """JSON-LD headline "Council backs the bridge plan" and og:title ``og``, each written once in its own tag, plus
    ``ld_copies`` / ``og_copies`` more times in the body (share buttons, a script's JSON, a data attribute)."""
    import html
    import json

    ld = "Council backs the bridge plan"
    meta = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": ld})
    extra = "".join(f"<a class='share' data-title='{html.escape(ld)}'>share</a>" for _ in range(ld_copies))
    extra += "".join(f"<script>window.page = {json.dumps({'title': og})};</script>" for _ in range(og_copies))
    return (f"<html lang='en'><head><title>Example News</title>"
            f"<meta property='og:title' content='{html.escape(og)}'>"
            f"<script type='application/ld+json'>{meta}</script></head>"
            f"<body><article>{extra}{_paragraphs(6)}</article></body></html>").encode()


@pytest.mark.parametrize("ld_copies, og_copies, settings, title", [
    # the headline the page repeats more often wins where JSON-LD and og:title disagree
    (0, 2, {}, "Riverton will rebuild its stone bridge"),
    (2, 1, {}, "Council backs the bridge plan"),
    # a tie: the configured order (JSON-LD first)
    (1, 1, {}, "Council backs the bridge plan"),
    # title_tiebreak: order always takes the first; a site's own order is never overruled
    (0, 2, {"title_tiebreak": "order"}, "Council backs the bridge plan"),
    (0, 2, {"site_title_sources": {"example.com": ["json_ld", "og_title"]}}, "Council backs the bridge plan"),
    (0, 2, {"title_sources": ["og_title", "json_ld"]}, "Riverton will rebuild its stone bridge"),
    (2, 0, {"title_sources": ["og_title", "json_ld"]}, "Council backs the bridge plan"),
])
def test_title_tiebreak_by_occurrences(ld_copies, og_copies, settings, title):
    page = _two_headlines_page(ld_copies, og_copies)
    assert extract(page, URL, settings=ExtractionSettings(**settings)).title == title


def test_title_occurrences_count_escaped_copies():
    # the og:title with quotes and an ampersand: in the meta tag HTML-escaped, in the scripts JSON-escaped
    og = 'Mayor: "We rebuild" & vote'
    assert extract(_two_headlines_page(0, 2, og=og), URL).title == og
    assert extract(_two_headlines_page(3, 2, og=og), URL).title == "Council backs the bridge plan"


@pytest.mark.parametrize("title_tag", ['Marathon: winner and "royal visit"', 'Marathon: winner and "royal visit" | Example News'])
def test_meta_title_cut_at_an_unescaped_quote_is_repaired(title_tag):
    # the publisher wrote the headline's double quotes into content="..." unescaped: the parser ends og:title at the
    # first one; the full headline is taken from the candidate that goes on from there
    page = (f"<html lang='en'><head><title>{title_tag}</title><meta property='og:site_name' content='Example News'>"
            f'<meta property="og:title" content="Marathon: winner and "royal visit"">'
            f"</head><body><article>{_paragraphs(6)}</article></body></html>").encode()
    e = extract(page, URL, settings=ExtractionSettings(title_sources=["og_title"]))
    assert e.title == 'Marathon: winner and "royal visit"'
    # a headline that merely starts another candidate (no quote where it ends) is left as it is
    short = page.replace(b'content="Marathon: winner and "royal visit""', b'content="Marathon: winner"')
    assert extract(short, URL, settings=ExtractionSettings(title_sources=["og_title"])).title == "Marathon: winner"


def test_html_title_source_is_stripped_of_the_site_name():
    e = extract(PAGE, URL, settings=ExtractionSettings(title_sources=["html_title"]))
    assert e.title == "Council backs the bridge plan"       # "<h1> | Example News" without the site


def test_title_source_settings_are_validated(tmp_path):
    import re

    from tests.cfgutil import config_error, load_config_text

    sites = "processing:\n  extraction:\n    site_title_sources:\n      {}\n"
    assert re.search(r"site_title_sources.*not a host name.*e\.g\. 'n-tv\.de'",
                     config_error(tmp_path, sites.format("'https://n-tv.de': [og_title]")))
    assert "site_title_sources" in config_error(tmp_path, sites.format("n-tv.de: [og]"))
    ok = load_config_text(tmp_path, sites.format("www.n-tv.de: [og_title, json_ld]"))
    assert ok.processing.extraction.title_sources_for("sport.n-tv.de") == ["og_title", "json_ld"]


def test_script_rendered_page_says_why_it_has_no_article():
    shell = (b"<html><head><title>A story</title></head><body><div id='app'></div>"
             b"<script>self.__next_f.push([1, \"the whole article text lives here, in script data\"])</script>"
             b"</body></html>")
    e = extract(shell, URL)
    assert e.status == "not_article"
    assert "renders its text with JavaScript" in e.error and "self.__next_f.push" in e.error
    plain = extract(b"<html><head><title>A story</title></head><body><div id='app'></div></body></html>", URL)
    assert plain.status == "not_article" and "JavaScript" not in plain.error


@pytest.mark.parametrize("title, names, host, expected", [
    ("Riverton votes on the bridge | Example News", ["Example News"], "", "Riverton votes on the bridge"),
    ("Riverton votes on the bridge - news.example.com", [], "news.example.com", "Riverton votes on the bridge"),
    ("宮崎県で震度5弱、津波注意報：朝日新聞デジタル", ["朝日新聞デジタル"], "", "宮崎県で震度5弱、津波注意報"),
    ("協賛企業が総スカンで大激震！｜日刊ゲンダイDIGITAL", ["日刊ゲンダイDIGITAL"], "", "協賛企業が総スカンで大激震！"),
    ("Zelensky considers firing top general * The Gateway Pundit * by Paul Serran", ["The Gateway Pundit"],
     "thegatewaypundit.com", "Zelensky considers firing top general"),
    ("Gericht urteilt | DW | 28.04.2023", ["DW"], "dw.com", "Gericht urteilt"),
    # a tail that names neither the site nor a date stays
    ("Nationale Demo: OGBL und LCGB demonstrieren", ["Tageblatt"], "tageblatt.lu",
     "Nationale Demo: OGBL und LCGB demonstrieren"),
])
def test_site_name_tails_are_stripped(title, names, host, expected):
    from pipeline.extract import _strip_site

    assert _strip_site(title, names, [], host) == expected


def test_title_loses_a_section_tail_where_the_page_marks_up_the_headline():
    # "<headline>-정치ㅣ한국일보": the site's name goes as usual; "-정치" (the section, joined without spaces) goes
    # because <meta name="headline"> ends exactly before it
    head = "장동혁, 한동훈 제명했지만… '윤 어게인' 절연 부담 커졌다"
    page = (f"<html lang='ko'><head><title>{head}-정치ㅣ한국일보</title>"
            f"<meta property='og:title' content=\"{head}-정치ㅣ한국일보\"><meta name='headline' content=\"{head}\">"
            f"<meta property='og:site_name' content='한국일보'></head>"
            f"<body><article>{_paragraphs(6)}</article></body></html>").encode()
    assert extract(page, URL).title == head
    # without the marked-up headline the tail stays: "-정치" alone proves nothing
    assert extract(page.replace(b"name='headline'", b"name='other'"), URL).title == f"{head}-정치"
    # a colon is never such a tail: a kicker ("Tony Blair: Why …") keeps its headline
    kicker = (b"<html><head><title>Tony Blair: Why there has to be compromise</title>"
              b"<meta itemprop='headline' content='Tony Blair'></head><body><article>"
              + _paragraphs(6).encode() + b"</article></body></html>")
    assert extract(kicker, URL).title == "Tony Blair: Why there has to be compromise"


def test_keyword_lists_become_one_tag_each():
    page = ("<html lang='en'><head><title>Bridge vote</title><meta name='description' content='&lt;p&gt;The council voted. | '>"
            "<meta name='keywords' content='Riverton, bridge,Council;  Transport | 100312362'>"
            "<meta property='article:tag' content='Science &amp;amp; Technology'>"
            "<meta property='article:section' content='Business, Finance, &amp; Economics'>"
            f"</head><body><article>{_paragraphs(6)}</article></body></html>").encode()
    e = extract(page, URL)
    assert e.tags == ["Riverton", "bridge", "Council", "Transport", "Science & Technology"]
    assert e.categories == ["Business, Finance, & Economics"]
    assert e.description == "The council voted."        # markup and a template's empty " | " tail dropped


def test_tags_keep_their_apostrophes_and_quotes():
    # trafilatura hands its keyword metas over without ' and " ("Protection de lenvironnement"): they are put back
    # from the metas as written; a tag the metas do not write with one stays as it is
    head = ("<meta name='keywords' content='Protection de l&#039;environnement, Stati Uniti d&#39;America, "
            "&quot;Brexit&quot; deal, Pêche'><meta property='article:tag' content=\"Michelle O'Neill\">")
    assert extract(_tag_page(head), URL).tags == ["Protection de l'environnement", "Stati Uniti d'America",
                                                  '"Brexit" deal', "Pêche", "Michelle O'Neill"]
    assert extract(_tag_page("<meta name='keywords' content='Dont panic, Rock n roll'>"), URL).tags == [
        "Dont panic", "Rock n roll"]


def test_a_chinese_or_japanese_keyword_list_separated_by_spaces_is_one_tag_a_word():
    # Chinese and Japanese write a word without spaces: spaces between Han and kana words separate the keywords
    # (People's Daily's "深空探测 探月工程 …"); an ideographic space too. Korean phrases have spaces, and stay whole,
    # as does a keyword mixing Latin letters in, and a link's text
    e = extract(_tag_page("<meta name='keywords' content='深空探测 探月工程　航天技术, 東京 オリンピック'>"), URL)
    assert e.tags == ["深空探测", "探月工程", "航天技术", "東京", "オリンピック"]
    assert extract(_tag_page("<meta name='keywords' content='서울 시청,G7 サミット'>"), URL).tags == ["서울 시청",
                                                                                                   "G7 サミット"]
    assert _split_list(["深空探测 探月工程"], split=False) == ["深空探测 探月工程"]


def _tag_page(head: str, site: str = "Riverton Herald") -> bytes:
    return (f"<html lang='en'><head><title>Bridge vote</title><meta property='og:site_name' content='{site}'>{head}"
            f"</head><body><article>{_paragraphs(6)}</article></body></html>").encode()


def test_tags_come_from_json_ld_or_other_keyword_metas_when_the_head_has_none():
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Bridge vote", "keywords": '
          '["Riverton", "Bridges", "_commerce", "26157981-b4f7-4929-adc1-e860c6f03636", "rivertonherald.com", '
          '"editors_pick"]}</script>')
    news = "<meta name='news_keywords' content='Transport, Council'>"
    assert extract(_tag_page(ld + news), URL).tags == ["Riverton", "Bridges"]     # JSON-LD first, bookkeeping out
    assert extract(_tag_page(news), URL).tags == ["Transport", "Council"]
    # JSON-LD keywords as objects, or one string
    terms = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Bridge vote", "keywords": '
             '[{"@type": "DefinedTerm", "name": "Bridges"}, 2024, null, "Riverton"]}</script>')
    assert extract(_tag_page(terms), URL).tags == ["Bridges", "Riverton"]
    assert extract(_tag_page(terms.replace('[{"@type": "DefinedTerm", "name": "Bridges"}, 2024, null, "Riverton"]',
                                           '"Bridges, Riverton"')), URL).tags == ["Bridges", "Riverton"]
    # Dublin Core subjects, one meta each, written in the body
    dc = _tag_page("").replace(b"<article>", b"<meta name='dc.subject' content='Transport'>"
                                            b"<meta name='DC.subject' content='Local politics'><article>")
    assert extract(dc, URL).tags == ["Transport", "Local politics"]
    # a classification's tags (Fox News)
    assert extract(_tag_page("<meta name='classification-tags' content='bridges,riverton-council'>"), URL).tags == [
        "bridges", "riverton-council"]
    # a web analytics channel list (Reuters', whose keywords are subject codes)
    codes = "<meta name='keywords' content='" + ",".join(f"C{i:02d}" for i in range(12)) + "'>"
    channels = "<meta name='DCSext.ChannelList' content='Local politics;Transport'>"
    assert extract(_tag_page(codes + channels), URL).tags == ["Local politics", "Transport"]
    # microdata keywords count for the article, not for another item (a WordPress theme's footer: Lesotho Times)
    footer = ("<footer itemscope itemtype='http://schema.org/WPFooter'>"
              "<meta itemprop='keywords' content='Data Protection, Copyright Data'></footer>")
    item = _tag_page("").replace(b"<article>", b"<article itemscope itemtype='https://schema.org/NewsArticle'>"
                                              b"<meta itemprop='keywords' content='Bridges, Ferries'>")
    assert extract(item, URL).tags == ["Bridges", "Ferries"]
    assert extract(item.replace(b"</body>", f"{footer}</body>".encode()), URL).tags == ["Bridges", "Ferries"]
    assert extract(_tag_page("").replace(b"</body>", f"{footer}</body>".encode()), URL).tags == []
    # a CMS's own name for its keyword meta (Börsen-Zeitung)
    assert extract(_tag_page("<meta name='custom-keywords' content='Aufsichtsrat, Deutsche Bank'>"), URL).tags == [
        "Aufsichtsrat", "Deutsche Bank"]
    # the <head>'s keywords, where trafilatura finds them, still come first
    assert extract(_tag_page(ld + "<meta name='keywords' content='Elections'>"), URL).tags == ["Elections"]


def test_the_article_own_tag_lists_come_before_a_keywords_meta_that_adds_search_terms():
    # two article:tag metas or more are the tags, not the keywords meta's search terms (Durban Local, Metro)
    kw = "<meta name='keywords' content='Riverton news, Riverton latest news, Bridges, Ferries'>"
    og = "<meta property='article:tag' content='Ferries'><meta property='article:tag' content='Bridges'>"
    assert extract(_tag_page(kw + og), URL).tags == ["Ferries", "Bridges"]
    # one article:tag is often the section: all the metas' keywords then, as trafilatura merges them
    one = extract(_tag_page(kw + "<meta property='article:tag' content='Transport'>"), URL).tags
    assert one == ["Riverton news", "Riverton latest news", "Bridges", "Ferries", "Transport"]
    # news_keywords that the keywords meta holds with more: the news_keywords (Times of India, MDR)
    assert extract(_tag_page(kw + "<meta name='news_keywords' content='bridges, Ferries'>"), URL).tags == [
        "bridges", "Ferries"]
    # not when it lists others too, nor when it lists the same
    for news in ("Bridges, Council", "Riverton news, Riverton latest news, Bridges, Ferries"):
        assert extract(_tag_page(kw + f"<meta name='news_keywords' content='{news}'>"), URL).tags == [
            "Riverton news", "Riverton latest news", "Bridges", "Ferries"]


def test_tags_drop_the_site_and_a_cms_label_list():
    # a list mostly of "Label: value" entries is bookkeeping: the next place with keywords counts
    labels = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Bridge vote", "keywords": '
              '["Day: Friday", "Page Type: Article", "WC: 1000-1999", "Medium"]}</script>')
    page = _tag_page(labels + "<meta name='news_keywords' content='Riverton Herald, the Riverton Herald, Transport, "
                              "rh-stats-reach-all-articles'>")
    assert extract(page, URL).tags == ["Transport"]
    assert extract(_tag_page(labels), URL).tags == []
    # but the entries labelled as the page's subjects are its tags (The Intercept's)
    subjects = labels.replace('"Medium"', '"Subject: National Security", "Topic:  World", "Language: English"')
    assert extract(_tag_page(subjects), URL).tags == ["National Security", "World"]
    assert extract(_tag_page(subjects + "<meta name='news_keywords' content='Transport'>"), URL).tags == [
        "National Security", "World"]
    # a headline written into the list is no keyword
    long = "Council votes for the new bridge over the Riven after a year of delays as the opposition vows to fight on"
    assert extract(_tag_page(f"<meta name='keywords' content='{long}, Bridges'>"), URL).tags == ["Bridges"]


def test_a_tag_written_after_its_kind_is_the_keyword_and_an_internal_key_is_none():
    # "organization/Lundsberg" (a taxonomy's kind before the keyword) is "Lundsberg"; "source:tagname:…" is a CMS's
    # key; a slash of the keyword's own stays ("AC/DC", "24/7"), and a kind that repeats a keyword adds nothing
    page = _tag_page("<meta name='keywords' content='organization/Lundsberg, sections/Sverige, topic/Misshandel &amp; "
                     "överfall, Tags/Sverige, AC/DC, 24/7, source:tagname:CNBC US Source, Crypto'>")
    assert extract(page, URL).tags == ["Lundsberg", "Sverige", "Misshandel & överfall", "AC/DC", "24/7", "Crypto"]


def test_a_long_list_of_subject_codes_is_no_tags():
    # a wire service's codes (Reuters: "AER,AERO,AIRL,…,PACKAGE:US-TOP-NEWS"): the next place with keywords counts
    codes = "AER,AERO,AIRL,AIRS08,CRSH,DIS,GEN,INDG,INDS08,PSSNGR,TPT,PACKAGE:US-TOP-NEWS"
    page = _tag_page(f"<meta name='keywords' content='{codes}'><meta name='news_keywords' content='Aviation'>")
    assert extract(page, URL).tags == ["Aviation"]
    # a few acronyms are tags, and so is a long list that is mostly words
    assert extract(_tag_page("<meta name='keywords' content='NATO, EU, USA'>"), URL).tags == ["NATO", "EU", "USA"]
    words = "NATO, EU, UN, OSCE, Ukraine, Russia, Sanctions, Diplomacy, Kyiv, Moscow"
    assert extract(_tag_page(f"<meta name='keywords' content='{words}'>"), URL).tags == words.split(", ")


def test_links_marked_as_tags_are_the_tags_where_no_keyword_list_names_any():
    links = ("<ul class='entry-footer__tags'><li><a href='/tag/bridges/' rel='tag'>Bridges</a></li>"
             "<li><a href='/tag/dc/' rel='nofollow TAG'>Washington, D.C.</a></li>"       # one tag, any case of rel
             "<li><a href='/tag/bridges/' rel='tag'>bridges</a></li></ul>"                 # a repeat
             "<a href='/category/news/' rel='category tag'>News</a>"                      # WordPress's category
             "<noscript><a href='/tag/hidden/' rel='tag'>Hidden</a></noscript>"           # not shown
             "<a href='/tag/herald/' rel='tag'>Riverton Herald</a>"                       # the site's own name
             "<a href='/tagged/' rel='tags'>Tagged</a>")                                   # another link type
    page = _tag_page("").replace(b"</article>", f"</article>{links}".encode())
    assert extract(page, URL).tags == ["Bridges", "Washington, D.C."]
    # a keyword list of the page comes first
    assert extract(page.replace(b"</head>", b"<meta name='news_keywords' content='Elections'></head>"),
                   URL).tags == ["Elections"]


def test_a_list_its_class_names_as_tags_gives_the_tags_where_nothing_else_does():
    # the last place: the links of the first element whose class or id names it a list of tags, outside the
    # navigation, header, footer and asides; "#" goes, a label is no tag, a menu of more than 30 links is skipped
    menu = "".join(f"<a href='/t/{i}'>Topic {i}</a>" for i in range(31))
    nav = "<nav><ul class='nav-tags'><li><a href='/politics'>Politics</a></li></ul></nav>"
    header = "<header><div id='header-keywords'><a href='/sport'>Sport</a></div></header>"
    box = ("<div class='article__tags'><span>Topics</span> <a href='/themen'>Themen:</a> "
           "<a href='/t/bridges'>#Bridges</a> <a href='/t/council'> Riverton  council </a>"
           "<a href='/t/herald'>Riverton Herald</a></div>")                               # the site's own name goes
    camel = "<ul class='singleTagList'><li><a href='/t/canal'>Canal</a></li></ul>"
    page = _tag_page("").replace(b"<body>", f"<body>{nav}{header}<div class='tags'>{menu}</div>".encode())
    assert extract(page.replace(b"</article>", f"</article>{box}{camel}".encode()), URL).tags == [
        "Bridges", "Riverton council"]
    assert extract(page.replace(b"</article>", f"</article>{camel}".encode()), URL).tags == ["Canal"]
    # a data attribute without a value that names the box (Funke's "data-test-tags-box-v2"), not one with a value
    marker = "<section data-test-tags-box-v2><h4>Mehr lesen über</h4><ul><li><a href='/t/ferry/'>Ferry</a></li></ul>"
    assert extract(page.replace(b"</article>", f"</article>{marker}</section>".encode()), URL).tags == ["Ferry"]
    valued = marker.replace("data-test-tags-box-v2", "data-tags='ferry'")
    assert extract(page.replace(b"</article>", f"</article>{valued}</section>".encode()), URL).tags == []
    assert extract(page, URL).tags == []                 # only the navigation, the header and a menu
    # a class that only contains the letters is none
    assert extract(page.replace(b"</article>", b"</article><div class='stages'><a href='/s'>Stage</a></div>"),
                   URL).tags == []
    # a keyword list of the page, or links marked rel="tag", come first
    with_meta = page.replace(b"</head>", b"<meta name='news_keywords' content='Elections'></head>")
    assert extract(with_meta.replace(b"</article>", f"</article>{box}".encode()), URL).tags == ["Elections"]
    marked = f"</article>{box}<a href='/tag/ferry/' rel='tag'>Ferry</a>".encode()
    assert extract(page.replace(b"</article>", marked), URL).tags == ["Ferry"]


def test_the_links_after_a_tags_label_are_the_tags_where_nothing_else_gives_any():
    # FAZ's "Schlagworte:" written before its links, the link to every topic after them left out
    faz = ("<div class='footer-links'> Schlagworte: <!--[--><a href='/thema/bern'>Bern</a>"
           "<a href='/thema/spionage'>Spionage</a><!--]--><a href='/themen/'>Alle Themen</a></div>")
    page = _tag_page("")
    assert extract(page.replace(b"</article>", f"</article>{faz}".encode()), URL).tags == ["Bern", "Spionage"]
    # the label as the first child without links, in another language, with a space before the colon
    strong = "<p><strong>Mots-clés :</strong> <a href='/t/ponts'>Ponts</a>, <a href='/t/conseil'>Conseil</a></p>"
    assert extract(page.replace(b"</article>", f"</article>{strong}".encode()), URL).tags == ["Ponts", "Conseil"]
    # a sentence that begins with the word is no label, nor a label in the navigation
    sentence = "<p>Keywords matter: <a href='/guide'>the guide</a></p>"
    nav = "<nav><p>Topics: <a href='/politics'>Politics</a></p></nav>"
    assert extract(page.replace(b"</article>", f"</article>{sentence}{nav}".encode()), URL).tags == []
    # a list whose class names it the tags comes first
    box = "<ul class='article-tags'><li><a href='/t/ferry'>Ferry</a></li></ul>"
    assert extract(page.replace(b"</article>", f"</article>{faz}{box}".encode()), URL).tags == ["Ferry"]


def test_a_keyword_meta_of_the_headline_words_gives_no_tags():
    # ABC's and La Vanguardia's keywords are the headline's words, accents dropped: not the page's topics
    def page(head: str) -> bytes:
        return _tag_page(head).replace(b"<title>Bridge vote</title>",
                                       "<title>Concejo aprueba la reconstrucción del puente viejo</title>".encode())

    words = "<meta name='keywords' content='concejo, aprueba, reconstruccion, puente, viejo'>"
    tags = "<meta property='article:tag' content='Puente,Urbanismo'>"
    # the page's own tag "Puente" stays, although the headline's "puente" is dropped
    assert extract(page(words + words.replace("'keywords'", "'news_keywords'") + tags), URL).tags == [
        "Puente", "Urbanismo"]
    assert extract(page(words), URL).tags == []
    # one word in five may be another (4 of 5 headline words), two in five not; phrases and short lists are topics
    assert extract(page(words.replace("viejo", "obras")), URL).tags == []
    other = words.replace("viejo", "obras").replace("puente", "riverton")
    assert extract(page(other), URL).tags == ["concejo", "aprueba", "reconstruccion", "riverton", "obras"]
    phrases = "<meta name='keywords' content='puente viejo, concejo municipal, reconstruccion'>"
    assert extract(page(phrases), URL).tags == ["puente viejo", "concejo municipal", "reconstruccion"]
    assert extract(page("<meta name='keywords' content='puente, concejo'>"), URL).tags == ["puente", "concejo"]


def test_the_tags_the_page_script_data_lists_come_last():
    import json

    # a Next.js page: the article's own topics near the root, the related articles' topics deeper down
    props = {"props": {"pageProps": {"page": {
        "topics": [{"title": "Bridges", "url": "/topics/b1"}, {"title": "Riverton council", "url": "/topics/c2"}],
        "related": [{"content": [{"metadata": {"topics": ["Weather"]}}]}]}}}}
    next_data = f"<script id='__NEXT_DATA__' type='application/json'>{json.dumps(props)}</script>"
    page = _tag_page("").replace(b"</body>", f"{next_data}</body>".encode())
    assert extract(page, URL).tags == ["Bridges", "Riverton council"]
    # script data that is null, a string or a number before the tags
    scalars = "".join(f"<script type='application/json'>{v}</script>" for v in ("null", '"tags"', "3"))
    assert extract(page.replace(b"<script id=", f"{scalars}<script id=".encode()), URL).tags == [
        "Bridges", "Riverton council"]
    # the related list alone is found as well: the depth only chooses between lists
    alone = {"related": [{"metadata": {"topics": ["Weather"]}}]}
    assert extract(_tag_page("").replace(b"</body>", f"<script type='application/json'>{json.dumps(alone)}"
                                         f"</script></body>".encode()), URL).tags == ["Weather"]

    def layer(values) -> bytes:      # a data layer assigned in an inline script
        data = json.dumps({"page": "article", "tag": values, "keywords": [{"name": "Canal", "weight": 3.1}]})
        return _tag_page("").replace(b"</body>", f"<script>window.dataLayer = [{data}];</script></body>".encode())

    assert extract(layer(["Bridges", "Prinz Harry"]), URL).tags == ["Bridges", "Prinz Harry"]
    # a list all in lower case is slugs, one all in capitals codes: the next list counts; "_" is no tag
    assert extract(layer(["bridges", "riverton_council"]), URL).tags == ["Canal"]
    assert extract(layer(["BRIDGES", "AIRL"]), URL).tags == ["Canal"]
    assert extract(layer(["Bridges", "Weir", "riverton_council"]), URL).tags == ["Bridges", "Weir"]
    assert extract(layer([{"slug": "bridges"}, "Canal"]), URL).tags == ["Canal"]    # an entry without a name
    # a CMS's own flags and ids are no tags, and a list half of them or lower case without them is none
    assert extract(layer(["Bridges", "Weir", "defaultArticle", "iPhone"]), URL).tags == ["Bridges", "Weir", "iPhone"]
    assert extract(layer(["article", "bridges", "receiveHeraldNews"]), URL).tags == ["Canal"]
    assert extract(layer(["Bridges", "pPuuZWU2XCTyJXbiK6W65o", "PNTvb5A8Dkm45toVw5P4k5"]), URL).tags == ["Canal"]
    # tags the page lists elsewhere come first
    with_meta = layer(["Bridges"]).replace(b"</head>", b"<meta name='news_keywords' content='Elections'></head>")
    assert extract(with_meta, URL).tags == ["Elections"]


def test_chinese_editor_credit_is_the_byline_where_the_page_names_no_author():
    body = "<p>" + "绿江市将修建有轨电车线路，市长李明表示工程明年开工。" * 20 + "</p>"
    page = ("<html lang='zh'><head><title>绿江市将修建有轨电车线路</title></head><body><article>" + body +
            "</article><div class='edit'>(责编：牛镛、岳弘彬)</div><div>编辑部：电话</div></body></html>").encode()
    assert extract(page, URL).authors == ["牛镛", "岳弘彬"]
    ld = '{"@type": "NewsArticle", "headline": "x", "author": {"@type": "Person", "name": "王明"}}'
    with_author = page.replace(b"</title>", f"</title><script type='application/ld+json'>{ld}</script>".encode())
    assert extract(with_author, URL).authors == ["王明"]          # a named author wins
    assert extract(page.replace("责编".encode(), "来源".encode()), URL).authors == []


def _teaser_page(article_body: str) -> bytes:
    import json

    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Bridge vote",
          "articleBody": article_body}
    teaser = ("<p>The council of Riverton voted on Tuesday to rebuild the old stone bridge over the canal.</p>"
              "<p>Work is to start in spring and last two years, the mayor said after the vote.</p>"
              "<p>The bridge was built in 1841 and has been closed to lorries since the floods of last winter.</p>"
              "<p>Subscribe to read the whole article.</p>")
    return (f"<html lang='en'><head><title>Bridge vote</title><script type='application/ld+json'>{json.dumps(ld)}"
            f"</script></head><body><article><h1>Bridge vote</h1>{teaser}</article></body></html>").encode()


_FULL = ("<p>The council of Riverton voted on Tuesday to rebuild the old stone bridge over the canal.</p>"
         "<figure><img src='b.jpg'><figcaption>The bridge in 1920.</figcaption></figure>"
         "<p>Work is to start in spring and last two years, the mayor said after the vote.</p>"
         "<p>The bridge was built in 1841 and has been closed to lorries since the floods of last winter.</p>"
         + "".join(f"<p>Paragraph {i} of the report: the stone comes from the quarry at Hollin, and the budget "
                   f"is set at four million.</p>" for i in range(4))
         + "<h4>What comes next</h4><p>Traffic will use the ferry &amp; the north road meanwhile.</p>")


@pytest.mark.parametrize("article_body, whole", [
    (_FULL, True),                                                          # HTML: blocks are paragraphs
    (re.sub(r"<figure>.*?</figure>", "", _FULL).replace("</p>", "\n").replace("</h4>", "\n"), True),  # lines
    (_FULL + _FULL, False),                  # the article twice: not taken
    ("<p>Another story entirely: the harbour closes for the winter, and the ferries stop in November.</p>" * 6,
     False),                                 # none of the page's paragraphs: another text
    ("<p>The council of Riverton voted on Tuesday to rebuild the old stone bridge over the canal.</p>", False),
])
def test_the_whole_article_from_json_ld_where_the_page_shows_a_teaser(article_body, whole):
    text = extract(_teaser_page(article_body), URL).text
    assert text.startswith("The council of Riverton voted on Tuesday")
    if whole:
        paragraphs = text.split("\n\n")
        assert len(paragraphs) == 9 and paragraphs[-2:] == [
            "What comes next", "Traffic will use the ferry & the north road meanwhile."]
        assert "Subscribe" not in text and "1920" not in text          # the teaser's call and the caption go
    else:
        assert "Subscribe to read the whole article." in text and "quarry" not in text


@pytest.mark.parametrize("open_mark, close_mark", [
    ("//<![CDATA[", "//]]>"), ("/*<![CDATA[*/", "/*]]>*/"), ("<![CDATA[", "]]>"), ("", "")])
def test_json_ld_inside_a_cdata_section_is_read(open_mark, close_mark):
    """XHTML-era pages wrap the script's JSON in a CDATA section behind comment marks: the JSON-LD is read all the
    same (its authors and date here, which the page shows nowhere else)."""
    ld = ('{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Ferries stop for the winter",'
          ' "datePublished": "2024-08-22T12:00:00+02:00", "author": {"@type": "Person", "name": "Mara Quell"}}')
    para = "<p>The harbour of Riverton closes for the winter, and the ferries stop running in November.</p>" * 8
    page = (f'<html lang="en"><head><title>Ferries stop for the winter</title><script type="application/ld+json">'
            f'\n{open_mark}\n{ld}\n{close_mark}\n</script></head><body><article><h1>Ferries stop for the winter'
            f'</h1>{para}</article></body></html>').encode()
    got = extract(page, URL)
    assert got.authors == ["Mara Quell"]
    assert got.published_at == "2024-08-22T12:00:00+02:00"


def _live_blog(updates: int) -> bytes:
    """A live blog whose JSON-LD lists ``updates`` entries (about 150 characters each) with escaped quotes and line
    breaks in their text, the script inside a paragraph of the article with words after it."""
    import json

    ld = {"@context": "https://schema.org", "@type": "LiveBlogPosting", "headline": "Bridge vote live",
          "datePublished": "2024-08-05T09:00:00+00:00",
          "author": [{"@type": "Person", "name": "Ana Ruiz"}, {"@type": "Person", "name": "Tom Bell"}],
          "liveBlogUpdate": [{"@type": "BlogPosting", "headline": f"Update {i}",
                              "articleBody": f'The mayor said "vote {i} is close".\nMore later.',
                              "author": {"@type": "Person", "name": "Ana Ruiz"}} for i in range(updates)]}
    return (f"<html lang='en'><head><title>Bridge vote live</title></head><body><article><h1>Bridge vote live</h1>"
            f"{_paragraphs(3)}<p>Before the data.<script type='application/ld+json'>{json.dumps(ld)}</script> After the "
            f"data, the council met in the old town hall.</p>{_paragraphs(3)}</article></body></html>").encode()


@pytest.mark.parametrize("updates, blocks_handed_on", [(800, 0), (3, 1)])
def test_a_json_ld_block_over_the_limit_is_read_by_us_alone(monkeypatch, updates, blocks_handed_on):
    """trafilatura gets the page without a JSON-LD block longer than ``JSON_LD_MAX_CHARS`` (its regex fallback over
    such a block cost seconds a page); a shorter one stays. Either way the JSON-LD's headline, authors and date are
    read, and the words after the script stay in the text."""
    import trafilatura

    from pipeline import extract as extract_module

    page = _live_blog(updates)
    assert (len(page) > extract_module.JSON_LD_MAX_CHARS) == (updates == 800)
    handed: list[int] = []
    real = trafilatura.bare_extraction

    def recording(tree, *args, **kw):   # the real extractor; how many JSON-LD scripts its tree holds
        handed.append(len(tree.xpath("//script[@type='application/ld+json']")))
        return real(tree, *args, **kw)

    monkeypatch.setattr(trafilatura, "bare_extraction", recording)
    doc = extract(page, URL)
    assert handed and set(handed) == {blocks_handed_on}
    assert (doc.status, doc.title, doc.authors, doc.published_at) == (
        "ok", "Bridge vote live", ["Ana Ruiz", "Tom Bell"], "2024-08-05T09:00:00+00:00")
    assert "After the data, the council met in the old town hall." in doc.text
    # the same document as when trafilatura reads the block too
    monkeypatch.setattr(extract_module, "JSON_LD_MAX_CHARS", 10**9)
    monkeypatch.setattr(trafilatura, "bare_extraction", real)
    assert extract(page, URL) == doc
