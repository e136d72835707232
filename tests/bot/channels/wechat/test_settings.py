"""bot/channels/wechat/settings.py: the channel's settings from credentials.yml or the environment."""

import pytest

from bot.channels.wechat import WeChatSettings
from tests.bot.channels.wechat.conftest import AES_KEY, ENV


def test_settings_come_from_the_environment_with_defaults():
    s = WeChatSettings.load({"token": None, "app_id": None}, environ=ENV)
    assert s.ready and (s.token, s.app_id, s.app_secret) == ("tok", "wx1234567890abcdef", "s3cret-value")
    assert s.encoding_aes_key is None and s.api_base == "https://api.weixin.qq.com"
    assert (s.reply_timeout, s.max_body_bytes) == (4.5, 65536)


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_setting_in_the_file_is_read_from_its_variable_and_a_blank_variable_is_not_set(blank):
    s = WeChatSettings.load(
        {"token": blank, "api_base": blank, "reply_timeout": blank}, environ=dict(ENV, WECHAT_API_BASE=blank)
    )
    assert s.ready and s.token == "tok" and s.api_base == "https://api.weixin.qq.com" and s.reply_timeout == 4.5
    assert WeChatSettings.load({}, environ=dict(ENV, WECHAT_APP_SECRET=blank)).problems == (
        "missing WECHAT_APP_SECRET",
    )


def test_a_value_in_the_credentials_file_wins_over_the_environment():
    s = WeChatSettings.load(
        {
            "token": "file-token",
            "api_base": "http://127.0.0.1:9/",
            "reply_timeout": 0.2,
            "max_body_bytes": 1000,
            "encoding_aes_key": AES_KEY,
        },
        environ=ENV,
    )
    assert s.ready and s.token == "file-token" and s.api_base == "http://127.0.0.1:9"
    assert (s.reply_timeout, s.max_body_bytes, s.encoding_aes_key) == (0.2, 1000, AES_KEY)


def test_missing_settings_name_the_variables_and_the_channel_is_not_ready():
    s = WeChatSettings.load(None, environ={"WECHAT_TOKEN": "tok"})
    assert not s.ready and s.problems == ("missing WECHAT_APP_ID, WECHAT_APP_SECRET",)
    bad = WeChatSettings.load({}, environ=dict(ENV, WECHAT_AES_KEY="too-short"))
    assert not bad.ready and "WECHAT_AES_KEY" in bad.problems[0]


@pytest.mark.parametrize(
    "credentials", [{"tokn": "x"}, {"reply_timeout": "soon"}, {"reply_timeout": -1}, {"max_body_bytes": 0}]
)
def test_a_wrong_setting_in_the_file_is_an_error(credentials):
    with pytest.raises(ValueError):
        WeChatSettings.load(credentials, environ=ENV)


def test_redis_url_comes_from_the_environment_and_must_be_a_redis_url():
    s = WeChatSettings.load({"redis_url": None}, environ=dict(ENV, WECHAT_REDIS_URL="redis://:pw@127.0.0.1:6379/2"))
    assert s.ready and s.redis_url == "redis://:pw@127.0.0.1:6379/2"
    assert WeChatSettings.load({}, environ=ENV).redis_url is None  # default: everything in the process
    bad = WeChatSettings.load({}, environ=dict(ENV, WECHAT_REDIS_URL="127.0.0.1:6379"))
    assert not bad.ready and "WECHAT_REDIS_URL" in bad.problems[0]
