"""The row Rasa's SQL tracker store writes for an event, for the stores here that write it themselves."""

from __future__ import annotations

import json
from typing import Any, Dict, Text

from rasa.shared.core.events import Event
from rasa.shared.nlu.constants import INTENT_NAME_KEY


def event_row(sender_id: Text, event: Event) -> Dict[Text, Any]:
    """The `events` row Rasa's SQL store writes for `event` (also used by the PostgreSQL store)."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }
