"""The WeChat channel's parts without a Rasa server: settings, signatures, XML, crypto, splitting, and the
access-token cache and customer-service sender against a local fake WeChat API (real HTTP)."""
import asyncio
import hashlib
import logging
import re

import pytest
import xmltodict
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import check_signature as wechatpy_check_signature

from bot.channels import wechat_sim as sim
from bot.channels.wechat import (
    MAX_FOLLOW_UPS,
    MAX_TEXT_BYTES,
    MORE_FOLLOWS,
    ONLY_FOLLOWS,
    AccessTokens,
    ChannelError,
    CustomerService,
    WeChatAPIError,
    WeChatInput,
    WeChatSettings,
    check_signature,
    follow_up_parts,
    make_signature,
    parse_incoming,
    plan_reply,
    render_text_reply,
    split_text,
)
from rules_kb import default_kb, evaluate, make_profile, render
from tests.support.servers import ROOT
from tests.support.wechat import FakeWeChatAPI

AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
ENV = {"WECHAT_TOKEN": "tok", "WECHAT_APP_ID": "wx1234567890abcdef", "WECHAT_APP_SECRET": "s3cret-value"}


def b(text):
    return len(text.encode("utf-8"))


# ------------------------------------------------------------------------------------------------ settings

def test_settings_come_from_the_environment_with_defaults():
    s = WeChatSettings.load({"token": None, "app_id": None}, environ=ENV)
    assert s.ready and (s.token, s.app_id, s.app_secret) == ("tok", "wx1234567890abcdef", "s3cret-value")
    assert s.encoding_aes_key is None and s.api_base == "https://api.weixin.qq.com"
    assert (s.reply_timeout, s.max_body_bytes) == (4.5, 65536)


def test_a_value_in_the_credentials_file_wins_over_the_environment():
    s = WeChatSettings.load({"token": "file-token", "api_base": "http://127.0.0.1:9/", "reply_timeout": 0.2,
                             "max_body_bytes": 1000, "encoding_aes_key": AES_KEY}, environ=ENV)
    assert s.ready and s.token == "file-token" and s.api_base == "http://127.0.0.1:9"
    assert (s.reply_timeout, s.max_body_bytes, s.encoding_aes_key) == (0.2, 1000, AES_KEY)


def test_missing_settings_name_the_variables_and_the_channel_is_not_ready():
    s = WeChatSettings.load(None, environ={"WECHAT_TOKEN": "tok"})
    assert not s.ready and s.problems == ("missing WECHAT_APP_ID, WECHAT_APP_SECRET",)
    bad = WeChatSettings.load({}, environ=dict(ENV, WECHAT_AES_KEY="too-short"))
    assert not bad.ready and "WECHAT_AES_KEY" in bad.problems[0]


@pytest.mark.parametrize("credentials", [{"tokn": "x"}, {"reply_timeout": "soon"}, {"reply_timeout": -1},
                                         {"max_body_bytes": 0}])
def test_a_wrong_setting_in_the_file_is_an_error(credentials):
    with pytest.raises(ValueError):
        WeChatSettings.load(credentials, environ=ENV)


def test_committed_credentials_start_without_any_wechat_variable(monkeypatch):
    """`make run` on a machine without WeChat settings: Rasa loads credentials.yml, REST is there and the
    WeChat route is mounted but not configured (it answers 503)."""
    from rasa.core.run import create_http_input_channels

    for name in ("WECHAT_TOKEN", "WECHAT_APP_ID", "WECHAT_APP_SECRET", "WECHAT_AES_KEY", "WECHAT_API_BASE"):
        monkeypatch.delenv(name, raising=False)
    channels = {c.name(): c for c in create_http_input_channels(None, str(ROOT / "credentials.yml"))}
    assert set(channels) == {"rest", "wechat", "web"}
    wechat = channels["wechat"]
    assert not wechat.settings.ready
    assert "WECHAT_TOKEN" in wechat.settings.problems[0] and wechat.settings.reply_timeout == 4.5
    with pytest.raises(ChannelError) as e:
        wechat._require_ready()
    assert e.value.status == 503 and "WECHAT_APP_SECRET" in e.value.message


# ------------------------------------------------------------------------------------------------ signature

def test_signature_is_sha1_of_the_sorted_token_timestamp_and_nonce():
    expected = hashlib.sha1("".join(sorted(["tok", "1700000000", "81234"])).encode()).hexdigest()
    assert make_signature("tok", "1700000000", "81234") == expected
    check_signature("tok", expected, "1700000000", "81234")
    wechatpy_check_signature("tok", expected, "1700000000", "81234")  # the library agrees


@pytest.mark.parametrize("signature, timestamp, nonce", [
    ("0" * 40, "1700000000", "81234"),   # wrong
    (None, "1700000000", "81234"),       # missing
    ("x", None, "81234"),
    ("x", "1700000000", ""),
])
def test_bad_or_missing_signature_is_forbidden(signature, timestamp, nonce):
    with pytest.raises(ChannelError) as e:
        check_signature("tok", signature, timestamp, nonce)
    assert e.value.status == 403


def test_signature_made_with_another_token_is_forbidden():
    with pytest.raises(ChannelError):
        check_signature("tok", make_signature("other", "1", "2"), "1", "2")


# ------------------------------------------------------------------------------------------------ XML

def xml(**fields):
    return "<xml>" + "".join(f"<{k}><![CDATA[{v}]]></{k}>" for k, v in fields.items()) + "</xml>"


BASE = dict(ToUserName="gh_0123456789ab", FromUserName="oUser_AbC-123", CreateTime="1700000000")


def test_text_message():
    m = parse_incoming(sim.text_message_xml("oUser_AbC-123", "枣庄 85岁", msg_id="24012345678901234567"[:19]))
    assert (m.msg_type, m.openid, m.text, m.msg_id) == ("text", "oUser_AbC-123", "枣庄 85岁", "2401234567890123456")
    assert m.account == sim.ACCOUNT and m.dedupe_key == "oUser_AbC-123:2401234567890123456"


def test_voice_with_recognition_is_text_and_without_it_empty():
    voice = dict(BASE, MsgType="voice", MediaId="m1", Format="amr", MsgId="1")
    assert parse_incoming(xml(**voice, Recognition="我父亲85岁。")).text == "我父亲85岁。"
    assert parse_incoming(xml(**voice)).text == ""


def test_events_and_other_types():
    assert parse_incoming(xml(**BASE, MsgType="event", Event="subscribe")).event == "subscribe"
    scan = parse_incoming(xml(**BASE, MsgType="event", Event="subscribe", EventKey="qrscene_12"))
    assert scan.event == "subscribe" and scan.dedupe_key == "oUser_AbC-123@1700000000"
    assert parse_incoming(xml(**BASE, MsgType="event", Event="unsubscribe")).event == "unsubscribe"
    image = parse_incoming(xml(**BASE, MsgType="image", PicUrl="http://x/y.jpg", MediaId="m", MsgId="5"))
    assert image.msg_type == "image" and image.text is None


@pytest.mark.parametrize("body", [
    "", "not xml", "<xml>", "<xml><a></xml>", "<xml/>", "<root><MsgType>text</MsgType></root>",
    "<xml>text only</xml>",
    # entity declarations are refused: no external entities, no entity expansion
    '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><Content>&x;</Content></xml>',
    '<!DOCTYPE xml [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><xml><Content>&b;</Content></xml>',
])
def test_malformed_xml_is_a_400(body):
    with pytest.raises(ChannelError) as e:
        parse_incoming(body)
    assert e.value.status == 400


@pytest.mark.parametrize("drop", ["FromUserName", "ToUserName", "CreateTime", "MsgType", "Content"])
def test_missing_fields_are_a_400(drop):
    fields = dict(BASE, MsgType="text", Content="你好", MsgId="1")
    del fields[drop]
    with pytest.raises(ChannelError) as e:
        parse_incoming(xml(**fields))
    assert e.value.status == 400 and drop in e.value.message


@pytest.mark.parametrize("body", [
    xml(**dict(BASE, FromUserName="o user"), MsgType="text", Content="x"),          # not an OpenID
    xml(**dict(BASE, CreateTime="yesterday"), MsgType="text", Content="x"),
    xml(**BASE, MsgType="text", Content="x", MsgId="12ab"),
    xml(**BASE, MsgType="text", Content="x").replace("</xml>", "<FromUserName>o2</FromUserName></xml>"),  # twice
    "<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime>"
    "<MsgType>text</MsgType><Content><b>x</b></Content></xml>",                       # nested element
])
def test_invalid_field_values_are_a_400(body):
    with pytest.raises(ChannelError) as e:
        parse_incoming(body)
    assert e.value.status == 400


def test_passive_reply_xml_survives_cdata_terminators_and_control_characters():
    m = parse_incoming(sim.text_message_xml("oUser1", "hi"))
    rendered = render_text_reply(m, "第一行]]><x>\x01\n第二行")
    doc = xmltodict.parse(rendered)["xml"]
    assert doc["Content"] == "第一行]]><x>\n第二行"
    assert (doc["ToUserName"], doc["FromUserName"], doc["MsgType"]) == ("oUser1", sim.ACCOUNT, "text")


# ------------------------------------------------------------------------------------------------ crypto

def channel(**credentials):
    return WeChatInput(WeChatSettings.load(dict({"encoding_aes_key": AES_KEY}, **credentials), environ=ENV))


@pytest.mark.parametrize("compatible", [False, True])
def test_safe_and_compatible_mode_messages_decrypt(compatible):
    ch = channel()
    crypto = WeChatCrypto("tok", AES_KEY, ENV["WECHAT_APP_ID"])
    plain = sim.text_message_xml("oUser1", "我父亲85岁，枣庄的低保户", msg_id="77")
    body, query = sim.encrypt_for_post(crypto, plain, "oUser1", "tok", compatible=compatible)
    if not compatible:
        assert "Content" not in body and "oUser1" not in body
    decrypted = ch._decrypt(body, query["msg_signature"], query["timestamp"], query["nonce"])
    assert parse_incoming(decrypted).text == "我父亲85岁，枣庄的低保户"


def test_wrong_msg_signature_wrong_appid_and_garbage_are_refused():
    ch = channel()
    crypto = WeChatCrypto("tok", AES_KEY, ENV["WECHAT_APP_ID"])
    body, q = sim.encrypt_for_post(crypto, sim.text_message_xml("oUser1", "x"), "oUser1", "tok")
    with pytest.raises(ChannelError) as e:
        ch._decrypt(body, "0" * 40, q["timestamp"], q["nonce"])
    assert e.value.status == 403
    with pytest.raises(ChannelError) as e:
        ch._decrypt(body, None, q["timestamp"], q["nonce"])
    assert e.value.status == 403
    other_app = WeChatCrypto("tok", AES_KEY, "wxsomeoneelse00000")
    body, q = sim.encrypt_for_post(other_app, sim.text_message_xml("oUser1", "x"), "oUser1", "tok")
    with pytest.raises(ChannelError) as e:
        ch._decrypt(body, q["msg_signature"], q["timestamp"], q["nonce"])
    assert e.value.status == 403
    garbage = "<xml><ToUserName>gh_1</ToUserName><Encrypt>bm90IGFlcw==</Encrypt></xml>"
    # signed as WeChat signs an encrypted message: token, timestamp, nonce and Encrypt, sorted
    signature = hashlib.sha1("".join(sorted(["tok", "1", "2", "bm90IGFlcw=="])).encode()).hexdigest()
    with pytest.raises(ChannelError) as e:
        ch._decrypt(garbage, signature, "1", "2")
    assert e.value.status == 400
    with pytest.raises(ChannelError) as e:
        ch._decrypt(sim.text_message_xml("oUser1", "x"), signature, "1", "2")  # no Encrypt field
    assert e.value.status == 400


# ------------------------------------------------------------------------------------------------ splitting

def kb_answer(place, age, *statuses):
    kb = default_kb()
    return render.answer_text(evaluate(kb, make_profile(kb, place, age, statuses)))


LONG_ANSWERS = [kb_answer("枣庄", 85, "低保"), kb_answer("济宁", 100, "特困"), kb_answer("济宁", 85, "低保"),
                "\n".join(kb_answer(c, 90, "特困") for c in ("济宁", "枣庄", "聊城"))]  # ~10 KB


@pytest.mark.parametrize("text", LONG_ANSWERS)
def test_parts_are_whole_lines_in_order_and_at_most_2048_bytes(text):
    assert b(text) > MAX_TEXT_BYTES  # these are the answers that need splitting
    parts = split_text(text)
    assert len(parts) >= 2 and all(b(p) <= MAX_TEXT_BYTES for p in parts)
    assert "\n".join(parts) == text.strip("\n")  # nothing lost, nothing reordered, no line cut
    lines = set(text.split("\n"))
    assert all(line in lines for p in parts for line in p.split("\n"))


@pytest.mark.parametrize("text", LONG_ANSWERS)
def test_passive_part_plus_follow_ups_give_the_whole_answer_within_the_quota(text):
    if len(split_text(text)) > MAX_FOLLOW_UPS + 1:  # beyond the quota: the test below
        text = "\n".join(split_text(text)[:MAX_FOLLOW_UPS])
    passive, rest = plan_reply(text)
    assert passive.endswith(MORE_FOLLOWS) and b(passive) <= MAX_TEXT_BYTES
    assert rest and all(b(p) <= MAX_TEXT_BYTES for p in rest)
    first = passive[: -len(MORE_FOLLOWS)].rstrip("\n")
    assert "\n".join([first] + rest) == text.strip("\n")


def test_never_more_than_four_follow_ups_and_the_passive_part_says_what_was_left_out():
    """WeChat's quota since 2023: 5 customer-service messages within 48 h of one user message (issue 18)."""
    text = "\n".join(kb_answer(c, a, s) for c in ("济宁", "枣庄", "聊城") for a, s in ((90, "特困"), (85, "低保")))
    assert len(split_text(text)) > MAX_FOLLOW_UPS + 1  # an answer that would need more
    passive, rest = plan_reply(text)
    assert len(rest) == MAX_FOLLOW_UPS and all(b(p) <= MAX_TEXT_BYTES for p in rest + [passive])
    left = len(split_text(text)) - 1 - MAX_FOLLOW_UPS
    assert "后面还有" in passive and "回复“详细”" in passive and str(left) in passive
    first = passive.split("\n" + MORE_FOLLOWS)[0]
    assert text.startswith(first) and "\n".join([first] + rest) in text, "what is sent is the answer's beginning"
    # sent only as customer-service messages (the turn outlived the passive reply): 5 at most, the last says so
    parts = follow_up_parts(text)
    assert len(parts) == MAX_FOLLOW_UPS + 1 and "受微信消息条数限制" in parts[-1]
    assert follow_up_parts(LONG_ANSWERS[0]) == split_text(LONG_ANSWERS[0])


def test_a_heading_goes_with_its_list():
    text = "\n".join(["x" * 600] * 3 + ["还可能享受："] + ["· 条目" * 30] * 3)
    parts = split_text(text)
    assert not any(p.endswith("还可能享受：") for p in parts)
    assert any(p.startswith("还可能享受：\n· 条目") for p in parts)


def test_short_answer_is_one_passive_reply():
    assert plan_reply("不客气！") == ("不客气！", [])
    assert split_text("一行\n两行") == ["一行\n两行"]
    exactly = "好" * (MAX_TEXT_BYTES // 3) + "ab"  # 2048 bytes
    assert b(exactly) == MAX_TEXT_BYTES and plan_reply(exactly) == (exactly, [])


def test_a_single_over_long_line_is_cut_at_punctuation():
    line = "，".join(f"第{i}项服务内容说明" for i in range(300))  # one line of ~9 KB
    parts = split_text(line)
    assert len(parts) >= 4 and all(b(p) <= MAX_TEXT_BYTES for p in parts)
    assert all(p.endswith("，") for p in parts[:-1]) and "".join(parts) == line
    passive, rest = plan_reply(line, max_follow_ups=len(parts))
    assert passive == ONLY_FOLLOWS and rest == parts
    passive, rest = plan_reply(line)  # more than WeChat's quota allows: the first four, and a word on the rest
    assert passive.startswith(ONLY_FOLLOWS) and "后面还有" in passive and rest == parts[:MAX_FOLLOW_UPS]


def test_a_line_without_punctuation_is_cut_between_characters():
    line = "养老" * 2000
    parts = split_text(line)
    assert "".join(parts) == line and all(b(p) <= MAX_TEXT_BYTES for p in parts)


# ------------------------------------------------------------------------------------------------ WeChat API

@pytest.fixture(scope="module")
def fake_api():
    with FakeWeChatAPI({ENV["WECHAT_APP_ID"]: ENV["WECHAT_APP_SECRET"], "wxbad": "right"}) as api:
        yield api


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def service(fake_api, tokens, app_id=ENV["WECHAT_APP_ID"], secret=ENV["WECHAT_APP_SECRET"]):
    settings = WeChatSettings.load({"api_base": fake_api.url, "app_id": app_id, "app_secret": secret}, environ=ENV)
    return CustomerService(settings, tokens)


def test_token_is_cached_and_refreshed_before_it_expires(fake_api):
    clock = Clock()
    tokens = AccessTokens(clock)
    cs = service(fake_api, tokens)

    async def scenario():
        try:
            await asyncio.gather(*(cs.send_text("oToken1", f"第{i}条") for i in range(3)))
            assert tokens.fetches == 1  # three concurrent sends, one token fetch
            clock.now += 7200 - 301     # still valid, not yet in the refresh window
            await cs.send_text("oToken1", "第3条")
            assert tokens.fetches == 1
            clock.now += 2              # within 5 minutes of expiry: fetch a new one first
            await cs.send_text("oToken1", "第4条")
            assert tokens.fetches == 2
        finally:
            await cs.close()

    asyncio.run(scenario())
    assert sorted(fake_api.messages_to("oToken1")) == [f"第{i}条" for i in range(5)]


def test_a_token_wechat_no_longer_accepts_is_fetched_again(fake_api):
    tokens = AccessTokens()
    cs = service(fake_api, tokens)

    async def scenario():
        try:
            await cs.send_text("oToken2", "一")
            fake_api.revoke()
            await cs.send_text("oToken2", "二")
        finally:
            await cs.close()

    asyncio.run(scenario())
    assert fake_api.messages_to("oToken2") == ["一", "二"] and tokens.fetches == 2


def test_failures_are_logged_without_secrets_and_stop_the_sequence(fake_api, caplog):
    cs = service(fake_api, AccessTokens(), app_id="wxbad", secret="wrong-secret-value")

    async def scenario():
        try:
            with pytest.raises(WeChatAPIError):
                await cs.send_text("oToken3", "x")
            await cs.send_parts("oToken3", ["一", "二"], "test")
        finally:
            await cs.close()

    with caplog.at_level(logging.ERROR, logger="bot.channels.wechat"):
        asyncio.run(scenario())
    assert "1/2" in caplog.text and "40125" in caplog.text and "2/2" not in caplog.text
    assert "wrong-secret-value" not in caplog.text and fake_api.messages_to("oToken3") == []


def test_unreachable_api_is_logged_without_the_url(caplog):
    settings = WeChatSettings.load({"api_base": "http://127.0.0.1:9"}, environ=ENV)
    cs = CustomerService(settings, AccessTokens())

    async def scenario():
        try:
            await cs.send_parts("oToken4", ["一"], "test")
        finally:
            await cs.close()

    with caplog.at_level(logging.ERROR, logger="bot.channels.wechat"):
        asyncio.run(scenario())
    assert "not sent" in caplog.text and ENV["WECHAT_APP_SECRET"] not in caplog.text
    assert not re.search(r"secret=", caplog.text)


# ------------------------------------------------------------------------------------------------ Redis (several servers)
# Each WeChatInput below stands for one server process; they share only a real Redis (started here).

REDIS_ENV = dict(ENV, WECHAT_APP_ID="wxredis000000000001", WECHAT_APP_SECRET="redis-secret")


@pytest.fixture(scope="module")
def redis_server():
    from tests.support.services import Redis, missing_services, redis_server_binary
    if not redis_server_binary():
        import subprocess
        subprocess.run([str(ROOT / "scripts" / "install-services.sh")], check=False, timeout=900)
        if "redis-server" in missing_services():
            pytest.fail("redis-server missing and scripts/install-services.sh could not install it")
    with Redis() as r:
        yield r


@pytest.fixture
def redis_url(redis_server):
    redis_server.client().flushall()
    return redis_server.url


@pytest.fixture(scope="module")
def redis_fake_api():
    with FakeWeChatAPI({REDIS_ENV["WECHAT_APP_ID"]: REDIS_ENV["WECHAT_APP_SECRET"]}) as api:
        yield api


def redis_server_channel(url, api, **settings):
    return WeChatInput(WeChatSettings.load(dict({"redis_url": url, "api_base": api.url}, **settings),
                                           environ=REDIS_ENV))


class CountingRasa:
    """Stands in for Rasa: answers each message after `delay` seconds and counts the turns."""

    def __init__(self, delay=0.0, answer="答复：{}"):
        self.turns, self.delay, self.answer = [], delay, answer

    async def __call__(self, message):
        self.turns.append(message.text)
        await asyncio.sleep(self.delay)
        await message.output_channel.send_text_message(message.sender_id, self.answer.format(message.text))


def incoming(openid, text, msg_id="5000000000000000001"):
    return parse_incoming(sim.text_message_xml(openid, text, msg_id=msg_id))


async def close_all(*channels):
    await asyncio.sleep(0.05)
    for ch in channels:
        await ch.customer_service.close()
        await ch.shared.close()


def test_redis_url_comes_from_the_environment_and_must_be_a_redis_url():
    s = WeChatSettings.load({"redis_url": None}, environ=dict(ENV, WECHAT_REDIS_URL="redis://:pw@127.0.0.1:6379/2"))
    assert s.ready and s.redis_url == "redis://:pw@127.0.0.1:6379/2"
    assert WeChatSettings.load({}, environ=ENV).redis_url is None  # default: everything in the process
    bad = WeChatSettings.load({}, environ=dict(ENV, WECHAT_REDIS_URL="127.0.0.1:6379"))
    assert not bad.ready and "WECHAT_REDIS_URL" in bad.problems[0]


def test_a_message_reaching_two_servers_at_once_is_one_turn_and_one_passive_reply(redis_url, redis_fake_api):
    a, b = redis_server_channel(redis_url, redis_fake_api), redis_server_channel(redis_url, redis_fake_api)
    rasa = CountingRasa(delay=0.2)
    msg = incoming("oRedis1", "枣庄高龄津贴多少钱")

    async def scenario():
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.gather(*(ch._turn_reply(msg, loop.time(), rasa) for ch in (a, b, a, b)))
        finally:
            await close_all(a, b)

    replies = asyncio.run(scenario())
    assert rasa.turns == ["枣庄高龄津贴多少钱"]
    assert replies == ["答复：枣庄高龄津贴多少钱"] * 4
    assert redis_fake_api.messages_to("oRedis1") == []


def test_a_late_retry_on_another_server_gets_the_same_passive_reply(redis_url, redis_fake_api):
    a, b = redis_server_channel(redis_url, redis_fake_api), redis_server_channel(redis_url, redis_fake_api)
    rasa = CountingRasa()
    msg = incoming("oRedis2", "你好")

    async def scenario():
        loop = asyncio.get_running_loop()
        try:
            first = await a._turn_reply(msg, loop.time(), rasa)
            retry = await b._turn_reply(msg, loop.time(), rasa)
            return first, retry
        finally:
            await close_all(a, b)

    assert asyncio.run(scenario()) == ("答复：你好", "答复：你好") and rasa.turns == ["你好"]


def test_a_slow_answer_goes_out_once_as_customer_service_messages(redis_url, redis_fake_api):
    servers = [redis_server_channel(redis_url, redis_fake_api, reply_timeout=0.05) for _ in range(2)]
    rasa = CountingRasa(delay=0.3)
    msg = incoming("oRedis3", "枣庄高龄津贴多少钱")

    async def scenario():
        loop = asyncio.get_running_loop()
        try:
            replies = await asyncio.gather(*(ch._turn_reply(msg, loop.time(), rasa) for ch in servers * 2))
            await asyncio.sleep(0.8)  # the turn ends, the claimer sends
            retry = await servers[1]._turn_reply(msg, loop.time(), rasa)  # after delivery: still nothing new
            return replies, retry
        finally:
            await close_all(*servers)

    replies, retry = asyncio.run(scenario())
    assert replies == [None] * 4 and retry is None
    assert rasa.turns == ["枣庄高龄津贴多少钱"]
    assert redis_fake_api.wait_for("oRedis3", 1, settle=0.5) == ["答复：枣庄高龄津贴多少钱"]


def test_a_long_answer_is_passive_first_part_then_the_rest_once(redis_url, redis_fake_api):
    long_answer = kb_answer("枣庄", 85, "低保")
    servers = [redis_server_channel(redis_url, redis_fake_api, followup_delay=0.01) for _ in range(2)]
    rasa = CountingRasa(answer=long_answer.replace("{", "{{").replace("}", "}}"))
    msg = incoming("oRedis4", "我父亲85岁，枣庄的低保户，能领什么？")

    async def scenario():
        loop = asyncio.get_running_loop()
        try:
            replies = await asyncio.gather(*(ch._turn_reply(msg, loop.time(), rasa) for ch in servers))
            await asyncio.sleep(0.5)
            return replies
        finally:
            await close_all(*servers)

    replies = asyncio.run(scenario())
    assert replies[0] == replies[1] and replies[0].endswith(MORE_FOLLOWS)
    rest = redis_fake_api.wait_for("oRedis4", 1, settle=0.5)
    assert "\n".join([replies[0][: -len(MORE_FOLLOWS)].rstrip("\n")] + rest) == long_answer.strip("\n")


def test_the_access_token_is_fetched_once_for_all_servers_and_refreshed_once(redis_url, redis_fake_api):
    app_id = REDIS_ENV["WECHAT_APP_ID"]
    servers = [redis_server_channel(redis_url, redis_fake_api) for _ in range(3)]
    before = redis_fake_api.token_requests.get(app_id, 0)

    async def scenario():
        try:
            await asyncio.gather(*(ch.customer_service.send_text("oRedis5", f"第{i}条")
                                   for i, ch in enumerate(servers * 2)))
            assert redis_fake_api.token_requests[app_id] - before == 1  # six sends, three servers, one fetch
            redis_fake_api.revoke()  # WeChat no longer accepts it: each server is refused once
            await asyncio.gather(*(ch.customer_service.send_text("oRedis5", f"再{i}") for i, ch in enumerate(servers)))
        finally:
            await close_all(*servers)

    asyncio.run(scenario())
    assert redis_fake_api.token_requests[app_id] - before == 2  # one new token, shared again
    assert len(redis_fake_api.messages_to("oRedis5")) == 9


def test_without_redis_each_server_still_answers_deduplicating_in_its_process(redis_fake_api, caplog):
    from tests.support.servers import free_port
    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    ch = redis_server_channel(url, redis_fake_api)
    rasa = CountingRasa()
    msg = incoming("oRedis6", "你好")

    async def scenario():
        loop = asyncio.get_running_loop()
        try:
            return [await ch._turn_reply(msg, loop.time(), rasa) for _ in range(2)]
        finally:
            await close_all(ch)

    with caplog.at_level(logging.ERROR, logger="bot.channels.wechat"):
        assert asyncio.run(scenario()) == ["答复：你好"] * 2
    assert rasa.turns == ["你好"] and "Redis unreachable" in caplog.text
