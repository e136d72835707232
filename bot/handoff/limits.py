"""Counted tries (wrong case codes, wrong passwords and tokens) per bucket, in the database, atomically.

A try is taken before the work it limits and given back when it turned out right, so requests arriving at the
same instant, in one process or several, are counted one by one: each take is one UPDATE that only succeeds
while the bucket has tries left in its window (SQLite serialises writers; PostgreSQL re-checks the WHERE of an
UPDATE on the row it waited for). Windows are fixed: a bucket's window starts at its first try after the last
window ended.
"""

from __future__ import annotations

import time
from typing import List, Optional, Sequence, Tuple

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from bot.handoff.db import rate_limits

MAX_BUCKET = 100


class Blocked(Exception):
    """A bucket has used up its tries (429)."""

    def __init__(self, retry_after: float = 0):
        super().__init__("too many tries")
        self.retry_after = retry_after


class Limiter:
    def __init__(self, engine: Engine):
        self.engine = engine
        insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        self._insert = insert(rate_limits).on_conflict_do_nothing(index_elements=["bucket"])

    def take(self, bucket: str, limit: int, window: float, now: Optional[float] = None) -> bool:
        """One try from `bucket`; False (and nothing counted) when it has none left in its window."""
        now = time.time() if now is None else now
        bucket = bucket[:MAX_BUCKET]
        t = rate_limits.c
        expired = t.window_start <= now - window
        with self.engine.begin() as conn:
            conn.execute(self._insert.values(bucket=bucket, window_start=now, hits=0))
            done = conn.execute(
                rate_limits.update()
                .where(t.bucket == bucket, sa.or_(expired, t.hits < limit))
                .values(
                    hits=sa.case((expired, 1), else_=t.hits + 1),
                    window_start=sa.case((expired, now), else_=t.window_start),
                )
            )
            return done.rowcount == 1

    def give_back(self, bucket: str) -> None:
        t = rate_limits.c
        with self.engine.begin() as conn:
            conn.execute(
                rate_limits.update().where(t.bucket == bucket[:MAX_BUCKET], t.hits > 0).values(hits=t.hits - 1)
            )

    def take_all(self, limits: Sequence[Tuple[str, int]], window: float, now: Optional[float] = None) -> None:
        """One try from each bucket, or none: raises Blocked (giving back what it took) when one has none left."""
        taken: List[str] = []
        for bucket, limit in limits:
            if not self.take(bucket, limit, window, now):
                for done in taken:
                    self.give_back(done)
                raise Blocked(window)
            taken.append(bucket)

    def give_back_all(self, buckets: Sequence[str]) -> None:
        for bucket in buckets:
            self.give_back(bucket)

    def purge(self, window: float, now: Optional[float] = None) -> None:
        """Forget buckets whose window ended (a window is at most `window` long)."""
        now = time.time() if now is None else now
        with self.engine.begin() as conn:
            conn.execute(rate_limits.delete().where(rate_limits.c.window_start <= now - window))
