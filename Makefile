# newsetl — the commands the README names. Everything runs from the project's own virtualenv (.venv).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ES_TOOL := tools/elasticsearch-local/es-local
S3_TOOL := tools/s3-local/s3-local
CORENLP_TOOL := tools/corenlp-local/corenlp-local

.PHONY: setup test bench demo demo-stop es-build es-start es-stop es-status s3-build s3-start s3-stop s3-status \
	corenlp-build corenlp-start corenlp-stop corenlp-status clean

## setup: create .venv, install the project with models, Airflow, S3 client and test tools, build the local
## Elasticsearch node, the local S3 store and the local CoreNLP server (German and Spanish entities) the tests use,
## and tools/vega's npm packages (vega, vega-lite: the Kibana Vega panels are rendered with them; needs Node.js 18+)
setup:
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip wheel
	$(BIN)/pip install --quiet -e '.[models,airflow,s3,dev,api]'
	$(MAKE) es-build
	$(MAKE) s3-build
	$(MAKE) corenlp-build
	bash tools/install-system-deps.sh
	@command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || { echo "make setup: node and npm are" \
		"missing: install Node.js 18+ with npm (the Vega panels are rendered with tools/vega's vega/vega-lite)" >&2; exit 1; }
	npm ci --prefix tools/vega --no-audit --no-fund --loglevel=error

## test: the whole test suite (starts and stops its own Elasticsearch node unless NEWSETL_TEST_ES_URL is set)
test:
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## demo: start the local Elasticsearch node (var/es, port $(ES_PORT)) and CoreNLP server (var/corenlp, port
## $(CORENLP_PORT)), ingest the demo articles, search them
ES_PORT ?= 9200
CORENLP_PORT ?= 9000
DEMO_ENV := NEWSETL_ES_URL=http://127.0.0.1:$(ES_PORT) NEWSETL_CORENLP_URL=http://127.0.0.1:$(CORENLP_PORT)
demo:
	bash $(ES_TOOL) start --port $(ES_PORT) --data var/es
	bash $(CORENLP_TOOL) start --port $(CORENLP_PORT) --data var/corenlp
	$(DEMO_ENV) $(BIN)/newsetl run --source demo
	$(DEMO_ENV) $(BIN)/newsetl search "" --facets --size 5

demo-stop:
	bash $(ES_TOOL) stop --data var/es
	bash $(CORENLP_TOOL) stop --data var/corenlp

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

s3-build:
	bash $(S3_TOOL) build

s3-start:
	bash $(S3_TOOL) start --data var/s3

s3-stop:
	bash $(S3_TOOL) stop --data var/s3

s3-status:
	bash $(S3_TOOL) status --data var/s3

corenlp-build:
	bash $(CORENLP_TOOL) build

corenlp-start:
	bash $(CORENLP_TOOL) start --port $(CORENLP_PORT) --data var/corenlp

corenlp-stop:
	bash $(CORENLP_TOOL) stop --data var/corenlp

corenlp-status:
	bash $(CORENLP_TOOL) status --data var/corenlp

clean:
	rm -rf var build *.egg-info .pytest_cache
