"""WeChat's HTTP API: access tokens (cached, refreshed before they expire) and customer-service messages."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import time
from typing import Any, Callable, Dict, List, Optional, Protocol, Tuple

import aiohttp

from bot.channels.wechat.settings import WeChatSettings

logger = logging.getLogger(__name__)

HTTP_TIMEOUT_SECONDS = 10.0
TOKEN_ERRORS = {40001, 40014, 42001}  # invalid / malformed / expired access token: fetch a new one, once


class WeChatAPIError(Exception):
    def __init__(self, errcode: Any, errmsg: Any):
        super().__init__(f"WeChat API error {errcode}: {errmsg}")
        self.errcode = errcode


class TokenCache(Protocol):
    """Where access tokens are kept: this process (AccessTokens) or Redis for every server (SharedAccessTokens)."""

    async def get(self, session: aiohttp.ClientSession, api_base: str, app_id: str, secret: str) -> str:
        """A valid access token, fetched from WeChat when none is cached or it is about to expire."""

    async def invalidate(self, api_base: str, app_id: str, token: str) -> None:
        """Forget `token` (WeChat refused it), unless a newer one is already cached."""


@dataclasses.dataclass
class _Token:
    value: str
    refresh_at: float


class AccessTokens:
    """Access tokens cached per (API base, AppID), fetched again before they expire (10% of `expires_in`,
    at most 5 minutes, ahead) or when WeChat says a token is invalid. One fetch at a time per AppID."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._tokens: Dict[Tuple[str, str], _Token] = {}
        self._locks: Dict[Tuple[str, str], asyncio.Lock] = {}
        self._clock = clock
        self.fetches = 0

    async def get(self, session: aiohttp.ClientSession, api_base: str, app_id: str, secret: str) -> str:
        key = (api_base, app_id)
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            cached = self._tokens.get(key)
            if cached and self._clock() < cached.refresh_at:
                return cached.value
            token, expires_in = await fetch_access_token(session, api_base, app_id, secret)
            self.fetches += 1
            self._tokens[key] = _Token(token, self._clock() + refresh_after(expires_in))
            return token

    async def invalidate(self, api_base: str, app_id: str, token: str) -> None:
        self.forget(api_base, app_id, token)

    def forget(self, api_base: str, app_id: str, token: str) -> None:
        cached = self._tokens.get((api_base, app_id))
        if cached and cached.value == token:
            del self._tokens[(api_base, app_id)]


async def fetch_access_token(
    session: aiohttp.ClientSession, api_base: str, app_id: str, secret: str
) -> Tuple[str, float]:
    """GET /cgi-bin/token: (access token, expires_in seconds)."""
    params = {"grant_type": "client_credential", "appid": app_id, "secret": secret}
    async with session.get(f"{api_base}/cgi-bin/token", params=params) as r:
        if r.status != 200:
            raise WeChatAPIError(f"HTTP {r.status}", "token request failed")
        data = await r.json(content_type=None)
    if not isinstance(data, dict) or not data.get("access_token"):
        errcode = data.get("errcode") if isinstance(data, dict) else None
        errmsg = data.get("errmsg") if isinstance(data, dict) else "no access_token"
        raise WeChatAPIError(errcode, errmsg)
    return str(data["access_token"]), float(data.get("expires_in") or 7200)


def refresh_after(expires_in: float) -> float:
    """Seconds until a token is fetched again: 10% of its lifetime, at most 5 minutes, before it expires."""
    return expires_in - min(300.0, expires_in / 10)


ACCESS_TOKENS = AccessTokens()  # shared by every channel instance of this process


class CustomerService:
    """Sends text through the customer-service API (客服消息), POST /cgi-bin/message/custom/send."""

    def __init__(self, settings: WeChatSettings, tokens: TokenCache = ACCESS_TOKENS):
        self.settings, self.tokens = settings, tokens
        self._session: Optional[aiohttp.ClientSession] = None

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=HTTP_TIMEOUT_SECONDS))
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def send_text(self, openid: str, content: str) -> None:
        s = self.settings
        if not (s.app_id and s.app_secret):
            raise WeChatAPIError("settings", "WECHAT_APP_ID and WECHAT_APP_SECRET are needed to send")
        app_id, app_secret = s.app_id, s.app_secret
        body = json.dumps(
            {"touser": openid, "msgtype": "text", "text": {"content": content}}, ensure_ascii=False
        ).encode("utf-8")  # WeChat wants raw UTF-8, not \u escapes
        for attempt in (1, 2):
            token = await self.tokens.get(self.session(), s.api_base, app_id, app_secret)
            async with self.session().post(
                f"{s.api_base}/cgi-bin/message/custom/send",
                params={"access_token": token},
                data=body,
                headers={"Content-Type": "application/json; charset=utf-8"},
            ) as r:
                if r.status != 200:
                    raise WeChatAPIError(f"HTTP {r.status}", "customer-service send failed")
                data = await r.json(content_type=None)
            errcode = data.get("errcode", 0) if isinstance(data, dict) else -1
            if errcode == 0:
                return
            if errcode in TOKEN_ERRORS and attempt == 1:
                await self.tokens.invalidate(s.api_base, app_id, token)
                continue
            raise WeChatAPIError(errcode, data.get("errmsg") if isinstance(data, dict) else data)

    async def send_parts(self, openid: str, parts: List[str], what: str) -> None:
        """In order, one after the other; stops at the first failure (later parts would read out of order)."""
        for i, part in enumerate(parts, 1):
            try:
                await self.send_text(openid, part)
            except Exception as exc:  # never log str(exc) of aiohttp errors: their URL carries the secret/token
                detail = str(exc) if isinstance(exc, WeChatAPIError) else type(exc).__name__
                logger.error("wechat: customer-service message %d/%d (%s) not sent: %s", i, len(parts), what, detail)
                return
        logger.debug("wechat: %d customer-service message(s) sent (%s)", len(parts), what)
