"""The web front ends' settings: credentials.yml first, then the environment.

Operators log in with their own accounts (bot/operators/); the first admin comes from the environment
(CONSOLE_ADMIN_USER, default "admin", and CONSOLE_ADMIN_PASSWORD; in development a random password is made and
printed at every start when none is set). CONSOLE_TOKEN is only the API's machine token (Authorization: Bearer),
optional; it acts with the reviewer role."""
from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional, Text, Tuple

from bot.operators.accounts import MIN_PASSWORD

logger = logging.getLogger(__name__)

MIN_PRODUCTION_TOKEN = 16
SETTINGS = {"console_token": "CONSOLE_TOKEN", "environment": "YANGLAO_ENV", "admin_user": "CONSOLE_ADMIN_USER",
            "admin_password": "CONSOLE_ADMIN_PASSWORD", "session_hours": None}
TOKEN_ROLE = "reviewer"  # what the machine token may do: lookups, case codes, the review queue; not accounts


@dataclass(frozen=True)
class WebSettings:
    production: bool
    token: Optional[str] = None  # the API's machine token; None: bearer tokens are refused
    admin_user: str = "admin"
    admin_password: Optional[str] = None  # the bootstrap admin's password; None: accounts come from the database
    admin_password_generated: bool = False
    session_hours: float = 12.0
    problems: Tuple[str, ...] = ()  # any: the console and the API are off (503)

    @property
    def console_ready(self) -> bool:
        return not self.problems

    @classmethod
    def load(cls, credentials: Optional[Mapping[Text, Any]], environ: Mapping[str, str] = os.environ,
             make_password: Callable[[], str] = lambda: secrets.token_urlsafe(15)) -> "WebSettings":
        """Settings from credentials.yml (a value there wins) or else the environment variable."""
        credentials = dict(credentials or {})
        unknown = sorted(set(credentials) - set(SETTINGS))
        if unknown:
            raise ValueError(f"unknown setting(s) for the web channel: {', '.join(unknown)} "
                             f"(accepted: {', '.join(SETTINGS)})")

        def setting(key: str) -> Optional[str]:
            value = credentials.get(key)
            if value is None and (name := SETTINGS[key]):
                value = environ.get(name)
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
        token, user, password = setting("console_token"), setting("admin_user") or "admin", setting("admin_password")
        problems = []
        if production and token is not None and len(token) < MIN_PRODUCTION_TOKEN:
            problems.append(f"CONSOLE_TOKEN is shorter than {MIN_PRODUCTION_TOKEN} characters")
        if password is not None and len(password) < MIN_PASSWORD:
            problems.append(f"CONSOLE_ADMIN_PASSWORD is shorter than {MIN_PASSWORD} characters")
        generated = False
        if password is None and not production:
            password, generated = make_password(), True
        return cls(production, token, user, password, generated, hours, tuple(problems))
