# Liaison developer tasks. Works on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUFF := $(VENV)/bin/ruff
CELERY := $(VENV)/bin/celery
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# Development and tests run with DEBUG on; the settings default to off (fail closed).
export DEBUG ?= true

.DEFAULT_GOAL := run
.PHONY: run install test bench faults lint format messages worker beat clean constraints

# Create the virtualenv (checks the interpreter is 3.11 or newer).
$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11+ required (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml or the pinned versions change. constraints.txt pins
# the versions tested together (regenerate: `make constraints`).
$(STAMP): pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -e '.[dev]' -c constraints.txt
	touch $(STAMP)

constraints: $(STAMP)
	$(PY) -m pip freeze --exclude-editable > constraints.txt

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) -m tests.bench

# Outage scenarios against gunicorn + workers + beat, on PostgreSQL (DATABASE_URL) with a
# Redis and an SMTP sink of their own: one line of figures per scenario (tests/faults).
faults: $(STAMP)
	$(PY) -m tests.faults.scenarios

lint: $(STAMP)
	$(RUFF) check .
	$(RUFF) format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(RUFF) check --fix .
	$(RUFF) format .

# Needs GNU gettext (msgfmt/xgettext). The compiled .mo files are committed.
messages: $(STAMP)
	$(PY) manage.py makemessages -l de -e html,txt,py --no-location \
		--ignore='.venv/*' --ignore='staticfiles/*' --ignore='tests/*'
	$(PY) manage.py compilemessages --ignore='.venv'

# One worker for every queue in development; docker-compose runs one per queue family.
worker: $(STAMP)
	$(CELERY) -A config.celery_app worker -Q default,mail,sweep,reminders -l info \
		--without-gossip --without-mingle --without-heartbeat

beat: $(STAMP)
	$(CELERY) -A config.celery_app beat -l info

clean:
	rm -rf $(VENV) staticfiles .pytest_cache test-results *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
