"""bot/channels/web/console_routes.py over HTTP against a real Rasa server: the console's pages, login and logout
(the cookie, sessions ended by logout, cross-site forms refused, wrong passwords counted per address)."""

import collections
import concurrent.futures
import re
import time

import pytest

from bot.channels.web import COOKIE
from tests.bot.channels.web.conftest import ADMIN_PASSWORD, HEADLINE, PORTAL_ORIGIN, TOKEN, login_cookie


def test_console_login_sets_a_safe_cookie_and_logout_clears_it(web):
    status, headers, _ = web.request("GET", "/console")
    assert status == 303 and headers["Location"] == "/console/login"
    status, headers, page = web.request("GET", "/console/login")
    assert (
        status == 200
        and 'type="password"' in page.decode()
        and "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    )

    status, _, page = web.request("POST", "/console/login", form={"username": "admin", "password": "wrong"})
    assert status == 401 and "用户名或密码不正确" in page.decode()

    set_cookie, cookie = login_cookie(web)
    lowered = set_cookie.lower()
    assert "httponly" in lowered and "samesite=strict" in lowered and "path=/" in lowered and "max-age=43200" in lowered
    assert TOKEN not in set_cookie and ADMIN_PASSWORD not in set_cookie
    status, headers, page = web.request("GET", "/console", headers={"Cookie": cookie})
    assert status == 200 and "养老政策运营控制台" in page.decode() and headers["X-Frame-Options"] == "DENY"

    # the console page's own requests: same origin, cookie only
    status, data, _ = web.json("POST", "/api/lookup", HEADLINE, {"Cookie": cookie})
    assert status == 200 and data["monthly_total_yuan"] == 130
    status, data, _ = web.json(
        "POST", "/api/lookup", HEADLINE, {"Cookie": cookie, "Origin": web.base, "Sec-Fetch-Site": "same-origin"}
    )
    assert status == 200
    # another site (even one allowed by --cors for the widget) cannot use the operator's session
    status, data, _ = web.json("POST", "/api/lookup", HEADLINE, {"Cookie": cookie, "Origin": PORTAL_ORIGIN})
    assert status == 403 and "来源" in data["error"]
    status, data, _ = web.json("POST", "/api/lookup", HEADLINE, {"Cookie": f"{COOKIE}=123.forged"})
    assert status == 401

    status, headers, _ = web.request("POST", "/console/logout", headers={"Cookie": cookie})
    assert status == 303 and headers["Location"] == "/console/login"
    assert re.search(rf"{COOKIE}=\"?\"?;", headers["Set-Cookie"]) and "max-age=0" in headers["Set-Cookie"].lower()


# issue 20 (1): a session is the server's, and logging out ends it, whoever kept a copy of the cookie
def test_after_logout_the_same_cookie_opens_nothing(web):
    _, cookie = login_cookie(web)
    same = {"Cookie": cookie, "Sec-Fetch-Site": "same-origin"}
    assert web.json("GET", "/api/review", headers=same)[0] == 200
    assert web.request("GET", "/console/review", headers=same)[0] == 200
    assert web.request("POST", "/console/logout", headers=same)[0] == 303
    status, data, _ = web.json("GET", "/api/review", headers=same)  # the copy kept by an attacker
    assert status == 401 and "需要登录" in data["error"]
    status, headers, _ = web.request("GET", "/console/review", headers=same)
    assert status == 303 and headers["Location"] == "/console/login"
    assert web.json("POST", "/api/lookup", HEADLINE, same)[0] == 401


# issue 20 (9): logging out is a state change: a form on another site cannot do it
@pytest.mark.parametrize(
    "foreign",
    [
        {"Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": PORTAL_ORIGIN, "Sec-Fetch-Site": "cross-site"},
    ],
)
def test_a_cross_site_form_cannot_log_an_operator_out(web, foreign):
    _, cookie = login_cookie(web)
    status, _, page = web.request("POST", "/console/logout", headers={"Cookie": cookie, **foreign})
    assert status == 403 and "来源" in page.decode()
    assert web.json("GET", "/api/meta", headers={"Cookie": cookie})[0] == 200  # still logged in
    status, _, _ = web.request(
        "POST", "/console/login", form={"username": "admin", "password": ADMIN_PASSWORD}, headers=foreign
    )
    assert status == 403  # nor log someone in (login CSRF)


def test_parallel_wrong_logins_from_one_address_get_exactly_the_limit(web):
    def attempt(i):
        return web.request(
            "POST", "/console/login", form={"username": "admin", "password": f"wrong-{i}"}, source="127.0.0.23"
        )[0]

    started = time.time()
    with concurrent.futures.ThreadPoolExecutor(30) as pool:
        got = collections.Counter(pool.map(attempt, range(30)))
    assert got == {401: 20, 429: 10}, got
    assert (
        web.request(
            "POST", "/console/login", form={"username": "admin", "password": ADMIN_PASSWORD}, source="127.0.0.23"
        )[0]
        == 429
    )
    login_cookie(web, source="127.0.0.24")  # the account itself is not locked: another address logs in
    assert time.time() - started > 0.3  # each wrong one waited before its answer
