# Two commands from a fresh clone: `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PACK ?= pack

.PHONY: run test bench fuzz setup setup-test clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $@

setup: $(VENV)/.installed

setup-test: $(VENV)/.installed-test
	bash scripts/install-test-deps.sh

## The main job on the bundled SOM29 meeting.
run: setup
	$(BIN)/som build -o $(PACK)

## The benchmark suite; `make bench ARGS=--write-docs` puts the table into docs/benchmarks.md.
bench: setup-test
	$(BIN)/python bench/run.py $(ARGS)

## Long fuzzing run (10,000 examples per target).
fuzz: setup-test
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q -m fuzz -p no:cacheprovider

## Every test: unit, CLI, interop with ical.js / libical / vobject / ical, SMTP.
test: setup-test
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) $(PACK) .pytest_cache .hypothesis tests/interop/node_modules
