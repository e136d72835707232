"""The WeChat Official Account channel (微信公众号 webhook): /webhooks/wechat/webhook.

WeChat calls the registered URL with GET to verify it (echo `echostr` when the SHA-1 of the sorted token,
timestamp and nonce equals `signature`) and with POST for every message, in plain, compatible or safe (AES)
mode. A text message (or a voice message with WeChat's `Recognition`) becomes one Rasa turn whose conversation
id is the sender's OpenID; ID-card and mobile numbers are masked before the text reaches Rasa or a log line.

WeChat waits 5 s for the answer and retries the same message up to 3 times. Each message (MsgId, or
FromUserName+CreateTime) starts at most one turn: a retry waits for, or reuses, the first attempt's turn. An
answer ready within `reply_timeout` is the passive XML reply; otherwise the reply is `success` and the answer
follows through the customer-service API (客服消息) with a cached access token. Texts are at most 2,048 bytes
each: a long answer is split at line boundaries, its first part passive (with a note that the rest follows)
and the rest sent in order as customer-service messages.

Settings (credentials.yml section `bot.channels.wechat.WeChatInput`), each from the file if set there, else from
the environment: token (WECHAT_TOKEN), app_id (WECHAT_APP_ID), app_secret (WECHAT_APP_SECRET),
encoding_aes_key (WECHAT_AES_KEY, only for safe/compatible mode), api_base (WECHAT_API_BASE, default
https://api.weixin.qq.com); reply_timeout (s, 4.5), max_body_bytes (65536), followup_delay (s, 0.5: pause before
the customer-service follow-ups of a passive first part, so they arrive after it). Without token, AppID and
AppSecret the route is still mounted and answers 503 saying what is missing, so the other channels run as usual.

Protocol, crypto (WXBizMsgCrypt) and XML come from wechatpy; HTTP calls to WeChat use aiohttp. Deduplication
and the token cache live in the process by default: then run one Sanic worker (Rasa's default) per AppID.

Several server processes (deploy/, scripts/run-cluster.sh): set redis_url (WECHAT_REDIS_URL, e.g.
redis://:password@redis:6379/2). A retry may then land on another server than the first attempt, so:
- the first server to see a message claims it in Redis (SET NX with a TTL of DEDUPE_SECONDS) and runs the turn;
  its answer is published there; a retry on any server starts no turn and waits for that answer;
- how the answer goes out is claimed there too, once (SET NX): passive by whichever request holds the answer
  within its reply_timeout (a retry gets the same passive reply), else customer-service messages, sent by the
  server that claimed it;
- the access token is cached there for every server (one fetch at a time across servers; a token WeChat
  refuses is dropped only if it is still the cached one), since each fetch invalidates the previous token.
If Redis cannot be reached the channel falls back to the in-process behaviour for that message or token and
logs an error. Keys: yanglao:wechat:<AppID>:{turn,result,delivery,token}:….
"""
from __future__ import annotations

import asyncio
import base64
import binascii
import collections
import dataclasses
import hashlib
import hmac
import json
import logging
import os
import re
import time
from typing import Any, Awaitable, Callable, Deque, Dict, List, Mapping, Optional, Set, Text, Tuple

import aiohttp
import xmltodict
from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.messages import BaseMessage
from wechatpy.replies import TextReply

from bot import rasa_patches
from bot.channels.rest import MAX_MESSAGE_CHARS
from bot.nlu.normaliser import mask_pii

# Every Rasa server started with the committed credentials.yml loads this channel: Rasa's changes go in here too.
rasa_patches.install()

logger = logging.getLogger(__name__)

ENV_VARS = {"token": "WECHAT_TOKEN", "app_id": "WECHAT_APP_ID", "app_secret": "WECHAT_APP_SECRET",
            "encoding_aes_key": "WECHAT_AES_KEY", "api_base": "WECHAT_API_BASE", "redis_url": "WECHAT_REDIS_URL"}
DEFAULT_API_BASE = "https://api.weixin.qq.com"
DEFAULT_REPLY_TIMEOUT = 4.5
DEFAULT_MAX_BODY_BYTES = 65536
DEFAULT_FOLLOWUP_DELAY = 0.5
MAX_TEXT_BYTES = 2048          # WeChat's limit for a text message's Content (passive and customer-service)
DEDUPE_SECONDS = 600.0         # WeChat's retries come within ~15 s; remember messages much longer than that
DEDUPE_MAX_ENTRIES = 20000
TURN_GIVE_UP_SECONDS = 300.0   # a turn still running after this is not delivered any more
HTTP_TIMEOUT_SECONDS = 10.0
TOKEN_ERRORS = {40001, 40014, 42001}  # invalid / malformed / expired access token: fetch a new one, once

MORE_FOLLOWS = "（内容较长，其余部分随后分条发送）"
ONLY_FOLLOWS = "您查询的内容较长，完整清单随后分条发送，请稍候。"
WELCOME = ("您好，我是养老政策助手。我可以告诉您济宁、枣庄、聊城的老年人能享受哪些基本养老服务和补贴、"
           "标准是多少、由哪个部门负责，以及出自哪份文件。\n"
           "请直接发送文字或语音，说明老人的城市、年龄和情况，例如：\n"
           "“我父亲85岁，枣庄的低保户，能领什么？”")
UNSUPPORTED = ("抱歉，我目前只能理解文字和语音消息。请直接用文字或语音说明老人的城市、年龄和情况，例如：\n"
               "“我父亲85岁，枣庄的低保户，能领什么？”")
VOICE_NOT_RECOGNISED = "抱歉，没能识别这段语音。请再说一遍，或直接发送文字。"
EMPTY_TEXT = "请直接输入您的问题，例如：“我父亲85岁，枣庄的低保户，能领什么？”"
TURN_FAILED = "抱歉，系统暂时无法回答，请稍后再试。"

_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,128}$")        # OpenID / the account's original ID (gh_…)
_DIGITS_RE = re.compile(r"^[0-9]{1,20}$")
_XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BREAK_AFTER = set("。；;，,、！!？?）)】」』 \t")  # where an over-long single line may be cut


# ----------------------------------------------------------------------------------------------- settings

class ChannelError(Exception):
    """A request the channel refuses: HTTP status and a message for the caller (never secrets or text)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@dataclasses.dataclass(frozen=True)
class WeChatSettings:
    token: Optional[str] = None
    app_id: Optional[str] = None
    app_secret: Optional[str] = None
    encoding_aes_key: Optional[str] = None
    api_base: str = DEFAULT_API_BASE
    reply_timeout: float = DEFAULT_REPLY_TIMEOUT
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    followup_delay: float = DEFAULT_FOLLOWUP_DELAY
    redis_url: Optional[str] = None  # shared dedupe, delivery claims and token cache; None: in the process
    problems: Tuple[str, ...] = ()  # why the channel cannot serve; empty when it can

    @property
    def ready(self) -> bool:
        return not self.problems

    @classmethod
    def load(cls, credentials: Optional[Mapping[str, Any]],
             environ: Optional[Mapping[str, str]] = None) -> "WeChatSettings":
        """Each secret from the credentials section if given there, else from its environment variable."""
        credentials = dict(credentials or {})
        environ = os.environ if environ is None else environ
        unknown = set(credentials) - set(ENV_VARS) - {"reply_timeout", "max_body_bytes", "followup_delay"}
        if unknown:
            raise ValueError(f"unknown WeChat channel settings: {', '.join(sorted(unknown))}")

        def value(key: str) -> Optional[str]:
            raw = credentials.get(key)
            if raw is None or str(raw).strip() == "":
                raw = environ.get(ENV_VARS[key])
            raw = None if raw is None else str(raw).strip()
            return raw or None

        problems: List[str] = []
        token, app_id, app_secret = value("token"), value("app_id"), value("app_secret")
        missing = [ENV_VARS[k] for k, v in (("token", token), ("app_id", app_id), ("app_secret", app_secret))
                   if not v]
        if missing:
            problems.append(f"missing {', '.join(missing)}")
        aes_key = value("encoding_aes_key")
        if aes_key and not valid_aes_key(aes_key):
            problems.append(f"{ENV_VARS['encoding_aes_key']} must be the 43-character EncodingAESKey")
        api_base = (value("api_base") or DEFAULT_API_BASE).rstrip("/")
        if not re.match(r"^https?://[^\s/]+", api_base):
            problems.append(f"{ENV_VARS['api_base']} must be an http(s) URL")
        redis_url = value("redis_url")
        if redis_url and not re.match(r"^(rediss?|unix)://", redis_url):
            problems.append(f"{ENV_VARS['redis_url']} must be a redis://, rediss:// or unix:// URL")
        return cls(token=token, app_id=app_id, app_secret=app_secret, encoding_aes_key=aes_key,
                   api_base=api_base, redis_url=redis_url,
                   reply_timeout=_number(credentials, "reply_timeout", DEFAULT_REPLY_TIMEOUT, float),
                   max_body_bytes=_number(credentials, "max_body_bytes", DEFAULT_MAX_BODY_BYTES, int),
                   followup_delay=_number(credentials, "followup_delay", DEFAULT_FOLLOWUP_DELAY, float),
                   problems=tuple(problems))


def _number(credentials: Mapping[str, Any], key: str, default: Any, kind: Callable[[Any], Any]) -> Any:
    raw = credentials.get(key)
    if raw is None:
        return default
    try:
        number = kind(raw)
    except (TypeError, ValueError):
        raise ValueError(f"WeChat channel setting {key} must be a number, not {raw!r}") from None
    if number < 0 or (key == "max_body_bytes" and number == 0):
        raise ValueError(f"WeChat channel setting {key} must be positive, not {raw!r}")
    return number


def valid_aes_key(key: str) -> bool:
    try:
        return len(key) == 43 and len(base64.b64decode(key + "=", validate=True)) == 32
    except (binascii.Error, ValueError):
        return False


# ----------------------------------------------------------------------------------------------- protocol

def make_signature(token: str, timestamp: str, nonce: str) -> str:
    """SHA-1 of token, timestamp and nonce sorted and joined: the `signature` WeChat puts on each call."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode("utf-8")).hexdigest()


def check_signature(token: str, signature: Optional[str], timestamp: Optional[str], nonce: Optional[str]) -> None:
    if not (signature and timestamp and nonce):
        raise ChannelError(403, "missing signature, timestamp or nonce")
    # as bytes: compare_digest raises TypeError for a str with non-ASCII characters, and a query can carry any
    if not hmac.compare_digest(make_signature(token, timestamp, nonce).encode(), signature.lower().encode()):
        raise ChannelError(403, "signature does not match the configured token")


@dataclasses.dataclass(frozen=True)
class Incoming:
    """One message or event from WeChat, validated."""
    msg_type: str            # text, voice, image, …, event
    openid: str              # FromUserName: the sender, our conversation id
    account: str             # ToUserName: the official account's original ID
    create_time: str
    msg_id: Optional[str]
    text: Optional[str] = None   # text: Content; voice: Recognition
    event: Optional[str] = None  # subscribe, unsubscribe, click, …

    @property
    def dedupe_key(self) -> str:
        return f"{self.openid}:{self.msg_id}" if self.msg_id else f"{self.openid}@{self.create_time}"


def _parse_xml(xml: str) -> Dict[str, Any]:
    try:  # xmltodict (expat): entity declarations are refused, so no XXE and no entity expansion
        doc = xmltodict.parse(xml, disable_entities=True)
    except Exception as exc:  # ExpatError, ValueError("entities are disabled"), …
        raise ChannelError(400, f"malformed XML ({type(exc).__name__})") from None
    root = doc.get("xml") if isinstance(doc, dict) else None
    if not isinstance(root, dict):
        raise ChannelError(400, "malformed XML: expected an <xml> element with fields")
    return root


def parse_incoming(xml: str) -> Incoming:
    """The XML body of a (decrypted) WeChat message, checked field by field; ChannelError(400) if unusable."""
    fields = _parse_xml(xml)

    def field(name: str, required: bool = True, pattern: Optional[re.Pattern] = None) -> Optional[str]:
        if name not in fields:
            if required:
                raise ChannelError(400, f"missing field {name}")
            return None
        value = fields[name]
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise ChannelError(400, f"field {name} must be plain text")
        value = value.strip()
        if pattern is not None and not pattern.match(value):
            raise ChannelError(400, f"field {name} is not valid")
        return value

    openid = field("FromUserName", pattern=_ID_RE)
    account = field("ToUserName", pattern=_ID_RE)
    create_time = field("CreateTime", pattern=_DIGITS_RE)
    msg_type = (field("MsgType") or "").lower()
    if not msg_type:
        raise ChannelError(400, "field MsgType is empty")
    msg_id = field("MsgId", required=False, pattern=_DIGITS_RE) if fields.get("MsgId") else None
    try:
        message: BaseMessage = parse_message(xml)  # wechatpy's typed view (text, voice, events, …)
    except Exception as exc:
        raise ChannelError(400, f"malformed message ({type(exc).__name__})") from None
    text = event = None
    if msg_type == "text":
        text = field("Content")
    elif msg_type == "voice":
        text = field("Recognition", required=False) or ""
    elif msg_type == "event":
        event = (field("Event") or "").lower()
        if message.type == "subscribe_scan":  # wechatpy: subscribe through a QR code with a scene
            event = "subscribe"
    return Incoming(msg_type=msg_type, openid=openid, account=account, create_time=create_time,
                    msg_id=msg_id, text=text, event=event)


def xml_safe(text: str) -> str:
    """Text that survives a CDATA section: no XML-invalid control characters, no early `]]>`."""
    return _XML_INVALID_RE.sub("", text).replace("]]>", "]]]]><![CDATA[>")


def render_text_reply(incoming: Incoming, content: str) -> str:
    return TextReply(source=incoming.account, target=incoming.openid, content=xml_safe(content),
                     time=int(time.time())).render()


# ----------------------------------------------------------------------------------------------- splitting

def _bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def _cut_line(line: str, limit: int) -> Tuple[str, str]:
    """Split an over-long line: the longest head ≤ limit bytes ending at punctuation, else at a character."""
    used, last_break, cut = 0, 0, len(line)
    for i, ch in enumerate(line):
        size = _bytes(ch)
        if used + size > limit:
            cut = i
            break
        used += size
        if ch in _BREAK_AFTER:
            last_break = i + 1
    if cut == len(line):
        return line, ""
    head_end = last_break or cut or 1
    return line[:head_end], line[head_end:]


def _take_lines(lines: Deque[str], limit: int, cut_long: bool) -> List[str]:
    """Take whole lines from the front while they fit in `limit` bytes (joined by newlines). If the first line
    alone is too long, cut it (cut_long) or take nothing."""
    taken: List[str] = []
    used = 0
    while lines:
        line = lines[0]
        size = _bytes(line) + (1 if taken else 0)
        if used + size <= limit:
            taken.append(lines.popleft())
            used += size
            continue
        if not taken and cut_long:
            head, tail = _cut_line(line, limit)
            lines[0] = tail
            taken.append(head)
        break
    if lines and len(taken) > 1 and taken[-1].rstrip().endswith(("：", ":")):
        lines.appendleft(taken.pop())  # a heading ("还可能享受：") goes with the lines it introduces
    return taken


def split_text(text: str, limit: int = MAX_TEXT_BYTES) -> List[str]:
    """Parts of at most `limit` UTF-8 bytes, cut only between lines; a single line longer than `limit` is cut
    at punctuation. Joining the parts with newlines gives the text back (less blank lines at the cuts)."""
    lines: Deque[str] = collections.deque(text.strip("\n").split("\n"))
    parts: List[str] = []
    while lines:
        part = "\n".join(_take_lines(lines, limit, cut_long=True)).strip("\n")
        if part.strip():
            parts.append(part)
        while lines and not lines[0].strip():  # no part starts with blank lines
            lines.popleft()
    return parts


def plan_reply(text: str, limit: int = MAX_TEXT_BYTES) -> Tuple[str, List[str]]:
    """The passive reply and the customer-service follow-ups, in order, each at most `limit` bytes: the
    passive part is whole lines from the start plus a note that the rest follows."""
    text = text.strip("\n")
    if _bytes(text) <= limit:
        return text, []
    lines: Deque[str] = collections.deque(text.split("\n"))
    first = _take_lines(lines, limit - _bytes(MORE_FOLLOWS) - 1, cut_long=False)
    if not first:  # even the first line is too long to go with the note: everything follows
        return ONLY_FOLLOWS, split_text(text, limit)
    return "\n".join(first + [MORE_FOLLOWS]), split_text("\n".join(lines), limit)


def bot_messages_to_text(messages: List[Dict[str, Any]]) -> str:
    """Rasa's collected bot messages as one WeChat text."""
    chunks: List[str] = []
    for m in messages:
        if m.get("text"):
            chunks.append(str(m["text"]))
        for i, button in enumerate(m.get("buttons") or [], 1):
            if isinstance(button, dict) and button.get("title"):
                chunks.append(f"{i}. {button['title']}")
        if m.get("image"):
            chunks.append(str(m["image"]))
    return "\n\n".join(chunks)


# ----------------------------------------------------------------------------------------------- WeChat API

class WeChatAPIError(Exception):
    def __init__(self, errcode: Any, errmsg: Any):
        super().__init__(f"WeChat API error {errcode}: {errmsg}")
        self.errcode = errcode


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

    def invalidate(self, api_base: str, app_id: str, token: str) -> None:
        cached = self._tokens.get((api_base, app_id))
        if cached and cached.value == token:
            del self._tokens[(api_base, app_id)]


async def fetch_access_token(session: aiohttp.ClientSession, api_base: str, app_id: str,
                             secret: str) -> Tuple[str, float]:
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


# ----------------------------------------------------------------------------------------------- Redis (several servers)

REDIS_TIMEOUT_SECONDS = 2.0    # a Redis that does not answer within this is treated as unreachable
REDIS_POLL_SECONDS = 0.05      # how often a request waiting for another server's answer looks again
TOKEN_FETCH_LOCK_SECONDS = HTTP_TIMEOUT_SECONDS + 5
OWNED_GRACE_SECONDS = 60.0     # a finished turn stays in the process this long after its answer is published


def _redis_errors() -> Tuple[type, ...]:
    import redis.exceptions  # redis.asyncio wraps refused connections and timeouts in these
    return (redis.exceptions.RedisError,)


class SharedState:
    """What the server processes of one AppID share through Redis (see the module docstring): per message the
    turn's owner, its answer and how it is delivered; the access token and who is fetching it."""

    # delete KEYS[1] only while it still holds ARGV[1]
    _DELETE_IF = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"

    def __init__(self, url: str, app_id: str, prefix: str = "yanglao:wechat"):
        import redis.asyncio

        self.client = redis.asyncio.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT_SECONDS,
                                                   socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
                                                   decode_responses=True)
        self.prefix = f"{prefix}:{app_id}"
        self.errors = _redis_errors()

    def key(self, kind: str, name: str) -> str:
        return f"{self.prefix}:{kind}:{name}"

    async def claim_turn(self, dedupe_key: str, owner: str) -> bool:
        """True for the first server to see this message: it runs the turn."""
        return bool(await self.client.set(self.key("turn", dedupe_key), owner, nx=True,
                                          ex=int(DEDUPE_SECONDS)))

    async def publish_result(self, dedupe_key: str, text: str) -> None:
        await self.client.set(self.key("result", dedupe_key), text, ex=int(DEDUPE_SECONDS))

    async def result(self, dedupe_key: str) -> Optional[str]:
        return await self.client.get(self.key("result", dedupe_key))

    async def claim_delivery(self, dedupe_key: str, decision: Dict[str, Any]) -> bool:
        """Decide once, across servers, how a message's answer goes out ({"delivery": "passive", "passive": …}
        or {"delivery": "later"})."""
        return bool(await self.client.set(self.key("delivery", dedupe_key), json.dumps(decision, ensure_ascii=False),
                                          nx=True, ex=int(DEDUPE_SECONDS)))

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

    def __init__(self, shared: SharedState, fallback: AccessTokens = ACCESS_TOKENS,
                 clock: Callable[[], float] = time.time):
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
            logger.error("wechat: Redis unreachable for the access token (%s): using this process's cache",
                         type(exc).__name__)
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
                    await self.shared.client.set(key, json.dumps(
                        {"token": token, "refresh_at": self._clock() + refresh_after(expires_in)}),
                        ex=max(1, int(expires_in)))
                    return token
                finally:
                    await self.shared.delete_if(fetch_lock, me)
            if time.monotonic() > give_up:
                raise WeChatAPIError("token", "another server has been fetching the access token too long")
            await asyncio.sleep(REDIS_POLL_SECONDS)

    async def invalidate(self, api_base: str, app_id: str, token: str) -> None:
        """Forget `token` (WeChat refused it) unless another server has already stored a newer one."""
        self.fallback.invalidate(api_base, app_id, token)
        key = self._key(api_base)
        try:
            raw = await self.shared.client.get(key)
            if raw and json.loads(raw).get("token") == token:
                await self.shared.delete_if(key, raw)
        except self.shared.errors as exc:
            logger.error("wechat: Redis unreachable to drop a refused access token (%s)", type(exc).__name__)


class CustomerService:
    """Sends text through the customer-service API (客服消息), POST /cgi-bin/message/custom/send."""

    def __init__(self, settings: WeChatSettings, tokens: Any = ACCESS_TOKENS):
        self.settings, self.tokens = settings, tokens  # AccessTokens or SharedAccessTokens
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
        body = json.dumps({"touser": openid, "msgtype": "text", "text": {"content": content}},
                          ensure_ascii=False).encode("utf-8")  # WeChat wants raw UTF-8, not \u escapes
        for attempt in (1, 2):
            token = await self.tokens.get(self.session(), s.api_base, s.app_id, s.app_secret)
            async with self.session().post(f"{s.api_base}/cgi-bin/message/custom/send",
                                           params={"access_token": token}, data=body,
                                           headers={"Content-Type": "application/json; charset=utf-8"}) as r:
                if r.status != 200:
                    raise WeChatAPIError(f"HTTP {r.status}", "customer-service send failed")
                data = await r.json(content_type=None)
            errcode = data.get("errcode", 0) if isinstance(data, dict) else -1
            if errcode == 0:
                return
            if errcode in TOKEN_ERRORS and attempt == 1:
                dropped = self.tokens.invalidate(s.api_base, s.app_id, token)
                if asyncio.iscoroutine(dropped):
                    await dropped
                continue
            raise WeChatAPIError(errcode, data.get("errmsg") if isinstance(data, dict) else data)

    async def send_parts(self, openid: str, parts: List[str], what: str) -> None:
        """In order, one after the other; stops at the first failure (later parts would read out of order)."""
        for i, part in enumerate(parts, 1):
            try:
                await self.send_text(openid, part)
            except Exception as exc:  # never log str(exc) of aiohttp errors: their URL carries the secret/token
                detail = str(exc) if isinstance(exc, WeChatAPIError) else type(exc).__name__
                logger.error("wechat: customer-service message %d/%d (%s) not sent: %s", i, len(parts), what,
                             detail)
                return
        logger.debug("wechat: %d customer-service message(s) sent (%s)", len(parts), what)


# ----------------------------------------------------------------------------------------------- turns

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
