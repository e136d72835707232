"""Handoff and the review queue end to end over REST, against real Rasa + action servers with the web channel:
the offer, consent, the code, and an operator who logs in to the console and looks the code up over its API;
a wrong code, an expired code, a lookup without login, too many wrong codes; the review queue's API and export.
(WeChat: tests/e2e/test_wechat.py; the pages in Chromium: tests/e2e/test_browser.py.)"""
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from bot.handoff.cases import DAY, CaseStore
from bot.handoff.db import engine_for
from bot.handoff.settings import HandoffSettings
from bot.nlu.normaliser import ID_MASK, PHONE_MASK

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


def login(base, token) -> str:
    """The console's own login form; the session cookie as a Cookie header."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    req = urllib.request.Request(base + "/console/login", data=urllib.parse.urlencode({"token": token}).encode())
    try:
        urllib.request.build_opener(NoRedirect).open(req, timeout=10)
    except urllib.error.HTTPError as e:
        assert e.code == 303
        return e.headers["Set-Cookie"].split(";")[0]
    raise AssertionError("login did not redirect")


def handoff(servers, sender):
    servers.send(sender, HEADLINE)
    offer = servers.send(sender, "转人工")
    done = servers.send(sender, "同意")
    return offer, done


def test_handoff_consent_and_lookup_by_a_logged_in_operator(web_servers):
    offer, done = handoff(web_servers, uuid.uuid4().hex)
    assert "12345政务服务便民热线（全国统一号码）：12345" in offer and "回复 同意 生成查询码" in offer
    code = CODE_RE.search(done).group(1)
    cookie = login(web_servers.url, web_servers.console_token)
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
    cookie = login(web_servers.url, web_servers.console_token)
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
    # a console session is its signed expiry (bot/channels/web/auth.py): logins a second apart are two sessions
    time.sleep(1.1)
    guesser = login(web_servers.url, web_servers.console_token)
    time.sleep(1.1)
    other = login(web_servers.url, web_servers.console_token)
    assert guesser != other
    for _ in range(5):
        assert call(web_servers.url, "/api/case", {"code": "ZZZZZ-ZZZZZ"}, cookie=guesser)[0] == 404
    status, body, headers = call(web_servers.url, "/api/case", {"code": code}, cookie=guesser)
    assert status == 429 and (headers.get("retry-after") or headers.get("Retry-After")) == "900"  # even the right code, once blocked
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
    status, text, headers = call(web_servers.url, "/api/review/export",
                                 {"entries": [{"id": feedback["id"], "intent": "ask_item"}]}, token=token)
    assert status == 200 and headers.get("content-type", headers.get("Content-Type", "")).startswith("application/x-yaml")
    assert text == 'version: "3.1"\nnlu:\n- intent: ask_item\n  examples: |\n    - 枣庄高龄津贴多少钱\n'
    assert call(web_servers.url, "/api/review/export", {"entries": [{"id": feedback["id"], "intent": "nope"}]},
                token=token)[0] == 400
    status, _, _ = call(web_servers.url, "/api/review/resolve", {"id": feedback["id"], "note": "已加训练数据"}, token=token)
    assert status == 200
    resolved = json.loads(call(web_servers.url, "/api/review?status=resolved", token=token)[1])["entries"]
    assert any(e["id"] == feedback["id"] and e["note"] == "已加训练数据" for e in resolved)
    assert call(web_servers.url, "/api/review/resolve", {"id": 10 ** 6, "note": ""}, token=token)[0] == 404
