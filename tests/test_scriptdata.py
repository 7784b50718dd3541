"""Pages that carry their article only in script data (rendered in the browser): the text is found in the JSON-LD
articleBody, a Next.js App Router flight payload, a JSON script block (Next.js __NEXT_DATA__, Nuxt __NUXT_DATA__) or
the string literals of an inline script (Nuxt 2 window.__NUXT__, Redux states), or a CMS's list of content blocks
(Arc XP, Sanity, Contentful), and extracted like any page's."""
from __future__ import annotations

import json

import pytest

from pipeline import scriptdata
from pipeline.extract import extract

URL = "https://news.example.com/story"
PARAS = ["Der Stadtrat von Lindenau hat am Dienstag beschlossen, das alte Freibad bis zum Sommer zu sanieren.",
         "Bürgermeisterin Jutta Krämer sagte, die Becken würden neu gefliest und die Duschen erneuert.",
         "Die Kosten von 2,4 Millionen Euro trägt zur Hälfte das Land, den Rest übernimmt die Gemeinde.",
         "Der Förderverein sammelt zusätzlich Spenden für eine neue Rutsche am Nichtschwimmerbecken."]


def _shell(head_extra: str = "", body_extra: str = "") -> bytes:
    """An empty app shell: head metadata, no article in the HTML."""
    return (f"<!doctype html><html lang='de'><head><meta charset='utf-8'><title>Freibad wird saniert | Anzeiger</title>"
            f"<meta property='og:title' content='Freibad wird saniert'>"
            f"<meta property='og:site_name' content='Anzeiger'>"
            f"<meta property='article:published_time' content='2026-05-04T08:00:00+02:00'>{head_extra}</head>"
            f"<body><div id='app'></div>{body_extra}</body></html>").encode()


def _push(s: str) -> str:
    return f"<script>self.__next_f.push({json.dumps([1, s])})</script>"


def _flight_page() -> bytes:
    article = "".join(f"<p>{p}</p>" for p in PARAS)
    nbytes = len(article.encode("utf-8"))       # the row length counts UTF-8 bytes ("ä" is two)
    rows = ['0:["$","html",null,{"children":"$L1"}]\n',
            '5:{"detail":{"title":"Freibad wird saniert","contentHtml":"$24"}}\n',
            f"24:T{nbytes:x},{article}",
            '6:["$","footer",null,{"children":"Impressum"}]\n']
    # the payload arrives in several pushes, cut anywhere (here inside the text row)
    data = "".join(rows)
    cut = data.index("Becken")
    return _shell(body_extra=_push("") + _push(data[:cut]) + _push(data[cut:]))


def _assert_article(e):
    assert e.status == "ok", e.error
    assert e.text.split("\n\n") == PARAS
    assert e.title == "Freibad wird saniert"
    assert e.published_at == "2026-05-04T08:00:00+02:00"


def test_next_app_router_flight_payload():
    page = _flight_page()
    _assert_article(extract(page, URL))
    # without the payload the same shell says why it has no article
    plain = extract(_shell(), URL)
    assert plain.status == "not_article"


def test_next_pages_router_data():
    data = {"props": {"pageProps": {"article": {"id": 7, "teaser": "Kurz", "body": "".join(f"<p>{p}</p>"
                                                                                          for p in PARAS)}}}}
    page = _shell(body_extra=f"<script id='__NEXT_DATA__' type='application/json'>{json.dumps(data)}</script>")
    _assert_article(extract(page, URL))


def test_nuxt_payload_json():
    # Nuxt 3 serialises its state as a flat JSON array ("devalue"): the article's HTML is one of its strings
    payload = [["ShallowReactive", 1], {"data": 2}, {"story": 3}, {"id": 4, "title": 5, "html": 6}, 7,
               "Freibad wird saniert", "".join(f"<p>{p}</p>" for p in PARAS)]
    page = _shell(body_extra=f"<script type='application/json' id='__NUXT_DATA__' data-ssr='true'>"
                             f"{json.dumps(payload)}</script>")
    _assert_article(extract(page, URL))


def test_json_ld_article_body():
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Freibad wird saniert",
          "articleBody": "\n".join(PARAS)}
    page = _shell(head_extra=f"<script type='application/ld+json'>{json.dumps(ld)}</script>")
    _assert_article(extract(page, URL))


def test_html_with_its_own_article_is_left_alone():
    # an articleBody that differs from the visible article does not replace it
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Freibad wird saniert",
          "articleBody": "Ein ganz anderer Text. " * 30}
    body = "<article>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</article>"
    page = (_shell(head_extra=f"<script type='application/ld+json'>{json.dumps(ld)}</script>")
            .replace(b"<div id='app'></div>", body.encode()))
    e = extract(page, URL)
    assert e.status == "ok" and "anderer Text" not in e.text and e.text.split("\n\n") == PARAS


def _js_string(text: str) -> str:
    """``text`` as a double-quoted JavaScript literal the way serialisers write one: "<" as \\u003C, "/" as \\u002F
    (so no "</script>" ends the block early), non-ASCII kept."""
    return json.dumps(text, ensure_ascii=False).replace("<", "\\u003C").replace("/", "\\u002F")


def test_nuxt2_window_nuxt_function():
    # Nuxt 2 writes its state as a JavaScript function call, not JSON: unquoted keys, arguments for repeated values
    html = "".join(f'<p class="text">{p}</p>' for p in PARAS)
    script = (f"<script>window.__NUXT__=(function(a,b,c){{return {{layout:\"default\",data:[{{story:{{id:a,"
              f"kicker:\"Lindenau\",title:\"Freibad wird saniert\",body:{_js_string(html)},tags:[b,c]}}}}],"
              f"fetch:{{}},error:null}}}}(7,\"Bad\",\"Stadtrat\"));</script>")
    _assert_article(extract(_shell(body_extra=script), URL))


def test_redux_state_assignment_with_js_escapes():
    # a Redux store assigned in a script; JavaScript-only escapes (\\x3C, \\') are read too, and an HTML
    # attribute's escaped quotes stay inside the string
    html = "".join(rf'<p data-x=\"1\">{p}</p>' for p in PARAS).replace("<", r"\x3C")
    state = ('window.__PRELOADED_STATE__ = {"article":{"headline":"Freibad wird saniert","note":"it' + "\\'" + 's",'
             '"body":"' + html + '"},"user":null};')
    assert r"\x3C" in state and "\\'" in state and r'\"1\"' in state
    page = _shell(body_extra=f"<script>var cfg = {{a: 1}};\n{state}</script>")
    _assert_article(extract(page, URL))
    # the same state in an external script or a JSON block is not read as a script literal
    assert scriptdata._script_literals(f'<script src="app.js">{state}</script>') == []
    assert scriptdata._script_literals(f'<script type="application/json">{state}</script>') == []


def _arc_blocks() -> list[dict]:
    # Arc XP "content_elements": paragraphs with inline markup, an image and an ad between them
    blocks = [{"_id": f"p{i}", "type": "text", "content": p} for i, p in enumerate(PARAS)]
    blocks[1]["content"] = blocks[1]["content"].replace("Jutta Krämer", "<b>Jutta Krämer</b>")
    blocks.insert(1, {"type": "image", "url": "https://img.example.com/bad.jpg", "caption": "Das Freibad im Mai"})
    blocks.insert(3, {"type": "raw_html", "content": "<div class='ad'>Anzeige</div>"})
    return blocks


def test_blocks_in_a_state_assigned_in_a_script():
    state = {"_id": "X7", "headlines": {"basic": "Freibad wird saniert"}, "content_elements": _arc_blocks(),
             "related_content": {"basic": [{"type": "text", "content": "Mehr aus Lindenau"}]}}
    page = _shell(body_extra=f"<script>window.Fusion=window.Fusion||{{}};Fusion.globalContent={json.dumps(state)};"
                             f"Fusion.spa=false;</script>")
    _assert_article(extract(page, URL))


_PORTABLE_TEXT = (   # Sanity: spans inside blocks, a heading style, and a non-text block
    [{"_type": "block", "style": "h2", "children": [{"_type": "span", "text": "Sanierung"}]}]
    + [{"_type": "block", "style": "normal", "children": [{"_type": "span", "text": p[:20]},
                                                           {"_type": "span", "text": p[20:], "marks": ["em"]}]}
       for p in PARAS] + [{"_type": "image", "asset": {"_ref": "image-1"}}])
_CONTENTFUL = [{"nodeType": "paragraph", "content": [{"nodeType": "text", "value": p, "marks": []}]} for p in PARAS]


@pytest.mark.parametrize("blocks, paragraphs", [(_PORTABLE_TEXT, ["Sanierung", *PARAS]), (_CONTENTFUL, PARAS)],
                         ids=["portable-text", "contentful"])
def test_content_blocks_in_json_data(blocks, paragraphs):
    data = {"props": {"pageProps": {"post": {"title": "Freibad wird saniert", "body": blocks}}}}
    page = _shell(body_extra=f"<script id='__NEXT_DATA__' type='application/json'>{json.dumps(data)}</script>")
    e = extract(page, URL)
    assert e.status == "ok", e.error
    assert e.text.split("\n\n") == paragraphs and e.title == "Freibad wird saniert"


def test_one_block_is_not_an_article():
    data = {"teaser": [{"type": "paragraph", "text": " ".join(PARAS)}]}
    e = extract(_shell(body_extra=f"<script type='application/json'>{json.dumps(data)}</script>"), URL)
    assert e.status == "not_article"


def test_script_literal_escapes():
    body = "Es ist" + "\\'" + "s so weit. " * 30
    code = 'var a = 1, s = "' + r"\x3Cp class=\"lead\"\x3E" + body + r"\u003C\u002Fp\u003E" + '";'
    assert scriptdata._script_literals(f"<script>{code}</script>") == ['<p class="lead">' + body.replace("\\", "")
                                                                       + "</p>"]


def test_script_literals_need_a_whole_string():
    # text outside any string (markup built by code) and an unterminated string give nothing
    code = "document.body.innerHTML = '<p>' + text + '</p>'; var s = \"" + "<p>Kein Ende" * 40
    assert scriptdata._script_literals(f"<script>{code}</script>") == []


@pytest.mark.parametrize("body_extra", [
    _push("short text only, no text row"),                                  # no article in the payload
    _push('1:T5,<p>x</p>'),                                                 # a text row too short to be one
    "<script id='__NEXT_DATA__' type='application/json'>{not json</script>",  # broken data
])
def test_script_data_without_an_article_stays_rejected(body_extra):
    e = extract(_shell(body_extra=body_extra), URL)
    assert e.status == "not_article" and "JavaScript" in e.error


def test_flight_text_rows_count_bytes_not_characters():
    text = "<p>Grüße aus Köln, schöne Straße</p>"
    payload = f'1:["$","p"]\n2:T{len(text.encode()):x},{text}3:["$","div"]\n'
    assert scriptdata.flight_text_rows(_push(payload)) == [text]
