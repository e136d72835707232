"""The channel's settings: credentials.yml first, then the environment; what is missing is said, not guessed."""
from __future__ import annotations

import base64
import binascii
import dataclasses
import logging
import os
import re
from typing import Any, Callable, List, Mapping, Optional, Tuple

logger = logging.getLogger(__name__)

ENV_VARS = {"token": "WECHAT_TOKEN", "app_id": "WECHAT_APP_ID", "app_secret": "WECHAT_APP_SECRET",
            "encoding_aes_key": "WECHAT_AES_KEY", "api_base": "WECHAT_API_BASE", "redis_url": "WECHAT_REDIS_URL"}
DEFAULT_API_BASE = "https://api.weixin.qq.com"
DEFAULT_REPLY_TIMEOUT = 4.5
DEFAULT_MAX_BODY_BYTES = 65536
DEFAULT_FOLLOWUP_DELAY = 0.5


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
