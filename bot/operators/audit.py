"""The audit log: who did what in the console, when and from where. Append-only: this module only adds rows and
deletes those older than the review queue's retention (handoff.yml `retention_days`), so it is kept exactly as
long as the queue. Case codes appear only as their hash (bot.handoff.codes.digest), never as typed."""

from __future__ import annotations

import json
import time
from typing import Any, Dict, List, Optional, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.handoff.db import audit_log
from bot.privacy import mask_pii, well_formed

ACTIONS = (
    "login",
    "login_failed",
    "logout",
    "case_lookup",
    "review_resolve",
    "review_export",
    "account_create",
    "account_update",
    "sessions_ended",
)
DAY = 86400.0
PURGE_EVERY = 3600.0


class AuditLog:
    def __init__(self, engine: Engine, retention_days: float):
        self.engine = engine
        self.retention_days = retention_days
        self._purged_at = 0.0

    def record(
        self,
        action: str,
        actor: str,
        role: str,
        address: str,
        *,
        case_digest: Optional[str] = None,
        entries: Sequence[int] = (),
        outcome: str = "",
        detail: str = "",
        now: Optional[float] = None,
    ) -> None:
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        now = time.time() if now is None else now
        if now - self._purged_at >= PURGE_EVERY:
            self.purge(now)
        with self.engine.begin() as conn:
            conn.execute(
                audit_log.insert().values(
                    at=now,
                    actor=well_formed(actor or "")[:64],
                    role=(role or "")[:16],
                    address=(address or "")[:64],
                    action=action,
                    case_digest=case_digest,
                    entries=json.dumps(list(entries)) if entries else None,
                    outcome=(outcome or "")[:32],
                    detail=mask_pii(well_formed(detail or ""))[:500],
                )
            )

    def recent(self, limit: int = 200, before_id: Optional[int] = None) -> List[Dict[str, Any]]:
        query = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
        if before_id is not None:
            query = query.where(audit_log.c.id < before_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            {
                "id": r.id,
                "at": r.at,
                "actor": r.actor,
                "role": r.role,
                "address": r.address,
                "action": r.action,
                "case_digest": r.case_digest,
                "entries": json.loads(r.entries) if r.entries else [],
                "outcome": r.outcome,
                "detail": r.detail,
            }
            for r in rows
        ]

    def purge(self, now: Optional[float] = None) -> int:
        now = time.time() if now is None else now
        self._purged_at = now
        with self.engine.begin() as conn:
            return conn.execute(audit_log.delete().where(audit_log.c.at < now - self.retention_days * DAY)).rowcount
