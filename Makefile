# Two commands do all set-up: `make run` (portal on SQLite with demo data) and
# `make test` (lint + the whole suite on SQLite and on PostgreSQL).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test lint pytest-sqlite pytest-postgres messages setup clean bench lighthouse

$(VENV)/.installed: pyproject.toml uv.lock
	@test -x $(PY) || "$$(scripts/find-python.sh)" -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check "uv==0.13.8"
	@UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --quiet
	@touch $@

node_modules/.installed: package.json package-lock.json
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV)/.installed node_modules/.installed

run:
	@scripts/system-packages.sh run
	@$(MAKE) --no-print-directory setup
	@$(MANAGE) migrate --noinput
	@$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules >/dev/null
	@$(MANAGE) collectstatic --noinput >/dev/null
	@$(MANAGE) seed_demo
	@# The background worker (checks and imports of uploads, e-mail of
	@# notices) runs beside the server and stops with it.
	@$(MANAGE) db_worker & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
		$(MANAGE) runserver $(HOST):$(PORT)

test:
	@scripts/system-packages.sh test
	@$(MAKE) --no-print-directory setup
	@$(MAKE) --no-print-directory lint
	@$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules >/dev/null
	@$(MAKE) --no-print-directory pytest-sqlite
	@$(MAKE) --no-print-directory pytest-postgres

# Style, formatting and the architecture: import-linter's contracts in
# pyproject.toml fail on any import that runs upwards (docs/architecture.md).
lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

pytest-sqlite:
	@echo "== pytest on SQLite (browser tests run once, on PostgreSQL) =="
	env -u DATABASE_URL $(VENV)/bin/pytest -m "not browser" $(PYTEST_ARGS)

# The PostgreSQL run is the production stack: its cache is a real Redis.
pytest-postgres:
	@echo "== pytest on PostgreSQL, with the cache in Redis =="
	scripts/with-postgres.sh scripts/with-redis.sh $(VENV)/bin/pytest $(PYTEST_ARGS)

# National-scale benchmarks on a throw-away PostgreSQL, never part of `make test`
# (about 30 minutes on two cores): seeds ~150,000 institutions, measures each goal
# of issue 15 beside its reference with PASS/FAIL, then again at twice the size;
# writes bench/results.json and prints a Markdown table (see bench/README.md).
# BENCH_ARGS="--quick" checks the machinery at a small size.
BENCH_ARGS ?=
bench:
	@scripts/system-packages.sh bench
	@$(MAKE) --no-print-directory setup
	@UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --quiet --group bench
	@$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules >/dev/null
	scripts/with-postgres.sh scripts/with-redis.sh $(PY) -m bench.run $(BENCH_ARGS)

# Lighthouse (mobile) on the dashboard, the registry and the year sheet, served by
# gunicorn with production settings and the demo data; writes
# bench/lighthouse/results.json, prints PASS/FAIL per page-weight goal (see
# bench/README.md). Never part of `make test`.
LIGHTHOUSE_ARGS ?=
lighthouse:
	@scripts/system-packages.sh test
	@$(MAKE) --no-print-directory setup
	@$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules >/dev/null
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(PY) -m bench.lighthouse $(LIGHTHOUSE_ARGS)

# Refreshes locale/vi from the code and fills translations from locale/parts/*.po.
messages: setup
	$(PY) scripts/messages.py

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
