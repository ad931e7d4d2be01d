# Two commands for a new user: `make run` and `make test`. Both set themselves up on first use.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := models/churn-demo/model.joblib models/churn-demo-linear/model.joblib models/spend-demo/model.joblib
PORT ?= 8501

# The newest Python 3.12+ on PATH: python3.13, python3.12, then python3 if it is new enough.
PYTHON := $(shell for p in python3.14 python3.13 python3.12 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 \
	&& { echo $$p; break; }; done)

.PHONY: setup run test demo bench lint clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
		echo "Plainsight needs Python 3.12 or newer, and none was found on PATH (python3.13, python3.12, python3)."; \
		echo "Install one (e.g. from python.org or your package manager), then run this again."; \
		exit 1; fi
	@echo "Setting up $(VENV) with $$($(PYTHON) --version) (first run only)…"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	@touch $(STAMP)

# Trained artifacts are built, not committed; build_demo.py makes only the missing ones.
demo: $(STAMP)
	@for f in $(DEMO); do test -f $$f && test -f $$(dirname $$f)/data.csv || { $(BIN)/python models/build_demo.py; break; }; done

run: setup demo
	$(BIN)/streamlit run streamlit_app.py --server.port $(PORT)

test: setup demo
	$(BIN)/python -m pytest

bench: setup demo
	$(BIN)/python bench/bench_explain.py
	$(BIN)/python bench/bench_whatif.py
	$(BIN)/python bench/bench_export.py
	$(BIN)/python bench/bench_list.py

lint: setup
	$(BIN)/ruff check explain ui views models tests bench streamlit_app.py
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) models/*/model.joblib models/*/data.csv
