# The two commands a newcomer needs: `make serve` and `make test`. Everything else is below.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The tests run on up to four cores, each worker taking the next test when it is free (pytest-xdist);
# `make test TEST_WORKERS=` runs them in one process, in order.
TEST_WORKERS ?= --numprocesses=auto --maxprocesses=4 --dist=worksteal
export NO_MKDOCS_2_WARNING := 1
# The archived documents are in archive/ (mkdocs.yml, the briefing plugin's `archive` option);
# BRIEFING_ARCHIVE points the build at another folder instead.

.PHONY: help setup serve test site validate pages bench browser clean

# Each target's line below is its help: `make help` prints them, and a test keeps the README's
# table of commands in step with them.
help:  ## list the commands
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "make %-9s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; install Python 3.11 or run make PYTHON=python3"; exit 1; }
	@echo "setup: creating $(VENV) and installing the pinned packages (first time: a minute or two)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "setup: [1/3] upgrading pip"
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "setup: [2/3] installing MkDocs, Material, Pagefind and the test tools (requirements-dev.txt)"
	@$(BIN)/python -m pip install --quiet --progress-bar off -r requirements-dev.txt
	@echo "setup: [3/3] installing the briefing package itself (editable)"
	@$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)
	@echo "setup: done"

setup: $(STAMP)  ## create .venv and install every pinned package (the other targets do it first)

serve: $(STAMP)  ## set up and serve the briefing on http://127.0.0.1:8000 with live reload (e.g. PORT=8001 HOST=0.0.0.0)
	@$(BIN)/briefing serve --host $(HOST) --port $(PORT)

test: $(STAMP) browser node_modules/.installed  ## set up and run the whole test suite (finds or installs Chromium)
	$(BIN)/python -m pytest $(TEST_WORKERS) $(PYTEST_ARGS)

site: $(STAMP)  ## strict build of the site into site/ (with the Pagefind index)
	$(BIN)/python -m briefing.site --out site

validate: $(STAMP)  ## check every entry and print every problem
	$(BIN)/briefing validate

pages: $(STAMP)  ## write the generated Markdown to build/pages/ for inspection
	$(BIN)/briefing build --out build/pages

bench: $(STAMP)  ## measure build time and size on synthetic corpora (docs/benchmarks.md)
	$(BIN)/python scripts/bench.py

browser:  ## find Chromium, Java and npm for the tests, or install them (as root), or say how
	@sh scripts/ensure-test-tools.sh

# The site's quality gates (Nu Html Checker, axe-core), exact versions from package-lock.json.
node_modules/.installed: package.json package-lock.json
	@echo "setup: installing the site's quality gates and TimelineJS from npm (package-lock.json)"
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

clean:  ## remove what the build and the tests made (site/, build/, caches); keeps .venv
	rm -rf site build .pytest_cache test-artifacts
