# Two commands on a fresh clone:  make run  (the site on SQLite with demo content)
#                                 make test (the whole test suite)
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.lock | cksum | cut -d' ' -f1)
DEMO_SIZE ?= 80
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve demo test test-postgres check migrations messages clean

$(STAMP): requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

# The local site: DEBUG on, SQLite in db.sqlite3, media in var/media, database search.
run serve demo: export DEBUG ?= true
run: demo serve

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --size $(DEMO_SIZE)
	$(PY) manage.py ensure_admin

serve: install
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

check: install
	DEBUG=true $(PY) manage.py check
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

# Regenerate the Dutch translations after changing visible text (needs gettext).
messages: install
	DEBUG=true $(PY) manage.py makemessages --locale nl --ignore '.venv/*' --ignore 'var/*'
	DEBUG=true $(PY) manage.py compilemessages --locale nl --ignore '.venv/*'

clean:
	rm -rf $(VENV) var db.sqlite3
