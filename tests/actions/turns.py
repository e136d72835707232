"""One turn through the answering action as Rasa runs it, for the conversation helpers of these tests."""

import asyncio
from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswer


def run_action(events: List[Dict[str, Any]], slots: Dict[str, Any], latest: Dict[str, Any]) -> str:
    """Runs action_answer on the conversation so far; appends the slots it sets to `events` and `slots`; returns
    what it said (a domain response as <utter_…>)."""
    tracker = Tracker("t1", dict(slots), latest, list(events), False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    for e in asyncio.run(ActionAnswer().run(dispatcher, tracker, {})):
        if e["event"] == "followup":  # the turn ends: action_listen
            assert e["name"] == "action_listen"
            continue
        events.append({"event": "slot", "name": e["name"], "value": e["value"]})
        slots[e["name"]] = e["value"]
    return "\n".join(m.get("text") or f"<{m.get('response')}>" for m in dispatcher.messages)
