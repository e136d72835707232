"""bot/channels/wechat/api.py against a local fake WeChat API (real HTTP): the access-token cache and the
customer-service sender, failures logged without secrets."""

import asyncio
import logging
import re

import pytest

from bot.channels.wechat import AccessTokens, CustomerService, WeChatAPIError, WeChatSettings
from tests.bot.channels.wechat.conftest import ENV
from tests.support.wechat import FakeWeChatAPI


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
            clock.now += 7200 - 301  # still valid, not yet in the refresh window
            await cs.send_text("oToken1", "第3条")
            assert tokens.fetches == 1
            clock.now += 2  # within 5 minutes of expiry: fetch a new one first
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
