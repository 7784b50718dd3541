#!/usr/bin/env bash
# Build step of the Dockerfile: install the project (pyproject.toml: the one source of truth for Python
# dependencies) with its NER models into the Airflow image, using Airflow's constraints for this Airflow/Python
# version when they can be downloaded. Runs as the airflow user in /opt/newsetl.
#   AIRFLOW_VERSION, PYTHON_VERSION   from the base image
#   USE_CONSTRAINTS=true|false        apply the constraints file (default true)
#   CONSTRAINTS_URL                   where to get it (default: Airflow's constraints branch on GitHub)
#   CONSTRAINTS_EXCLUDE               packages not to constrain besides the project's own (space separated)
#   SPACY_MODELS                      extra official spaCy model packages, e.g. "de_core_news_sm es_core_news_sm"
#   SPACY_MODEL_VERSION               their version (default 3.8.0, matching spacy 3.8)
set -euo pipefail

: "${AIRFLOW_VERSION:?}" "${PYTHON_VERSION:?}"
USE_CONSTRAINTS="${USE_CONSTRAINTS:-true}"
CONSTRAINTS_URL="${CONSTRAINTS_URL:-https://raw.githubusercontent.com/apache/airflow/constraints-${AIRFLOW_VERSION}/constraints-${PYTHON_VERSION}.txt}"
CONSTRAINTS_EXCLUDE="${CONSTRAINTS_EXCLUDE:-elastic-transport}"
SPACY_MODEL_VERSION="${SPACY_MODEL_VERSION:-3.8.0}"

# The image's Elasticsearch provider pins the 8.x client; the project talks to Elasticsearch 9 with its own client
# and does not use the provider, so it goes rather than leaving a broken dependency behind.
pip uninstall -y apache-airflow-providers-elasticsearch >/dev/null 2>&1 || true

constraint_args=()
if [ "$USE_CONSTRAINTS" = "true" ]; then
  if curl -fsSL --retry 3 --connect-timeout 10 "$CONSTRAINTS_URL" -o /tmp/constraints.txt; then
    excludes=()
    for name in $CONSTRAINTS_EXCLUDE; do excludes+=(--exclude "$name"); done
    python docker/filter_constraints.py /tmp/constraints.txt pyproject.toml --extra models "${excludes[@]}" \
      >/tmp/constraints.filtered.txt
    constraint_args=(--constraint /tmp/constraints.filtered.txt)
    echo "install-project: using Airflow constraints from $CONSTRAINTS_URL"
  else
    echo "install-project: WARNING: $CONSTRAINTS_URL could not be downloaded; installing without constraints" >&2
  fi
else
  echo "install-project: USE_CONSTRAINTS=$USE_CONSTRAINTS; installing without constraints"
fi

models=()
for m in ${SPACY_MODELS:-}; do
  models+=("${m} @ https://github.com/explosion/spacy-models/releases/download/${m}-${SPACY_MODEL_VERSION}/${m}-${SPACY_MODEL_VERSION}-py3-none-any.whl")
done

# apache-airflow is named with its exact version so pip never moves the Airflow the image was built with.
# The api extra: the search API's offline /docs (fastapi and uvicorn stay at the constraints' versions).
pip install --no-cache-dir "${constraint_args[@]}" "apache-airflow==${AIRFLOW_VERSION}" ".[models,api]" "${models[@]}"
# the models and the pipeline import
python -c "import pipeline, spacy, natasha, trafilatura, elasticsearch, fastapi_offline; print('install-project: ok, newsetl', pipeline.__version__, 'elasticsearch client', elasticsearch.__versionstr__)"
# what each process would otherwise build on its first use, kept in $NEWSETL_CACHE_DIR (the Dockerfile sets it): the
# places tables (docs/index.md) and the program of French's tokenizer pattern (pipeline/regexcache.py)
python -c "from pipeline.entities import get_recognizer; from pipeline.places import place_index; from pipeline.settings.processing import EntitySettings; place_index(); get_recognizer('fr', EntitySettings()); print('install-project: caches built in', __import__('os').environ.get('NEWSETL_CACHE_DIR'))"
