# The README's commands. Each bootstraps what it needs: a .venv with the locked dependencies.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: browser-tools run test install check-system lint format messages lock worker bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
	  echo "Python 3.11 is missing. On Debian: apt-get install python3 python3-venv"; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { \
	  rm -rf $(VENV); echo "Cannot create a virtual environment. On Debian: apt-get install python3-venv"; exit 1; }

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/python -m pip install --quiet -c requirements.lock ".[dev]"
	@touch $@

install: $(VENV)/.installed

# WeasyPrint renders the PDFs and needs Pango from the system.
check-system: install
	@$(BIN)/python -c "import weasyprint" >/dev/null 2>&1 || { \
	  echo "WeasyPrint cannot load Pango. On Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"; \
	  exit 1; }

run: check-system
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py loaddemo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: check-system
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The browser and sign-in tests' tools besides Chromium (apt-get install chromium), pinned, in
# the git-ignored .tools/: the Nu Html Checker (it runs on the machine's Java) and the OpenID
# Connect provider the sign-in tests start (npm oidc-provider, its version in
# tests/accounts/oidc/package.json). One npm command, as npm removes from .tools/ what a later
# command does not name.
VNU_VERSION := 26.9.27
OIDC_PROVIDER_VERSION = $(shell node -p "require('./tests/accounts/oidc/package.json').dependencies['oidc-provider']")
browser-tools:
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing. On Debian: apt-get install npm"; exit 1; }
	@command -v node >/dev/null 2>&1 || { echo "node is missing. On Debian: apt-get install nodejs"; exit 1; }
	npm install --prefix .tools --no-save --no-audit --no-fund --loglevel=error \
	  vnu-jar@$(VNU_VERSION) oidc-provider@$(OIDC_PROVIDER_VERSION)

# ruff, and the layers contract (pyproject.toml, [tool.importlinter]): an import against the
# layers fails the build.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh locale/sv after changing texts; commit both the .po and the .mo.
messages: install
	$(BIN)/python manage.py makemessages --locale sv --ignore ".venv/*" --ignore "*.egg-info/*" --no-obsolete
	$(BIN)/python manage.py compilemessages --locale sv --ignore ".venv/*"

# Re-pin the dependencies after changing pyproject.toml.
lock: install
	$(BIN)/python -m pip freeze --exclude-editable | grep -v "^lokalsamverkan" > requirements.lock

worker: install
	$(BIN)/celery -A lokalsamverkan worker --loglevel INFO

# The portal under load against Django's own ceiling, queries per page, and the PDF reports at
# demo size, 10× and 100×, on a large synthetic municipality in PostgreSQL; rewrites BENCHMARKS.md.
bench: check-system
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
