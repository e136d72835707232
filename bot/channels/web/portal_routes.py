"""The public routes: the portal page with the chat widget, and the widget's and console's files from bot/web/.

GET /portal          a city-portal stand-in with the widget embedded
GET /static/<file>   widget.js, widget.css, console.js, console.css… (ETag; 304 when unchanged)
"""

from __future__ import annotations

import hashlib

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.web.static import CONTENT_TYPES, WEB_DIR, RootBlueprint, page, page_headers


def blueprint() -> Blueprint:
    bp = RootBlueprint("web_portal")
    # Listed once: only these names are served, so no request names a path of its own (../, the HTML pages)
    static_files = {
        p.name: p for p in WEB_DIR.iterdir() if p.is_file() and p.suffix in CONTENT_TYPES and not p.name.startswith(".")
    }

    @bp.route("/portal", methods=["GET"])
    async def portal(request: Request) -> HTTPResponse:
        return response.html(page("portal.html"), headers=page_headers("portal"))

    @bp.route("/static/<name:str>", methods=["GET"])
    async def static(request: Request, name: str) -> HTTPResponse:
        path = static_files.get(name)
        if path is None:
            return response.text("not found", status=404, headers=page_headers("static"))
        body = path.read_bytes()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        headers = {**page_headers("static"), "ETag": etag, "Cache-Control": "no-cache"}
        if request.headers.get("if-none-match") == etag:
            return response.empty(status=304, headers=headers)
        return response.raw(body, content_type=CONTENT_TYPES[path.suffix], headers=headers)

    return bp
