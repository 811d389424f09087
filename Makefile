# Two commands do all the set-up: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
SHELL := /bin/bash
HOST ?= 127.0.0.1
PORT ?= 5000
export NANUM_INSTANCE_PATH ?= $(CURDIR)/instance

.PHONY: run run-postgres test test-sqlite test-postgres install install-test chromium postgresql \
	pdf wrk lint bench clean messages translations bytecode

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed translations bytecode

install-test: $(VENV)/.installed-test translations bytecode

# The package's compiled modules and the migrations' (which `nanum db upgrade` loads), written
# now rather than by the first run (and never, where PYTHONDONTWRITEBYTECODE is set: every
# command would compile all of it again, about 0.8 s of CPU). Only changed modules are
# compiled again; Python ignores stale ones (their source's time or size differs).
bytecode: $(VENV)/.installed
	$(BIN)/python -m compileall -q platform/nanum migrations

# The interface's languages (README, "Translating Nanum"). `make messages` extracts the
# marked strings of the code and templates into messages.pot and merges them into each
# language's catalogue (.po, kept in git); `make translations` compiles the catalogues into
# the .mo files the app reads (not kept in git; `make install` and `make run` compile them).
TRANSLATIONS := platform/nanum/translations
LOCALES := es fr ko
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po))

messages: $(VENV)/.installed
	$(BIN)/pybabel extract --mapping-file=babel.cfg --keywords=_l --add-comments=Translators: \
		--project=Nanum --copyright-holder="The Nanum contributors" --sort-by-file \
		--output-file=$(TRANSLATIONS)/messages.pot .
	for locale in $(LOCALES); do \
		if [ -f $(TRANSLATIONS)/$$locale/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel update --input-file=$(TRANSLATIONS)/messages.pot \
				--output-dir=$(TRANSLATIONS) --locale=$$locale --no-fuzzy-matching || exit 1; \
		else \
			$(BIN)/pybabel init --input-file=$(TRANSLATIONS)/messages.pot \
				--output-dir=$(TRANSLATIONS) --locale=$$locale || exit 1; \
		fi; \
	done

translations: $(MO_FILES)

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile --input-file=$< --output-file=$@ --locale=$* --statistics

run: install pdf
	$(BIN)/nanum db upgrade
	$(BIN)/nanum content cook
	$(BIN)/nanum demo load --once
	$(BIN)/nanum search rebuild --if-missing
	NANUM_BIND=$(HOST):$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py 'nanum:create_app()'

# The same site on PostgreSQL, in an instance folder of its own that holds the cluster
# (on 127.0.0.1, stopped when the server stops) beside the uploads and the search index.
PG_INSTANCE ?= $(CURDIR)/instance-postgres
run-postgres: export NANUM_INSTANCE_PATH = $(PG_INSTANCE)
run-postgres: export NANUM_SEARCH_INDEX_DIR = $(PG_INSTANCE)/search_index
run-postgres: install postgresql pdf
	NANUM_DATABASE_URL=$$($(BIN)/python -m nanum.pgcluster start "$(PG_INSTANCE)/postgresql") && \
	export NANUM_DATABASE_URL && echo "Database: $$NANUM_DATABASE_URL" && \
	trap '$(BIN)/python -m nanum.pgcluster stop "$(PG_INSTANCE)/postgresql"' EXIT && \
	$(BIN)/nanum db upgrade && \
	$(BIN)/nanum content cook && \
	$(BIN)/nanum demo load --once && \
	$(BIN)/nanum search rebuild --if-missing && \
	NANUM_BIND=$(HOST):$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py 'nanum:create_app()'

postgresql:
	@command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		echo "Installing Debian's postgresql for the PostgreSQL stack"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# The practice briefs (nanum/briefs): WeasyPrint's Pango with HarfBuzz and fontconfig, fonts
# for Latin scripts and for Korean, Chinese and Japanese, and poppler's pdftoppm and pdftotext,
# with which the tests read the briefs.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig \
	fonts-liberation fonts-dejavu-core fonts-noto-cjk poppler-utils
pdf:
	@{ ldconfig -p | grep -q 'libpangoft2-1.0.so.0' && ldconfig -p | grep -q 'libharfbuzz-subset.so.0' \
		&& fc-list 'Liberation Sans' | grep -q . && fc-list ':lang=ko' | grep -q . \
		&& command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null; } 2>/dev/null || { \
		echo "Installing Debian's Pango, fonts and poppler-utils for the practice briefs"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES); }

wrk:
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing Debian's wrk for the page benchmark"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

# Requests/s of the main pages against hello-world, and their first-visit weight.
bench: install wrk
	$(BIN)/python bench/pages.py

# The whole suite on the embedded stack (SQLite) and again on PostgreSQL (a throw-away
# cluster on 127.0.0.1, removed after), both at once: each line of output says its stack, and
# the run fails when either does.
TEST_TMP ?= /tmp/nanum-test
test: install-test chromium postgresql pdf
	@mkdir -p $(TEST_TMP)
	@$(MAKE) --no-print-directory -j2 suite-sqlite suite-postgres

test-sqlite: install-test chromium pdf
	$(BIN)/pytest

test-postgres: install-test chromium postgresql pdf
	NANUM_TEST_DATABASE=postgres $(BIN)/pytest

.PHONY: suite-sqlite suite-postgres
suite-sqlite:
	@set -o pipefail; $(BIN)/pytest -p no:cacheprovider --basetemp=$(TEST_TMP)/sqlite 2>&1 \
		| sed -u 's/^/[sqlite] /'

suite-postgres:
	@set -o pipefail; NANUM_TEST_DATABASE=postgres $(BIN)/pytest -p no:cacheprovider \
		--basetemp=$(TEST_TMP)/postgres 2>&1 | sed -u 's/^/[postgres] /'

lint: install-test
	$(BIN)/ruff check platform tests bench

clean:
	rm -rf $(VENV) build dist platform/*.egg-info test-artifacts
