# oxychain: `make run` serves the demo, `make test` runs the whole suite.
# Both install from uv.lock (every package and its hashes, from PyPI): the same versions on
# every machine until someone runs `make upgrade` (or `make lock` after adding a package).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo's own "today" (its story runs from December 2021 to March 2022): the served app's
# clock runs from this day (OXYCHAIN_TODAY); `make run DEMO_TODAY=` serves on the real date.
DEMO_TODAY ?= 2022-01-20
# Omicron's severe share, the demo plan's own (planning/demo.py), so the gap pages and
# dashboards count the requirement as the demo's plan does.
DEMO_SEVERE_SHARE ?= 0.003
# uv, the resolver and installer, pinned and kept in its own folder (.uv): `uv sync`
# makes .venv exactly what the lock says, so uv cannot live there.
UV_VERSION := 0.13.9
UV := .uv/bin/uv
# This machine's Python, never one uv would download; .venv is the project's environment.
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Bytecode ahead of time: uv compiles all of site-packages at install, `make test` and
# `make run` compile src. Where bytecode is not written at import (PYTHONDONTWRITEBYTECODE,
# as on CI machines) every process would otherwise compile what it imports, again: the
# suite's xdist workers, servers and CLI runs (its CLI tests took 68 s against 38 s).
export UV_COMPILE_BYTECODE := 1
# only a head start: where src cannot be written, Python compiles at import as before
COMPILE_SRC := $(BIN)/python -m compileall -q -j 0 src || echo "src not compiled ahead"
UV_SYNC := $(UV) sync --locked --python $(PYTHON)
# What the app needs to draw PDFs (WeasyPrint: Pango, HarfBuzz; Devanagari fonts).
RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-lohit-deva
# What the suite needs on top: Debian's Chromium for browser tests, poppler to read PDFs back.
DEBIAN_PACKAGES := $(RUN_PACKAGES) chromium chromium-driver poppler-utils

.PHONY: run test venv test-venv lock upgrade system-packages run-packages lint i18n clean

# uv is one binary in its wheel: pip puts it in .uv/bin (no venv to make: ensurepip alone
# takes longer than the install). A Python without pip: python3 -m venv .uv && .uv/bin/pip
# install uv==$(UV_VERSION) does the same.
$(UV):
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
	  --target .uv uv==$(UV_VERSION)

# Re-install when the lock changes (--locked: refused, "needs to be updated", when
# pyproject.toml says more than uv.lock: run `make lock`). `make run` adds what the app needs and removes nothing
# (--inexact: the test tools of an earlier `make test` stay); `make test` adds the test extras.
$(VENV)/.installed: uv.lock pyproject.toml | $(UV)
	$(UV_SYNC) --inexact
	touch $@

$(VENV)/.installed-test: uv.lock pyproject.toml | $(UV)
	$(UV_SYNC) --extra test
	touch $(VENV)/.installed $@

venv: $(VENV)/.installed
test-venv: $(VENV)/.installed-test

# Resolve uv.lock again from pyproject.toml, keeping every pinned version that still fits
# (after merging branches that add packages: `make lock`, then commit uv.lock).
lock: | $(UV)
	$(UV) lock --python $(PYTHON)

# Every package to its newest release that fits pyproject.toml, then the whole suite.
upgrade: | $(UV)
	$(UV) lock --upgrade --python $(PYTHON)
	$(MAKE) test

# The worker (tenders closed at their deadline, reminders, email and SMS) runs beside the
# server and stops with it.
run: venv run-packages
	@$(COMPILE_SRC)
	$(BIN)/oxychain demo
	export OXYCHAIN_TODAY=$(DEMO_TODAY) OXYCHAIN_PLANNING_SEVERE_SHARE=$(DEMO_SEVERE_SHARE); \
	$(BIN)/oxychain worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/oxychain serve --host $(HOST) --port $(PORT)

# Debian packages, installed when missing and we are root; never a browser download.
run-packages:
	@$(MAKE) -s system-packages DEBIAN_PACKAGES="$(RUN_PACKAGES)"

system-packages:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing Debian packages (run as root to install):$$missing"; fi; \
	fi

# The suite on every core (pytest-xdist; worksteal evens out the long browser journeys).
TEST_WORKERS ?= auto

test: test-venv system-packages
	@$(COMPILE_SRC)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal

lint: test-venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check src tests bench

# Re-extract each area's translatable strings into its own Hindi catalogue.
i18n: test-venv
	$(BIN)/python scripts/translate.py

clean:
	rm -rf $(VENV) var/oxychain.db*
