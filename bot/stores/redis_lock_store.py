"""Rasa's Redis lock store with every change to a conversation's ticket lock made atomically.

Rasa 3.6's RedisLockStore changes a lock by GET, change in Python, SET: two servers that receive a message of the
same conversation within the same fraction of a millisecond both read "no lock", both write a lock holding ticket
0, and both process their message at once — the turns interleave in the tracker store (tests/production shows it
with two servers and a barrier). Releasing has the same gap: a ticket issued between a server's "is anyone
waiting?" and its DELETE is deleted with the lock, and that message fails with LockError.

Here issuing a ticket, expiring old ones and releasing one each run as a Redis optimistic transaction
(WATCH the lock's key, read, change, MULTI/SET or DEL/EXEC, again if another server wrote in between), on the same
keys and JSON as Rasa's, with the same settings (host in `url`, port, db, password, key_prefix, socket_timeout…).

Waiting differs in one respect. In Rasa's loop the waiting message's own ticket expires too: a server killed
mid-turn leaves its ticket until its lifetime ends, and once that ticket and the waiting one have both expired the
lock is empty, "serves" ticket 0, and the message waits forever (`make soak` found it: a message sent again after a
server was killed hung until its client gave up). Here each look at the lock renews the waiting ticket first (its
message is alive; only a crashed server's ticket should expire), so the message is served as soon as the crashed
ticket expires; if the ticket is gone from Redis altogether (Redis restarted empty) the wait ends in LockError, which
is answered 系统繁忙 (bot/rasa_patches/store_guard.py), not in a hang.

    lock_store:
      type: bot.stores.redis_lock_store.AtomicRedisLockStore
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any, Callable, Optional, Text, Tuple, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

T = TypeVar("T")


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        if endpoint_config is not None:  # created by Rasa from the endpoints file
            kwargs = dict(endpoint_config.kwargs, **kwargs)
            kwargs.setdefault("host", endpoint_config.url or "localhost")
        super().__init__(**kwargs)

    def _atomically(
        self, conversation_id: Text, change: Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], T]]
    ) -> T:
        """Apply `change` (old lock or None → new lock or None to delete it, result) with no other writer in
        between."""
        import redis

        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    new, result = change(lock)
                    pipe.multi()
                    if new is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another server changed the lock: read it again

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def change(lock: Optional[TicketLock]) -> Tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._atomically(conversation_id, change)
        except Exception as e:
            raise LockError(f"Error while acquiring lock. Error:\n{e}")

    def update_lock(self, conversation_id: Text) -> None:
        def change(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._atomically(conversation_id, change)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        def change(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._atomically(conversation_id, change)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Release `ticket_number`, and delete the lock in the same step if no one else holds a ticket."""

        def change(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._atomically(conversation_id, change)

    async def _acquire_lock(self, conversation_id: Text, ticket: int, wait_time_in_seconds: float) -> TicketLock:
        """Rasa's loop (LockStore._acquire_lock), the waiting ticket renewed at each look (module docstring)."""
        while True:
            lock = self.get_lock(conversation_id)
            if not lock:
                break
            if not lock.is_locked(ticket):
                return lock
            await asyncio.sleep(wait_time_in_seconds)
            if not self.renew_ticket(conversation_id, ticket):
                break
        raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")

    def renew_ticket(self, conversation_id: Text, ticket_number: int, lifetime: float = LOCK_LIFETIME) -> bool:
        """Extend a waiting ticket to `lifetime` from now, then drop expired tickets (Rasa's update_lock); False if
        the ticket is no longer there."""

        def change(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], bool]:
            if lock is None:
                return None, False
            mine = next((t for t in lock.tickets if t.number == ticket_number), None)  # expired or not
            if mine is not None:
                mine.expires = max(mine.expires, time.time() + lifetime)
            lock.remove_expired_tickets()
            return lock, mine is not None

        return self._atomically(conversation_id, change)
