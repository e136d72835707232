"""The web front ends' settings: credentials.yml first, then the environment, by bot/settings.py's rule (a null or
blank value in the file is read from the variable named beside it; an unset or blank variable is not given).

Operators log in with their own accounts (bot/operators/); the first admin comes from the environment
(CONSOLE_ADMIN_USER, default "admin", and CONSOLE_ADMIN_PASSWORD; in development a random password is made and
printed at every start when none is set). CONSOLE_TOKEN is only the API's machine token (Authorization: Bearer),
optional; it acts with the reviewer role. Production or not is bot.settings.Deployment's answer."""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Mapping, Optional, Text, Tuple

from pydantic import Field, validator

from bot.operators.accounts import MIN_PASSWORD
from bot.settings import Deployment, Section, env

logger = logging.getLogger(__name__)

MIN_PRODUCTION_TOKEN = 16
TOKEN_ROLE = "reviewer"  # what the machine token may do: lookups, case codes, the review queue; not accounts


class WebSection(Section):
    """credentials.yml's `bot.channels.web.WebInput` section, each key with its environment variable."""

    what: ClassVar[str] = "web channel"
    console_token: Optional[str] = env("CONSOLE_TOKEN")
    environment: Optional[str] = None  # YANGLAO_ENV's stand-in: bot.settings.Deployment reads either
    admin_user: str = env("CONSOLE_ADMIN_USER", "admin")
    admin_password: Optional[str] = env("CONSOLE_ADMIN_PASSWORD")
    session_hours: float = Field(12, gt=0, le=24 * 7)

    @validator("session_hours", pre=True)
    def _hours(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):  # "12" in YAML is a mistake, not hours
            raise ValueError("must be a number of hours in (0, 168]")
        return value


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
    def load(
        cls,
        credentials: Optional[Mapping[Text, Any]],
        environ: Mapping[str, str] = os.environ,
        make_password: Callable[[], str] = lambda: secrets.token_urlsafe(15),
    ) -> "WebSettings":
        """Settings from credentials.yml (a value there wins) or else the environment variable."""
        section = WebSection.read(credentials, environ)
        production = Deployment.read({"environment": section.environment}, environ).production
        token, password = section.console_token, section.admin_password
        problems = []
        if production and token is not None and len(token) < MIN_PRODUCTION_TOKEN:
            problems.append(f"CONSOLE_TOKEN is shorter than {MIN_PRODUCTION_TOKEN} characters")
        if password is not None and len(password) < MIN_PASSWORD:
            problems.append(f"CONSOLE_ADMIN_PASSWORD is shorter than {MIN_PASSWORD} characters")
        generated = False
        if password is None and not production:
            password, generated = make_password(), True
        return cls(production, token, section.admin_user, password, generated, section.session_hours, tuple(problems))
