# The seminar series: `make lab` to learn, `make test` to check everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
PORT ?= 8888

.PHONY: lab test unit execute html slides bench lint clean help
.DEFAULT_GOAL := help

help:
	@echo "make lab      open the series in JupyterLab (the main job)"
	@echo "make test     unit tests of helpers/ and nbval run of every notebook"
	@echo "make unit     the unit tests only (the fast inner loop, a few minutes)"
	@echo "make execute  re-run every notebook in place on a clean kernel"
	@echo "make html     render notebooks to build/html/ (offline)"
	@echo "make slides   render notebooks to reveal.js decks in build/slides/ (offline)"
	@echo "make bench    run benchmarks/ and print their tables"
	@echo "make lint     ruff over helpers/, tests/, benchmarks/ and notebooks/"

# The venv is (re)built when pyproject.toml changes; plain venv so only Python is needed.
$(STAMP): pyproject.toml
	@$(PYTHON) tools/check_python.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

lab: $(STAMP)
	@echo "JupyterLab will serve notebooks/ at http://localhost:$(PORT)/lab (Ctrl-C stops it)"
	$(BIN)/jupyter lab --notebook-dir=notebooks --port=$(PORT) \
		$(if $(DISPLAY)$(filter Darwin,$(shell uname -s)),,--no-browser) \
		$(if $(filter 0,$(shell id -u)),--allow-root)

test: $(STAMP)
	$(BIN)/python -m pytest

unit: $(STAMP)
	$(BIN)/python -m pytest tests

execute: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py $(NOTEBOOKS)

html: $(STAMP)
	$(BIN)/python tools/render.py html $(NOTEBOOKS)

slides: $(STAMP)
	$(BIN)/python tools/render.py slides $(NOTEBOOKS)

bench: $(STAMP)
	@set -e; for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script; done
	$(BIN)/python tools/readme_results.py

lint: $(STAMP)
	$(BIN)/ruff check helpers tests benchmarks tools notebooks
	$(BIN)/ruff format --check helpers tests benchmarks tools

clean:
	rm -rf build
