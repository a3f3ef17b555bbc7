# Veerkracht: `make run` serves the demo, `make test` runs the whole suite. `make help` lists all targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
RESIDENTS ?= 20000
VAR := var
# The demo: production settings over plain HTTP on 127.0.0.1, with a banner (see settings.py).
DEMO_ENV = DEMO_MODE=1 SECRET_KEY="$$(cat $(VAR)/secret_key)"
TEST_ENV = VEERKRACHT_TESTING=1 SECRET_KEY=test-secret-key-not-for-production \
	OTP_ENCRYPTION_KEYS=dGVzdC1vdHAta2V5LW5vdC1mb3ItcHJvZHVjdGlvbiE= \
	AUDIT_SEAL_KEY=test-audit-seal-key-not-for-production

.PHONY: help run test lint typecheck pytest fmt bench faults load install-test multihost container-test migrations-check messages lock clean setup assets

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(VENV)/.runtime: pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e .
	@touch $@

# The demo city's generator (Faker, tqdm) is the `demo` extra: `make run` needs it, production does not.
$(VENV)/.demo: $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[demo]'
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $@

$(VENV)/.bench: $(VENV)/.dev
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev,bench]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

src/veerkracht/static/vendor/.built: node_modules/.installed scripts/build-assets.mjs
	npm run --silent build
	@touch $@

assets: src/veerkracht/static/vendor/.built ## Install and place the front-end packages (NL Design System, htmx)

$(VAR)/secret_key:
	@mkdir -p $(VAR)
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@chmod 600 $@

setup: $(VENV)/.demo assets $(VAR)/secret_key ## Install, migrate the SQLite database and load the demo city once
	@$(DEMO_ENV) $(BIN)/veerkracht migrate --no-input -v0
	@$(DEMO_ENV) $(BIN)/veerkracht createcachetable
	@$(DEMO_ENV) $(BIN)/veerkracht collectstatic --no-input -v0
	@$(DEMO_ENV) $(BIN)/veerkracht demo --if-empty --residents $(RESIDENTS) -v0

run: setup ## Set everything up and serve the demo on http://127.0.0.1:$(PORT)
	@$(DEMO_ENV) $(BIN)/veerkracht demo_logins
	@$(DEMO_ENV) exec $(BIN)/veerkracht serve --port $(PORT)

test: lint typecheck migrations-check pytest ## The whole suite: ruff, import-linter, mypy, migrations, pytest (with the browser check)

lint: $(VENV)/.dev ## ruff (lint and format check) and import-linter (the layers of docs/layers.md)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

typecheck: $(VENV)/.dev ## mypy --strict with the Django plugin
	$(TEST_ENV) $(BIN)/mypy src tests bench

migrations-check: $(VENV)/.dev ## Fail when a model change lacks its migration
	$(TEST_ENV) $(BIN)/veerkracht makemigrations --check --dry-run -v1

# pytest-xdist: one worker per core (PYTEST_WORKERS=0 runs in this process), each with its own test
# database; a worker that finishes its share takes tests from a busy one (worksteal).
PYTEST_WORKERS ?= auto
pytest: $(VENV)/.bench assets ## pytest on SQLite, or on PostgreSQL when DATABASE_URL is set (with the benchmarks' smoke runs)
	@if [ ! -x /usr/bin/chromium ] && [ -z "$$CHROMIUM" ]; then \
	  echo "!!! Chromium not found: the accessibility check (tests/browser) will be SKIPPED. Install it: apt-get install chromium"; fi
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal

# Each benchmark runs to the end even when one before it fails or misses a target; its table goes
# to var/bench-runs/<time>/<script>.txt and .json (compare two runs with bench/compare.py), and
# the target fails at the end when any of them did. BENCH_FLAGS go to every script
# (BENCH_FLAGS=--smoke: all in seconds), BENCH_ARGS_<script> to one, BENCHMARKS picks some:
#   make bench BENCHMARKS="matching routing" BENCH_ARGS_matching="--sizes 2000 --repeats 1"
BENCHMARKS ?= demo_city out_of_sight matching routing insights import_residents job_faults load load_pages geography_import
bench: $(VENV)/.bench assets ## Benchmarks (hours): every script in bench/ but faults.py (`make faults`)
	@run="$(VAR)/bench-runs/$$(date -u +%Y%m%dT%H%M%SZ)"; mkdir -p "$$run"; failed=""; \
	$(foreach script,$(BENCHMARKS),\
	  echo "=== bench/$(script).py $(BENCH_FLAGS) $(BENCH_ARGS_$(script))"; \
	  $(BIN)/python -u bench/$(script).py $(BENCH_FLAGS) $(BENCH_ARGS_$(script)) --json "$$run/$(script).json" 2>&1 \
	    | tee "$$run/$(script).txt"; \
	  [ "$${PIPESTATUS[0]}" = 0 ] || failed="$$failed $(script)";) \
	echo "results in $$run"; \
	if [ -n "$$failed" ]; then echo "failed or missed a target:$$failed"; exit 1; fi

faults: $(VENV)/.bench ## PostgreSQL restarted under requests: clean 503s, nothing half-written (restarts the local cluster!)
	$(BIN)/python bench/faults.py

load: $(VENV)/.bench assets ## Load test (about 4 min, needs PostgreSQL): 200 users for 2 minutes against `veerkracht serve`
	$(BIN)/python bench/load.py $(LOAD_ARGS)

install-test: ## Follow docs/beheer literally on this machine (root, Debian 12; removes an earlier test install!)
	deploy/test/install-from-docs.sh

multihost: $(VENV)/.bench assets ## Two application hosts, a database host and HAProxy in network namespaces, with faults (root; about 6 min)
	deploy/test/multihost.sh $(MULTIHOST_ARGS)

container-test: ## Build the Containerfile with podman from HEAD and run it against local PostgreSQL (root; about 5 min)
	deploy/test/container.sh

fmt: $(VENV)/.dev ## Format and fix what ruff can
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# The templates' texts come from babel's Jinja2 extractor, the code's from Django's makemessages;
# msgmerge brings both into django.po (and revives the templates' entries makemessages retired).
messages: $(VENV)/.dev ## Update the Dutch translations (needs GNU gettext) and compile them
	cd src/veerkracht && ../../$(BIN)/pybabel -q extract -F locale/babel.cfg --sort-by-file -o locale/templates.pot . \
	  && DEBUG=1 ../../$(BIN)/veerkracht makemessages -l nl -e py --ignore "static/*" --keep-pot \
	  && msgcat --use-first locale/django.pot locale/templates.pot -o locale/django.pot \
	  && msgmerge --quiet --update --backup=none --previous locale/nl/LC_MESSAGES/django.po locale/django.pot \
	  && rm locale/django.pot locale/templates.pot \
	  && DEBUG=1 ../../$(BIN)/veerkracht compilemessages

lock: ## Re-pin every dependency after changing pyproject.toml
	rm -rf $(VENV)-lock && $(PYTHON) -m venv $(VENV)-lock && $(VENV)-lock/bin/pip install --quiet -e '.[dev,bench]'
	( echo "# Pinned versions of every runtime and development dependency (pip constraints file)."; \
	  echo "# Regenerate with \`make lock\` after changing pyproject.toml."; \
	  $(VENV)-lock/bin/pip freeze --exclude-editable ) > requirements.lock
	rm -rf $(VENV)-lock

clean: ## Remove the virtual environment, node_modules and var/ (the SQLite database)
	rm -rf $(VENV) node_modules $(VAR) src/veerkracht/static/vendor
