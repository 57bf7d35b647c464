# oxychain: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What the app needs to draw PDFs (WeasyPrint: Pango, HarfBuzz; Devanagari fonts).
RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-lohit-deva
# What the suite needs on top: Debian's Chromium for browser tests, poppler to read PDFs back.
DEBIAN_PACKAGES := $(RUN_PACKAGES) chromium chromium-driver poppler-utils

.PHONY: run test venv test-venv system-packages run-packages lint i18n demo bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

venv: $(VENV)/.installed
test-venv: $(VENV)/.installed-test

# The worker (tenders closed at their deadline, reminders, email and SMS) runs beside the
# server and stops with it.
run: venv run-packages
	$(BIN)/oxychain demo
	$(BIN)/oxychain worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/oxychain serve

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

test: test-venv system-packages
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest

lint: test-venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check src tests bench

# Re-extract each area's translatable strings into its own Hindi catalogue.
i18n: test-venv
	$(BIN)/python scripts/translate.py

clean:
	rm -rf $(VENV) var/oxychain.db*
