"""Language identification: seeded, bounded, reconciled with the declared language."""
from __future__ import annotations

from pipeline.language import identify, sample
from pipeline.settings.processing import LanguageSettings

EN = ("The council met on Tuesday to discuss the budget for next year, and most members agreed that the roads "
      "and schools need more money than they received this year. ") * 3
DE = ("Der Gemeinderat hat am Dienstag über den Haushalt für das kommende Jahr beraten, und die meisten Mitglieder "
      "waren sich einig, dass Straßen und Schulen mehr Geld brauchen. ") * 3
SHORT_AMBIGUOUS = "Taxi hotel radio"


def test_detects_and_is_deterministic():
    a = identify(EN, [])
    assert a.code == "en" and a.confidence > 0.9 and a.declared is None
    assert all(identify(EN, []) == a for _ in range(5))
    assert identify(DE, ["de"]).code == "de"


def test_confident_detection_beats_a_wrong_declaration():
    r = identify(DE, ["en"])
    assert r.code == "de" and r.declared == "en" and r.confidence >= 0.9


def test_declaration_wins_when_detection_is_unsure():
    r = identify(SHORT_AMBIGUOUS, ["it"], LanguageSettings(override_confidence=0.999999))
    assert r.code == "it" and r.declared == "it"


def test_und_when_nothing_can_be_said():
    r = identify("12345 67 -- !!", [])
    assert r.code == "und" and r.confidence == 0.0
    assert identify("", ["fr"]).code == "fr"


def test_sample_is_bounded():
    long = "a " * 100_000
    assert len(sample(long, 2000)) <= 2002
    assert sample("short", 2000) == "short"


def test_chinese_variants_map_to_zh():
    text = "市长在新闻发布会上表示，这条线路将大大缩短市民的通勤时间，并减少城市中心的交通拥堵。" * 3
    assert identify(text, []).code == "zh"
