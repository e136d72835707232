"""Shared by the WeChat channel's tests: the settings they use, a long answer from the KB, and for the Redis tests
(several servers) a real Redis and a fake WeChat API, each started once for the package."""

import asyncio

import pytest

from bot.channels import wechat_sim as sim
from bot.channels.wechat import WeChatInput, WeChatSettings, parse_incoming
from rules_kb import default_kb, evaluate, make_profile, render
from tests.support.servers import ROOT
from tests.support.wechat import FakeWeChatAPI

AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
ENV = {"WECHAT_TOKEN": "tok", "WECHAT_APP_ID": "wx1234567890abcdef", "WECHAT_APP_SECRET": "s3cret-value"}


def kb_answer(place, age, *statuses):
    kb = default_kb()
    return render.answer_text(evaluate(kb, make_profile(kb, place, age, statuses)))


# ------------------------------------------------------------------------------------------------ Redis (several servers)
# Each WeChatInput below stands for one server process; they share only a real Redis (started here).


REDIS_ENV = dict(ENV, WECHAT_APP_ID="wxredis000000000001", WECHAT_APP_SECRET="redis-secret")


@pytest.fixture(scope="package")
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


@pytest.fixture(scope="package")
def redis_fake_api():
    with FakeWeChatAPI({REDIS_ENV["WECHAT_APP_ID"]: REDIS_ENV["WECHAT_APP_SECRET"]}) as api:
        yield api


def redis_server_channel(url, api, **settings):
    return WeChatInput(
        WeChatSettings.load(dict({"redis_url": url, "api_base": api.url}, **settings), environ=REDIS_ENV)
    )


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
