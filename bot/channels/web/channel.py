"""The Rasa input channel that mounts the portal, the console and the API at the server root."""
from __future__ import annotations

import asyncio
import hashlib
import html
import json
import logging
import sys
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.web import casework_api
from bot.channels.web.api import (
    MAX_BODY_BYTES,
    RequestError,
    compare_json,
    facts_json,
    lookup_json,
    meta_json,
    status_json,
)
from bot.channels.web.auth import COOKIE, ConsoleAuth, bearer_token, same_origin
from bot.channels.web.settings import MIN_PRODUCTION_TOKEN, WebSettings
from bot.channels.web.static import (
    CONTENT_TYPES,
    WEB_DIR,
    RootBlueprint,
    error_response,
    json_response,
    page,
    page_headers,
)
from bot.handoff.stores import stores
from rules_kb import (
    KB,
    ProfileError,
    default_kb,
)

logger = logging.getLogger(__name__)

class WebInput(InputChannel):
    """The portal widget's demo page and the operator console with its JSON API (see the module docstring)."""

    @classmethod
    def name(cls) -> Text:
        return "web"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WebInput":
        return cls(WebSettings.load(credentials))

    def __init__(self, settings: Optional[WebSettings] = None, kb: Optional[KB] = None) -> None:
        self.settings = settings or WebSettings.load(None)
        self.kb = kb or default_kb()
        self.auth = (ConsoleAuth(self.settings.token, self.settings.session_hours * 3600)
                     if self.settings.console_ready else None)
        if self.settings.problems:
            logger.error("Operator console and /api are OFF (503): %s. Set CONSOLE_TOKEN (at least %d characters) "
                         "to serve them.", "; ".join(self.settings.problems), MIN_PRODUCTION_TOKEN)
        if self.settings.token_generated:
            print(f"运营控制台 /console 登录口令（开发模式，本次启动随机生成；生产环境请设置 CONSOLE_TOKEN）：{self.settings.token}",
                  file=sys.stderr, flush=True)

    # -- authentication

    def _authorised(self, request: Request) -> Optional[HTTPResponse]:
        """None when the request may use the API, else the response to send."""
        if self.auth is None:
            return error_response("运营控制台未启用：生产环境必须设置 CONSOLE_TOKEN", 503)
        header = request.headers.get("authorization")
        if header is not None:
            if self.auth.check_token(bearer_token(header)):
                return None
            return error_response("口令不正确", 401, {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        if self.auth.valid_session(request.cookies.get(COOKIE)):
            if same_origin(request.headers, request.host):
                return None
            return error_response("请求来源不被允许：请在运营控制台页面内使用，或用 Authorization: Bearer 口令", 403)
        return error_response("需要登录：请先在 /console 登录，或在请求头中提供 Authorization: Bearer <口令>", 401,
                      {"WWW-Authenticate": "Bearer"})

    def _logged_in(self, request: Request) -> bool:
        return self.auth is not None and self.auth.valid_session(request.cookies.get(COOKIE))

    def _secure_cookie(self, request: Request) -> bool:
        return self.settings.production or request.scheme == "https"

    # -- routes

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = RootBlueprint("web")
        kb = self.kb
        static_files = {p.name: p for p in WEB_DIR.iterdir()
                        if p.is_file() and p.suffix in CONTENT_TYPES and not p.name.startswith(".")}

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

        def off_page() -> HTTPResponse:
            return response.html(page("console-off.html"), status=503, headers=page_headers("console"))

        def login_page(message: str = "", status: int = 200) -> HTTPResponse:
            error = f'<p class="error" role="alert">{html.escape(message)}</p>' if message else ""
            return response.html(page("login.html", {"<!--ERROR-->": error}), status=status,
                                 headers=page_headers("console"))

        @bp.route("/console", methods=["GET"])
        async def console(request: Request) -> HTTPResponse:
            if self.auth is None:
                return off_page()
            if not self._logged_in(request):
                return response.redirect("/console/login", status=303, headers=page_headers("console"))
            return response.html(page("console.html"), headers=page_headers("console"))

        @bp.route("/console/<name:case|review>", methods=["GET"])
        async def console_page(request: Request, name: str) -> HTTPResponse:
            if self.auth is None:
                return off_page()
            if not self._logged_in(request):
                return response.redirect("/console/login", status=303, headers=page_headers("console"))
            return response.html(page(f"console-{name}.html"), headers=page_headers("console"))

        @bp.route("/console/login", methods=["GET"])
        async def login_form(request: Request) -> HTTPResponse:
            if self.auth is None:
                return off_page()
            return login_page()

        @bp.route("/console/login", methods=["POST"])
        async def login(request: Request) -> HTTPResponse:
            if self.auth is None:
                return off_page()
            if len(request.body or b"") > 4096:
                return login_page("请求过大", 413)
            if not self.auth.check_token((request.form.get("token") or "").strip()):
                await asyncio.sleep(0.3)  # slows guessing; the token is long and random anyway
                return login_page("口令不正确，请重新输入。", 401)
            resp = response.redirect("/console", status=303, headers=page_headers("console"))
            resp.cookies[COOKIE] = self.auth.new_session()
            cookie = resp.cookies[COOKIE]
            cookie["httponly"] = True
            cookie["samesite"] = "Strict"
            cookie["path"] = "/"
            cookie["max-age"] = int(self.auth.session_seconds)
            if self._secure_cookie(request):
                cookie["secure"] = True
            return resp

        @bp.route("/console/logout", methods=["POST"])
        async def logout(request: Request) -> HTTPResponse:
            resp = response.redirect("/console/login", status=303, headers=page_headers("console"))
            resp.cookies[COOKIE] = ""
            resp.cookies[COOKIE]["max-age"] = 0
            resp.cookies[COOKIE]["path"] = "/"
            resp.cookies[COOKIE]["httponly"] = True
            resp.cookies[COOKIE]["samesite"] = "Strict"
            return resp

        def body_json(request: Request) -> Any:
            raw = request.body or b""
            if len(raw) > MAX_BODY_BYTES:
                raise RequestError(f"请求过大（最多 {MAX_BODY_BYTES} 字节）")
            try:
                return json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                raise RequestError("请求内容不是有效的 JSON（UTF-8）") from None

        async def api(request: Request, work: Callable[[], Any]) -> HTTPResponse:
            denied = self._authorised(request)
            if denied is not None:
                return denied
            try:
                return json_response(work())
            except (RequestError, ProfileError) as exc:
                return error_response(str(exc), 400)

        @bp.route("/api/meta", methods=["GET"])
        async def api_meta(request: Request) -> HTTPResponse:
            return await api(request, lambda: meta_json(kb))

        @bp.route("/api/lookup", methods=["POST"])
        async def api_lookup(request: Request) -> HTTPResponse:
            return await api(request, lambda: lookup_json(kb, body_json(request)))

        @bp.route("/api/compare", methods=["POST"])
        async def api_compare(request: Request) -> HTTPResponse:
            return await api(request, lambda: compare_json(kb, body_json(request)))

        @bp.route("/api/facts", methods=["GET"])
        async def api_facts(request: Request) -> HTTPResponse:
            args = request.args
            return await api(request, lambda: facts_json(kb, args.get("q"), args.get("city"), args.get("limit"),
                                                         args.get("on")))

        @bp.route("/api/kb/status", methods=["GET"])
        async def api_kb_status(request: Request) -> HTTPResponse:
            args = request.args
            return await api(request, lambda: status_json(kb, args.get("on"), args.get("within")))

        # -- case codes and the review queue (bot/handoff/): the database calls run in a worker thread

        def domain(request: Request) -> Any:
            """The served model's domain (intents, responses); None before a model is loaded."""
            return getattr(getattr(request.app.ctx, "agent", None), "domain", None)

        async def casework(request: Request, work: Callable[[], Any]) -> HTTPResponse:
            denied = self._authorised(request)
            if denied is not None:
                return denied
            try:
                result = await asyncio.get_running_loop().run_in_executor(None, work)
            except casework_api.Blocked:
                return error_response("查询码错误次数过多，请15分钟后再试", 429, {"Retry-After": "900"})
            except (RequestError, ProfileError) as exc:
                return error_response(str(exc), 400)
            except LookupError as exc:
                return error_response(str(exc), 404)
            if result is None:
                return error_response("查询码不存在或已过期", 404)
            if isinstance(result, tuple):  # the NLU export: YAML text to save
                text, count = result
                return response.text(text, content_type="application/x-yaml; charset=utf-8", headers={
                    **page_headers("api"), "Content-Disposition": 'attachment; filename="review-nlu.yml"',
                    "X-Examples": str(count)})
            return json_response(result)

        @bp.route("/api/case", methods=["POST"])
        async def api_case(request: Request) -> HTTPResponse:
            limit = casework_api.buckets(request.cookies.get(COOKIE), bearer_token(request.headers.get("authorization")),
                                         request.remote_addr or request.ip)
            return await casework(request, lambda: casework_api.case_json(stores()[0], body_json(request), limit))

        @bp.route("/api/review", methods=["GET"])
        async def api_review(request: Request) -> HTTPResponse:
            return await casework(request, lambda: casework_api.review_json(stores()[1], request.args.get("status"),
                                                                           domain(request)))

        @bp.route("/api/review/resolve", methods=["POST"])
        async def api_review_resolve(request: Request) -> HTTPResponse:
            return await casework(request, lambda: casework_api.resolve_json(stores()[1], body_json(request)))

        @bp.route("/api/review/export", methods=["POST"])
        async def api_review_export(request: Request) -> HTTPResponse:
            return await casework(request, lambda: casework_api.export_yaml(stores()[1], body_json(request),
                                                                           domain(request)))

        return bp
