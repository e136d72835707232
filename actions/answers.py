"""The assistant's one answering action: read the conversation, let the planner answer, send the reply.

Thin on purpose: the question is read by bot.dialogue.question, the reply decided by bot.dialogue.planner (or
bot.dialogue.hotline for the hotline, consent and feedback), every figure comes from rules_kb; which turns
enter the review queue is bot.handoff.triage's call, and actions/casework.py writes it."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import casework
from bot.dialogue import hotline, reader
from bot.dialogue import question as reading
from bot.dialogue.context import Reply, make_context
from bot.dialogue.household import TOPIC_SLOT, fold
from bot.dialogue.person_facts import ASKED_SLOT
from bot.dialogue.planner import respond
from bot.dialogue.question import read_question
from bot.handoff import transcript, triage
from bot.handoff.settings import settings
from bot.nlu.normaliser import normalize
from rules_kb import default_kb

logger = logging.getLogger(__name__)
reader.warm()  # an action server's first turn does not wait for the kind classifier (YANGLAO_READER)


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
        household = fold(tracker.events, tracker.sender_id)
        metadata = _last_user_metadata(tracker)
        ctx = make_context(kb, household, metadata.get("detail") == "full")
        topic: Optional[Dict[str, Any]] = tracker.get_slot(TOPIC_SLOT)
        channel = triage.channel_of(tracker.get_latest_input_channel(), metadata)
        asked_before = tracker.get_slot(ASKED_SLOT)
        setup = settings()
        if question.kind == reading.CONSENT and asked_before == hotline.CONSENT_PENDING:
            code = await casework.open_case(transcript.snapshot(tracker.events, household.facts(), channel))
            reply = (
                hotline.code_given(code, ctx.city, setup, topic)
                if code
                else hotline.code_failed(ctx.city, setup, topic)
            )
        else:
            reply = hotline.conversational(question, ctx.city, setup, topic) or respond(question, ctx, topic)
            reply = hotline.escalate(reply, question, asked_before, ctx.city, setup)
        await self._review(tracker, question, reply, asked_before, channel, ctx.city, metadata)
        if reply.response:
            dispatcher.utter_message(response=reply.response)
        else:
            dispatcher.utter_message(text=reply.text)
        # An answer always ends the turn: saying so spares Rasa a policy prediction of what follows
        return [SlotSet(TOPIC_SLOT, reply.topic), SlotSet(ASKED_SLOT, reply.asked), FollowupAction("action_listen")]

    @staticmethod
    async def _review(
        tracker: Tracker,
        question: reading.Question,
        reply: Reply,
        asked_before: Optional[str],
        channel: str,
        city: Optional[str],
        metadata: Dict[str, Any],
    ) -> None:
        latest = tracker.latest_message or {}
        low = settings().low_confidence
        now_said = triage.said(latest, str(latest.get("text") or ""), low)
        offered = reply.asked == hotline.CONSENT_PENDING and asked_before != hotline.CONSENT_PENDING
        why = None
        if offered:
            why = (
                "urgent"
                if question.urgent
                else ("missed" if question.kind not in (reading.HANDOFF, reading.CONSENT) else "asked")
            )
        items = (reply.topic or {}).get("items") or list(question.items)
        feedback_on = (
            triage.answer_referred_to(tracker.events, metadata.get("answer"))
            if question.kind == reading.FEEDBACK
            else None
        )
        entry = triage.entry_for(
            now_said=now_said,
            kind=question.kind,
            reply_text=reply.text,
            reply_response=reply.response,
            handoff=why,
            channel=channel,
            city=city,
            item=items[0] if items else None,
            feedback_on=feedback_on,
            low_confidence=low,
        )
        if entry is not None:
            await casework.enqueue(entry)
