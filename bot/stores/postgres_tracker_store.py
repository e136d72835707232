"""Rasa's SQL tracker store for PostgreSQL (the production profile), with pooled connections checked before use
and one query fewer per turn.

- Stock, SQLAlchemy hands out a pooled connection that a database restart has closed, and the first turns after
  the restart fail on it. Here the engine checks each connection as it leaves the pool (pool_pre_ping) and
  reconnects: a restart costs at most the turns that arrive while the database is down (answered busy, see
  bot/rasa_patches/store_guard.py).
- Stock, each save counts the conversation's stored rows to find its new events, although the turn read exactly
  those rows when it began. The lock store lets one turn at a time touch a conversation, across servers, so the
  number read by the turn's retrieve is still the number stored at its save: the save writes the events after
  it, in one INSERT. A save with no retrieve before it in this process counts, as Rasa does.
Everything else is Rasa's own `SQL` store; the settings are the same:

    tracker_store:
      type: bot.stores.postgres_tracker_store.PostgreSQLTrackerStore
      dialect: postgresql
      url: ${DB_HOST}
      ...
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from typing import Any, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker

from bot import rasa_patches
from bot.stores.rows import event_row

rasa_patches.install()  # loaded by dotted path before the model: Rasa's changes are in place from the first turn
READ_KEPT = 10_000  # far more turns than one server runs at once


class PostgreSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # connects, creates the tables, waits for a database still starting
        url = self.engine.url
        self.engine.dispose()
        self.engine: sa.engine.Engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        # sender id -> rows of its latest session that this turn's retrieve read, oldest first. A retrieve with no
        # save after it (Rasa's HTTP API reading a tracker) leaves its entry: kept to READ_KEPT, the oldest dropped
        # (its save, if one ever comes, then counts as Rasa does).
        self._read: "OrderedDict[Text, int]" = OrderedDict()

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        tracker = await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        if not fetch_events_from_all_sessions:
            self._read[sender_id] = len(tracker.events) if tracker else 0
            self._read.move_to_end(sender_id)
            while len(self._read) > READ_KEPT:
                self._read.popitem(last=False)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        read = self._read.pop(tracker.sender_id, None)  # once: a session started by this save changes the count
        if read is None:
            await super().save(tracker)
            return
        await self.stream_events(tracker)
        rows = [event_row(tracker.sender_id, e) for e in itertools.islice(tracker.events, read, None)]
        if rows:
            with self.engine.begin() as connection:
                connection.execute(self.SQLEvent.__table__.insert(), rows)
