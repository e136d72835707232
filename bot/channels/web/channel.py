"""The Rasa input channel that mounts the portal, the console and the API at the server root."""
from __future__ import annotations

import asyncio
import hashlib
import html
import json
import logging
import sys
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Union

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.web import accounts_api, casework_api
from bot.channels.web.api import (
    MAX_BODY_BYTES,
    RequestError,
    compare_json,
    facts_json,
    lookup_json,
    meta_json,
    status_json,
)
from bot.channels.web.auth import COOKIE, Principal, bearer_token, client_address, same_origin, same_secret
from bot.channels.web.settings import TOKEN_ROLE, WebSettings
from bot.channels.web.static import (
    CONTENT_TYPES,
    WEB_DIR,
    RootBlueprint,
    error_response,
    json_response,
    page,
    page_headers,
)
from bot.handoff import codes
from bot.handoff.limits import Blocked
from bot.handoff.settings import settings as handoff_settings
from bot.handoff.stores import stores
from bot.operators.accounts import ROLE_NAMES, AccountError, allows
from bot.operators.stores import OperatorStores, operator_stores
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
        self._admin_ready = False
        if self.settings.problems:
            logger.error("Operator console and /api are OFF (503): %s.", "; ".join(self.settings.problems))

    @property
    def session_seconds(self) -> float:
        return self.settings.session_hours * 3600

    def stores(self) -> OperatorStores:
        return operator_stores(self.session_seconds)

    def bootstrap(self) -> None:
        """The bootstrap admin from the environment (or, in development, with the password made at start).
        Retried at the next login when the database is not reachable yet."""
        if self._admin_ready or not self.settings.console_ready:
            return
        s = self.settings
        if s.admin_password is not None:
            self.stores().accounts.ensure_admin(s.admin_user, s.admin_password)
            if s.admin_password_generated:
                print(f"运营控制台 /console 管理员账号（开发模式，密码本次启动随机生成；生产环境请设置 CONSOLE_ADMIN_PASSWORD）："
                      f"{s.admin_user} / {s.admin_password}", file=sys.stderr, flush=True)
        elif not self.stores().accounts.active_admins():
            logger.error("No active admin account for the operator console: set CONSOLE_ADMIN_PASSWORD "
                         "(and CONSOLE_ADMIN_USER, default admin) to create one.")
        self._admin_ready = True

    # -- who a request acts for (database calls in a worker thread)

    @staticmethod
    async def _in_thread(work: Callable[[], Any]) -> Any:
        return await asyncio.get_running_loop().run_in_executor(None, work)

    def _auth_window(self) -> float:
        return handoff_settings().lookup_window_minutes * 60

    def _check_token(self, given: Optional[str], address: str) -> bool:
        """A bearer token, as a counted try of the address (wrong tokens are limited like wrong passwords)."""
        limiter = self.stores().limiter
        bucket = f"auth:{address}"
        limiter.take_all([(bucket, handoff_settings().login_limit_per_ip)], self._auth_window())
        if self.settings.token is not None and same_secret(given, self.settings.token):
            limiter.give_back(bucket)
            return True
        return False

    async def _principal(self, request: Request, needed: str) -> Union[Principal, HTTPResponse]:
        """Who the request acts for, if it may do what `needed` may; else the response to send."""
        if not self.settings.console_ready:
            return error_response("运营控制台未启用：配置有误，见服务器日志", 503)
        address = client_address(request)
        header = request.headers.get("authorization")
        if header is not None:
            given = bearer_token(header)
            try:
                ok = await self._in_thread(lambda: self._check_token(given, address))
            except Blocked as blocked:
                return too_many(blocked)
            if not ok:
                return error_response("口令不正确", 401, {"WWW-Authenticate": 'Bearer error="invalid_token"'})
            who = Principal("api-token", TOKEN_ROLE, given or "", address)
        else:
            token = request.cookies.get(COOKIE)
            session = await self._in_thread(lambda: self.stores().sessions.resolve(token)) if token else None
            if session is None:
                return error_response("需要登录：请先在 /console 登录，或在请求头中提供 Authorization: Bearer <口令>", 401,
                                      {"WWW-Authenticate": "Bearer"})
            if not same_origin(request.headers, request.host):
                return error_response("请求来源不被允许：请在运营控制台页面内使用，或用 Authorization: Bearer 口令", 403)
            who = Principal(session.account.username, session.account.role, token or "", address, token)
        if not allows(who.role, needed):
            return error_response(f"权限不足：需要{ROLE_NAMES[needed]}或以上角色", 403)
        return who

    async def _page_session(self, request: Request) -> Optional[Principal]:
        token = request.cookies.get(COOKIE)
        if not token:
            return None
        session = await self._in_thread(lambda: self.stores().sessions.resolve(token))
        if session is None:
            return None
        return Principal(session.account.username, session.account.role, token, client_address(request), token)

    def _secure_cookie(self, request: Request) -> bool:
        return self.settings.production or request.scheme == "https"

    def _audit(self, who: Principal, action: str, **details: Any) -> None:
        try:
            self.stores().audit.record(action, who.name, who.role, who.address, **details)
        except Exception as exc:  # the work is done; the failure to record it is logged, never its content
            logger.error("audit entry (%s) not stored: %s", action, type(exc).__name__)

    # -- routes

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = RootBlueprint("web")
        kb = self.kb
        static_files = {p.name: p for p in WEB_DIR.iterdir()
                        if p.is_file() and p.suffix in CONTENT_TYPES and not p.name.startswith(".")}
        try:
            self.bootstrap()
        except Exception as exc:  # the database may still be starting: retried at the first login
            logger.error("Operator console: bootstrap admin not stored yet (%s); retried at the first login",
                         type(exc).__name__)

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

        def message_page(title: str, message: str, status: int) -> HTTPResponse:
            return response.html(page("console-message.html", {"<!--TITLE-->": html.escape(title),
                                                              "<!--MESSAGE-->": html.escape(message)}),
                                 status=status, headers=page_headers("console"))

        def login_page(message: str = "", status: int = 200, headers: Optional[Dict[str, str]] = None) -> HTTPResponse:
            error = f'<p class="error" role="alert">{html.escape(message)}</p>' if message else ""
            return response.html(page("login.html", {"<!--ERROR-->": error}), status=status,
                                 headers={**page_headers("console"), **(headers or {})})

        async def console_page_for(request: Request, name: str, needed: str) -> HTTPResponse:
            if not self.settings.console_ready:
                return off_page()
            who = await self._page_session(request)
            if who is None:
                return response.redirect("/console/login", status=303, headers=page_headers("console"))
            if not allows(who.role, needed):
                return message_page("权限不足", f"此页面需要{ROLE_NAMES[needed]}或以上角色；您的角色：{ROLE_NAMES[who.role]}。", 403)
            return response.html(page(name, {"<!--USER-->": html.escape(f"{who.name}（{ROLE_NAMES[who.role]}）")}),
                                 headers=page_headers("console"))

        @bp.route("/console", methods=["GET"])
        async def console(request: Request) -> HTTPResponse:
            return await console_page_for(request, "console.html", "operator")

        @bp.route("/console/<name:case|review|admin>", methods=["GET"])
        async def console_page(request: Request, name: str) -> HTTPResponse:
            needed = {"case": "operator", "review": "reviewer", "admin": "admin"}[name]
            return await console_page_for(request, f"console-{name}.html", needed)

        @bp.route("/console/login", methods=["GET"])
        async def login_form(request: Request) -> HTTPResponse:
            if not self.settings.console_ready:
                return off_page()
            return login_page()

        def foreign(request: Request) -> Optional[HTTPResponse]:
            """A form posted from another site (login CSRF, a forced logout) is refused."""
            if same_origin(request.headers, request.host):
                return None
            return message_page("请求来源不被允许", "请在运营控制台页面内操作。", 403)

        def set_cookie(resp: HTTPResponse, request: Request, value: str, max_age: int) -> None:
            resp.cookies[COOKIE] = value
            cookie = resp.cookies[COOKIE]
            cookie["httponly"] = True
            cookie["samesite"] = "Strict"
            cookie["path"] = "/"
            cookie["max-age"] = max_age
            if self._secure_cookie(request):
                cookie["secure"] = True

        def try_login(username: str, password: str, address: str) -> Optional[str]:
            """A counted try of the address; the new session's token, or None for a wrong name or password."""
            self.bootstrap()
            st = self.stores()
            bucket = f"auth:{address}"
            st.limiter.take_all([(bucket, handoff_settings().login_limit_per_ip)], self._auth_window())
            account = st.accounts.verify(username, password)
            if account is None:
                known = st.accounts.find(username[:64]) is not None
                st.audit.record("login_failed", username[:64] if known else "（未知用户名）", "", address)
                return None
            st.limiter.give_back(bucket)
            token = st.sessions.create(account, address)
            st.audit.record("login", account.username, account.role, address)
            return token

        @bp.route("/console/login", methods=["POST"])
        async def login(request: Request) -> HTTPResponse:
            if not self.settings.console_ready:
                return off_page()
            refused = foreign(request)
            if refused is not None:
                return refused
            if len(request.body or b"") > 4096:
                return login_page("请求过大", 413)
            username = (request.form.get("username") or "").strip()
            password = request.form.get("password") or ""
            try:
                token = await self._in_thread(lambda: try_login(username, password, client_address(request)))
            except Blocked as blocked:
                return login_page("登录失败次数过多，请15分钟后再试。", 429, {"Retry-After": str(int(blocked.retry_after))})
            if token is None:
                await asyncio.sleep(0.3)  # slows one client's guessing; the address's tries are counted above
                return login_page("用户名或密码不正确，请重新输入。", 401)
            resp = response.redirect("/console", status=303, headers=page_headers("console"))
            set_cookie(resp, request, token, int(self.session_seconds))
            return resp

        @bp.route("/console/logout", methods=["POST"])
        async def logout(request: Request) -> HTTPResponse:
            refused = foreign(request)
            if refused is not None:
                return refused
            who = await self._page_session(request) if self.settings.console_ready else None
            if who is not None:
                def end_session() -> None:
                    self.stores().sessions.end(who.session)
                    self._audit(who, "logout")

                await self._in_thread(end_session)
            resp = response.redirect("/console/login", status=303, headers=page_headers("console"))
            set_cookie(resp, request, "", 0)
            return resp

        def body_json(request: Request) -> Any:
            raw = request.body or b""
            if len(raw) > MAX_BODY_BYTES:
                raise RequestError(f"请求过大（最多 {MAX_BODY_BYTES} 字节）")
            try:
                return json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                raise RequestError("请求内容不是有效的 JSON（UTF-8）") from None
            except RecursionError:  # [[[[… thousands deep: the parser's stack, not the server's problem
                raise RequestError("请求内容嵌套过深") from None

        def failed(exc: Exception) -> HTTPResponse:
            """Anything unexpected: one log line (no traceback, no request content) and the JSON error shape."""
            logger.error("console API request failed: %s", type(exc).__name__)
            return error_response("服务器内部错误", 500)

        async def api(request: Request, work: Callable[[], Any]) -> HTTPResponse:
            who = await self._principal(request, "operator")
            if not isinstance(who, Principal):
                return who
            try:
                return json_response(work())
            except (RequestError, ProfileError) as exc:
                return error_response(str(exc), 400)
            except Exception as exc:
                return failed(exc)

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

        # -- case codes, the review queue, accounts and the audit log: the database calls run in a worker thread

        def domain(request: Request) -> Any:
            """The served model's domain (intents, responses); None before a model is loaded."""
            return getattr(getattr(request.app.ctx, "agent", None), "domain", None)

        async def casework(request: Request, needed: str, work: Callable[[Principal], Any]) -> HTTPResponse:
            who = await self._principal(request, needed)
            if not isinstance(who, Principal):
                return who
            try:
                result = await self._in_thread(lambda: work(who))
            except Blocked as blocked:
                return too_many(blocked, "查询码错误次数过多，请15分钟后再试")
            except (RequestError, ProfileError, AccountError) as exc:
                return error_response(str(exc), 400)
            except LookupError as exc:
                return error_response(str(exc), 404)
            except Exception as exc:
                return failed(exc)
            if result is None:
                return error_response("查询码不存在或已过期", 404)
            if isinstance(result, tuple):  # the NLU export: YAML text to save
                text, count = result
                return response.text(text, content_type="application/x-yaml; charset=utf-8", headers={
                    **page_headers("api"), "Content-Disposition": 'attachment; filename="review-nlu.yml"',
                    "X-Examples": str(count)})
            return json_response(result)

        def case_lookup(who: Principal, body: Any) -> Any:
            typed = body.get("code") if isinstance(body, dict) else None
            code = codes.normalise(typed) if isinstance(typed, str) and len(typed) <= 40 else None
            digest = codes.digest(code) if code else None
            outcome = "refused"
            try:
                result = casework_api.case_json(stores()[0], body,
                                                casework_api.buckets(who.credential, who.address))
                outcome = "found" if result is not None else "not_found"
                return result
            except Blocked:
                outcome = "blocked"
                raise
            finally:
                self._audit(who, "case_lookup", case_digest=digest, outcome=outcome)

        @bp.route("/api/case", methods=["POST"])
        async def api_case(request: Request) -> HTTPResponse:
            return await casework(request, "operator", lambda who: case_lookup(who, body_json(request)))

        @bp.route("/api/review", methods=["GET"])
        async def api_review(request: Request) -> HTTPResponse:
            return await casework(request, "reviewer", lambda who: casework_api.review_json(
                stores()[1], request.args.get("status"), domain(request)))

        def resolve(who: Principal, body: Any) -> Any:
            result = casework_api.resolve_json(stores()[1], body)
            self._audit(who, "review_resolve", entries=[result["id"]], outcome="resolved")
            return result

        @bp.route("/api/review/resolve", methods=["POST"])
        async def api_review_resolve(request: Request) -> HTTPResponse:
            return await casework(request, "reviewer", lambda who: resolve(who, body_json(request)))

        @bp.route("/api/review/export", methods=["POST"])
        async def api_review_export(request: Request) -> HTTPResponse:
            def work(who: Principal) -> Any:
                body = body_json(request)
                text, count = casework_api.export_yaml(stores()[1], body, domain(request))
                self._audit(who, "review_export", entries=casework_api.export_ids(body), outcome=f"{count} examples")
                return text, count
            return await casework(request, "reviewer", work)

        # -- accounts, sessions and the audit log (admins)

        @bp.route("/api/me", methods=["GET"])
        async def api_me(request: Request) -> HTTPResponse:
            who = await self._principal(request, "operator")
            if not isinstance(who, Principal):
                return who
            return json_response({"username": who.name, "role": who.role, "role_name": ROLE_NAMES[who.role]})

        @bp.route("/api/accounts", methods=["GET"])
        async def api_accounts(request: Request) -> HTTPResponse:
            return await casework(request, "admin", lambda who: accounts_api.list_json(self.stores()))

        @bp.route("/api/accounts", methods=["POST"])
        async def api_account_create(request: Request) -> HTTPResponse:
            return await casework(request, "admin", lambda who: accounts_api.create_json(
                self.stores(), body_json(request), lambda **kw: self._audit(who, **kw)))

        @bp.route("/api/accounts/update", methods=["POST"])
        async def api_account_update(request: Request) -> HTTPResponse:
            return await casework(request, "admin", lambda who: accounts_api.update_json(
                self.stores(), body_json(request), lambda **kw: self._audit(who, **kw)))

        @bp.route("/api/sessions/end", methods=["POST"])
        async def api_sessions_end(request: Request) -> HTTPResponse:
            return await casework(request, "admin", lambda who: accounts_api.end_sessions_json(
                self.stores(), body_json(request), lambda **kw: self._audit(who, **kw)))

        @bp.route("/api/audit", methods=["GET"])
        async def api_audit(request: Request) -> HTTPResponse:
            return await casework(request, "admin", lambda who: accounts_api.audit_json(
                self.stores(), request.args.get("limit"), request.args.get("before")))

        return bp


def too_many(blocked: Blocked, message: str = "尝试次数过多，请15分钟后再试") -> HTTPResponse:
    return error_response(message, 429, {"Retry-After": str(int(blocked.retry_after) or 900)})
