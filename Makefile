# lawsup — `make run` starts the workbench, `make test` checks everything.
# Both set up what they need first: system packages (tools/sysdeps.sh), the
# virtual environment .venv, the compiled forms and translations (tools/build.py).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Inside .venv, so a new virtual environment always gets a fresh install.
INSTALLED := $(VENV)/.installed-stamp

.PHONY: run test bench package clean setup sysdeps

## run: start the workbench (arguments: make run ARGS="--data-dir /some/folder")
run: setup
	$(BIN)/lawsup $(ARGS)

## test: lint, type-check, then the whole test suite (slow tests included) offscreen
test: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

## bench: the benchmarks in bench/
bench: setup
	@if [ -f bench/__main__.py ]; then \
		$(BIN)/python -m bench; \
	elif [ -f bench/run.py ]; then \
		$(BIN)/python bench/run.py; \
	else \
		echo "make bench: no benchmarks yet (bench/__main__.py or bench/run.py)" >&2; exit 1; \
	fi

## package: an installer, built by packaging/build.sh
package: setup
	@if [ -f packaging/build.sh ]; then \
		PATH="$(CURDIR)/$(BIN):$$PATH" bash packaging/build.sh; \
	else \
		echo "make package: packaging is not built yet (packaging/build.sh)" >&2; exit 1; \
	fi

setup: sysdeps $(INSTALLED)
	$(BIN)/python tools/build.py

sysdeps:
	@PYTHON="$(PYTHON)" bash tools/sysdeps.sh

$(BIN)/python: | sysdeps
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }

$(INSTALLED): pyproject.toml setup.py | $(BIN)/python
	$(BIN)/python -m pip install --progress-bar off -e '.[dev]'
	touch $@

## clean: remove everything generated, the virtual environment included
clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache .hypothesis \
		tests/artifacts lawsup_desktop/ui/forms/ui_*.py resources/translations/*.qm
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
