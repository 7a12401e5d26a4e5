# Everything a fresh machine needs, from Python 3.11+ and make alone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_DB := demo/journal.db
COACH_DB := demo/coach.db
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: demo coach-demo test lint bench bench-semantic model docs clean

# The semantic triage backend lives in a venv of its own: it needs PyTorch (a CPU build).
SEMANTIC_VENV := .venv-semantic
TORCH ?= torch==2.13.0

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "debrief needs Python 3.11 or newer; set PYTHON=python3.11 (or newer)")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[dev,bench]'
	@touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	@mkdir -p $(dir $(DEMO_DB))
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/debrief --db $(DEMO_DB) demo --seed 7
	$(BIN)/debrief --db $(DEMO_DB) themes
	$(BIN)/debrief --db $(DEMO_DB) report -o $(dir $(DEMO_DB))report.html

# A coach server to explore: an admin, two coaches and twelve students (their journals in
# demo/coach.students/); it prints who signs in, with which demo password, and how to serve it.
coach-demo: $(VENV)/.installed
	@mkdir -p $(dir $(COACH_DB))
	@rm -rf $(COACH_DB) $(COACH_DB)-wal $(COACH_DB)-shm $(basename $(COACH_DB)).students
	$(BIN)/debrief --db $(COACH_DB) demo --cohort 12

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run.py

$(SEMANTIC_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(SEMANTIC_VENV)
	$(SEMANTIC_VENV)/bin/python -m pip --disable-pip-version-check -q install '$(TORCH)'
	$(SEMANTIC_VENV)/bin/python -m pip --disable-pip-version-check -q install -e '.[semantic,dev]'
	@touch $@

bench-semantic: $(SEMANTIC_VENV)/.installed
	$(SEMANTIC_VENV)/bin/python benchmarks/bench_triage.py

# Retrain the triage models from the corpus (the test split is never read), recount the term
# frequencies that name groups of shared words, and retrain the sub-skill model from its corpus
# (the labelled set under tests/data/subskills is never read).
model: $(VENV)/.installed-dev $(SEMANTIC_VENV)/.installed
	$(BIN)/python -m debrief.triage.train
	$(SEMANTIC_VENV)/bin/python -m debrief.triage.train --semantic
	$(BIN)/python -m debrief.themes
	$(BIN)/python -m debrief.themes.train

docs: $(VENV)/.installed-dev
	$(BIN)/python -m debrief.cli.reference > docs/cli.md

clean:
	rm -rf $(VENV) $(SEMANTIC_VENV) demo build dist .pytest_cache .mypy_cache .ruff_cache
