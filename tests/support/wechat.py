"""For the WeChat channel tests: a local stand-in for the WeChat API (access tokens and customer-service
messages, on 127.0.0.1, recording what it is sent) and a second channel class so one Rasa server can carry
the channel twice with different settings (e.g. a tiny reply_timeout)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Dict, List, Optional, Tuple

from aiohttp import web

from bot.channels.wechat import WeChatInput
from tests.support.servers import free_port


class SlowWeChatInput(WeChatInput):
    """The same channel under /webhooks/wechat_slow/webhook: credentials give it its own settings, and each turn
    takes at least SLOW_TURN_SECONDS, so that with a tiny reply_timeout the answer is never ready in time (a turn
    of a few milliseconds, actions in process, could otherwise finish within the first wait)."""

    SLOW_TURN_SECONDS = 0.3

    @classmethod
    def name(cls) -> str:
        return "wechat_slow"

    async def _run_turn(self, openid, text, on_new_message):
        await asyncio.sleep(self.SLOW_TURN_SECONDS)
        return await super()._run_turn(openid, text, on_new_message)


class FakeWeChatAPI:
    """`GET /cgi-bin/token` and `POST /cgi-bin/message/custom/send`, checked like WeChat checks them.

    apps: AppID → AppSecret accepted. Tokens expire after `expires_in` seconds; `revoke()` invalidates
    every token issued so far (WeChat answers 40001 to them). `sent` holds (AppID, OpenID, content) in
    arrival order; `token_requests` counts token fetches per AppID."""

    def __init__(self, apps: Dict[str, str], expires_in: int = 7200):
        self.apps, self.expires_in = dict(apps), expires_in
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.sent: List[Tuple[str, str, str]] = []
        self.rejected: List[dict] = []
        self.token_requests: Dict[str, int] = {}
        self._tokens: Dict[str, Tuple[str, float]] = {}  # token → (AppID, expiry)
        self._lock = threading.Lock()
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._runner: Optional[web.AppRunner] = None
        self._thread: Optional[threading.Thread] = None

    # -- the API

    async def _token(self, request: web.Request) -> web.Response:
        q = request.query
        if q.get("grant_type") != "client_credential":
            return web.json_response({"errcode": 40002, "errmsg": "invalid grant_type"})
        app_id, secret = q.get("appid", ""), q.get("secret", "")
        if app_id not in self.apps:
            return web.json_response({"errcode": 40013, "errmsg": "invalid appid"})
        if self.apps[app_id] != secret:
            return web.json_response({"errcode": 40125, "errmsg": "invalid appsecret"})
        with self._lock:
            self.token_requests[app_id] = self.token_requests.get(app_id, 0) + 1
            token = f"TOKEN-{app_id}-{self.token_requests[app_id]}"
            self._tokens[token] = (app_id, time.monotonic() + self.expires_in)
        return web.json_response({"access_token": token, "expires_in": self.expires_in})

    async def _send(self, request: web.Request) -> web.Response:
        token = request.query.get("access_token", "")
        with self._lock:
            app_id, expiry = self._tokens.get(token, (None, 0.0))
        if app_id is None or time.monotonic() >= expiry:
            self.rejected.append({"reason": "token", "token": token})
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"})
        raw = await request.read()
        try:
            payload = json.loads(raw.decode("utf-8"))
            openid, content = payload["touser"], payload["text"]["content"]
            assert payload["msgtype"] == "text" and isinstance(content, str) and openid
        except Exception:
            self.rejected.append({"reason": "body", "body": raw[:200]})
            return web.json_response({"errcode": 44002, "errmsg": "empty post data"})
        if len(content.encode("utf-8")) > 2048:
            self.rejected.append({"reason": "too long", "openid": openid})
            return web.json_response({"errcode": 45002, "errmsg": "content size out of limit"})
        with self._lock:
            self.sent.append((app_id, openid, content))
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    def revoke(self) -> None:
        with self._lock:
            self._tokens.clear()

    def messages_to(self, openid: str) -> List[str]:
        with self._lock:
            return [content for _, to, content in self.sent if to == openid]

    def wait_for(self, openid: str, count: int, timeout: float = 15.0, settle: float = 0.3) -> List[str]:
        """The messages sent to `openid` once there are at least `count` (and none more for `settle` s)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if len(self.messages_to(openid)) >= count:
                time.sleep(settle)
                return self.messages_to(openid)
            time.sleep(0.05)
        raise TimeoutError(f"{len(self.messages_to(openid))} of {count} messages to {openid} after {timeout}s")

    # -- running it in a thread of its own

    def start(self) -> "FakeWeChatAPI":
        ready = threading.Event()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            app = web.Application()
            app.router.add_get("/cgi-bin/token", self._token)
            app.router.add_post("/cgi-bin/message/custom/send", self._send)
            self._runner = web.AppRunner(app, access_log=None)
            self._loop.run_until_complete(self._runner.setup())
            self._loop.run_until_complete(web.TCPSite(self._runner, "127.0.0.1", self.port).start())
            ready.set()
            self._loop.run_forever()
            self._loop.run_until_complete(self._runner.cleanup())
            self._loop.close()

        self._thread = threading.Thread(target=run, name="fake-wechat-api", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake WeChat API did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def __enter__(self) -> "FakeWeChatAPI":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
