"""The operator console's login: a token compared in constant time, a signed cookie, same-origin checks."""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import time
from typing import Mapping, Optional
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

COOKIE = "yanglao_console"



def same_secret(given: Optional[str], expected: str) -> bool:
    """Constant-time comparison of a presented token with the configured one."""
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class ConsoleAuth:
    """The operator's bearer token and the session cookie derived from it."""

    def __init__(self, token: str, session_seconds: float):
        self.token = token
        self.session_seconds = session_seconds
        self._key = hashlib.sha256(b"yanglao-console-session\0" + token.encode("utf-8")).digest()

    def check_token(self, given: Optional[str]) -> bool:
        return same_secret(given, self.token)

    def _sign(self, expiry: int) -> str:
        mac = hmac.new(self._key, str(expiry).encode("ascii"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")

    def new_session(self, now: Optional[float] = None) -> str:
        expiry = int((now if now is not None else time.time()) + self.session_seconds)
        return f"{expiry}.{self._sign(expiry)}"

    def valid_session(self, value: Optional[str], now: Optional[float] = None) -> bool:
        if not value or value.count(".") != 1:
            return False
        expiry_text, signature = value.split(".")
        if not expiry_text.isdigit() or len(expiry_text) > 12:
            return False
        if not hmac.compare_digest(signature.encode("ascii", "replace"), self._sign(int(expiry_text)).encode("ascii")):
            return False
        return int(expiry_text) > (now if now is not None else time.time())


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
