# The quality workshop kit. Two commands do everything on a fresh machine with Python 3.11+:
#   make demo   - set up, build the demo data if missing, run the main job
#   make test   - set up, run the whole test suite
# Run `make help` for the rest.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.kit-installed
PORT   ?= 8866
LOCK   := requirements.lock
# uv installs the lock in seconds: the one on the PATH, else one installed into .venv
UV     := $(shell command -v uv 2>/dev/null)
# JupyterHub's proxy (configurable-http-proxy) comes from npm, for the JupyterHub test; where npm
# is missing the test is skipped (and fails in CI, where .ci/run installs nodejs and npm)
NPM    := $(shell command -v npm 2>/dev/null)
CHP    := $(VENV)/node/node_modules/.bin/configurable-http-proxy
# axe-core, the accessibility rules the browser tests run on every app and report (WCAG 2.1 AA)
AXE    := $(VENV)/node/node_modules/axe-core/axe.min.js

.DEFAULT_GOAL := help
.PHONY: help setup demo demo-data lint test lab serve bench upgrade notebooks decisions clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12

setup: $(STAMP) $(if $(NPM),$(CHP) $(AXE),)  ## create .venv and install the locked versions (idempotent)

$(CHP): | $(STAMP)
	@$(NPM) install --silent --no-audit --no-fund --prefix $(VENV)/node configurable-http-proxy@4 \
	  >/dev/null 2>&1 || echo "npm could not install configurable-http-proxy: the JupyterHub test will be skipped"

$(AXE): | $(STAMP)
	@$(NPM) install --silent --no-audit --no-fund --prefix $(VENV)/node axe-core@4.11.4 \
	  >/dev/null 2>&1 || echo "npm could not install axe-core: the accessibility checks will be skipped"

$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11")'
	@test -x $(BIN)/python || { echo "setup: creating $(VENV)"; $(PYTHON) -m venv $(VENV); }
	@$(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip --upgrade >/dev/null 2>&1 || \
	  { echo ".venv has no pip. On Debian/Ubuntu: sudo apt install python3-venv, then rm -rf .venv and run make again."; exit 1; }
	@# uv installs the lock in seconds: the one on the PATH, else one put into .venv with pip (a
	@# single wheel); plain pip is the fallback when neither works. Both compile the packages'
	@# bytecode once, here: without it every kernel and command compiles pandas, scipy and the
	@# rest again (about 3 s each) wherever Python may not write it (PYTHONDONTWRITEBYTECODE)
	@uv="$(UV)"; if [ -z "$$uv" ]; then \
	  test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet --disable-pip-version-check uv >/dev/null 2>&1; \
	  test -x $(BIN)/uv && uv=$(BIN)/uv; fi; \
	if [ -n "$$uv" ] && echo "setup: installing the locked packages with uv" && \
	  $$uv pip install --quiet --compile-bytecode --python $(BIN)/python -r $(LOCK) && \
	  $$uv pip install --quiet --python $(BIN)/python --no-deps -e .; then :; else \
	  echo "setup: installing the locked packages with pip (a few minutes)" && \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(LOCK) && \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .; fi
	@# the kit's own bytecode too (kit/**/__pycache__, ignored by git; a stale file is not used)
	@$(BIN)/python -m compileall -q -j 0 kit >/dev/null 2>&1 || true
	@echo "setup: done ($(VENV))"
	@touch $(STAMP)

demo: setup  ## run the main job on the bundled demo data (builds it if missing)
	$(BIN)/kit demo

demo-data: setup  ## (re)build the synthetic demo data
	$(BIN)/kit demo-data --force

# the code the linter and the type checker read (pyproject.toml has their rules)
LINTED := kit tests bench tools deploy

lint: setup  ## ruff (rules and formatting) and mypy (types of kit/), as make test runs them
	@$(BIN)/ruff check --quiet $(LINTED) && $(BIN)/ruff format --check --quiet $(LINTED) && \
	  $(BIN)/mypy --no-error-summary && echo "lint: ruff and mypy pass"

# the linter runs beside the suite, not before it: mypy keeps one core busy for about 15 s,
# while the other would wait; what it says is printed after the suite, and a finding fails
test: setup  ## lint and run the whole test suite (unit, property, CLI, notebooks, browser), timed
	@start=$$(date +%s); log=$(VENV)/lint.log; \
	$(MAKE) --no-print-directory lint >$$log 2>&1 & lint=$$!; \
	$(BIN)/python -m pytest; status=$$?; \
	wait $$lint || status=1; cat $$log; \
	echo "make test: $$(( $$(date +%s) - start )) s"; exit $$status

lab: setup  ## open JupyterLab on the Finnish notebooks (notebooks/sv and notebooks/en too)
	$(BIN)/jupyter lab notebooks/fi/00_start_here.ipynb $(if $(filter 0,$(shell id -u)),--allow-root,)

serve: setup  ## the apps for a room on 127.0.0.1:8866 (PORT=..., ROOM=30, WORKSHOP=name, KIT_LANG=sv|en)
	$(BIN)/kit serve --port $(PORT) --room $(or $(ROOM),30) $(if $(WORKSHOP),--workshop $(WORKSHOP),)

notebooks: setup  ## write every notebook and exercise in fi/sv/en from the workshops' cells
	$(BIN)/python tools/make_notebooks.py

decisions: setup  ## remake data/decisions, the bundled data's privacy decisions (after changing kit/suppression.py)
	$(BIN)/python tools/make_decisions.py

bench: setup  ## run the benchmarks in bench/ and append to bench/RESULTS.md
	$(BIN)/python bench/cli.py
	$(BIN)/python bench/run.py
	$(BIN)/python bench/privacy.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/batch.py
	$(BIN)/python bench/first_run.py
	$(BIN)/python bench/voila.py
	$(BIN)/python bench/room.py
	$(BIN)/python bench/anticipation.py
	$(BIN)/python bench/rooms.py

upgrade: setup  ## refresh requirements.lock to the newest versions pyproject.toml allows
	@test -n "$(UV)" || $(BIN)/python -m pip install --quiet uv
	$(if $(UV),$(UV),$(BIN)/uv) pip compile pyproject.toml --extra test --universal \
	  --python-version 3.11 --upgrade --quiet -o $(LOCK)
	@echo "requirements.lock refreshed; run make test, then commit it"

clean:  ## remove generated data and reports (keeps .venv)
	rm -rf data/demo data/national data/.cache reports out build
