"""The web front ends, served by the Rasa server itself: the portal chat widget and the operator console.

    GET  /portal                 a city-portal stand-in with the widget embedded (public)
    GET  /static/<file>          widget.js, widget.css, console.js, console.css… from bot/web/ (public)
    GET  /console                the operator console (login required; otherwise -> /console/login)
    GET  /console/login          login form; POST /console/login sets the session cookie; POST /console/logout
    GET  /api/meta               cities, counties, statuses and grades the engine accepts     } operator login:
    POST /api/lookup             profile JSON -> entitlements (Answer.to_dict() + display text)   } Bearer token
    POST /api/compare            the same profile in the three cities side by side               } or the console
    GET  /api/facts?q=&city=&on= policy facts with their sources and whether they hold on `on`     } cookie
    GET  /api/kb/status?on=&within=  sources ending within 60 days, rules ended (as `rules_kb check`) }
    GET  /console/case, /console/review   the case-code lookup and the review queue (login required)
    POST /api/case               {"code"} -> the masked case (404 unknown/expired, 429 too many wrong) } operator
    GET  /api/review?status=     counts by day/channel/topic, entries, the domain's intents          } login
    POST /api/review/resolve     {"id", "note"}; POST /api/review/export {"entries": [{"id", "intent"}]} -> NLU YAML

Lookups and comparisons take "on" (YYYY-MM-DD) in the profile JSON; without it they answer for today (China).

The widget itself talks to the REST channel (POST /webhooks/rest/webhook) like any other client.

Why a channel: Rasa builds its Sanic app inside `rasa run` and only lets input channels add routes, mounting each
channel's blueprint under /webhooks/<name>/ (rasa.core.channels.channel.register). These pages belong at the root,
so `blueprint()` returns a `RootBlueprint`, a Sanic Blueprint whose `register()` drops the /webhooks/web prefix.
That is Sanic's own registration path with the app Rasa passes in: no global app lookup (Sanic.get_app() would
need Rasa's internal app name, "rasa_server" or "rasa_core_no_api") and no patching of Rasa.

Login: the token is CONSOLE_TOKEN (or `console_token` in credentials.yml). In production (YANGLAO_ENV=production,
or the deployment's YANGLAO_PROFILE=production) without a token, or with one shorter than 16 characters, the
console and the API answer 503 and an error is logged, while the chat keeps running; in development a random
token is generated at every start and printed to the terminal.
Tokens are compared in constant time; the console's cookie is HttpOnly, SameSite=Strict, Path=/, holds an expiry
and an HMAC of it keyed by the token (never the token), and is Secure in production or over https. A request
authenticated by the cookie must also come from the console's own origin (Origin / Sec-Fetch-Site), so a site
allowed by --cors for the widget cannot use an operator's session.
"""
from bot.channels.web.api import (
    RequestError,
    compare_json,
    facts_json,
    lookup_json,
    meta_json,
    parse_profile,
    status_json,
)
from bot.channels.web.auth import COOKIE, ConsoleAuth, bearer_token, same_origin, same_secret
from bot.channels.web.channel import WebInput
from bot.channels.web.settings import WebSettings

# Split by concern (settings, auth, api, static, channel); credentials.yml names bot.channels.web.WebInput.
__all__ = [
    "COOKIE", "ConsoleAuth", "RequestError", "WebInput", "WebSettings", "bearer_token", "compare_json", "facts_json",
    "lookup_json", "meta_json", "parse_profile", "same_origin", "same_secret", "status_json",
]
