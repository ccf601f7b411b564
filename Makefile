# One command for every check: `make test` (what CI runs). `make quick` skips the slow and browser tests.
PYTHON ?= python

.PHONY: test quick lint format demo run bench reliability

test: lint
	$(PYTHON) -m pytest -q

quick: lint
	$(PYTHON) -m pytest -q -m "not slow and not browser"

lint:
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m ruff check .
	$(PYTHON) -m mypy
	lint-imports

format:
	$(PYTHON) -m ruff format .
	$(PYTHON) -m ruff check --fix .

demo:
	$(PYTHON) -m observatory demo

run:
	streamlit run app.py

# The reliability tests at full size (crash 30 kills, 1,000,000-row imports, 10-minute soak): docs/reliability.md.
reliability:
	OBSERVATORY_RELIABILITY=full $(PYTHON) -m pytest -q -s tests/reliability
