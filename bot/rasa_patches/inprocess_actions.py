"""Custom actions run inside the Rasa server, through rasa-sdk's own executor, when the action endpoint names a
Python package instead of a URL:

    action_endpoint:
      actions_module: actions

Rasa Open Source 3.6 always calls an action server over HTTP (Rasa Pro 3.10 added `actions_module` for this).
Over HTTP a turn sends the tracker as JSON to the action server and reads the answer back: about a third of one
turn here (docs/measurements.md, "Where a turn's time goes"). In process, RemoteAction builds the same request body
(`_action_call_format`), rasa-sdk's ActionExecutor runs the action on it exactly as the action server would, and
the response goes through Rasa's own handling of an action server's answer (responses uttered, events
deserialised). An endpoint with a `url` still uses the action server (the production profile); one with both
is an error (logged, and the turn answered busy), since it would be unclear which one runs.

Called from action_guard.guarded_run, so an action that fails is the same busy reply in both modes."""

from __future__ import annotations

import importlib
import inspect
import logging
import pkgutil
from typing import Any, Dict, List, Optional

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.shared.core import events as rasa_events
from rasa.shared.core.events import Event
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

SETTING = "actions_module"
_EXECUTORS: Dict[str, Any] = {}  # package name -> rasa_sdk ActionExecutor with its actions registered


def actions_module(endpoint: Optional[EndpointConfig]) -> Optional[str]:
    """The package to run actions from, if the endpoint asks for in-process actions."""
    if endpoint is None:
        return None
    module = endpoint.kwargs.get(SETTING)
    if module and endpoint.url:
        raise RasaException(
            f"action_endpoint has both url ({endpoint.url}) and {SETTING} ({module}): keep one "
            "(url: an action server; actions_module: the actions run inside this server)"
        )
    return str(module) if module else None


def _action_classes(module: str) -> List[type]:
    """The rasa-sdk Action subclasses defined in `module` and its submodules. (ActionExecutor.register_package
    would register every subclass loaded anywhere in the process, and exits the process on an ImportError.)"""
    from rasa_sdk import Action
    from rasa_sdk.utils import all_subclasses

    package = importlib.import_module(module)
    for info in pkgutil.walk_packages(getattr(package, "__path__", []), prefix=module + "."):
        importlib.import_module(info.name)
    return [
        c
        for c in all_subclasses(Action)
        if (c.__module__ == module or c.__module__.startswith(module + ".")) and not inspect.isabstract(c)
    ]


def executor(module: str) -> Any:
    """One executor per package, its actions registered once (the first call imports them)."""
    found = _EXECUTORS.get(module)
    if found is None:
        from rasa_sdk.executor import ActionExecutor

        found = ActionExecutor()
        for action_class in _action_classes(module):
            found.register_action(action_class)
        if not found.actions:
            raise RasaException(f"{SETTING}: the package '{module}' has no rasa-sdk actions")
        logger.info("custom actions run in this process from '%s': %s", module, ", ".join(sorted(found.actions)))
        _EXECUTORS[module] = found
    return found


async def run(
    action: RemoteAction, module: str, output_channel: Any, nlg: Any, tracker: Any, domain: Any
) -> List[Event]:
    from rasa_sdk.interfaces import ActionExecutionRejection as SDKRejection
    from rasa_sdk.interfaces import ActionNotFoundException

    body = action._action_call_format(tracker, domain)  # what the action server would receive
    try:
        response = await executor(module).run(body) or {}
    except SDKRejection as exc:  # an action declining to run: Rasa's flow control, as over HTTP (status 400)
        raise ActionExecutionRejection(exc.action_name, exc.message) from None
    except ActionNotFoundException as exc:
        raise RasaException(f"Failed to execute custom action '{action.name()}': {exc.message}") from None
    bot_messages = await action._utter_responses(response.get("responses", []), output_channel, nlg, tracker)
    return list(bot_messages) + rasa_events.deserialise_events(response.get("events", []))
