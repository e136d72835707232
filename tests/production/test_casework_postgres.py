"""Case codes and the review queue on real PostgreSQL, at the URL the production endpoints file gives
(deploy/endpoints.production.yml with the DB_* variables), as the action and Rasa servers find it."""
import time

from bot.handoff.cases import DAY, CaseStore
from bot.handoff.db import engine_for
from bot.handoff.review import Entry, ReviewQueue
from bot.handoff.settings import HandoffSettings, database_url
from bot.nlu.normaliser import ID_MASK

T0 = time.time()


def stores(pg):
    env = dict(pg.env(), YANGLAO_PROFILE="production", DB_SSLMODE="disable")
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
    cases.record_failure(["session:x", "ip:1"], now=T0)
    cases.record_failure(["session:x", "ip:1"], now=T0)
    assert cases.blocked(["session:x"], now=T0 + 1) and not cases.blocked(["session:y"], now=T0 + 1)


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
