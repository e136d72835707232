# Everything runs inside .venv (Python 3.10, built here by `make venv` on first use).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: venv test test-kb kb-check bench-kb clean

venv: $(STAMP)

$(STAMP): requirements.txt requirements.lock scripts/find-python310.sh
	@if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then \
	  rm -rf $(VENV); py=$$(scripts/find-python310.sh) || exit 1; echo "creating $(VENV) with $$py"; \
	  $$py -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --upgrade pip==24.0
	$(PY) -m pip install --quiet -r requirements.txt -c requirements.lock
	touch $(STAMP)

kb-check: $(STAMP)
	$(PY) -m rules_kb check

test-kb: $(STAMP)
	$(PY) -m pytest -q tests/rules_kb

# The whole suite: what CI runs (.ci/run calls `make test`).
test: $(STAMP) kb-check
	$(PY) -m pytest -q tests

bench-kb: $(STAMP)
	$(PY) -m rules_kb.bench

clean:
	rm -rf $(VENV) .pytest_cache
