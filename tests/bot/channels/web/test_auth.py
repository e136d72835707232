"""bot/channels/web/auth.py: tokens, the bearer header and same-origin checks, without a server."""

import pytest

from bot.channels.web import bearer_token, same_origin, same_secret
from tests.bot.channels.web.conftest import TOKEN


def test_tokens_are_compared_exactly():
    assert same_secret(TOKEN, TOKEN)
    assert not same_secret(TOKEN + "x", TOKEN) and not same_secret("", TOKEN) and not same_secret(None, TOKEN)
    assert same_secret("口令口令", "口令口令")  # non-ASCII tokens work too


def test_bearer_header_parsing():
    assert bearer_token(f"Bearer {TOKEN}") == TOKEN and bearer_token(f"bearer  {TOKEN} ") == TOKEN
    assert bearer_token(f"Basic {TOKEN}") is None and bearer_token("Bearer") is None and bearer_token(None) is None


@pytest.mark.parametrize(
    "headers, ok",
    [
        ({}, True),
        ({"origin": "http://console.local:5005", "sec-fetch-site": "same-origin"}, True),
        ({"origin": "https://evil.example"}, False),
        ({"sec-fetch-site": "cross-site"}, False),
        ({"sec-fetch-site": "same-site"}, False),
        ({"origin": "null"}, False),
        ({"origin": "https://console.local"}, True),  # behind a proxy whose Host header has no port
        ({"origin": "https://console.local.evil.example"}, False),
        ({"origin": "http://[::1"}, False),
    ],
)
def test_cookie_requests_must_come_from_the_console_itself(headers, ok):
    assert same_origin(headers, "console.local:5005") is ok
