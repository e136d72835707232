"""rasa-sdk custom actions: read slots, call rules_kb, format the reply. The KB is loaded (and validated)
when the action server imports this package, so a malformed KB stops the server from starting."""
from rules_kb import default_kb

default_kb()
