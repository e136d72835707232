"""The REST channel (/webhooks/rest/webhook), masking ID-card and phone numbers before Rasa sees the text,
so they never reach the tracker store, the logs or a reply."""
from __future__ import annotations

from typing import Text

from rasa.core.channels.rest import RestInput
from sanic.request import Request

from bot.text import mask_pii

MAX_MESSAGE_CHARS = 4000  # beyond this a message is cut; NLU reads far less anyway


class MaskedRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def _extract_message(self, req: Request) -> Text:
        text = super()._extract_message(req)
        return mask_pii(str(text or ""))[:MAX_MESSAGE_CHARS]
