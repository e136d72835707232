"""The embedded default tracker store: Rasa's SQL tracker store on an SQLite file, tuned for one server.

Rasa opens and closes an SQLite connection for every query (SQLAlchemy 1.4's NullPool), and SQLite's default
journal syncs several times per commit; together about 7 ms of a 10 ms turn. Here one connection is kept open
and the journal is write-ahead (WAL, synchronous=NORMAL): every committed turn survives a restart of the
server. For several servers sharing one store use PostgreSQL (Rasa's `SQL` type) instead.

    tracker_store:
      type: bot.tracker_store.SQLiteTrackerStore
      db: var/trackers.db
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional, Text

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain

import bot.rasa_speedups  # noqa: F401  (imported here too: this module loads before the model)


class SQLiteTrackerStore(SQLTrackerStore):
    def __init__(self, domain: Optional[Domain] = None, db: Text = "var/trackers.db",
                 event_broker: Optional[EventBroker] = None, **kwargs: Any) -> None:
        Path(db).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(domain=domain, dialect="sqlite", db=db, event_broker=event_broker)
        url = self.engine.url
        self.engine.dispose()
        # One process, one event loop: a single kept-open connection serves every query.
        self.engine = sa.create_engine(url, poolclass=sa.pool.StaticPool,
                                       connect_args={"check_same_thread": False})
        sa.event.listen(self.engine, "connect", _wal)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)


def _wal(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
