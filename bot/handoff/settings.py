"""The handoff and review-queue settings (handoff.yml) and the database they use.

The database is the tracker store's: the action server writes codes and queue entries, the Rasa server's console
reads them, and either may run in its own process or container, so both find the database the same way, from
the endpoints file the Rasa server was started with (bot.settings.Deployment.endpoints: $YANGLAO_ENDPOINTS, which
scripts/run.sh and the test harness set, else deploy/endpoints.production.yml when YANGLAO_PROFILE=production,
else endpoints.yml), read as Rasa reads it (bot/settings.py).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Mapping, Optional

import yaml
from sqlalchemy.engine import URL

from bot.settings import HANDOFF_FILE, Deployment, read_endpoint, tracker_store_url

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_FILE = HANDOFF_FILE
NATIONAL_HOTLINE = {"number": "12345", "name": "12345政务服务便民热线（全国统一号码）"}
# Where a deployment without a SQL tracker store (memory, redis) keeps codes and the queue.
FALLBACK_DB = "var/casework.db"


@dataclass(frozen=True)
class Hotline:
    number: str
    name: str


@dataclass(frozen=True)
class HandoffSettings:
    hotlines: Dict[str, Hotline] = field(default_factory=lambda: {"default": Hotline(**NATIONAL_HOTLINE)})
    code_days: float = 7
    retention_days: float = 90
    low_confidence: float = 0.3
    lookup_limit: int = 5
    lookup_limit_per_ip: int = 30
    lookup_window_minutes: float = 15
    login_limit_per_ip: int = 20  # wrong passwords and bearer tokens per address in the same window

    def hotline(self, city: Optional[str]) -> Hotline:
        return self.hotlines.get(city or "") or self.hotlines["default"]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "HandoffSettings":
        known = {
            "hotlines",
            "code_days",
            "retention_days",
            "low_confidence",
            "lookup_limit",
            "lookup_limit_per_ip",
            "lookup_window_minutes",
            "login_limit_per_ip",
        }
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(
                f"handoff settings: unknown key(s) {', '.join(unknown)} (accepted: {', '.join(sorted(known))})"
            )
        lines = {"default": Hotline(**NATIONAL_HOTLINE)}
        for city, line in (data.get("hotlines") or {}).items():
            if line is None:
                continue
            if not isinstance(line, dict) or not str(line.get("number") or "").strip() or not line.get("name"):
                raise ValueError(f"handoff settings: hotline {city!r} needs a number and a name")
            lines[str(city)] = Hotline(str(line["number"]).strip(), str(line["name"]).strip())
        numbers = {k: data[k] for k in known - {"hotlines"} if data.get(k) is not None}
        for key, value in numbers.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ValueError(f"handoff settings: {key} must be a positive number, not {value!r}")
        return cls(hotlines=lines, **numbers)


def load_settings(path: Optional[Path] = None, environ: Mapping[str, str] = os.environ) -> HandoffSettings:
    path = path or Deployment.read(environ=environ).handoff_settings
    if not path.exists():
        return HandoffSettings()
    return HandoffSettings.from_mapping(yaml.safe_load(path.read_text(encoding="utf-8")) or {})


@lru_cache(maxsize=1)
def settings() -> HandoffSettings:
    """This process's settings, read once."""
    return load_settings()


def endpoints_file(environ: Mapping[str, str] = os.environ) -> Path:
    return Deployment.read(environ=environ).endpoints


def database_url(environ: Mapping[str, str] = os.environ, path: Optional[Path] = None) -> URL:
    """The tracker store's database as an SQLAlchemy URL (bot.settings.tracker_store_url): the SQLite file of
    bot.stores.tracker_store.SQLiteTrackerStore or of Rasa's `SQL` store with dialect sqlite, or the `SQL` store's
    server (PostgreSQL in production, bot.stores.postgres_tracker_store). Relative SQLite paths are relative to the
    working directory, as for Rasa. An unset ${VAR} in the file is a bot.settings.SettingsError."""
    path = path or endpoints_file(environ)
    store = read_endpoint("tracker_store", path, environ)
    url = tracker_store_url(store)
    if url is not None:
        return url
    logger.warning(
        "tracker store %r in %s is not SQL: case codes and the review queue use %s",
        (store.type if store is not None else None) or "memory",
        path,
        FALLBACK_DB,
    )
    return URL.create("sqlite", database=FALLBACK_DB)
