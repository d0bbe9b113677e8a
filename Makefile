# Two commands (README): `make build` sets everything up and builds dist/;
# `make test` sets everything up and runs every test, Playwright included.
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: setup build test lint clean serve browser bench

$(STAMP): pyproject.toml constraints.txt package.json package-lock.json
	@command -v $(PY) >/dev/null || { echo "error: $(PY) not found (Python 3.11 is required)"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	npm ci --no-audit --no-fund
	touch $(STAMP)

setup: $(STAMP) browser

# Playwright's own Chromium where it can be downloaded; else the system Chromium from apt.
browser: $(STAMP)
	@$(BIN)/python -m sdk.browser ensure

build: $(STAMP)
	$(BIN)/python build.py

test: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python build.py
	$(BIN)/python -m pytest -q

serve: build
	$(BIN)/python -m sdk serve

# The peers go into bench/node_modules only (never dist/); results in bench/results.*
bench: setup
	$(BIN)/pip install --quiet -c constraints.txt -e '.[bench]'
	npm ci --prefix bench --no-audit --no-fund --ignore-scripts
	$(BIN)/python bench/run.py

clean:
	rm -rf build dist .pytest_cache .hypothesis
