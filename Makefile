# Neural Networks from Scratch: common tasks.
#
#   make book    build the site into _build/html (creates .venv on first use)
#   make test    run the library tests, the book-structure tests and every notebook
#   make help    list all targets
#
# make test needs no browser. The checks of the built site (make test-site) and of
# the Binder environment (make test-binder) are separate targets; CI runs all three.
#
# Everything runs inside .venv, created from requirements.txt. Choose the
# interpreter that creates it with, for example, `make book PYTHON=python3.12`.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000
# The browser for make test-site: Debian's chromium package, never a download.
CHROMIUM ?= /usr/bin/chromium
SITE_STAMP := $(VENV)/.site-installed
DIST_NAME  := neural-networks-from-scratch-offline
# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="-k structure -x"`.
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help venv book test test-site test-binder dist lint bench serve strip clean clean-all

help:
	@echo "make book       build the site (warnings are errors) and print the path to open"
	@echo "make test       unit tests, book-structure tests and all notebooks (nbval)"
	@echo "make test-site  drive the built site in headless Chromium (needs make book first)"
	@echo "make test-binder  build a fresh Binder-like environment and run every notebook in it (slow)"
	@echo "make dist       zip the built site and the executed notebooks for offline reading"
	@echo "make lint       ruff check on nnlib, tests, benchmarks and tools"
	@echo "make bench      run benchmarks/bench_training.py (BENCH_PYTHON=... for one with PyTorch)"
	@echo "make serve      serve _build/html on http://localhost:$(PORT)"
	@echo "make strip      remove outputs and execution counts from book/*.ipynb"
	@echo "make clean      remove _build and caches; make clean-all also removes .venv"
	@echo "make venv       create .venv and install requirements.txt (done automatically)"
	@echo "Options: PYTHON=python3.12  PORT=8001  PYTEST_ARGS='-k structure'  CHROMIUM=/path/to/chromium"

venv: $(STAMP)

# The stamp records a successful install. It is older than requirements.txt or
# pyproject.toml when either changes, which triggers a reinstall.
$(STAMP): requirements.txt pyproject.toml
	@if [ ! -x "$(BIN)/python" ]; then \
	  if ! command -v "$(PYTHON)" >/dev/null 2>&1; then \
	    echo "error: '$(PYTHON)' not found. Install Python 3.11 or newer, or run e.g. 'make PYTHON=/path/to/python3.12 ...'." >&2; \
	    exit 1; \
	  fi; \
	  "$(PYTHON)" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	    echo "error: this course needs Python 3.11 or newer, but '$(PYTHON)' is $$("$(PYTHON)" -c 'import platform; print(platform.python_version())')." >&2; \
	    echo "       Run e.g. 'make PYTHON=python3.12 ...' with a newer interpreter." >&2; \
	    exit 1; }; \
	  echo "Creating $(VENV) with $(PYTHON)"; \
	  "$(PYTHON)" -m venv "$(VENV)"; \
	fi
	@"$(BIN)/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "error: $(VENV) uses Python $$("$(BIN)/python" -c 'import platform; print(platform.python_version())'); 3.11 or newer is needed." >&2; \
	  echo "       Run 'make clean-all' and try again, with PYTHON=... pointing at a newer interpreter." >&2; \
	  exit 1; }
	"$(BIN)/python" -m pip install -r requirements.txt
	@touch "$(STAMP)"

book: $(STAMP)
	"$(BIN)/jupyter-book" build . --all -W --keep-going
	@echo
	@echo "Open file://$(CURDIR)/_build/html/index.html"

test: $(STAMP)
	"$(BIN)/python" -m pytest -p no:cacheprovider --nbval-lax --nbval-current-env $(PYTEST_ARGS) tests book

# The browser tests' own packages (Playwright's Python client, which drives the
# system Chromium), installed into .venv on first use.
$(SITE_STAMP): $(STAMP) requirements-site.txt
	"$(BIN)/python" -m pip install -r requirements-site.txt
	@touch "$(SITE_STAMP)"

test-site: $(SITE_STAMP)
	@test -f _build/html/index.html || { echo "error: no built site in _build/html; run 'make book' first." >&2; exit 1; }
	@test -x "$(CHROMIUM)" || { echo "error: no Chromium at $(CHROMIUM). Install Debian's package ('apt-get install chromium'), or pass CHROMIUM=/path/to/chromium." >&2; exit 1; }
	@$(MAKE) --no-print-directory dist
	CHROMIUM="$(CHROMIUM)" "$(BIN)/python" -m pytest -p no:cacheprovider $(PYTEST_ARGS) site_tests

test-binder: $(STAMP)
	"$(BIN)/python" -m pytest -p no:cacheprovider $(PYTEST_ARGS) binder_tests

dist: $(STAMP)
	@test -f _build/html/index.html || { echo "error: no built site in _build/html; run 'make book' first." >&2; exit 1; }
	"$(BIN)/python" tools/make_dist.py --name $(DIST_NAME)

lint: $(STAMP)
	"$(BIN)/ruff" check nnlib tests benchmarks tools site_tests binder_tests _ext book/quizzes

# The benchmark adds PyTorch as a contestant when the interpreter has it, e.g.
# `make bench BENCH_PYTHON=/path/to/torchenv/bin/python` (see README.md).
BENCH_PYTHON ?= $(BIN)/python
BENCH_ARGS ?=

bench: $(STAMP)
	"$(BENCH_PYTHON)" benchmarks/bench_training.py $(BENCH_ARGS)

serve:
	@test -f _build/html/index.html || { echo "error: no site in _build/html; run 'make book' first." >&2; exit 1; }
	"$(BIN)/python" -m http.server --directory _build/html $(PORT)

strip: $(STAMP)
	"$(BIN)/python" tools/strip_outputs.py book

clean:
	rm -rf _build .pytest_cache .ruff_cache
	find . -path ./$(VENV) -prune -o \( -name __pycache__ -o -name .ipynb_checkpoints \) -type d -print -exec rm -rf {} +

clean-all: clean
	rm -rf $(VENV)
