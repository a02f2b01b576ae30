# lmsdecide: the newcomer's entry points.
#   make lab    set up .venv (first time only) and open JupyterLab on the start notebook
#   make present  serve the workshop app (Voila) on 127.0.0.1:8866 for a facilitator, and the live
#                 room's participants' server on :8867 (LAN=1: participants join over the network)
#                 (SCENARIO=my_org.yaml presents your own organisation's story)
#   make interview  describe your organisation in plain words (Voila on 127.0.0.1:8868)
#                 and get a scenario (OUTPUT=my_org.yaml)
#   make test   set up .venv (first time only) and run the whole suite: ruff, mypy, pytest
#               (models, loaders, notebooks under nbval, browser tests in Debian's chromium)
#   make check  the quick loop while you work (about two minutes): ruff, mypy and the fast tests
#               (no browser, no notebooks, nothing marked slow) in a shuffled order
# All are idempotent: the environment is rebuilt only when pyproject.toml changes.

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.lmsdecide-installed
# PORT picks the port: JupyterLab defaults to 8888, the workshop app to 8866, the interview 8867.
PORT ?=

# SCENARIO: the scenario whose story `make present` presents (default: the bundled story).
SCENARIO ?=
# OUTPUT: the scenario file `make interview` writes.
OUTPUT ?= my_org.yaml

.PHONY: help lab present interview test check lint typecheck pytest pytest-fast browser-deps clean bench

help:
	@echo "make lab     - set up and open JupyterLab on notebooks/00_start_here.ipynb (PORT=8888)"
	@echo "make present - serve the workshop app (Voila) on 127.0.0.1 (PORT=8866, SCENARIO=my_org.yaml) and the live room (LAN=1)"
	@echo "make interview - describe your organisation, get a scenario (PORT=8868, OUTPUT=my_org.yaml)"
	@echo "make test    - set up and run the whole test suite"
	@echo "make check   - lint, types and the fast tests in a random order (about two minutes)"

$(STAMP): pyproject.toml jupyter/overrides.json
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@# rfc3987-syntax (pulled in by jupyter-events through jsonschema[format-nongpl]) compiles 38
	@# grammars whenever jsonschema loads, about 1.5-12 s of CPU in every kernel that shows a
	@# FigureWidget; jsonschema imports it optionally and nothing here checks "iri" formats.
	$(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax
	$(BIN)/python -c "from lmsdecide.cli import install_lab_settings as i; print('lab settings:', i())"
	@touch $(STAMP)

# The same command as `lmsdecide lab`: the printed link and the browser land on the start notebook,
# in the project's own workspace (kept in the venv), never restoring another JupyterLab's tabs.
lab: $(STAMP)
	$(BIN)/lmsdecide lab --port $(or $(PORT),8888)

# The facilitator's app: notebooks/05_workshop_live.ipynb under Voila, offline, no code shown.
present: $(STAMP)
	$(BIN)/lmsdecide present --port $(or $(PORT),8866) $(if $(LAN),--lan) $(if $(SCENARIO),--scenario "$(SCENARIO)",)

# The guided interview (notebook 08 under Voila): plain answers become a scenario in $(OUTPUT).
interview: $(STAMP)
	$(BIN)/lmsdecide interview --port $(or $(PORT),8868) -o "$(OUTPUT)"

# The browser tests drive Debian's chromium (never a downloaded browser).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	  else \
	    echo "chromium is missing: install it with 'sudo apt-get install chromium'" >&2; exit 1; \
	  fi; }

lint: $(STAMP)
	$(BIN)/ruff check lmsdecide tests bench
	$(BIN)/ruff format --check lmsdecide tests bench

typecheck: $(STAMP)
	$(BIN)/mypy lmsdecide

pytest: $(STAMP) browser-deps
	$(BIN)/pytest --nbval-lax tests notebooks

test: lint typecheck pytest

# The fast tests in a random order (pytest-randomly prints "Using --randomly-seed=N"; replay that
# order with `make check SEED=N`). `make test` keeps the file order.
SEED ?=
pytest-fast: $(STAMP)
	HYPOTHESIS_PROFILE=check $(BIN)/pytest -p randomly $(if $(SEED),--randomly-seed=$(SEED)) \
	  -m "not browser and not slow" --ignore=tests/browser tests

check: lint typecheck pytest-fast

# Benchmarks, on demand only (never part of make test): bench/results.json and bench/results.md.
# OPENBLAS_CORETYPE/L2_SIZE (set on some machines for old OpenBLAS builds) slow a current numpy:
# unset in this command only; the caller's values and the kernel that runs are recorded.
bench: $(STAMP)
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
	  BENCH_CALLER_OPENBLAS_CORETYPE="$${OPENBLAS_CORETYPE-(unset)}" \
	  BENCH_CALLER_OPENBLAS_L2_SIZE="$${OPENBLAS_L2_SIZE-(unset)}" \
	  $(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis test-artifacts
