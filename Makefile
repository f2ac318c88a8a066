# Customer-analytics warehouse. `make build` to build and explore, `make test` to run every test.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON      ?= python3.11
VENV        := .venv
BIN         := $(VENV)/bin
DBT         := $(BIN)/python scripts/dbt_run.py
# Reference time of the sample data: pinned so results never drift with the calendar.
SAMPLE_AS_OF := 2026-06-30T00:00:00Z
VARS        := --vars '{as_of: "$(SAMPLE_AS_OF)"}'
# Isolated warehouses for the test suite (never the analyst's dev warehouse).
TEST_SCHEMA ?= ci_$(shell id -un 2>/dev/null | tr -cd 'a-z0-9_')
TEST_DUCKDB ?= build/test.duckdb
LINT_DUCKDB ?= build/lint.duckdb
# pytest processes (pytest-xdist, one module per process at a time; tests/pytest/conftest.py gives each its own
# dbt target and log paths): 2 on this 2-core machine, where one process leaves a core idle while dbt parses
PYTEST_WORKERS ?= 2
# dbt's target/ and logs/ per test job, so the jobs `make test` runs side by side never share them
dbt_paths = DBT_TARGET_PATH=build/target_$(1) DBT_LOG_PATH=build/logs_$(1)
LINT_ENV = DUCKDB_PATH=$(LINT_DUCKDB) DBT_SCHEMA=lint $(call dbt_paths,lint)
export PATH := $(CURDIR)/$(BIN):$(PATH)
export DBT_PROFILES_DIR := $(CURDIR)

.PHONY: help
help: ## Show this help
	@grep -hE '^[a-z][a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/dbt: requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

.PHONY: install
install: $(BIN)/dbt profiles.yml ## Create .venv and install the pinned Python packages

profiles.yml: profiles.yml.example
	@test -f $@ || { cp $< $@ && echo "created profiles.yml from profiles.yml.example"; }

.PHONY: deps
deps: install ## Install dbt packages: dbt Hub, else ../shared/dbt_packages/project/ (placeholders only if neither)
	@# PACKAGES_READY: set by `make test` for its parallel stage, whose jobs must not reinstall what the others read
	@if [ -z "$(PACKAGES_READY)" ]; then $(DBT) deps; fi

.PHONY: check-packages
check-packages: deps ## Fail unless the real packages of packages.lock.yml are installed (version + sha256)
	@$(DBT) check-packages

.PHONY: build
build: deps ## Build the warehouse on DuckDB from the sample data (customer_analytics.duckdb)
	$(DBT) build --target dev $(VARS)
	@echo
	@echo "Built. Next:"
	@echo "  DuckDB file:  customer_analytics.duckdb (schemas <prefix>_staging, _bronze, _dq, ...)"
	@echo "  Lineage/docs: $(BIN)/dbt docs generate && $(BIN)/dbt docs serve"
	@echo "  DQ report:    select * from <prefix>_dq.dq_rule_summary where status <> 'pass'"

.PHONY: test
test: deps check-packages ## Run every test: lint, project evaluator, dbt build on DuckDB and Postgres (in parallel), pytest
	@# the four checks are independent (own warehouse, own dbt target and log paths): run side by side, each
	@# target's output printed whole when it ends; then pytest, which reads the two warehouses just built
	@$(MAKE) --no-print-directory -j4 --output-sync=target PACKAGES_READY=1 lint evaluate test-duckdb test-postgres
	@$(MAKE) --no-print-directory PACKAGES_READY=1 pytest

.PHONY: lint
lint: deps ## Lint the SQL with sqlfluff (dbt templater)
	@# macros that generate SQL from reference seeds read them while compiling: load them into a scratch file first
	@mkdir -p build
	@rm -f $(LINT_DUCKDB) $(LINT_DUCKDB).wal
	$(LINT_ENV) $(DBT) seed --select path:seeds/reference --target dev --quiet
	$(LINT_ENV) $(BIN)/sqlfluff lint models tests analyses macros snapshots --processes 2

.PHONY: evaluate
evaluate: deps ## dbt-project-evaluator on the project's structure (every rule clean or excepted with a reason)
	$(BIN)/python scripts/project_evaluator.py

.PHONY: test-duckdb
test-duckdb: install ## dbt build (seeds, models, tests) on an isolated DuckDB file
	@mkdir -p build
	rm -f $(TEST_DUCKDB) $(TEST_DUCKDB).wal
	DUCKDB_PATH=$(TEST_DUCKDB) DBT_SCHEMA=$(TEST_SCHEMA) $(call dbt_paths,duckdb) $(DBT) build --target dev $(VARS)

.PHONY: test-postgres
test-postgres: install ## dbt build (seeds, models, tests) on Postgres, in isolated schemas
	@if $(BIN)/python scripts/pg_available.py; then \
		DBT_SCHEMA=$(TEST_SCHEMA) $(call dbt_paths,pg) $(DBT) run-operation drop_dev_schemas --target pg && \
		DBT_SCHEMA=$(TEST_SCHEMA) $(call dbt_paths,pg) $(DBT) build --target pg $(VARS); \
	elif [ -n "$$REQUIRE_POSTGRES" ]; then \
		echo "FAIL: Postgres is required (REQUIRE_POSTGRES is set) but cannot be reached"; exit 1; \
	else \
		echo "SKIPPED: Postgres cannot be reached, so the Postgres build was not run (set PGHOST/PGPORT/PGUSER)"; \
	fi

.PHONY: pytest
pytest: install ## Python tests: scripts, rejected rows vs injected defects, both engines
	DUCKDB_PATH=$(TEST_DUCKDB) DBT_SCHEMA=$(TEST_SCHEMA) $(BIN)/pytest -q --durations=40 -n $(PYTEST_WORKERS) --dist loadfile

.PHONY: test-scale
test-scale: deps ## Scale tests, outside make test and CI (about 7 min): planted experiments found at 100,000 people
	$(BIN)/pytest -q -s -m scale

.PHONY: mutation
mutation: deps ## Mutation testing of the business SQL, outside CI: hours (~2 min a mutant); MUTATION_ARGS=--only ID / --area rfm / --list
	@# resumable: results cached in build/mutation/results.json; report in build/mutation/report.md
	$(BIN)/python scripts/mutation.py $(MUTATION_ARGS)

.PHONY: sample-data
sample-data: install ## Regenerate the sample seeds and their ground truth (deterministic)
	$(BIN)/python scripts/generate_raw.py --people 2000 --out seeds/sample --truth-out tests/fixtures/sample_truth

.PHONY: benchmark
benchmark: install ## One run per size and engine: one pass, load, build, DDA queries, ratios; README + docs/benchmark.png (BENCH_PEOPLE=10000,100000, BENCH_ARGS=--large)
	$(BIN)/python scripts/benchmark.py --people $${BENCH_PEOPLE:-10000,100000} $${BENCH_ARGS:-}

.PHONY: docs
docs: deps ## dbt docs site into target/ (index.html + one-file static_index.html; make docs-serve to browse)
	$(DBT) docs generate --static --target $${DBT_TARGET:-dev} $(VARS)
	@echo "Docs: $(CURDIR)/target/static_index.html (one file, opens from disk) and target/index.html"

.PHONY: docs-serve
docs-serve: docs ## Serve the docs site on http://localhost:8080
	$(BIN)/dbt docs serve --port 8080

.PHONY: report
report: install ## Elementary's HTML report from the built warehouse, offline (REPORT_TARGET=dev|pg): target/elementary_report.html
	$(BIN)/python scripts/elementary_report.py --target $${REPORT_TARGET:-dev}

.PHONY: browser
browser: ## Install Debian's chromium for the browser tests (tests/pytest/test_browser.py), as root
	@command -v chromium >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

.PHONY: clean
clean: ## Remove build output (keeps .venv and the DuckDB file)
	rm -rf target logs build dbt_packages
