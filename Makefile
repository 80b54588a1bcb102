# anjian: the two set-up commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-runtime
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test lint typecheck messages vendor clean

$(BIN)/python:
	@scripts/ensure-python-venv.sh $(PYTHON)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@ $(STAMP)

## make demo: install, load the demo county on SQLite and serve it on http://127.0.0.1:8000
demo: $(STAMP)
	$(BIN)/anjian demo

## make test: system packages, a PostgreSQL, lint, types, migrations, the whole test suite (browser tests too)
test: $(TEST_STAMP)
	@scripts/test.sh

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(TEST_STAMP)
	$(BIN)/mypy src tests

## make messages: refresh the Chinese catalogue after changing UI strings (translate new entries, then run again)
messages: $(TEST_STAMP)
	cd src/anjian && ANJIAN_DEBUG=1 ../../$(BIN)/python -m django makemessages -l zh_Hans --no-location --no-obsolete --settings=anjian.settings
	msgfmt --check -o src/anjian/locale/zh_Hans/LC_MESSAGES/django.mo src/anjian/locale/zh_Hans/LC_MESSAGES/django.po

vendor:
	scripts/vendor.sh

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .mypy_cache .ruff_cache tests/artifacts
