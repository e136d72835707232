"""bot/channels/web/channel.py over HTTP against real Rasa servers: who a request acts for (wrong tokens limited
per address), the bootstrap admin in development, and production with an unusable password (no console, the chat
runs)."""

import re
import time

import pytest

from tests.bot.channels.web.conftest import AUTH, DEVELOPMENT, HEADLINE, login_cookie, start_web
from tests.support.http import Client


# issue 20 (10): wrong passwords and tokens are counted per address; one address cannot guess on and on
def test_wrong_bearer_tokens_from_one_address_are_limited(web):
    guesser, other = "127.0.0.21", "127.0.0.22"
    got = [
        web.json("GET", "/api/meta", headers={"Authorization": f"Bearer guess-{i:04d}-0123456789"}, source=guesser)[0]
        for i in range(25)
    ]
    assert got == [401] * 20 + [429] * 5  # handoff.yml login_limit_per_ip: 20 per 15 minutes
    status, _, headers = web.json("GET", "/api/meta", headers=AUTH, source=guesser)
    assert status == 429 and headers["Retry-After"] == "900"  # even the right token, from that address
    assert web.json("GET", "/api/meta", headers=AUTH, source=other)[0] == 200  # another address is not


def read_log(path, pattern, timeout=10.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = re.search(pattern, path.read_text(errors="replace")) if path.exists() else None
        if found:
            return found
        time.sleep(0.2)
    return None


@pytest.mark.servers
def test_development_mode_prints_a_random_admin_password_that_works(tmp_path):
    servers = start_web(tmp_path, {"CONSOLE_TOKEN": None, "CONSOLE_ADMIN_PASSWORD": None, **DEVELOPMENT})
    try:
        found = read_log(tmp_path / "rasa.log", r"管理员账号（开发模式[^）]*）：(\S+) / (\S+)")
        assert found, "the generated password is printed to the terminal"
        user, password = found.groups()
        web = Client(servers.url)
        _, cookie = login_cookie(web, user, password)
        status, data, _ = web.json("POST", "/api/lookup", HEADLINE, {"Cookie": cookie})
        assert status == 200 and data["monthly_total_yuan"] == 130
        assert web.json("GET", "/api/meta", headers={"Authorization": "Bearer changeme"})[0] == 401  # no token set
    finally:
        servers.stop()


@pytest.mark.servers
def test_production_with_an_unusable_password_serves_no_console_but_the_chat_runs(tmp_path):
    servers = start_web(
        tmp_path,
        {
            "CONSOLE_TOKEN": None,
            "CONSOLE_ADMIN_PASSWORD": "short",
            "YANGLAO_ENV": "production",
            "YANGLAO_PROFILE": None,
        },
    )
    try:
        web = Client(servers.url)
        status, _, page = web.request("GET", "/console")
        assert status == 503 and "CONSOLE_ADMIN_PASSWORD" in page.decode()
        assert web.request("POST", "/console/login", form={"username": "admin", "password": "short"})[0] == 503
        for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": "Bearer anything-at-all-123456"}):
            status, data, _ = web.json("POST", "/api/lookup", HEADLINE, headers)
            assert status == 503 and "未启用" in data["error"]
        assert web.request("GET", "/portal")[0] == 200
        status, replies, _ = web.json("POST", "/webhooks/rest/webhook", {"sender": "p1", "message": "你好"})
        assert status == 200 and replies
        assert "Operator console and /api are OFF" in (tmp_path / "rasa.log").read_text(errors="replace")
    finally:
        servers.stop()
