# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export MATCHER_DATABASE_URL ?= sqlite:///matcher.db

.PHONY: run test test-fast lint typecheck pytest bench clean install

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/matcher db upgrade
	$(BIN)/matcher demo load
	$(BIN)/matcher serve --host 127.0.0.1 --port 8000

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy matcher scoring api tests bench
	$(BIN)/pytest

# The fast lane while working (under 2 minutes): everything but the tests marked slow.
test-fast: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy matcher scoring api tests bench
	$(BIN)/pytest -m "not slow" -q

bench: $(STAMP)
	for f in bench/*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) matcher.db matcher.db-wal matcher.db-shm .pytest_cache .mypy_cache .ruff_cache
