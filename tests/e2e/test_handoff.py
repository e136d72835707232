"""Handoff and the review queue end to end over REST, against real Rasa + action servers with the web channel:
the offer, consent, the code, and an operator who logs in to the console and looks the code up over its API;
a wrong code, an expired code, a lookup without login, too many wrong codes; the review queue's API and export.
(WeChat: tests/e2e/test_wechat.py; the pages in Chromium: tests/e2e/test_browser.py.)"""

import json
import re
import sqlite3
import time
import urllib.error
import urllib.request
import uuid

import pytest

from bot.handoff.cases import DAY, CaseStore
from bot.handoff.db import engine_for
from bot.handoff.settings import HandoffSettings
from bot.privacy import ID_MASK, PHONE_MASK
from tests.support.http import Client

CODE_RE = re.compile(r"查询码：([2-9A-Z]{5}-[2-9A-Z]{5})")
HEADLINE = "我父亲85岁，枣庄的低保户，能领什么？ 我手机13912345678"


def call(base, path, body=None, cookie=None, token=None, method=None):
    headers = {"Content-Type": "application/json"}
    if cookie:
        headers.update({"Cookie": cookie, "Sec-Fetch-Site": "same-origin"})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), dict(e.headers)


def login(servers) -> str:
    """The console's own login form as the bootstrap admin; the session cookie as a Cookie header."""
    return Client(servers.url).login(servers.admin_user, servers.admin_password)


def handoff(servers, sender):
    servers.send(sender, HEADLINE)
    offer = servers.send(sender, "转人工")
    done = servers.send(sender, "同意")
    return offer, done


def test_handoff_consent_and_lookup_by_a_logged_in_operator(web_servers):
    offer, done = handoff(web_servers, uuid.uuid4().hex)
    assert "12345政务服务便民热线（全国统一号码）：12345" in offer and "回复 同意 生成查询码" in offer
    code = CODE_RE.search(done).group(1)
    cookie = login(web_servers)
    status, body, _ = call(web_servers.url, "/api/case", {"code": code.lower()}, cookie=cookie)
    assert status == 200, body
    case = json.loads(body)["case"]
    assert case["profile"] == {"city": "枣庄", "age": 85, "economic": "低保", "statuses": ["低保"], "relation": "父亲"}
    assert [t["q"] for t in case["turns"]] == [HEADLINE.replace("13912345678", PHONE_MASK), "转人工", "同意"]
    assert "每月合计：130元" in case["turns"][0]["a"]
    assert "13912345678" not in body and code not in body


def test_a_wrong_code_an_expired_code_and_no_login(web_servers):
    _, done = handoff(web_servers, uuid.uuid4().hex)
    code = CODE_RE.search(done).group(1)
    cookie = login(web_servers)
    assert call(web_servers.url, "/api/case", {"code": code})[0] == 401  # no login, no case
    assert call(web_servers.url, "/api/case", {"code": code}, token="wrong-token-0123456789")[0] == 401
    status, body, _ = call(web_servers.url, "/api/case", {"code": "ABCDE-FGHJK"}, cookie=cookie)
    assert (status, json.loads(body)["error"]) == (404, "查询码不存在或已过期")
    # a case made 8 days ago, in the servers' own database: expired, refused and deleted
    store = CaseStore(engine_for(f"sqlite:///{web_servers.tracker_db}"), HandoffSettings())
    old = store.create({"turns": []}, now=time.time() - 8 * DAY)
    before = store.count()
    assert call(web_servers.url, "/api/case", {"code": old}, cookie=cookie)[0] == 404
    assert store.count() == before - 1
    assert call(web_servers.url, "/api/case", {"code": code}, token=web_servers.console_token)[0] == 200


def test_too_many_wrong_codes_in_one_session_are_refused_with_429(web_servers):
    _, done = handoff(web_servers, uuid.uuid4().hex)
    code = CODE_RE.search(done).group(1)
    guesser = login(web_servers)
    other = login(web_servers)  # every login is a session of its own (bot/operators/sessions.py)
    assert guesser != other
    for _ in range(5):
        assert call(web_servers.url, "/api/case", {"code": "ZZZZZ-ZZZZZ"}, cookie=guesser)[0] == 404
    status, body, headers = call(web_servers.url, "/api/case", {"code": code}, cookie=guesser)
    assert (
        status == 429 and (headers.get("retry-after") or headers.get("Retry-After")) == "900"
    )  # even the right code, once blocked
    assert call(web_servers.url, "/api/case", {"code": code}, cookie=other)[0] == 200  # another session is not


def test_the_review_queue_over_the_api(web_servers):
    sender = uuid.uuid4().hex
    web_servers.send(sender, "身份证372901195203154321 呃呃呃呃")
    web_servers.send(sender, "枣庄高龄津贴多少钱", metadata={"client": "widget"})
    web_servers.send(sender, "没用", metadata={"client": "widget", "answer": "枣庄"})
    token = web_servers.console_token
    assert call(web_servers.url, "/api/review")[0] == 401
    status, body, _ = call(web_servers.url, "/api/review?status=open", token=token)
    assert status == 200
    data = json.loads(body)
    assert "372901195203154321" not in body
    masked = next(e for e in data["entries"] if ID_MASK in e["text"])
    assert masked["reason"] == "not_understood" and masked["reply_text"].startswith("抱歉，我没太听明白")
    feedback = next(e for e in data["entries"] if e["reason"] == "feedback" and e["text"] == "枣庄高龄津贴多少钱")
    assert feedback["channel"] == "widget" and feedback["detail"] == "没用" and "高龄津贴" in feedback["reply"]
    assert data["counts"]["by_channel"]["widget"] >= 1 and "ask_item" in data["intents"]
    assert "nlu_fallback" not in data["intents"]
    status, text, headers = call(
        web_servers.url, "/api/review/export", {"entries": [{"id": feedback["id"], "intent": "ask_item"}]}, token=token
    )
    assert status == 200 and headers.get("content-type", headers.get("Content-Type", "")).startswith(
        "application/x-yaml"
    )
    assert text == 'version: "3.1"\nnlu:\n- intent: ask_item\n  examples: |\n    - 枣庄高龄津贴多少钱\n'
    assert (
        call(
            web_servers.url, "/api/review/export", {"entries": [{"id": feedback["id"], "intent": "nope"}]}, token=token
        )[0]
        == 400
    )
    status, _, _ = call(
        web_servers.url, "/api/review/resolve", {"id": feedback["id"], "note": "已加训练数据"}, token=token
    )
    assert status == 200
    resolved = json.loads(call(web_servers.url, "/api/review?status=resolved", token=token)[1])["entries"]
    assert any(e["id"] == feedback["id"] and e["note"] == "已加训练数据" for e in resolved)
    assert call(web_servers.url, "/api/review/resolve", {"id": 10**6, "note": ""}, token=token)[0] == 404


def stored_texts(servers, sender):
    """Every text the tracker store's `events` table holds for the conversation."""
    con = sqlite3.connect(servers.tracker_db)
    try:
        rows = con.execute("SELECT data FROM events WHERE sender_id = ?", (sender,)).fetchall()
    finally:
        con.close()
    return [json.loads(d).get("text") or "" for (d,) in rows]


def digits(text):
    return "".join(c for c in text if c.isdigit() or c in "Xx")


# issue 20 (4): the tracker store keeps the reply that gave the code, but not the code
def test_the_case_code_is_not_stored_in_the_tracker_store(web_servers):
    sender = uuid.uuid4().hex
    _, done = handoff(web_servers, sender)
    code = CODE_RE.search(done).group(1)  # the person got it
    texts = stored_texts(web_servers, sender)
    assert any("您的查询码" in t for t in texts)
    assert not any(code in t or code.replace("-", "") in t for t in texts), [t for t in texts if "查询码" in t]
    cookie = login(web_servers)
    status, body, _ = call(web_servers.url, "/api/case", {"code": code}, cookie=cookie)
    assert status == 200 and code not in body  # nor in the case the operator sees


# issue 20 (2): numbers in spoken and written groupings, said before 同意
GROUPED = [
    "370481 1950 0223 8281",
    "3704 8119 5001 0112 34",
    "137.7568.7122",
    "138\u200b1234\u200b5678",
    "（138）12345678",
]


def test_grouped_numbers_said_before_consent_are_masked_in_the_case_the_queue_and_the_tracker_store(web_servers):
    sender = uuid.uuid4().hex
    for number in GROUPED:
        web_servers.send(sender, f"身份证{number} 呃呃呃呃")  # not understood: each enters the review queue
    web_servers.send(sender, "我父亲85岁，枣庄的低保户，能领什么？")
    web_servers.send(sender, "转人工")
    code = CODE_RE.search(web_servers.send(sender, "同意")).group(1)
    secrets = [digits(n) for n in GROUPED]
    status, body, _ = call(web_servers.url, "/api/case", {"code": code}, cookie=login(web_servers))
    case_texts = [t["q"] for t in json.loads(body)["case"]["turns"]]
    queue = json.loads(call(web_servers.url, "/api/review?status=all", token=web_servers.console_token)[1])["entries"]
    queue_texts = [e["text"] for e in queue]
    for place, texts in (("case", case_texts), ("queue", queue_texts), ("events", stored_texts(web_servers, sender))):
        for text in texts:
            assert not any(s in digits(text) for s in secrets), (place, text)
    assert sum(ID_MASK in t or PHONE_MASK in t for t in case_texts) == len(GROUPED)
    assert sum(t in (f"身份证{ID_MASK} 呃呃呃呃", f"身份证{PHONE_MASK} 呃呃呃呃") for t in queue_texts) >= len(GROUPED)


# issue 20 (11): a lone surrogate in a message keeps its review-queue entry
def test_a_message_with_a_lone_surrogate_enters_the_review_queue(web_servers):
    web_servers.send(uuid.uuid4().hex, "呃呃\ud800呃 abc")
    queue = json.loads(call(web_servers.url, "/api/review?status=all", token=web_servers.console_token)[1])["entries"]
    assert any(e["text"] == "呃呃\ufffd呃 abc" for e in queue)
    assert "UnicodeEncodeError" not in web_servers.logs()


# issue 20 (12): a code typed on a Chinese keyboard (full-width) opens the case, and a malformed one costs no try
@pytest.mark.parametrize("form", ["full-width", "look-alike"])
def test_a_code_typed_full_width_opens_the_case(web_servers, form):
    _, done = handoff(web_servers, uuid.uuid4().hex)
    code = CODE_RE.search(done).group(1)
    typed = (
        code.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
        if form == "full-width"
        else code.replace("A", "\u0410").replace("B", "\u0412").replace("C", "\u0421").replace("E", "\u0415")
    )
    cookie = login(web_servers)
    for _ in range(6):  # more than the 5 wrong tries a session has: none is used
        status, body, _ = call(web_servers.url, "/api/case", {"code": "ABCDO-2345"}, cookie=cookie)
        assert status == 400 and "10位" in json.loads(body)["error"]
    status, body, _ = call(web_servers.url, "/api/case", {"code": typed}, cookie=cookie)
    assert status == 200, body
