"""bot/channels/web/api_handling.py over HTTP against a real Rasa server: hostile bodies on every JSON route are
4xx with the JSON error shape."""

import time

import pytest

from tests.bot.channels.web.conftest import AUTH

# issue 20 (6): hostile bodies are 4xx with the JSON error shape, never a 500 or a traceback in the log
DEEP = b"[" * 5000 + b"]" * 5000
DEEP_OBJECT = b'{"id": ' + b"[" * 5000 + b"]" * 5000 + b"}"


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/lookup", DEEP),
        ("/api/compare", DEEP),
        ("/api/case", DEEP),
        ("/api/review/resolve", DEEP),
        ("/api/review/export", DEEP),
        ("/api/lookup", DEEP_OBJECT),
        ("/api/case", DEEP_OBJECT),
        ("/api/review/resolve", {"id": 9223372036854775808, "note": ""}),
        ("/api/review/resolve", {"id": 2**63 - 1}),
        ("/api/review/export", {"entries": [{"id": 9223372036854775808, "intent": "ask_item"}]}),
        ("/api/review/export", {"entries": [{"id": 2**31, "intent": "ask_item"}]}),
        ("/api/lookup", {"place": "枣庄", "age": "9" * 5000}),
        ("/api/compare", {"age": "9" * 5000}),
        ("/api/lookup", {"place": "枣庄", "ability_grade": "1" * 5000}),
    ],
    ids=lambda v: v if isinstance(v, str) else str(v)[:40],
)
def test_hostile_bodies_are_refused_with_a_4xx_not_a_500(web, path, body):
    before = web.log.read_text(errors="replace").count("Traceback")
    status, data, headers = web.json("POST", path, body, AUTH)
    assert 400 <= status < 500 and isinstance(data.get("error"), str) and data["error"], (status, data)
    assert headers["Content-Type"].startswith("application/json")
    time.sleep(0.2)
    assert web.log.read_text(errors="replace").count("Traceback") == before
