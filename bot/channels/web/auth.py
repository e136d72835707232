"""The operator console's request checks: tokens compared in constant time, the bearer header, same-origin checks,
the client's address, who a request acts for."""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from typing import Any, Mapping, Optional
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

COOKIE = "yanglao_console"


def same_secret(given: Optional[str], expected: str) -> bool:
    """Constant-time comparison of a presented token with the configured one."""
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


@dataclass(frozen=True)
class Principal:
    """Who a request acts for: an operator's account (by its session) or the API's machine token."""

    name: str
    role: str
    credential: str  # the cookie's session token or the bearer token: rate limits key on it (hashed)
    address: str
    session: Optional[str] = None  # the session's token when logged in by the console


def client_address(request: Any) -> str:
    """The client's address: behind a proxy Sanic's PROXIES_COUNT (SANIC_PROXIES_COUNT) makes remote_addr the
    address the proxy saw; without one it is empty and the socket's peer is the client."""
    return (request.remote_addr or request.ip or "unknown")[:64]


def bearer_token(header: Optional[str]) -> Optional[str]:
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


def same_origin(headers: Mapping[str, str], host: str) -> bool:
    """A cookie-authenticated request must come from the console's own pages: the browser's Sec-Fetch-Site says
    same-origin (every current browser sends it), and an Origin header, if any, names this host. Ports are not
    compared there, since a reverse proxy's Host header often drops them (Sec-Fetch-Site already tells them apart)."""
    site = headers.get("sec-fetch-site")
    if site and site not in ("same-origin", "none"):
        return False
    origin = headers.get("origin")
    if origin is None:
        return True
    try:
        return bool(origin != "null" and urlsplit(origin).hostname == urlsplit("//" + (host or "")).hostname)
    except ValueError:
        return False
