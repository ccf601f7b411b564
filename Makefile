# One command for every check: `make test` (what CI runs: all but the tests marked slow, which `make slow`
# runs on demand: crash and scale runs, the full release-pair sweep, the browser injection corpus).
# `make quick` skips the browser tests too.
# Tests run on every core (pytest-xdist; the tests of one xdist_group share a worker); JOBS=1 runs them in one process.
PYTHON ?= python
JOBS ?= auto

.PHONY: test slow quick lint format demo run bench reliability

test: lint
	$(PYTHON) -m pytest -q -n $(JOBS) --dist loadgroup -m "not slow"

slow:
	$(PYTHON) -m pytest -q -n $(JOBS) --dist loadgroup -m slow

quick: lint
	$(PYTHON) -m pytest -q -n $(JOBS) --dist loadgroup -m "not slow and not browser"

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

# Benchmarks (never part of `make test`): BENCH=--quick for a smoke run on tiny sizes.
bench:
	PYTHONPATH=. $(PYTHON) -m benchmarks $(BENCH)

# The reliability tests at full size (crash 30 kills, 1,000,000-row imports, 10-minute soak): docs/reliability.md.
reliability:
	OBSERVATORY_RELIABILITY=full $(PYTHON) -m pytest -q -s tests/reliability
