"""The REST channel (/webhooks/rest/webhook), masking ID-card and phone numbers before Rasa sees the text,
so they never reach the tracker store, the logs or a reply."""
from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.channels.rest import RestInput
from sanic.request import Request

from bot.nlu.normaliser import mask_pii, well_formed

MAX_MESSAGE_CHARS = 4000  # beyond this a message is cut; NLU reads far less anyway
MAX_ANSWER_REF = 80  # the start of the answer a widget feedback button sits under


class MaskedRestInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "rest"

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
