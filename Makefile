# Everything runs inside .venv (Python 3.10, built here by `make venv` on first use).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: help venv lint test test-fast test-kb kb-check bench-kb clean train run validate jieba-dict test-stories crossval compare-nlu compare-reader bench eval services cluster browser screenshots fuzz soak
.DEFAULT_GOAL := help

## build .venv (Python 3.10, the pinned runtime and dev packages) if missing or stale
venv: $(STAMP)

# A development machine or CI: the runtime set and the test and lint tools (the image installs only the runtime set).
$(STAMP): requirements.txt requirements.lock requirements-dev.txt requirements-dev.lock scripts/find-python310.sh
	@if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then \
	  rm -rf $(VENV); py=$$(scripts/find-python310.sh) || exit 1; echo "creating $(VENV) with $$py"; \
	  $$py -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --upgrade pip==24.0
	$(PY) -m pip install --quiet -r requirements-dev.txt -c requirements.lock -c requirements-dev.lock
	touch $(STAMP)

RASA := $(VENV)/bin/rasa
MODEL := models/assistant.tar.gz
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 3

# jieba keeps the KB's terms (items, statuses, agencies, places) whole.
data/jieba/userdict.txt: $(STAMP) $(wildcard rules_kb/*.yml rules_kb/cities/*.yml rules_kb/facts/*.yml) scripts/gen_jieba_dict.py
	$(PY) -m scripts.gen_jieba_dict $@

## regenerate data/jieba/userdict.txt from the knowledge base
jieba-dict: data/jieba/userdict.txt

# Rasa skips training itself when config, domain and data are unchanged since the last model.
$(MODEL): $(STAMP) data/jieba/userdict.txt config.yml domain.yml $(shell find data bot/nlu bot/dialogue rules_kb -name '*.yml' -o -name '*.py' -o -name '*.txt' 2>/dev/null)
	$(RASA) train --fixed-model-name assistant --out models --quiet

## train models/assistant.tar.gz if config, domain, data or bot code changed
train: $(MODEL)

## rasa data validate (warnings fail)
validate: $(STAMP) data/jieba/userdict.txt
	$(RASA) data validate --fail-on-warnings

## Dialogue paths as Rasa test stories; any wrong prediction fails.
test-stories: $(MODEL)
	$(RASA) test core --stories tests/stories --model $(MODEL) --fail-on-prediction-errors --out results/core

## NLU intent and entity F1 by 3-fold cross-validation (a few minutes).
crossval: $(STAMP) data/jieba/userdict.txt
	$(RASA) test nlu --nlu data/nlu --cross-validation --folds 3 --out results/crossval --no-plot

## Logistic regression against DIET on F1, training time and parse latency.
compare-nlu: $(STAMP) data/jieba/userdict.txt
	$(PY) -m scripts.compare_nlu

# Issue 19: the rules against the kind classifier trained on generated examples (bot/nlu/kind_examples.py), alone
# and where the rules guess (YANGLAO_READER=model|hybrid): the classifier's accuracy on its own examples, the reading
# time, and every evaluation set in each mode (its own servers per mode, a few minutes).
## compare the readers (rules, model, hybrid) on the evaluation sets and time them
compare-reader: $(MODEL)
	YANGLAO_TODAY=2026-11-27 $(PY) -m scripts.compare_reader

# Evaluation sets against real servers (own, blind A, blind B held out), each on its own: pass rate per category,
# first replies that answer, figures not in the KB.
## the evaluation sets (own, blind A, blind B) against real servers
eval: $(MODEL)
	$(PY) -m tests.eval.score

## Load benchmark (50 citizens over REST and WeChat), beside the stock `rasa init` bot in the same run.
bench: $(STAMP) data/jieba/userdict.txt
	$(PY) -m scripts.bench

## set up, train if stale and start the server (scripts/run.sh)
run: $(MODEL)
	scripts/run.sh

# Soak run, not a test (prints figures): the production profile (PostgreSQL, Redis, nginx, two Rasa servers) under 50
# family conversations for SOAK_MINUTES (20), PostgreSQL and Redis restarted and one Rasa server killed on the way:
# lost, duplicated, cross-talk, busy replies, RSS (scripts/soak.py). `make soak SOAK_MINUTES=2` for a quick look.
SOAK_MINUTES ?= 20
## soak run of the production profile with faults (SOAK_MINUTES, default 20)
soak: $(MODEL) services
	$(PY) -m scripts.soak --minutes $(SOAK_MINUTES)

## Redis, PostgreSQL and nginx for tests/production and the cluster (Debian packages; nothing if installed).
services:
	scripts/install-services.sh

## N Rasa + M action servers behind nginx, production profile (DB_*/REDIS_* set; see deploy/README.md).
cluster: $(MODEL) services
	scripts/run-cluster.sh

## Chromium + a CJK font for the browser tests (nothing when installed; needs root, as CI has).
browser:
	scripts/install-browser.sh

## Refresh docs/screenshots/ from the browser tests.
screenshots: $(MODEL) browser
	UPDATE_SCREENSHOTS=1 $(PY) -m pytest -q tests/e2e/test_browser.py

## load and check the knowledge base (python -m rules_kb check)
kb-check: $(STAMP)
	$(PY) -m rules_kb check

## the knowledge base's tests (tests/rules_kb)
test-kb: $(STAMP)
	$(PY) -m pytest -q tests/rules_kb

# Ruff (pyflakes, pycodestyle, import order), mypy over bot/, actions/, rules_kb/ and scripts/ (settings in
# pyproject.toml), yamllint over the knowledge base's YAML (.yamllint), and last the formatting (ruff format --check).
## ruff check, mypy, yamllint on rules_kb/, then ruff format --check
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/yamllint --strict rules_kb
	$(VENV)/bin/ruff format --check .

# Leaves out what only `make test` runs: tests marked `servers` (a trained model, Rasa, PostgreSQL, a real Redis,
# nginx, Chromium: tests/e2e, tests/production, the WeChat channel's Redis tests) and tests marked `slow` (`rasa
# data validate` on the review export, the dependency audits over the installed packages' metadata, the sweep of
# every age, status and grade in tests/hostile/test_rules_kb.py), and runs each property test on 25 examples
# (HYPOTHESIS_PROFILE=fast) instead of its hundreds. About 40 s on 2 cores; `make test` runs all of it.
## Unit and rule tests only: no trained model, no servers, no root, under a minute (not `servers`, not `slow`).
test-fast: $(STAMP)
	HYPOTHESIS_PROFILE=fast $(PY) -m pytest -q tests -m "not servers and not slow"

## The whole suite: what CI runs (.ci/run calls `make test`).
test: $(STAMP) lint services browser kb-check validate test-stories
	$(PY) -m scripts.fuzz --quick
	$(PY) -m pytest -q tests

## Hostile input: 100,000 generated inputs over every target (scripts/fuzz.py; about a minute on 2 cores).
fuzz: $(STAMP)
	$(PY) -m scripts.fuzz --jobs 2

## benchmark of the rules engine
bench-kb: $(STAMP)
	$(PY) -m rules_kb.throughput

## remove .venv and .pytest_cache
clean:
	rm -rf $(VENV) .pytest_cache

# Each target with its `## ` line: the line just above it, or a ` ## ` comment at the end of the target's own line.
## list the targets with a line each (the default goal)
help:
	@awk '/^## / { desc = substr($$0, 4); next } \
	  /^[A-Za-z0-9_-]+:([^=]|$$)/ { name = substr($$0, 1, index($$0, ":") - 1); \
	    if (match($$0, / ## /)) desc = substr($$0, RSTART + 4); \
	    if (desc != "") printf "  %-14s %s\n", name, desc } \
	  { desc = "" }' $(MAKEFILE_LIST)
