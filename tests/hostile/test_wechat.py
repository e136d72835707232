"""The WeChat channel's input handling under hostile input: any body is a message or a 400, any query is a
match or a 403, any encrypted body decrypts or is refused, and any answer splits into parts WeChat accepts."""

import base64
import hashlib

from hypothesis import example, given
from hypothesis import strategies as st

from bot.channels import wechat_sim
from bot.channels.wechat import MAX_TEXT_BYTES, ONLY_FOLLOWS, ChannelError, check_signature
from tests.support.hostile import oracles
from tests.support.hostile.strategies import queries, short_text, texts

XML_FIELDS = [
    "ToUserName",
    "FromUserName",
    "CreateTime",
    "MsgType",
    "Content",
    "MsgId",
    "Event",
    "EventKey",
    "Recognition",
    "MediaId",
    "Format",
    "PicUrl",
    "Latitude",
    "Encrypt",
    "xml",
]
field_values = st.one_of(
    short_text,
    st.sampled_from(
        [
            "text",
            "voice",
            "event",
            "image",
            "subscribe",
            "1700000000",
            "oUser_1",
            "gh_1",
            "",
            "12ab",
            "1" * 30,
            "-1",
            "1e9",
        ]
    ),
)


@st.composite
def xml_documents(draw):
    """Element soup around WeChat's field names: nesting, repeats, attributes, CDATA, entities, junk."""
    parts = []
    for _ in range(draw(st.integers(0, 12))):
        name = draw(st.sampled_from(XML_FIELDS))
        value = draw(field_values)
        shape = draw(st.integers(0, 5))
        if shape == 0:
            parts.append(f"<{name}><![CDATA[{value}]]></{name}>")
        elif shape == 1:
            parts.append(f"<{name}>{value}</{name}>")
        elif shape == 2:
            parts.append(f'<{name} a="{value}"/>')
        elif shape == 3:
            parts.append(f"<{name}><{name}>{value}</{name}></{name}>")
        elif shape == 4:
            parts.append(value)
        else:
            parts.append(
                draw(
                    st.sampled_from(
                        [
                            "<!DOCTYPE xml [<!ENTITY a 'b'>]>",
                            "&a;",
                            "&#0;",
                            "<?pi x?>",
                            "<!-- c -->",
                            "]]>",
                            "<",
                            "</xml>",
                            "<xml>",
                        ]
                    )
                )
            )
    wrap = draw(st.sampled_from(["<xml>{}</xml>", "{}", "<root>{}</root>", '<?xml version="1.0"?><xml>{}</xml>']))
    return wrap.format("".join(parts))


@given(st.one_of(xml_documents(), texts))
@example("<xml>" * 5000 + "</xml>" * 5000)
@example('<!DOCTYPE xml [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><xml><Content>&b;</Content></xml>')
def test_any_body_is_a_message_or_a_400(xml):
    oracles.check_parse_incoming(xml)


@given(
    st.text(alphabet=st.characters(codec="ascii"), min_size=1, max_size=128), texts, st.sampled_from(["text", "voice"])
)
@example("oUser_1", "]]><MsgType>event</MsgType>", "text")
@example("oUser_1", "a\r\nb\rc", "voice")
def test_a_message_carries_any_text_or_is_refused(openid, content, msg_type):
    oracles.check_message_roundtrip(openid, content, msg_type)


@given(texts)
@example("第一行]]><x>\x01\n第二行")
def test_any_answer_renders_as_reply_xml(content):
    oracles.check_reply_render(content)


@given(st.text(min_size=1, max_size=40), queries, queries, queries)
@example("tok", "é" * 40, "1", "2")  # was a TypeError (HTTP 500): compare_digest refuses non-ASCII str
@example("tok", "İ" * 40, "1", "2")
def test_any_query_matches_or_is_a_403(token, signature, timestamp, nonce):
    oracles.check_signature_total(token, signature, timestamp, nonce)


@given(
    st.one_of(
        xml_documents(),
        texts,
        st.builds(
            lambda enc: f"<xml><ToUserName>gh_1</ToUserName><Encrypt><![CDATA[{enc}]]></Encrypt></xml>",
            st.one_of(st.binary(max_size=300).map(lambda b: base64.b64encode(b).decode()), short_text),
        ),
    ),
    queries,
    st.text(max_size=20),
    st.text(max_size=20),
    st.booleans(),
)
def test_any_encrypted_body_decrypts_or_is_refused(body, msg_signature, timestamp, nonce, sign_it):
    if sign_it and "<Encrypt><![CDATA[" in body:  # signed as WeChat signs: only the AES layer can refuse it
        encrypt = body.split("<Encrypt><![CDATA[", 1)[1].split("]]>", 1)[0]
        msg_signature = hashlib.sha1(
            "".join(sorted([oracles.WECHAT_ENV["WECHAT_TOKEN"], timestamp, nonce, encrypt])).encode()
        ).hexdigest()
    oracles.check_decrypt(body, msg_signature, timestamp, nonce)


@given(
    texts,
    st.text(alphabet="0123456789", min_size=1, max_size=12),
    st.text(alphabet="0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=32),
    st.one_of(st.none(), st.integers(0, 10**6)),
)
def test_encrypted_messages_round_trip_and_tampering_is_refused(content, timestamp, nonce, tamper):
    oracles.check_encrypted_roundtrip(content, timestamp, nonce, tamper)


lines = st.lists(
    st.one_of(
        short_text, st.sampled_from(["", " ", "还可能享受：", "· 条目" * 200, "好" * 700, "，".join(["第1项"] * 300)])
    ),
    max_size=60,
).map("\n".join)


@given(st.one_of(lines, texts), st.sampled_from([MAX_TEXT_BYTES, MAX_TEXT_BYTES, 4, 16, 100, 512, 4096]))
@example("好" * 5000, MAX_TEXT_BYTES)
@example("a" * 2048 + "\n   \nb", MAX_TEXT_BYTES)
@example(" " * 2048 + "abc", MAX_TEXT_BYTES)
def test_split_parts_fit_and_give_the_text_back(text, limit):
    oracles.check_split(text, limit)


@given(
    st.one_of(lines, texts), st.sampled_from([MAX_TEXT_BYTES, MAX_TEXT_BYTES, len(ONLY_FOLLOWS.encode()), 200, 4096])
)
def test_passive_reply_and_follow_ups_fit_and_give_the_text_back(text, limit):
    oracles.check_plan(text, limit)


def test_a_non_ascii_signature_is_a_403_not_a_crash():
    for signature in ("é" * 40, "签名"):
        try:
            check_signature("tok", signature, "1", "2")
        except ChannelError as e:
            assert e.status == 403
        else:
            raise AssertionError("accepted")


def test_simulated_messages_parse():
    m = oracles.check_parse_incoming(wechat_sim.text_message_xml("oUser_1", "我父亲85岁"))
    assert m is not None and m.text == "我父亲85岁"
