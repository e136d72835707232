"""bot/channels/web/portal_routes.py over HTTP against a real Rasa server: the portal and its files are public;
the widget's REST calls are allowed from the configured origins only (--cors)."""

import uuid

from tests.bot.channels.web.conftest import PORTAL_ORIGIN


def test_portal_and_static_files_are_public(web):
    status, headers, page = web.request("GET", "/portal")
    assert (
        status == 200
        and "/static/widget.js" in page.decode()
        and "default-src 'self'" in headers["Content-Security-Policy"]
    )
    status, headers, body = web.request("GET", "/static/widget.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript") and b"webhooks/rest/webhook" in body
    assert headers["X-Content-Type-Options"] == "nosniff"
    status, _, _ = web.request("GET", "/static/widget.js", headers={"If-None-Match": headers["ETag"]})
    assert status == 304
    assert web.request("GET", "/static/widget.css")[1]["Content-Type"].startswith("text/css")
    for path in ("/static/console.html", "/static/nope.js", "/static/..%2Fweb_channel.py", "/static/../web_channel.py"):
        assert web.request("GET", path)[0] == 404, path


def test_cors_allows_only_the_configured_origins(web):
    def preflight(origin):
        return web.request(
            "OPTIONS",
            "/webhooks/rest/webhook",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )[1]

    assert preflight(PORTAL_ORIGIN).get("Access-Control-Allow-Origin") == PORTAL_ORIGIN
    assert "Access-Control-Allow-Origin" not in preflight("https://evil.example")
    sender = uuid.uuid4().hex
    status, replies, headers = web.json(
        "POST", "/webhooks/rest/webhook", {"sender": sender, "message": "你好"}, {"Origin": PORTAL_ORIGIN}
    )
    assert status == 200 and headers.get("Access-Control-Allow-Origin") == PORTAL_ORIGIN
