"""Near duplicates (pipeline.neardup): MinHash bands of the text, and the marking after a load on the real node."""
from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import subprocess
import sys

import random
from collections import Counter

import pytest
from elasticsearch import helpers

from pipeline.load import bulk_load
from pipeline import neardup
from pipeline.neardup import BANDS, mark_near_duplicates, text_bands
from pipeline.cli.search import print_human
from pipeline.search import search

STORY = [
    "The council of Riverton voted on Tuesday to rebuild the old stone bridge over the canal, which was closed "
    "to traffic last winter after engineers found cracks in two of its arches.",
    "Work starts in the spring. The quarry at Hollin, which supplied the stone for the first bridge in 1842, will "
    "supply it again, and the budget is four million pounds, most of it from the regional transport fund.",
    "Shopkeepers on both banks said the closure had cost them a third of their trade. A temporary footbridge "
    "will stay in place until the new bridge opens, which the council expects in the autumn of next year.",
    "The vote was eleven to two. The two councillors against it wanted a cheaper steel bridge and said the "
    "stone would double the cost of upkeep over the next fifty years.",
    "Historic England, which lists the bridge, welcomed the decision and said the arches would be rebuilt "
    "with the original stones wherever they could be saved.",
]
OTHER = [
    "The harbour of Dunmore closes for the winter on Friday. Ferries to the islands stop in November and the "
    "fishing fleet moves to the southern port until March, the harbour master said on Monday.",
    "Repairs to the north pier, damaged in the October storms, will take most of the winter. The port authority "
    "has asked the government for help with the bill, which it puts at two million euros.",
    "Island residents will be served by a weekly supply boat from the southern port and by the air ambulance, "
    "which lands on the school playing field when the weather allows it.",
]


def _shared(a: str, b: str) -> int:
    return len(set(text_bands(a)) & set(text_bands(b)))


def test_bands_tell_a_copy_from_another_story():
    story = "\n\n".join(STORY)
    bands = text_bands(story)
    assert len(bands) == BANDS == len(set(bands)) and bands == text_bands(story)
    # the copy: another headline is not text; a sentence dropped, a line added
    copy = "\n\n".join(STORY[:1] + [STORY[1].split(". ", 1)[1]] + STORY[2:]) + "\n\nReporting by the Riverton Herald."
    assert _shared(story, copy) >= 10
    # the same words in another order, or another story: few bands, if any
    assert _shared(story, "\n\n".join(reversed(STORY))) >= 10      # shingles stay within sentences: order matters less
    assert _shared(story, "\n\n".join(OTHER * 2)) <= 2
    # too few different shingles and words: no bands (one sentence said again and again, a caption)
    assert text_bands("Example text of an article. " * 50) == [] and text_bands(None) == []
    assert text_bands("Live: updates follow.", "Live") == []
    # a short text of enough different words: one exact band, of its headline and its words (not of case or
    # punctuation), then its two-edit bands (its three parts, for each length within two of its own, at each place
    # they can have moved to: 31 at most, whatever its length), which a long text never has
    brief = text_bands(STORY[0], "Bridge to be rebuilt")
    assert brief[0].startswith("x-") and all(b.startswith("v-") for b in brief[1:])
    assert len(brief) == len(set(brief)) == 32
    assert text_bands(STORY[0].upper().replace(",", ""), "BRIDGE TO BE REBUILT") == brief
    # another headline: another text, four edits from it, though the parts of its text share bands (a filter:
    # the marking then reads the two and finds them too far apart); a word more: another exact band, but two-edit
    # bands in common
    assert set(text_bands(STORY[0], "Another headline")) & set(brief)
    assert not neardup.within_edits(neardup._sequence("Another headline", STORY[0]),
                                    neardup._sequence("Bridge to be rebuilt", STORY[0]))
    again = text_bands(STORY[0] + " Again.", "Bridge to be rebuilt")
    assert again[0] != brief[0] and set(again) & set(brief)
    assert not any(b.startswith(("x-", "v-", "w-")) for b in bands)


def test_bands_are_the_same_in_another_process():
    story = "\n\n".join(STORY)
    code = ("import json, sys; from pipeline.neardup import text_bands; "
            "print(json.dumps(text_bands(sys.stdin.read())))")
    out = subprocess.run([sys.executable, "-c", code], input=story, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == text_bands(story)


BRIEF = ("RIVERTON, May 1 (Wire) - The council of Riverton voted on Tuesday to rebuild the old stone bridge over "
         "the canal, which was closed to traffic last winter, its leader said.")
BRIEF_TITLE = "Riverton to rebuild its stone bridge"


def _joined(title: str, text: str, other_title: str = BRIEF_TITLE, other: str = BRIEF) -> bool:
    """Whether the marking joins two short texts: a band in common, and two word edits apart or fewer (what it reads
    in the index when they share ``v-`` bands only)."""
    return bool(set(text_bands(text, title)) & set(text_bands(other, other_title))) and neardup.within_edits(
        neardup._sequence(title, text), neardup._sequence(other_title, other))


def test_a_short_text_joins_a_copy_two_words_away_and_none_three_words_away():
    one_edit = {
        "said -> says": BRIEF.replace("leader said", "leader says"),
        "a corrected figure": BRIEF.replace("May 1", "May 2"),
        "another dateline": BRIEF.replace("RIVERTON", "LONDON"),
        "a word added": BRIEF.replace("old stone", "old grey stone"),
        "a word dropped": BRIEF.replace("the old stone", "the stone"),
        "the last word dropped": BRIEF.removesuffix(" said."),
        "a word before the first": "UPDATE " + BRIEF,
    }
    two_edits = {
        "two words changed": BRIEF.replace("May 1", "May 2").replace("said", "says"),
        "a dateline of two words for one": BRIEF.replace("RIVERTON", "NEW YORK"),
        "a word changed, one added": BRIEF.replace("Tuesday", "Monday").replace("old stone", "old grey stone"),
        "a word dropped here, one added there": BRIEF.replace("the old stone", "the stone") + " Again",
        "two words swapped": BRIEF.replace("old stone", "stone old"),
        "a window moved by a word": BRIEF.split(" ", 1)[1] + " again",
        "the first two words dropped": BRIEF.split(" ", 2)[2],
    }
    for edit, text in {**one_edit, **two_edits}.items():
        assert _joined(BRIEF_TITLE, text), edit
    assert _joined("Riverton to rebuild its old stone bridge", BRIEF)         # a word more in the headline
    assert _joined(BRIEF_TITLE.removeprefix("Riverton "), "Riverton " + BRIEF)   # moved: dropped and added
    three_edits = {
        "three words changed": BRIEF.replace("May 1", "May 2").replace("said", "says").replace("old", "new"),
        "a dateline of three words for one": BRIEF.replace("RIVERTON", "SAN LUIS OBISPO"),
        "two words dropped, one changed": BRIEF.replace("the old stone", "stone").replace("Tuesday", "Monday"),
        "a window moved by two words": BRIEF.split(" ", 2)[2] + " again and",
    }
    for edit, text in three_edits.items():
        assert not _joined(BRIEF_TITLE, text), edit
    assert not _joined("Another headline", BRIEF)
    assert _joined(BRIEF_TITLE, BRIEF) and text_bands(BRIEF, BRIEF_TITLE) == text_bands(BRIEF, BRIEF_TITLE)
    # the band a short text needs in common: one, against min(near_duplicate_bands, its bands) for a long one
    assert neardup._bands_needed(text_bands(BRIEF, BRIEF_TITLE), 10) == 1
    assert neardup._bands_needed(["x-0", "w-1"], 10) == 1       # a document of loader 9, until migrated
    assert neardup._bands_needed(text_bands("\n\n".join(STORY)), 10) == 10
    assert neardup._bands_needed(text_bands("\n\n".join(STORY)), 40) == BANDS


def _levenshtein(a: list[str], b: list[str]) -> int:
    """The word edit distance, the plain way (every cell of the table): what ``within_edits`` must agree with."""
    previous = list(range(len(b) + 1))
    for i, word in enumerate(a, 1):
        row = [i]
        for j, other in enumerate(b, 1):
            row.append(min(previous[j - 1] + (word != other), previous[j] + 1, row[j - 1] + 1))
        previous = row
    return previous[-1]


def _random_edits(title: list[str], text: list[str], k: int, kinds: str, rnd: random.Random
                  ) -> tuple[list[str], list[str]]:
    """``k`` word edits of ``kinds`` ("i" a word put in, "d" one dropped, "s" one changed), each in the title or
    the text (the text four times in five), at random places; the new words are no word of the vocabulary."""
    title, text = list(title), list(text)
    for n in range(k):
        words = title if rnd.random() < 0.2 and len(title) > 1 else text
        kind = rnd.choice(kinds)
        if kind == "i":
            words.insert(rnd.randrange(len(words) + 1), f"new{n}")
        elif kind == "d":
            del words[rnd.randrange(len(words))]
        else:
            words[rnd.randrange(len(words))] = f"changed{n}"
    return title, text


def test_every_pair_two_edits_apart_shares_a_band_and_none_further_is_joined():
    """A property, on 6,000 random pairs (fixed seed): every pair of short texts exactly one or two word edits apart
    (words put in, dropped, changed, or mixed; in the title or the text) shares a band, and ``within_edits`` agrees
    with the plain edit distance on every pair. Pairs three to six edits apart: no join, ever, since the marking
    reads the two texts when they share ``v-`` bands only; their bands alone are shared by about two in three (three
    edits leave a part whole unless they touch all three parts: they are a filter). Distinct texts (300 pairs of
    random words from 2,000): no band in common, since one would need a part of five words or more alike at
    nearly the same place (a chance under 2,000 ** -5 each)."""
    rnd = random.Random(20261201)
    vocabulary = [f"w{i}" for i in range(2000)]
    counts: Counter = Counter()
    for _ in range(6000):
        # short, with two words more or fewer: a text of 15 different words at least (SHORT_MIN_WORDS) and 42
        # words at most (43 are 40 shingles: a long text), 80 with the title at most (SHORT_MAX_WORDS)
        title = rnd.choices(vocabulary, k=rnd.choice((rnd.randint(2, 12), rnd.randint(2, 38))))
        text = rnd.sample(vocabulary, k=rnd.randint(17, min(40, neardup.SHORT_MAX_WORDS - 2 - len(title))))
        k = rnd.choice((1, 2, 2, 3, 4, 6))
        kinds = rnd.choice(("i", "d", "s", "ids"))
        title2, text2 = _random_edits(title, text, k, kinds, rnd)
        a, b = neardup._sequence(" ".join(title), " ".join(text)), neardup._sequence(" ".join(title2), " ".join(text2))
        distance = _levenshtein(a, b)
        assert neardup.within_edits(a, b) == neardup.within_edits(b, a) == (distance <= 2), (a, b, distance)
        bands = set(text_bands(" ".join(text), " ".join(title)))
        bands2 = set(text_bands(" ".join(text2), " ".join(title2)))
        if distance in (1, 2):
            assert bands & bands2, (kinds, a, b)
            counts[f"{distance} {kinds}"] += 1
        elif distance >= 3:
            counts["3+"] += 1
            counts["3+ sharing a band"] += bool(bands & bands2)
    assert min(counts[f"{d} {kinds}"] for d in (1, 2) for kinds in ("i", "d", "s", "ids")) >= 200, counts
    assert counts["3+"] >= 2000 and 0 < counts["3+ sharing a band"] < counts["3+"], counts
    for _ in range(300):
        one, two = (text_bands(" ".join(rnd.choices(vocabulary, k=40)), " ".join(rnd.choices(vocabulary, k=6)))
                    for _ in range(2))
        assert not set(one) & set(two)


def test_two_edit_bands_of_other_scripts_and_their_bound():
    # a word found, then lowered: "İzmir" is one word, so another city for it is one edit
    tr = ("İzmir, Bornova ve Balıkesir'de orman yangınları sürüyor; itfaiye ekipleri gece boyunca "
          "alevlerle mücadele etti ve köylüler tahliye edildi.")
    assert _joined("Orman yangınları", tr.replace("İzmir", "Muğla"), "Orman yangınları", tr)
    # in Chinese and Japanese a word is a character: two characters changed are two edits, three are three
    zh = "国务院总理今天在北京主持召开常务会议研究部署进一步促进就业的政策措施"
    assert _joined("常务会议", zh.replace("北京", "上海"), "常务会议", zh)
    assert not _joined("常务会议", zh.replace("北京", "上海").replace("今", "昨"), "常务会议", zh)
    # past SHORT_MAX_WORDS title and text words, a short text (one saying few things many times) keeps its exact
    # band only; a short text has 32 bands at most, whatever its length
    words = [f"w{i}" for i in range(20)]
    repeated = " ".join(words * 4)          # 80 words, 20 different: fewer than MIN_SHINGLES different shingles
    assert len(text_bands(repeated)) == 32
    (only,) = text_bands(repeated + " w0")
    assert only.startswith("x-")
    assert max(len(text_bands(" ".join(words[:n]))) for n in range(15, 21)) <= 32


def _doc(make_doc, n: int, paragraphs: list[str], published: str | None, title: str = "Riverton bridge"):
    return make_doc(f"https://wire{n}.example.net/story/{n}", title=title, text="\n\n".join(paragraphs),
                    published_at=published)


@pytest.mark.es
def test_a_short_brief_published_again_with_its_headline_is_a_copy(make_doc, index_client, index_settings, storage):
    flash = "Bridge to be rebuilt"
    docs = [_doc(make_doc, 0, STORY[:1], "2024-05-01T08:00:00+00:00", title=flash),
            _doc(make_doc, 1, STORY[:1], "2024-05-01T08:05:00+00:00", title=flash),       # the same flash: a copy
            _doc(make_doc, 2, STORY[:1], "2024-05-01T08:10:00+00:00", title="Council votes"),   # another headline
            _doc(make_doc, 3, STORY, "2024-05-01T08:20:00+00:00", title=flash)]        # the whole story: no copy
    res = bulk_load(index_client, docs, index_settings, storage=storage, run_id="brief")
    assert res.created == 4 and res.marked == 1
    index_client.indices.refresh(index=index_settings.index.read_alias)
    src = {d["id"]: index_client.get(index=index_settings.index.read_alias, id=d["id"])["_source"] for d in docs}
    assert [src[d["id"]].get("duplicate_of") for d in docs] == [None, docs[0]["id"], None, None]
    assert src[docs[0]["id"]]["copies"] == 1


@pytest.mark.es
def test_short_briefs_two_words_apart_are_copies_three_words_apart_are_not(make_doc, index_client, index_settings,
                                                                           storage):
    """A brief and its copies with "says" for "said" (one edit) and a dateline of two words for one (two edits)
    are one story, though the two copies are three words apart; a brief three words from each is not, nor an
    unrelated brief, nor the whole story under the same headline. When the original is deleted, its two copies,
    three words apart, are no copies of each other."""
    texts = [BRIEF, BRIEF.replace("leader said", "leader says"), BRIEF.replace("RIVERTON", "NEW YORK"),
             BRIEF.replace("Tuesday", "Monday").replace("last winter", "this summer"),
             OTHER[0], "\n\n".join([BRIEF, *STORY])]
    docs = [make_doc(f"https://brief{n}.example.net/{n}", title=BRIEF_TITLE, text=text,
                     published_at=f"2024-05-01T08:{n}0:00+00:00") for n, text in enumerate(texts)]
    res = bulk_load(index_client, docs, index_settings, storage=storage, run_id="briefs")
    assert (res.created, res.marked) == (6, 2)
    alias, write = index_settings.index.read_alias, index_settings.index.write_alias_name

    def src() -> list[dict]:
        index_client.indices.refresh(index=alias)
        return [index_client.get(index=alias, id=d["id"])["_source"] for d in docs[1:]]

    first = index_client.get(index=alias, id=docs[0]["id"])["_source"]
    assert first["copies"] == 2 and first["minhash_bands"] == text_bands(BRIEF, BRIEF_TITLE)
    assert [s.get("duplicate_of") for s in src()] == [docs[0]["id"], docs[0]["id"], None, None, None]
    # the two-edit copy shares no exact band with its original: joined by its v- bands, the texts read
    assert not {b for b in src()[1]["minhash_bands"] if b.startswith("x-")} & set(first["minhash_bands"])
    assert len(src()[-1]["minhash_bands"]) == BANDS
    index_client.delete(index=write, id=docs[0]["id"], refresh=True)
    assert neardup.forget(index_client, write, [docs[0]["id"]], min_bands=10) == 2
    assert [s.get("duplicate_of") for s in src()] == [None] * 5


def _fundus_brief(doc: dict) -> list[str] | None:
    """The first sentences of a fundus article as a brief, its title's and text's words (the text the first
    sentences of 40 words or fewer together, else the first 35 words); None when it gets no one-edit bands (too
    few different words, or too many words with the title)."""
    words: list[str] = []
    for sentence in re.split(r"(?<=[.!?\u3002\uff01\uff1f])\s*", doc["text"] or ""):
        found = neardup._WORD.findall(sentence)
        if len(words) + len(found) > 40:
            break
        words += found
    words = words or neardup._WORD.findall(doc["text"] or "")[:35]
    return words if len(text_bands(" ".join(words), doc["title"])) > 1 else None


@pytest.mark.es
@pytest.mark.shared
@pytest.mark.slow
def test_real_briefs_join_their_copies_two_words_apart_and_nothing_else(fundus_docs, make_doc, index_client,
                                                                  index_settings, storage):
    """The fundus articles' first sentences as briefs, each published again an hour later with one word changed
    (in the middle), added, dropped, or its first word (a dateline) changed, or two words changed (its first, and
    one in the middle): every copy is marked a copy of its brief (but one of a Japanese brief of 80 headline and text
    characters, SHORT_MAX_WORDS, which a word added puts past it), and nothing else is marked: not the briefs (of two
    articles on one topic, too), not their copies with three words changed, not a ticker's template (one brief's
    words with three figures of its own in each of five reports), and not the whole articles, loaded with the same
    titles."""
    articles = list({d["id"]: d for d in fundus_docs if d["status"] == "ok" and d.get("title")}.values())
    docs, want = [], {}

    def add(n: int, kind: str, title: str, words: list[str], hour: int) -> dict:
        doc = make_doc(f"https://briefs.example.net/{n}/{kind}", title=title, text=" ".join(words),
                       language=articles[n]["language"], published_at=f"2024-05-01T{hour:02d}:00:00+00:00")
        docs.append(doc)
        return doc

    for n, article in enumerate(articles):
        words = _fundus_brief(article)
        if words is None:
            continue
        brief = add(n, "brief", article["title"], words, 8)
        p = len(words) // 2
        edit = [lambda w: w[:p] + [f"edit{n}"] + w[p + 1:], lambda w: w[:p] + [f"edit{n}"] + w[p:],
                lambda w: w[:p] + w[p + 1:], lambda w: [f"dateline{n}"] + w[1:],
                lambda w: [f"dateline{n}"] + w[1:p] + [f"edit{n}"] + w[p + 1:]][n % 5]
        copy = add(n, "one", article["title"], edit(words), 9)
        if len(text_bands(copy["text"], copy["title"])) > 1:    # a word added can put it past SHORT_MAX_WORDS
            want[copy["id"]] = brief["id"]
        three = list(words)
        three[1], three[p], three[-2] = f"first{n}", f"second{n}", f"third{n}"
        add(n, "three", article["title"], three, 10)
    assert len(want) >= 200
    template = _fundus_brief(articles[0])
    for report in range(5):
        words = list(template)
        words[2], words[len(words) // 2], words[-3] = f"{report}1", f"{report}2", f"{report}3"   # three figures
        add(0, f"report{report}", articles[0]["title"], words, 11)
    whole = [{**a, "published_at": "2024-04-30T08:00:00+00:00"} for a in articles]
    res = bulk_load(index_client, docs + whole, index_settings, storage=storage, run_id="fundus-briefs")
    assert res.failed == 0 and res.created == len(docs) + len(whole) and res.marked == len(want)
    alias = index_settings.index.read_alias
    index_client.indices.refresh(index=alias)
    marked = {h["_id"]: h["_source"]["duplicate_of"] for h in helpers.scan(
        index_client, index=alias, query={"query": {"exists": {"field": "duplicate_of"}}}, _source=["duplicate_of"])}
    assert marked == want


@pytest.mark.es
def test_copies_are_marked_after_a_load_and_a_search_can_leave_them_out(make_doc, index_client, index_settings,
                                                                        storage, monkeypatch, capsys):
    original = _doc(make_doc, 0, STORY, "2024-05-01T08:00:00+00:00")
    copy = _doc(make_doc, 1, STORY[:1] + [STORY[1].split(". ", 1)[1]] + STORY[2:]
                + ["Reporting by the Riverton Herald."],
                "2024-05-01T11:30:00+00:00", title="Stone bridge to be rebuilt")
    other = _doc(make_doc, 2, OTHER, "2024-05-01T09:00:00+00:00", title="Dunmore harbour closes")
    undated = _doc(make_doc, 3, STORY, None)
    docs = [copy, other, original, undated]
    res = bulk_load(index_client, docs, index_settings, storage=storage, run_id="dup1")
    assert res.created == 4 and res.marked == 2

    def marks() -> dict:
        index_client.indices.refresh(index=index_settings.index.read_alias)
        hits = index_client.search(index=index_settings.index.read_alias, size=10,
                                   query={"prefix": {"url": "https://wire"}})["hits"]["hits"]
        return {int(h["_source"]["url"].rsplit("/", 1)[1]): h["_source"].get("duplicate_of") for h in hits}

    def counts() -> dict:
        hits = index_client.search(index=index_settings.index.read_alias, size=10,
                                   query={"exists": {"field": "copies"}})["hits"]["hits"]
        return {int(h["_source"]["url"].rsplit("/", 1)[1]): h["_source"]["copies"] for h in hits}

    # the first published is the original; an undated copy comes after every dated one; the original counts them
    assert marks() == {0: None, 1: original["id"], 2: None, 3: original["id"]}
    assert counts() == {0: 2}
    # marked again one document at a time (the bands asked before answered from memory, or forgotten each time):
    # the same groups, nothing to change
    ids = [d["id"] for d in docs]
    write = index_settings.index.write_alias_name

    def unmark():
        helpers.bulk(index_client, [{"_op_type": "update", "_index": write, "_id": i, "doc": {"duplicate_of": None}}
                                    for i in ids], refresh=True)

    for kept in (neardup._BANDS_KEPT, 0):
        monkeypatch.setattr(neardup, "_BANDS_KEPT", kept)
        unmark()
        assert mark_near_duplicates(index_client, write, ids, min_bands=10, chunk=1) == 2
        assert marks() == {0: None, 1: original["id"], 2: None, 3: original["id"]}
        assert mark_near_duplicates(index_client, write, ids, min_bands=10, chunk=1) == 0
        assert counts() == {0: 2}
    # loading the same documents again writes nothing and marks nothing, the count neither
    version = index_client.get(index=index_settings.index.read_alias, id=original["id"])["_version"]
    again = bulk_load(index_client, docs, index_settings, storage=storage, run_id="dup2")
    assert (again.created, again.updated, again.unchanged, again.marked) == (0, 0, 4, 0)
    assert marks() == {0: None, 1: original["id"], 2: None, 3: original["id"]} and counts() == {0: 2}
    assert mark_near_duplicates(index_client, write, ids, min_bands=10) == 0      # marked again: nothing written
    assert index_client.get(index=index_settings.index.read_alias, id=original["id"])["_version"] == version
    # the most copied first, then by date
    order = search(index_client, index_settings, "", size=3, sort="copies")
    assert [h["url"].rsplit("/", 1)[1] for h in order["hits"]] == ["0", "1", "2"]

    def urls(**kw) -> list[int]:
        return sorted(int(h["url"].rsplit("/", 1)[1]) for h in search(
            index_client, index_settings, "", size=20, **kw)["hits"] if "wire" in h["url"])

    assert urls() == [0, 1, 2, 3] and urls(originals=True) == [0, 2]
    res = search(index_client, index_settings, "", size=20, facets=True)
    by_url = {int(h["url"].rsplit("/", 1)[1]): h for h in res["hits"]}
    assert by_url[1]["duplicate_of"] == by_url[3]["duplicate_of"] == original["id"]
    # an original says how many copies it has; the stories facet names the most copied by their titles
    assert by_url[0]["copies"] == 2 and "copies" not in by_url[1] and "copies" not in by_url[2]
    assert res["facets"]["stories"] == [{"key": original["id"], "count": 2, "title": "Riverton bridge",
                                         "url": original["url"]}]
    assert list(res["facets"])[-1] == "published_at"
    print_human(res)
    human = capsys.readouterr().out
    assert "   2 near duplicates elsewhere\n" in human and "  stories: Riverton bridge (2)\n" in human
    assert f"   near duplicate of {original['id']}\n" in human

    # an earlier copy turns up: it becomes the original of the whole group
    earlier = _doc(make_doc, 4, STORY[1:], "2024-04-30T22:00:00+00:00")
    res = bulk_load(index_client, [earlier], index_settings, storage=storage, run_id="dup3")
    assert res.marked == 3
    assert marks() == {0: earlier["id"], 1: earlier["id"], 2: None, 3: earlier["id"], 4: None}
    assert counts() == {4: 3}        # the old original is a copy now: it counts none
    # a copy deleted: the next marking of its group counts one fewer
    index_client.delete(index=write, id=copy["id"], refresh=True)
    assert mark_near_duplicates(index_client, write, [earlier["id"]], min_bands=10) == 0
    assert counts() == {4: 2}


def _edit(words: list[str], start: int, k: int, tag: str) -> list[str]:
    """``k`` words replaced, every fourth from ``start``."""
    out = list(words)
    for i in range(k):
        out[start + i * 4] = f"{tag}{i}"
    return out


@pytest.mark.es
def test_a_chain_of_copies_is_one_story_whatever_order_it_is_read_in(make_doc, index_client, index_settings,
                                                                      storage):
    """A like B, B like C, but A and C too far apart to be alike: one story, whose first published (A) is the
    original of both, in whichever order the marking reads the three."""
    words = "\n\n".join(STORY + OTHER).split(" ")
    b_words = _edit(words, 10, 6, "zz")
    a, b, c = " ".join(words), " ".join(b_words), " ".join(_edit(b_words, len(words) // 2, 6, "yy"))
    assert _shared(a, b) >= 10 and _shared(b, c) >= 10 and _shared(a, c) < 10
    alias, write = index_settings.index.read_alias, index_settings.index.write_alias_name
    for order in itertools.permutations(range(3)):
        docs = []
        for n, text in enumerate((a, b, c)):
            doc = make_doc(f"https://chain.example.net/{n}", text=text, published_at=f"2024-05-0{n + 1}T08:00:00+00:00")
            doc["id"] = f"{order[n]}{n}".ljust(64, "0")      # the marking reads the ids sorted: in this order
            docs.append(doc)
        res = bulk_load(index_client, docs, index_settings, storage=storage, run_id=f"chain-{''.join(map(str, order))}")
        assert (res.created, res.marked) == (3, 2), order
        src = [index_client.get(index=alias, id=d["id"])["_source"] for d in docs]
        assert [s.get("duplicate_of") for s in src] == [None, docs[0]["id"], docs[0]["id"]], order
        assert [s.get("copies") for s in src] == [2, None, None], order
        for d in docs:
            index_client.delete(index=write, id=d["id"], refresh=True)


@pytest.mark.es
def test_marking_off_then_the_whole_index_marked_from_the_cli(make_doc, index_client, index_settings, storage,
                                                               es_url, tmp_path):
    index_settings.index.load.near_duplicates = False
    docs = [_doc(make_doc, 10, STORY, "2024-05-01T08:00:00+00:00"), _doc(make_doc, 11, STORY, None),
            _doc(make_doc, 12, OTHER, None)]
    assert bulk_load(index_client, docs, index_settings, storage=storage, run_id="off").marked == 0
    alias = index_settings.index.read_alias

    def copies() -> int:
        index_client.indices.refresh(index=alias)
        return index_client.count(index=alias, query={"exists": {"field": "duplicate_of"}})["count"]

    assert copies() == 0
    cfg = tmp_path / "newsetl.yaml"
    cfg.write_text(json.dumps({"elasticsearch": {"url": es_url}, "index": {"name": index_settings.index.name},
                               "storage": {"root": str(tmp_path / "storage")}}))
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("NEWSETL_ES_")}, "NEWSETL_CONFIG": str(cfg)}

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "pipeline", "index", "mark-duplicates", *args],
                              capture_output=True, text=True, env=env, timeout=300)

    p = cli("--json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == {"index": index_settings.index.write_alias_name, "checked": 3, "marked": 1}
    assert copies() == 1
    assert index_client.get(index=alias, id=docs[0]["id"])["_source"]["copies"] == 1     # the original counts it
    assert json.loads(cli("--json").stdout)["marked"] == 0           # again: nothing changes
    p = cli()
    assert p.stdout.strip() == (f"3 documents checked in {index_settings.index.write_alias_name}: 0 near duplicates "
                                f"marked or changed")
    # an index that does not exist: one line, exit 1
    cfg.write_text(json.dumps({"elasticsearch": {"url": es_url}, "index": {"name": "nosuch-news"},
                               "storage": {"root": str(tmp_path / "storage")}}))
    p = cli()
    assert p.returncode == 1 and p.stderr.count("\n") == 1 and "nosuch-news-write does not exist" in p.stderr


@pytest.mark.es
def test_a_failed_marking_says_so_and_loses_no_document(make_doc, es_url, index_client, index_settings, storage):
    from pipeline.admin import ensure_index
    from pipeline.es import make_client
    from pipeline.neardup import mark_index
    from tests.test_load import _Flaky

    ensure_index(index_client, index_settings)
    docs = [_doc(make_doc, 20, STORY, "2024-05-01T08:00:00+00:00"), _doc(make_doc, 21, STORY, None)]
    proxy = _Flaky(es_url, n=100, status=400, path="/_search")     # the marking's queries refused
    try:
        with pytest.raises(RuntimeError, match="the documents are loaded, but marking their near duplicates failed "
                                               ".*run `newsetl index mark-duplicates`"):
            bulk_load(make_client(proxy.url), docs, index_settings, storage=storage, run_id="refused")
    finally:
        proxy.close()
    alias = index_settings.index.read_alias
    index_client.indices.refresh(index=alias)
    assert index_client.count(index=alias)["count"] == 2
    assert index_client.count(index=alias, query={"exists": {"field": "duplicate_of"}})["count"] == 0
    # a re-run finds them unchanged and does not mark them; the command does
    again = bulk_load(index_client, docs, index_settings, storage=storage, run_id="again")
    assert (again.unchanged, again.marked) == (2, 0)
    write = index_settings.index.write_alias_name
    assert mark_index(index_client, write, min_bands=10) == {"checked": 2, "marked": 1}
    assert index_client.get(index=alias, id=docs[1]["id"])["_source"]["duplicate_of"] == docs[0]["id"]


@pytest.mark.es
@pytest.mark.shared
@pytest.mark.slow
def test_real_articles_are_no_copies_of_each_other_but_a_second_crawl_is(fundus_docs, index_client,
                                                                         index_settings, storage):
    """The 257 articles of the fundus corpus: no two are marked. The one article it holds twice (taz.de, crawled in
    2023 and 2024; the later page's text differs by its markup: "N a endlich!") is one document, since both pages
    name one canonical URL; given another id, the later crawl is marked a copy of the earlier."""
    res = bulk_load(index_client, fundus_docs, index_settings, storage=storage, run_id="fundus")
    assert res.failed == 0 and res.marked == 0
    ok = [d for d in fundus_docs if d["status"] == "ok"]
    assert sum(1 for d in ok if text_bands(d["text"])) >= 250
    twice = [d for d in ok if d["title"] == "Entwurf des Selbstbestimmungsgesetzes: Ein bisschen Fortschritt"]
    assert len(twice) == 2 and twice[0]["id"] == twice[1]["id"] and twice[0]["text"] != twice[1]["text"]
    older, later = sorted(twice, key=lambda d: d["published_at"] or "")
    # one load ends with the later version in the index (the input's last wins); put the older one back first
    bulk_load(index_client, [older], index_settings, storage=storage, run_id="older")
    url = later["url"] + "?crawl=2"
    moved = {**later, "url": url, "canonical_url": url, "id": hashlib.sha256(url.encode()).hexdigest()}
    res = bulk_load(index_client, [moved], index_settings, storage=storage, run_id="again")
    assert res.marked == 1
    src = index_client.get(index=index_settings.index.read_alias, id=moved["id"])["_source"]
    assert src["duplicate_of"] == older["id"]
