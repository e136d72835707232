"""bot/channels/web/api_routes.py over HTTP against a real Rasa server: lookups, comparisons, facts and the KB's
status with the Bearer token, bad input, and what a request without the right token gets."""

import json
import urllib.parse

import pytest

from tests.bot.channels.web.conftest import AUTH, HEADLINE, TOKEN, item


def test_lookup_over_http_with_a_bearer_token(web):
    status, data, headers = web.json("POST", "/api/lookup", HEADLINE, AUTH)
    assert status == 200 and headers["Cache-Control"] == "no-store"
    assert item(data, "高龄津贴")["amount_text"] == "30元/月" and data["monthly_total_yuan"] == 130
    status, data, _ = web.json("POST", "/api/compare", HEADLINE, AUTH)
    assert status == 200 and data["home"] == "枣庄" and len(data["cities"]) == 3
    status, data, _ = web.json("POST", "/api/lookup", {**HEADLINE, "compare": True}, AUTH)
    assert status == 200 and "compare" in data


def test_facts_and_meta_over_http(web):
    status, data, _ = web.json(
        "GET", "/api/facts?" + urllib.parse.urlencode({"q": "长期护理保险", "city": "济宁"}), headers=AUTH
    )
    assert status == 200 and data["count"] >= 1 and data["facts"][0]["city"] == "济宁"
    status, data, _ = web.json("GET", "/api/facts?q=", headers=AUTH)
    assert status == 400 and "请输入要查询的关键词" in data["error"]
    status, data, _ = web.json("GET", "/api/meta", headers=AUTH)
    assert status == 200 and data["cities"] == ["济宁", "枣庄", "聊城"]
    status, data, _ = web.json(
        "GET",
        "/api/facts?" + urllib.parse.urlencode({"q": "示范性老年友好型社区", "city": "济宁", "on": "2026-01-01"}),
        headers=AUTH,
    )
    assert status == 200 and data["on"] == "2026-01-01" and data["facts"][0]["in_force"] is False
    status, data, _ = web.json("GET", "/api/kb/status?on=2026-11-27", headers=AUTH)
    assert status == 200 and any(w["subject"] == "jn-2024" and w["days"] == 34 for w in data["warnings"])
    status, data, _ = web.json("GET", "/api/kb/status?on=2026-13-01", headers=AUTH)
    assert status == 400 and "日期不存在" in data["error"]
    status, data, _ = web.json("GET", "/api/kb/status")
    assert status == 401


@pytest.mark.parametrize(
    "body, message",
    [
        ({"place": "北京", "age": 85}, "未知的城市或县区"),
        ({"place": "枣庄", "age": 300}, "年龄不合理"),
        ({"place": "枣庄", "statuses": ["富豪"]}, "未知的身份状况"),
        (b"{not json", "不是有效的 JSON"),
        (b"\xff\xfe", "不是有效的 JSON"),
        (json.dumps({"place": "枣庄", "statuses": ["低保"] * 5000}).encode(), "请求过大"),
    ],
    ids=["unknown-city", "age-300", "unknown-status", "broken-json", "not-utf8", "too-large"],
)
def test_bad_requests_get_400_with_a_chinese_message(web, body, message):
    status, data, _ = web.json("POST", "/api/lookup", body, AUTH)
    assert status == 400 and message in data["error"]


@pytest.mark.parametrize(
    "headers, status, message",
    [
        ({}, 401, "需要登录"),
        ({"Authorization": "Bearer wrong-token"}, 401, "口令不正确"),
        ({"Authorization": f"Basic {TOKEN}"}, 401, "口令不正确"),
        ({"Authorization": f"Bearer {TOKEN}x"}, 401, "口令不正确"),
    ],
)
def test_the_api_needs_the_token(web, headers, status, message):
    for method, path, body in (
        ("POST", "/api/lookup", HEADLINE),
        ("GET", "/api/facts?q=高龄津贴", None),
        ("GET", "/api/meta", None),
        ("POST", "/api/compare", HEADLINE),
    ):
        got, data, hdrs = web.json(method, urllib.parse.quote(path, safe="/?=&"), body, headers)
        assert got == status and message in data["error"], path
        assert hdrs.get("WWW-Authenticate", "").startswith("Bearer")
