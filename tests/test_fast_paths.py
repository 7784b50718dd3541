"""The faster paths of the processing core give exactly what the slower definitions they replace give: the acronym
definitions found from their parentheses, langdetect's loops rewritten, the link density by one walk, the split body
joined on a copy of the parsed page."""
from __future__ import annotations

import random

import pytest
from langdetect.detector import Detector
from lxml import etree
from trafilatura.utils import load_html

from pipeline import splitbody
from pipeline.extract import _VISIBLE, _link_density
from pipeline.language import _Detector, _get_factory
from pipeline.names import _ACRONYM_DEF_RE, _acronym_definitions

# the pieces of the random texts: words, digits, the characters a word may hold, spaces, parentheses, acronyms
_PIECES = ["a", "B", "Ab", "Office", "of", "x1", "7", "_", "'", "’", ".", "-", " ", " ", "  ", "\n", "(", ")",
           "(OBR)", "(Ab)", "(A)", "(ABCDEFGHI)", "(D&D)", ",", "é", "Über", "ß", "\u00a0", "٣"]


def _spans(matches) -> list[tuple]:
    return [(m.span(), m.groups()) for m in matches]


def test_acronym_definitions_are_the_regular_expressions_matches():
    text = ("The Office for Budget Responsibility (OBR) said so. Later the OBR, the Alternative für Deutschland "
            "(AfD) and (UN) and 12 (NATO) too.")
    assert [m.group(2) for m in _acronym_definitions(text)] == ["OBR", "AfD", "UN"]   # not "12 (NATO)"
    assert _spans(_acronym_definitions(text)) == _spans(_ACRONYM_DEF_RE.finditer(text))
    rnd = random.Random(7)
    for _ in range(20000):
        text = "".join(rnd.choice(_PIECES) for _ in range(rnd.randint(1, 60)))
        assert _spans(_acronym_definitions(text)) == _spans(_ACRONYM_DEF_RE.finditer(text)), repr(text)


@pytest.mark.parametrize("text", [
    "The council met on Tuesday to discuss the budget for next year, and THE MEMBERS agreed. " * 5,
    "Der Gemeinderat hat am Dienstag über den Haushalt für das kommende Jahr beraten. " * 5,
    "Совет директоров собрался во вторник, чтобы обсудить бюджет на следующий год. " * 5,
    "アンゲラ・メルケル氏は月曜日、パリでエマニュエル・マクロン氏と会談した。" * 5,
    "김민수 외교부 장관은 월요일 서울에서 박지영 의원을 만났다. Şeful ș ț ی " * 5,
    "Taxi hotel radio",
])
def test_detector_gives_langdetects_probabilities(text):
    factory = _get_factory(0)

    def probabilities(cls) -> list[tuple[str, float]]:
        det = cls(factory)
        det.append(text)
        return [(p.lang, p.prob) for p in det.get_probabilities()]

    assert probabilities(_Detector) == probabilities(Detector)


_PAGE = """<html><head><title>t</title><script>var x = "not text";</script></head><body>
<!-- a comment --> Intro text <a href="/a">a link <b>bold in link</b></a> tail after link
<div>Block <script>hidden()</script> after script <noscript>hidden too <a>no</a></noscript>
<template><p>hidden</p></template><style>p {}</style> <a href="/b"> two <!-- c --> parts </a></div>
<p>Para <span>span <a>deep link</a> span tail</span> end</p></body></html>"""


def _link_density_by_xpath(tree) -> float:
    """The definition _link_density keeps: two XPath queries over the visible text nodes."""
    body = etree.XPath(f"//body//text()[{_VISIBLE}]", smart_strings=False)(tree)
    links = etree.XPath(f"//body//a//text()[{_VISIBLE}]", smart_strings=False)(tree)
    total = sum(len(t.strip()) for t in body)
    return sum(len(t.strip()) for t in links) / total if total else 0.0


def test_link_density_is_the_xpath_definition():
    tree = load_html(_PAGE)
    assert 0 < _link_density(tree) < 1
    assert _link_density(tree) == _link_density_by_xpath(tree)
    nothing = load_html("<html><body><script>only()</script></body></html>")
    assert _link_density(nothing) == _link_density_by_xpath(nothing) == 0.0


def test_joined_tree_from_the_parsed_page_is_the_one_parsed_again():
    para = "This paragraph of the article is long enough to be looked for in the page {} and more words here."
    html = ("<html><body><article><h1>Title</h1>"
            + "".join(f'<div class="part"><p>{para.format(i)}</p><p>{para.format(i + 10)}</p></div>'
                      f'<aside class="ad"><p>Advertisement {i}</p></aside>' for i in range(3))
            + "</article></body></html>")
    text = "\n\n".join(para.format(i) for i in (0, 10))
    parsed = load_html(html)
    before = etree.tostring(parsed)
    again = splitbody.joined_tree(html, text)
    copied = splitbody.joined_tree(html, text, parsed)
    assert again is not None and copied is not None and copied is not parsed
    assert etree.tostring(copied) == etree.tostring(again)
    assert etree.tostring(parsed) == before          # the parsed page is left as it was
