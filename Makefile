# dpa-registry: `make run` serves the portal with demo data, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTANCE ?= instance
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(STAMP)

run: $(STAMP)
	$(BIN)/dpa-registry db upgrade
	@test -f $(INSTANCE)/.demo-loaded || ($(BIN)/dpa-registry demo && touch $(INSTANCE)/.demo-loaded)
	-$(BIN)/dpa-registry alerts send
	$(BIN)/dpa-registry serve

test: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -n auto --dist loadfile -q

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

bench: $(TEST_STAMP)
	$(BIN)/python bench/check.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
