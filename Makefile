# One command runs MEX, one runs its tests. Both create .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format worker ob-validator

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py run_matching
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

worker: install
	$(BIN)/celery -A mex worker --loglevel=INFO

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The IMS Open Badges validator pins old releases of packages MEX uses, so it
# gets its own virtualenv; tests/badges/test_ob_validator.py runs it there.
OB_VALIDATOR_VENV ?= .venv-ob-validator
ob-validator:
	$(PYTHON) -m venv $(OB_VALIDATOR_VENV)
	$(OB_VALIDATOR_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(OB_VALIDATOR_VENV)/bin/python -m pip install --quiet --no-deps openbadges==1.1.2
	$(OB_VALIDATOR_VENV)/bin/python -m pip install --quiet \
		-r tests/badges/ob_validator/requirements.txt
