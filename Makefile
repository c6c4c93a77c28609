# motcua: two commands matter: `make demo` and `make test`.
# uv is used when present; otherwise it is bootstrapped into .tools/ from PyPI.
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
RUN := $(UV) run --frozen
PORT ?= 8000
# The development server's address: HOST=0.0.0.0 serves the demo on the LAN (README).
HOST ?= 127.0.0.1
# pytest-xdist workers for the suite: auto is one per core; TEST_WORKERS=0 runs one process.
TEST_WORKERS ?= auto
PYTEST := $(RUN) pytest -n $(TEST_WORKERS)
export UV_PROJECT_ENVIRONMENT ?= $(CURDIR)/.venv

.PHONY: demo test test-sqlite test-postgres lint install messages bench serve fuzz e2e

$(CURDIR)/.tools/bin/uv:
	python3 -m venv $(CURDIR)/.tools
	$(CURDIR)/.tools/bin/pip install --quiet uv

install: $(UV)
	$(UV) sync --frozen --quiet
	$(RUN) python -m motcua.i18n compile

# Development: DEBUG on, Django's development server, demo data (with --dossiers: six months of
# history and work waiting in every demo user's queues). The forms' QR codes point to
# MOTCUA_PUBLIC_URL if set, else to the address the browser used (http://127.0.0.1:$(PORT)).
demo: install
	DEBUG=true $(RUN) python manage.py migrate --noinput
	DEBUG=true $(RUN) python manage.py seed_demo --dossiers
	DEBUG=true PORT=$(PORT) $(RUN) python manage.py runserver $(HOST):$(PORT)

# Production on one machine: gunicorn + static files + the worker, DEBUG off (docs/deployment.md).
serve: install
	PORT=$(PORT) RUN="$(UV_PROJECT_ENVIRONMENT)/bin/python" scripts/serve

# The signing tests need SoftHSM2, certutil and pdfsig: installed here, and required (a test
# that finds them missing fails instead of skipping).
test: install lint
	DEBUG=true $(RUN) python manage.py makemigrations --check --dry-run
	scripts/ensure-tools
	MOTCUA_SIGNING_TOOLS=required $(PYTEST)
	MOTCUA_SIGNING_TOOLS=required scripts/with-postgres $(PYTEST)
	PY="$(UV_PROJECT_ENVIRONMENT)/bin/python" scripts/e2e-tls

test-sqlite: install
	$(PYTEST)

test-postgres: install
	scripts/with-postgres $(PYTEST)

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) python scripts/mypy_baseline.py

messages: install
	DEBUG=true $(RUN) python manage.py makemessages -l vi -l en --no-obsolete --ignore=.venv --ignore=.tools
	$(RUN) python -m motcua.i18n compile

# The production stack behind nginx with TLS, walked through in Chromium (part of make test).
e2e: install
	PY="$(UV_PROJECT_ENVIRONMENT)/bin/python" scripts/e2e-tls

# Schema-driven fuzzing of the JSON API (schemathesis, 5,000+ calls against the production
# server on a scratch database): no 5xx, no response outside the OpenAPI document.
fuzz: install
	$(RUN) python -m bench.fuzz_api

bench: install
	$(RUN) python -m bench
