# The two commands a fresh machine needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

.PHONY: run test test-sqlite venv lint format lock bench bench-small

# The suite runs against real PostgreSQL and Redis; these defaults match a
# machine where both listen on 127.0.0.1 (override them in the environment).
# `make run` gets no such default: unconfigured, it uses SQLite and the embedded broker.
test: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
test: export REDIS_URL ?= redis://127.0.0.1:6379/0

$(BIN)/activate: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	touch $(BIN)/activate

venv: $(BIN)/activate

## make run: install, migrate, load the article's claims, create an editor, start web + worker + beat.
run: venv
	bin/run-tracker

## make test: the whole test suite, then the schemathesis run against the live API schema.
test: venv
	$(BIN)/pytest $(PYTEST_ARGS)
	bin/schemathesis-check

## make test-sqlite: a smoke run of the fast tests on SQLite and the embedded broker.
test-sqlite: venv
	DATABASE_URL=sqlite:////tmp/claim-tracker-smoke.sqlite3 REDIS_URL= \
		$(BIN)/pytest -m "not integration and not system and not browser" -q $(PYTEST_ARGS)

# The benchmarks make (and drop) a scratch database beside DATABASE_URL's.
bench bench-small: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
bench bench-small: export REDIS_URL ?= redis://127.0.0.1:6379/0

## make bench: the claims API at 1,000,000 claims under gunicorn, loaded from another process (docs/benchmarks.md).
bench: venv
	$(PY) bench/newsroom.py --json /tmp/claim-tracker-bench.json $(BENCH_ARGS)

## make bench-small: 10,000 claims, 200 sources, 2 s a row; fails on a query budget, a Seq Scan or an error.
bench-small: venv
	$(PY) bench/newsroom.py --claims 10000 --sources 200 --duration 2 --concurrency 1 4 \
		--load-concurrency 4 --check $(BENCH_ARGS)

## make bench-rechecks: 2,000 sources on 50 local sites (100 ms) through the sweep and a real worker,
## per worker pool, with the requests/aiohttp baselines (docs/benchmarks.md, "Re-checks at scale").
.PHONY: bench-rechecks
bench-rechecks: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
bench-rechecks: export REDIS_URL ?= redis://127.0.0.1:6379/0
bench-rechecks: venv
	$(PY) bench/rechecks.py --modes prefork:2 threads:8 threads:32 threads:64 $(RECHECK_BENCH_ARGS)

## make lock: re-resolve requirements.in / requirements-dev.in into the hashed locks (needs PyPI).
UV_COMPILE = $(BIN)/uv pip compile --quiet --generate-hashes --universal --python-version 3.11 \
	--no-header --system-certs --index-url https://pypi.org/simple
lock: venv
	$(UV_COMPILE) requirements.in -o requirements.txt
	$(UV_COMPILE) requirements-dev.in -o requirements-dev.txt

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
