"""Chinese entities: the jieba backend (pipeline/entities.py ``JiebaRecognizer``), its rules and its failure."""
from __future__ import annotations

import pytest

from pipeline.entities import by_type, get_recognizer, recognize, zh_person_shaped
from pipeline.page import Page
from pipeline.process import process_page
from pipeline.settings.processing import EntitySettings, ModelSpec, ProcessingSettings
from tests.plugins.shared import load_fundus_manifest, read_fundus_page

# opt-in (its memory: docs/processing.md): the default models with zh switched on
ON = EntitySettings(models={**EntitySettings().models, "zh": ModelSpec(backend="jieba")})

# written for these tests: a head of state met twice, a foreign president, a ministry's spokesman, a professor, a
# university, a news agency, two reporters in a byline, countries and a city
CHINESE = ("国家主席习近平在北京会见了来访的法国总统马克龙。外交部发言人王文斌表示，双方讨论了中国与欧盟的合作。"
           "清华大学教授李明说，习近平的讲话很重要。新华社记者张伟、刘洋报道。")


def test_chinese_people_organisations_and_places():
    r = recognize(CHINESE, "zh", ON)
    assert r.status == "ok", r.error
    g = by_type(r.entities)
    ents = {e["name"]: e for e in r.entities}
    assert ents["习近平"]["type"] == "person" and ents["习近平"]["count"] == 2
    assert ents["习近平"]["first_offset"] == CHINESE.index("习近平")
    # "马克龙" and "李明" are split by the tagger ("马克" "龙", "李" "明说"): the role before them names them whole
    assert {"马克龙", "王文斌", "李明", "张伟", "刘洋"} <= set(g["person"]), g
    assert {"外交部", "清华大学", "新华社"} <= set(g["organization"]), g
    assert {"北京", "法国", "中国"} <= set(g["location"]), g
    # no one-character name, no role word, no half of a split name
    assert not [n for n in ents if len(n) < 2] and not {"主席", "总统", "教授", "马克", "李"} & set(ents)


def test_offsets_are_the_texts():
    rec = get_recognizer("zh", ON)
    text = "（本报讯）\n\n记者宋晨、田中全报道：湖北省国防科工办负责人李金坤表示，研究员米歇尔・布兰深表赞同。"
    found = rec.mentions(text)
    assert all(text[m.start:m.stop] == m.text for m in found), found
    kinds = {(m.text, m.type) for m in found}
    # a byline's names after the role, a place joined to the organisation after it, a family name joined to the
    # given name jieba splits off, a foreign name's parts around the middle dot
    assert {("宋晨", "person"), ("田中全", "person"), ("李金坤", "person"), ("米歇尔・布兰", "person"),
            ("湖北省国防科工办", "organization")} <= kinds, kinds


def test_dictionary_words_tagged_as_names_are_not_people():
    # jieba's dictionary lists "福祉" (welfare), "博士生" (doctoral student) and "友谊" (friendship) as names
    text = "这项合作增进了两国人民的福祉和友谊，来自巴西的博士生也参加了会议。"
    r = recognize(text, "zh", ON)
    assert r.status == "ok", r.error
    assert not by_type(r.entities)["person"], r.entities
    assert "巴西" in by_type(r.entities)["location"]
    assert zh_person_shaped("姚建廷") and zh_person_shaped("欧阳修") and not zh_person_shaped("殷切期望")


def test_max_chars_bounds_what_jieba_reads():
    tail = "后来，国务院总理李强在上海会见了德国总理朔尔茨。"
    text = "新华社北京电。" + "这是一段很长的报道，没有名字。" * 40 + tail
    s = EntitySettings(models={"zh": ModelSpec(backend="jieba", max_chars=200)})
    names = {e["name"] for e in recognize(text, "zh", s).entities}
    assert "新华社" in names and not {"李强", "上海", "德国"} & names
    full = {e["name"] for e in recognize(text, "zh", ON).entities}
    assert {"李强", "上海"} <= full


def test_missing_package_is_an_error_status():
    s = EntitySettings(models={"zh": ModelSpec(backend="jieba", model="xx_no_such_jieba_pkg")})
    r = recognize(CHINESE, "zh", s)
    assert r.status == "error" and r.entities == []
    assert "xx_no_such_jieba_pkg" in r.error and "pip install jieba" in r.error
    page = Page(url="https://example.org/zh", body=("<html><head><title>新闻</title></head><body><article><p>"
                                                   + CHINESE * 3 + "</p></article></body></html>").encode("utf-8"))
    doc = process_page(page, ProcessingSettings(entities=s))
    assert doc["language"] == "zh" and doc["entities_status"] == "error" and "xx_no_such_jieba_pkg" in doc["error"]


def test_model_spec_checks_the_package_name():
    assert ModelSpec(backend="jieba").model is None
    assert ModelSpec(backend="jieba", model="jieba_fast").model == "jieba_fast"
    for bad in (["jieba", "jieba_fast"], "jieba/posseg", "pip install jieba"):
        with pytest.raises(ValueError, match="one Python package"):
            ModelSpec(backend="jieba", model=bad)
    with pytest.raises(ValueError, match="corenlp backend only"):
        ModelSpec(backend="jieba", url="http://127.0.0.1:9000")


@pytest.mark.shared
def test_fundus_chinese_page_end_to_end():
    """The corpus's Chinese page (People's Daily, a Xinhua report) through extraction, language and entities."""
    rows = [r for r in load_fundus_manifest() if r["file"].startswith("cn/")]
    assert rows
    for r in rows:
        doc = process_page(Page(url=r["url"], body=read_fundus_page(r), source=r["file"]), ProcessingSettings(entities=ON))
        assert doc["language"] == "zh" and doc["entities_status"] == "ok", (r["file"], doc["error"])
        people = doc["entities"]["person"]
        assert {"习近平", "姚建廷", "吴伟仁"} <= set(people), people
        assert "中国" in doc["entities"]["location"] and "新华社" in doc["entities"]["organization"]
        assert not [n for t in doc["entities"].values() for n in t if len(n) < 2]
