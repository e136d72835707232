"""The Rasa input channel: one turn per message, passive reply within `reply_timeout`, else customer-service
messages; deduplication of WeChat's retries."""
from __future__ import annotations

import asyncio
import collections
import dataclasses
import logging
import os
import time
from typing import Any, Awaitable, Callable, Dict, List, Optional, Set, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException

from bot import rasa_patches
from bot.channels.rest import MAX_MESSAGE_CHARS
from bot.channels.wechat.api import CustomerService
from bot.channels.wechat.protocol import (
    DEDUPE_MAX_ENTRIES,
    DEDUPE_SECONDS,
    Incoming,
    _parse_xml,
    bot_messages_to_text,
    check_signature,
    parse_incoming,
    plan_reply,
    render_text_reply,
    split_text,
)
from bot.channels.wechat.settings import ChannelError, WeChatSettings
from bot.channels.wechat.shared import OWNED_GRACE_SECONDS, REDIS_POLL_SECONDS, SharedAccessTokens, SharedState
from bot.nlu.normaliser import mask_pii

# Every Rasa server started with the committed credentials.yml loads this channel: Rasa's changes go in here too.
rasa_patches.install()

logger = logging.getLogger(__name__)

TURN_GIVE_UP_SECONDS = 300.0   # a turn still running after this is not delivered any more
WELCOME = ("您好，我是养老政策助手。我可以告诉您济宁、枣庄、聊城的老年人能享受哪些基本养老服务和补贴、"
           "标准是多少、由哪个部门负责，以及出自哪份文件。\n"
           "请直接发送文字或语音，说明老人的城市、年龄和情况，例如：\n"
           "“我父亲85岁，枣庄的低保户，能领什么？”")
UNSUPPORTED = ("抱歉，我目前只能理解文字和语音消息。请直接用文字或语音说明老人的城市、年龄和情况，例如：\n"
               "“我父亲85岁，枣庄的低保户，能领什么？”")
VOICE_NOT_RECOGNISED = "抱歉，没能识别这段语音。请再说一遍，或直接发送文字。"
EMPTY_TEXT = "请直接输入您的问题，例如：“我父亲85岁，枣庄的低保户，能领什么？”"
TURN_FAILED = "抱歉，系统暂时无法回答，请稍后再试。"



@dataclasses.dataclass
class _Turn:
    task: "asyncio.Task[str]"
    started: float
    delivery: Optional[str] = None   # None until claimed: "passive" or "later"
    passive: Optional[str] = None    # the passive reply, resent unchanged to a retry


class WeChatInput(InputChannel):
    """Rasa input channel for a WeChat Official Account (see the module docstring)."""

    @classmethod
    def name(cls) -> Text:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WeChatInput":
        return cls(WeChatSettings.load(credentials))

    def __init__(self, settings: WeChatSettings):
        self.settings = settings
        self.crypto: Optional[WeChatCrypto] = None
        if settings.ready and settings.encoding_aes_key:
            self.crypto = WeChatCrypto(settings.token, settings.encoding_aes_key, settings.app_id)
        self.shared: Optional[SharedState] = None
        if settings.ready and settings.redis_url:
            self.shared = SharedState(settings.redis_url, settings.app_id)
            self.customer_service = CustomerService(settings, SharedAccessTokens(self.shared))
        else:
            self.customer_service = CustomerService(settings)
        self._turns: "collections.OrderedDict[str, _Turn]" = collections.OrderedDict()
        self._owned: Dict[str, "asyncio.Task[str]"] = {}  # Redis mode: turns this process runs, by dedupe key
        self._background: Set[asyncio.Task] = set()
        self._instance = f"{os.getpid()}:{id(self):x}"
        if settings.ready:
            logger.info("WeChat channel /webhooks/%s/webhook: AppID %s, %s, reply timeout %g s",
                        self.name(), settings.app_id, "plain/compatible/safe mode" if self.crypto
                        else "plain mode (no EncodingAESKey)", settings.reply_timeout)
        else:
            logger.warning("WeChat channel /webhooks/%s/webhook is not configured (%s): it answers 503",
                           self.name(), "; ".join(settings.problems))

    # -- HTTP

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint(f"{self.name()}_webhook", __name__)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.settings.ready else "not configured"})

        @bp.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            try:
                self._require_ready()
                check_signature(self.settings.token, request.args.get("signature"),
                                request.args.get("timestamp"), request.args.get("nonce"))
            except ChannelError as e:
                return response.text(e.message, status=e.status)
            return response.text(request.args.get("echostr") or "")

        @bp.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            started = asyncio.get_running_loop().time()  # reply_timeout counts from here
            try:
                self._require_ready()
                check_signature(self.settings.token, request.args.get("signature"),
                                request.args.get("timestamp"), request.args.get("nonce"))
                body = await self._read_body(request)
                return await self._receive(request, body, started, on_new_message)
            except ChannelError as e:
                logger.info("wechat: request refused (%d): %s", e.status, e.message)
                return response.text(e.message, status=e.status)

        @bp.listener("after_server_stop")
        async def close(*_: Any) -> None:
            await self.customer_service.close()
            if self.shared is not None:
                await self.shared.close()

        return bp

    def _require_ready(self) -> None:
        if not self.settings.ready:
            raise ChannelError(503, "WeChat channel not configured: " + "; ".join(self.settings.problems)
                               + " (set them in the environment or credentials.yml)")

    async def _read_body(self, request: Request) -> bytes:
        limit = self.settings.max_body_bytes
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise ChannelError(413, f"body larger than {limit} bytes")
        chunks, size = [], 0
        while True:
            chunk = await request.stream.read()
            if chunk is None:
                break
            size += len(chunk)
            if size > limit:
                raise ChannelError(413, f"body larger than {limit} bytes")
            chunks.append(chunk)
        if not size:
            raise ChannelError(400, "empty body")
        return b"".join(chunks)

    async def _receive(self, request: Request, body: bytes, started: float,
                       on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
        """A POST whose `signature` was checked: decrypt if need be, parse, answer."""
        args = request.args
        timestamp, nonce = args.get("timestamp"), args.get("nonce")
        try:
            xml = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ChannelError(400, "body is not UTF-8") from None
        encrypted = (args.get("encrypt_type") or "raw").lower() == "aes"
        if encrypted and self.crypto is not None:
            xml = self._decrypt(xml, args.get("msg_signature"), timestamp, nonce)
        elif encrypted:  # compatible mode still carries the plain fields; safe mode without a key cannot work
            if "MsgType" not in _parse_xml(xml):
                raise ChannelError(503, "encrypted message but WECHAT_AES_KEY is not set")
            encrypted = False
        incoming = parse_incoming(xml)
        reply = await self._answer(incoming, started, on_new_message)
        if reply is None:
            return response.text("success")
        rendered = render_text_reply(incoming, reply)
        if encrypted:
            rendered = self.crypto.encrypt_message(rendered, nonce, timestamp)
        return response.text(rendered, content_type="application/xml; charset=utf-8")

    def _decrypt(self, xml: str, msg_signature: Optional[str], timestamp: str, nonce: str) -> str:
        if not msg_signature:
            raise ChannelError(403, "encrypted message without msg_signature")
        if "Encrypt" not in _parse_xml(xml):
            raise ChannelError(400, "encrypted message without an Encrypt field")
        try:
            return self.crypto.decrypt_message(xml, msg_signature, timestamp, nonce)
        except InvalidSignatureException:
            raise ChannelError(403, "msg_signature does not match") from None
        except InvalidAppIdException:
            raise ChannelError(403, "message is not for this AppID") from None
        except Exception as exc:  # bad base64, padding, length: not a message we can read
            raise ChannelError(400, f"cannot decrypt the message ({type(exc).__name__})") from None

    # -- what to answer

    async def _answer(self, incoming: Incoming, started: float,
                      on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Optional[str]:
        """The passive reply's text, or None to answer `success` (nothing now)."""
        kind = incoming.msg_type
        if kind == "event":
            return WELCOME if incoming.event == "subscribe" else None
        if kind not in ("text", "voice"):
            logger.info("wechat: %s message from %s answered with the text/voice notice", kind, incoming.openid)
            return UNSUPPORTED
        if not incoming.text:
            return VOICE_NOT_RECOGNISED if kind == "voice" else EMPTY_TEXT
        return await self._turn_reply(incoming, started, on_new_message)

    async def _turn_reply(self, incoming: Incoming, started: float,
                          on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Optional[str]:
        if self.shared is not None:
            return await self._shared_turn_reply(incoming, started, on_new_message)
        return await self._local_turn_reply(incoming, started, on_new_message)

    async def _local_turn_reply(self, incoming: Incoming, started: float,
                                on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Optional[str]:
        loop = asyncio.get_running_loop()
        turn = self._turns.get(incoming.dedupe_key)
        if turn is None:
            self._forget_old(loop.time())
            text = mask_pii(incoming.text)[:MAX_MESSAGE_CHARS]
            logger.debug("wechat: %s from %s: %s", incoming.msg_type, incoming.openid, text)
            task = loop.create_task(self._run_turn(incoming.openid, text, on_new_message))
            turn = self._turns[incoming.dedupe_key] = _Turn(task=task, started=loop.time())
        else:
            logger.info("wechat: retry of message %s from %s: no new turn", incoming.dedupe_key, incoming.openid)
        if turn.delivery is None and not turn.task.done():
            try:
                await asyncio.wait_for(asyncio.shield(turn.task),
                                       max(0.0, started + self.settings.reply_timeout - loop.time()))
            except asyncio.TimeoutError:
                pass
            except asyncio.CancelledError:  # the caller went away: the answer goes out as messages
                self._claim(turn, incoming.openid, passive_possible=False)
                raise
        self._claim(turn, incoming.openid, passive_possible=True)
        return turn.passive if turn.delivery == "passive" else None

    def _claim(self, turn: _Turn, openid: str, passive_possible: bool) -> None:
        """Decide once per message how its answer goes out: passive now, or customer-service messages."""
        if turn.delivery is not None:
            return
        if passive_possible and turn.task.done():
            passive, rest = plan_reply(turn.task.result())
            turn.delivery, turn.passive = "passive", passive
            if rest:
                self._spawn(self._send_later(turn, openid, rest))
        else:
            turn.delivery = "later"
            self._spawn(self._send_later(turn, openid, None))

    async def _send_later(self, turn: _Turn, openid: str, parts: Optional[List[str]]) -> None:
        if parts is None:  # the whole answer, once the turn is done
            try:
                text = await asyncio.wait_for(asyncio.shield(turn.task), TURN_GIVE_UP_SECONDS)
            except asyncio.TimeoutError:
                logger.error("wechat: turn for %s still running after %.0f s: not delivered", openid,
                             TURN_GIVE_UP_SECONDS)
                return
            parts = split_text(text)
        else:
            await asyncio.sleep(self.settings.followup_delay)  # let the passive first part arrive first
        await self.customer_service.send_parts(openid, parts, f"answer to {openid}")

    # -- several servers: claims in Redis (see the module docstring)

    async def _shared_turn_reply(self, incoming: Incoming, started: float,
                                 on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Optional[str]:
        shared, key, openid = self.shared, incoming.dedupe_key, incoming.openid
        loop = asyncio.get_running_loop()
        try:
            first = key not in self._owned and await shared.claim_turn(key, self._instance)
        except shared.errors as exc:
            logger.error("wechat: Redis unreachable (%s): message %s deduplicated in this process only",
                         type(exc).__name__, key)
            return await self._local_turn_reply(incoming, started, on_new_message)
        if first:
            text = mask_pii(incoming.text)[:MAX_MESSAGE_CHARS]
            logger.debug("wechat: %s from %s: %s", incoming.msg_type, openid, text)
            task = loop.create_task(self._run_turn(openid, text, on_new_message))
            self._owned[key] = task
            self._spawn(self._publish(key, task))
        else:
            logger.info("wechat: retry of message %s from %s: no new turn", key, openid)
        try:
            return await self._shared_delivery(incoming, started)
        except shared.errors as exc:
            if key in self._owned:  # our own turn: deliver it as the in-process mode would
                logger.error("wechat: Redis failed during message %s (%s): answered from this process", key,
                             type(exc).__name__)
                return await self._owned_fallback_reply(incoming, started)
            logger.error("wechat: Redis failed during a retry of message %s (%s): its first server answers it",
                         key, type(exc).__name__)
            return None

    async def _shared_delivery(self, incoming: Incoming, started: float) -> Optional[str]:
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
                            self._spawn(self._send_parts_later(openid, rest))
                        return passive
                    continue  # another request decided first: read its decision
                await self._wait_for_answer(key, min(remaining, REDIS_POLL_SECONDS))
        except asyncio.CancelledError:  # the caller went away: the answer goes out as messages
            self._spawn(self._claim_later(key, openid, quiet=True))
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
        self._spawn(self._send_when_answered(key, openid))
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
                    logger.error("wechat: Redis failed while waiting for the answer to %s: %s", key,
                                 type(exc).__name__)
                if answer is None:
                    await asyncio.sleep(min(1.0, 10 * REDIS_POLL_SECONDS))
        if answer is None:
            logger.error("wechat: answer to %s not there after %.0f s: not delivered", key, TURN_GIVE_UP_SECONDS)
            return
        await self.customer_service.send_parts(openid, split_text(answer), f"answer to {openid}")

    async def _send_parts_later(self, openid: str, parts: List[str]) -> None:
        await asyncio.sleep(self.settings.followup_delay)  # let the passive first part arrive first
        await self.customer_service.send_parts(openid, parts, f"answer to {openid}")

    async def _publish(self, key: str, task: "asyncio.Task[str]") -> None:
        """Put our turn's answer where every server sees it; forget the task after the retry window."""
        try:
            answer = await asyncio.wait_for(asyncio.shield(task), TURN_GIVE_UP_SECONDS)
            await self.shared.publish_result(key, answer)
        except Exception as exc:  # Redis down: retries elsewhere cannot see it, ours still can
            logger.error("wechat: answer to %s not published (%s)", key, type(exc).__name__)
        await asyncio.sleep(OWNED_GRACE_SECONDS)  # then retries read the answer from Redis
        self._owned.pop(key, None)

    async def _owned_fallback_reply(self, incoming: Incoming, started: float) -> Optional[str]:
        """Redis failed after this process started the turn: deliver it like the in-process mode would."""
        loop = asyncio.get_running_loop()
        task = self._owned[incoming.dedupe_key]
        turn = self._turns.get(incoming.dedupe_key)
        if turn is None:
            turn = self._turns[incoming.dedupe_key] = _Turn(task=task, started=loop.time())
        if turn.delivery is None and not task.done():
            await asyncio.wait({task}, timeout=max(0.0, started + self.settings.reply_timeout - loop.time()))
        self._claim(turn, incoming.openid, passive_possible=True)
        return turn.passive if turn.delivery == "passive" else None

    async def _run_turn(self, openid: str, text: str,
                        on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> str:
        collector = CollectingOutputChannel()
        try:
            await on_new_message(UserMessage(text, collector, openid, input_channel=self.name()))
        except Exception as exc:
            logger.error("wechat: turn for %s failed: %s", openid, type(exc).__name__)
            return TURN_FAILED
        return bot_messages_to_text(collector.messages) or TURN_FAILED

    def _spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _forget_old(self, now: float) -> None:
        """Drop remembered messages past the retry window (oldest first), and any beyond the size cap."""
        while self._turns:
            key, turn = next(iter(self._turns.items()))
            expired = now - turn.started > DEDUPE_SECONDS and turn.task.done()
            if not expired and len(self._turns) < DEDUPE_MAX_ENTRIES:
                break
            del self._turns[key]
