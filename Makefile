# Two commands do all the set-up: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export NANUM_INSTANCE_PATH ?= $(CURDIR)/instance

.PHONY: run test install install-test chromium wrk lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

run: install
	$(BIN)/nanum db upgrade
	$(BIN)/nanum content cook
	$(BIN)/nanum demo load --once
	$(BIN)/nanum search rebuild --if-missing
	NANUM_BIND=$(HOST):$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py 'nanum:create_app()'

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

wrk:
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing Debian's wrk for the page benchmark"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

# Requests/s of the main pages against hello-world, and their first-visit weight.
bench: install wrk
	$(BIN)/python bench/pages.py

test: install-test chromium
	$(BIN)/pytest

lint: install-test
	$(BIN)/ruff check platform tests bench

clean:
	rm -rf $(VENV) build dist platform/*.egg-info test-artifacts
