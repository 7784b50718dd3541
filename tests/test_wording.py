"""pipeline.wording: a count's noun agrees with its number."""
from __future__ import annotations

from pipeline.wording import counted


def test_one_is_singular_and_every_other_count_plural():
    assert counted(1, "document") == "1 document"
    assert counted(2, "document") == "2 documents"
    assert counted(0, "document") == "0 documents"
    assert counted(-1, "day") == "-1 days"


def test_a_phrase_takes_its_s_at_the_end():
    assert counted(1, "dead-letter file") == "1 dead-letter file"
    assert counted(3, "dead-letter file") == "3 dead-letter files"


def test_floats_are_written_as_the_callers_write_days():
    assert counted(1.0, "day") == "1 day"
    assert counted(0.5, "day") == "0.5 days"
    assert counted(2.0, "day") == "2 days"
    assert counted(1.5, "day") == "1.5 days"
    assert counted(30 / 24, "day") == "1.25 days"


def test_an_irregular_plural_is_given():
    assert counted(1, "entry", "entries") == "1 entry"
    assert counted(4, "entry", "entries") == "4 entries"
    assert counted(0, "index", "indices") == "0 indices"
    assert counted(2, "watch", "watches") == "2 watches"
