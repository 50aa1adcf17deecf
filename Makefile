# The two set-up commands of the README: `make demo` and `make test`.
# Both create and reuse a local virtual environment in .venv. `make test` is what CI runs
# (.ci/run): the linter, the strict type check, then the whole test suite; `make pytest`
# runs only the suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test pytest lint typecheck check openapi bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,parquet]'
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
