# The two set-up commands of the README: `make demo` and `make test`.
# Both create and reuse a local virtual environment in .venv. `make test` is what CI runs
# (.ci/run): the linter, the strict type check, then the whole test suite; `make pytest`
# runs only the suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test pytest lint typecheck check openapi bench clean locales

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,parquet,spark]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/socialcredit demo --dir demo --serve

test: lint typecheck pytest

pytest: $(STAMP)
	$(BIN)/pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

check: test

# Refresh the committed OpenAPI snapshot (docs/openapi.json) after a deliberate API change.
openapi: $(STAMP)
	$(BIN)/python -m tests.openapi_snapshot

bench: $(STAMP)
	$(BIN)/python bench/bench_core.py --records 100000

clean:
	rm -rf $(VENV) demo .pytest_cache .hypothesis

# The portal's message catalogues: extract the messages of the templates and of
# web/vocabulary.py (babel.cfg), merge them into each language's .po, compile the .mo files
# (both committed, so a fresh clone and a wheel have them without this step).
LOCALES := src/socialcredit/web/locales
locales: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --project socialcredit \
	  -o $(LOCALES)/messages.pot .
	$(BIN)/pybabel update -i $(LOCALES)/messages.pot -d $(LOCALES) --no-fuzzy-matching \
	  --ignore-obsolete --width 100
	$(BIN)/pybabel compile -d $(LOCALES) --statistics
