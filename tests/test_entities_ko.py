"""Korean entities: the kiwi backend (pipeline/entities.py ``KiwiRecognizer``), its typing rules and its failure."""
from __future__ import annotations

import pytest

from pipeline.entities import by_type, get_recognizer, ko_person_shaped, recognize
from pipeline.page import Page
from pipeline.process import process_page
from pipeline.settings.processing import EntitySettings, ModelSpec, ProcessingSettings
from tests.plugins.shared import load_fundus_manifest, read_fundus_page

# opt-in (its memory: docs/processing.md): the default models with ko switched on
ON = EntitySettings(models={**EntitySettings().models, "ko": ModelSpec(backend="kiwi")})

# written for these tests: a president named three times (with particles, once by the family name alone), a minister,
# a party's leader, a reporter, a party, a ministry, a committee, a bank, cities, a province and a country
KOREAN = ("김영수 대통령은 월요일 부산에서 최민정 외교부 장관을 만났다. 김영수 대통령의 발언에 대해 정다은 "
          "국민의힘 대표는 \"김 대통령이 옳다\"고 말했다. 정부는 경기도지사와 함께 인재영입위원회를 열었고, "
          "한국은행과 삼성전자도 참석했다. 회의는 수원시에서 열렸으며 일본과 미국 대표단도 방문했다. "
          "김영수는 이어 대구로 향했다. 윤하늘 기자")


def test_korean_people_organisations_and_places():
    r = recognize(KOREAN, "ko", ON)
    assert r.status == "ok", r.error
    g = by_type(r.entities)
    ents = {e["name"]: e for e in r.entities}
    # particles are not part of names: "김영수는", "김영수 대통령의" are 김영수
    assert ents["김영수"]["type"] == "person" and ents["김영수"]["count"] == 3
    assert ents["김영수"]["first_offset"] == 0
    assert {"김영수", "최민정", "정다은", "윤하늘"} <= set(g["person"]), g
    assert {"외교부", "국민의힘", "인재영입위원회", "한국은행", "삼성전자"} <= set(g["organization"]), g
    assert {"부산", "수원시", "일본", "미국", "대구", "경기도"} <= set(g["location"]), g
    # no family name alone, no title, no name with its particle
    assert not [n for n in ents if len(n) < 2] and not {"김", "대통령", "장관", "김영수는", "부산에서"} & set(ents)


def test_offsets_are_the_texts_and_cut_names_are_joined():
    rec = get_recognizer("ko", ON)
    text = "장동혁 국민의힘 대표가 말했다. 박준석 기자 외 1명. 더불어민주당과 민주당은 같다."
    found = rec.mentions(text)
    kinds = {(m.text, m.type) for m in found}
    # Kiwi cuts these names ("장동" "혁", "박준" "석"): the pieces of one word make the person again
    assert {("장동혁", "person"), ("박준석", "person"), ("국민의힘", "organization"),
            ("더불어민주당", "organization")} <= kinds, kinds
    for m in found:
        said = text[m.start:m.stop]
        # the short form "민주당" is named by the full name the text also writes
        assert said == m.text or (said, m.text) == ("민주당", "더불어민주당"), (said, m)
    assert ("민주당", "organization") not in kinds


def test_people_need_a_name_shape_or_a_role():
    assert ko_person_shaped("이재명") and ko_person_shaped("남궁민수") and not ko_person_shaped("대한민국")
    assert not ko_person_shaped("Kim") and not ko_person_shaped("김")
    # a known city stays a place although 서 and 여 begin Korean names
    r = recognize("서울에서 열린 회의에 여수 시민들이 참석했다.", "ko", ON)
    g = by_type(r.entities)
    assert {"서울", "여수"} <= set(g["location"]) and not g["person"], g


def test_max_chars_bounds_what_kiwi_reads():
    tail = "이후 박서준 장관은 광주에서 기자회견을 열었다."
    text = "국민의힘 관계자가 말했다. " + "이 기사는 아주 긴 보도이며 이름이 없다. " * 20 + tail
    s = EntitySettings(models={"ko": ModelSpec(backend="kiwi", max_chars=200)})
    names = {e["name"] for e in recognize(text, "ko", s).entities}
    assert "국민의힘" in names and not {"박서준", "광주"} & names
    full = {e["name"] for e in recognize(text, "ko", ON).entities}
    assert {"박서준", "광주"} <= full


def test_missing_package_is_an_error_status():
    s = EntitySettings(models={"ko": ModelSpec(backend="kiwi", model="xx_no_such_kiwi_pkg")})
    r = recognize(KOREAN, "ko", s)
    assert r.status == "error" and r.entities == []
    assert "xx_no_such_kiwi_pkg" in r.error and "pip install kiwipiepy" in r.error
    page = Page(url="https://example.org/ko", body=("<html><head><title>뉴스</title></head><body><article><p>"
                                                   + KOREAN * 3 + "</p></article></body></html>").encode("utf-8"))
    doc = process_page(page, ProcessingSettings(entities=s))
    assert doc["language"] == "ko" and doc["entities_status"] == "error" and "xx_no_such_kiwi_pkg" in doc["error"]


def test_model_spec_checks_the_package_name():
    assert ModelSpec(backend="kiwi").model is None
    assert "ko" not in EntitySettings().models and ON.models["ko"].backend == "kiwi"     # opt-in
    for bad in (["kiwipiepy", "x"], "kiwipiepy/model", "pip install kiwipiepy"):
        with pytest.raises(ValueError, match="one Python package"):
            ModelSpec(backend="kiwi", model=bad)
    with pytest.raises(ValueError, match="corenlp backend only"):
        ModelSpec(backend="kiwi", url="http://127.0.0.1:9000")


@pytest.mark.shared
def test_fundus_korean_pages_end_to_end():
    """The corpus's Korean pages (Hankook Ilbo, MBN) through extraction, language and entities."""
    rows = [r for r in load_fundus_manifest() if r["file"].startswith("kr/")]
    assert rows
    people = set()
    for r in rows:
        doc = process_page(Page(url=r["url"], body=read_fundus_page(r), source=r["file"]), ProcessingSettings(entities=ON))
        assert doc["language"] == "ko" and doc["entities_status"] == "ok", (r["file"], doc["error"])
        assert doc["entities"]["person"], r["file"]
        people |= set(doc["entities"]["person"])
        assert not [n for t in doc["entities"].values() for n in t if len(n) < 2]
    assert {"이재명", "윤석열", "장동혁", "정청래"} <= people, people
