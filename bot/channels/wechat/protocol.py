"""WeChat's message protocol, free of Rasa: signatures, the incoming XML, the reply XML, and texts cut into
parts of at most 2,048 bytes. The simulator (wechat_sim.py) uses the same code."""

from __future__ import annotations

import collections
import dataclasses
import hashlib
import hmac
import logging
import re
import time
from typing import Any, Deque, Dict, List, Optional, Tuple

import xmltodict
from wechatpy import parse_message
from wechatpy.messages import BaseMessage
from wechatpy.replies import TextReply

from bot.channels.wechat.settings import ChannelError

logger = logging.getLogger(__name__)

DEDUPE_SECONDS = 600.0  # WeChat's retries come within ~15 s; remember messages much longer than that
DEDUPE_MAX_ENTRIES = 20000

MAX_TEXT_BYTES = 2048  # WeChat's limit for a text message's Content (passive and customer-service)
MORE_FOLLOWS = "（内容较长，其余部分随后分条发送）"
ONLY_FOLLOWS = "您查询的内容较长，完整清单随后分条发送，请稍候。"
# Since 2023 an account may send at most 5 customer-service messages within 48 hours of one user message: a
# reply plans at most 4 after its passive part (one left for a later turn's answer that runs past 5 s).
MAX_FOLLOW_UPS = 4
LEFT_OUT = (
    "（内容较多，受微信消息条数限制，后面还有{n}段未能发送。回复“详细”可查看当前这位老人的完整清单，"
    "或在城市门户网站的网页版助手中查看全部内容。）"
)
_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,128}$")  # OpenID / the account's original ID (gh_…)
_DIGITS_RE = re.compile(r"^[0-9]{1,20}$")
_XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BREAK_AFTER = set("。；;，,、！!？?）)】」』 \t")  # where an over-long single line may be cut


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

    msg_type: str  # text, voice, image, …, event
    openid: str  # FromUserName: the sender, our conversation id
    account: str  # ToUserName: the official account's original ID
    create_time: str
    msg_id: Optional[str]
    text: Optional[str] = None  # text: Content; voice: Recognition
    event: Optional[str] = None  # subscribe, unsubscribe, click, …

    @property
    def dedupe_key(self) -> str:
        return f"{self.openid}:{self.msg_id}" if self.msg_id else f"{self.openid}@{self.create_time}"


def parse_xml(xml: str) -> Dict[str, Any]:
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
    fields = parse_xml(xml)

    def optional(name: str, pattern: Optional[re.Pattern] = None) -> Optional[str]:
        if name not in fields:
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

    def field(name: str, pattern: Optional[re.Pattern] = None) -> str:
        value = optional(name, pattern)
        if value is None:
            raise ChannelError(400, f"missing field {name}")
        return value

    openid = field("FromUserName", pattern=_ID_RE)
    account = field("ToUserName", pattern=_ID_RE)
    create_time = field("CreateTime", pattern=_DIGITS_RE)
    msg_type = (field("MsgType") or "").lower()
    if not msg_type:
        raise ChannelError(400, "field MsgType is empty")
    msg_id = optional("MsgId", pattern=_DIGITS_RE) if fields.get("MsgId") else None
    try:
        message: BaseMessage = parse_message(xml)  # wechatpy's typed view (text, voice, events, …)
    except Exception as exc:
        raise ChannelError(400, f"malformed message ({type(exc).__name__})") from None
    text = event = None
    if msg_type == "text":
        text = field("Content")
    elif msg_type == "voice":
        text = optional("Recognition") or ""
    elif msg_type == "event":
        event = (field("Event") or "").lower()
        if message.type == "subscribe_scan":  # wechatpy: subscribe through a QR code with a scene
            event = "subscribe"
    return Incoming(
        msg_type=msg_type,
        openid=openid,
        account=account,
        create_time=create_time,
        msg_id=msg_id,
        text=text,
        event=event,
    )


def xml_safe(text: str) -> str:
    """Text that survives a CDATA section: no XML-invalid control characters, no early `]]>`."""
    return _XML_INVALID_RE.sub("", text).replace("]]>", "]]]]><![CDATA[>")


def render_text_reply(incoming: Incoming, content: str) -> str:
    return TextReply(
        source=incoming.account, target=incoming.openid, content=xml_safe(content), time=int(time.time())
    ).render()


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


def plan_reply(text: str, limit: int = MAX_TEXT_BYTES, max_follow_ups: int = MAX_FOLLOW_UPS) -> Tuple[str, List[str]]:
    """The passive reply and the customer-service follow-ups, in order, each at most `limit` bytes: the
    passive part is whole lines from the start plus a note that the rest follows. Never more than
    `max_follow_ups` follow-ups: where more would be needed, the passive part says what was left out and how
    to get it (WeChat's quota would drop the rest unseen)."""
    text = text.strip("\n")
    if _bytes(text) <= limit:
        return text, []
    passive, rest = _plan(text, limit, "")
    if len(rest) > max_follow_ups:
        note = LEFT_OUT.format(n=len(rest) - max_follow_ups)  # an upper bound: the note takes room from the passive
        if _bytes(ONLY_FOLLOWS) + _bytes(note) + 1 <= limit:
            passive, rest = _plan(text, limit, note)
            return passive.replace(note, LEFT_OUT.format(n=len(rest) - max_follow_ups)), rest[:max_follow_ups]
        # a limit too small for the note beside the passive part (never WeChat's): the last follow-up says it
        left = LEFT_OUT.format(n=len(rest) - max_follow_ups + 1)
        rest = rest[: max_follow_ups - 1] + ([left] if _bytes(left) <= limit else [])
    return passive, rest


def _plan(text: str, limit: int, note: str) -> Tuple[str, List[str]]:
    lines: Deque[str] = collections.deque(text.split("\n"))
    tail = [MORE_FOLLOWS] + ([note] if note else [])
    first = _take_lines(lines, limit - sum(_bytes(t) + 1 for t in tail), cut_long=False)
    if not first:  # even the first line is too long to go with the note: everything follows
        return "\n".join([ONLY_FOLLOWS] + ([note] if note else [])), split_text(text, limit)
    return "\n".join(first + tail), split_text("\n".join(lines), limit)


def follow_up_parts(text: str, limit: int = MAX_TEXT_BYTES, max_parts: int = MAX_FOLLOW_UPS + 1) -> List[str]:
    """An answer sent only as customer-service messages (it came after WeChat's 5 s): at most `max_parts`, the
    last saying what was left out where more would be needed."""
    parts = split_text(text, limit)
    if len(parts) <= max_parts:
        return parts
    return parts[: max_parts - 1] + [LEFT_OUT.format(n=len(parts) - max_parts + 1)]


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
