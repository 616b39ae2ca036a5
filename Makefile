# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
KERNEL := readiness-kit

.PHONY: setup demo test lint lab bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) \
		--display-name "Python (readiness-kit)" >/dev/null
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/readiness run parameters/demo-retail.yaml

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check readiness_kit tests benchmarks

lab: setup
	$(BIN)/readiness lab

bench: setup
	$(BIN)/python benchmarks/bench_render.py
	$(BIN)/python benchmarks/bench_run.py

clean:
	rm -rf $(VENV) outputs/*/ .pytest_cache
