"""The review queue: turns the assistant did not understand, answered out of scope or with a low intent
confidence, negative feedback, and handoffs. Reviewers count them, read them, mark them resolved with a note and
export them as NLU training data (export.py).

Everything is masked on the way in (the channels mask already; this is the last gate), no sender id is stored,
and entries older than `retention_days` are deleted (checked at most once an hour per process when writing, and
whenever the review page is read).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Optional, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.handoff.db import review
from bot.handoff.settings import HandoffSettings
from bot.privacy import mask_pii, well_formed

REASONS = ("not_understood", "out_of_scope", "low_confidence", "feedback", "handoff")
CHINA = timezone(timedelta(hours=8))  # days are counted as the people and reviewers live them
MAX_TEXT = 2000
PURGE_EVERY = 3600.0


@dataclass(frozen=True)
class Entry:
    channel: str
    reason: str
    text: str
    intent: str = ""
    confidence: Optional[float] = None
    city: Optional[str] = None
    item: Optional[str] = None
    reply: str = ""
    detail: str = ""


def _masked(text: Optional[str]) -> str:
    text = mask_pii(well_formed(text or ""))
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"


def day_of(at: float) -> str:
    return datetime.fromtimestamp(at, CHINA).strftime("%Y-%m-%d")


def topic_of(city: Optional[str], item: Optional[str]) -> str:
    return " · ".join(x for x in (city, item) if x) or "（未知）"


class ReviewQueue:
    def __init__(self, engine: Engine, settings: HandoffSettings):
        self.engine = engine
        self.settings = settings
        self._purged_at = 0.0

    def add(self, entry: Entry, now: Optional[float] = None) -> int:
        if entry.reason not in REASONS:
            raise ValueError(f"unknown review reason {entry.reason!r}")
        now = time.time() if now is None else now
        if now - self._purged_at >= PURGE_EVERY:
            self.purge(now)
        row = asdict(entry)
        row.update(
            text=_masked(entry.text),
            reply=_masked(entry.reply),
            detail=_masked(entry.detail),
            channel=entry.channel[:16],
            intent=(entry.intent or "")[:64],
            item=(entry.item or None) and entry.item[:64],
            at=now,
        )
        with self.engine.begin() as conn:
            return int(conn.execute(review.insert().values(**row)).inserted_primary_key[0])

    def purge(self, now: Optional[float] = None) -> int:
        """Delete entries older than the retention; how many."""
        now = time.time() if now is None else now
        self._purged_at = now
        with self.engine.begin() as conn:
            return (
                conn.execute(review.delete().where(review.c.at < now - self.settings.retention_days * 86400)).rowcount
                or 0
            )

    def entries(
        self, status: str = "open", limit: int = 200, ids: Optional[Sequence[int]] = None
    ) -> List[Dict[str, Any]]:
        """Newest first. status: open, resolved or all."""
        query = sa.select(review).order_by(review.c.at.desc(), review.c.id.desc()).limit(limit)
        if status == "open":
            query = query.where(review.c.resolved.is_(False))
        elif status == "resolved":
            query = query.where(review.c.resolved.is_(True))
        elif status != "all":
            raise ValueError("status must be open, resolved or all")
        if ids is not None:
            query = query.where(review.c.id.in_(list(ids)))
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [dict(r, day=day_of(r["at"]), topic=topic_of(r["city"], r["item"])) for r in rows]

    def counts(self) -> Dict[str, Any]:
        """Entries by day, channel, topic and reason; open and resolved."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(
                    review.c.at, review.c.channel, review.c.city, review.c.item, review.c.reason, review.c.resolved
                )
            ).all()
        return {
            "by_day": dict(sorted(Counter(day_of(r.at) for r in rows).items(), reverse=True)),
            "by_channel": dict(Counter(r.channel for r in rows).most_common()),
            "by_topic": dict(Counter(topic_of(r.city, r.item) for r in rows).most_common()),
            "by_reason": dict(Counter(r.reason for r in rows).most_common()),
            "open": sum(1 for r in rows if not r.resolved),
            "resolved": sum(1 for r in rows if r.resolved),
        }

    def resolve(self, entry_id: int, note: str, now: Optional[float] = None) -> bool:
        """Mark an entry resolved with the reviewer's note (masked too); False when there is no such entry."""
        now = time.time() if now is None else now
        with self.engine.begin() as conn:
            done = conn.execute(
                review.update()
                .where(review.c.id == entry_id)
                .values(resolved=True, note=_masked(note)[:1000], resolved_at=now)
            ).rowcount
        return bool(done)
