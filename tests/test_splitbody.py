"""An article body split into sibling containers of one class (ads between the parts) is extracted whole; a
preloaded next article with the same classes is not joined to it."""
from __future__ import annotations

from pipeline.extract import extract
from pipeline.settings.processing import ExtractionSettings

URL = "https://news.example.com/story"


def _para(part: int, i: int) -> str:
    return (f"Part {part} paragraph {i}: the harbour board met again on Thursday to discuss the ferry timetable, "
            f"the cost of the new pier and the complaints of residents about noise during the night shifts.")


def _part(part: int, n: int = 3) -> str:
    return "<div class='article__content'>" + "".join(f"<p>{_para(part, i)}</p>" for i in range(n)) + "</div>"


AD = ("<div class='ad ad__instory'><span class='ad-label'>Advertisement</span>"
      "<div class='ad-wrapper'><div id='instory'></div></div></div>"
      "<aside class='sidebar'><ul><li><a href='/a'>Most read: a story</a></li>"
      "<li><a href='/b'>Most read: another story</a></li></ul></aside>")


def _page(body: str) -> bytes:
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Harbour board meets</title></head>"
            f"<body><header><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></header>"
            f"<main>{body}</main><footer>Contact us</footer></body></html>").encode()


SPLIT = _page("<article><h1>Harbour board meets</h1>" + _part(1, 4) + AD + _part(2) + AD + _part(3) + "</article>")


def test_split_body_is_joined_in_order():
    e = extract(SPLIT, URL)
    assert e.status == "ok", e.error
    paras = e.text.split("\n\n")
    assert paras == [_para(1, i) for i in range(4)] + [_para(2, i) for i in range(3)] + [_para(3, i) for i in range(3)]
    assert "Advertisement" not in e.text and "Most read" not in e.text


def test_without_joining_only_the_first_part_is_extracted():
    # what trafilatura alone does on this layout (the reason for join_split_body)
    e = extract(SPLIT, URL, settings=ExtractionSettings(join_split_body=False))
    assert e.status == "ok" and _para(1, 0) in e.text and _para(2, 0) not in e.text


def test_a_preloaded_next_article_is_not_joined():
    # infinite scroll: the next story preloaded with the same container classes, in its own <article>
    next_article = "<article><h2>Next story</h2>" + _part(9, 4) + "</article>"
    page = _page("<article><h1>Harbour board meets</h1>" + _part(1, 4) + "</article>" + AD + next_article)
    e = extract(page, URL)
    assert e.status == "ok" and _para(1, 0) in e.text and _para(9, 0) not in e.text
