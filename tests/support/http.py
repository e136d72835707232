"""A small HTTP client for the console and API tests: no redirects followed, JSON helpers, and a chosen source
address. Every 127.x.y.z address is this machine's loopback, so a test can play clients at different addresses
against one real server (or one nginx) without any mock."""

from __future__ import annotations

import http.client
import json
import urllib.parse
from typing import Any, Dict, Optional, Tuple


class Client:
    def __init__(self, base: str, source: Optional[str] = None):
        self.base = base
        self.source = source
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: Optional[Dict[str, str]] = None,
        form: Optional[Dict[str, str]] = None,
        source: Optional[str] = None,
        timeout: float = 30,
    ) -> Tuple[int, Any, bytes]:
        data, headers = None, dict(headers or {})
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        source = source or self.source
        conn = http.client.HTTPConnection(
            self.host, self.port, timeout=timeout, source_address=(source, 0) if source else None
        )
        try:
            conn.request(method, path, body=data, headers=headers)
            r = conn.getresponse()
            return r.status, r.headers, r.read()
        finally:
            conn.close()

    def json(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: Optional[Dict[str, str]] = None,
        source: Optional[str] = None,
    ) -> Tuple[int, Any, Any]:
        status, hdrs, raw = self.request(method, path, body, headers, source=source)
        return status, json.loads(raw.decode("utf-8")), hdrs

    def login(self, username: str, password: str, source: Optional[str] = None) -> str:
        """The console's own login form; the session cookie as a Cookie header value."""
        status, headers, _ = self.request(
            "POST", "/console/login", form={"username": username, "password": password}, source=source
        )
        assert status == 303 and headers["Location"] == "/console", status
        return headers["Set-Cookie"].split(";")[0]
