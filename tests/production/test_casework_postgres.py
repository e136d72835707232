"""Case codes and the review queue on real PostgreSQL, at the URL the production endpoints file gives
(deploy/endpoints.production.yml with the DB_* variables), as the action and Rasa servers find it."""

import concurrent.futures
import threading
import time
from collections import Counter

import pytest

from bot.handoff.cases import DAY, CaseStore
from bot.handoff.db import engine_for
from bot.handoff.limits import Blocked
from bot.handoff.review import Entry, ReviewQueue
from bot.handoff.settings import HandoffSettings, database_url
from bot.operators.accounts import AccountStore
from bot.operators.audit import AuditLog
from bot.operators.sessions import SessionStore
from bot.privacy import ID_MASK

T0 = time.time()
# deploy/endpoints.production.yml is read whole, as Rasa reads it: its other variables are set too (blank is allowed)
NOT_THE_DATABASE = {
    "REDIS_HOST": "127.0.0.1",
    "REDIS_PORT": "6379",
    "REDIS_PASSWORD": "",
    "REDIS_LOCK_DB": "1",
    "ACTION_URL": "",
    "ACTIONS_MODULE": "actions",
}


def stores(pg):
    env = dict(pg.env(), **NOT_THE_DATABASE, YANGLAO_PROFILE="production", DB_SSLMODE="disable")
    url = database_url(env)
    assert url.drivername == "postgresql" and url.port == pg.port
    engine = engine_for(url)
    settings = HandoffSettings(lookup_limit=2)
    return CaseStore(engine, settings), ReviewQueue(engine, settings)


def test_codes_on_postgres_open_expire_and_are_deleted(postgres_server):
    cases, _ = stores(postgres_server)
    code = cases.create({"profile": {"city": "聊城", "age": 90}}, now=T0)
    assert cases.lookup(code.lower(), now=T0 + 60).snapshot["profile"] == {"city": "聊城", "age": 90}
    old = cases.create({"n": 1}, now=T0 - 8 * DAY)
    assert cases.lookup(old, now=T0) is None
    rows = postgres_server.query("SELECT count(*) FROM handoff_cases")
    assert rows == [(1,)]  # the expired case is gone, the live one kept
    assert code not in str(postgres_server.query("SELECT digest, snapshot FROM handoff_cases"))
    for _ in range(2):
        assert cases.try_code("ZZZZZ-ZZZZZ", ["session:x", "ip:1"], now=T0) is None
    with pytest.raises(Blocked):
        cases.try_code(code, ["session:x"], now=T0 + 1)
    assert cases.try_code(code, ["session:y"], now=T0 + 1) is not None


def test_the_queue_on_postgres_masks_counts_resolves_and_forgets(postgres_server):
    _, queue = stores(postgres_server)
    first = queue.add(Entry("wechat", "feedback", "身份证372901195203154321 不对", city="枣庄"), now=T0)
    queue.add(Entry("widget", "handoff", "转人工"), now=T0 - 91 * DAY)
    assert queue.purge(now=T0) == 1
    (row,) = queue.entries("all")
    assert ID_MASK in row["text"] and row["id"] == first
    assert queue.counts()["by_channel"] == {"wechat": 1}
    assert queue.resolve(first, "已处理")
    assert queue.entries("resolved")[0]["note"] == "已处理"


# issue 20 (8) on PostgreSQL: tries taken at the same instant are counted one by one
def test_concurrent_wrong_codes_on_postgres_get_exactly_the_limit(postgres_server):
    cases, _ = stores(postgres_server)
    barrier = threading.Barrier(20)

    def attempt(i):
        barrier.wait()
        try:
            return (
                "answered" if cases.try_code("ZZZZZ-ZZZZZ", [f"session:pg{i % 2}", "ip:pg-race"]) is None else "found"
            )
        except Blocked:
            return "blocked"

    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        got = Counter(pool.map(attempt, range(20)))
    assert got == {"answered": 4, "blocked": 16}  # lookup_limit 2 per session, two sessions


def test_accounts_sessions_and_the_audit_log_on_postgres(postgres_server):
    engine = engine_for(
        database_url(
            dict(postgres_server.env(), **NOT_THE_DATABASE, YANGLAO_PROFILE="production", DB_SSLMODE="disable")
        )
    )
    accounts, sessions, audit = AccountStore(engine), SessionStore(engine, 3600), AuditLog(engine, 90)
    account = accounts.create(f"pg-{T0:.0f}", "postgres-password", "reviewer")
    token = sessions.create(account, "10.0.0.5")
    assert sessions.resolve(token).account == account
    assert sessions.end_all(account.id) == 1 and sessions.resolve(token) is None
    audit.record("login", account.username, account.role, "10.0.0.5", now=T0)
    assert audit.recent(1)[0]["actor"] == account.username
    assert token not in str(postgres_server.query("SELECT * FROM console_sessions"))
