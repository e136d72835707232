"""The tables of case codes, the review queue, tried-limits and the console's operators, beside the tracker
store's own in the same database.

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
    "handoff_cases",
    metadata,
    sa.Column("digest", sa.String(64), primary_key=True),  # sha256 of the code (codes.digest), never the code
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False, index=True),
    sa.Column("snapshot", sa.Text, nullable=False),  # JSON: masked profile and transcript (transcript.py)
)

# Tries counted per bucket (limits.py): wrong case codes per session or bearer token ("session:<hash>") and per
# address ("ip:<address>"), wrong logins and tokens per address ("auth:<address>"). Replaces the row-per-failure
# handoff_lookup_failures of before issue 20 (an old database keeps that table, unused).
rate_limits = sa.Table(
    "rate_limits",
    metadata,
    sa.Column("bucket", sa.String(100), primary_key=True),
    sa.Column("window_start", sa.Float, nullable=False, index=True),
    sa.Column("hits", sa.Integer, nullable=False),
)

review = sa.Table(
    "review_queue",
    metadata,
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

# The console's operators (bot/operators/): accounts, their sessions and the audit log, beside the cases they open.
operators = sa.Table(
    "console_operators",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(200), nullable=False),  # scrypt (bot/operators/passwords.py)
    sa.Column("role", sa.String(16), nullable=False),  # operator, reviewer or admin
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False),
)

operator_sessions = sa.Table(
    "console_sessions",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # sha256 of the cookie's token, never the token
    sa.Column("account_id", sa.Integer, sa.ForeignKey("console_operators.id"), nullable=False, index=True),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False, index=True),
    sa.Column("address", sa.String(64), nullable=False, default=""),
)

audit_log = sa.Table(
    "console_audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
    sa.Column("actor", sa.String(64), nullable=False),  # the account's name, or "api-token" for the machine token
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("address", sa.String(64), nullable=False),  # the client address (through the proxy: the real one)
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("case_digest", sa.String(64), nullable=True),  # codes.digest of a looked-up code, never the code
    sa.Column("entries", sa.Text, nullable=True),  # JSON list of review-queue ids resolved or exported
    sa.Column("outcome", sa.String(32), nullable=False, default=""),
    sa.Column("detail", sa.Text, nullable=False, default=""),
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
