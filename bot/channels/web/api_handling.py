"""How every console API route handles a request: who may call it (the channel's `principal`), the body read as
JSON, and every failure answered in the API's JSON error shape (never a traceback, never the request's content)."""

from __future__ import annotations

import json
import logging
from typing import Any, Callable

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.web.api import MAX_BODY_BYTES, RequestError
from bot.channels.web.app import WebApp
from bot.channels.web.auth import Principal
from bot.channels.web.static import error_response, json_response, page_headers
from bot.handoff.limits import Blocked
from bot.operators.accounts import AccountError
from rules_kb import ProfileError

logger = logging.getLogger(__name__)


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


def too_many(blocked: Blocked, message: str = "尝试次数过多，请15分钟后再试") -> HTTPResponse:
    return error_response(message, 429, {"Retry-After": str(int(blocked.retry_after) or 900)})


def failed(exc: Exception) -> HTTPResponse:
    """Anything unexpected: one log line (no traceback, no request content) and the JSON error shape."""
    logger.error("console API request failed: %s", type(exc).__name__)
    return error_response("服务器内部错误", 500)


async def answer(web: WebApp, request: Request, work: Callable[[], Any]) -> HTTPResponse:
    """An operator's question to the knowledge base: `work` runs in the event loop (no database)."""
    who = await web.principal(request, "operator")
    if not isinstance(who, Principal):
        return who
    try:
        return json_response(work())
    except (RequestError, ProfileError) as exc:
        return error_response(str(exc), 400)
    except Exception as exc:
        return failed(exc)


async def answer_in_thread(
    web: WebApp, request: Request, needed: str, work: Callable[[Principal], Any]
) -> HTTPResponse:
    """Work on the database (case codes, the review queue, accounts, the audit log) in a worker thread, for a
    caller with at least the role `needed`. None is an unknown or expired case code; a (text, count) pair is the
    review queue's NLU export, sent as a YAML file."""
    who = await web.principal(request, needed)
    if not isinstance(who, Principal):
        return who
    try:
        result = await web.in_thread(lambda: work(who))
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
        return response.text(
            text,
            content_type="application/x-yaml; charset=utf-8",
            headers={
                **page_headers("api"),
                "Content-Disposition": 'attachment; filename="review-nlu.yml"',
                "X-Examples": str(count),
            },
        )
    return json_response(result)
