# The commands of the README and of the publishing job. Everything else is an invoke task
# (tasks.py), run in the activated environment: `source .venv/bin/activate`, then `invoke --list`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PUBLISH_ROOT ?= public
# Releases kept in $(PUBLISH_ROOT)/releases for `invoke rollback` (make publish KEEP=2).
KEEP ?= 5
# Decap CMS for /admin/ and decap-server for `invoke cms` (package.json "dependencies").
NODE_STAMP := node_modules/.package-lock.json

# Compiled modules (and pytest's rewritten test modules) are kept in __pycache__, ignored by git.
# This machine's environment sets PYTHONDONTWRITEBYTECODE: every pytest worker then compiled and
# rewrote all 160 test modules on each run (9 s of an 11 s collection here), and every build a
# test starts compiled what had changed again.
unexport PYTHONDONTWRITEBYTECODE

# Prerequisites that do not need each other are made side by side: the Python environment (then
# lint) beside npm ci and the system packages. On a fresh clone, make test's set-up took 57 s one
# step after the other (pip 21 s, npm ci 31 s, lint 5 s). A recipe's own commands stay in order.
MAKEFLAGS += --jobs=2

# Tests run on every core; a module's tests stay on one worker, so its module-scoped
# builds are made once. The longest modules go out first (tests/conftest.py), not xdist's
# order by number of tests.
PYTEST := $(BIN)/pytest -n auto --dist loadfile --no-loadscope-reorder

.PHONY: site test test-fast lint chromium publish deploy lock

site: $(STAMP) $(NODE_STAMP)
	$(BIN)/invoke build
	@echo ""
	@echo "Site construit dans output/. Pour le voir : source .venv/bin/activate, invoke serve, puis http://127.0.0.1:8000/"

# Page speed (Lighthouse's performance score, marker `quiet`) follows the CPU it gets: beside the
# other tests' builds at the same priority it fell to 0.89 on pages that score 1.00 alone. It runs
# beside them all the same, at normal priority while they run at the lowest (nice 19): the kernel
# gives it the CPU it asks for and the other tests the rest, instead of ~2 min on one core after
# them. Its output follows theirs; either failing fails the target.
test: $(STAMP) chromium lint
	@$(BIN)/pytest -m quiet > .quiet-tests.log 2>&1 & quiet=$$!; \
	trap 'kill $$quiet 2>/dev/null' INT TERM; \
	nice -n 19 $(PYTEST) -m "not quiet"; others=$$?; \
	wait $$quiet; speed=$$?; cat .quiet-tests.log; rm -f .quiet-tests.log; \
	test $$others -eq 0 -a $$speed -eq 0

# ruff, then mypy; their rules are in pyproject.toml ([tool.ruff], [tool.mypy]). Zero findings is the bar.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# The edit loop: every plugin's logic and the single-build tests of the fixture sites; the browser,
# publishing and slow tests (sample-content builds, rebuild comparisons, whole-site tools) wait for make test.
test-fast: $(STAMP) lint
	$(PYTEST) -m "not browser and not slow and not publish"

# The quality gate's tools: Chromium (axe, Lighthouse), Java (Nu HTML Checker), Node tools, nginx, rsync.
# Its npm ci waits for make site's (`make site test`): two at once in node_modules would clash.
chromium: | $(if $(filter site,$(MAKECMDGOALS)),$(NODE_STAMP))
	@scripts/ensure-chromium.sh
	@scripts/ensure-web-tools.sh

# The publishing job (docs/exemples/publier.yml, docs/publication.md): environment, the gate's
# tools, then the production build, its quality gate and the atomic switch of $(PUBLISH_ROOT)/current.
publish: $(STAMP) chromium
	$(BIN)/invoke publish --root $(PUBLISH_ROOT) --keep $(KEEP)

# Send the live release to the web server: make deploy DEST=transfo@web.example.org:/srv/transfo/site/
deploy: $(STAMP)
	@test -n "$(DEST)" || { echo "Indiquez la destination : make deploy DEST=utilisateur@serveur:/chemin/" >&2; exit 2; }
	$(BIN)/invoke deploy --root $(PUBLISH_ROOT) --dest "$(DEST)"

# --prefer-offline: package-lock.json pins every tarball by its hash, so npm takes what its cache
# holds without asking the registry again (npm ci of the gate's tools: 33-36 s, then 27-29 s here).
$(NODE_STAMP): package.json package-lock.json
	npm ci --prefer-offline --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error

# Every package from the lock, checked against its hashes (setuptools included), then the
# project itself, editable: its plugins and tools are importable, no sys.path edit.
# A package added to plugins/ or tools/ changes the folder: installed again, so it imports.
$(STAMP): pyproject.toml requirements.lock plugins tools
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# Regenerate requirements.lock from pyproject.toml (after changing a pin there). Versions
# already locked stay unless pyproject.toml asks otherwise; `make lock UPGRADE=1` takes the newest.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools==7.6.2
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes --extra test \
		--strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links --build-deps-for editable \
		$(if $(UPGRADE),--upgrade) --output-file requirements.lock pyproject.toml
