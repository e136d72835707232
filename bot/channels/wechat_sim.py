"""Send one text message to the WeChat channel of a running server the way WeChat does, and print the reply.

    python -m bot.channels.wechat_sim "我父亲85岁，枣庄的低保户，能领什么？" [--url http://localhost:5005] [--token …]
        [--openid …] [--aes-key … --app-id …] [--channel wechat]

Plain mode by default: the XML body in the clear, `signature` = SHA-1 of the sorted token, timestamp and nonce.
With --aes-key (and --app-id) the message goes in safe mode (AES, msg_signature) and the reply is decrypted.
The token defaults to $WECHAT_TOKEN, the AppID to $WECHAT_APP_ID.
Exit status: 0 with a reply, 1 when the server refused the message or could not be reached, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import os
import random
import string
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Dict, Optional, Tuple

import xmltodict
from wechatpy.crypto import WeChatCrypto

# The signature is the channel's own (bot.channels.wechat.protocol imports no Rasa: the command starts in a blink).
from bot.channels.wechat.protocol import make_signature  # noqa: E402


def xml_safe(text: str) -> str:
    """Only what CDATA needs: the simulator sends whatever it is given, control characters included, as a
    stranger's client could (the channel's own xml_safe also drops those)."""
    return text.replace("]]>", "]]]]><![CDATA[>")


DEFAULT_OPENID = "oSIMULATOR0000000000000000001"
ACCOUNT = "gh_simulator0001"


def text_message_xml(
    openid: str,
    text: str,
    msg_id: Optional[str] = None,
    create_time: Optional[int] = None,
    account: str = ACCOUNT,
    msg_type: str = "text",
    extra: Optional[Dict[str, str]] = None,
) -> str:
    """A message as WeChat posts it (MsgType text by default; `extra` adds or replaces fields)."""
    fields: Dict[str, str] = {
        "ToUserName": account,
        "FromUserName": openid,
        "CreateTime": str(create_time or int(time.time())),
        "MsgType": msg_type,
    }
    if msg_type == "text":
        fields["Content"] = text
    fields["MsgId"] = msg_id or str(random.randrange(10**18, 10**19))
    fields.update(extra or {})
    body = "".join(
        f"<{k}>{v}</{k}>" if k in ("CreateTime", "MsgId") else f"<{k}><![CDATA[{xml_safe(v)}]]></{k}>"
        for k, v in fields.items()
    )
    return f"<xml>{body}</xml>"


def signed_query(
    token: str, timestamp: Optional[str] = None, nonce: Optional[str] = None, **extra: str
) -> Dict[str, str]:
    timestamp = timestamp or str(int(time.time()))
    nonce = nonce or "".join(random.choices(string.digits, k=10))
    return {"signature": make_signature(token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce, **extra}


def encrypt_for_post(
    crypto: WeChatCrypto, xml: str, openid: str, token: str, compatible: bool = False
) -> Tuple[str, Dict[str, str]]:
    """Body and query of a safe-mode (or, with `compatible`, compatible-mode) post of `xml`."""
    query = signed_query(token, openid=openid, encrypt_type="aes")
    envelope = xmltodict.parse(crypto.encrypt_message(xml, query["nonce"], query["timestamp"]))["xml"]
    query["msg_signature"] = envelope["MsgSignature"]
    if compatible:  # the plain fields and the Encrypt field side by side
        body = xml.replace("</xml>", f"<Encrypt><![CDATA[{envelope['Encrypt']}]]></Encrypt></xml>")
    else:
        to_user = xmltodict.parse(xml)["xml"]["ToUserName"]
        body = (
            f"<xml><ToUserName><![CDATA[{to_user}]]></ToUserName>"
            f"<Encrypt><![CDATA[{envelope['Encrypt']}]]></Encrypt></xml>"
        )
    return body, query


def post(url: str, body: str, query: Dict[str, str], timeout: float = 30.0) -> Tuple[int, str]:
    """POST like WeChat does; returns (HTTP status, response text)."""
    req = urllib.request.Request(
        f"{url}?{urllib.parse.urlencode(query)}",
        data=body.encode("utf-8"),
        headers={"Content-Type": "text/xml; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", errors="replace")


def reply_content(reply: str, crypto: Optional[WeChatCrypto] = None, query: Optional[Dict[str, str]] = None) -> str:
    """The text of a passive reply ('success' stays 'success'); decrypts a safe-mode reply with `crypto`."""
    if reply.strip() in ("", "success"):
        return "success"
    if crypto is not None:
        envelope = xmltodict.parse(reply)["xml"]
        reply = crypto.decrypt_message(reply, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"])
    return xmltodict.parse(reply)["xml"]["Content"]


def send_text(
    base_url: str,
    token: str,
    text: str,
    openid: str = DEFAULT_OPENID,
    channel: str = "wechat",
    msg_id: Optional[str] = None,
    aes_key: Optional[str] = None,
    app_id: Optional[str] = None,
    timeout: float = 30.0,
) -> Tuple[int, str]:
    """Send `text` as `openid`; returns (HTTP status, reply text, or the error body when status is not 200)."""
    url = f"{base_url.rstrip('/')}/webhooks/{channel}/webhook"
    xml = text_message_xml(openid, text, msg_id=msg_id)
    crypto = WeChatCrypto(token, aes_key, app_id or "") if aes_key else None
    if crypto is not None:
        body, query = encrypt_for_post(crypto, xml, openid, token)
    else:
        body, query = xml, signed_query(token, openid=openid)
    status, reply = post(url, body, query, timeout=timeout)
    return status, (reply_content(reply, crypto) if status == 200 else reply)


def main(argv: Optional[list] = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bot.channels.wechat_sim", description=__doc__.split("\n\n")[0])
    p.add_argument("text", help="the message, e.g. 我父亲85岁，枣庄的低保户，能领什么？")
    p.add_argument("--url", default="http://localhost:5005", help="the Rasa server (default %(default)s)")
    p.add_argument("--token", default=os.environ.get("WECHAT_TOKEN"), help="the channel token ($WECHAT_TOKEN)")
    p.add_argument("--openid", default=DEFAULT_OPENID, help="the sender's OpenID: the conversation id")
    p.add_argument("--channel", default="wechat", help="channel name in the URL (default %(default)s)")
    p.add_argument("--aes-key", help="the EncodingAESKey: send in safe mode (default: plain mode)")
    p.add_argument("--app-id", default=os.environ.get("WECHAT_APP_ID"), help="AppID for safe mode ($WECHAT_APP_ID)")
    args = p.parse_args(argv)
    if not args.token:
        p.error("pass --token or set WECHAT_TOKEN (the Token of 基本配置 → 服务器配置)")
    if args.aes_key and not args.app_id:
        p.error("safe mode needs --app-id (or WECHAT_APP_ID)")
    try:
        status, reply = send_text(
            args.url,
            args.token,
            args.text,
            openid=args.openid,
            channel=args.channel,
            aes_key=args.aes_key,
            app_id=args.app_id,
        )
    except (urllib.error.URLError, OSError) as e:
        print(f"cannot reach {args.url}: {e}", file=sys.stderr)
        return 1
    if status != 200:
        print(f"HTTP {status}: {reply}", file=sys.stderr)
        return 1
    if reply == "success":
        print("(服务器回复 success：答案将通过客服消息发送)")
    else:
        print(reply)
    return 0


if __name__ == "__main__":
    sys.exit(main())
