# Tasks for developers; CI runs .ci/run, which runs the README's test command (= make test).
.PHONY: test fast lint bench demo

# The whole suite, in parallel (pytest-xdist; one PostgreSQL database per worker).
test:
	python -m pytest -n auto

# The fast lane: everything but the long property runs and crash tests.
fast:
	python -m pytest -m "not slow" -n auto

lint:
	ruff check .
	ruff format --check .
	mypy
	lint-imports

# Benchmarks run on their own (tests/benchmarks/README.md), never in the test run.
bench:
	python tests/benchmarks/bench_engine.py
	python tests/benchmarks/bench_database.py
	python tests/benchmarks/bench_due.py
	python tests/benchmarks/bench_accruals.py
	python tests/benchmarks/bench_tui.py

# The sample agreements in the default database, then the terminal UI on them.
demo:
	comp-tracker demo
	comp-tracker
