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

Settings (credentials.yml section `bot.channels.wechat.WeChatInput`), each from the file if set there, else (null or
blank there) from the environment, an unset or blank variable counting as not set (bot/settings.py): token
(WECHAT_TOKEN), app_id (WECHAT_APP_ID), app_secret (WECHAT_APP_SECRET), encoding_aes_key (WECHAT_AES_KEY, only for
safe/compatible mode), api_base (WECHAT_API_BASE, default https://api.weixin.qq.com); reply_timeout (s, 4.5),
max_body_bytes (65536), followup_delay (s, 0.5: pause before the customer-service follow-ups of a passive first
part, so they arrive after it). Without token, AppID and AppSecret the route is still mounted and answers 503
saying what is missing, so the other channels run as usual.

Protocol, crypto (WXBizMsgCrypt) and XML come from wechatpy; HTTP calls to WeChat use aiohttp. Deduplication
(turns.py: InProcessTurns) and the token cache (api.py: AccessTokens) live in the process by default: then run one
Sanic worker (Rasa's default) per AppID.

Several server processes (deploy/, scripts/run-cluster.sh): set redis_url (WECHAT_REDIS_URL, e.g.
redis://:password@redis:6379/2); the channel then uses RedisTurns and SharedAccessTokens (same interfaces, chosen
once when the channel starts). A retry may then land on another server than the first attempt, so:
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

from bot.channels.wechat.api import AccessTokens, CustomerService, WeChatAPIError
from bot.channels.wechat.protocol import (
    LEFT_OUT,
    MAX_FOLLOW_UPS,
    MAX_TEXT_BYTES,
    MORE_FOLLOWS,
    ONLY_FOLLOWS,
    Incoming,
    check_signature,
    follow_up_parts,
    make_signature,
    parse_incoming,
    plan_reply,
    render_text_reply,
    split_text,
)
from bot.channels.wechat.settings import ChannelError, WeChatSettings

# The package is split by concern (settings, protocol, api, shared, turns, channel); credentials.yml names
# bot.channels.wechat.WeChatInput, and callers use the names below. The channel (which imports Rasa) is loaded on
# first use, so the protocol stays importable without Rasa (the simulator, wechat_sim.py).
_FROM_CHANNEL = ("UNSUPPORTED", "WELCOME", "WeChatInput")


def __getattr__(name: str):
    if name in _FROM_CHANNEL:
        from bot.channels.wechat import channel

        return getattr(channel, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "LEFT_OUT",
    "MAX_FOLLOW_UPS",
    "MAX_TEXT_BYTES",
    "MORE_FOLLOWS",
    "ONLY_FOLLOWS",
    "UNSUPPORTED",
    "WELCOME",
    "AccessTokens",
    "ChannelError",
    "CustomerService",
    "Incoming",
    "WeChatAPIError",
    "WeChatInput",
    "WeChatSettings",
    "check_signature",
    "follow_up_parts",
    "make_signature",
    "parse_incoming",
    "plan_reply",
    "render_text_reply",
    "split_text",
]
