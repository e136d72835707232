"""The REST channel (/webhooks/rest/webhook), masking ID-card and phone numbers before Rasa sees the text,
so they never reach the tracker store, the logs or a reply."""

from __future__ import annotations

import logging
import unicodedata
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint
from sanic.request import Request

from bot.privacy import mask_pii, well_formed

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 4000  # beyond this a message is cut; NLU reads far less anyway
MAX_ANSWER_REF = 80  # the start of the answer a widget feedback button sits under
BLANK_REPLY = "请输入您的问题，例如：我父亲85岁，枣庄的低保户，能领什么？"


def is_blank(text: Optional[str]) -> bool:
    """Nothing to read: empty, whitespace, or only invisible format characters (zero-width spaces)."""
    return all(c.isspace() or unicodedata.category(c) == "Cf" for c in text or "")


class MaskedRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's REST routes; a blank message is answered with a prompt here instead of going through the
        pipeline (where it ends in an error logged with a traceback and an empty reply)."""

        async def answer(message: UserMessage) -> Any:
            if is_blank(message.text):
                logger.info("REST: blank message answered with a prompt")
                await message.output_channel.send_text_message(message.sender_id, BLANK_REPLY)
                return None
            return await on_new_message(message)

        return super().blueprint(answer)

    def _extract_message(self, req: Request) -> Text:
        text = super()._extract_message(req)
        return mask_pii(well_formed(str(text or "")))[:MAX_MESSAGE_CHARS]

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        """Only what the portal widget sends passes: `"detail": "full"` (the full per-item answer),
        `"client": "widget"` (the review queue counts the widget apart) and `"answer"`, the start of the answer
        a 没用 button sits under (masked, cut); nothing else a client sends reaches the tracker."""
        body = request.json if isinstance(request.json, dict) else {}
        metadata = body.get("metadata")
        if not isinstance(metadata, dict):
            return None
        kept: Dict[Text, Any] = {}
        if metadata.get("detail") == "full":
            kept["detail"] = "full"
        if metadata.get("client") == "widget":
            kept["client"] = "widget"
        if isinstance(metadata.get("answer"), str) and metadata["answer"].strip():
            kept["answer"] = mask_pii(well_formed(metadata["answer"]))[:MAX_ANSWER_REF]
        return kept or None
