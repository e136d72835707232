"""Operators as people, against the real Rasa server with the web channel (tests/e2e/conftest.py `web_servers`):
accounts made by the bootstrap admin, login and logout, roles (operator < reviewer < admin), sessions ended by an
admin, a disabled account, and the audit log of what each did. The PostgreSQL variant, through nginx:
tests/production/test_casework_through_nginx.py."""

import json
import re
import uuid

import pytest

from tests.support.http import Client

CODE_RE = re.compile(r"查询码：([2-9A-Z]{5}-[2-9A-Z]{5})")
PASSWORD = "operator-password-123"


def as_browser(cookie):
    return {"Cookie": cookie, "Sec-Fetch-Site": "same-origin"}


@pytest.fixture(scope="module")
def web(web_servers):
    return Client(web_servers.url)


@pytest.fixture(scope="module")
def admin(web, web_servers):
    return web.login(web_servers.admin_user, web_servers.admin_password)


def new_account(web, admin, role):
    name = f"{role}-{uuid.uuid4().hex[:8]}"
    status, data, _ = web.json(
        "POST", "/api/accounts", {"username": name, "password": PASSWORD, "role": role}, as_browser(admin)
    )
    assert status == 200 and data == {"username": name, "role": role, "active": True}, data
    return name


def case_code(servers):
    sender = uuid.uuid4().hex
    servers.send(sender, "我父亲85岁，枣庄的低保户，能领什么？")
    servers.send(sender, "转人工")
    return CODE_RE.search(servers.send(sender, "同意")).group(1)


def test_each_role_does_what_it_may_and_no_more(web, web_servers, admin):
    operator = web.login(new_account(web, admin, "operator"), PASSWORD)
    reviewer = web.login(new_account(web, admin, "reviewer"), PASSWORD)
    code = case_code(web_servers)

    # operator: lookups and case codes
    assert web.json("POST", "/api/lookup", {"place": "枣庄", "age": 85}, as_browser(operator))[0] == 200
    assert web.json("POST", "/api/case", {"code": code}, as_browser(operator))[0] == 200
    assert web.request("GET", "/console/case", headers=as_browser(operator))[0] == 200
    for method, path in (
        ("GET", "/api/review"),
        ("POST", "/api/review/resolve"),
        ("GET", "/api/accounts"),
        ("GET", "/api/audit"),
        ("POST", "/api/sessions/end"),
    ):
        status, data, _ = web.json(method, path, {} if method == "POST" else None, as_browser(operator))
        assert status == 403 and "权限不足" in data["error"], path
    status, _, page = web.request("GET", "/console/review", headers=as_browser(operator))
    assert status == 403 and "权限不足" in page.decode()
    assert web.request("GET", "/console/admin", headers=as_browser(operator))[0] == 403

    # reviewer: also the queue and its export; not the accounts
    status, data, _ = web.json("GET", "/api/review?status=all", headers=as_browser(reviewer))
    assert status == 200 and "counts" in data
    assert web.request("GET", "/console/review", headers=as_browser(reviewer))[0] == 200
    assert web.json("GET", "/api/accounts", headers=as_browser(reviewer))[0] == 403
    assert web.request("GET", "/console/admin", headers=as_browser(reviewer))[0] == 403

    # the machine token acts as a reviewer
    token = {"Authorization": f"Bearer {web_servers.console_token}"}
    assert web.json("GET", "/api/review", headers=token)[0] == 200
    assert web.json("GET", "/api/accounts", headers=token)[0] == 403

    # admin: everything, and the page
    status, _, page = web.request("GET", "/console/admin", headers=as_browser(admin))
    assert status == 200 and "账号与审计" in page.decode()
    status, data, _ = web.json("GET", "/api/me", headers=as_browser(admin))
    assert data == {"username": web_servers.admin_user, "role": "admin", "role_name": "管理员"}


def test_logout_ends_only_that_session(web, admin):
    name = new_account(web, admin, "operator")
    first, second = web.login(name, PASSWORD), web.login(name, PASSWORD)
    assert first != second
    assert web.request("POST", "/console/logout", headers=as_browser(first))[0] == 303
    assert web.json("GET", "/api/meta", headers=as_browser(first))[0] == 401
    assert web.json("GET", "/api/meta", headers=as_browser(second))[0] == 200


def test_an_admin_ends_an_operators_sessions_disables_and_changes_accounts(web, admin):
    name = new_account(web, admin, "operator")
    cookie = web.login(name, PASSWORD)
    status, data, _ = web.json("POST", "/api/sessions/end", {"username": name}, as_browser(admin))
    assert status == 200 and data == {"ended": 1}
    assert web.json("GET", "/api/meta", headers=as_browser(cookie))[0] == 401  # at once

    cookie = web.login(name, PASSWORD)
    status, data, _ = web.json(
        "POST", "/api/accounts/update", {"username": name, "role": "reviewer"}, as_browser(admin)
    )
    assert status == 200 and data["role"] == "reviewer" and data["sessions_ended"] == 1
    assert web.json("GET", "/api/meta", headers=as_browser(cookie))[0] == 401  # a new role: log in again
    cookie = web.login(name, PASSWORD)
    assert web.json("GET", "/api/review", headers=as_browser(cookie))[0] == 200

    assert web.json("POST", "/api/accounts/update", {"username": name, "active": False}, as_browser(admin))[0] == 200
    assert web.json("GET", "/api/meta", headers=as_browser(cookie))[0] == 401
    status, _, _ = web.request("POST", "/console/login", form={"username": name, "password": PASSWORD})
    assert status == 401  # a disabled account cannot log in

    status, data, _ = web.json(
        "POST",
        "/api/accounts/update",
        {"username": name, "active": True, "password": "a-new-password-456"},
        as_browser(admin),
    )
    assert status == 200 and data["active"]
    assert web.request("POST", "/console/login", form={"username": name, "password": PASSWORD})[0] == 401
    web.login(name, "a-new-password-456")


@pytest.mark.parametrize(
    "body, message",
    [
        ({"username": "x", "password": PASSWORD, "role": "operator"}, "用户名"),
        ({"username": "new-one", "password": "short", "role": "operator"}, "密码至少10个字符"),
        ({"username": "new-one", "password": PASSWORD, "role": "root"}, "角色只能是"),
    ],
)
def test_bad_accounts_are_refused(web, admin, body, message):
    status, data, _ = web.json("POST", "/api/accounts", body, as_browser(admin))
    assert status == 400 and message in data["error"]


def test_the_last_admin_cannot_lock_everyone_out(web, web_servers, admin):
    status, data, _ = web.json(
        "POST", "/api/accounts/update", {"username": web_servers.admin_user, "active": False}, as_browser(admin)
    )
    assert status == 400 and "最后一个管理员" in data["error"]


def test_the_audit_log_says_who_did_what_from_where_with_only_the_codes_hash(web, web_servers, admin):
    name = new_account(web, admin, "reviewer")
    source = "127.0.0.61"
    cookie = web.login(name, PASSWORD, source=source)
    code = case_code(web_servers)
    assert web.json("POST", "/api/case", {"code": code}, as_browser(cookie), source=source)[0] == 200
    assert web.json("POST", "/api/case", {"code": "ZZZZZ-ZZZZZ"}, as_browser(cookie), source=source)[0] == 404
    web_servers.send(uuid.uuid4().hex, "身份证372901195203154321 呃呃呃呃")
    entry = json.loads(web.request("GET", "/api/review?status=open", headers=as_browser(cookie))[2])["entries"][0]
    assert (
        web.request(
            "POST",
            "/api/review/export",
            {"entries": [{"id": entry["id"], "intent": "ask_item"}]},
            as_browser(cookie),
            source=source,
        )[0]
        == 200
    )
    assert (
        web.json("POST", "/api/review/resolve", {"id": entry["id"], "note": "ok"}, as_browser(cookie), source=source)[0]
        == 200
    )
    web.request("POST", "/console/logout", headers=as_browser(cookie), source=source)

    status, data, _ = web.json("GET", "/api/audit?limit=500", headers=as_browser(admin))
    assert status == 200
    mine = [e for e in data["entries"] if e["actor"] == name]
    assert [e["action"] for e in reversed(mine)] == [
        "login",
        "case_lookup",
        "case_lookup",
        "review_export",
        "review_resolve",
        "logout",
    ]
    assert all(e["address"] == source and e["role"] == "reviewer" for e in mine)
    lookups = [e for e in mine if e["action"] == "case_lookup"]
    assert [e["outcome"] for e in reversed(lookups)] == ["found", "not_found"]
    assert all(len(e["case_digest"]) == 64 for e in lookups)
    assert [e["entries"] for e in mine if e["action"].startswith("review_")] == [[entry["id"]], [entry["id"]]]
    raw = json.dumps(data, ensure_ascii=False)
    assert code not in raw and code.replace("-", "") not in raw and PASSWORD not in raw
    assert any(e["action"] == "account_create" and name in e["detail"] for e in data["entries"])


def test_ending_every_session_logs_everyone_out_the_admin_too(web, web_servers):
    admin = web.login(web_servers.admin_user, web_servers.admin_password)
    other = web.login(new_account(web, admin, "operator"), PASSWORD)
    status, data, _ = web.json("POST", "/api/sessions/end", {}, as_browser(admin))
    assert status == 200 and data["ended"] >= 2
    for cookie in (admin, other):
        assert web.json("GET", "/api/meta", headers=as_browser(cookie))[0] == 401
