"""The web front ends, served by the Rasa server itself: the portal chat widget and the operator console.

    GET  /portal                 a city-portal stand-in with the widget embedded (public)
    GET  /static/<file>          widget.js, widget.css, console.js, console.css… from bot/web/ (public)
    GET  /console                the operator console (login required; otherwise -> /console/login)
    GET  /console/login          login form; POST /console/login sets the session cookie; POST /console/logout
    GET  /api/meta               cities, counties, statuses and grades the engine accepts     } operator login:
    POST /api/lookup             profile JSON -> entitlements (Answer.to_dict() + display text)   } Bearer token
    POST /api/compare            the same profile in the three cities side by side               } or the console
    GET  /api/facts?q=&city=     policy facts with their sources                                  } cookie

The widget itself talks to the REST channel (POST /webhooks/rest/webhook) like any other client.

Why a channel: Rasa builds its Sanic app inside `rasa run` and only lets input channels add routes, mounting each
channel's blueprint under /webhooks/<name>/ (rasa.core.channels.channel.register). These pages belong at the root,
so `blueprint()` returns a `RootBlueprint`, a Sanic Blueprint whose `register()` drops the /webhooks/web prefix.
That is Sanic's own registration path with the app Rasa passes in: no global app lookup (Sanic.get_app() would
need Rasa's internal app name, "rasa_server" or "rasa_core_no_api") and no patching of Rasa.

Login: the token is CONSOLE_TOKEN (or `console_token` in credentials.yml). In production (YANGLAO_ENV=production,
or the deployment's YANGLAO_PROFILE=production) without a token, or with one shorter than 16 characters, the
console and the API answer 503 and an error is logged, while the chat keeps running; in development a random
token is generated at every start and printed to the terminal.
Tokens are compared in constant time; the console's cookie is HttpOnly, SameSite=Strict, Path=/, holds an expiry
and an HMAC of it keyed by the token (never the token), and is Secure in production or over https. A request
authenticated by the cookie must also come from the console's own origin (Origin / Sec-Fetch-Site), so a site
allowed by --cors for the widget cannot use an operator's session.
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import html
import json
import logging
import os
import secrets
import sys
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Text, Tuple
from urllib.parse import urlsplit

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rules_kb import (
    ABILITY_GRADES,
    DISABILITY_GRADES,
    KB,
    Answer,
    Profile,
    ProfileError,
    default_kb,
    evaluate,
    find_facts,
    known_facts,
    make_profile,
    render,
    resolve_place,
    search_facts,
)

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parents[1] / "web"
COOKIE = "yanglao_console"
MIN_PRODUCTION_TOKEN = 16
MAX_BODY_BYTES = 16 * 1024
MAX_FACTS = 50
SETTINGS = {"console_token": "CONSOLE_TOKEN", "environment": "YANGLAO_ENV", "session_hours": None}

_dumps = partial(json.dumps, ensure_ascii=False)
_CONTENT_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                  ".png": "image/png", ".svg": "image/svg+xml", ".ico": "image/x-icon",
                  ".txt": "text/plain; charset=utf-8", ".json": "application/json"}
_CSP_CONSOLE = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
_CSP_PORTAL = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "connect-src 'self'; frame-src 'self'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'")


class RequestError(ValueError):
    """A request the API cannot use; the message (Chinese) says what is accepted."""


# ------------------------------------------------------------------------------------------------ settings


@dataclass(frozen=True)
class WebSettings:
    production: bool
    token: Optional[str]  # None: the console is off (production without a usable token)
    token_generated: bool = False
    session_hours: float = 12.0
    problems: Tuple[str, ...] = ()

    @property
    def console_ready(self) -> bool:
        return self.token is not None

    @classmethod
    def load(cls, credentials: Optional[Mapping[Text, Any]], environ: Mapping[str, str] = os.environ,
             make_token: Callable[[], str] = lambda: secrets.token_urlsafe(18)) -> "WebSettings":
        """Settings from credentials.yml (a value there wins) or else the environment variable."""
        credentials = dict(credentials or {})
        unknown = sorted(set(credentials) - set(SETTINGS))
        if unknown:
            raise ValueError(f"unknown setting(s) for the web channel: {', '.join(unknown)} "
                             f"(accepted: {', '.join(SETTINGS)})")

        def setting(key: str) -> Optional[str]:
            value = credentials.get(key)
            if value is None and SETTINGS[key]:
                value = environ.get(SETTINGS[key])
            value = str(value).strip() if value is not None else ""
            return value or None

        env = (setting("environment") or "development").lower()
        if env not in ("production", "prod", "development", "dev"):
            raise ValueError(f"YANGLAO_ENV must be production or development, not {env!r}")
        # The deployment profile (scripts/run.sh, deploy/) saying production is enough, whatever YANGLAO_ENV says.
        production = env in ("production", "prod") or environ.get("YANGLAO_PROFILE", "").strip().lower() == "production"
        hours = credentials.get("session_hours", 12)
        if isinstance(hours, bool) or not isinstance(hours, (int, float)) or not 0 < hours <= 24 * 7:
            raise ValueError(f"session_hours must be a number of hours in (0, 168], not {hours!r}")
        token = setting("console_token")
        if production:
            if token is None:
                return cls(True, None, session_hours=hours, problems=("CONSOLE_TOKEN is not set",))
            if len(token) < MIN_PRODUCTION_TOKEN:
                return cls(True, None, session_hours=hours,
                           problems=(f"CONSOLE_TOKEN is shorter than {MIN_PRODUCTION_TOKEN} characters",))
            return cls(True, token, session_hours=hours)
        if token is None:
            return cls(False, make_token(), token_generated=True, session_hours=hours)
        return cls(False, token, session_hours=hours)


# ------------------------------------------------------------------------------------------------ login


def same_secret(given: Optional[str], expected: str) -> bool:
    """Constant-time comparison of a presented token with the configured one."""
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class ConsoleAuth:
    """The operator's bearer token and the session cookie derived from it."""

    def __init__(self, token: str, session_seconds: float):
        self.token = token
        self.session_seconds = session_seconds
        self._key = hashlib.sha256(b"yanglao-console-session\0" + token.encode("utf-8")).digest()

    def check_token(self, given: Optional[str]) -> bool:
        return same_secret(given, self.token)

    def _sign(self, expiry: int) -> str:
        mac = hmac.new(self._key, str(expiry).encode("ascii"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")

    def new_session(self, now: Optional[float] = None) -> str:
        expiry = int((now if now is not None else time.time()) + self.session_seconds)
        return f"{expiry}.{self._sign(expiry)}"

    def valid_session(self, value: Optional[str], now: Optional[float] = None) -> bool:
        if not value or value.count(".") != 1:
            return False
        expiry_text, signature = value.split(".")
        if not expiry_text.isdigit() or len(expiry_text) > 12:
            return False
        if not hmac.compare_digest(signature.encode("ascii", "replace"), self._sign(int(expiry_text)).encode("ascii")):
            return False
        return int(expiry_text) > (now if now is not None else time.time())


def bearer_token(header: Optional[str]) -> Optional[str]:
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


def same_origin(headers: Mapping[str, str], host: str) -> bool:
    """A cookie-authenticated request must come from the console's own pages: the browser's Sec-Fetch-Site says
    same-origin (every current browser sends it), and an Origin header, if any, names this host. Ports are not
    compared there, since a reverse proxy's Host header often drops them (Sec-Fetch-Site already tells them apart)."""
    site = headers.get("sec-fetch-site")
    if site and site not in ("same-origin", "none"):
        return False
    origin = headers.get("origin")
    if origin is None:
        return True
    try:
        return bool(origin != "null" and urlsplit(origin).hostname == urlsplit("//" + (host or "")).hostname)
    except ValueError:
        return False


# ------------------------------------------------------------------------------------------------ the API


_PROFILE_FIELDS = ("place", "city", "age", "statuses", "not_statuses", "ability_grade", "disability_grade",
                   "unknown_is_no", "compare")


def _optional_int(body: Mapping[str, Any], key: str, label: str) -> Optional[int]:
    value = body.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise RequestError(f"{label}必须是整数（{key}），收到：{value!r}")
    return value


def _word_list(body: Mapping[str, Any], key: str) -> List[str]:
    value = body.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value) or len(value) > 40:
        raise RequestError(f"{key} 必须是身份状况的列表，如 [\"低保\", \"独居\"]")
    return [x for x in (s.strip() for s in value) if x]


def parse_profile(kb: KB, body: Any, place_required: bool = True) -> Tuple[Profile, Dict[str, Any]]:
    """The API's profile JSON -> a validated Profile and the request's options.

    {"place": "枣庄" (or "city"; a county such as 滕州 works), "age": 85, "statuses": ["低保"],
     "not_statuses": [], "ability_grade": null, "disability_grade": null, "unknown_is_no": false,
     "compare": false}"""
    if not isinstance(body, dict):
        raise RequestError("请求内容必须是一个 JSON 对象，如 {\"place\": \"枣庄\", \"age\": 85, \"statuses\": [\"低保\"]}")
    unknown = sorted(set(body) - set(_PROFILE_FIELDS))
    if unknown:
        raise RequestError(f"未知字段：{'、'.join(unknown)}（可用：{'、'.join(_PROFILE_FIELDS)}）")
    place = body.get("place") if body.get("place") not in (None, "") else body.get("city")
    if place in (None, ""):
        if place_required:
            raise RequestError("请填写城市或县区（place），如 枣庄、滕州、曲阜、临清")
        place = kb.cities[0]
    if not isinstance(place, str) or len(place) > 40:
        raise RequestError("城市或县区（place）必须是文字，如 枣庄")
    options = {"unknown_is_no": bool(body.get("unknown_is_no")), "compare": bool(body.get("compare"))}
    age = _optional_int(body, "age", "年龄")
    ability = _optional_int(body, "ability_grade", "能力评估等级")
    disability = _optional_int(body, "disability_grade", "残疾等级")
    statuses = _word_list(body, "statuses")
    not_statuses = _word_list(body, "not_statuses")
    profile = make_profile(kb, place, age, statuses, not_statuses, ability, disability)
    if options["unknown_is_no"]:
        holds, _ = known_facts(kb, profile)
        rest = [s for s in kb.regions.statuses if s not in holds]
        profile = make_profile(kb, place, age, statuses, [*not_statuses, *rest], ability, disability)
    return profile, options


def _hint_label(h) -> str:
    return render.hint_lines([h])[0].split("：", 1)[1]


def answer_json(answer: Answer) -> Dict[str, Any]:
    """Answer.to_dict() plus the display text the chatbot uses for each part (render.py)."""
    data = answer.to_dict()
    for e, row in zip(answer.items, data["items"]):
        row["amount_text"] = render.amount_text(e)
        row["citations"] = [s.cite() for s in e.sources()]
    for h, row in zip(answer.hints, data["hints"]):
        row["text"] = _hint_label(h)
    data["total_text"] = render.total_line(answer) if answer.items else None
    data["hint_lines"] = render.hint_lines(answer.hints)
    data["text"] = render.answer_text(answer)
    return data


def lookup_json(kb: KB, body: Any) -> Dict[str, Any]:
    profile, options = parse_profile(kb, body)
    result = answer_json(evaluate(kb, profile))
    if options["compare"]:
        result["compare"] = compare_profile(kb, profile)
    return result


def compare_profile(kb: KB, profile: Profile) -> Dict[str, Any]:
    """The same person (age, statuses, grades) in each city: one row per item name, one column per city."""
    answers = {c: evaluate(kb, Profile(c, profile.age, profile.statuses, profile.not_statuses,
                                       profile.ability_grade, profile.disability_grade)) for c in kb.cities}
    order = [profile.city] + [c for c in kb.cities if c != profile.city]
    rows: Dict[str, Dict[str, Any]] = {}
    for city in order:
        for e in answers[city].items:
            row = rows.setdefault(e.name, {"name": e.name, "kind": e.item.kind, "cells": {c: None for c in kb.cities}})
            row["cells"][city] = {"amount_text": render.amount_text(e), "amount_yuan_per_month": e.amount_yuan_per_month,
                                  "agency": e.agency, "source": e.source.cite(), "proviso": e.item.proviso}
    return {
        "profile": {"age": profile.age, "statuses": sorted(profile.statuses),
                    "not_statuses": sorted(profile.not_statuses), "ability_grade": profile.ability_grade,
                    "disability_grade": profile.disability_grade},
        "home": profile.city,
        "cities": list(kb.cities),
        "rows": list(rows.values()),
        "totals": {c: {"monthly_total_yuan": a.monthly_total_yuan, "total_is_minimum": a.total_is_minimum,
                       "text": render.total_line(a) if a.items else None} for c, a in answers.items()},
        "hint_lines": {c: render.hint_lines(a.hints) for c, a in answers.items()},
        "documents": {c: a.documents() for c, a in answers.items()},
    }


def compare_json(kb: KB, body: Any) -> Dict[str, Any]:
    profile, _ = parse_profile(kb, body, place_required=False)
    return compare_profile(kb, profile)


def facts_json(kb: KB, query: Optional[str], city: Optional[str] = None, limit: Any = 20) -> Dict[str, Any]:
    q = (query or "").strip()
    if not q:
        raise RequestError("请输入要查询的关键词（q），如 长期护理保险、高龄津贴、养老床位")
    if len(q) > 100:
        raise RequestError("关键词太长（最多100个字）")
    try:
        limit = int(limit if limit not in (None, "") else 20)
    except (TypeError, ValueError):
        raise RequestError(f"limit 必须是 1—{MAX_FACTS} 的整数") from None
    if not 1 <= limit <= MAX_FACTS:
        raise RequestError(f"limit 必须是 1—{MAX_FACTS} 的整数")
    city_name = resolve_place(kb, city)[0] if city and city.strip() else None
    found = find_facts(kb, q, city_name) or search_facts(kb, q, city_name, limit=limit)
    facts = [{
        "id": f.id, "city": f.city, "title": f.title, "statement": f.statement, "figure": f.figure, "due": f.due,
        "agency": f.agency, "topics": list(f.topics), "current": f.source.doc.current,
        "source": f.source.to_dict(), "citation": f.source.cite(),
    } for f in found[:limit]]
    return {"query": q, "city": city_name, "count": len(facts), "facts": facts}


def meta_json(kb: KB) -> Dict[str, Any]:
    counties: Dict[str, List[str]] = {c: [] for c in kb.cities}
    for city, county in dict.fromkeys(kb.regions.county_city.values()):
        counties[city].append(county)
    return {"cities": list(kb.cities), "counties": counties, "statuses": list(kb.regions.statuses),
            "ability_grades": list(ABILITY_GRADES), "disability_grades": list(DISABILITY_GRADES)}


# ------------------------------------------------------------------------------------------------ serving


class RootBlueprint(Blueprint):
    """A blueprint that keeps its routes at the server root whatever prefix it is registered with
    (Rasa registers every input channel under /webhooks/<name>)."""

    def register(self, app, options):
        super().register(app, {**options, "url_prefix": None})


def _page(name: str, replacements: Optional[Mapping[str, str]] = None) -> str:
    text = (WEB_DIR / name).read_text(encoding="utf-8")
    for marker, value in (replacements or {}).items():
        text = text.replace(marker, value)
    return text


def _headers(kind: str) -> Dict[str, str]:
    common = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
    if kind == "console":
        return {**common, "Content-Security-Policy": _CSP_CONSOLE, "Cache-Control": "no-store",
                "X-Frame-Options": "DENY"}
    if kind == "portal":
        return {**common, "Content-Security-Policy": _CSP_PORTAL, "X-Frame-Options": "SAMEORIGIN"}
    if kind == "api":
        return {**common, "Cache-Control": "no-store"}
    return common


def _json(body: Any, status: int = 200, headers: Optional[Dict[str, str]] = None) -> HTTPResponse:
    return response.json(body, status=status, headers={**_headers("api"), **(headers or {})}, dumps=_dumps)


def _error(message: str, status: int, headers: Optional[Dict[str, str]] = None) -> HTTPResponse:
    return _json({"error": message}, status, headers)


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
            return _error("运营控制台未启用：生产环境必须设置 CONSOLE_TOKEN", 503)
        header = request.headers.get("authorization")
        if header is not None:
            if self.auth.check_token(bearer_token(header)):
                return None
            return _error("口令不正确", 401, {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        if self.auth.valid_session(request.cookies.get(COOKIE)):
            if same_origin(request.headers, request.host):
                return None
            return _error("请求来源不被允许：请在运营控制台页面内使用，或用 Authorization: Bearer 口令", 403)
        return _error("需要登录：请先在 /console 登录，或在请求头中提供 Authorization: Bearer <口令>", 401,
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
                        if p.is_file() and p.suffix in _CONTENT_TYPES and not p.name.startswith(".")}

        @bp.route("/portal", methods=["GET"])
        async def portal(request: Request) -> HTTPResponse:
            return response.html(_page("portal.html"), headers=_headers("portal"))

        @bp.route("/static/<name:str>", methods=["GET"])
        async def static(request: Request, name: str) -> HTTPResponse:
            path = static_files.get(name)
            if path is None:
                return response.text("not found", status=404, headers=_headers("static"))
            body = path.read_bytes()
            etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            headers = {**_headers("static"), "ETag": etag, "Cache-Control": "no-cache"}
            if request.headers.get("if-none-match") == etag:
                return response.empty(status=304, headers=headers)
            return response.raw(body, content_type=_CONTENT_TYPES[path.suffix], headers=headers)

        def off_page() -> HTTPResponse:
            return response.html(_page("console-off.html"), status=503, headers=_headers("console"))

        def login_page(message: str = "", status: int = 200) -> HTTPResponse:
            error = f'<p class="error" role="alert">{html.escape(message)}</p>' if message else ""
            return response.html(_page("login.html", {"<!--ERROR-->": error}), status=status,
                                 headers=_headers("console"))

        @bp.route("/console", methods=["GET"])
        async def console(request: Request) -> HTTPResponse:
            if self.auth is None:
                return off_page()
            if not self._logged_in(request):
                return response.redirect("/console/login", status=303, headers=_headers("console"))
            return response.html(_page("console.html"), headers=_headers("console"))

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
            resp = response.redirect("/console", status=303, headers=_headers("console"))
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
            resp = response.redirect("/console/login", status=303, headers=_headers("console"))
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
                return _json(work())
            except (RequestError, ProfileError) as exc:
                return _error(str(exc), 400)

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
            return await api(request, lambda: facts_json(kb, args.get("q"), args.get("city"), args.get("limit")))

        return bp
