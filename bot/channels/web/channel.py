"""The Rasa input channel that mounts the portal, the console and the API at the server root.

The channel holds what every route needs (settings, the knowledge base, the operator stores, who a request acts
for); each concern's routes are a blueprint of their own module, and `blueprint()` only groups them:
portal_routes.py (public pages and files), console_routes.py (console pages, login, logout), api_routes.py (the
knowledge base), casework_routes.py (case codes, the review queue), accounts_routes.py (accounts, sessions, audit).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Union

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint
from sanic.blueprint_group import BlueprintGroup
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.web import accounts_routes, api_routes, casework_routes, console_routes, portal_routes
from bot.channels.web.api_handling import too_many
from bot.channels.web.auth import COOKIE, Principal, bearer_token, client_address, same_origin, same_secret
from bot.channels.web.settings import TOKEN_ROLE, WebSettings
from bot.channels.web.static import error_response
from bot.handoff.limits import Blocked
from bot.handoff.settings import settings as handoff_settings
from bot.operators.accounts import ROLE_NAMES, allows
from bot.operators.stores import OperatorStores, operator_stores
from rules_kb import KB, default_kb

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
                print(
                    f"运营控制台 /console 管理员账号（开发模式，密码本次启动随机生成；生产环境请设置 CONSOLE_ADMIN_PASSWORD）："
                    f"{s.admin_user} / {s.admin_password}",
                    file=sys.stderr,
                    flush=True,
                )
        elif not self.stores().accounts.active_admins():
            logger.error(
                "No active admin account for the operator console: set CONSOLE_ADMIN_PASSWORD "
                "(and CONSOLE_ADMIN_USER, default admin) to create one."
            )
        self._admin_ready = True

    # -- who a request acts for (database calls in a worker thread)

    @staticmethod
    async def in_thread(work: Callable[[], Any]) -> Any:
        return await asyncio.get_running_loop().run_in_executor(None, work)

    def auth_window(self) -> float:
        return handoff_settings().lookup_window_minutes * 60

    def check_token(self, given: Optional[str], address: str) -> bool:
        """A bearer token, as a counted try of the address (wrong tokens are limited like wrong passwords)."""
        limiter = self.stores().limiter
        bucket = f"auth:{address}"
        limiter.take_all([(bucket, handoff_settings().login_limit_per_ip)], self.auth_window())
        if self.settings.token is not None and same_secret(given, self.settings.token):
            limiter.give_back(bucket)
            return True
        return False

    async def principal(self, request: Request, needed: str) -> Union[Principal, HTTPResponse]:
        """Who the request acts for, if it may do what `needed` may; else the response to send."""
        if not self.settings.console_ready:
            return error_response("运营控制台未启用：配置有误，见服务器日志", 503)
        address = client_address(request)
        header = request.headers.get("authorization")
        if header is not None:
            given = bearer_token(header)
            try:
                ok = await self.in_thread(lambda: self.check_token(given, address))
            except Blocked as blocked:
                return too_many(blocked)
            if not ok:
                return error_response("口令不正确", 401, {"WWW-Authenticate": 'Bearer error="invalid_token"'})
            who = Principal("api-token", TOKEN_ROLE, given or "", address)
        else:
            token = request.cookies.get(COOKIE)
            session = await self.in_thread(lambda: self.stores().sessions.resolve(token)) if token else None
            if session is None:
                return error_response(
                    "需要登录：请先在 /console 登录，或在请求头中提供 Authorization: Bearer <口令>",
                    401,
                    {"WWW-Authenticate": "Bearer"},
                )
            if not same_origin(request.headers, request.host):
                return error_response(
                    "请求来源不被允许：请在运营控制台页面内使用，或用 Authorization: Bearer 口令", 403
                )
            who = Principal(session.account.username, session.account.role, token or "", address, token)
        if not allows(who.role, needed):
            return error_response(f"权限不足：需要{ROLE_NAMES[needed]}或以上角色", 403)
        return who

    async def page_session(self, request: Request) -> Optional[Principal]:
        token = request.cookies.get(COOKIE)
        if not token:
            return None
        session = await self.in_thread(lambda: self.stores().sessions.resolve(token))
        if session is None:
            return None
        return Principal(session.account.username, session.account.role, token, client_address(request), token)

    def secure_cookie(self, request: Request) -> bool:
        return self.settings.production or request.scheme == "https"

    def audit(self, who: Principal, action: str, **details: Any) -> None:
        try:
            self.stores().audit.record(action, who.name, who.role, who.address, **details)
        except Exception as exc:  # the work is done; the failure to record it is logged, never its content
            logger.error("audit entry (%s) not stored: %s", action, type(exc).__name__)

    # -- routes

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> BlueprintGroup:
        try:
            self.bootstrap()
        except Exception as exc:  # the database may still be starting: retried at the first login
            logger.error(
                "Operator console: bootstrap admin not stored yet (%s); retried at the first login", type(exc).__name__
            )
        # A group of root blueprints: Rasa registers it like one blueprint, each member drops /webhooks/web
        return Blueprint.group(
            portal_routes.blueprint(),
            console_routes.blueprint(self),
            api_routes.blueprint(self),
            casework_routes.blueprint(self),
            accounts_routes.blueprint(self),
        )
