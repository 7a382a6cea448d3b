# Kyso — two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
KYSO := $(VENV)/bin/kyso
PORT ?= 8000
export KYSO_DATA_DIR ?= $(CURDIR)/var

.PHONY: run cluster test install system-packages venv migrate demo serve bench check messages clean lock

$(VENV)/.installed: pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip>=24" 2>/dev/null || true
	$(PIP) install --quiet -c constraints.txt -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

system-packages: ## Debian packages the suite and the demo use (installed when root, else one line saying what to run)
	@tools/system-packages.sh

run: system-packages install ## fresh clone -> migrated SQLite, demo data, server on http://127.0.0.1:$(PORT) and a job worker
	@mkdir -p $(KYSO_DATA_DIR)
	$(KYSO) migrate --no-input
	$(KYSO) collectstatic --no-input --verbosity 0
	$(KYSO) demo
	@echo ""
	@echo "  Kyso: http://127.0.0.1:$(PORT)/   (API: http://127.0.0.1:$(PORT)/api/docs/)"
	@echo ""
	$(KYSO) serve --port $(PORT)   # starts `kyso worker` beside gunicorn; both stop together

cluster: install ## two web nodes (ports 8101, 8102) and two Celery workers on the local PostgreSQL and Redis (docs/deploy.md)
	$(PY) -m kyso.core.cluster $(CLUSTER_ARGS)

test: system-packages install ## the layers contract, then the whole suite
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest -n $${KYSO_TEST_WORKERS:-2} $(PYTEST_ARGS)

bench: install ## benchmarks against peers in the same run (see bench/README.md)
	@tools/system-packages.sh bench
	$(PY) -m bench.run

check: install
	$(KYSO) check --deploy --fail-level ERROR || true
	$(KYSO) makemigrations --check --dry-run

messages: install ## re-extract and compile the Vietnamese catalogue (needs GNU gettext)
	$(PY) tools/i18n.py

lock: ## re-pin the dependencies after editing pyproject.toml
	rm -rf /tmp/kyso-lock && $(PYTHON) -m venv /tmp/kyso-lock && /tmp/kyso-lock/bin/pip install --quiet -e ".[dev]" && \
	/tmp/kyso-lock/bin/pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt

clean:
	rm -rf $(VENV) var .pytest_cache
