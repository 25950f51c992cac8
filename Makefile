# Two commands for a newcomer: `make demo` and `make test`. Both build the virtual environment first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck imports unit bench clean schema

# requirements.lock: the exact versions to install (a constraints file; how to refresh: its header).
# The first install takes minutes: each step says what it does, and pip's progress is one line
# per package (tools/pip-progress.py; pip's full log in $(VENV)/pip-install.log).
PINS := $(shell grep -c '==' requirements.lock)
$(STAMP): pyproject.toml requirements.lock
	@echo "install [1/3]: virtual environment $(VENV) ($(PYTHON))"
	$(PYTHON) -m venv $(VENV)
	@echo "install [2/3]: upgrade pip"
	$(BIN)/pip install -q --upgrade pip
	@echo "install [3/3]: ungeprofil and its pinned dependencies (requirements.lock, ~$(PINS) packages)"
	@$(PYTHON) tools/pip-progress.py $(VENV)/pip-install.log $(PINS) -- \
		$(BIN)/pip install --progress-bar off -c requirements.lock -e '.[dev]'
	@echo "install: done"
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
