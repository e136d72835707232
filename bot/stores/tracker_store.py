"""The embedded default tracker store: Rasa's SQL tracker store on an SQLite file, tuned for one server process.

Stock, every turn re-reads the conversation from SQLite twice and counts its rows once, on a fresh connection
each time, with SQLite's fully synced rollback journal: most of a 10 ms turn. Here:
- one connection is kept open, journaled write-ahead (WAL, synchronous=NORMAL): every committed turn survives a
  restart of the server;
- the latest session of recent conversations is kept in memory as the JSON that was written (from the first
  read of a conversation on, also a new one), so reading it and finding its new events need no query, and its
  new events are written in one INSERT. Every event is still written to SQLite before the reply
  goes out, and after a restart conversations are read back from the file.
The in-memory copy is only right while this process is the file's only writer: for several servers use a shared
store (PostgreSQL or Redis, Rasa's own `SQL` / `redis` types).

    tracker_store:
      type: bot.stores.tracker_store.SQLiteTrackerStore
      db: var/trackers.db
"""

from __future__ import annotations

import itertools
import json
from collections import OrderedDict
from pathlib import Path
from typing import Any, Iterable, Iterator, List, Optional, Text

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

from bot import rasa_patches
from bot.stores.rows import event_row

rasa_patches.install()  # this module loads before the model: Rasa's changes are in place from the first turn
CACHED_CONVERSATIONS = 10_000


class SQLiteTrackerStore(SQLTrackerStore):
    def __init__(
        self,
        domain: Optional[Domain] = None,
        db: Text = "var/trackers.db",
        event_broker: Optional[EventBroker] = None,
        **kwargs: Any,
    ) -> None:
        Path(db).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(domain=domain, dialect="sqlite", db=db, event_broker=event_broker)
        url = self.engine.url
        self.engine.dispose()
        # One process, one event loop: a single kept-open connection serves every query.
        self.engine: sa.engine.Engine = sa.create_engine(
            url, poolclass=sa.pool.StaticPool, connect_args={"check_same_thread": False}
        )
        sa.event.listen(self.engine, "connect", _wal)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        # sender id -> the latest session's events as stored (JSON), most recently used last
        self._sessions: "OrderedDict[Text, List[Text]]" = OrderedDict()

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        stored = None if fetch_events_from_all_sessions else self._sessions.get(sender_id)
        if stored is None:
            tracker = await super()._retrieve(sender_id, fetch_events_from_all_sessions)
            if not fetch_events_from_all_sessions and self.domain is not None:
                # what the file holds of the latest session (nothing, for a new conversation): the next save
                # appends to it without counting the rows again
                self._remember(sender_id, [json.dumps(e.as_dict()) for e in tracker.events] if tracker else [])
            return tracker
        self._sessions.move_to_end(sender_id)
        if not (self.domain and stored):
            return None
        return DialogueStateTracker.from_dict(sender_id, [json.loads(e) for e in stored], self.domain.slots)

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        stored = self._sessions.get(tracker.sender_id)
        if stored is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, len(stored), len(tracker.events))

    async def save(self, tracker: DialogueStateTracker) -> None:
        stored = self._sessions.get(tracker.sender_id)
        if stored is None:  # not in memory (first turn, or evicted): Rasa's own save, which counts the rows
            await super().save(tracker)  # raises before the copy below changes if the write fails
            self._remember(tracker.sender_id, [json.dumps(e.as_dict()) for e in _latest_session(tracker.events)])
            return
        await self.stream_events(tracker)
        new = list(itertools.islice(tracker.events, len(stored), None))
        rows = [event_row(tracker.sender_id, e) for e in new]
        if rows:  # the rows Rasa's save writes, in one statement, each event serialised once
            with self.engine.begin() as connection:
                connection.execute(self.SQLEvent.__table__.insert(), rows)
        texts = [r["data"] for r in rows]
        starts = [i for i, e in enumerate(new) if isinstance(e, SessionStarted)]
        self._remember(tracker.sender_id, texts[starts[-1] :] if starts else stored + texts)

    def _remember(self, sender_id: Text, session_events: List[Text]) -> None:
        self._sessions[sender_id] = session_events
        self._sessions.move_to_end(sender_id)
        while len(self._sessions) > CACHED_CONVERSATIONS:
            self._sessions.popitem(last=False)


def _latest_session(events: Iterable[Event]) -> List[Event]:
    events = list(events)
    starts = [i for i, e in enumerate(events) if isinstance(e, SessionStarted)]
    return events[starts[-1] :] if starts else events


def _wal(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
