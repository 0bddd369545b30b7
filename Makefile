# Two commands on a fresh clone:  make run  (the site on SQLite with demo content)
#                                 make test (the whole test suite)
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.lock | cksum | cut -d' ' -f1)
# Demo pages in all, the hand-written corpus included (0: the corpus only).
DEMO_SIZE ?= 0
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run run-es serve demo dev worker test test-postgres check format lock migrations messages clean \
	es-start es-stop bench-search bench-site relevance production-trial
ES := ops/elasticsearch/es.sh

$(STAMP): requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

# The NL Design System CSS comes from npm (package-lock.json) and is copied into
# static/vendor/ once; the running site needs no Node.
NPM_STAMP := node_modules/.installed-$(shell cat package-lock.json | cksum | cut -d' ' -f1)
$(NPM_STAMP): package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@rm -f node_modules/.installed-*
	@touch $(NPM_STAMP)

static/vendor/nl-design-system.css: $(NPM_STAMP) ops/frontend/build.mjs
	node ops/frontend/build.mjs

# The outline of the Netherlands for the map of the gemeenten: world-atlas's TopoJSON (npm),
# projected once into the small file the site reads (places/outline.py); generated, not committed.
MAP_OUTLINE := build/netherlands-outline.json
$(MAP_OUTLINE): $(STAMP) $(NPM_STAMP) places/outline.py
	$(PY) places/outline.py node_modules/world-atlas/countries-10m.json $@

install: $(STAMP) static/vendor/nl-design-system.css $(MAP_OUTLINE)

# The local site as visitors see it: the production app server (gunicorn, website/gunicorn_conf.py)
# with DEBUG off, so its own 404 and 500 pages, static files from WhiteNoise, media through the
# site; beside it the worker (index outbox, scheduled jobs). SQLite in db.sqlite3, media in
# var/media, database search, e-mails printed in the terminal. SITE_URL follows HOST and PORT,
# so links in e-mails, feeds and sitemap.xml point at what is served.
# `make dev` is the developer's variant: runserver with DEBUG on (Django's debug pages, reload).
LOCAL_SECRET := var/secret-key
run demo serve: export DEBUG ?= false
run demo serve: export SITE_URL ?= http://$(HOST):$(PORT)
run demo serve: export ALLOWED_HOSTS ?= $(HOST),localhost,127.0.0.1
run demo serve: export SECURE_SSL_REDIRECT ?= false
run demo serve: export SESSION_COOKIE_SECURE ?= false
run demo serve: export CSRF_COOKIE_SECURE ?= false
run demo serve: export SECURE_HSTS_SECONDS ?= 0
run demo serve: export EMAIL_BACKEND ?= django.core.mail.backends.console.EmailBackend
run: demo serve

# The local secret key, unless the environment brings one.
WITH_SECRET = export SECRET_KEY=$${SECRET_KEY:-$$(cat $(LOCAL_SECRET))};
$(LOCAL_SECRET):
	@mkdir -p var && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@ && chmod 600 $@

# collectstatic (hashed names, gzip and brotli copies) only when a static file changed.
STATIC_ROOT_DIR := var/static
$(STATIC_ROOT_DIR)/staticfiles.json: $(STAMP) static/vendor/nl-design-system.css $(shell find static -type f -not -path 'static/vendor/*' 2>/dev/null)
	@$(WITH_SECRET) DEBUG=false STATIC_ROOT=$(STATIC_ROOT_DIR) $(PY) manage.py collectstatic --noinput -v0
	@touch $@

demo: install $(LOCAL_SECRET)
	@$(WITH_SECRET) \
	$(PY) manage.py migrate --noinput && \
	$(PY) manage.py load_demo --size $(DEMO_SIZE) && \
	$(PY) manage.py setup_roles && \
	$(PY) manage.py ensure_admin

serve: install $(LOCAL_SECRET) $(STATIC_ROOT_DIR)/staticfiles.json
	@echo "Serving $(SITE_URL) (gunicorn; Ctrl-C stops it and the worker)"
	@$(WITH_SECRET) \
	$(WORKER) & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn -c python:website.gunicorn_conf --bind $(HOST):$(PORT) website.wsgi:application

dev: export DEBUG ?= true
dev: export SITE_URL ?= http://$(HOST):$(PORT)
dev: install
	$(MAKE) demo
	$(PY) manage.py runserver $(HOST):$(PORT)

# The worker beside the app servers (jobs/: the index outbox and the scheduled jobs; README:
# Scheduled jobs and the index worker), on the environment's settings, until Ctrl-C.
WORKER := $(PY) manage.py run_worker
worker: install
	$(WORKER)

# Tests that need Elasticsearch start one node for the session (ops/elasticsearch/es.sh) and
# stop it afterwards; CI=true makes a missing Elasticsearch a failure instead of a skip.
test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# `make run` on a local Elasticsearch (started if needed; `make es-stop` stops it): the demo is
# indexed there too, and the worker writes every change to it.
run-es: install
	$(MAKE) run ELASTICSEARCH_URL=$$($(ES) start | tail -n 1)

es-start:
	$(ES) start

es-stop:
	$(ES) stop

# Search latency and indexing throughput at 1k, 10k and 100k documents (docs/performance.md),
# on a throwaway SQLite database in var/bench/ and a local Elasticsearch.
BENCH_DB := $(CURDIR)/var/bench/bench.sqlite3
BENCH_SIZES ?= 1000 10000 100000
bench-search: install
	mkdir -p var/bench && rm -f $(BENCH_DB)
	$(ES) start >/dev/null || echo "Elasticsearch did not start: database figures only"
	DATABASE_URL=sqlite:///$(BENCH_DB) DEBUG=true $(PY) manage.py migrate -v0
	DATABASE_URL=sqlite:///$(BENCH_DB) DEBUG=true $(PY) manage.py load_vocabulary
	DATABASE_URL=sqlite:///$(BENCH_DB) DEBUG=true ELASTICSEARCH_URL=$$($(ES) url) \
		$(PY) ops/bench/search.py --sizes $(BENCH_SIZES) $(BENCH_ARGS)

# Requests/s and p50/p95 of whole pages from gunicorn (2 workers), database engine and
# Elasticsearch side by side (docs/performance.md), on BENCH_SITE_SIZE demo pages in
# var/bench/site.sqlite3, loaded once (~3 min for 10,000) and reused while it fits the code.
BENCH_SITE_SIZE ?= 10000
bench-site: install
	BENCH_SITE_SIZE=$(BENCH_SITE_SIZE) $(PY) ops/bench/site.py $(BENCH_SITE_ARGS)

# Recall@10 and MRR of the relevance set (search/relevance.py) on a throwaway SQLite database
# in var/relevance/, on the database engine and a local Elasticsearch (if one starts).
RELEVANCE_DB := $(CURDIR)/var/relevance/relevance.sqlite3
relevance: install
	mkdir -p var/relevance && rm -f $(RELEVANCE_DB)
	$(ES) start >/dev/null || echo "Elasticsearch did not start: the database engine only"
	DATABASE_URL=sqlite:///$(RELEVANCE_DB) DEBUG=true $(PY) manage.py migrate -v0
	DATABASE_URL=sqlite:///$(RELEVANCE_DB) DEBUG=true $(PY) manage.py search_relevance \
		--elasticsearch-url "$$($(ES) url 2>/dev/null)" $(RELEVANCE_ARGS)

# The production-like run: PostgreSQL, Redis, a 2-node Elasticsearch cluster, two gunicorn app
# servers and the index worker (ops/production/site.sh), under load with an app server, Redis and
# an Elasticsearch node failing on the way (ops/production/load.py); stopped afterwards, also
# on failure (the logs stay in var/production/).
production-trial: install
	ops/production/site.sh start && $(PY) ops/production/load.py $(LOAD_ARGS); status=$$?; \
		[ $$status -eq 0 ] || tail -n 20 var/production/*.log; \
		ops/production/site.sh stop; exit $$status

# Django's checks, no missing migration, Python linted and formatted (ruff), templates
# indented (djhtml). `make format` applies the last two.
TEMPLATE_DIRS := templates security/templates
check: install
	DEBUG=true $(PY) manage.py check
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check $(TEMPLATE_DIRS)

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djhtml $(TEMPLATE_DIRS)

# The lock, with hashes, from pyproject.toml's ranges (pins already in it are kept; add
# --upgrade-package NAME to move one).
lock: install
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --no-emit-find-links \
		--extra test --extra dev --strip-extras -o requirements.lock pyproject.toml

# Regenerate the Dutch translations after changing visible text (needs gettext).
messages: install
	DEBUG=true $(PY) manage.py makemessages --locale nl --ignore '.venv/*' --ignore 'var/*'
	DEBUG=true $(PY) manage.py compilemessages --locale nl --ignore '.venv/*'

clean:
	rm -rf $(VENV) var db.sqlite3 node_modules static/vendor build artifacts
