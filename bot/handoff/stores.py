"""This process's case store and review queue, on the database of the endpoints file in use (settings.py).
Keyed by $YANGLAO_ENDPOINTS, so a test can point a process elsewhere."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from bot.handoff.cases import CaseStore
from bot.handoff.db import engine_for
from bot.handoff.review import ReviewQueue
from bot.handoff.settings import database_url, settings


@dataclass(frozen=True)
class HandoffStores:
    cases: CaseStore
    review_queue: ReviewQueue


@lru_cache(maxsize=4)
def _stores(endpoints: Optional[str]) -> HandoffStores:
    engine = engine_for(database_url())
    return HandoffStores(CaseStore(engine, settings()), ReviewQueue(engine, settings()))


def stores() -> HandoffStores:
    return _stores(os.environ.get("YANGLAO_ENDPOINTS"))
