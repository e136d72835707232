"""Every change this project makes to Rasa's own behaviour, installed here and nowhere else.

Rasa Open Source 3.6.21 is pinned; the replacements below were written against its source and are refused on any
other version (a RuntimeError at start) rather than silently patching code they were not written for. install()
keeps each of Rasa's originals in ORIGINALS; tests/bot/rasa_patches/test_install.py checks that each replacement
is in place and that Rasa's original still does what made the patch necessary.

What is replaced, and why (details in the modules that hold the replacements):
- RemoteAction.run (action_guard.py): a bounded action call; a down, slow or failing action server is a busy
  reply within seconds instead of `[]` or five minutes of waiting;
- FailSafeTrackerStore.on_tracker_store_error / on_tracker_store_retrieve_error, MessageProcessor.save_tracker,
  Agent.handle_message (store_guard.py): a failing tracker or lock store is a busy reply and nothing stored, not an
  answer from a forgotten, empty conversation;
- MessageProcessor._send_bot_messages (code_guard.py): a case code in a bot message is masked in its event once sent,
  so the tracker store keeps the reply without the code;
- RemoteAction._validate_action_result, Event.resolve_by_type, DaskGraphRunner.run (speedups.py): the same
  checks, lookups and graph runs with their constant work done once (the response schema compiled, event classes
  remembered, the graph's node order worked out once per runner instead of dask scheduling it on every message).

`install()` is called where Rasa loads this project's code before serving: the NLU components (every process that
loads the model), the WeChat channel and the tracker stores. Calling it again changes nothing. Where Rasa loads a
class by dotted path, a subclass does the job instead of a patch (bot/stores/)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Tuple

import rasa

RASA_VERSION = "3.6.21"
ORIGINALS: Dict[Tuple[int, str], Any] = {}  # (id(owner), name) -> Rasa's own attribute, as install() found it


@dataclass(frozen=True)
class Patch:
    owner: Any  # a class or module of Rasa's
    name: str
    replacement: Callable[..., Any]
    static: bool = False  # installed as a staticmethod

    @property
    def where(self) -> str:
        return f"{getattr(self.owner, '__qualname__', self.owner.__name__)}.{self.name}"

    def current(self) -> Any:
        """The attribute as it stands, unwrapped from a staticmethod."""
        value = self.owner.__dict__.get(self.name) if isinstance(self.owner, type) else getattr(self.owner, self.name)
        return value.__func__ if isinstance(value, staticmethod) else value


def patches() -> List[Patch]:
    """The replacements, imported here so that their modules capture Rasa's originals before anything changes."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.agent import Agent
    from rasa.core.processor import MessageProcessor
    from rasa.core.tracker_store import FailSafeTrackerStore
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.shared.core.events import Event

    from bot.rasa_patches import action_guard, code_guard, speedups, store_guard

    return [
        Patch(RemoteAction, "run", action_guard.guarded_run),
        Patch(FailSafeTrackerStore, "on_tracker_store_error", store_guard.raise_unavailable),
        Patch(FailSafeTrackerStore, "on_tracker_store_retrieve_error", store_guard.raise_unavailable),
        Patch(MessageProcessor, "save_tracker", store_guard.save_tracker),
        Patch(Agent, "handle_message", store_guard.handle_message),
        Patch(RemoteAction, "_validate_action_result", speedups.validate_action_result),
        Patch(Event, "resolve_by_type", speedups.resolve_by_type, static=True),
        Patch(DaskGraphRunner, "run", speedups.run_graph),
        Patch(MessageProcessor, "_send_bot_messages", code_guard.send_bot_messages, static=True),
    ]


def check_version(version: str = "") -> None:
    found = version or rasa.__version__
    if found != RASA_VERSION:
        raise RuntimeError(
            f"bot.rasa_patches was written for Rasa {RASA_VERSION}, found {found}: check each patch "
            "against the new Rasa source (see the module docstring) before changing RASA_VERSION"
        )


def install() -> List[Patch]:
    check_version()
    done = patches()
    for p in done:
        if p.current() is not p.replacement:
            ORIGINALS[(id(p.owner), p.name)] = p.current()
            setattr(p.owner, p.name, staticmethod(p.replacement) if p.static else p.replacement)
    return done


def original(p: Patch) -> Any:
    """Rasa's own attribute that `p` replaced (after install())."""
    return ORIGINALS[(id(p.owner), p.name)]
