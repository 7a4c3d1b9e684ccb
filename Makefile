# intake: `make run` serves the app on the embedded SQLite database, with a job worker and the
# scheduler beside it (Procfile); `make test` runs the suite.
PYTHON ?= $(shell bash scripts/pick_python.sh)
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app
export INTAKE_ENV ?= development

.PHONY: run test bench lint install assets translations db demo clean wheel

run: install assets translations db
	@bash scripts/ensure_fonts.sh
	@echo 'intake: http://127.0.0.1:'$${PORT:-5000}'/  (public filing form; staff sign-in as printed above; Ctrl-C stops the app, its worker and its scheduler)'
	$(VENV)/bin/honcho start --port $${PORT:-5000} -f Procfile

test: install assets translations
	@bash scripts/ensure_chromium.sh
	@bash scripts/ensure_fonts.sh --test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(VENV)/bin/bandit --quiet --recursive intake --configfile pyproject.toml
	$(VENV)/bin/pip-audit --progress-spinner off --skip-editable
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: install assets translations
	@bash scripts/ensure_fonts.sh
	$(PY) -m bench $(BENCH_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

install: $(VENV)/.stamp-installed

$(VENV)/.stamp-installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# A wheel in dist/ that carries the templates, static files (built assets included),
# migrations and translations inside the package (pyproject.toml, hatch_build.py).
wheel: install assets translations
	$(PY) -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir dist .

assets: static/vendor/uswds/.stamp

static/vendor/uswds/.stamp: package.json
	npm install --no-audit --no-fund --loglevel=error
	bash scripts/copy_assets.sh
	touch $@

translations: install
	$(VENV)/bin/pybabel compile --use-fuzzy -d intake/translations

# Messages: after changing a string, `make messages`, translate the .po, commit it.
messages: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k pgettext:1c,2 -k lazy_pgettext:1c,2 -o intake/translations/messages.pot .
	$(VENV)/bin/pybabel update -i intake/translations/messages.pot -d intake/translations --no-fuzzy-matching

# Migrate and seed demo data; in development, also a staff account and how to sign in with it.
db: install
	$(FLASK) db upgrade
	$(FLASK) demo seed-if-empty --count $${DEMO_COMPLAINTS:-200}
	@if [ "$$INTAKE_ENV" = development ]; then $(FLASK) accounts dev-user --port $${PORT:-5000}; fi

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache dist
