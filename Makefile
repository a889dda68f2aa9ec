# The seminar series: `make lab` to learn, `make test` to check everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
# The Korean edition (한국어판): twins of the English notebooks, kept in step by `make korean`.
KO_NOTEBOOKS := $(sort $(wildcard notebooks/ko/[0-9][0-9]_*.ipynb))
PORT ?= 8888
# The exact versions (hash-checked) that CI passed with; `make lock` rewrites it from pyproject.toml.
LOCK := requirements.lock
# The uv that wrote $(LOCK); another release may order or mark lines differently.
UV_VERSION := 0.13.9
UV := build/uv-venv/bin/uv
DRIFT_VENV := build/drift-venv
# `make drift DRIFT_TESTS=tests/test_lock.py` for a quick look instead of every unit test.
DRIFT_TESTS ?= tests

.PHONY: lab lab-ko test unit execute korean html slides seminar bench lint lock drift clean help
.DEFAULT_GOAL := help

help:
	@echo "make lab      open the series in JupyterLab at 00_overview (the main job)"
	@echo "make lab-ko   the Korean edition (ko/00_overview) with JupyterLab's menus in Korean"
	@echo "make test     unit tests of helpers/ and nbval run of every notebook"
	@echo "make unit     the unit tests only (the fast inner loop, a few minutes)"
	@echo "make execute  re-run every notebook in place on a clean kernel, then make korean"
	@echo "make korean   copy code and outputs into notebooks/ko/, list prose to re-translate"
	@echo "make html     render notebooks to build/html/ (offline)"
	@echo "make slides   render notebooks to reveal.js decks in build/slides/ (offline)"
	@echo "make seminar  the talk with speaker notes and PDF handouts: build/seminar/index.html (Korean), en/"
	@echo "make bench    run benchmarks/ and print their tables"
	@echo "make lint     ruff over helpers/, tests/, benchmarks/ and notebooks/"
	@echo "make lock     refresh $(LOCK) from pyproject.toml (LOCK_FLAGS=--upgrade: all newest)"
	@echo "make drift    newest allowed versions in $(DRIFT_VENV), then the unit tests"

# The venv is (re)built when the lock or pyproject.toml changes; plain venv so only Python is
# needed. No pip upgrade: it would be the one unpinned download. The project itself is built
# without isolation, by the setuptools and wheel the lock pins, so nothing unhashed is fetched.
$(STAMP): $(LOCK) pyproject.toml
	@$(PYTHON) tools/check_python.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing the locked versions from $(LOCK) (hash-checked; make drift tries the newest)"
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

# A project-local Jupyter config (tools/jupyter: no news prompt, NanumGothic for Korean via
# custom.css); the lab settings and workspaces it writes stay in build/. ~/.jupyter is untouched.
LAB_ENV := JUPYTER_CONFIG_DIR=$(CURDIR)/tools/jupyter \
	JUPYTERLAB_SETTINGS_DIR=$(CURDIR)/build/jupyter/user-settings \
	JUPYTERLAB_WORKSPACES_DIR=$(CURDIR)/build/jupyter/workspaces
# The Hangul of koreanize-matplotlib's NanumGothic as a WOFF that browsers accept (custom.css).
LAB_FONT := build/jupyter/fonts/NanumGothic.woff

$(LAB_FONT): $(STAMP) tools/render.py
	$(BIN)/python tools/render.py lab-font --out $@

# tools/jupyter/launch.py opens 00_overview (LabApp.default_url) and prints, last, the one URL
# that works, its token included (also where no browser opens: SSH, WSL).
lab: $(STAMP) $(LAB_FONT)
	$(LAB_ENV) $(BIN)/python tools/jupyter/launch.py --port $(PORT) --static "$(CURDIR)/$(dir $(LAB_FONT))"

# The Korean edition: ko/00_overview, with JupyterLab's menus in Korean (the language pack).
lab-ko: $(STAMP) $(LAB_FONT)
	$(LAB_ENV) $(BIN)/python tools/jupyter/launch.py --port $(PORT) --static "$(CURDIR)/$(dir $(LAB_FONT))" --korean

test: $(STAMP)
	$(BIN)/python -m pytest

unit: $(STAMP)
	$(BIN)/python -m pytest tests

execute: $(STAMP)
	$(BIN)/python tools/execute_notebooks.py $(NOTEBOOKS)
	$(BIN)/python tools/korean_edition.py sync

korean: $(STAMP)
	$(BIN)/python tools/korean_edition.py sync

html: $(STAMP)
	$(BIN)/python tools/render.py html $(NOTEBOOKS)
	$(BIN)/python tools/render.py html $(KO_NOTEBOOKS) --out build/html/ko

slides: $(STAMP)
	$(BIN)/python tools/render.py slides $(NOTEBOOKS)
	$(BIN)/python tools/render.py slides $(KO_NOTEBOOKS) --out build/slides/ko

# The talk is written in presenter/seminar.{ko,en}.md; the PDF handouts need Chromium.
seminar: $(STAMP)
	$(BIN)/python tools/seminar.py

bench: $(STAMP)
	@set -e; for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script; done
	$(BIN)/python tools/readme_results.py

lint: $(STAMP)
	$(BIN)/ruff check helpers tests benchmarks tools notebooks
	$(BIN)/ruff format --check helpers tests benchmarks tools

# uv resolves one lock for every platform and Python at once (--universal); pip-compile cannot.
# An existing lock is kept where it still fits, so a new dependency moves nothing else.
$(UV):
	$(PYTHON) -m venv build/uv-venv
	build/uv-venv/bin/python -m pip install --quiet uv==$(UV_VERSION)

lock: $(UV)
	$(UV) pip compile pyproject.toml --extra dev --universal --fork-strategy fewest \
		--generate-hashes --custom-compile-command "make lock" --output-file $(LOCK) --quiet \
		$(LOCK_FLAGS)
	@echo "Wrote $(LOCK): $$(grep -c '^[a-z0-9]' $(LOCK)) pins; commit it with pyproject.toml"

# What next year's learner without the lock would get: the newest versions pyproject.toml allows,
# in a scratch venv, then the unit tests. The table says which versions moved from the lock.
drift:
	@$(PYTHON) tools/check_python.py
	rm -rf $(DRIFT_VENV)
	$(PYTHON) -m venv $(DRIFT_VENV)
	@echo "Installing the newest versions pyproject.toml allows into $(DRIFT_VENV) (not the lock)"
	$(DRIFT_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(DRIFT_VENV)/bin/python -m pip install --quiet -e '.[dev]'
	$(DRIFT_VENV)/bin/python tools/lock_drift.py $(LOCK)
	$(DRIFT_VENV)/bin/python -m pytest $(DRIFT_TESTS)

clean:
	rm -rf build
