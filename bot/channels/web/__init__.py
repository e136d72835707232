"""The web front ends, served by the Rasa server itself: the portal chat widget and the operator console.

    GET  /portal                 a city-portal stand-in with the widget embedded (public)
    GET  /static/<file>          widget.js, widget.css, console.js, console.css… from bot/web/ (public)
    GET  /console                the operator console (login required; otherwise -> /console/login)
    GET  /console/login          login form (user name, password); POST /console/login starts a session (cookie);
                                 POST /console/logout ends it
    GET  /api/meta               cities, counties, statuses and grades the engine accepts     } operator login:
    POST /api/lookup             profile JSON -> entitlements (Answer.to_dict() + display text)   } Bearer token
    POST /api/compare            the same profile in the three cities side by side               } or the console
    GET  /api/facts?q=&city=&on= policy facts with their sources and whether they hold on `on`     } cookie
    GET  /api/kb/status?on=&within=  sources ending within 60 days, rules ended (as `rules_kb check`) }
    GET  /console/case, /console/review   the case-code lookup and the review queue (login required)
    POST /api/case               {"code"} -> the masked case (404 unknown/expired, 429 too many wrong) } operator
    GET  /api/review?status=     counts by day/channel/topic, entries, the domain's intents          } login
    POST /api/review/resolve     {"id", "note"}; POST /api/review/export {"entries": [{"id", "intent"}]} -> NLU YAML
    GET  /console/admin          accounts, sessions and the audit log (admin)
    GET  /api/me; GET/POST /api/accounts; POST /api/accounts/update; POST /api/sessions/end; GET /api/audit

Lookups and comparisons take "on" (YYYY-MM-DD) in the profile JSON; without it they answer for today (China).

The widget itself talks to the REST channel (POST /webhooks/rest/webhook) like any other client.

Why a channel: Rasa builds its Sanic app inside `rasa run` and only lets input channels add routes, mounting each
channel's blueprint under /webhooks/<name>/ (rasa.core.channels.channel.register). These pages belong at the root,
so each concern's routes are a `RootBlueprint`, a Sanic Blueprint whose `register()` drops the /webhooks/web prefix,
and `blueprint()` returns them as one Sanic blueprint group (portal_routes, console_routes, api_routes,
casework_routes, accounts_routes). That is Sanic's own registration path with the app Rasa passes in: no global app
lookup (Sanic.get_app() would need Rasa's internal app name, "rasa_server" or "rasa_core_no_api") and no patching
of Rasa.

Login: each operator has an account (bot/operators/) with a role: operator (lookups, case codes) < reviewer (+ the
review queue and its export) < admin (+ accounts, sessions, the audit log). The first admin comes from
CONSOLE_ADMIN_USER / CONSOLE_ADMIN_PASSWORD (in development a random password is made and printed at every start).
A session is a random token in an HttpOnly, SameSite=Strict cookie (Secure in production or over https); the
database holds its hash, so logging out, a changed role or password, a disabled account or an admin's "end all
sessions" ends it at once on every server. CONSOLE_TOKEN, if set, is the API's machine token (Bearer, reviewer
role). Wrong passwords and tokens are counted per address (handoff.yml login_limit_per_ip), wrong case codes per
session or token and per address, each try taken atomically in the database (bot/handoff/limits.py). A request
authenticated by the cookie, and the login and logout forms, must come from the console's own origin (Origin /
Sec-Fetch-Site), so a site allowed by --cors for the widget cannot use or end an operator's session. What operators
do (logins, case lookups by the code's hash, resolved and exported queue entries, account changes) goes to the
audit log.
"""

from bot.channels.web.api import (
    RequestError,
    compare_json,
    fact_search_json,
    lookup_json,
    meta_json,
    parse_profile,
    status_json,
)
from bot.channels.web.auth import COOKIE, Principal, bearer_token, client_address, same_origin, same_secret
from bot.channels.web.channel import WebInput
from bot.channels.web.settings import WebSettings

# Split by concern (settings, auth, static; the API as functions in *_api.py, its routes in *_routes.py; channel);
# credentials.yml names bot.channels.web.WebInput.
__all__ = [
    "COOKIE",
    "Principal",
    "RequestError",
    "WebInput",
    "WebSettings",
    "bearer_token",
    "client_address",
    "compare_json",
    "fact_search_json",
    "lookup_json",
    "meta_json",
    "parse_profile",
    "same_origin",
    "same_secret",
    "status_json",
]
