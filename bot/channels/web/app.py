"""What the route modules use of the web channel, as a Protocol: the channel (channel.py) composes the route
modules, and they name only this, so no route module imports the channel back."""

from __future__ import annotations

from typing import Any, Callable, Optional, Protocol, Union

from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.web.auth import Principal
from bot.channels.web.settings import WebSettings
from bot.operators.stores import OperatorStores
from rules_kb import KB


class WebApp(Protocol):
    settings: WebSettings
    kb: KB

    @property
    def session_seconds(self) -> float: ...

    def stores(self) -> OperatorStores: ...

    def bootstrap(self) -> None: ...

    @staticmethod
    async def in_thread(work: Callable[[], Any]) -> Any: ...

    def auth_window(self) -> float: ...

    async def principal(self, request: Request, needed: str) -> Union[Principal, HTTPResponse]: ...

    async def page_session(self, request: Request) -> Optional[Principal]: ...

    def secure_cookie(self, request: Request) -> bool: ...

    def audit(self, who: Principal, action: str, **details: Any) -> None: ...
