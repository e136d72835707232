"""The Rasa input channel: HTTP (signature, size limit, decryption), the message's kind, and the reply. Which turn
runs and how its answer goes out (passive, or customer-service messages; WeChat's retries) is turns.py's."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException

from bot import rasa_patches
from bot.channels.rest import MAX_MESSAGE_CHARS
from bot.channels.wechat.api import ACCESS_TOKENS, CustomerService, TokenCache
from bot.channels.wechat.protocol import (
    Incoming,
    bot_messages_to_text,
    check_signature,
    parse_incoming,
    parse_xml,
    render_text_reply,
)
from bot.channels.wechat.settings import ChannelError, WeChatSettings
from bot.channels.wechat.shared import SharedAccessTokens, SharedState
from bot.channels.wechat.turns import Turns, make_turns
from bot.privacy import mask_pii

# Every Rasa server started with the committed credentials.yml loads this channel: Rasa's changes go in here too.
rasa_patches.install()

logger = logging.getLogger(__name__)

WELCOME = (
    "您好，我是养老政策助手。我可以告诉您济宁、枣庄、聊城的老年人能享受哪些基本养老服务和补贴、"
    "标准是多少、由哪个部门负责，以及出自哪份文件。\n"
    "请直接发送文字或语音，说明老人的城市、年龄和情况，例如：\n"
    "“我父亲85岁，枣庄的低保户，能领什么？”"
)
UNSUPPORTED = (
    "抱歉，我目前只能理解文字和语音消息。请直接用文字或语音说明老人的城市、年龄和情况，例如：\n"
    "“我父亲85岁，枣庄的低保户，能领什么？”"
)
VOICE_NOT_RECOGNISED = "抱歉，没能识别这段语音。请再说一遍，或直接发送文字。"
EMPTY_TEXT = "请直接输入您的问题，例如：“我父亲85岁，枣庄的低保户，能领什么？”"
TURN_FAILED = "抱歉，系统暂时无法回答，请稍后再试。"


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
        # One server or several (Redis): chosen here, once, for the access tokens and the turns alike.
        self.shared: Optional[SharedState] = None
        if settings.ready and settings.redis_url and settings.app_id:
            self.shared = SharedState(settings.redis_url, settings.app_id)
        tokens: TokenCache = SharedAccessTokens(self.shared) if self.shared is not None else ACCESS_TOKENS
        self.customer_service = CustomerService(settings, tokens)
        self.turns: Turns = make_turns(settings, self.customer_service, self.shared)
        if settings.ready:
            logger.info(
                "WeChat channel /webhooks/%s/webhook: AppID %s, %s, reply timeout %g s",
                self.name(),
                settings.app_id,
                "plain/compatible/safe mode" if self.crypto else "plain mode (no EncodingAESKey)",
                settings.reply_timeout,
            )
        else:
            logger.warning(
                "WeChat channel /webhooks/%s/webhook is not configured (%s): it answers 503",
                self.name(),
                "; ".join(settings.problems),
            )

    # -- HTTP

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint(f"{self.name()}_webhook", __name__)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.settings.ready else "not configured"})

        @bp.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            try:
                check_signature(
                    self._require_ready(),
                    request.args.get("signature"),
                    request.args.get("timestamp"),
                    request.args.get("nonce"),
                )
            except ChannelError as e:
                return response.text(e.message, status=e.status)
            return response.text(request.args.get("echostr") or "")

        @bp.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            started = asyncio.get_running_loop().time()  # reply_timeout counts from here
            try:
                check_signature(
                    self._require_ready(),
                    request.args.get("signature"),
                    request.args.get("timestamp"),
                    request.args.get("nonce"),
                )
                body = await self._read_body(request)
                return await self._receive(request, body, started, on_new_message)
            except ChannelError as e:
                logger.info("wechat: request refused (%d): %s", e.status, e.message)
                return response.text(e.message, status=e.status)

        @bp.listener("after_server_stop")
        async def close(*_: Any) -> None:
            await self.customer_service.close()
            await self.turns.close()

        return bp

    def _require_ready(self) -> str:
        """The token to check signatures with, once the channel is configured."""
        if not self.settings.ready or not self.settings.token:
            raise ChannelError(
                503,
                "WeChat channel not configured: "
                + "; ".join(self.settings.problems)
                + " (set them in the environment or credentials.yml)",
            )
        return self.settings.token

    async def _read_body(self, request: Request) -> bytes:
        limit = self.settings.max_body_bytes
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise ChannelError(413, f"body larger than {limit} bytes")
        stream = request.stream
        assert stream is not None, "the webhook's POST route streams (stream=True)"
        chunks, size = [], 0
        while True:
            chunk = await stream.read()
            if chunk is None:
                break
            size += len(chunk)
            if size > limit:
                raise ChannelError(413, f"body larger than {limit} bytes")
            chunks.append(chunk)
        if not size:
            raise ChannelError(400, "empty body")
        return b"".join(chunks)

    async def _receive(
        self, request: Request, body: bytes, started: float, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> HTTPResponse:
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
            if "MsgType" not in parse_xml(xml):
                raise ChannelError(503, "encrypted message but WECHAT_AES_KEY is not set")
            encrypted = False
        incoming = parse_incoming(xml)
        reply = await self._answer(incoming, started, on_new_message)
        if reply is None:
            return response.text("success")
        rendered = render_text_reply(incoming, reply)
        if encrypted and self.crypto is not None:
            rendered = self.crypto.encrypt_message(rendered, nonce, timestamp)
        return response.text(rendered, content_type="application/xml; charset=utf-8")

    def _decrypt(self, xml: str, msg_signature: Optional[str], timestamp: str, nonce: str) -> str:
        if self.crypto is None:
            raise ChannelError(503, "encrypted message but WECHAT_AES_KEY is not set")
        if not msg_signature:
            raise ChannelError(403, "encrypted message without msg_signature")
        if "Encrypt" not in parse_xml(xml):
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

    async def _answer(
        self, incoming: Incoming, started: float, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Optional[str]:
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

    async def _turn_reply(
        self, incoming: Incoming, started: float, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Optional[str]:
        async def run(message: Incoming) -> str:
            text = mask_pii(message.text or "")[:MAX_MESSAGE_CHARS]
            logger.debug("wechat: %s from %s: %s", message.msg_type, message.openid, text)
            return await self._run_turn(message.openid, text, on_new_message)

        return await self.turns.reply(incoming, started, run)

    async def _run_turn(self, openid: str, text: str, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> str:
        collector = CollectingOutputChannel()
        try:
            await on_new_message(UserMessage(text, collector, openid, input_channel=self.name()))
        except Exception as exc:
            logger.error("wechat: turn for %s failed: %s", openid, type(exc).__name__)
            return TURN_FAILED
        return bot_messages_to_text(collector.messages) or TURN_FAILED
