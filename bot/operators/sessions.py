"""Console sessions, kept in the database: the browser holds a random 256-bit token, the database its SHA-256, the
account and the expiry. Logging out deletes the row; an admin can delete every row (of one account or all), so a
copied cookie stops working at once, on every server process."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.handoff.db import operator_sessions, operators
from bot.operators.accounts import Account

MAX_TOKEN = 100


def session_id(token: str) -> str:
    return hashlib.sha256(("yanglao-session\0" + token).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Session:
    id: str  # the hash of its token
    account: Account
    expires_at: float


class SessionStore:
    def __init__(self, engine: Engine, seconds: float):
        self.engine = engine
        self.seconds = seconds

    def create(self, account: Account, address: str = "", now: Optional[float] = None) -> str:
        """A new session for `account`; returns its token (for the cookie), which is stored only hashed."""
        now = time.time() if now is None else now
        token = secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(operator_sessions.delete().where(operator_sessions.c.expires_at <= now))
            conn.execute(
                operator_sessions.insert().values(
                    id=session_id(token),
                    account_id=account.id,
                    created_at=now,
                    expires_at=now + self.seconds,
                    address=(address or "")[:64],
                )
            )
        return token

    def resolve(self, token: Optional[str], now: Optional[float] = None) -> Optional[Session]:
        """The live session of an active account for a cookie's token, else None."""
        if not token or len(token) > MAX_TOKEN:
            return None
        now = time.time() if now is None else now
        s, a = operator_sessions.c, operators.c
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(s.id, s.expires_at, a.id.label("account_id"), a.username, a.role, a.active)
                .select_from(operator_sessions.join(operators, s.account_id == a.id))
                .where(s.id == session_id(token))
            ).first()
        if row is None or row.expires_at <= now or not row.active:
            return None
        return Session(row.id, Account(row.account_id, row.username, row.role, True), row.expires_at)

    def end(self, token: Optional[str]) -> bool:
        if not token or len(token) > MAX_TOKEN:
            return False
        with self.engine.begin() as conn:
            return bool(
                conn.execute(operator_sessions.delete().where(operator_sessions.c.id == session_id(token))).rowcount
            )

    def end_all(self, account_id: Optional[int] = None) -> int:
        """End every session (of one account, or of all); the number ended."""
        query = operator_sessions.delete()
        if account_id is not None:
            query = query.where(operator_sessions.c.account_id == account_id)
        with self.engine.begin() as conn:
            return conn.execute(query).rowcount or 0

    def count(self, now: Optional[float] = None) -> int:
        now = time.time() if now is None else now
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(sa.func.count()).select_from(operator_sessions).where(operator_sessions.c.expires_at > now)
            ).scalar_one()
