# e-Kiosk: `make demo` runs the system with the Kota Contoh catalog; `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PORT   ?= 8000
BANK_PORT ?= 8010
export FLASK_APP = wsgi:app

.PHONY: demo serve install install-test test test-sqlite test-postgres lint translations bench docs docs-screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed setup.cfg
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: export KIOSK_DEMO_MODE := 1
demo: export KIOSK_BANK_URL ?= http://127.0.0.1:$(BANK_PORT)
demo: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load
	$(BIN)/flask demo history
	$(BIN)/flask demo signing
	$(BIN)/flask demo berkas
	@echo "e-Kiosk demo at http://127.0.0.1:$(PORT)/  (accounts: see README.md)"
	@# The outbox worker, the demo bank and the demo signing service (CSC API; CRL, OCSP and TSA)
	@# run beside gunicorn and stop when gunicorn stops.
	KIOSK_PUBLIC_BASE_URL=$${KIOSK_PUBLIC_BASE_URL:-http://127.0.0.1:$(PORT)} \
	KIOSK_NOTIFY_QUIET_HOURS=$${KIOSK_NOTIFY_QUIET_HOURS:-none} $(BIN)/flask outbox work & worker=$$!; \
	$(BIN)/flask bank simulate --port $(BANK_PORT) --app-url http://127.0.0.1:$(PORT) & bank=$$!; \
	$(BIN)/python -m services.documents.demo_service instance/signing/authority & signer=$$!; \
	trap 'kill $$worker $$bank $$signer 2>/dev/null; wait $$worker $$bank $$signer 2>/dev/null' EXIT INT TERM; \
	PORT=$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py --access-logfile - wsgi:app

serve: install
	PORT=$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

# With PostgreSQL, both runs go at once (they mostly wait on disk, browser and servers, so two
# cores carry both); PostgreSQL's output is kept in test-artifacts/ and shown after SQLite's.
# The browser tests drive the same pages whatever the database, so they run once, on
# PostgreSQL (production's database); without PostgreSQL, the SQLite run takes them.
test: install-test
	@if [ -z "$$KIOSK_TEST_DATABASE_URL" ]; then \
		echo "*** KIOSK_TEST_DATABASE_URL is not set: PostgreSQL tests NOT run (SQLite only) ***"; \
		exec $(MAKE) --no-print-directory test-sqlite; \
	fi; \
	mkdir -p test-artifacts; \
	$(MAKE) --no-print-directory test-postgres >test-artifacts/postgres.log 2>&1 & postgres=$$!; \
	$(MAKE) --no-print-directory test-sqlite SQLITE_MARKS="not browser or sqlite_only"; sqlite=$$?; \
	wait $$postgres; pg=$$?; \
	cat test-artifacts/postgres.log; \
	echo "=== SQLite run: exit $$sqlite; PostgreSQL run: exit $$pg ==="; \
	if [ $$sqlite -ne 0 ]; then exit $$sqlite; fi; exit $$pg

test-sqlite: install-test
	@echo "=== tests on SQLite ==="
	KIOSK_TEST_DB=sqlite $(BIN)/python -m pytest $(if $(SQLITE_MARKS),-m "$(SQLITE_MARKS)") $(PYTEST_ARGS)

test-postgres: install-test
	@echo "=== tests on PostgreSQL ($$KIOSK_TEST_DATABASE_URL) ==="
	KIOSK_TEST_DB=postgres $(BIN)/python -m pytest -m "not sqlite_only" $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .

# One catalogue per locale: Indonesian is the source text, English lives in
# kiosk/translations/en/LC_MESSAGES/messages.po. Idempotent: run it twice, nothing changes.
translations: install-test
	$(BIN)/pybabel -q extract -F babel.cfg -k _l --no-location --sort-output \
		-o kiosk/translations/messages.pot .
	$(BIN)/pybabel -q update -i kiosk/translations/messages.pot -d kiosk/translations \
		--ignore-pot-creation-date --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel -q compile -d kiosk/translations --statistics

bench: install-test
	$(BIN)/python -m bench

# The manual (docs/, and bench/README.md as its benchmarks page) as a site in site/; strict, so a
# broken link or anchor fails. The guides' screenshots come from a temporary demo in Chromium.
docs: install-test
	$(BIN)/python -m mkdocs build --strict --site-dir site

docs-screenshots: install-test
	PYTHONPATH=$(CURDIR) $(BIN)/python tools/docs_screenshots.py

clean:
	rm -rf $(VENV) instance .pytest_cache test-artifacts site
