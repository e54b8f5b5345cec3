# Two commands on a fresh machine with Python 3.11+ and make: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test fuzz lint format bench messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The demo is a non-commercial showcase: its French lead image is a non-paid Midjourney image
# (CC BY-NC). Set NEWSROOM_COMMERCIAL_USE=1 to run with the commercial publishing rules.
run: export NEWSROOM_COMMERCIAL_USE ?= 0
# Renditions are signed (C2PA) with a throwaway CA and leaf that load_demo makes under var/.
run: export NEWSROOM_C2PA_CERT ?= $(or $(NEWSROOM_VAR_DIR),$(CURDIR)/var)/c2pa/demo-chain.pem
run: export NEWSROOM_C2PA_KEY ?= $(or $(NEWSROOM_VAR_DIR),$(CURDIR)/var)/c2pa/demo-key.pem
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py ensure_admin
	$(BIN)/python manage.py serve

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Only the schemathesis run of the whole API, as each role (also part of `make test`).
# NEWSROOM_FUZZ_SEED (default: today's date) and NEWSROOM_FUZZ_EXAMPLES reproduce or widen a run.
fuzz: install
	$(BIN)/python -m pytest -m fuzz $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# French texts: refresh locale/fr/LC_MESSAGES/django.po, translate, then compile (needs gettext).
# The compiled django.mo is committed, so running and testing never need gettext.
MESSAGES_IGNORE := --ignore=$(VENV) --ignore=var --ignore=bench --ignore=tests
messages: install
	$(BIN)/python manage.py makemessages -l fr $(MESSAGES_IGNORE)
	$(BIN)/python manage.py compilemessages -l fr $(MESSAGES_IGNORE)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
