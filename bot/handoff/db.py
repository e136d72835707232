"""The tables of case codes and the review queue, beside the tracker store's own in the same database.

SQLAlchemy Core, so the same statements run on SQLite (default) and PostgreSQL (production). Times are Unix
seconds (float): comparisons and retention need no time-zone handling in the database.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Dict, Union

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

metadata = sa.MetaData()

cases = sa.Table(
    "handoff_cases", metadata,
    sa.Column("digest", sa.String(64), primary_key=True),  # sha256 of the code (codes.digest), never the code
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False, index=True),
    sa.Column("snapshot", sa.Text, nullable=False),  # JSON: masked profile and transcript (transcript.py)
)

lookup_failures = sa.Table(
    "handoff_lookup_failures", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("bucket", sa.String(80), nullable=False, index=True),  # "session:<hash>" or "ip:<address>"
    sa.Column("at", sa.Float, nullable=False, index=True),
)

review = sa.Table(
    "review_queue", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("reason", sa.String(24), nullable=False),
    sa.Column("text", sa.Text, nullable=False),  # the person's message, masked
    sa.Column("intent", sa.String(64), nullable=False, default=""),
    sa.Column("confidence", sa.Float, nullable=True),
    sa.Column("city", sa.String(16), nullable=True),
    sa.Column("item", sa.String(64), nullable=True),
    sa.Column("reply", sa.Text, nullable=False, default=""),  # what the assistant answered, masked
    sa.Column("detail", sa.Text, nullable=False, default=""),  # e.g. the feedback words
    sa.Column("resolved", sa.Boolean, nullable=False, default=False),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("resolved_at", sa.Float, nullable=True),
)

_engines: Dict[str, Engine] = {}
_lock = threading.Lock()


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=5000")  # the Rasa and action servers write the same file
    cursor.execute("PRAGMA journal_mode=WAL")  # as bot.stores.tracker_store: readers do not block the writer
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def engine_for(url: Union[str, URL]) -> Engine:
    """One engine per database per process, its tables created on first use."""
    url = make_url(url) if isinstance(url, str) else url
    key = url.render_as_string(hide_password=False)
    with _lock:
        engine = _engines.get(key)
        if engine is not None:
            return engine
        if url.get_backend_name() == "sqlite":
            if url.database and url.database != ":memory:":
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 5})
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
        try:
            metadata.create_all(engine)  # checkfirst: a table another process made is kept
        except sa.exc.SQLAlchemyError:
            metadata.create_all(engine)  # two processes creating at once: the loser finds the tables the second time
        _engines[key] = engine
        return engine
