"""Rasa 3.6 validates every action-server response with `jsonschema.validate`, which re-checks the large,
constant events schema against the meta-schema on each call: about 15 ms per custom action here, half of a
turn. This builds the validator once and validates each response against it — the same checks, once compiled.
Installed by bot.rasa_patches (with every other change to Rasa)."""
from __future__ import annotations

from typing import Any, Dict, Text

from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction

_original = RemoteAction._validate_action_result
_schema = RemoteAction.action_response_format_spec()
_validator_class = validator_for(_schema)
_validator_class.check_schema(_schema)
_validator = _validator_class(_schema)


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    if _validator.is_valid(result):
        return True
    return _original(self, result)  # invalid: let Rasa raise its own detailed error


# Every stored event is turned back into its class by walking all subclasses of Event (a tenth of a turn's CPU
# here). Event classes are fixed once imported, so the answer per type name is remembered.
from rasa.shared.core.events import Event  # noqa: E402

_resolve_original = Event.resolve_by_type
_event_classes: Dict[Text, Any] = {}


def resolve_by_type(type_name: Text, default: Any = None) -> Any:
    cls = _event_classes.get(type_name)
    if cls is None:
        cls = _resolve_original(type_name, default)
        if cls is not None and cls is not default:
            _event_classes[type_name] = cls
    return cls

