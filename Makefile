# The two set-up commands of the README: `make demo` and `make test`.
# Both create and reuse a local virtual environment in .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck check bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,parquet,spark]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/socialcredit demo --dir demo --serve

test: $(STAMP)
	$(BIN)/pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

bench: $(STAMP)
	$(BIN)/python bench/bench_core.py --records 100000

clean:
	rm -rf $(VENV) demo .pytest_cache .hypothesis
