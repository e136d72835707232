"""Who is logged in (any role), and the accounts, sessions and audit log (admins), over accounts_api.py's
functions; each request's database work runs in a worker thread, changes recorded in the caller's name.

    GET  /api/me                 the caller's name and role
    GET  /api/accounts           accounts, roles, the number of sessions; POST /api/accounts creates one
    POST /api/accounts/update    role, password or active; POST /api/sessions/end ends sessions
    GET  /api/audit?limit=&before=  the audit log, newest first
"""

from __future__ import annotations

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.web import accounts_api
from bot.channels.web.api_handling import answer_in_thread, body_json
from bot.channels.web.app import WebApp
from bot.channels.web.auth import Principal
from bot.channels.web.static import RootBlueprint, json_response
from bot.operators.accounts import ROLE_NAMES


def blueprint(web: WebApp) -> Blueprint:
    bp = RootBlueprint("web_accounts")

    @bp.route("/api/me", methods=["GET"])
    async def api_me(request: Request) -> HTTPResponse:
        who = await web.principal(request, "operator")
        if not isinstance(who, Principal):
            return who
        return json_response({"username": who.name, "role": who.role, "role_name": ROLE_NAMES[who.role]})

    @bp.route("/api/accounts", methods=["GET"])
    async def api_accounts(request: Request) -> HTTPResponse:
        return await answer_in_thread(web, request, "admin", lambda who: accounts_api.list_json(web.stores()))

    @bp.route("/api/accounts", methods=["POST"])
    async def api_account_create(request: Request) -> HTTPResponse:
        return await answer_in_thread(
            web,
            request,
            "admin",
            lambda who: accounts_api.create_json(web.stores(), body_json(request), lambda **kw: web.audit(who, **kw)),
        )

    @bp.route("/api/accounts/update", methods=["POST"])
    async def api_account_update(request: Request) -> HTTPResponse:
        return await answer_in_thread(
            web,
            request,
            "admin",
            lambda who: accounts_api.update_json(web.stores(), body_json(request), lambda **kw: web.audit(who, **kw)),
        )

    @bp.route("/api/sessions/end", methods=["POST"])
    async def api_sessions_end(request: Request) -> HTTPResponse:
        return await answer_in_thread(
            web,
            request,
            "admin",
            lambda who: accounts_api.end_sessions_json(
                web.stores(), body_json(request), lambda **kw: web.audit(who, **kw)
            ),
        )

    @bp.route("/api/audit", methods=["GET"])
    async def api_audit(request: Request) -> HTTPResponse:
        return await answer_in_thread(
            web,
            request,
            "admin",
            lambda who: accounts_api.audit_json(web.stores(), request.args.get("limit"), request.args.get("before")),
        )

    return bp
