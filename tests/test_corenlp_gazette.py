"""The Italian NER model with its gazette indexed (tools/corenlp-local builds it with IndexedGazetteFeatureFactory)
answers exactly as the model as shipped does: the session's server against a second one started with
CORENLP_STOCK_MODELS=1."""
from __future__ import annotations

import os
import zipfile
from pathlib import Path

import httpx
import pytest

from pipeline.entities import CoreNLPRecognizer
from pipeline.extract import extract
from tests.netutil import free_port
from tests.plugins.corenlp import CORENLP_LOCAL
from tests.plugins.localserver import local_server
from tests.plugins.shared import read_fundus_page

# many gazette entries, some inside others and some next to each other ("Chiesa di San Pietro in Vincoli",
# "Fratelli d'Italia", "Maria Teresa d'Austria")
GAZETTE_TEXT = (
    "Il presidente della Repubblica Sergio Mattarella ha incontrato a Roma il sindaco di Milano Giuseppe Sala e il "
    "presidente della Regione Lombardia. La Chiesa di San Pietro in Vincoli e la Basilica di Santa Maria Maggiore "
    "sono state visitate dal cardinale. Il Partito Democratico e Fratelli d'Italia hanno discusso alla Camera dei "
    "deputati. La Banca d'Italia, l'Università di Bologna e la Juventus Football Club hanno sede in Italia. Il "
    "Consiglio di Stato - organo di rilievo costituzionale - ha deciso. Maria Teresa d'Austria visitò "
    "Saint-Étienne e San Giovanni Rotondo.")
MODEL = "edu/stanford/nlp/models/ner/italian.crf.ser.gz"
TIMEOUT = 300   # the shipped model reads 1,500 characters in ~10 s on a busy machine, and loads in ~35 s


@pytest.fixture(scope="module")
def stock_url():
    """A second server that serves the Italian model as shipped."""
    os.environ["CORENLP_STOCK_MODELS"] = "1"    # read by the wrapper's start only
    try:
        with local_server(CORENLP_LOCAL, "--port", str(free_port()), start_timeout=120) as url:
            os.environ.pop("CORENLP_STOCK_MODELS")
            yield url
    finally:
        os.environ.pop("CORENLP_STOCK_MODELS", None)


def annotate(url: str, text: str) -> dict:
    """The server's whole JSON answer (tokens with their tags and confidences, entity mentions) to the request the
    pipeline sends for Italian."""
    props = CoreNLPRecognizer("it", url, timeout=TIMEOUT)._props
    r = httpx.post(url + "/", params={"properties": props}, content=text.encode("utf-8"), timeout=TIMEOUT)
    assert r.status_code == 200, r.text[:300]
    return r.json()


def italian_texts(fundus_manifest) -> list[str]:
    pages = [r for r in fundus_manifest if r.get("language") == "it"]
    assert pages, "no Italian page in the shared corpus"
    return [GAZETTE_TEXT] + [extract(read_fundus_page(r), r["url"]).text[:1500] for r in pages]


@pytest.mark.corenlp
def test_indexed_gazette_gives_the_same_answer_as_the_shipped_model(corenlp_url, stock_url, fundus_manifest):
    for text in italian_texts(fundus_manifest):
        indexed, stock = annotate(corenlp_url, text), annotate(stock_url, text)
        assert indexed == stock
        # the texts do hold entities (an answer without any would prove nothing)
        assert sum(len(s.get("entitymentions", [])) for s in indexed["sentences"]) >= 3


def _server_class_path(url: str) -> list[str]:
    """The class path of the CoreNLP server process listening on ``url``'s port, read from /proc."""
    port = url.rsplit(":", 1)[1].rstrip("/")
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if "edu.stanford.nlp.pipeline.StanfordCoreNLPServer" in args and args[args.index("-port") + 1] == port:
            return args[args.index("-cp") + 1].split(":")
    raise AssertionError(f"no CoreNLP server process on port {port}")


@pytest.mark.corenlp
def test_the_server_loads_the_indexed_model_before_the_shipped_one(corenlp_url, stock_url):
    """(How much faster it is: benchmarks/bench_corenlp.py, docs/processing.md.)"""
    lib = CORENLP_LOCAL.parent / "lib"
    indexed = lib / "indexed" / MODEL
    with zipfile.ZipFile(next(lib.glob("stanford-corenlp-*-models-italian.jar"))) as jar:
        shipped = jar.getinfo(MODEL).file_size
    # the rewritten model is there, another file than the jar's (its index is smaller than CoreNLP's word lists)
    assert indexed.is_file() and 0 < indexed.stat().st_size < shipped
    # and the session's server finds it first on its class path; the stock server does not have it at all
    path = _server_class_path(corenlp_url)
    assert path[0] == str(lib / "indexed") and any(p.endswith("/lib/*") for p in path[1:])
    assert str(lib / "indexed") not in _server_class_path(stock_url)
