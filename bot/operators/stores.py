"""This process's account, session and audit stores, on the case store's database (bot.handoff.settings): the
same SQLite file or PostgreSQL database as the tracker store, found from the endpoints file in use."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from bot.handoff.db import engine_for
from bot.handoff.limits import Limiter
from bot.handoff.settings import database_url, settings
from bot.operators.accounts import AccountStore
from bot.operators.audit import AuditLog
from bot.operators.sessions import SessionStore


@dataclass(frozen=True)
class OperatorStores:
    accounts: AccountStore
    sessions: SessionStore
    audit: AuditLog
    limiter: Limiter


@lru_cache(maxsize=8)
def _stores(endpoints: Optional[str], session_seconds: float) -> OperatorStores:
    engine = engine_for(database_url())
    return OperatorStores(
        AccountStore(engine),
        SessionStore(engine, session_seconds),
        AuditLog(engine, settings().retention_days),
        Limiter(engine),
    )


def operator_stores(session_seconds: float) -> OperatorStores:
    return _stores(os.environ.get("YANGLAO_ENDPOINTS"), session_seconds)
