# Two commands do all setup on a fresh machine with only Python and make:
#   make brief   -> weekly briefs for every stakeholder on the bundled sample data
#   make test    -> the test suite
# durable-rules 2.0.28 imports on Python 3.11 and 3.12, not 3.13: pick one of those.
PYTHON ?= $(shell for p in python3.12 python3.11 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(not ((3,11) <= sys.version_info[:2] <= (3,12)))' 2>/dev/null; then echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: brief score test bench clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Python 3.11 or 3.12 is needed (durable-rules does not import on 3.13)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

brief: $(STAMP)
	$(BIN)/riskengine brief --week 2025-W27 --stakeholder all --format all --out briefs --now 2025-07-07T06:00:00Z

score: $(STAMP)
	$(BIN)/riskengine score --week 2025-W27 --format table

test: $(STAMP)
	@bash scripts/ensure_chromium.sh || true
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) briefs build *.egg-info
