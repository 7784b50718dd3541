"""A private Airflow home for the test session: SQLite metadata DB, dags/ as the DAG folder, no examples.

The environment is set when this plugin is imported (before anything imports airflow); the database is
migrated once, lazily, by the ``airflow_db`` fixture, so tests that never touch Airflow pay nothing.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
_HOME = Path(tempfile.mkdtemp(prefix="newsetl-airflow-"))
os.environ.setdefault("AIRFLOW_HOME", str(_HOME))
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(REPO / "dags")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ.setdefault("AIRFLOW__CORE__UNIT_TEST_MODE", "False")
os.environ.setdefault("AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING")


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """Migrate the session's Airflow metadata DB (SQLite) once; returns AIRFLOW_HOME."""
    airflow = Path(sys.executable).with_name("airflow")
    proc = subprocess.run([str(airflow), "db", "migrate"], capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        pytest.fail(f"airflow db migrate failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return Path(os.environ["AIRFLOW_HOME"])


# give the pools ``pipeline.dagkit.pools`` lists N slots (or with "delete", remove them) in the session's metadata
# DB; with the config's slots, ``python -m pipeline.dagkit pools --apply`` does it, as docker/airflow-init.sh
_POOLS = r"""
import sys
from airflow.models.pool import Pool
from pipeline.dagkit import pools
from pipeline.settings import load_settings
for name, slots, desc in pools(load_settings()):
    if sys.argv[1] == "delete":
        if Pool.get_pool(name) is not None:
            Pool.delete_pool(name)
    else:
        Pool.create_or_update_pool(name, int(sys.argv[1]), desc, False)
"""


def repo_config_env() -> dict[str, str]:
    """This environment with the repository's own config/newsetl.yaml and config/sources.yaml, for a child process."""
    return {**os.environ, "NEWSETL_CONFIG": str(REPO / "config" / "newsetl.yaml"),
            "NEWSETL_SOURCES": str(REPO / "config" / "sources.yaml")}


def set_airflow_pools(how: str = "config") -> None:
    """The newsetl pools in the session's Airflow DB: each with its configured slots ("config"), N slots ("2"), or
    none ("delete")."""
    args = ["-m", "pipeline.dagkit", "pools", "--apply"] if how == "config" else ["-c", _POOLS, how]
    subprocess.run([sys.executable, *args], check=True, capture_output=True, timeout=120, env=repo_config_env(),
                   cwd=REPO)


@pytest.fixture
def airflow_pools(airflow_db):
    """The pools the DAGs use, created as airflow-init creates them, and removed after the test."""
    set_airflow_pools("config")
    yield
    set_airflow_pools("delete")


@pytest.fixture(autouse=True)
def _no_task_context_left():
    """``dag.test()`` runs the tasks in this process and leaves their context (``AIRFLOW_CTX_*``) in os.environ: a
    later test, or a CLI it starts, would then take itself for an Airflow task (``pipeline.stages.es_client`` reads
    the Airflow connection, which imports Airflow and its logging to stdout)."""
    yield
    for key in [k for k in os.environ if k.startswith("AIRFLOW_CTX_")]:
        del os.environ[key]
