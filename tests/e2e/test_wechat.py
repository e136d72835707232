"""The WeChat channel end to end: a real Rasa server and action server with the REST channel and the WeChat
channel twice (`wechat` configured from environment variables as in production, `wechat_slow` from the
credentials file with a tiny reply_timeout), and a local fake WeChat API that checks access tokens and records
the customer-service messages. Requests are signed (and encrypted) the way WeChat does it, by bot.channels.wechat_sim."""

import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid

import pytest
from wechatpy.crypto import WeChatCrypto

from bot.channels import wechat_sim as sim
from bot.channels.wechat import MAX_FOLLOW_UPS, MAX_TEXT_BYTES, MORE_FOLLOWS, UNSUPPORTED, WELCOME
from bot.privacy import ID_MASK, PHONE_MASK
from tests.e2e.test_family_conversations import FAMILY, check_family
from tests.support.servers import ROOT, Servers
from tests.support.wechat import FakeWeChatAPI

MODEL = ROOT / "models" / "assistant.tar.gz"
HEADLINE = "我父亲85岁，枣庄的低保户，能领什么？"
SHORT_QUESTION = "枣庄高龄津贴多少钱"  # a one-part answer (< 2048 bytes)
TOKEN, APP_ID, APP_SECRET = "e2e-token", "wxe2e0000000000001", "e2e-app-secret"
SLOW_TOKEN, SLOW_APP_ID, SLOW_SECRET = "e2e-slow-token", "wxe2e0000000000002", "e2e-slow-secret"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
MAX_BODY = 8192
CONSOLE_TOKEN = "e2e-wechat-console-token-0123456789"


def new_openid():
    return "o" + uuid.uuid4().hex[:27]


@pytest.fixture(scope="module")
def fake_api():
    with FakeWeChatAPI({APP_ID: APP_SECRET, SLOW_APP_ID: SLOW_SECRET}) as api:
        yield api


@pytest.fixture(scope="module")
def wx(tmp_path_factory, fake_api):
    if not MODEL.exists():
        pytest.fail(f"{MODEL} missing: run `make train` (make test does it)")
    tmp = tmp_path_factory.mktemp("wechat")
    credentials = tmp / "credentials.yml"
    credentials.write_text(
        f"""\
bot.channels.rest.MaskedRestInput:
bot.channels.wechat.WeChatInput:   # everything secret from the environment, as in credentials.yml
  token: null
  app_id: null
  app_secret: null
  encoding_aes_key: null
  api_base: null
  max_body_bytes: {MAX_BODY}
tests.support.wechat.SlowWeChatInput:
  token: {SLOW_TOKEN}
  app_id: {SLOW_APP_ID}
  app_secret: {SLOW_SECRET}
  api_base: {fake_api.url}
  reply_timeout: 0.001
bot.channels.web.WebInput:         # the operator console, for case codes made over WeChat
""",
        encoding="utf-8",
    )
    with pytest.MonkeyPatch.context() as mp:  # the servers inherit these; this test process keeps its own
        for name, value in {
            "WECHAT_TOKEN": TOKEN,
            "WECHAT_APP_ID": APP_ID,
            "WECHAT_APP_SECRET": APP_SECRET,
            "WECHAT_AES_KEY": AES_KEY,
            "WECHAT_API_BASE": fake_api.url,
            "CONSOLE_TOKEN": CONSOLE_TOKEN,
        }.items():
            mp.setenv(name, value)
        servers = Servers(MODEL, credentials=credentials, log_dir=tmp, in_process=True).start()
    yield servers
    servers.stop()


def url(wx, channel="wechat"):
    return f"{wx.url}/webhooks/{channel}/webhook"


def user_texts(wx, openid):
    with urllib.request.urlopen(f"{wx.url}/conversations/{openid}/tracker", timeout=10) as r:
        return [e.get("text") for e in json.load(r)["events"] if e["event"] == "user"]


def passive_and_follow_ups(reply, fake_api, openid):
    """The whole answer: a passive reply that holds it all, or one ending with the note plus the customer-service
    messages."""
    assert len(reply.encode()) <= MAX_TEXT_BYTES
    if not reply.endswith(MORE_FOLLOWS):
        time.sleep(1.0)
        assert fake_api.messages_to(openid) == []  # nothing follows a whole answer
        return reply
    follow_ups = fake_api.wait_for(openid, 1, settle=1.0)
    assert all(len(p.encode()) <= MAX_TEXT_BYTES for p in follow_ups)
    return "\n".join([reply[: -len(MORE_FOLLOWS)].rstrip("\n")] + follow_ups)


# --------------------------------------------------------------------------------------------- verification


def get(address, query):
    try:
        with urllib.request.urlopen(f"{address}?{urllib.parse.urlencode(query)}", timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_get_verification_echoes_echostr_only_with_a_good_signature(wx):
    good = sim.signed_query(TOKEN, echostr="4503212467349219911")
    assert get(url(wx), good) == (200, "4503212467349219911")
    assert get(url(wx), dict(good, signature="0" * 40))[0] == 403
    assert get(url(wx), sim.signed_query("not-the-token", echostr="1"))[0] == 403
    assert get(url(wx), {"echostr": "1"})[0] == 403
    assert get(url(wx, "wechat_slow"), sim.signed_query(SLOW_TOKEN, echostr="abc")) == (200, "abc")


# --------------------------------------------------------------------------------------------- text messages


def test_headline_over_wechat_gives_the_same_answer_as_rest(wx, fake_api):
    openid = new_openid()
    status, reply = sim.send_text(wx.url, TOKEN, HEADLINE, openid=openid)
    assert status == 200
    assert not reply.endswith(MORE_FOLLOWS)  # money first and short: the headline answer is one passive reply
    answer = passive_and_follow_ups(reply, fake_api, openid)
    rest = wx.send(uuid.uuid4().hex, HEADLINE)
    assert answer == rest  # every item, amount, agency and source, in the same order
    for expected in (
        "高龄津贴：30元/月；市卫生健康委",
        "经济困难老年人补贴：生活补贴100元/月；市民政局",
        "每月合计：130元",
    ):
        assert expected in answer
        assert expected in reply  # in the passive reply itself, not left to customer-service messages
    assert user_texts(wx, openid) == [HEADLINE]  # the OpenID is the conversation


def test_safe_mode_message_is_decrypted_and_answered_encrypted(wx):
    openid = new_openid()
    crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
    body, query = sim.encrypt_for_post(crypto, sim.text_message_xml(openid, SHORT_QUESTION), openid, TOKEN)
    status, reply = sim.post(url(wx), body, query)
    assert status == 200 and "<Encrypt>" in reply and "高龄津贴" not in reply
    content = sim.reply_content(reply, crypto)
    assert "80—89周岁：30元/月" in content
    assert content == wx.send(uuid.uuid4().hex, SHORT_QUESTION)
    assert user_texts(wx, openid) == [SHORT_QUESTION]
    status, reply = sim.send_text(wx.url, TOKEN, "你好", openid=openid, aes_key=AES_KEY, app_id=APP_ID)
    assert status == 200 and "养老政策助手" in reply  # the simulator's safe mode


def test_compatible_mode_message(wx):
    openid = new_openid()
    crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
    body, query = sim.encrypt_for_post(
        crypto, sim.text_message_xml(openid, SHORT_QUESTION), openid, TOKEN, compatible=True
    )
    status, reply = sim.post(url(wx), body, query)
    assert status == 200 and "30元/月" in sim.reply_content(reply, crypto)


def test_wrong_msg_signature_is_refused(wx):
    openid = new_openid()
    crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
    body, query = sim.encrypt_for_post(crypto, sim.text_message_xml(openid, SHORT_QUESTION), openid, TOKEN)
    assert sim.post(url(wx), body, dict(query, msg_signature="0" * 40))[0] == 403
    assert sim.post(url(wx), body, {k: v for k, v in query.items() if k != "msg_signature"})[0] == 403
    assert user_texts(wx, openid) == []


# --------------------------------------------------------------------------------------------- retries, 5 s


def send_same_message(address, token, openid, text, times):
    """The same MsgId `times` times at once, each freshly signed, as WeChat's retries are."""
    xml = sim.text_message_xml(openid, text, msg_id=str(int(time.time() * 1000)))
    with concurrent.futures.ThreadPoolExecutor(times) as pool:
        return list(pool.map(lambda _: sim.post(address, xml, sim.signed_query(token, openid=openid)), range(times)))


def test_a_message_sent_three_times_is_one_turn_and_one_answer(wx, fake_api):
    openid = new_openid()
    results = send_same_message(url(wx), TOKEN, openid, SHORT_QUESTION, 3)
    assert {status for status, _ in results} == {200}
    contents = {sim.reply_content(reply) for _, reply in results}
    assert len(contents) == 1 and "30元/月" in contents.pop()  # a retry gets the same reply, not a new one
    assert user_texts(wx, openid) == [SHORT_QUESTION]
    time.sleep(0.5)
    assert fake_api.messages_to(openid) == []  # answered passively: nothing through the API


def test_retries_of_a_slow_message_start_no_second_turn_and_send_one_answer(wx, fake_api):
    openid = new_openid()
    results = send_same_message(url(wx, "wechat_slow"), SLOW_TOKEN, openid, SHORT_QUESTION, 3)
    assert results == [(200, "success")] * 3
    sent = fake_api.wait_for(openid, 1, settle=1.5)
    assert len(sent) == 1 and "30元/月" in sent[0]
    assert user_texts(wx, openid) == [SHORT_QUESTION]


LONG_QUESTION = "我父亲85岁，枣庄的低保户，失独，独居，瘫痪在床，一级残疾，能领什么？"  # an answer over 2,048 bytes


def test_a_slow_answer_follows_as_customer_service_messages_split_in_order(wx, fake_api):
    openid = new_openid()
    status, reply = sim.send_text(wx.url, SLOW_TOKEN, LONG_QUESTION, openid=openid, channel="wechat_slow")
    assert (status, reply) == (200, "success")
    parts = fake_api.wait_for(openid, 2, settle=1.5)
    rest = wx.send(uuid.uuid4().hex, LONG_QUESTION)
    assert len(rest.encode()) > MAX_TEXT_BYTES and len(parts) >= 2
    assert all(len(p.encode()) <= MAX_TEXT_BYTES for p in parts)
    assert "\n".join(parts) == rest  # in order, nothing lost
    lines = set(rest.split("\n"))
    assert all(line in lines for p in parts for line in p.split("\n"))  # no item cut in half
    assert parts[0].startswith("您父亲（枣庄，85周岁，")
    assert "每月合计" in parts[0]  # the money comes in the first message


# --------------------------------------------------------------------------------------------- other types


def post_fields(wx, openid, channel="wechat", token=TOKEN, **fields):
    xml = (
        "<xml>"
        + "".join(
            f"<{k}><![CDATA[{v}]]></{k}>"
            for k, v in dict(
                ToUserName=sim.ACCOUNT, FromUserName=openid, CreateTime=str(int(time.time())), **fields
            ).items()
        )
        + "</xml>"
    )
    status, reply = sim.post(url(wx, channel), xml, sim.signed_query(token, openid=openid))
    return status, (sim.reply_content(reply) if status == 200 else reply)


def test_voice_with_recognition_is_answered_like_text(wx, fake_api):
    openid = new_openid()
    status, reply = post_fields(
        wx, openid, MsgType="voice", MediaId="media1", Format="amr", MsgId="88001", Recognition=HEADLINE
    )
    assert status == 200 and reply.startswith("您父亲（枣庄，85周岁，低保）")
    assert "高龄津贴：30元/月" in passive_and_follow_ups(reply, fake_api, openid)
    assert user_texts(wx, openid) == [HEADLINE]


def test_voice_without_recognition_asks_again(wx):
    openid = new_openid()
    status, reply = post_fields(wx, openid, MsgType="voice", MediaId="media1", Format="amr", MsgId="88002")
    assert status == 200 and "语音" in reply and user_texts(wx, openid) == []


def test_subscribe_gets_a_welcome_with_an_example_and_no_amounts(wx):
    openid = new_openid()
    status, reply = post_fields(wx, openid, MsgType="event", Event="subscribe", EventKey="")
    assert status == 200 and reply == WELCOME
    assert "养老政策助手" in reply and HEADLINE in reply and "元" not in reply
    assert user_texts(wx, openid) == []
    assert post_fields(wx, openid, MsgType="event", Event="unsubscribe") == (200, "success")


@pytest.mark.parametrize(
    "fields",
    [
        dict(MsgType="image", PicUrl="http://mmbiz.qpic.cn/x.jpg", MediaId="m1", MsgId="99001"),
        dict(MsgType="location", Location_X="35.0", Location_Y="117.3", Scale="15", Label="枣庄", MsgId="99002"),
        dict(MsgType="link", Title="政策", Description="d", Url="http://example.com", MsgId="99003"),
        dict(MsgType="video", MediaId="m2", ThumbMediaId="t", MsgId="99004"),
    ],
)
def test_other_message_types_get_a_polite_text_voice_only_notice(wx, fields):
    openid = new_openid()
    assert post_fields(wx, openid, **fields) == (200, UNSUPPORTED)
    assert user_texts(wx, openid) == []


# --------------------------------------------------------------------------------------------- bad input

BAD_INPUTS = {
    "malformed XML": (lambda o: ("<xml><ToUserName>gh</ToUserName><FromUserName>" + o, True), 400),
    "missing FromUserName": (
        lambda o: (
            "<xml><ToUserName>gh_1</ToUserName><CreateTime>1</CreateTime>"
            "<MsgType>text</MsgType><Content>你好</Content></xml>",
            True,
        ),
        400,
    ),
    "missing Content": (
        lambda o: (sim.text_message_xml(o, "x").replace("<Content><![CDATA[x]]></Content>", ""), True),
        400,
    ),
    "entity declaration": (
        lambda o: (
            '<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            + sim.text_message_xml(o, "&x;").replace("<![CDATA[&x;]]>", "&x;"),
            True,
        ),
        400,
    ),
    "body too large": (lambda o: (sim.text_message_xml(o, "枣庄" * MAX_BODY), True), 413),
    "empty body": (lambda o: ("", True), 400),
    "wrong signature": (lambda o: (sim.text_message_xml(o, HEADLINE), False), 403),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_a_clear_4xx_and_reaches_nothing(wx, fake_api, case):
    openid = new_openid()
    make, expected = BAD_INPUTS[case]
    body, signed = make(openid)
    query = sim.signed_query(TOKEN if signed else "wrong-token", openid=openid)
    status, message = sim.post(url(wx), body, query)
    assert status == expected and message.strip()  # says what is wrong
    unsigned = sim.post(url(wx), body, {"openid": openid})
    assert unsigned[0] in (403, 413)
    assert user_texts(wx, openid) == [] and fake_api.messages_to(openid) == []
    assert sim.send_text(wx.url, TOKEN, "你好", openid=new_openid())[0] == 200  # still serving


def test_id_card_and_phone_are_masked_before_rasa_and_the_logs(wx):
    openid = new_openid()
    secret_id, phone = "370402195001011234", "13812345678"
    status, reply = sim.send_text(
        wx.url, TOKEN, f"我父亲身份证{secret_id}，电话{phone}，85岁，枣庄低保户，能领什么", openid=openid
    )
    assert status == 200 and reply.startswith("您父亲（枣庄，85周岁，低保）")  # still answered
    stored = user_texts(wx, openid)[0]
    assert ID_MASK in stored and PHONE_MASK in stored
    assert secret_id not in stored + reply + wx.logs() and phone not in stored + reply + wx.logs()


# --------------------------------------------------------------------------------------------- the simulator


def test_simulator_command_prints_the_reply(wx):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("WECHAT_TOKEN", None)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.channels.wechat_sim",
            HEADLINE,
            "--url",
            wx.url,
            "--token",
            TOKEN,
            "--openid",
            new_openid(),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("您父亲（枣庄，85周岁，低保）") and "每月合计：130元" in done.stdout
    wrong = subprocess.run(
        [sys.executable, "-m", "bot.channels.wechat_sim", "你好", "--url", wx.url, "--token", "bad"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert wrong.returncode == 1 and "HTTP 403" in wrong.stderr
    usage = subprocess.run(
        [sys.executable, "-m", "bot.channels.wechat_sim", "你好"], capture_output=True, text=True, env=env, timeout=60
    )
    assert usage.returncode == 2 and "WECHAT_TOKEN" in usage.stderr


# --------------------------------------------------------------------------------------------- no settings


@pytest.mark.skipif(
    any(os.environ.get(v) for v in ("WECHAT_TOKEN", "WECHAT_APP_ID", "WECHAT_APP_SECRET")),
    reason="WeChat variables are set in this environment",
)
def test_without_settings_the_route_answers_503_and_rest_still_works(servers):
    """The shared e2e servers run the committed credentials.yml, as `make run` does, with no WECHAT_*."""
    status, message = sim.post(
        f"{servers.url}/webhooks/wechat/webhook", sim.text_message_xml("o1", "你好"), sim.signed_query("anything")
    )
    assert status == 503 and "WECHAT_TOKEN" in message
    assert get(f"{servers.url}/webhooks/wechat/webhook", sim.signed_query("x", echostr="1"))[0] == 503
    assert "高龄津贴：30元/月" in servers.send(uuid.uuid4().hex, HEADLINE)


# --------------------------------------------------------------------------------------------- handoff


def test_handoff_over_wechat_gives_a_code_the_console_opens(wx):
    openid = new_openid()
    sim.send_text(wx.url, TOKEN, "我妈88岁，济宁的，低保", openid=openid)
    status, answer = sim.send_text(wx.url, TOKEN, "济宁高龄津贴多少钱", openid=openid)
    status, thanks = sim.send_text(wx.url, TOKEN, "没用", openid=openid)
    assert status == 200 and thanks.startswith("谢谢，已记下，我们会改进。要转人工吗？")
    status, offer = sim.send_text(wx.url, TOKEN, "打电话问问", openid=openid)
    assert "12345政务服务便民热线（全国统一号码）：12345" in offer and "回复 同意 生成查询码" in offer
    status, done = sim.send_text(wx.url, TOKEN, "同意", openid=openid)
    code = re.search(r"查询码：([2-9A-Z]{5}-[2-9A-Z]{5})", done).group(1)
    assert len(done.encode()) <= MAX_TEXT_BYTES
    req = urllib.request.Request(
        f"{wx.url}/api/case",
        data=json.dumps({"code": code}).encode(),
        headers={"Authorization": f"Bearer {CONSOLE_TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        case = json.load(r)["case"]
    assert case["channel"] == "wechat" and case["profile"]["city"] == "济宁" and case["profile"]["age"] == 88
    assert [t["q"] for t in case["turns"]][-3:] == ["没用", "打电话问问", "同意"]
    assert openid not in json.dumps(case, ensure_ascii=False)  # no OpenID in the case
    req = urllib.request.Request(f"{wx.url}/api/review", headers={"Authorization": f"Bearer {CONSOLE_TOKEN}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        entries = json.load(r)["entries"]
    feedback = next(e for e in entries if e["reason"] == "feedback" and e["channel"] == "wechat")
    assert (feedback["text"], feedback["reply"]) == ("济宁高龄津贴多少钱", answer)
    assert any(e["reason"] == "handoff" and e["text"] == "打电话问问" for e in entries)


# --------------------------------------------------------------------------------------------- a family (issue 18)


def test_a_family_over_wechat_each_follow_up_one_passive_message(wx, fake_api):
    openid = new_openid()
    replies = []
    for text in FAMILY:
        status, reply = sim.send_text(wx.url, TOKEN, text, openid=openid)
        assert status == 200 and len(reply.encode()) <= MAX_TEXT_BYTES
        if text in FAMILY[2:]:  # the sum, the what-if, the total now: one passive message each
            assert not reply.endswith(MORE_FOLLOWS), "a follow-up answer fits one passive message"
            replies.append(reply)
            continue
        if text == FAMILY[1]:  # her own first answer: her money is in the passive part (the rest may follow)
            assert "每月合计：80元" in reply
        before = len(fake_api.messages_to(openid))
        follow_ups = fake_api.wait_for(openid, before + 1, settle=1.5)[before:] if reply.endswith(MORE_FOLLOWS) else []
        assert len(follow_ups) <= MAX_FOLLOW_UPS
        replies.append("\n".join([reply.replace(MORE_FOLLOWS, "").rstrip("\n")] + follow_ups))
    check_family(replies)
