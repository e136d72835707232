"""The case store on a real SQLite file: codes open masked snapshots, expire and are deleted; wrong codes are
limited per bucket."""

import concurrent.futures
import sqlite3
import threading
from collections import Counter

import pytest

from bot.handoff import codes, transcript
from bot.handoff.cases import DAY
from bot.handoff.limits import Blocked
from bot.privacy import ID_MASK, PHONE_MASK

T0 = 1_800_000_000.0
ID_NUMBER, PHONE = "372901195203154321", "13912345678"
EVENTS = [
    {"event": "user", "text": f"我爸身份证{ID_NUMBER}，电话{PHONE}，85岁枣庄低保", "timestamp": T0},
    {"event": "bot", "text": "您父亲（枣庄，85周岁，低保）……每月合计：130元"},
    {"event": "slot", "name": "topic", "value": {}},
    {"event": "user", "text": "转人工", "timestamp": T0 + 5},
    {"event": "bot", "text": "人工咨询请拨打……回复 同意 生成查询码"},
    {"event": "user", "text": "同意", "timestamp": T0 + 9},
]
FACTS = {"city": "枣庄", "age": 85.0, "economic": "低保", "statuses": ["低保"], "relation": "父亲", "county": None}


def db_bytes(cases) -> bytes:
    path = cases.engine.url.database
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(FULL)")
    con.close()
    return open(path, "rb").read()


def test_a_code_opens_the_masked_profile_questions_and_answers(cases):
    code = cases.create(transcript.snapshot(EVENTS, FACTS, "wechat", T0), now=T0)
    case = cases.lookup(codes.display(code).lower(), now=T0 + 3600)
    assert case is not None and case.expires_at == T0 + 7 * DAY
    snap = case.snapshot
    assert snap["channel"] == "wechat"
    assert snap["profile"] == {"city": "枣庄", "age": 85, "economic": "低保", "statuses": ["低保"], "relation": "父亲"}
    assert [t["q"] for t in snap["turns"]][1:] == ["转人工", "同意"]
    assert ID_MASK in snap["turns"][0]["q"] and PHONE_MASK in snap["turns"][0]["q"]
    assert "每月合计：130元" in snap["turns"][0]["a"]


def test_nothing_identifying_and_no_code_is_in_the_database(cases):
    code = cases.create(transcript.snapshot(EVENTS, FACTS, "rest", T0), now=T0)
    raw = db_bytes(cases)
    for secret in (ID_NUMBER, PHONE, code):
        assert secret.encode() not in raw


def test_a_code_expires_and_is_deleted(cases):
    code = cases.create({"turns": []}, now=T0)
    assert cases.lookup(code, now=T0 + 7 * DAY - 1) is not None
    assert cases.lookup(code, now=T0 + 7 * DAY) is None
    assert cases.count() == 0  # the lookup deleted it


def test_expired_codes_are_purged_and_live_ones_kept(cases):
    old = cases.create({"n": 1}, now=T0)
    new = cases.create({"n": 2}, now=T0 + 6 * DAY)
    assert cases.purge(now=T0 + 7 * DAY + 1) == 1
    assert cases.count() == 1
    assert cases.lookup(old, now=T0 + 7 * DAY + 1) is None
    assert cases.lookup(new, now=T0 + 7 * DAY + 1).snapshot == {"n": 2}


def test_creating_a_code_deletes_expired_ones(cases):
    cases.create({"n": 1}, now=T0)
    cases.create({"n": 2}, now=T0 + 8 * DAY)
    assert cases.count() == 1


def test_unknown_and_malformed_codes_find_nothing(cases):
    cases.create({"n": 1}, now=T0)
    assert cases.lookup(codes.new_code(), now=T0) is None
    assert cases.lookup("not a code", now=T0) is None


def test_wrong_codes_block_a_session_for_the_window_but_not_other_sessions(cases):
    right = cases.create({"n": 1}, now=T0)
    wrong = "ZZZZZ-ZZZZZ"
    mine, other = ["session:a", "ip:10.0.0.1"], ["session:b", "ip:10.0.0.2"]
    for i in range(3):
        assert cases.try_code(wrong, mine, now=T0 + i) is None
    with pytest.raises(Blocked):
        cases.try_code(right, mine, now=T0 + 10)  # even the right code, once blocked
    assert cases.try_code(right, other, now=T0 + 10) is not None
    assert cases.try_code(right, mine, now=T0 + 15 * 60 + 3) is not None  # the window has passed


def test_a_right_code_uses_no_try(cases):
    right = cases.create({"n": 1}, now=T0)
    for i in range(10):
        assert cases.try_code(right, ["session:c", "ip:10.0.0.3"], now=T0 + i) is not None


def test_an_address_is_limited_across_sessions(cases):
    for i in range(5):
        assert cases.try_code("ZZZZZ-ZZZZZ", [f"session:{i}", "ip:10.0.0.9"], now=T0) is None
    with pytest.raises(Blocked):
        cases.try_code("ZZZZZ-ZZZZZ", ["session:new", "ip:10.0.0.9"], now=T0 + 1)


# issue 20 (8): wrong codes sent at the same instant are counted one by one, in the database
def concurrently(calls):
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        try:
            return "answered" if call() is None else "found"
        except Blocked:
            return "blocked"

    with concurrent.futures.ThreadPoolExecutor(len(calls)) as pool:
        return Counter(pool.map(run, calls))


def test_concurrent_wrong_codes_in_one_session_get_exactly_the_limit_answered(cases):
    got = concurrently([lambda: cases.try_code("ZZZZZ-ZZZZZ", ["session:race", "ip:10.1.1.1"])] * 20)
    assert got == {"answered": 3, "blocked": 17}


def test_concurrent_wrong_codes_from_one_address_get_exactly_its_limit_answered(cases):
    calls = [lambda i=i: cases.try_code("ZZZZZ-ZZZZZ", [f"session:{i % 10}", "ip:10.2.2.2"]) for i in range(30)]
    assert concurrently(calls) == {"answered": 5, "blocked": 25}
