"""bot/channels/wechat/channel.py without a Rasa server: the committed credentials start without any WeChat
variable (503 until configured), and safe and compatible mode messages decrypt (wrong signatures refused)."""

import hashlib

import pytest
from wechatpy.crypto import WeChatCrypto

from bot.channels import wechat_sim as sim
from bot.channels.wechat import ChannelError, WeChatInput, WeChatSettings, parse_incoming
from tests.bot.channels.wechat.conftest import AES_KEY, ENV
from tests.support.servers import ROOT


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
