# Accord: `make run` serves it with demo data, `make test` runs every test.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The PostgreSQL database `make bench` recreates for itself.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/accord_bench
# The first Python >= 3.12 on PATH (pyenv's shims honour .python-version).
PYTHON ?= $(shell for p in python3.13 python3.14 python3.12 python3 python; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	echo $$p; break; fi; done)

.PHONY: help run dev test lint bench loadtest lock clean

help:
	@echo "make run    serve Accord on http://127.0.0.1:$(PORT) with demo data (SQLite under ./var), as users see it"
	@echo "make dev    the same with DEBUG=1: Django's error pages and reloading, for debugging"
	@echo "make test   run the whole test suite"
	@echo "make lint   ruff, mypy and Django's checks"
	@echo "make bench  pages, API reads and writes on SQLite and PostgreSQL, the portfolio at 1,000 partnerships, themes on 10,000 texts, the first run"
	@echo "make loadtest  50 concurrent partners for 60 s (DATABASE_URL= for PostgreSQL; SERVERS=2: 100 on two servers and Redis)"
	@echo "make lock   rewrite requirements/*.lock from pyproject.toml (pinned, hashed)"

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "Accord needs Python 3.12 or newer, and none was found on PATH."; \
		echo "Install one (e.g. 'pyenv install 3.13', or your system's python3.13 package),"; \
		echo "or point to it: make run PYTHON=/path/to/python3.13"; \
		exit 1; fi
	$(PYTHON) -m venv $(VENV)

# uv (from PyPI, into the venv) installs the lock files: in parallel, wheels only, hashes checked.
$(BIN)/uv: | $(BIN)/python
	$(BIN)/python -m pip install --quiet "uv>=0.9,<1"

UV := $(BIN)/uv pip install --quiet --python $(BIN)/python

# What running needs, installed once from the lock file (exact versions, checked hashes), and again
# only when it changes. `make lock` rewrites the lock files from pyproject.toml.
$(VENV)/.run-deps: requirements/run.lock | $(BIN)/uv
	$(UV) --require-hashes --only-binary :all: -r requirements/run.lock
	$(UV) --no-deps -e .
	@touch $@

# What testing needs on top.
$(VENV)/.dev-deps: requirements/dev.lock $(VENV)/.run-deps
	$(UV) --require-hashes --only-binary :all: -r requirements/dev.lock
	@touch $@

lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements/run.lock pyproject.toml
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links --extra dev -o requirements/dev.lock pyproject.toml

node_modules/axe-core/axe.min.js: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --silent --no-audit --no-fund; \
	else echo "npm not found: the accessibility checks of the browser tests need it (apt-get install npm)."; fi

# As users see it (DEBUG off: friendly error pages); static files are still served, over plain http.
run: $(VENV)/.run-deps
	DEBUG=0 $(BIN)/accord serve --demo --port $(PORT)

dev: $(VENV)/.run-deps
	DEBUG=1 $(BIN)/accord serve --demo --port $(PORT)

test: $(VENV)/.dev-deps node_modules/axe-core/axe.min.js
	$(BIN)/pytest

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run

# Issue 18's figures in one run, as ratios to the /healthz floor: SQLite (PARTNERSHIPS/YEARS set its volume),
# PostgreSQL, the portfolio at 1,000 partnerships and at 10,000 (the 1,000 copied), themes on 10,000 texts, and a first run with no package cache.
bench: $(VENV)/.run-deps
	$(BIN)/python bench/run.py --partnerships $${PARTNERSHIPS:-1} --years $${YEARS:-5} --output bench/results-sqlite.json
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/run.py --partnerships 1 --years 5 --output bench/results-postgresql.json
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/run.py --partnerships 1000 --years 1 --only portfolio \
		--requests 50 --cold-requests 10 --output bench/results-portfolio.json
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/run.py --partnerships 1000 --years 1 --copies 10 --only portfolio \
		--requests 20 --cold-requests 10 --output bench/results-portfolio-10000.json
	$(BIN)/python bench/themes.py --texts 10000
	$(BIN)/python bench/first_run.py

# 50 concurrent partners for 60 s against the production server (SQLite, or DATABASE_URL); SERVERS=2
# runs two servers sharing Redis (REDIS_URL, default database 14 on 127.0.0.1) with 100 partners.
loadtest: $(VENV)/.run-deps
	$(UV) "locust>=2.30,<3"
	$(BIN)/python bench/loadtest.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache
