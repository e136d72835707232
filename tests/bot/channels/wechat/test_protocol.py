"""bot/channels/wechat/protocol.py: signatures, the XML WeChat sends and the passive reply, and long answers split
into WeChat's 2,048-byte parts within its message quota."""

import hashlib

import pytest
import xmltodict
from wechatpy.utils import check_signature as wechatpy_check_signature

from bot.channels import wechat_sim as sim
from bot.channels.wechat import (
    MAX_FOLLOW_UPS,
    MAX_TEXT_BYTES,
    MORE_FOLLOWS,
    ONLY_FOLLOWS,
    ChannelError,
    check_signature,
    follow_up_parts,
    make_signature,
    parse_incoming,
    plan_reply,
    render_text_reply,
    split_text,
)
from tests.bot.channels.wechat.conftest import kb_answer


def b(text):
    return len(text.encode("utf-8"))


# ------------------------------------------------------------------------------------------------ signature


def test_signature_is_sha1_of_the_sorted_token_timestamp_and_nonce():
    expected = hashlib.sha1("".join(sorted(["tok", "1700000000", "81234"])).encode()).hexdigest()
    assert make_signature("tok", "1700000000", "81234") == expected
    check_signature("tok", expected, "1700000000", "81234")
    wechatpy_check_signature("tok", expected, "1700000000", "81234")  # the library agrees


@pytest.mark.parametrize(
    "signature, timestamp, nonce",
    [
        ("0" * 40, "1700000000", "81234"),  # wrong
        (None, "1700000000", "81234"),  # missing
        ("x", None, "81234"),
        ("x", "1700000000", ""),
    ],
)
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


@pytest.mark.parametrize(
    "body",
    [
        "",
        "not xml",
        "<xml>",
        "<xml><a></xml>",
        "<xml/>",
        "<root><MsgType>text</MsgType></root>",
        "<xml>text only</xml>",
        # entity declarations are refused: no external entities, no entity expansion
        '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><Content>&x;</Content></xml>',
        '<!DOCTYPE xml [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><xml><Content>&b;</Content></xml>',
    ],
)
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


@pytest.mark.parametrize(
    "body",
    [
        xml(**dict(BASE, FromUserName="o user"), MsgType="text", Content="x"),  # not an OpenID
        xml(**dict(BASE, CreateTime="yesterday"), MsgType="text", Content="x"),
        xml(**BASE, MsgType="text", Content="x", MsgId="12ab"),
        xml(**BASE, MsgType="text", Content="x").replace("</xml>", "<FromUserName>o2</FromUserName></xml>"),  # twice
        "<xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime>"
        "<MsgType>text</MsgType><Content><b>x</b></Content></xml>",  # nested element
    ],
)
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


# ------------------------------------------------------------------------------------------------ splitting


LONG_ANSWERS = [
    kb_answer("枣庄", 85, "低保"),
    kb_answer("济宁", 100, "特困"),
    kb_answer("济宁", 85, "低保"),
    "\n".join(kb_answer(c, 90, "特困") for c in ("济宁", "枣庄", "聊城")),
]  # ~10 KB


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
