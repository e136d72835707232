"""A fresh SQLite database per test: the same engine set-up the servers use (bot.handoff.db.engine_for)."""

import pytest

from bot.handoff.cases import CaseStore
from bot.handoff.db import engine_for
from bot.handoff.review import ReviewQueue
from bot.handoff.settings import HandoffSettings


@pytest.fixture
def engine(tmp_path):
    return engine_for(f"sqlite:///{tmp_path / 'trackers.db'}")


@pytest.fixture
def setup():
    return HandoffSettings(
        code_days=7, retention_days=90, lookup_limit=3, lookup_limit_per_ip=5, lookup_window_minutes=15
    )


@pytest.fixture
def cases(engine, setup):
    return CaseStore(engine, setup)


@pytest.fixture
def queue(engine, setup):
    return ReviewQueue(engine, setup)
