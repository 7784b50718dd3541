# The newsetl Airflow image: Airflow 3 with the project, its NER models and its DAGs.
#   docker build -t newsetl-airflow:local .                        (docker compose builds it for you)
#   docker build --build-arg SPACY_MODELS="de_core_news_sm es_core_news_sm" -t newsetl-airflow:local .
# Python dependencies come from pyproject.toml only (docker/install-project.sh), installed with Airflow's
# constraints for this Airflow/Python version when they can be downloaded at build time.
ARG AIRFLOW_VERSION=3.3.2
ARG PYTHON_VERSION=3.11
FROM apache/airflow:${AIRFLOW_VERSION}-python${PYTHON_VERSION}

ARG AIRFLOW_VERSION
ARG PYTHON_VERSION
# extra official spaCy models (package names, space separated); see .env.example SPACY_MODELS
ARG SPACY_MODELS=""
ARG SPACY_MODEL_VERSION=3.8.0
# apply Airflow's constraints file (true/false), where from, and which pins to leave out besides the project's own
ARG USE_CONSTRAINTS=true
ARG CONSTRAINTS_URL=""
ARG CONSTRAINTS_EXCLUDE="elastic-transport"

USER root
RUN mkdir -p /opt/newsetl/storage && chown -R airflow:0 /opt/newsetl && chmod -R g+rwX /opt/newsetl
USER airflow
WORKDIR /opt/newsetl

# dependencies first (a code-only change reuses this layer): the project metadata and the install script
COPY --chown=airflow:0 pyproject.toml README.md* ./
COPY --chown=airflow:0 docker/ ./docker/
COPY --chown=airflow:0 pipeline/ ./pipeline/
# the places tables and French's compiled tokenizer pattern, built into the image (docker/install-project.sh)
ENV NEWSETL_CACHE_DIR=/opt/newsetl/cache
RUN AIRFLOW_VERSION="${AIRFLOW_VERSION}" PYTHON_VERSION="${PYTHON_VERSION}" SPACY_MODELS="${SPACY_MODELS}" \
    SPACY_MODEL_VERSION="${SPACY_MODEL_VERSION}" USE_CONSTRAINTS="${USE_CONSTRAINTS}" \
    CONSTRAINTS_URL="${CONSTRAINTS_URL}" CONSTRAINTS_EXCLUDE="${CONSTRAINTS_EXCLUDE}" \
    bash docker/install-project.sh

# configuration (sources, the demo articles, Kibana objects) and the DAGs; docker-compose.yml mounts both over
# these copies so edits need no rebuild
COPY --chown=airflow:0 config/ ./config/
COPY --chown=airflow:0 dags/ /opt/airflow/dags/

ENV NEWSETL_CONFIG=/opt/newsetl/config/newsetl.yaml \
    NEWSETL_STORAGE_ROOT=/opt/newsetl/storage \
    AIRFLOW__CORE__LOAD_EXAMPLES=false
