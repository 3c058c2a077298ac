# Journey Workbench: the two commands a new user needs are `make app` and `make test`.
# Both create the project's own virtual environment in .venv and install what they need.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
PYTEST_ARGS ?=
# Test files run in parallel, one worker per core (pytest-xdist); PYTEST_WORKERS=0 runs them in turn.
PYTEST_WORKERS ?= auto
# What make bench-engines times on both engines: journeys (the journey model) or kpis.
ANALYSIS ?= journeys

.PHONY: app test check lint format bench bench-bounds bench-engines bench-peers sample screenshots clean help chromium java

help:
	@echo "make app     serve the app on http://127.0.0.1:$(PORT) with the sample data loaded"
	@echo "make test    run every test, the real-browser test included"
	@echo "make check   formatting, lint, types, import contracts, then every test"
	@echo "make bench   benchmarks at 1M and 10M events (slow; run by hand)"
	@echo "make bench-bounds  the journey model stage by stage against the floor, 1 and 2 threads"
	@echo "make bench-engines  the journey model on DuckDB and on Spark, 100k to 1M events"
	@echo "make bench-peers  file to journey model against pm4py, pandas and retentioneering"
	@echo "                  at 1M and 3M events (SIZES=1m,3m,10m for more)"
	@echo "                    (ANALYSIS=kpis: the KPIs instead)"
	@echo "make sample  regenerate the committed sample data"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.app-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	@touch $@ $(VENV)/.app-installed

app: $(VENV)/.app-installed
	$(BIN)/streamlit run app.py --server.headless true --server.address 127.0.0.1 \
		--server.port $(PORT) --browser.gatherUsageStats false

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The Spark tests need a Java runtime (Spark 4 runs on Java 17 or 21).
java:
	@command -v java >/dev/null 2>&1 || { \
		echo "Installing Debian's Java 17 runtime for the Spark tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }

test: $(VENV)/.dev-installed chromium java
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: lint test

bench: $(VENV)/.dev-installed
	$(BIN)/python bench/journeys.py

bench-bounds: $(VENV)/.dev-installed
	$(BIN)/python bench/bounds.py

bench-engines: $(VENV)/.dev-installed java
	$(BIN)/python bench/engines.py --analysis $(ANALYSIS)

# The peers live in their own environment and are never the product's dependencies (pm4py is
# AGPL); retentioneering is timed when it installs.
PEERS_VENV := bench/.venv-peers
SIZES ?= 1m,3m

$(PEERS_VENV)/.installed:
	$(PYTHON) -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/pip install pm4py==2.7.23.11 pyarrow
	-$(PEERS_VENV)/bin/pip install retentioneering==5.2.4
	touch $@

bench-peers: $(VENV)/.dev-installed $(PEERS_VENV)/.installed
	$(BIN)/python bench/peers.py --sizes $(SIZES)

sample: $(VENV)/.app-installed
	$(BIN)/python sample_data/generate.py --events 30000 --seed 7 --out sample_data

screenshots: $(VENV)/.dev-installed chromium
	$(BIN)/python docs/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist .workbench
