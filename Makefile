# Two commands: `make run` serves the demo practice, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test messages translations lint format deploy-check install system-deps system-deps-test clean

run: install system-deps messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/honcho start -f Procfile

test: install system-deps-test messages
	$(BIN)/pytest $(PYTEST_ARGS)

# The French catalog, compiled from locale/fr/LC_MESSAGES/django.po (the .mo is never committed).
messages: install
	$(BIN)/python manage.py compilemessages --ignore .venv --ignore node_modules -v 0

# After adding or changing a string: gather every marked string into the French catalog.
translations: install
	$(BIN)/python manage.py makemessages --locale fr --no-obsolete \
		--ignore ".venv/*" --ignore "node_modules/*" --ignore "tests/*" --ignore "var/*"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

deploy-check: install
	DJANGO_SETTINGS_MODULE=practice.settings.production \
	SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))') \
	ALLOWED_HOSTS=practice.example.org \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

system-deps:
	bash scripts/system-deps.sh run

system-deps-test:
	bash scripts/system-deps.sh test

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
