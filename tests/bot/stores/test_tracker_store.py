"""The embedded SQLite tracker store: what it reads back equals what Rasa's own SQL store reads from the same
file, across sessions, and a new process (a restart) sees every saved turn."""

import asyncio
import sqlite3
import uuid
from pathlib import Path

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered

from bot.stores.tracker_store import SQLiteTrackerStore

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[3] / "domain.yml"))


def converse(store, sender, turns, new_session_after=None):
    async def go():
        await store.get_or_create_tracker(sender)
        for turn in range(turns):
            tracker = await store.retrieve(sender)
            tracker.update(UserUttered(f"第{turn}句", {"name": "greet", "confidence": 1.0}))
            tracker.update(ActionExecuted("utter_greet"))
            tracker.update(BotUttered(f"回复{turn}"))
            tracker.update(ActionExecuted("action_listen"))
            if turn == new_session_after:
                tracker.update(ActionExecuted("action_session_start"))
                tracker.update(SessionStarted())
                tracker.update(ActionExecuted("action_listen"))
            await store.save(tracker)

    asyncio.run(go())


def dump(tracker):
    return [e.as_dict() for e in tracker.events]


def test_reads_back_what_rasas_own_store_reads(tmp_path):
    db = str(tmp_path / "t.db")
    ours = SQLiteTrackerStore(DOMAIN, db=db)
    sender = uuid.uuid4().hex
    converse(ours, sender, 6, new_session_after=3)
    theirs = SQLTrackerStore(DOMAIN, dialect="sqlite", db=db)
    latest_ours, latest_theirs = (asyncio.run(s.retrieve(sender)) for s in (ours, theirs))
    full_ours, full_theirs = (asyncio.run(s.retrieve_full_tracker(sender)) for s in (ours, theirs))
    assert dump(latest_ours) == dump(latest_theirs)
    assert len(dump(full_ours)) == len(dump(full_theirs)) > len(dump(latest_ours))
    user_texts = [e["text"] for e in dump(full_theirs) if e["event"] == "user"]
    assert user_texts == [f"第{i}句" for i in range(6)]  # each turn stored once, in order


def test_a_restart_sees_every_turn(tmp_path):
    db = str(tmp_path / "t.db")
    sender = uuid.uuid4().hex
    converse(SQLiteTrackerStore(DOMAIN, db=db), sender, 3)
    again = SQLiteTrackerStore(DOMAIN, db=db)  # a new process: nothing in memory
    tracker = asyncio.run(again.retrieve(sender))
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["第0句", "第1句", "第2句"]
    converse(again, sender, 1)
    rows = sqlite3.connect(db).execute("select count(*) from events where type_name='user'").fetchone()[0]
    assert rows == 4
