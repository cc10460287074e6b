# The quality workshop kit. Two commands do everything on a fresh machine with Python 3.11+:
#   make demo   - set up, build the demo data if missing, run the main job
#   make test   - set up, run the whole test suite
# Run `make help` for the rest.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.kit-installed
PORT   ?= 8866

.DEFAULT_GOAL := help
.PHONY: help setup demo demo-data test lab serve bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12

setup: $(STAMP)  ## create .venv and install the kit (idempotent)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip --upgrade >/dev/null 2>&1 || \
	  { echo ".venv has no pip. On Debian/Ubuntu: sudo apt install python3-venv, then rm -rf .venv and run make again."; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

demo: setup  ## run the main job on the bundled demo data (builds it if missing)
	$(BIN)/kit demo

demo-data: setup  ## (re)build the synthetic demo data
	$(BIN)/kit demo-data --force

test: setup  ## run the whole test suite (unit, property, CLI, notebooks)
	$(BIN)/python -m pytest

lab: setup  ## open JupyterLab on the kit
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb $(if $(filter 0,$(shell id -u)),--allow-root,)

serve: setup  ## serve notebooks/ as Voila apps on 127.0.0.1:8866 (PORT=... to change)
	$(BIN)/kit serve --port $(PORT)

bench: setup  ## run the benchmarks in bench/ and append to bench/RESULTS.md
	$(BIN)/python bench/run.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/batch.py
	$(BIN)/python bench/voila.py

clean:  ## remove generated data and reports (keeps .venv)
	rm -rf data/demo data/national reports out build
