"""The case-code lookup (operator) and the review queue (reviewer), over casework_api.py's functions; each request's
database work runs in a worker thread and what it did goes to the audit log.

    POST /api/case               {"code"} -> the masked case (404 unknown/expired, 429 too many wrong)
    GET  /api/review?status=     counts by day/channel/topic, entries, the domain's intents
    POST /api/review/resolve     {"id", "note"}
    POST /api/review/export      {"entries": [{"id", "intent"}]} -> NLU YAML
"""

from __future__ import annotations

from typing import Any

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.web import casework_api
from bot.channels.web.api_handling import answer_in_thread, body_json
from bot.channels.web.app import WebApp
from bot.channels.web.auth import Principal
from bot.channels.web.static import RootBlueprint
from bot.handoff import codes
from bot.handoff.limits import Blocked
from bot.handoff.stores import stores


def domain(request: Request) -> Any:
    """The served model's domain (intents, responses); None before a model is loaded."""
    return getattr(getattr(request.app.ctx, "agent", None), "domain", None)


def case_lookup(web: WebApp, who: Principal, body: Any) -> Any:
    typed = body.get("code") if isinstance(body, dict) else None
    code = codes.normalise(typed) if isinstance(typed, str) and len(typed) <= 40 else None
    digest = codes.digest(code) if code else None
    outcome = "refused"
    try:
        result = casework_api.case_json(stores().cases, body, casework_api.buckets(who.credential, who.address))
        outcome = "found" if result is not None else "not_found"
        return result
    except Blocked:
        outcome = "blocked"
        raise
    finally:
        web.audit(who, "case_lookup", case_digest=digest, outcome=outcome)


def resolve(web: WebApp, who: Principal, body: Any) -> Any:
    result = casework_api.resolve_json(stores().review_queue, body)
    web.audit(who, "review_resolve", entries=[result["id"]], outcome="resolved")
    return result


def export(web: WebApp, who: Principal, request: Request) -> Any:
    body = body_json(request)
    text, count = casework_api.export_yaml(stores().review_queue, body, domain(request))
    web.audit(who, "review_export", entries=casework_api.export_ids(body), outcome=f"{count} examples")
    return text, count


def blueprint(web: WebApp) -> Blueprint:
    bp = RootBlueprint("web_casework")

    @bp.route("/api/case", methods=["POST"])
    async def api_case(request: Request) -> HTTPResponse:
        return await answer_in_thread(web, request, "operator", lambda who: case_lookup(web, who, body_json(request)))

    @bp.route("/api/review", methods=["GET"])
    async def api_review(request: Request) -> HTTPResponse:
        return await answer_in_thread(
            web,
            request,
            "reviewer",
            lambda who: casework_api.review_json(stores().review_queue, request.args.get("status"), domain(request)),
        )

    @bp.route("/api/review/resolve", methods=["POST"])
    async def api_review_resolve(request: Request) -> HTTPResponse:
        return await answer_in_thread(web, request, "reviewer", lambda who: resolve(web, who, body_json(request)))

    @bp.route("/api/review/export", methods=["POST"])
    async def api_review_export(request: Request) -> HTTPResponse:
        return await answer_in_thread(web, request, "reviewer", lambda who: export(web, who, request))

    return bp
