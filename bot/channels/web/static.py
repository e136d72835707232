"""The pages and files the Rasa server serves at its root (portal, console, widget), with their headers."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, Mapping, Optional

from sanic import Blueprint, response
from sanic.response import HTTPResponse

from bot.channels.web.api import dumps

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parents[2] / "web"  # the files themselves: bot/web/
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
}
_CSP_CONSOLE = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
_CSP_PORTAL = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'"
)


class RootBlueprint(Blueprint):
    """A blueprint that keeps its routes at the server root whatever prefix it is registered with
    (Rasa registers every input channel under /webhooks/<name>)."""

    def register(self, app, options):
        super().register(app, {**options, "url_prefix": None})


def page(name: str, replacements: Optional[Mapping[str, str]] = None) -> str:
    text = (WEB_DIR / name).read_text(encoding="utf-8")
    for marker, value in (replacements or {}).items():
        text = text.replace(marker, value)
    return text


def page_headers(kind: str) -> Dict[str, str]:
    common = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
    if kind == "console":
        return {
            **common,
            "Content-Security-Policy": _CSP_CONSOLE,
            "Cache-Control": "no-store",
            "X-Frame-Options": "DENY",
        }
    if kind == "portal":
        return {**common, "Content-Security-Policy": _CSP_PORTAL, "X-Frame-Options": "SAMEORIGIN"}
    if kind == "api":
        return {**common, "Cache-Control": "no-store"}
    return common


def json_response(body: Any, status: int = 200, headers: Optional[Dict[str, str]] = None) -> HTTPResponse:
    return response.json(body, status=status, headers={**page_headers("api"), **(headers or {})}, dumps=dumps)


def error_response(message: str, status: int, headers: Optional[Dict[str, str]] = None) -> HTTPResponse:
    return json_response({"error": message}, status, headers)
