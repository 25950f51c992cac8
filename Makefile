# Two commands for a newcomer: `make demo` and `make test`. Both build the virtual environment first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck imports unit bench clean schema assets

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

# The Jobnet pages' design system (npm `dkfds`, pinned by gateway/jobnet/package-lock.json) and
# axe-core for their browser tests: `npm ci --ignore-scripts` (no install scripts run), then
# dkfds's dist and its licence copied to gateway/jobnet/static/dkfds/ (ignored by git). Needs
# Node.js and npm; without them the pages are served unstyled and this says so.
JOBNET := gateway/jobnet
DKFDS  := $(JOBNET)/static/dkfds
ASSETS := $(DKFDS)/LICENSE.md
$(ASSETS): $(JOBNET)/package.json $(JOBNET)/package-lock.json
	@if ! command -v npm >/dev/null; then \
		echo "assets: npm not found: the Jobnet pages need Node.js and npm for their design system (README)"; \
		exit 0; \
	fi; \
	echo "assets: Det Fælles Designsystem and axe-core (npm ci --ignore-scripts in $(JOBNET))" && \
	(cd $(JOBNET) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) && \
	rm -rf $(DKFDS) && mkdir -p $(DKFDS)/fonts/IBMPlexSans && \
	cp -R $(JOBNET)/node_modules/dkfds/dist/css $(JOBNET)/node_modules/dkfds/dist/js \
		$(JOBNET)/node_modules/dkfds/dist/img $(DKFDS)/ && \
	cp -R $(JOBNET)/node_modules/dkfds/dist/fonts/IBMPlexSans/complete $(DKFDS)/fonts/IBMPlexSans/ && \
	cp $(JOBNET)/node_modules/dkfds/LICENSE.md $(ASSETS)

assets: $(ASSETS)

demo: $(STAMP) $(ASSETS)
	$(BIN)/ungeprofil demo --port $(PORT)

test: $(STAMP) lint typecheck imports unit

lint: $(STAMP)
	$(BIN)/ruff check gateway schema mocks tests bench
	$(BIN)/ruff format --check gateway schema mocks tests bench

typecheck: $(STAMP)
	$(BIN)/mypy gateway schema

imports: $(STAMP)
	$(BIN)/lint-imports

unit: $(STAMP) $(ASSETS)
	$(BIN)/pytest -q

schema: $(STAMP)
	$(BIN)/ungeprofil schema > schema/schema.graphql

bench: $(STAMP)
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.exchange

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
