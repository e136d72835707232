"""The console's questions to the knowledge base (operator login or the Bearer token), answered in the event loop:

GET  /api/meta                   cities, counties, statuses and grades the engine accepts
POST /api/lookup                 profile JSON -> entitlements (Answer.to_dict() + display text)
POST /api/compare                the same profile in the three cities side by side
GET  /api/facts?q=&city=&on=     policy facts with their sources and whether they hold on `on`
GET  /api/kb/status?on=&within=  sources ending within 60 days, rules ended (as `rules_kb check`)
"""

from __future__ import annotations

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.web.api import compare_json, fact_search_json, lookup_json, meta_json, status_json
from bot.channels.web.api_handling import answer, body_json
from bot.channels.web.app import WebApp
from bot.channels.web.static import RootBlueprint


def blueprint(web: WebApp) -> Blueprint:
    bp = RootBlueprint("web_api")
    kb = web.kb

    @bp.route("/api/meta", methods=["GET"])
    async def api_meta(request: Request) -> HTTPResponse:
        return await answer(web, request, lambda: meta_json(kb))

    @bp.route("/api/lookup", methods=["POST"])
    async def api_lookup(request: Request) -> HTTPResponse:
        return await answer(web, request, lambda: lookup_json(kb, body_json(request)))

    @bp.route("/api/compare", methods=["POST"])
    async def api_compare(request: Request) -> HTTPResponse:
        return await answer(web, request, lambda: compare_json(kb, body_json(request)))

    @bp.route("/api/facts", methods=["GET"])
    async def api_facts(request: Request) -> HTTPResponse:
        args = request.args
        return await answer(
            web,
            request,
            lambda: fact_search_json(kb, args.get("q"), args.get("city"), args.get("limit"), args.get("on")),
        )

    @bp.route("/api/kb/status", methods=["GET"])
    async def api_kb_status(request: Request) -> HTTPResponse:
        args = request.args
        return await answer(web, request, lambda: status_json(kb, args.get("on"), args.get("within")))

    return bp
