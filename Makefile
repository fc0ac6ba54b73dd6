# dpa-registry: `make run` serves the portal with demo data, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTANCE ?= instance
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test test-fast test-dates lint bench install clean messages translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e .
	$(BIN)/python -m registry.catalogues compile
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(STAMP)

# Translations (registry/catalogues.py): `make messages` extracts every part that has a
# catalogue and updates its fi and sv .po files; `make messages PART=external` starts or updates
# one part. `make translations` compiles the .mo files (the app also does when it starts).
messages: $(STAMP)
	$(BIN)/python -m registry.catalogues messages $(PART)

translations: $(STAMP)
	$(BIN)/python -m registry.catalogues compile

# `make run` holds the terminal until Ctrl+C; `make run PORT=8080` serves on another port. The
# server sends the day's alerts itself (its scheduler), so there is no separate alerts step.
PORT ?= 5000
run: $(STAMP)
	$(BIN)/dpa-registry db upgrade
	@test -f $(INSTANCE)/.demo-loaded || ($(BIN)/dpa-registry demo && touch $(INSTANCE)/.demo-loaded)
	$(BIN)/dpa-registry serve --port $(PORT)

# The parts of the suite whose output carries dates: reports, alerts, the dashboard timeline,
# the demo and its import, the engine and the pages that read it. `test-dates` runs them with
# the machine's clock moved (Debian's faketime) far from every date the tests freeze, and across
# the night Finland moves its clocks (2027-03-28 01:00 UTC), so that no test passes only on the
# day it was written.
DATE_SENSITIVE := tests/reports tests/alerts tests/dashboard tests/test_demo.py \
	tests/interchange tests/compliance tests/test_checks.py tests/engagements tests/dpas \
	tests/instructions tests/attestations tests/portal tests/test_clock.py tests/controller_pages \
	tests/requests tests/return_or_deletion
# SQLite only, and at most 10 minutes a run: under libfaketime a timed wait that is meant to
# expire waits for the real clock's deadline, so the few tests that need one skip themselves
# (tests/conftest.py: needs_real_timed_waits), and `timeout` turns any other hang into a failure.
# Not named FAKETIME: that is libfaketime's own variable, which make would export.
RUN_FAKETIME := env -u REGISTRY_TEST_POSTGRES_URL TZ=UTC timeout 600 faketime -f
# 20 s before the clocks change; given as an offset from now, so that every process of the run
# (xdist workers, CLI and report children) sees the same moment (faketime's "@" form restarts
# the clock in each new process).
DST_CHANGE := 2027-03-28 00:59:40 UTC
DATES_PYTEST := $(BIN)/pytest -n auto --dist loadfile -q -p no:cacheprovider -m "not e2e" \
	$(DATE_SENSITIVE)

test: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -n auto --dist loadfile -q
	$(MAKE) --no-print-directory test-dates

# The inner loop: no lint, no browser, no deployment test (nginx, two servers), no accessibility
# walk, no moved clocks.
test-fast: $(TEST_STAMP)
	$(BIN)/pytest -n auto --dist loadfile -q -m "not e2e and not deploy and not libreoffice and not a11y"

test-dates: $(TEST_STAMP)
	$(RUN_FAKETIME) '+400d' $(DATES_PYTEST)
	$(RUN_FAKETIME) "$$(printf '%+d' $$(( $$(date -d '$(DST_CHANGE)' +%s) - $$(env -u LD_PRELOAD -u FAKETIME date +%s) )))" $(DATES_PYTEST)

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

bench: $(TEST_STAMP)
	$(BIN)/python bench/check.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
