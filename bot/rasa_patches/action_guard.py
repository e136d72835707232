"""Bounds every custom-action call and turns an action server that is down, slow or failing into a polite
"系统繁忙，请稍后再试" within seconds, leaving the conversation ready to go on.

What Rasa 3.6 does by itself (rasa/core/actions/action.py RemoteAction.run, rasa/core/processor.py _run_action):
the call has a fixed 300 s timeout (DEFAULT_REQUEST_TIMEOUT; `action_endpoint` has no timeout setting), a
refused connection or an HTTP 5xx raises RasaException, and the processor logs it, drops the action's events and
*goes on predicting*: the REST channel answers `[]` (nothing at all), and a slow server holds the request for up
to five minutes.

Here each call is bounded by `timeout` (seconds) from the action endpoint's own section of the endpoints file,
a key Rasa keeps but does not read (default 3 s: within WeChat's 5 s and the REST client's patience):

    action_endpoint:
      url: http://localhost:5055/webhook
      timeout: 3

If the call is refused, times out, fails or answers something malformed, the action's result is the busy reply
followed by `action_listen`: the turn ends there (nothing else runs on a half-done turn), it is saved like any
other turn (the user's message and the slots it set are kept: Rasa's slots and the action's household, folded from
the events, stay in step), and the next message is handled as usual once the server is back — sending the same
message again gives the answer a healthy server would have given. ActionExecutionRejection (HTTP 400, an action
declining to run so that the policies predict another) is Rasa's flow control and passes through unchanged.

Installed by bot.rasa_patches (with every other change to Rasa)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, List, Optional

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import BotUttered, Event, FollowupAction

from bot.rasa_patches import inprocess_actions
from bot.rasa_patches.busy import BUSY_TEXT

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 3.0

_original_run = RemoteAction.run  # Rasa's, captured before bot.rasa_patches installs guarded_run


def action_timeout(action: RemoteAction) -> float:
    """`timeout` from the action endpoint's section of the endpoints file, else DEFAULT_TIMEOUT."""
    endpoint = action.action_endpoint
    raw: Optional[Any] = endpoint.kwargs.get("timeout") if endpoint is not None else None
    try:
        value = float(raw) if raw is not None else DEFAULT_TIMEOUT
    except (TypeError, ValueError):
        logger.warning("action_endpoint timeout %r is not a number: using %.1f s", raw, DEFAULT_TIMEOUT)
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


def busy_events() -> List[Event]:
    return [BotUttered(text=BUSY_TEXT, data={}), FollowupAction(ACTION_LISTEN_NAME)]


async def guarded_run(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> List[Event]:
    if self.action_endpoint is None:  # a configuration error, not an outage: Rasa's own message
        return await _original_run(self, output_channel, nlg, tracker, domain)
    module = inprocess_actions.actions_module(self.action_endpoint)
    if module is not None:
        call = inprocess_actions.run(self, module, output_channel, nlg, tracker, domain)
    else:
        call = _original_run(self, output_channel, nlg, tracker, domain)
    timeout = action_timeout(self)
    try:
        return await asyncio.wait_for(call, timeout)
    except ActionExecutionRejection:
        raise
    except asyncio.TimeoutError:
        logger.error(
            "action server: '%s' took longer than %.1f s for %s: answered busy", self.name(), timeout, tracker.sender_id
        )
    except Exception as exc:  # refused, reset, HTTP 5xx, malformed response; an in-process action that raised
        cause = exc.__cause__ or exc.__context__
        logger.error(
            "action server: '%s' failed for %s (%s%s): answered busy",
            self.name(),
            tracker.sender_id,
            type(exc).__name__,
            f" / {type(cause).__name__}" if cause else "",
        )
    return busy_events()
