"""Case codes and what they open: a masked snapshot of a conversation, for the operator who takes the call.

A code is stored only as its hash; a case lives `code_days` and is deleted when it expires (every create and
lookup deletes what has expired). Wrong codes are counted per bucket (the operator's session or bearer token, the
client address) in the database, a try taken before each lookup (limits.py), so the limit holds across server
processes and for requests arriving at once.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Dict, Optional, Sequence, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.handoff import codes
from bot.handoff.db import cases
from bot.handoff.limits import Limiter
from bot.handoff.settings import HandoffSettings

DAY = 86400.0


@dataclass(frozen=True)
class Case:
    snapshot: Dict[str, Any]
    created_at: float
    expires_at: float


class CaseStore:
    def __init__(self, engine: Engine, settings: HandoffSettings):
        self.engine = engine
        self.settings = settings
        self.limiter = Limiter(engine)

    def create(self, snapshot: Dict[str, Any], now: Optional[float] = None) -> str:
        """A new code for `snapshot` (already masked, see transcript.py); returns the code itself."""
        now = time.time() if now is None else now
        body = json.dumps(snapshot, ensure_ascii=False)
        self.purge(now)
        for _ in range(5):  # a collision at 49 bits is not expected; retrying costs nothing
            code = codes.new_code()
            try:
                with self.engine.begin() as conn:
                    conn.execute(
                        cases.insert().values(
                            digest=codes.digest(code),
                            created_at=now,
                            expires_at=now + self.settings.code_days * DAY,
                            snapshot=body,
                        )
                    )
                return code
            except sa.exc.IntegrityError:
                continue
        raise RuntimeError("could not store a new case code")

    def lookup(self, typed: str, now: Optional[float] = None) -> Optional[Case]:
        """The case for a typed code, or None (malformed, unknown or expired; an expired one is deleted)."""
        now = time.time() if now is None else now
        code = codes.normalise(typed)
        if code is None:
            return None
        with self.engine.begin() as conn:
            row = conn.execute(
                sa.select(cases.c.snapshot, cases.c.created_at, cases.c.expires_at).where(
                    cases.c.digest == codes.digest(code)
                )
            ).first()
            if row is not None and row.expires_at <= now:
                conn.execute(cases.delete().where(cases.c.digest == codes.digest(code)))
                row = None
        return Case(json.loads(row.snapshot), row.created_at, row.expires_at) if row is not None else None

    def try_code(self, typed: str, buckets: Sequence[str], now: Optional[float] = None) -> Optional[Case]:
        """lookup() as a counted try of every bucket: raises limits.Blocked when one has used up its wrong codes
        (a right code too); a right code gives its tries back."""
        limits = self._limits(buckets)
        self.limiter.take_all(limits, self._window(), now)
        case = self.lookup(typed, now)
        if case is not None:
            self.limiter.give_back_all([b for b, _ in limits])
        return case

    def purge(self, now: Optional[float] = None) -> int:
        """Delete expired cases and counted tries whose window has ended; the number of cases deleted."""
        now = time.time() if now is None else now
        with self.engine.begin() as conn:
            gone = conn.execute(cases.delete().where(cases.c.expires_at <= now)).rowcount
        self.limiter.purge(self._window(), now)
        return gone or 0

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(cases)).scalar_one()

    # -- wrong-code limits

    def _window(self) -> float:
        return self.settings.lookup_window_minutes * 60

    def _limits(self, buckets: Sequence[str]) -> Sequence[Tuple[str, int]]:
        return [
            (b, self.settings.lookup_limit_per_ip if b.startswith("ip:") else self.settings.lookup_limit)
            for b in buckets
        ]
