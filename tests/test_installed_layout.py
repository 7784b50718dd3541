"""The package as the image installs it (``pip install .``, not editable): no checkout beside it, the config where
``NEWSETL_CONFIG`` says (docker-compose mounts ./config at /opt/newsetl/config). What the DAGs and the setup service
read from the config folder (sources.yaml, watches.yaml, the Kibana saved objects) must follow ``NEWSETL_CONFIG``,
not the package's location, which is site-packages there."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_PROBE = r"""
import json, sys
import pipeline
from pipeline import kibana
from pipeline.dagkit import dag_settings
from pipeline.sources import default_sources_path, load_sources
from pipeline.watches import default_watches_path

settings = dag_settings()        # what every DAG file calls at import
print("RESULT" + json.dumps({"package": pipeline.__file__, "config": settings.config_file,
                             "sources": str(default_sources_path()), "watches": str(default_watches_path()[0]),
                             "ndjson": str(kibana.default_ndjson()), "enabled": len(load_sources(enabled_only=True))}))
"""


def _installed(tmp_path: Path) -> tuple[Path, Path, dict]:
    """A copy of the package alone (site/pipeline) and of the config (etc/), and the environment of a process that
    imports the copy: NEWSETL_CONFIG names etc/newsetl.yaml, nothing names the sources or the watches."""
    site, etc = tmp_path / "site", tmp_path / "etc"
    shutil.copytree(REPO / "pipeline", site / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "config", etc)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSETL_")}
    env.update(PYTHONPATH=str(site), NEWSETL_CONFIG=str(etc / "newsetl.yaml"))
    return site, etc, env


def test_an_installed_package_reads_its_config_where_newsetl_config_says(tmp_path):
    site, etc, env = _installed(tmp_path)
    p = subprocess.run([sys.executable, "-c", _PROBE], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=120)
    line = next((ln for ln in p.stdout.splitlines() if ln.startswith("RESULT")), None)
    assert line, p.stderr[-3000:]
    got = json.loads(line[len("RESULT"):])
    assert got["package"].startswith(str(site))            # the copy, not the checkout
    assert got["config"] == str(etc / "newsetl.yaml")
    assert got["sources"] == str(etc / "sources.yaml") and got["watches"] == str(etc / "watches.yaml")
    assert got["ndjson"] == str(etc / "kibana" / "newsetl.ndjson") and got["enabled"] >= 1


def test_the_setup_service_finds_the_kibana_objects(tmp_path):
    """newsetl-setup runs `newsetl kibana import` without --file: the objects beside the mounted config."""
    _, etc, env = _installed(tmp_path)
    p = subprocess.run([sys.executable, "-m", "pipeline", "kibana", "check"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and p.stdout.startswith("ok: "), p.stdout + p.stderr
    (etc / "kibana" / "newsetl.ndjson").unlink()            # it is that file it read: gone, the check says so
    p = subprocess.run([sys.executable, "-m", "pipeline", "kibana", "check"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and f"{etc / 'kibana' / 'newsetl.ndjson'}: no such file" in p.stderr
