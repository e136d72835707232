"""The web front ends' settings: credentials.yml first, then the environment; production needs a real token."""
from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional, Text, Tuple

logger = logging.getLogger(__name__)

MIN_PRODUCTION_TOKEN = 16
SETTINGS = {"console_token": "CONSOLE_TOKEN", "environment": "YANGLAO_ENV", "session_hours": None}



@dataclass(frozen=True)
class WebSettings:
    production: bool
    token: Optional[str]  # None: the console is off (production without a usable token)
    token_generated: bool = False
    session_hours: float = 12.0
    problems: Tuple[str, ...] = ()

    @property
    def console_ready(self) -> bool:
        return self.token is not None

    @classmethod
    def load(cls, credentials: Optional[Mapping[Text, Any]], environ: Mapping[str, str] = os.environ,
             make_token: Callable[[], str] = lambda: secrets.token_urlsafe(18)) -> "WebSettings":
        """Settings from credentials.yml (a value there wins) or else the environment variable."""
        credentials = dict(credentials or {})
        unknown = sorted(set(credentials) - set(SETTINGS))
        if unknown:
            raise ValueError(f"unknown setting(s) for the web channel: {', '.join(unknown)} "
                             f"(accepted: {', '.join(SETTINGS)})")

        def setting(key: str) -> Optional[str]:
            value = credentials.get(key)
            if value is None and SETTINGS[key]:
                value = environ.get(SETTINGS[key])
            value = str(value).strip() if value is not None else ""
            return value or None

        env = (setting("environment") or "development").lower()
        if env not in ("production", "prod", "development", "dev"):
            raise ValueError(f"YANGLAO_ENV must be production or development, not {env!r}")
        # The deployment profile (scripts/run.sh, deploy/) saying production is enough, whatever YANGLAO_ENV says.
        production = env in ("production", "prod") or environ.get("YANGLAO_PROFILE", "").strip().lower() == "production"
        hours = credentials.get("session_hours", 12)
        if isinstance(hours, bool) or not isinstance(hours, (int, float)) or not 0 < hours <= 24 * 7:
            raise ValueError(f"session_hours must be a number of hours in (0, 168], not {hours!r}")
        token = setting("console_token")
        if production:
            if token is None:
                return cls(True, None, session_hours=hours, problems=("CONSOLE_TOKEN is not set",))
            if len(token) < MIN_PRODUCTION_TOKEN:
                return cls(True, None, session_hours=hours,
                           problems=(f"CONSOLE_TOKEN is shorter than {MIN_PRODUCTION_TOKEN} characters",))
            return cls(True, token, session_hours=hours)
        if token is None:
            return cls(False, make_token(), token_generated=True, session_hours=hours)
        return cls(False, token, session_hours=hours)
