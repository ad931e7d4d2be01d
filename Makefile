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

.PHONY: setup run dev test demo bench lint clean

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

# Trained artifacts are built, not committed; build_demo.py makes only the missing ones. Then every row's
# explanation is worked out and kept in the cache (PLAINSIGHT_CACHE_DIR), so the app's first page opens at once.
demo: $(STAMP)
	@for f in $(DEMO) models/churn-demo/current.csv; do test -f $$f && test -f $$(dirname $$f)/data.csv || { $(BIN)/python models/build_demo.py; break; }; done
	@$(BIN)/plainsight warm $(dir $(DEMO))

# ui/serve.py is `streamlit run streamlit_app.py` with the engine imported before the server listens.
run: setup demo
	$(BIN)/python -m ui.serve --server.port $(PORT)

# For working on the app: rerun when a source changes. Slower per page (the watcher checks every loaded module).
dev: setup demo
	$(BIN)/streamlit run streamlit_app.py --server.port $(PORT) --server.fileWatcherType auto --server.runOnSave true

test: setup demo
	$(BIN)/python -m pytest

bench: setup demo
	$(BIN)/python bench/bench_explain.py
	$(BIN)/python bench/bench_whatif.py
	$(BIN)/python bench/bench_export.py
	$(BIN)/python bench/bench_list.py
	$(BIN)/python bench/bench_pages.py
	$(BIN)/python bench/bench_methods.py --part a

lint: setup
	$(BIN)/ruff check explain ui views models tests bench streamlit_app.py
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) models/*/model.joblib models/*/data.csv models/*/current.csv
