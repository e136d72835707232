"""The whole test run answers as on one pinned day (rules_kb.dates.today reads YANGLAO_TODAY; the servers and CLI
the tests start inherit it), so a source lapsing on the calendar does not change what the tests expect.

Tests that need a trained model or real servers (Rasa, PostgreSQL, Redis, nginx, Chromium) are marked `servers`:
`make test` runs everything, `make test-fast` leaves them out (-m "not servers")."""
import os

import pytest

os.environ.setdefault("YANGLAO_TODAY", "2026-11-27")

_SERVER_DIRS = {"e2e", "production"}
_SERVER_FIXTURES = {"web", "agent", "featurizers", "servers", "web_servers", "wx"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        parts = item.path.parts
        top = parts[parts.index("tests") + 1] if "tests" in parts[:-1] else ""
        if top in _SERVER_DIRS or _SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.servers)
