"""The channel's settings: credentials.yml first, then the environment, by bot/settings.py's rule (a null or blank
value in the file is read from the variable named beside it; an unset or blank variable is not given); what is
missing is said, not guessed."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import logging
import re
from typing import Any, ClassVar, Dict, List, Mapping, Optional, Tuple

from pydantic import Field

from bot.settings import Section, env

logger = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://api.weixin.qq.com"
DEFAULT_REPLY_TIMEOUT = 4.5
DEFAULT_MAX_BODY_BYTES = 65536
DEFAULT_FOLLOWUP_DELAY = 0.5


class WeChatSection(Section):
    """credentials.yml's `bot.channels.wechat.WeChatInput` section, each key with its environment variable."""

    what: ClassVar[str] = "WeChat channel"
    token: Optional[str] = env("WECHAT_TOKEN")
    app_id: Optional[str] = env("WECHAT_APP_ID")
    app_secret: Optional[str] = env("WECHAT_APP_SECRET")
    encoding_aes_key: Optional[str] = env("WECHAT_AES_KEY")
    api_base: str = env("WECHAT_API_BASE", DEFAULT_API_BASE)
    redis_url: Optional[str] = env("WECHAT_REDIS_URL")
    reply_timeout: float = Field(DEFAULT_REPLY_TIMEOUT, ge=0)
    max_body_bytes: int = Field(DEFAULT_MAX_BODY_BYTES, gt=0)
    followup_delay: float = Field(DEFAULT_FOLLOWUP_DELAY, ge=0)


ENV_VARS: Dict[str, str] = {
    name: variable for name in WeChatSection.__fields__ if (variable := WeChatSection.variable(name))
}


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
    def load(
        cls, credentials: Optional[Mapping[str, Any]], environ: Optional[Mapping[str, str]] = None
    ) -> "WeChatSettings":
        """Each secret from the credentials section if given there, else from its environment variable."""
        section = WeChatSection.read(credentials, environ)
        problems: List[str] = []
        missing = [ENV_VARS[k] for k in ("token", "app_id", "app_secret") if getattr(section, k) is None]
        if missing:
            problems.append(f"missing {', '.join(missing)}")
        aes_key = section.encoding_aes_key
        if aes_key and not valid_aes_key(aes_key):
            problems.append(f"{ENV_VARS['encoding_aes_key']} must be the 43-character EncodingAESKey")
        api_base = section.api_base.rstrip("/")
        if not re.match(r"^https?://[^\s/]+", api_base):
            problems.append(f"{ENV_VARS['api_base']} must be an http(s) URL")
        redis_url = section.redis_url
        if redis_url and not re.match(r"^(rediss?|unix)://", redis_url):
            problems.append(f"{ENV_VARS['redis_url']} must be a redis://, rediss:// or unix:// URL")
        return cls(
            token=section.token,
            app_id=section.app_id,
            app_secret=section.app_secret,
            encoding_aes_key=aes_key,
            api_base=api_base,
            redis_url=redis_url,
            reply_timeout=section.reply_timeout,
            max_body_bytes=section.max_body_bytes,
            followup_delay=section.followup_delay,
            problems=tuple(problems),
        )


def valid_aes_key(key: str) -> bool:
    try:
        return len(key) == 43 and len(base64.b64decode(key + "=", validate=True)) == 32
    except (binascii.Error, ValueError):
        return False
