# Renovation Tracker: the two commands that matter are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# pytest-xdist workers for make test (each with its own test database); 0 runs in one process.
PYTEST_WORKERS ?= auto
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Python keeps the bytecode it compiles, out of the tree, whatever the shell says: with
# PYTHONDONTWRITEBYTECODE set (as some shells set it) every Python process (each test worker,
# every manage.py, gunicorn and celery the tests start) compiled Django and the project from
# source again, 2.3 of the 4.9 s that django.setup() took here.
unexport PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX ?= $(CURDIR)/.pytest_cache/bytecode

.PHONY: lock run test bench load load-sweep fault fuzz-scale install install-dev install-load lint format migrate demo messages compilemessages collectstatic clean

# Everything is installed into .venv from the lock files (exact versions, with hashes), which
# `make lock` writes from pyproject.toml; the stamp files make a second run fast.
# uv installs the lock files' exact versions, hashes checked, in seconds where pip takes most of
# a minute (CI creates the venv every run); pinned like everything else.
UV_VERSION := 0.13.9
UV_INSTALL := $(VENV)/bin/uv pip install --quiet --require-hashes --python $(PY)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet uv==$(UV_VERSION)

$(VENV)/.installed: requirements.txt | $(PY)
	$(UV_INSTALL) -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt | $(PY)
	$(UV_INSTALL) -r requirements-dev.txt
	touch $@ $(VENV)/.installed

# The load and fault tests' tools (locust), apart: make test never installs them.
$(VENV)/.installed-load: requirements-load.txt | $(PY)
	$(UV_INSTALL) -r requirements-load.txt
	touch $@ $(VENV)/.installed

## make lock: after a change to pyproject.toml's dependencies, resolve them again into the lock
## files (uv, for Python 3.11); commit the three files with the change
lock: | $(PY)
	$(PY) -m pip install --quiet uv==$(UV_VERSION)
	$(VENV)/bin/uv pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11 -o requirements.txt
	$(VENV)/bin/uv pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11 --extra dev -c requirements.txt -o requirements-dev.txt
	$(VENV)/bin/uv pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11 --extra load -c requirements.txt -o requirements-load.txt

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev
install-load: $(VENV)/.installed-load

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo_data
	$(PY) manage.py ensure_demo_admin

## make run: set everything up, load Tai'an's demo data and serve on http://127.0.0.1:$(PORT)/
run: demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## make test: set everything up and pass ruff and the whole test suite (DATABASE_URL picks the database)
## (PYTEST_ONLY=1 runs the tests alone: CI's second pass, after the first has linted)
test: install-dev
ifeq ($(PYTEST_ONLY),)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	@# axe-core for the browser tests' accessibility check (tests/browser/package-lock.json);
	@# without npm that one check is skipped, nothing else.
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error; \
	else \
		echo "npm not found: skipping axe-core, the browser accessibility check will be skipped"; \
	fi
endif
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

## make bench: latency and query counts of the pages that must stay fast (never part of make test)
bench: install-dev
	$(PY) manage.py benchmark $(BENCH_ARGS)

## make load: 60 s of 50 concurrent clients (pages, API reads, a few writes) against gunicorn on
## PostgreSQL (DATABASE_URL, default rt_scale); the report against the goals, in bench-results/
load: install-load
	$(PY) -m tests.load.harness load

## make load-sweep: make load once per gunicorn worker count (LOAD_SWEEP_WORKERS, default 2 3 4 5)
load-sweep: install-load
	$(PY) -m tests.load.harness sweep

## make fault: a load run while the app's connections are killed and PostgreSQL restarts once;
## fails on a lost write, a 500, an unclear 503 or a slow recovery. Restarts the shared server!
fault: install-load
	$(PY) -m tests.load.harness fault

## make fuzz-scale: schemathesis over HTTP against gunicorn on DATABASE_URL (default rt_scale);
## reads anonymous, writes with a superuser token (they change that database)
fuzz-scale: install-dev
	$(PY) -m tests.load.fuzz

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## make messages: refresh the catalogues from the source (needs GNU gettext), then compile them
messages: install-dev
	$(PY) manage.py makemessages --locale zh_Hans --no-obsolete --ignore ".venv/*" --ignore "staticfiles/*"
	$(PY) manage.py makemessages --locale zh_Hans --domain djangojs --no-obsolete --ignore ".venv/*" --ignore "staticfiles/*" --ignore "communities/site/static/vendor/*"
	$(MAKE) compilemessages

## make compilemessages: compile .po to .mo in pure Python (no system gettext needed)
compilemessages: install-dev
	$(PY) manage.py compile_catalogues

collectstatic: install
	$(PY) manage.py collectstatic --noinput

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
