"""`newsetl extract`: the JSON-lines contract, exit codes, bad input, determinism (run as a real subprocess)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REQUIRED = ("source", "id", "url", "canonical_url", "title", "text", "authors", "published_at", "language",
            "language_confidence", "entities", "status")


def newsetl(*args, stdin: bytes | None = None, cwd=None):
    # no CoreNLP server (a closed port), whether or not a test before this one started one for the session
    env = dict(os.environ, NEWSETL_NOW="2025-01-01T00:00:00+00:00", PYTHONPATH=str(REPO),
               NEWSETL_CORENLP_URL="http://127.0.0.1:9")
    return subprocess.run([sys.executable, "-m", "pipeline", "extract", *args], input=stdin, capture_output=True,
                          env=env, cwd=cwd or REPO, timeout=300)


def lines(proc) -> list[dict]:
    return [json.loads(line) for line in proc.stdout.decode().splitlines()]


def test_many_inputs_in_order_with_statuses(pages_dir, tmp_path):
    big = tmp_path / "big.html"
    with open(big, "wb") as f:                    # 50 MB: rejected without being read whole
        f.write(b"<html><body><p>")
        f.write(b"a" * (50 * 1024 * 1024))
    bad_gz = tmp_path / "bad.html.gz"
    bad_gz.write_bytes(b"\x1f\x8b\x08\x00garbage")
    names = sorted(p.name for p in pages_dir.iterdir())
    args = [str(pages_dir / n) for n in names] + [str(big), str(bad_gz)]
    proc = newsetl(*args)
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"Traceback" not in proc.stderr
    docs = lines(proc)
    assert [d["source"] for d in docs] == args
    for d in docs:
        assert all(k in d for k in REQUIRED)
        assert set(d["entities"]) == {"person", "organization", "location", "misc"}
    st = {Path(d["source"]).name: d["status"] for d in docs}
    assert st["big.html"] == "too_large" and st["bad.html.gz"] == "bad_gzip"
    assert st["empty.html"] == "empty" and st["image_png.html"] == "binary"
    assert st["invalid_utf8.html"] == "bad_encoding" and st["navigation.html"] == "not_article"
    assert st["en_article.html.gz"] == st["en_article.html"] == "ok"
    ok = {Path(d["source"]).name: d for d in docs if d["status"] == "ok"}
    assert ok["en_article.html.gz"]["text"] == ok["en_article.html"]["text"]
    assert ok["ja_shift_jis.html"]["language"] == "ja"
    # German NER needs the CoreNLP server, closed here: the documents say so, and stderr says it once at the end
    failed = [d for d in docs if d["entities_status"] == "error"]
    assert [Path(d["source"]).name for d in failed] == ["de_latin1.html"] and failed[0]["status"] == "ok"
    said = [line for line in proc.stderr.decode().splitlines() if "without entities" in line]
    assert said == [f"newsetl extract: 1 of {len(docs)} documents without entities (entities_status error): "
                    f"{failed[0]['error']}"]
    assert "make corenlp-start" in said[0]


def test_stdin_with_url_and_no_entities(pages_dir):
    proc = newsetl("--url", "https://news.example.com/x?utm_source=a", "--no-entities", "-",
                   stdin=(pages_dir / "fr_article.html").read_bytes())
    assert proc.returncode == 0
    [d] = lines(proc)
    assert d["source"] == "-" and d["url"] == "https://news.example.com/x?utm_source=a"
    assert d["canonical_url"] == "https://news.example.com/x" and d["language"] == "fr"
    assert d["entities_status"] == "disabled" and d["entities"]["person"] == []


def test_same_input_twice_gives_identical_json(pages_dir):
    a = newsetl(str(pages_dir / "en_article.html"))
    b = newsetl(str(pages_dir / "en_article.html"))
    assert a.returncode == 0 and a.stdout == b.stdout
    assert lines(a)[0]["processed_at"] == "2025-01-01T00:00:00+00:00"


@pytest.mark.parametrize("args, message", [
    (["--url", "https://x.example/", "a.html", "b.html"], "--url is allowed with a single PATH"),
    (["does-not-exist.html"], "no such file"),
    (["-", "-"], "only once"),
    (["tests"], "not a regular file"),
])
def test_usage_errors_exit_2_with_one_line(args, message):
    proc = newsetl(*args)
    assert proc.returncode == 2
    err = proc.stderr.decode().strip().splitlines()
    assert len(err) == 1 and message in err[0]
    assert proc.stdout == b""


def test_no_path_is_a_usage_error():
    proc = newsetl()
    assert proc.returncode == 2 and proc.stdout == b""
