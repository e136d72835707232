"""One turn per message, however often WeChat retries it, and one delivery of its answer: the passive reply if the
answer is there within `reply_timeout`, else customer-service messages.

WeChat resends a message it got no answer to (three times, 5 s apart, same MsgId). One interface, two
implementations, chosen once by the channel (`make_turns`):
- InProcessTurns: one server; what each message started is remembered in this process.
- RedisTurns: several servers of one AppID; the first to claim a message in Redis runs its turn and publishes the
  answer, a retry on any server reads it. While Redis cannot be reached, messages are deduplicated in this process
  only (InProcessTurns), and a turn this process started is still delivered from here.
"""

from __future__ import annotations

import abc
import asyncio
import collections
import dataclasses
import logging
import os
import time
from typing import Any, Awaitable, Callable, Coroutine, Dict, List, Optional, Set

from bot.channels.wechat.api import CustomerService
from bot.channels.wechat.protocol import DEDUPE_MAX_ENTRIES, DEDUPE_SECONDS, Incoming, follow_up_parts, plan_reply
from bot.channels.wechat.settings import WeChatSettings
from bot.channels.wechat.shared import OWNED_GRACE_SECONDS, REDIS_POLL_SECONDS, SharedState

logger = logging.getLogger(__name__)

TURN_GIVE_UP_SECONDS = 300.0  # a turn still running after this is not delivered any more

RunTurn = Callable[[Incoming], Coroutine[Any, Any, str]]  # runs the message through Rasa, answers the reply's text


@dataclasses.dataclass
class _TurnAndDelivery:
    """The turn one message started in this process, and how its answer goes out (decided once)."""

    task: "asyncio.Task[str]"
    started: float
    delivery: Optional[str] = None  # None until claimed: "passive" or "later"
    passive: Optional[str] = None  # the passive reply, resent unchanged to a retry


class Turns(abc.ABC):
    """Starts at most one turn per message and decides once how its answer goes out."""

    def __init__(self, settings: WeChatSettings, customer_service: CustomerService):
        self.settings, self.customer_service = settings, customer_service
        self._background: Set[asyncio.Task] = set()

    @abc.abstractmethod
    async def reply(self, incoming: Incoming, started: float, run: RunTurn) -> Optional[str]:
        """The passive reply's text, or None to answer `success` (the answer follows as messages, or another
        request of the same message delivers it). `started`: the loop time the request arrived."""

    async def close(self) -> None:
        """Release what the implementation holds (connections)."""

    def spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def send_parts_later(self, openid: str, parts: List[str]) -> None:
        await asyncio.sleep(self.settings.followup_delay)  # let the passive first part arrive first
        await self.customer_service.send_parts(openid, parts, f"answer to {openid}")


class InProcessTurns(Turns):
    def __init__(self, settings: WeChatSettings, customer_service: CustomerService):
        super().__init__(settings, customer_service)
        self._turns: "collections.OrderedDict[str, _TurnAndDelivery]" = collections.OrderedDict()

    async def reply(self, incoming: Incoming, started: float, run: RunTurn) -> Optional[str]:
        loop = asyncio.get_running_loop()
        turn = self._turns.get(incoming.dedupe_key)
        if turn is None:
            self._forget_old(loop.time())
            turn = self._turns[incoming.dedupe_key] = _TurnAndDelivery(
                task=loop.create_task(run(incoming)), started=loop.time()
            )
        else:
            logger.info("wechat: retry of message %s from %s: no new turn", incoming.dedupe_key, incoming.openid)
        return await self._deliver(turn, incoming, started)

    async def deliver_task(self, incoming: Incoming, started: float, task: "asyncio.Task[str]") -> Optional[str]:
        """Deliver a turn started elsewhere (RedisTurns, once Redis failed) as if this process had started it."""
        loop = asyncio.get_running_loop()
        turn = self._turns.get(incoming.dedupe_key)
        if turn is None:
            turn = self._turns[incoming.dedupe_key] = _TurnAndDelivery(task=task, started=loop.time())
        return await self._deliver(turn, incoming, started)

    async def _deliver(self, turn: _TurnAndDelivery, incoming: Incoming, started: float) -> Optional[str]:
        loop = asyncio.get_running_loop()
        if turn.delivery is None and not turn.task.done():
            try:
                await asyncio.wait_for(
                    asyncio.shield(turn.task), max(0.0, started + self.settings.reply_timeout - loop.time())
                )
            except asyncio.TimeoutError:
                pass
            except asyncio.CancelledError:  # the caller went away: the answer goes out as messages
                self._claim(turn, incoming.openid, passive_possible=False)
                raise
        self._claim(turn, incoming.openid, passive_possible=True)
        return turn.passive if turn.delivery == "passive" else None

    def _claim(self, turn: _TurnAndDelivery, openid: str, passive_possible: bool) -> None:
        """Decide once per message how its answer goes out: passive now, or customer-service messages."""
        if turn.delivery is not None:
            return
        if passive_possible and turn.task.done():
            passive, rest = plan_reply(turn.task.result())
            turn.delivery, turn.passive = "passive", passive
            if rest:
                self.spawn(self.send_parts_later(openid, rest))
        else:
            turn.delivery = "later"
            self.spawn(self._send_when_done(turn, openid))

    async def _send_when_done(self, turn: _TurnAndDelivery, openid: str) -> None:
        try:
            text = await asyncio.wait_for(asyncio.shield(turn.task), TURN_GIVE_UP_SECONDS)
        except asyncio.TimeoutError:
            logger.error("wechat: turn for %s still running after %.0f s: not delivered", openid, TURN_GIVE_UP_SECONDS)
            return
        await self.customer_service.send_parts(openid, follow_up_parts(text), f"answer to {openid}")

    def _forget_old(self, now: float) -> None:
        """Drop remembered messages past the retry window (oldest first), and any beyond the size cap."""
        while self._turns:
            key, turn = next(iter(self._turns.items()))
            expired = now - turn.started > DEDUPE_SECONDS and turn.task.done()
            if not expired and len(self._turns) < DEDUPE_MAX_ENTRIES:
                break
            del self._turns[key]


class RedisTurns(Turns):
    def __init__(self, settings: WeChatSettings, customer_service: CustomerService, shared: SharedState):
        super().__init__(settings, customer_service)
        self.shared = shared
        self.local = InProcessTurns(settings, customer_service)  # while Redis cannot be reached
        self._owned: Dict[str, "asyncio.Task[str]"] = {}  # turns this process runs, by dedupe key
        self._instance = f"{os.getpid()}:{id(self):x}"

    async def close(self) -> None:
        await self.shared.close()

    async def reply(self, incoming: Incoming, started: float, run: RunTurn) -> Optional[str]:
        shared, key, openid = self.shared, incoming.dedupe_key, incoming.openid
        loop = asyncio.get_running_loop()
        try:
            first = key not in self._owned and await shared.claim_turn(key, self._instance)
        except shared.errors as exc:
            logger.error(
                "wechat: Redis unreachable (%s): message %s deduplicated in this process only", type(exc).__name__, key
            )
            return await self.local.reply(incoming, started, run)
        if first:
            task = loop.create_task(run(incoming))
            self._owned[key] = task
            self.spawn(self._publish(key, task))
        else:
            logger.info("wechat: retry of message %s from %s: no new turn", key, openid)
        try:
            return await self._delivery(incoming, started)
        except shared.errors as exc:
            if key in self._owned:  # our own turn: deliver it as the in-process mode would
                logger.error(
                    "wechat: Redis failed during message %s (%s): answered from this process", key, type(exc).__name__
                )
                return await self.local.deliver_task(incoming, started, self._owned[key])
            logger.error(
                "wechat: Redis failed during a retry of message %s (%s): its first server answers it",
                key,
                type(exc).__name__,
            )
            return None

    async def _delivery(self, incoming: Incoming, started: float) -> Optional[str]:
        """Wait (until reply_timeout) for the answer or another request's decision, then decide: passive if
        the answer is there, else customer-service messages."""
        shared, key, openid = self.shared, incoming.dedupe_key, incoming.openid
        loop = asyncio.get_running_loop()
        deadline = started + self.settings.reply_timeout
        try:
            while True:
                decided = await shared.delivery(key)
                if decided is not None:
                    return decided.get("passive") if decided.get("delivery") == "passive" else None
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                answer = await self._answer_if_ready(key)
                if answer is not None:
                    passive, rest = plan_reply(answer)
                    if await shared.claim_delivery(key, {"delivery": "passive", "passive": passive}):
                        if rest:
                            self.spawn(self.send_parts_later(openid, rest))
                        return passive
                    continue  # another request decided first: read its decision
                await self._wait_for_answer(key, min(remaining, REDIS_POLL_SECONDS))
        except asyncio.CancelledError:  # the caller went away: the answer goes out as messages
            self.spawn(self._claim_later(key, openid, quiet=True))
            raise
        if await self._claim_later(key, openid):
            return None
        decided = await shared.delivery(key) or {}
        return decided.get("passive") if decided.get("delivery") == "passive" else None

    async def _answer_if_ready(self, key: str) -> Optional[str]:
        task = self._owned.get(key)
        if task is not None:
            return task.result() if task.done() else None
        return await self.shared.result(key)

    async def _wait_for_answer(self, key: str, seconds: float) -> None:
        task = self._owned.get(key)
        if task is not None and not task.done():
            await asyncio.wait({task}, timeout=seconds)  # our own turn: no need to poll Redis
        else:
            await asyncio.sleep(seconds)

    async def _claim_later(self, key: str, openid: str, quiet: bool = False) -> bool:
        """Claim delivery by customer-service messages; the claimer sends them once the answer is there."""
        try:
            if not await self.shared.claim_delivery(key, {"delivery": "later"}):
                return False
        except self.shared.errors:
            if not quiet:
                raise
            logger.error("wechat: Redis unreachable: delivery of %s not claimed", key)
            return False
        self.spawn(self._send_when_answered(key, openid))
        return True

    async def _send_when_answered(self, key: str, openid: str) -> None:
        give_up = time.monotonic() + TURN_GIVE_UP_SECONDS
        answer = None
        while answer is None and time.monotonic() < give_up:
            task = self._owned.get(key)
            if task is not None:
                try:
                    answer = await asyncio.wait_for(asyncio.shield(task), max(0.0, give_up - time.monotonic()))
                except asyncio.TimeoutError:
                    break
            else:
                try:
                    answer = await self.shared.result(key)
                except self.shared.errors as exc:
                    logger.error("wechat: Redis failed while waiting for the answer to %s: %s", key, type(exc).__name__)
                if answer is None:
                    await asyncio.sleep(min(1.0, 10 * REDIS_POLL_SECONDS))
        if answer is None:
            logger.error("wechat: answer to %s not there after %.0f s: not delivered", key, TURN_GIVE_UP_SECONDS)
            return
        await self.customer_service.send_parts(openid, follow_up_parts(answer), f"answer to {openid}")

    async def _publish(self, key: str, task: "asyncio.Task[str]") -> None:
        """Put our turn's answer where every server sees it; forget the task after the retry window."""
        try:
            answer = await asyncio.wait_for(asyncio.shield(task), TURN_GIVE_UP_SECONDS)
            await self.shared.publish_result(key, answer)
        except Exception as exc:  # Redis down: retries elsewhere cannot see it, ours still can
            logger.error("wechat: answer to %s not published (%s)", key, type(exc).__name__)
        await asyncio.sleep(OWNED_GRACE_SECONDS)  # then retries read the answer from Redis
        self._owned.pop(key, None)


def make_turns(settings: WeChatSettings, customer_service: CustomerService, shared: Optional[SharedState]) -> Turns:
    return (
        RedisTurns(settings, customer_service, shared)
        if shared is not None
        else InProcessTurns(settings, customer_service)
    )
