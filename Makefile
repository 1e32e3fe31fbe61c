# The two commands a newcomer needs: `make demo` (the main job) and `make test` (the tests).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PYTHONPATH := $(CURDIR)
export DO_NOT_TRACK := 1


.PHONY: check-models rules benchmark-pages office-tools explain bi bi-install airflow-distributed dbt browser publish rollback lint help install demo test test-fast airflow mirror crawl facts lock benchmark-crawl benchmark-accuracy benchmark-scale benchmark-latency benchmark-parse benchmark-fleet dbt-postgres clean

help:
	@echo "make demo      scrape the offline mirror through the ingest DAG and show what landed"
	@echo "make test      run the test suite"
	@echo "make airflow   start Airflow (api-server, scheduler, dag-processor, triggerer) and the mirror"
	@echo "make airflow-distributed   the same with the CeleryExecutor and two workers (Redis, PostgreSQL)"
	@echo "make bi        Apache Superset with the warehouse and the dashboard 民政指标 (http://127.0.0.1:8088)"
	@echo "make mirror    serve the offline mirror on 127.0.0.1:8780-8787"
	@echo "make facts DOCS=<folder> OUT=<file.jsonl>   documents -> indicator facts (FACTS.md)"
	@echo "make explain DOC=<file> [INDICATOR=<code>]   every number of a document and what became of it"
	@echo "make rules     every extraction rule with its cases and its precision on the development set"
	@echo "make benchmark-accuracy   precision/recall/F1 on the seeds and the corpus, misses by cause"
	@echo "make benchmark-crawl   crawl throughput and incremental-run figures"
	@echo "make benchmark-pages   article extraction on saved government pages: ours, trafilatura, GNE"
	@echo "make benchmark-fleet   ingest throughput over 200 simulated sites, one Celery worker vs two"
	@echo "make dbt-postgres   dbt build of the portable models on PostgreSQL (after make crawl)"
	@echo "make lint      ruff, the import contract (import-linter), the dbt models' guard rails and sqlfluff"
	@echo "make check-models   the dbt models' guard rails alone: one line per problem naming the model"
	@echo "make lock      recompile requirements.txt from requirements.in"

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv

# Reinstall only when the lock changes.
$(VENV)/.installed: requirements.txt | $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.txt
	touch $@

# Cosmos renders the warehouse DAG from dbt's manifest (cheap to parse); rebuild it when the project changes.
MANIFEST := dbt_project/target/manifest.json
$(MANIFEST): $(VENV)/.installed dbt_project/dbt_project.yml $(shell find dbt_project/models dbt_project/seeds dbt_project/macros dbt_project/tests -type f 2>/dev/null)
	cd dbt_project && MINZHENG_RAW_DIR=$(CURDIR)/warehouse/raw ../$(BIN)/dbt --quiet parse --target-path target

# The Data Docs pages' CSS, JS and fonts from the npm registry (GX's templates would load them from CDNs)
DATA_DOCS_ASSETS := expectations/data_docs_assets
$(DATA_DOCS_ASSETS)/node_modules/.installed: $(DATA_DOCS_ASSETS)/package-lock.json
	@if command -v npm >/dev/null; then cd $(DATA_DOCS_ASSETS) && npm ci --ignore-scripts --silent && touch node_modules/.installed; \
	else echo "npm is missing: Data Docs will load their styles from CDNs (apt-get install npm)"; fi

install: $(VENV)/.installed $(MANIFEST) $(DATA_DOCS_ASSETS)/node_modules/.installed

lock: | $(BIN)/uv
	$(BIN)/uv pip compile --quiet --python-version 3.11 requirements.in -o requirements.txt
	$(BIN)/uv pip compile --quiet --python-version 3.11 requirements-bi.in -o requirements-bi.txt
	$(BIN)/uv pip compile --quiet --python-version 3.11 requirements-pages.in -o requirements-pages.txt
	cd $(DATA_DOCS_ASSETS) && npm install --package-lock-only --ignore-scripts

demo: install
	$(BIN)/python -m tools.demo

# Debian's Chromium drives the browser tests (Airflow UI, Data Docs, dashboards), with a CJK font so that
# screenshots show the Chinese; without Chromium the browser tests skip.
browser:
	@command -v chromium >/dev/null && test -d /usr/share/fonts/truetype/wqy || \
	  { apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null 2>&1 || \
	  { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null 2>&1; } || \
	  echo "chromium could not be installed: the browser tests will be skipped"; }

# Debian's readers of the attachment formats Python has no good reader for: antiword (Word 97 .doc/.wps) and
# Tesseract with simplified Chinese (scanned PDFs). Without them such files are quarantined with that advice.
office-tools:
	@command -v antiword >/dev/null && command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx chi_sim || \
	  { apt-get install -y -qq antiword tesseract-ocr tesseract-ocr-chi-sim >/dev/null 2>&1 || \
	  { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq antiword tesseract-ocr tesseract-ocr-chi-sim >/dev/null 2>&1; } || \
	  echo "antiword/tesseract could not be installed: .doc/.wps files and scanned PDFs will be quarantined"; }

# Superset's venv installs (uv) while apt installs Chromium and the office tools (apt one at a time)
test: install
	$(MAKE) --no-print-directory bi-install & bi=$$!; \
	  $(MAKE) --no-print-directory browser office-tools; wait $$bi
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m "not slow"

airflow: install
	$(BIN)/python -m tools.airflow_up --mirror-base-port "$${MIRROR_BASE_PORT:-8780}"

# CeleryExecutor: scheduler, api-server, dag-processor, triggerer and two Celery workers (Redis + PostgreSQL)
airflow-distributed: install
	$(BIN)/python -m tools.airflow_up --distributed

# Apache Superset in its own venv (its pins clash with Airflow's): connections, datasets, dashboard 民政指标
BI_VENV := .venv-bi
$(BI_VENV)/.installed: requirements-bi.txt | $(BIN)/uv
	test -x $(BI_VENV)/bin/python || $(PYTHON) -m venv $(BI_VENV)
	$(BIN)/uv pip install --quiet --python $(BI_VENV)/bin/python -r requirements-bi.txt
	touch $@

bi-install: $(BI_VENV)/.installed

bi: install bi-install
	test -f warehouse/serving/warehouse.duckdb || { $(MAKE) demo && $(MAKE) publish; }
	$(BI_VENV)/bin/python -m tools.superset_up

mirror: install
	$(BIN)/python -m mirror --base-port 8780

crawl: install office-tools
	$(BIN)/python -m scrapers crawl

# Arguments reach the recipes as environment variables, expanded by the shell as data ("$$DOCS"), never
# pasted into the command line: a folder named `rm -rf ~` or `$(touch x)` is a folder name. `$(value …)`
# keeps make itself from expanding what a value contains.
override DOCS := $(value DOCS)
override OUT := $(value OUT)
override DOC := $(value DOC)
override INDICATOR := $(value INDICATOR)
export DOCS OUT DOC INDICATOR

# every extraction rule: what it does, its cases, its facts and precision on the development set
rules: install
	@$(BIN)/python -m tools.rules

# make facts DOCS=<folder> OUT=<file.jsonl>: documents → facts (FACTS.md), never touching the main warehouse
facts: install office-tools
	@test -n "$$DOCS" -a -n "$$OUT" || { echo "usage: make facts DOCS=<folder> OUT=<file.jsonl>"; exit 2; }
	$(BIN)/python -m tools.facts "$$DOCS" "$$OUT"

# make explain DOC=<file or document> [INDICATOR=<code>]: every number of a document and what became of it
explain: install
	@test -n "$$DOC" || { echo "usage: make explain DOC=<file or document name> [INDICATOR=<code>]"; exit 2; }
	$(BIN)/python -m tools.explain "$$DOC" $${INDICATOR:+--indicator "$$INDICATOR"}

benchmark-accuracy: install
	$(BIN)/python -m benchmarks.extraction_accuracy

# dbt on the main raw layer and candidate warehouse, e.g. make dbt ARGS="build -s +my_model"
dbt: install
	$(BIN)/python -m warehouse.transform.dbt $(ARGS)

# the same dbt project on PostgreSQL (127.0.0.1:5432, database minzheng): the raw layer loaded into schema
# raw, then dbt build --target postgres --selector portable
dbt-postgres: install
	$(BIN)/python -m warehouse.transform.dbt_on_postgres

# the dbt models' guard rails, one line per problem naming the model: YAML with a description and a test,
# contracts and column descriptions on the published marts, layer names (tools/check_models.py)
check-models: install
	$(BIN)/python -m tools.check_models

# ruff (lint + format, rules in pyproject.toml), the import contract (import-linter, pyproject.toml), the
# models' guard rails and sqlfluff with the dbt templater on every model, none skipped (tools/lint_models.py);
# the tests run the same code, so CI does too
lint: install check-models
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m tools.lint_models

# write-audit-publish: dbt build → Great Expectations audit → atomic swap into warehouse/serving/
publish: install
	$(BIN)/python -m warehouse.release publish

rollback: install
	$(BIN)/python -m warehouse.release rollback

DOCUMENTS ?= 10000
benchmark-scale: install
	$(BIN)/python -m benchmarks.warehouse_scale --documents $(DOCUMENTS)

benchmark-crawl: install
	$(BIN)/python -m benchmarks.crawl

# new document on the mirror -> facts queryable in the serving file, with Airflow's scheduler doing the work
benchmark-latency: install
	$(BIN)/python -m benchmarks.pipeline_latency

# DAG file parse time by Airflow's own `airflow dags report`
benchmark-parse: install
	$(BIN)/python -m benchmarks.dag_parse_time

# article extraction on pages saved from live sites: ours beside trafilatura and GNE (in .venv-pages: their
# pins are not ours)
PAGES_VENV := .venv-pages
$(PAGES_VENV)/.installed: requirements-pages.txt | $(BIN)/uv
	test -x $(PAGES_VENV)/bin/python || $(PYTHON) -m venv $(PAGES_VENV)
	$(BIN)/uv pip install --quiet --python $(PAGES_VENV)/bin/python -r requirements-pages.txt
	touch $@

benchmark-pages: install $(PAGES_VENV)/.installed
	$(BIN)/python -m benchmarks.article_pages --anchors $(PAGES_VENV)/bin/python

# ingest of a simulated fleet of 200 disclosure sites through the CeleryExecutor, one worker vs two
benchmark-fleet: install
	$(BIN)/python -m benchmarks.fleet_ingest

clean:
	rm -rf .airflow .run warehouse/raw warehouse/build warehouse/serving
