"""The operator console on the production profile: two Rasa servers and two action servers behind the project's
nginx (scripts/run-cluster.sh), PostgreSQL: clients at different addresses (127.0.0.x, every one this machine's
loopback), sessions and limits shared by the servers, nothing secret in PostgreSQL. (Named to run after
test_casework_postgres.py, which counts rows in an empty database, and before test_cluster.py, whose last test
stops the session's cluster.)"""

import json
import re
import uuid

from tests.production.conftest import CONSOLE, post_rest
from tests.support.http import Client

CODE_RE = re.compile(r"查询码：([2-9A-Z]{5}-[2-9A-Z]{5})")
ADMIN = (CONSOLE["CONSOLE_ADMIN_USER"], CONSOLE["CONSOLE_ADMIN_PASSWORD"])


def handoff(base):
    sender = f"h-{uuid.uuid4().hex[:12]}"
    post_rest(base, sender, "我父亲85岁，枣庄的低保户，能领什么？")
    post_rest(base, sender, "转人工")
    return sender, CODE_RE.search(post_rest(base, sender, "同意")).group(1)


def as_browser(cookie, **extra):
    return {"Cookie": cookie, "Sec-Fetch-Site": "same-origin", **extra}


# issue 20 (3): behind nginx each operator is limited by their own address, not nginx's
def test_one_address_guessing_codes_does_not_lock_out_operators_at_other_addresses(cluster):
    _, code = handoff(cluster.nginx)
    guesser, operator = Client(cluster.nginx, source="127.0.0.2"), Client(cluster.nginx, source="127.0.0.3")
    sessions = [guesser.login(*ADMIN) for _ in range(6)]  # 5 wrong codes per session: 30 from the address
    got = [
        guesser.json("POST", "/api/case", {"code": "ZZZZZ-ZZZZZ"}, as_browser(c))[0] for c in sessions for _ in range(5)
    ]
    assert got == [404] * 30
    # the address has used its 30 (handoff.yml lookup_limit_per_ip): a new session and a forged header do not help
    fresh = guesser.login(*ADMIN)
    status, data, headers = guesser.json(
        "POST", "/api/case", {"code": code}, as_browser(fresh, **{"X-Forwarded-For": "127.0.0.3"})
    )
    assert status == 429 and headers["Retry-After"] == "900"
    # an operator at another address, through the same nginx, on either server
    cookie = operator.login(*ADMIN)
    for _ in range(2):
        status, body, _ = operator.request("POST", "/api/case", {"code": code}, as_browser(cookie))
        assert status == 200, body
    # the audit log has the real addresses
    audit = operator.json("GET", "/api/audit?limit=500", headers=as_browser(cookie))[1]["entries"]
    lookups = [e for e in audit if e["action"] == "case_lookup"]
    assert {e["address"] for e in lookups} >= {"127.0.0.2", "127.0.0.3"}
    assert "127.0.0.1" not in {e["address"] for e in lookups}


def test_sessions_live_in_postgres_shared_by_the_servers_and_end_on_both(cluster, postgres_server):
    a, b = (Client(s) for s in cluster.servers)
    cookie = a.login(*ADMIN)
    assert b.json("GET", "/api/meta", headers=as_browser(cookie))[0] == 200  # logged in on A, known on B
    assert b.request("POST", "/console/logout", headers=as_browser(cookie))[0] == 303
    assert a.json("GET", "/api/meta", headers=as_browser(cookie))[0] == 401  # ended on B, gone on A
    token = cookie.split("=", 1)[1]
    stored = json.dumps(postgres_server.query("SELECT * FROM console_sessions"))
    assert token not in stored
    assert postgres_server.query("SELECT count(*) FROM console_operators WHERE role = 'admin'") == [(1,)]
    hashes = postgres_server.query("SELECT password_hash FROM console_operators")
    assert all(h.startswith("scrypt$") and ADMIN[1] not in h for (h,) in hashes)


def test_roles_and_revocation_through_nginx(cluster):
    nginx = Client(cluster.nginx, source="127.0.0.4")
    admin = nginx.login(*ADMIN)
    name = f"op-{uuid.uuid4().hex[:8]}"
    assert (
        nginx.json(
            "POST",
            "/api/accounts",
            {"username": name, "password": "operator-pass-123", "role": "operator"},
            as_browser(admin),
        )[0]
        == 200
    )
    operator = nginx.login(name, "operator-pass-123")
    assert nginx.json("POST", "/api/lookup", {"place": "枣庄", "age": 85}, as_browser(operator))[0] == 200
    assert nginx.json("GET", "/api/review", headers=as_browser(operator))[0] == 403
    assert nginx.json("POST", "/api/sessions/end", {"username": name}, as_browser(admin))[1] == {"ended": 1}
    for _ in range(2):  # whichever server nginx picks
        assert nginx.json("GET", "/api/meta", headers=as_browser(operator))[0] == 401


# issue 20 (4), on PostgreSQL: the code is shown to the person and stored nowhere
def test_the_case_code_is_not_in_postgres(cluster, postgres_server):
    sender, code = handoff(cluster.nginx)
    rows = postgres_server.query("SELECT data FROM events WHERE sender_id = %s AND type_name = 'bot'", (sender,))
    texts = [json.loads(d).get("text") or "" for (d,) in rows]
    assert any("您的查询码：[查询码已隐去]" in t for t in texts)
    everything = json.dumps(postgres_server.query("SELECT * FROM events WHERE sender_id = %s", (sender,)))
    assert code not in everything and code.replace("-", "") not in everything
