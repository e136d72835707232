"""The operator console's pages and its login: HTML for a browser, a session cookie, redirects to the login page.

GET  /console                        the console (operator); without a session -> /console/login
GET  /console/case, /review, /admin  the case-code lookup (operator), the review queue (reviewer), accounts (admin)
GET  /console/login                  the login form; POST /console/login starts a session (cookie)
POST /console/logout                 ends it
"""

from __future__ import annotations

import asyncio
import html
from typing import Dict, Optional

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.web.app import WebApp
from bot.channels.web.auth import COOKIE, client_address, same_origin
from bot.channels.web.static import RootBlueprint, page, page_headers
from bot.handoff.limits import Blocked
from bot.handoff.settings import settings as handoff_settings
from bot.operators.accounts import ROLE_NAMES, allows

PAGE_ROLES = {"case": "operator", "review": "reviewer", "admin": "admin"}


def off_page() -> HTTPResponse:
    return response.html(page("console-off.html"), status=503, headers=page_headers("console"))


def message_page(title: str, message: str, status: int) -> HTTPResponse:
    return response.html(
        page("console-message.html", {"<!--TITLE-->": html.escape(title), "<!--MESSAGE-->": html.escape(message)}),
        status=status,
        headers=page_headers("console"),
    )


def login_page(message: str = "", status: int = 200, headers: Optional[Dict[str, str]] = None) -> HTTPResponse:
    error = f'<p class="error" role="alert">{html.escape(message)}</p>' if message else ""
    return response.html(
        page("login.html", {"<!--ERROR-->": error}),
        status=status,
        headers={**page_headers("console"), **(headers or {})},
    )


def foreign(request: Request) -> Optional[HTTPResponse]:
    """A form posted from another site (login CSRF, a forced logout) is refused."""
    if same_origin(request.headers, request.host):
        return None
    return message_page("请求来源不被允许", "请在运营控制台页面内操作。", 403)


def set_cookie(web: WebApp, resp: HTTPResponse, request: Request, value: str, max_age: int) -> None:
    resp.cookies[COOKIE] = value
    cookie = resp.cookies[COOKIE]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = "/"
    cookie["max-age"] = max_age
    if web.secure_cookie(request):
        cookie["secure"] = True


def try_login(web: WebApp, username: str, password: str, address: str) -> Optional[str]:
    """A counted try of the address; the new session's token, or None for a wrong name or password."""
    web.bootstrap()
    st = web.stores()
    bucket = f"auth:{address}"
    st.limiter.take_all([(bucket, handoff_settings().login_limit_per_ip)], web.auth_window())
    account = st.accounts.verify(username, password)
    if account is None:
        known = st.accounts.find(username[:64]) is not None
        st.audit.record("login_failed", username[:64] if known else "（未知用户名）", "", address)
        return None
    st.limiter.give_back(bucket)
    token = st.sessions.create(account, address)
    st.audit.record("login", account.username, account.role, address)
    return token


async def console_page_for(web: WebApp, request: Request, name: str, needed: str) -> HTTPResponse:
    if not web.settings.console_ready:
        return off_page()
    who = await web.page_session(request)
    if who is None:
        return response.redirect("/console/login", status=303, headers=page_headers("console"))
    if not allows(who.role, needed):
        return message_page(
            "权限不足", f"此页面需要{ROLE_NAMES[needed]}或以上角色；您的角色：{ROLE_NAMES[who.role]}。", 403
        )
    return response.html(
        page(name, {"<!--USER-->": html.escape(f"{who.name}（{ROLE_NAMES[who.role]}）")}),
        headers=page_headers("console"),
    )


async def log_in(web: WebApp, request: Request) -> HTTPResponse:
    if not web.settings.console_ready:
        return off_page()
    refused = foreign(request)
    if refused is not None:
        return refused
    if len(request.body or b"") > 4096:
        return login_page("请求过大", 413)
    username = (request.form.get("username") or "").strip()
    password = request.form.get("password") or ""
    try:
        token = await web.in_thread(lambda: try_login(web, username, password, client_address(request)))
    except Blocked as blocked:
        return login_page("登录失败次数过多，请15分钟后再试。", 429, {"Retry-After": str(int(blocked.retry_after))})
    if token is None:
        await asyncio.sleep(0.3)  # slows one client's guessing; the address's tries are counted above
        return login_page("用户名或密码不正确，请重新输入。", 401)
    resp = response.redirect("/console", status=303, headers=page_headers("console"))
    set_cookie(web, resp, request, token, int(web.session_seconds))
    return resp


async def log_out(web: WebApp, request: Request) -> HTTPResponse:
    refused = foreign(request)
    if refused is not None:
        return refused
    who = await web.page_session(request) if web.settings.console_ready else None
    if who is not None:

        def end_session() -> None:
            web.stores().sessions.end(who.session)
            web.audit(who, "logout")

        await web.in_thread(end_session)
    resp = response.redirect("/console/login", status=303, headers=page_headers("console"))
    set_cookie(web, resp, request, "", 0)
    return resp


def blueprint(web: WebApp) -> Blueprint:
    bp = RootBlueprint("web_console")

    @bp.route("/console", methods=["GET"])
    async def console(request: Request) -> HTTPResponse:
        return await console_page_for(web, request, "console.html", "operator")

    @bp.route("/console/<name:case|review|admin>", methods=["GET"])
    async def console_page(request: Request, name: str) -> HTTPResponse:
        return await console_page_for(web, request, f"console-{name}.html", PAGE_ROLES[name])

    @bp.route("/console/login", methods=["GET"])
    async def login_form(request: Request) -> HTTPResponse:
        if not web.settings.console_ready:
            return off_page()
        return login_page()

    @bp.route("/console/login", methods=["POST"])
    async def login(request: Request) -> HTTPResponse:
        return await log_in(web, request)

    @bp.route("/console/logout", methods=["POST"])
    async def logout(request: Request) -> HTTPResponse:
        return await log_out(web, request)

    return bp
