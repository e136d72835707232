"""bot/channels/web/casework_routes.py over HTTP against a real Rasa server: wrong case codes are counted per
session or token and per address, one by one even when raced."""

import collections
import concurrent.futures
import uuid

from bot.channels.web import COOKIE
from tests.bot.channels.web.conftest import AUTH, login_cookie


# issue 20 (8): limits cannot be sidestepped with new cookies, nor raced
def test_a_bearer_client_sending_new_junk_cookies_keeps_its_one_bucket(web):
    for i in range(5):
        status, _, _ = web.json(
            "POST",
            "/api/case",
            {"code": "ZZZZZ-ZZZZZ"},
            {**AUTH, "Cookie": f"{COOKIE}=junk{uuid.uuid4().hex}"},
            source="127.0.0.31",
        )
        assert status == 404
    status, data, _ = web.json(
        "POST",
        "/api/case",
        {"code": "ZZZZZ-ZZZZZ"},
        {**AUTH, "Cookie": f"{COOKIE}=junk{uuid.uuid4().hex}"},
        source="127.0.0.32",
    )
    assert status == 429 and "错误次数过多" in data["error"]


def parallel_codes(web, cookies, source, count):
    def attempt(i):
        return web.json(
            "POST",
            "/api/case",
            {"code": "ZZZZZ-ZZZZZ"},
            {"Cookie": cookies[i % len(cookies)], "Sec-Fetch-Site": "same-origin"},
            source=source,
        )[0]

    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        return collections.Counter(pool.map(attempt, range(count)))


def test_concurrent_wrong_codes_in_one_session_are_counted_one_by_one(web):
    cookie = login_cookie(web, source="127.0.0.33")[1]
    assert parallel_codes(web, [cookie], "127.0.0.33", 20) == {404: 5, 429: 15}


def test_concurrent_wrong_codes_from_one_address_are_counted_one_by_one(web):
    cookies = [login_cookie(web, source="127.0.0.34")[1] for _ in range(20)]
    assert parallel_codes(web, cookies, "127.0.0.34", 100) == {404: 30, 429: 70}
