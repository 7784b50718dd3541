"""config/sources.yaml: loaded and validated; errors name the file, the source and the key."""
from __future__ import annotations

import pytest

from pipeline.settings import ConfigError
from pipeline.sources import load_sources


def _write(tmp_path, text):
    p = tmp_path / "sources.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_shipped_file_is_valid_and_has_demo():
    srcs = {s.name: s for s in load_sources()}
    demo = srcs["demo"]
    assert demo.kind == "files" and demo.enabled
    assert demo.resolve(demo.path).is_dir() and demo.resolve(demo.url_map).is_file()
    assert srcs["moscowtimes"].kind == "rss" and srcs["moscowtimes"].url.startswith("https://www.themoscowtimes.com/")
    assert sum(1 for s in srcs.values() if s.kind == "rss" and s.enabled) >= 4


@pytest.mark.parametrize("text, key, words", [
    ("sources:\n  - name: a\n    kind: rss\n", "sources[0] (a)", "needs the key 'url'"),
    ("sources:\n  - name: a\n    kind: site\n", "sources[0] (a)", "needs the key 'url'"),
    ("sources:\n  - name: a\n    kind: atom\n    url: http://x.org/f\n", "sources[0] (a).kind", "rss"),
    ("sources:\n  - name: a\n    kind: rss\n    url: ftp://x.org/f\n", "sources[0] (a).url", "http"),
    ("sources:\n  - name: a\n    kind: rss\n    url: http://x.org/f\n    max_articles: zero\n",
     "sources[0] (a).max_articles", "integer"),
    ("sources:\n  - name: a\n    kind: rss\n    url: http://x.org/f\n    exclude: ['(']\n",
     "sources[0] (a).exclude", "regular expression"),
    ("sources:\n  - name: a\n    kind: rss\n    url: http://x.org/f\n    langauge: en\n",
     "sources[0] (a).langauge", "Extra inputs"),
    ("sources:\n  - name: a\n    kind: urls\n    urls: [http://x.org/1]\n  - name: a\n    kind: urls\n"
     "    urls: [http://x.org/2]\n", "sources[1] (a).name", "duplicate"),
    ("sources:\n  - name: b\n    kind: files\n    path: pages\n", "sources[0] (b)", "url_map"),
    ("sources:\n  - name: c\n    kind: urls\n", "sources[0] (c)", "'urls'"),
    ("sources:\n  - name: d\n    kind: site\n    url: http://x.org/\n    section_pages: -1\n",
     "sources[0] (d).section_pages", "greater than or equal to 0"),
    ("sources:\n  - name: d\n    kind: site\n    url: http://x.org/\n    section_feeds: false\n",
     "sources[0] (d).section_feeds", "'auto', 'always' or 'never'"),
    ("feeds: []\n", None, "'sources'"),
])
def test_errors_name_file_source_and_key(tmp_path, text, key, words):
    p = _write(tmp_path, text)
    with pytest.raises(ConfigError) as e:
        load_sources(p)
    assert e.value.file == str(p)
    assert e.value.key == key
    assert words in e.value.one_line()


def test_options_and_enabled_only(tmp_path):
    p = _write(tmp_path, """
sources:
  - name: one
    kind: rss
    url: https://example.org/feed
    language: fr
    tags: [a, b]
    max_articles: 5
    include: ['/news/']
    exclude: ['/live/']
  - name: later
    kind: urls
    urls: [https://example.org/x]
    enabled: false
""")
    srcs = load_sources(p)
    assert [s.name for s in srcs] == ["one", "later"]
    assert [s.name for s in load_sources(p, enabled_only=True)] == ["one"]
    one = srcs[0]
    assert (one.language, one.tags, one.max_articles) == ("fr", ["a", "b"], 5)
    assert one.accepts("https://example.org/news/1") and not one.accepts("https://example.org/news/live/1")
    assert not one.accepts("https://example.org/sport/1")
    assert one.resolve("x/y") == tmp_path / "x" / "y"
