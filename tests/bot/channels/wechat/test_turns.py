"""bot/channels/wechat/turns.py with a real Redis (each WeChatInput stands for one server process): one turn per
message and one delivery of its answer across servers; without Redis, each server deduplicates in its process."""

import asyncio
import logging

from bot.channels.wechat import MORE_FOLLOWS
from tests.bot.channels.wechat.conftest import CountingRasa, close_all, incoming, kb_answer, redis_server_channel


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
