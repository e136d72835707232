"""A turn whose tracker store or lock store fails is answered "系统繁忙，请稍后再试" and leaves nothing behind, so
sending the message again once the store is back gives exactly one answer, from the whole conversation.

What Rasa 3.6 does by itself: the agent wraps its tracker store in FailSafeTrackerStore, which on an error logs
it and carries on with an empty in-memory tracker — a message arriving while PostgreSQL restarts is answered as
the first message of a new conversation (the city, age and status said before are forgotten), and what it
saves goes to that in-memory copy and is lost. An unreachable Redis lock store raises LockError / redis errors
out of Agent.handle_message; the REST channel then answers `[]`, or, when the failure comes at the save after
the answer was computed, the answer itself although nothing of the turn was stored.

Here:
- the fail-safe wrapper raises StoreUnavailable instead of falling back (for retrieve, save and keys);
- Agent.handle_message turns a store failure into the busy reply: messages collected for the unsaved turn are
  dropped (CollectingOutputChannel: REST, WeChat) and the busy text is sent instead. If the turn *was* saved
  and only releasing the lock failed afterwards (Redis went away in between), its answer is delivered: the
  turn happened, and asking again would repeat it.
Other exceptions pass through unchanged. A store that hangs rather than refuses (no answer at all) holds the
turn until its client gives up: Redis after the lock store's `socket_timeout`, PostgreSQL after
`connect_timeout` when connecting (deploy/endpoints.production.yml sets both). PostgreSQL's pooled connections
are checked before use by the store itself (bot/stores/postgres_tracker_store.py).

Installed by bot.rasa_patches (with every other change to Rasa)."""

from __future__ import annotations

import contextvars
import logging
from typing import Any, Dict, List, Optional, Text

from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import LockError
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import FailSafeTrackerStore

from bot.rasa_patches.busy import BUSY_TEXT

logger = logging.getLogger(__name__)


class StoreUnavailable(Exception):
    """The tracker store could not be read or written."""


def _store_errors() -> tuple:
    errors: List[type] = [StoreUnavailable, LockError, ConnectionError, TimeoutError]
    try:
        import redis.exceptions

        errors.append(redis.exceptions.RedisError)
    except ImportError:  # pragma: no cover - redis comes with rasa
        pass
    try:
        import sqlalchemy.exc

        errors.append(sqlalchemy.exc.SQLAlchemyError)
    except ImportError:  # pragma: no cover
        pass
    return tuple(errors)


STORE_ERRORS = _store_errors()


# ------------------------------------------------------------------ no silent fallback to an in-memory tracker


def raise_unavailable(self: FailSafeTrackerStore, error: Exception) -> None:
    store = type(self._tracker_store).__name__
    raise StoreUnavailable(f"tracker store {store} failed: {type(error).__name__}: {error}") from error


# ------------------------------------------------------------------ a failed turn: the busy reply, nothing else


class _TurnSaveFlag:
    """Set once this turn's tracker is saved: a store error after that leaves the answer delivered."""

    saved = False


_current: "contextvars.ContextVar[Optional[_TurnSaveFlag]]" = contextvars.ContextVar("yanglao_turn", default=None)

_original_save = MessageProcessor.save_tracker
_original_handle = Agent.handle_message


async def save_tracker(self: MessageProcessor, tracker: Any) -> None:
    await _original_save(self, tracker)
    turn = _current.get()
    if turn is not None:
        turn.saved = True


async def handle_message(self: Agent, message: UserMessage) -> Optional[List[Dict[Text, Any]]]:
    turn = _TurnSaveFlag()
    token = _current.set(turn)
    try:
        return await _original_handle(self, message)
    except STORE_ERRORS as exc:
        out = message.output_channel
        if turn.saved:
            logger.warning(
                "store: turn of %s saved, but the lock store failed afterwards (%s): answer delivered",
                message.sender_id,
                type(exc).__name__,
            )
        else:
            logger.error("store: turn of %s not saved (%s): answered busy", message.sender_id, _describe(exc))
            if isinstance(out, CollectingOutputChannel):
                out.messages.clear()
            try:
                await out.send_text_message(message.sender_id, BUSY_TEXT)
            except Exception as send_error:  # the channel itself failed: nothing more to do here
                logger.error("store: busy reply to %s not sent: %s", message.sender_id, type(send_error).__name__)
        return out.messages if isinstance(out, CollectingOutputChannel) else None
    finally:
        _current.reset(token)


def _describe(exc: BaseException) -> str:
    """The error's type and first line, cut short (SQLAlchemy's text goes on with the statement and its data)."""
    first = str(exc).strip().split("\n", 1)[0][:200]
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__
