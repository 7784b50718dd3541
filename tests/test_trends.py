"""What is rising (pipeline.trends, `newsetl trends`, GET /trends) over a real Elasticsearch node: a name that was rare
and is now everywhere ranks, one written every day does not however often, one seen once is not a trend, and the
search filters narrow both periods."""
from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest

from pipeline.api import create_app
from pipeline.search import SearchError
from pipeline.trends import trends
from tests.cfgutil import cli_config, run_cli
from tests.plugins.docs import indexed, make_document
from tests.test_api import served

AT = dt.datetime(2024, 6, 10, 12, 0, tzinfo=dt.timezone.utc)
pytestmark = pytest.mark.es


def _docs() -> list[dict]:
    """Eight days of articles before AT: every day three about the weather and one naming Anna Steady (twice that
    on the last day); on the last day five naming Boris Rising (once the week before), four about Kyiv and one naming
    Clara Once."""
    out = []

    def add(day: int, n: int, person: list[str], place: list[str], lang: str = "en"):
        published = AT - dt.timedelta(days=day, hours=1 + n % 20)
        out.append(make_document(
            f"https://trend.example.org/{day}/{n}", title=f"Report {day}-{n}", language=lang,
            text=f"Report {day}-{n} on the events of the day in the region and the city council. " * 6,
            published_at=published.isoformat(),
            entities={"person": person, "organization": [], "location": place, "misc": []}))

    for day in range(8):
        for n in range(3):
            add(day, n, [], [])
        add(day, 3, ["Anna Steady"], [])
    add(0, 4, ["Anna Steady"], [])
    for n in range(5):
        add(0, 10 + n, ["Boris Rising"], [])
    add(5, 10, ["Boris Rising"], [])
    for n in range(4):
        add(0, 20 + n, [], ["Kyiv"])
    add(0, 30, ["Clara Once"], [])
    add(0, 31, ["Boris Rising"], [], lang="de")
    return out


@pytest.fixture
def loaded(index_client, index_settings, storage):
    return indexed(index_client, index_settings, storage, _docs())


def test_a_name_that_rises_ranks_and_a_steady_one_does_not(loaded, index_client, index_settings):
    res = trends(index_client, index_settings, at=AT)
    keys = [t["key"] for t in res["trends"]]
    assert keys[0] == "Boris Rising"
    assert "Anna Steady" not in keys            # twice as often today, but every day: below Boris, or absent
    assert "Clara Once" not in keys             # once: under min_count
    boris = res["trends"][0]
    assert (boris["count"], boris["baseline_count"]) == (6, 1)
    assert boris["per_day"] == 6.0 and boris["baseline_per_day"] == round(1 / 7, 2)
    today = sum(1 for d in loaded if dt.datetime.fromisoformat(d["published_at"]) >= AT - dt.timedelta(hours=24))
    assert (res["documents"], res["background"]) == (today, len(loaded))
    assert res["window"] == {"from": "2024-06-09T12:00:00+00:00", "to": "2024-06-10T12:00:00+00:00"}

    # the places of the articles, and their countries (pipeline.places)
    assert [t["key"] for t in trends(index_client, index_settings, field="countries", at=AT)["trends"]] == ["UA"]
    # the filters of a search narrow both periods: the English articles name Boris five times today; the one German
    # article is all of its window and all of its background, so nothing rises there even counting one article
    en = trends(index_client, index_settings, at=AT, lang="en")["trends"][0]
    assert (en["key"], en["count"], en["baseline_count"]) == ("Boris Rising", 5, 1)
    assert trends(index_client, index_settings, at=AT, lang="de", min_count=1)["trends"] == []
    # a window a week earlier: Boris once, nothing rises
    assert trends(index_client, index_settings, at=AT - dt.timedelta(days=5), window="1d")["trends"] == []


def test_bad_requests(loaded, index_client, index_settings):
    with pytest.raises(SearchError, match="cannot count trends on 'text'"):
        trends(index_client, index_settings, field="text")
    with pytest.raises(SearchError, match="window 'yesterday' is not a duration"):
        trends(index_client, index_settings, window="yesterday")
    with pytest.raises(SearchError, match="min_count must be 1 or more"):
        trends(index_client, index_settings, min_count=0)
    with pytest.raises(SearchError, match="not an ISO 8601"):
        trends(index_client, index_settings, at="noon")


def test_over_http_and_the_command(loaded, index_client, index_settings, tmp_path):
    with served(create_app(index_settings, api_key="")) as base:
        r = httpx.get(f"{base}/trends", params={"at": AT.isoformat(), "field": "people"})
        assert r.status_code == 200, r.text
        assert r.json() == trends(index_client, index_settings, at=AT)
        r = httpx.get(f"{base}/trends", params={"field": "body"})
        assert r.status_code == 400 and "cannot count trends" in r.json()["error"]

    cfg = cli_config(tmp_path, index_settings)

    def cli(*args):
        return run_cli(cfg, "trends", *args)

    p = cli("--at", AT.isoformat(), "--json")
    assert p.returncode == 0, p.stderr
    assert [t["key"] for t in json.loads(p.stdout)["trends"]][0] == "Boris Rising"
    p = cli("--at", AT.isoformat())
    assert p.returncode == 0 and "Boris Rising" in p.stdout and "6" in p.stdout
    # the window as a person reads it, to the minute, in UTC (--json keeps the ISO times)
    assert p.stdout.startswith("people rising from 2024-06-09 12:00 UTC to 2024-06-10 12:00 UTC ("), p.stdout
    assert " since 2024-06-02 12:00 UTC:" in p.stdout.splitlines()[0]
    p = cli("--window", "soon")
    assert p.returncode == 2 and "not a duration" in p.stderr
