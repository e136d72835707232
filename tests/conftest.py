"""The whole test run answers as on one pinned day (rules_kb.dates.today reads YANGLAO_TODAY; the servers and CLI
the tests start inherit it), so a source lapsing on the calendar does not change what the tests expect.

Tests that need a trained model or real servers (Rasa, PostgreSQL, Redis, nginx, Chromium) are marked `servers`,
here by directory or fixture; tests that only take long are marked `slow` where they are written (`rasa data
validate` as a subprocess, the dependency audits over the installed packages' metadata, tests/hostile's sweep of
every age, status and grade). `make test` runs everything; `make test-fast` leaves both out (-m "not servers and
not slow") and sets HYPOTHESIS_PROFILE=fast: every property test then runs at most FAST_EXAMPLES examples (25;
HYPOTHESIS_FAST_EXAMPLES to change it), those with their own max_examples too (tests/hostile/conftest.py has the
other profiles)."""

import os

import pytest
from hypothesis import settings

os.environ.setdefault("YANGLAO_TODAY", "2026-11-27")

_SERVER_DIRS = {"e2e", "production"}
# redis_server: a real redis-server, started by tests/bot/channels/wechat/conftest.py (installed first if missing).
_SERVER_FIXTURES = {"web", "agent", "featurizers", "servers", "web_servers", "wx", "redis_server"}

FAST_EXAMPLES = int(os.environ.get("HYPOTHESIS_FAST_EXAMPLES", "25"))
FAST = os.environ.get("HYPOTHESIS_PROFILE") == "fast"
settings.register_profile("fast", max_examples=FAST_EXAMPLES)
if FAST:  # before any test module is imported: a @given test without its own settings takes the profile's
    settings.load_profile("fast")


def _at_most_fast_examples(item):
    """A test's own @settings(max_examples=…) outranks any profile, so under the fast profile its settings are
    replaced by a copy with FAST_EXAMPLES. Hypothesis reads _hypothesis_internal_use_settings each time the test
    runs (hypothesis is pinned in requirements-dev.lock; were the attribute gone, this fails loudly)."""
    test = getattr(item, "function", None)
    if getattr(test, "is_hypothesis_test", False):
        own = test._hypothesis_internal_use_settings
        if own.max_examples > FAST_EXAMPLES:
            test._hypothesis_internal_use_settings = settings(own, max_examples=FAST_EXAMPLES)


def pytest_collection_modifyitems(config, items):
    for item in items:
        parts = item.path.parts
        top = parts[parts.index("tests") + 1] if "tests" in parts[:-1] else ""
        if top in _SERVER_DIRS or _SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.servers)
        if FAST:
            _at_most_fast_examples(item)
