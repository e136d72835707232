"""The REST channel (/webhooks/rest/webhook), masking ID-card and phone numbers before Rasa sees the text,
so they never reach the tracker store, the logs or a reply."""
from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.channels.rest import RestInput
from sanic.request import Request

from bot.nlu.normaliser import mask_pii

MAX_MESSAGE_CHARS = 4000  # beyond this a message is cut; NLU reads far less anyway


class MaskedRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def _extract_message(self, req: Request) -> Text:
        text = super()._extract_message(req)
        return mask_pii(str(text or ""))[:MAX_MESSAGE_CHARS]

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        """Only `{"detail": "full"}` passes (the widget asks for the full per-item answer); nothing else a
        client sends reaches the tracker."""
        body = request.json if isinstance(request.json, dict) else {}
        metadata = body.get("metadata")
        if isinstance(metadata, dict) and metadata.get("detail") == "full":
            return {"detail": "full"}
        return None
