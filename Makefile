# The two commands of the README. Everything else is an invoke task (tasks.py).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Tests run on every core; a module's tests stay on one worker, so its module-scoped
# builds are made once.
PYTEST := $(BIN)/pytest -n auto --dist loadfile

.PHONY: site test test-fast chromium

site: $(STAMP)
	$(BIN)/invoke build
	@echo ""
	@echo "Site construit dans output/. Pour le voir : $(BIN)/invoke serve puis http://127.0.0.1:8000/"

test: $(STAMP) chromium
	$(PYTEST)

# The edit loop: everything but the browser, publishing and whole-site tests.
test-fast: $(STAMP)
	$(PYTEST) -m "not browser and not slow and not publish"

chromium:
	@scripts/ensure-chromium.sh
	@scripts/ensure-web-tools.sh

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt '.[test]'
	touch $@
