# The two commands a newcomer needs: `make serve` and `make test`. Everything else is below.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
# The source archive's path is set in mkdocs.yml; BRIEFING_ARCHIVE overrides it (and then
# must exist: CI sets it so that every quote is always checked).

.PHONY: help setup serve test site validate pages bench browser clean

help:
	@echo "make serve     set up and serve the briefing on http://127.0.0.1:8000 (live reload)"
	@echo "make test      set up and run the whole test suite (needs Chromium: see README)"
	@echo "make site      strict build of the site into site/ (with the Pagefind index)"
	@echo "make validate  check every entry and print every problem"
	@echo "make bench     measure build time and size on synthetic corpora"

$(STAMP): pyproject.toml requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; install Python 3.11 or run make PYTHON=python3"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload --dirty

site: $(STAMP)
	$(BIN)/python -m briefing.site --out site

validate: $(STAMP)
	$(BIN)/briefing validate

pages: $(STAMP)
	$(BIN)/briefing build --out build/pages

browser:
	@sh scripts/ensure-test-tools.sh

# The site's quality gates (Nu Html Checker, axe-core), exact versions from package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

test: $(STAMP) browser node_modules/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

clean:
	rm -rf site build .pytest_cache
