"""The assistant's one answering action: read the conversation, let the planner answer, send the reply.

Thin on purpose: the question is read by bot.dialogue.question, the reply decided by bot.dialogue.planner,
every figure comes from rules_kb."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.profile_slots import ASKED_SLOT, profile_from_history, profile_from_slots, who
from bot.dialogue.context import make_context
from bot.dialogue.planner import respond
from bot.dialogue.question import read_question
from bot.nlu.normaliser import normalize
from rules_kb import default_kb

logger = logging.getLogger(__name__)
TOPIC_SLOT = "topic"


def _last_user_metadata(tracker: Tracker) -> Dict[str, Any]:
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return event.get("metadata") or {}
    return {}


class ActionAnswer(Action):
    def name(self) -> Text:
        return "action_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict]:
        kb = default_kb()
        latest = tracker.latest_message or {}
        text = normalize(latest.get("text") or "")
        intent = (latest.get("intent") or {}).get("name") or ""
        question = read_question(text, intent, kb)
        slots = profile_from_history(tracker.events)
        detail = _last_user_metadata(tracker).get("detail") == "full"
        ctx = make_context(kb, slots, who(slots), detail, profile_from_slots)
        topic: Optional[Dict[str, Any]] = tracker.get_slot(TOPIC_SLOT)
        reply = respond(question, ctx, topic)
        if reply.response:
            dispatcher.utter_message(response=reply.response)
        else:
            dispatcher.utter_message(text=reply.text)
        return [SlotSet(TOPIC_SLOT, reply.topic), SlotSet(ASKED_SLOT, reply.asked)]
