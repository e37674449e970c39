# Tråd: two commands for a fresh clone. `make run` serves the demo, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= python3.11
UV_VERSION := 0.13.9
VENV := .venv
UV := $(shell command -v uv 2>/dev/null || echo var/uv/bin/uv)
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

# Settings for the local demo server only; production sets its own (see README).
DEV_ENV := DEBUG=true TRAAD_REQUIRE_MFA=false

.PHONY: run test install messages migrate lint clean system-deps

var/uv/bin/uv:
	$(PYTHON) -m venv var/uv
	var/uv/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.installed: pyproject.toml uv.lock | $(if $(shell command -v uv 2>/dev/null),,var/uv/bin/uv)
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

install: $(VENV)/.installed node_modules/.installed messages

messages: $(VENV)/.installed
	$(DEV_ENV) $(MANAGE) compiletranslations

migrate: install system-deps
	mkdir -p var
	$(DEV_ENV) $(MANAGE) migrate --noinput
	$(DEV_ENV) $(MANAGE) createcachetable

run: migrate
	$(DEV_ENV) $(MANAGE) seed_demo
	@echo ""
	@echo "Tråd is starting on http://127.0.0.1:8000 (stop with Ctrl-C)."
	$(DEV_ENV) $(MANAGE) runserver 127.0.0.1:8000

# System libraries: Pango for WeasyPrint (PDF), and Debian's Chromium for the browser tests.
# Installed when missing and we may (root with apt); otherwise say what is missing.
RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0
TEST_PACKAGES := $(RUN_PACKAGES) chromium
SYSTEM_PACKAGES ?= $(RUN_PACKAGES)
system-deps:
	@missing=""; \
	for pkg in $(SYSTEM_PACKAGES); do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "NOTE: missing system packages:$$missing (apt-get install$$missing)"; \
	  fi; \
	fi

test: install
	mkdir -p var
	@$(MAKE) --no-print-directory system-deps SYSTEM_PACKAGES="$(TEST_PACKAGES)"
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	DEBUG=true $(VENV)/bin/mypy traad
	DEBUG=true $(MANAGE) makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules var/uv var/static
