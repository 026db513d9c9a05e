# One command runs MEX, one runs its tests. Both create .venv on first use.
#
# Python: the first of these that runs and is 3.12 or newer. With pyenv, the
# version named in .python-version; elsewhere python3 (Debian 13 ships 3.13).
# Override with `make test PYTHON=/path/to/python3.12`.
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell for candidate in python$$(cat .python-version 2>/dev/null) \
	python3 python3.13 python3.12; do \
	if $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' \
	>/dev/null 2>&1; then echo $$candidate; break; fi; done)
endif
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NPM_STAMP := node_modules/.installed-stamp
INSTALL_LOG := $(VENV)/install.log
HOST ?= 127.0.0.1
PORT ?= 8000
# The queues of mex/settings/celery.py (MEX_TASK_QUEUES). A worker given fewer
# leaves the other tasks waiting in Redis for a worker that consumes them.
CELERY_QUEUES ?= default,matching,badges,email

.PHONY: install run test lint format worker beat check-python ob-validator

check-python:
	@if [ -z "$(PYTHON)" ] || ! $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
		echo "MEX needs Python 3.12 or newer, but $(or $(PYTHON),python3) is" \
			"$$($(or $(PYTHON),python3) --version 2>&1)." >&2; \
		echo "Install Python 3.12 (for example 'pyenv install 3.12')," \
			"or run make with PYTHON=/path/to/python3.12." >&2; \
		exit 1; \
	fi

# pip's own output goes to .venv/install.log and is printed only on failure,
# so that the test output stays readable.
$(STAMP): pyproject.toml | check-python
	@echo "Creating $(VENV) with $$($(PYTHON) --version) and installing MEX"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --upgrade pip >$(INSTALL_LOG) 2>&1 \
		&& $(BIN)/python -m pip install ".[dev]" >>$(INSTALL_LOG) 2>&1 \
		|| { tail -n 40 $(INSTALL_LOG); echo "pip install failed; full log in $(INSTALL_LOG)" >&2; exit 1; }
	@touch $(STAMP)

# axe-core for the accessibility checks of the browser tests. Without npm the
# browser tests skip those checks (or fail them when MEX_REQUIRE_SERVICES=1).
$(NPM_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		echo "Installing axe-core with npm ci"; \
		npm ci --no-audit --no-fund --loglevel=error && touch $(NPM_STAMP); \
	else \
		echo "npm not found: skipping axe-core; the accessibility checks will be skipped"; \
	fi

install: $(STAMP) $(NPM_STAMP)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py run_matching
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

worker: install
	$(BIN)/celery -A mex worker --loglevel=INFO --queues=$(CELERY_QUEUES)

beat: install
	$(BIN)/celery -A mex beat --loglevel=INFO

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The IMS Open Badges validator pins old releases of packages MEX uses, so it
# gets its own virtualenv; tests/badges/test_ob_validator.py runs it there and
# skips without it. CI builds it before the tests (.ci/run).
OB_VALIDATOR_VENV ?= .venv-ob-validator
OB_VALIDATOR_STAMP := $(OB_VALIDATOR_VENV)/.installed-stamp
OB_VALIDATOR_LOG := $(OB_VALIDATOR_VENV)/install.log

$(OB_VALIDATOR_STAMP): tests/badges/ob_validator/requirements.txt | check-python
	@echo "Creating $(OB_VALIDATOR_VENV) for the Open Badges validator"
	@$(PYTHON) -m venv $(OB_VALIDATOR_VENV)
	@{ $(OB_VALIDATOR_VENV)/bin/python -m pip install --upgrade pip \
		&& $(OB_VALIDATOR_VENV)/bin/python -m pip install --no-deps openbadges==1.1.2 \
		&& $(OB_VALIDATOR_VENV)/bin/python -m pip install \
			-r tests/badges/ob_validator/requirements.txt; } >$(OB_VALIDATOR_LOG) 2>&1 \
		|| { tail -n 40 $(OB_VALIDATOR_LOG); echo "pip install failed; full log in $(OB_VALIDATOR_LOG)" >&2; exit 1; }
	@touch $(OB_VALIDATOR_STAMP)

ob-validator: $(OB_VALIDATOR_STAMP)
