"""The production tracker store on a real PostgreSQL: after the database restarts, the first read succeeds (its
pooled connection, closed by the restart, is checked and replaced), where Rasa's own SQL store fails once."""

import asyncio
import uuid
from pathlib import Path

import pytest
import sqlalchemy.exc
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered

from bot.stores.postgres_tracker_store import PostgreSQLTrackerStore

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))


def _settings(pg):
    return dict(
        domain=DOMAIN,
        dialect="postgresql",
        host="127.0.0.1",
        port=pg.port,
        db=pg.db,
        username=pg.user,
        password=pg.password,
    )


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


def test_turns_saved_without_counting_read_back_as_rasas_own_store_reads_them(postgres_server):
    """Several turns and a new session through the store (retrieve, then save, as a turn does): what Rasa's own
    SQL store reads from the same database is every event, once, in order."""
    store = PostgreSQLTrackerStore(**_settings(postgres_server))
    sender = uuid.uuid4().hex

    async def turn(text, new_session=False):
        tracker = await store.get_or_create_tracker(sender)
        if new_session:
            tracker.update(ActionExecuted("action_session_start"))
            tracker.update(SessionStarted())
            tracker.update(ActionExecuted("action_listen"))
        tracker.update(UserUttered(text, {"name": "ask_entitlement", "confidence": 1.0}))
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)

    for i in range(3):
        asyncio.run(turn(f"第{i}句"))
    asyncio.run(turn("新会话", new_session=True))
    asyncio.run(turn("再问"))
    rasas = SQLTrackerStore(**_settings(postgres_server))
    full = asyncio.run(rasas.retrieve_full_tracker(sender))
    assert [e.text for e in full.events if isinstance(e, UserUttered)] == ["第0句", "第1句", "第2句", "新会话", "再问"]
    latest = asyncio.run(rasas.retrieve(sender))
    assert [e.text for e in latest.events if isinstance(e, UserUttered)] == ["新会话", "再问"]
    rows = postgres_server.query("SELECT count(*) FROM events WHERE sender_id = %s", (sender,))[0][0]
    assert rows == len(full.events)
