"""Several server processes: the message claims, answers, delivery decisions and the access token shared
through Redis, so that a retry landing on another server starts no second turn."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import time
from typing import Any, Callable, Dict, Optional, Tuple, Type

import aiohttp

from bot.channels.wechat.api import (
    ACCESS_TOKENS,
    HTTP_TIMEOUT_SECONDS,
    AccessTokens,
    WeChatAPIError,
    fetch_access_token,
    refresh_after,
)
from bot.channels.wechat.protocol import DEDUPE_SECONDS

logger = logging.getLogger(__name__)

REDIS_TIMEOUT_SECONDS = 2.0  # a Redis that does not answer within this is treated as unreachable
REDIS_POLL_SECONDS = 0.05  # how often a request waiting for another server's answer looks again
TOKEN_FETCH_LOCK_SECONDS = HTTP_TIMEOUT_SECONDS + 5
OWNED_GRACE_SECONDS = 60.0  # a finished turn stays in the process this long after its answer is published


def _redis_errors() -> Tuple[Type[BaseException], ...]:
    import redis.exceptions  # redis.asyncio wraps refused connections and timeouts in these

    return (redis.exceptions.RedisError,)


class SharedState:
    """What the server processes of one AppID share through Redis (see the module docstring): per message the
    turn's owner, its answer and how it is delivered; the access token and who is fetching it."""

    # delete KEYS[1] only while it still holds ARGV[1]
    _DELETE_IF = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"

    def __init__(self, url: str, app_id: str, prefix: str = "yanglao:wechat"):
        import redis.asyncio

        self.client = redis.asyncio.Redis.from_url(
            url,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            decode_responses=True,
        )
        self.prefix = f"{prefix}:{app_id}"
        self.errors = _redis_errors()

    def key(self, kind: str, name: str) -> str:
        return f"{self.prefix}:{kind}:{name}"

    async def claim_turn(self, dedupe_key: str, owner: str) -> bool:
        """True for the first server to see this message: it runs the turn."""
        return bool(await self.client.set(self.key("turn", dedupe_key), owner, nx=True, ex=int(DEDUPE_SECONDS)))

    async def publish_result(self, dedupe_key: str, text: str) -> None:
        await self.client.set(self.key("result", dedupe_key), text, ex=int(DEDUPE_SECONDS))

    async def result(self, dedupe_key: str) -> Optional[str]:
        return await self.client.get(self.key("result", dedupe_key))

    async def claim_delivery(self, dedupe_key: str, decision: Dict[str, Any]) -> bool:
        """Decide once, across servers, how a message's answer goes out ({"delivery": "passive", "passive": …}
        or {"delivery": "later"})."""
        return bool(
            await self.client.set(
                self.key("delivery", dedupe_key),
                json.dumps(decision, ensure_ascii=False),
                nx=True,
                ex=int(DEDUPE_SECONDS),
            )
        )

    async def delivery(self, dedupe_key: str) -> Optional[Dict[str, Any]]:
        raw = await self.client.get(self.key("delivery", dedupe_key))
        return json.loads(raw) if raw else None

    async def delete_if(self, key: str, value: str) -> None:
        await self.client.eval(self._DELETE_IF, 1, key, value)

    async def close(self) -> None:
        await self.client.close()


class SharedAccessTokens:
    """The access-token cache in Redis, for every server of the AppID: each fetch of a token makes WeChat retire
    the previous one, so servers fetching their own would keep invalidating each other's. One fetch at a time
    across servers (a SET NX lock with a TTL); the others wait for its token. Falls back to the in-process
    cache `fallback` while Redis cannot be reached."""

    def __init__(
        self, shared: SharedState, fallback: AccessTokens = ACCESS_TOKENS, clock: Callable[[], float] = time.time
    ):
        self.shared, self.fallback, self._clock = shared, fallback, clock
        self._locks: Dict[Tuple[str, str], asyncio.Lock] = {}
        self.fetches = 0

    def _key(self, api_base: str) -> str:
        return self.shared.key("token", hashlib.sha1(api_base.encode("utf-8")).hexdigest()[:12])

    async def _cached(self, key: str) -> Optional[str]:
        raw = await self.shared.client.get(key)
        if not raw:
            return None
        cached = json.loads(raw)
        return cached["token"] if self._clock() < float(cached["refresh_at"]) else None

    async def get(self, session: aiohttp.ClientSession, api_base: str, app_id: str, secret: str) -> str:
        try:
            async with self._locks.setdefault((api_base, app_id), asyncio.Lock()):
                return await self._get(session, api_base, app_id, secret)
        except self.shared.errors as exc:
            logger.error(
                "wechat: Redis unreachable for the access token (%s): using this process's cache", type(exc).__name__
            )
            return await self.fallback.get(session, api_base, app_id, secret)

    async def _get(self, session: aiohttp.ClientSession, api_base: str, app_id: str, secret: str) -> str:
        key = self._key(api_base)
        fetch_lock = key + ":fetching"
        give_up = time.monotonic() + TOKEN_FETCH_LOCK_SECONDS
        while True:
            token = await self._cached(key)
            if token:
                return token
            me = f"{os.getpid()}:{id(self)}:{time.monotonic()}"
            if await self.shared.client.set(fetch_lock, me, nx=True, ex=int(TOKEN_FETCH_LOCK_SECONDS)):
                try:
                    token = await self._cached(key)  # stored by another server just before we got the lock
                    if token:
                        return token
                    token, expires_in = await fetch_access_token(session, api_base, app_id, secret)
                    self.fetches += 1
                    await self.shared.client.set(
                        key,
                        json.dumps({"token": token, "refresh_at": self._clock() + refresh_after(expires_in)}),
                        ex=max(1, int(expires_in)),
                    )
                    return token
                finally:
                    await self.shared.delete_if(fetch_lock, me)
            if time.monotonic() > give_up:
                raise WeChatAPIError("token", "another server has been fetching the access token too long")
            await asyncio.sleep(REDIS_POLL_SECONDS)

    async def invalidate(self, api_base: str, app_id: str, token: str) -> None:
        """Forget `token` (WeChat refused it) unless another server has already stored a newer one."""
        self.fallback.forget(api_base, app_id, token)
        key = self._key(api_base)
        try:
            raw = await self.shared.client.get(key)
            if raw and json.loads(raw).get("token") == token:
                await self.shared.delete_if(key, raw)
        except self.shared.errors as exc:
            logger.error("wechat: Redis unreachable to drop a refused access token (%s)", type(exc).__name__)
