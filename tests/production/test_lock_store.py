"""The Redis lock store against a real Redis: Rasa's own RedisLockStore can hand the same ticket to two servers
(GET … SET with no transaction); bot.stores.redis_lock_store.AtomicRedisLockStore cannot. The interleaving is forced
deterministically: server B takes its ticket while server A is between reading and writing the lock."""

import asyncio
import time
import uuid

import pytest
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.stores.redis_lock_store import AtomicRedisLockStore


def stores(cls, redis_server):
    return [cls(host="127.0.0.1", port=redis_server.port, db=1, key_prefix="locktest") for _ in range(2)]


def issue_while_the_other_is_between_read_and_write(a, b, conversation):
    """A issues a ticket; inside A's read-modify-write, B issues one completely."""
    original = TicketLock.issue_ticket
    state = {"b": None}

    def interleaved(lock, lifetime):
        if state["b"] is None:
            state["b"] = -1
            state["b"] = b.issue_ticket(conversation)
        return original(lock, lifetime)

    TicketLock.issue_ticket = interleaved
    try:
        ticket_a = a.issue_ticket(conversation)
    finally:
        TicketLock.issue_ticket = original
    return ticket_a, state["b"]


def test_rasas_redis_lock_store_can_give_two_servers_the_same_ticket(redis_server):
    a, b = stores(RedisLockStore, redis_server)
    assert issue_while_the_other_is_between_read_and_write(a, b, uuid.uuid4().hex) == (0, 0)  # the bug


def test_the_atomic_store_gives_each_server_its_own_ticket_in_order(redis_server):
    a, b = stores(AtomicRedisLockStore, redis_server)
    conversation = uuid.uuid4().hex
    ticket_a, ticket_b = issue_while_the_other_is_between_read_and_write(a, b, conversation)
    assert (ticket_b, ticket_a) == (0, 1)  # B wrote first; A read again and queued behind it
    lock = a.get_lock(conversation)
    assert lock.is_locked(1) and not lock.is_locked(0)


def test_the_atomic_store_serialises_turns_and_cleans_up(redis_server):
    a, b = stores(AtomicRedisLockStore, redis_server)
    conversation, order = uuid.uuid4().hex, []

    async def turn(store, name):
        async with store.lock(conversation, wait_time_in_seconds=0.01):
            order.append(f"{name} in")
            await asyncio.sleep(0.05)
            order.append(f"{name} out")

    async def main():
        await asyncio.gather(turn(a, "A"), turn(b, "B"), turn(a, "C"))

    asyncio.run(main())
    assert [order[i].split()[0] for i in range(0, 6, 2)] == [order[i].split()[0] for i in range(1, 6, 2)]
    assert a.get_lock(conversation) is None  # released and deleted


def test_made_from_the_endpoints_file_like_rasas(redis_server):
    from rasa.core.lock_store import LockStore

    config = EndpointConfig(
        url="127.0.0.1",
        type="bot.stores.redis_lock_store.AtomicRedisLockStore",
        port=str(redis_server.port),
        db="1",
        password="",
        key_prefix="yanglao",
        socket_timeout=2,
    )
    store = LockStore.create(config)
    assert isinstance(store, AtomicRedisLockStore) and store.key_prefix == "yanglao:lock:"
    assert store.issue_ticket("x" + uuid.uuid4().hex) == 0


# ------------------------------------------------------------------------------------------------ a crashed holder
# A server killed mid-turn leaves its ticket in Redis until the ticket's lifetime ends. The message sent again
# meanwhile (another server, a later ticket) waits; once the crashed ticket and the waiting one have both expired the
# lock is empty, serves ticket 0, and Rasa's loop waits for its own ticket forever: `make soak` saw a message sent
# again after the kill hang until its client gave up (30 s). Forced here: the crashed ticket lives 0.3 s, the
# waiting one 0.5 s, and the waiter looks again only after 1 s, when both have expired.


def crashed_holder(store, conversation):
    return store.issue_ticket(conversation, lock_lifetime=0.3)  # never released: its server was killed


async def wait_for_the_lock(store, conversation, seconds):
    async def take():
        async with store.lock(conversation, lock_lifetime=0.5, wait_time_in_seconds=1.0) as lock:
            return lock

    return await asyncio.wait_for(take(), seconds)


def test_rasas_lock_store_leaves_a_message_waiting_forever_behind_a_crashed_servers_ticket(redis_server):
    a, b = stores(RedisLockStore, redis_server)
    conversation = uuid.uuid4().hex
    crashed_holder(a, conversation)
    with pytest.raises(asyncio.TimeoutError):  # the bug: still waiting long after both tickets expired
        asyncio.run(wait_for_the_lock(b, conversation, 4.0))


def test_the_atomic_store_serves_the_waiting_message_once_the_crashed_ticket_expires(redis_server):
    a, b = stores(AtomicRedisLockStore, redis_server)
    conversation = uuid.uuid4().hex
    crashed_holder(a, conversation)
    started = time.time()
    lock = asyncio.run(wait_for_the_lock(b, conversation, 4.0))
    assert lock is not None and time.time() - started < 2.5  # at its first look after the crashed ticket expired
    assert a.get_lock(conversation) is None  # released and deleted as usual


def test_the_atomic_store_gives_up_with_a_lock_error_when_its_ticket_is_gone(redis_server):
    """Redis restarted (empty) while the message waited, and another server's message took the lock since: the
    waiting message is answered busy (LockError, bot/rasa_patches/store_guard.py) instead of waiting behind it."""
    a, b = stores(AtomicRedisLockStore, redis_server)
    conversation = uuid.uuid4().hex

    async def main():
        a.issue_ticket(conversation, lock_lifetime=30)
        waiting = asyncio.create_task(wait_for_the_lock(b, conversation, 4.0))
        await asyncio.sleep(0.2)
        a.red.delete(a.key_prefix + conversation)  # Redis emptied …
        a.issue_ticket(conversation, lock_lifetime=30)  # … and a new message took ticket 0 on another server
        return await waiting

    with pytest.raises(LockError):
        asyncio.run(main())
