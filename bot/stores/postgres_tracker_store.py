"""Rasa's SQL tracker store for PostgreSQL (the production profile), with pooled connections checked before use.

Stock, SQLAlchemy hands out a pooled connection that a database restart has closed, and the first turns after the
restart fail on it. Here the engine checks each connection as it leaves the pool (pool_pre_ping) and reconnects:
a restart costs at most the turns that arrive while the database is down (answered busy, see
bot/rasa_patches/store_guard.py). Everything else is Rasa's own `SQL` store; the settings are the same:

    tracker_store:
      type: bot.stores.postgres_tracker_store.PostgreSQLTrackerStore
      dialect: postgresql
      url: ${DB_HOST}
      ...
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs

from bot import rasa_patches

rasa_patches.install()  # loaded by dotted path before the model: Rasa's changes are in place from the first turn


class PostgreSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # connects, creates the tables, waits for a database still starting
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
