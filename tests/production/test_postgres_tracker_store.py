"""The production tracker store on a real PostgreSQL: after the database restarts, the first read succeeds (its
pooled connection, closed by the restart, is checked and replaced), where Rasa's own SQL store fails once."""
import asyncio
import uuid
from pathlib import Path

import pytest
import sqlalchemy.exc
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered

from bot.stores.postgres_tracker_store import PostgreSQLTrackerStore

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))


def _settings(pg):
    return dict(domain=DOMAIN, dialect="postgresql", host="127.0.0.1", port=pg.port, db=pg.db, username=pg.user,
                password=pg.password)


def _save_one_turn(store, sender: str) -> None:
    async def go():
        tracker = await store.get_or_create_tracker(sender)
        tracker.update(UserUttered("枣庄85岁低保", {"name": "ask_entitlements", "confidence": 1.0}))
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)
    asyncio.run(go())


def _user_texts(store, sender: str):
    tracker = asyncio.run(store.retrieve(sender))
    return [e.text for e in tracker.events if isinstance(e, UserUttered)]


def test_the_first_read_after_a_database_restart_succeeds(postgres_server):
    store = PostgreSQLTrackerStore(**_settings(postgres_server))
    sender = uuid.uuid4().hex
    _save_one_turn(store, sender)
    assert _user_texts(store, sender) == ["枣庄85岁低保"]
    postgres_server.restart()
    assert _user_texts(store, sender) == ["枣庄85岁低保"]


def test_rasas_own_sql_store_still_fails_once_after_a_restart(postgres_server):
    """Why the subclass exists: if Rasa's store starts checking its connections, this fails and the store can go."""
    store = SQLTrackerStore(**_settings(postgres_server))
    sender = uuid.uuid4().hex
    _save_one_turn(store, sender)
    postgres_server.restart()
    with pytest.raises(sqlalchemy.exc.OperationalError):
        _user_texts(store, sender)
    assert _user_texts(store, sender) == ["枣庄85岁低保"]
