"""The action's side of the handoff: make a case code, write a review-queue entry. The stores sit in the tracker
store's database, found from the endpoints file (bot.handoff.settings), so this works in the action server or
inside the Rasa process alike. Database calls run in a worker thread: the event loop keeps serving other turns.
A queue write that fails is logged (without any text) and the reply still goes out."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Optional

from bot.handoff.review import Entry
from bot.handoff.stores import stores

logger = logging.getLogger(__name__)


async def open_case(snapshot: Dict[str, Any]) -> Optional[str]:
    """A new case code, or None when the database cannot be written."""
    try:
        return await asyncio.get_running_loop().run_in_executor(None, stores().cases.create, snapshot)
    except Exception as exc:  # the person still gets the hotline
        logger.error("case code not stored: %s", type(exc).__name__)
        return None


async def enqueue(entry: Entry) -> None:
    try:
        await asyncio.get_running_loop().run_in_executor(None, stores().review_queue.add, entry)
    except Exception as exc:
        logger.error("review-queue entry (%s) not stored: %s", entry.reason, type(exc).__name__)
