# Two commands do all setup on a fresh machine with only Python and make:
#   make brief   -> weekly briefs for every stakeholder on the bundled sample data
#   make test    -> the test suite on the oldest and the newest supported Python the machine has,
#                   and a check that both give the same bytes
# Supported: Python 3.11 to 3.14 (scripts/pythons.sh finds them on PATH and in pyenv).
PYTHONS := $(shell bash scripts/pythons.sh)
OLDEST := $(firstword $(PYTHONS))
NEWEST := $(lastword $(PYTHONS))
PYTHON ?= $(OLDEST)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NEWEST_VENV := .venv-newest

# durable-rules 2.0.28 (2020) is built from source: its setup.py overwrites CFLAGS, dropping
# Python's own optimisation flags, and Python 3.13 removed PyEval_CallObject, which it calls.
# CPPFLAGS still reaches the compiler, so it carries both the alias and -O2 (every firing the
# same, about a fifth faster). No cache: a cached wheel may have been built without them.
DURABLE_CPPFLAGS := -O2 -DPyEval_CallObject=PyObject_CallObject

.PHONY: brief score lint test test-suite same-bytes bench clean detector

# setup.py builds riskengine/core/_native.c (the reader's C checks; README, Dependencies and build):
# `pip install -e` compiles it into the checkout, one file per Python (cpython-311, cpython-313),
# so each venv has its own; an edit to either file installs again.
$(STAMP): pyproject.toml setup.py riskengine/core/_native.c
	@test -n "$(PYTHON)" || { echo "error: Python 3.11 to 3.14 is needed (none found on PATH or in pyenv)"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(not ((3, 11) <= sys.version_info[:2] <= (3, 14)))' \
		|| { echo "error: $(PYTHON) is not Python 3.11 to 3.14"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	CPPFLAGS="$(DURABLE_CPPFLAGS)" $(BIN)/pip install --quiet --no-cache-dir --no-binary durable-rules durable-rules==2.0.28
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

brief: $(STAMP)
	$(BIN)/riskengine brief --week 2025-W27 --stakeholder all --format all --out briefs --now 2025-07-07T06:00:00Z

# The learned event detector's weights (riskengine/ingest/extract/detector.json), trained again
# from the gold sets (tests/extract/*_gold.yaml): the same sets and patterns give the same bytes.
# `python benchmarks/extract_loso.py loso-real` judges it leave-one-set-out (docs/EXTRACTION.md).
detector: $(STAMP)
	$(BIN)/python benchmarks/extract_loso.py train

score: $(STAMP)
	$(BIN)/riskengine score --week 2025-W27 --format table

# The suite on the oldest Python; then, when the machine has a newer one, the suite again on it
# and a byte-for-byte comparison of what the two write.
test: test-suite
	@if [ -n "$(NEWEST)" ] && [ "$(NEWEST)" != "$(PYTHON)" ]; then \
		$(MAKE) --no-print-directory test-suite PYTHON=$(NEWEST) VENV=$(NEWEST_VENV) \
		&& $(MAKE) --no-print-directory same-bytes; \
	else echo "make test: only one supported Python on this machine; the cross-version check is skipped"; fi

# ruff and mypy, configured in pyproject.toml: any finding fails the build.
lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/mypy

# The suite on every core (at most 4): about half the wall time on two cores. Whole files go to
# one worker (loadfile), so a file's expensive fixtures (the browser, the installed wheel) start
# once. `make test PYTEST_WORKERS=` runs it in one process.
PYTEST_WORKERS ?= -n auto --maxprocesses=4 --dist loadfile

test-suite: $(STAMP) lint
	@bash scripts/ensure_chromium.sh || true
	@bash scripts/ensure_postgres.sh || true
	$(BIN)/python -m pytest $(PYTEST_WORKERS)

same-bytes: $(STAMP)
	@$(MAKE) --no-print-directory $(NEWEST_VENV)/.installed PYTHON=$(NEWEST) VENV=$(NEWEST_VENV)
	bash scripts/same_bytes.sh $(BIN) $(NEWEST_VENV)/bin

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(NEWEST_VENV) briefs build *.egg-info riskengine/core/_native.*.so
