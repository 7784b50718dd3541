"""The entity rules of pipeline.names that the places facet depends on: a province's word before its name."""
from __future__ import annotations

from pipeline.entities import get_recognizer
from pipeline.names import Mention, provinces_named, split_at_breaks, split_place_lists
from pipeline.places import place_facets
from pipeline.settings.processing import EntitySettings


def _mention(text: str, name: str, type: str = "location", nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return Mention(name, type, start, start + len(name))


def _locations(mentions: list[Mention]) -> list[str]:
    return [m.text for m in mentions if m.type == "location"]


def test_the_word_before_a_province_makes_the_city_the_province():
    # the models keep only the city of these (CoreNLP in Spanish, German, Italian; spaCy in English and French)
    for text, name, expected in [
            ("Un incendio obligó a desalojar a 200 vecinos en la provincia de Sevilla.", "Sevilla",
             "Provincia de Sevilla"),
            ("Detenidos tres hombres en la província de Girona.", "Girona", "Província de Girona"),
            ("Detenidos tres hombres en la província d'Alacant.", "Alacant", "Província d'Alacant"),
            ("Police arrested a man in the province of Bergamo on Tuesday.", "Bergamo", "Province of Bergamo"),
            ("Floods hit the Bergamo province on Tuesday.", "Bergamo", "Bergamo Province"),
            ("In der Provinz Bergamo wurden drei Männer festgenommen.", "Bergamo", "Provinz Bergamo"),
            ("Un homme a été arrêté dans la province de Bergame.", "Bergame", "Province de Bergame"),
            ("La città metropolitana di Milano ha approvato il bilancio.", "Milano", "Città metropolitana di Milano")]:
        found = provinces_named([_mention(text, name)], text)
        assert [(m.text, m.type) for m in found] == [(expected, "location")], text
        assert text[found[0].start:found[0].stop].casefold() == expected.casefold()
        assert place_facets(_locations(found))[0] in (["Province of Seville"], ["Province of Girona"],
                                                      ["Province of Alicante"], ["Province of Bergamo"],
                                                      ["Metropolitan City of Milan"])


def test_a_province_split_in_two_or_with_a_word_too_many_is_one():
    text = "Maltempo in Alto Adige e in provincia di Monza e Brianza."
    found = provinces_named([_mention(text, "Alto Adige"), _mention(text, "provincia di Monza"),
                             _mention(text, "Brianza")], text)
    assert _locations(found) == ["Alto Adige", "Provincia di Monza e Brianza"]
    text = "Nella provincia autonoma di Trento nevica."
    assert _locations(provinces_named([_mention(text, "Nella provincia autonoma di Trento")], text)) == [
        "Provincia autonoma di Trento"]
    # an organisation the model typed is a place when its whole name is a province's form
    text = "Las lluvias afectaron a la Provincia de Valencia."
    assert [(m.text, m.type) for m in provinces_named([_mention(text, "Provincia de Valencia", "organization")],
                                                     text)] == [("Provincia de Valencia", "location")]


def test_what_is_no_province_is_left_as_it_was():
    text = "El alcalde de Sevilla visitó la provincia de Tombuctú y la Diputación de Gipuzkoa."
    mentions = [_mention(text, "Sevilla"), _mention(text, "Tombuctú"),
                _mention(text, "Diputación de Gipuzkoa", "organization")]
    assert provinces_named(mentions, text) == mentions
    # a bare province inside a longer place is not cut out of it
    text = "Viajamos por el Golfo de Bizkaia."
    mentions = [_mention(text, "Golfo de Bizkaia")]
    assert provinces_named(mentions, text) == mentions


def test_spanish_corenlp_mentions_become_provinces(corenlp_url):
    text = ("Un incendio forestal obligó a desalojar a 200 vecinos en la provincia de Sevilla, y la Guardia Civil "
            "detuvo a tres hombres en la provincia de La Coruña.")
    mentions = split_place_lists(split_at_breaks(get_recognizer("es", EntitySettings()).mentions(text)), "es")
    assert "Sevilla" in _locations(mentions)        # the model cuts the province to its city
    assert place_facets(_locations(provinces_named(mentions, text))) == (
        ["Province of Seville", "Province of A Coruña"], ["ES"])
