"""The case code reaches the person, not the tracker store.

Rasa sends an action's bot messages (MessageProcessor._send_bot_messages) after it has appended the same event
objects to the tracker, and saves the tracker after that. The replacement sends each message as Rasa does, then
masks any case code in the event's text, so the conversation is stored (SQLite, PostgreSQL, whatever the store)
with "您的查询码：[查询码已隐去]": only the code's hash is kept (bot/handoff/cases.py), as the docs promise."""

from __future__ import annotations

from typing import List

from rasa.core.channels.channel import OutputChannel
from rasa.shared.core.events import BotUttered, Event
from rasa.shared.core.trackers import DialogueStateTracker

from bot.handoff.codes import mask_codes


async def send_bot_messages(events: List[Event], tracker: DialogueStateTracker, output_channel: OutputChannel) -> None:
    for e in events:
        if not isinstance(e, BotUttered):
            continue
        await output_channel.send_response(tracker.sender_id, e.message())
        if e.text:
            e.text = mask_codes(e.text)  # after sending: the person got the code, the store gets the mask
