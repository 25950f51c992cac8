# Two commands for a newcomer: `make demo` and `make test`. Both build the virtual environment first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck imports unit bench clean schema

# requirements.lock: the exact versions to install (a constraints file; how to refresh: its header).
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements.lock -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/ungeprofil demo --port $(PORT)

test: $(STAMP) lint typecheck imports unit

lint: $(STAMP)
	$(BIN)/ruff check gateway schema mocks tests bench
	$(BIN)/ruff format --check gateway schema mocks tests bench

typecheck: $(STAMP)
	$(BIN)/mypy gateway schema

imports: $(STAMP)
	$(BIN)/lint-imports

unit: $(STAMP)
	$(BIN)/pytest -q

schema: $(STAMP)
	$(BIN)/ungeprofil schema > schema/schema.graphql

bench: $(STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
