# newsetl — the commands the README names. Everything runs from the project's own virtualenv (.venv).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ES_TOOL := tools/elasticsearch-local/es-local

.PHONY: setup test bench demo demo-stop es-build es-start es-stop es-status clean

## setup: create .venv, install the project with models, Airflow and test tools, build the local Elasticsearch node
setup:
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip wheel
	$(BIN)/pip install --quiet -e '.[models,airflow,dev]'
	$(MAKE) es-build
	bash tools/install-system-deps.sh

## test: the whole test suite (starts and stops its own Elasticsearch node unless NEWSETL_TEST_ES_URL is set)
test:
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## demo: start the local Elasticsearch node (var/es, port $(ES_PORT)), ingest the demo articles, search them
ES_PORT ?= 9200
DEMO_ENV := NEWSETL_ES_URL=http://127.0.0.1:$(ES_PORT)
demo:
	bash $(ES_TOOL) start --port $(ES_PORT) --data var/es
	$(DEMO_ENV) $(BIN)/newsetl run --source demo
	$(DEMO_ENV) $(BIN)/newsetl search "" --facets --size 5

demo-stop:
	bash $(ES_TOOL) stop --data var/es

## bench: the benchmarks (not part of the tests); results in benchmarks/results/
bench:
	$(BIN)/python benchmarks/bench_process.py
	$(BIN)/python benchmarks/bench_load.py
	$(BIN)/python benchmarks/bench_fetch.py

es-build:
	bash $(ES_TOOL) build

es-start:
	bash $(ES_TOOL) start

es-stop:
	bash $(ES_TOOL) stop

es-status:
	bash $(ES_TOOL) status

clean:
	rm -rf var build *.egg-info .pytest_cache
