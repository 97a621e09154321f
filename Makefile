# Dialogos — the two commands of the README, and a few helpers.
#   make run    migrate, load demo data, serve on http://127.0.0.1:$(PORT)
#   make test   ruff, mypy and the whole pytest suite ($DATABASE_URL picks the database)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?= -n 2

.PHONY: run test lint typecheck pytest venv messages bench clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Dialogos needs Python >= 3.11") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

run: venv
	$(BIN)/dialogos migrate --noinput
	$(BIN)/dialogos collectstatic --noinput --verbosity 0
	$(BIN)/dialogos demo
	$(BIN)/dialogos reindex
	@# The worker (search index, e-mails) runs beside the server and stops with it.
	$(BIN)/dialogos worker --interval 2 & worker=$$!; \
	$(BIN)/dialogos periodic --every 300 & periodic=$$!; \
	trap "kill $$worker $$periodic 2>/dev/null" EXIT INT TERM; \
	PORT=$(PORT) $(BIN)/dialogos serve

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv
	$(BIN)/mypy

pytest: venv
	@if [ -x "$(CHROMIUM)" ]; then \
		$(BIN)/pytest $(PYTEST_ARGS); \
	else \
		echo "!! $(CHROMIUM) not found: browser tests NOT run (apt-get install chromium)"; \
		$(BIN)/pytest -m "not browser" $(PYTEST_ARGS); \
	fi

test: lint typecheck pytest

messages: venv
	cd src/dialogos && ../../$(BIN)/dialogos makemessages -l ru --no-obsolete --no-location
	cd src/dialogos && ../../$(BIN)/dialogos compilemessages -l ru

bench: venv
	$(BIN)/python bench/load.py --scale small

clean:
	rm -rf $(VENV) var
