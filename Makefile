# Gongjia: `make run` serves the platform, `make test` runs the whole suite.
PYTHON ?= python3.12
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run test test-sqlite test-postgres lint bench fuzz messages clean

install: $(STAMP)
	@mkdir -p var
	@$(BIN)/gongjia manage collectstatic --noinput -v 0

# Reinstall only when the dependency pins or the package metadata change.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

run: install
	$(BIN)/gongjia manage migrate --noinput -v 0
	$(BIN)/gongjia demo --if-empty
	$(BIN)/gongjia serve --host $(HOST) --port $(PORT) --with-worker

test: install lint test-sqlite test-postgres

lint:
	$(BIN)/ruff check src tests bench conftest.py
	$(BIN)/ruff format --check src tests bench conftest.py
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m gongjia.platform.catalogue

test-sqlite:
	DATABASE_URL= $(BIN)/pytest -q

test-postgres:
	@if [ -n "$$GONGJIA_TEST_DATABASE_URL" ]; then \
		DATABASE_URL="$$GONGJIA_TEST_DATABASE_URL" $(BIN)/pytest -q; \
	else echo "GONGJIA_TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

bench: install
	@for f in bench/bench_*.py; do $(BIN)/python $$f || exit 1; done

# The long API fuzzing run against the real server (FUZZ_SECONDS per user, default 300).
fuzz: install
	$(BIN)/python bench/fuzz_api.py

messages: install
	cd src/gongjia && ../../$(BIN)/gongjia manage makemessages -l zh_Hans --no-obsolete && ../../$(BIN)/gongjia manage compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) var/static
