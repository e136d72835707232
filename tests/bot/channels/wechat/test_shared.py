"""bot/channels/wechat/shared.py with a real Redis: several servers share one access token, fetched once and
refreshed once."""

import asyncio

from tests.bot.channels.wechat.conftest import REDIS_ENV, close_all, redis_server_channel


def test_the_access_token_is_fetched_once_for_all_servers_and_refreshed_once(redis_url, redis_fake_api):
    app_id = REDIS_ENV["WECHAT_APP_ID"]
    servers = [redis_server_channel(redis_url, redis_fake_api) for _ in range(3)]
    before = redis_fake_api.token_requests.get(app_id, 0)

    async def scenario():
        try:
            await asyncio.gather(
                *(ch.customer_service.send_text("oRedis5", f"第{i}条") for i, ch in enumerate(servers * 2))
            )
            assert redis_fake_api.token_requests[app_id] - before == 1  # six sends, three servers, one fetch
            redis_fake_api.revoke()  # WeChat no longer accepts it: each server is refused once
            await asyncio.gather(*(ch.customer_service.send_text("oRedis5", f"再{i}") for i, ch in enumerate(servers)))
        finally:
            await close_all(*servers)

    asyncio.run(scenario())
    assert redis_fake_api.token_requests[app_id] - before == 2  # one new token, shared again
    assert len(redis_fake_api.messages_to("oRedis5")) == 9
