"""rasa-sdk custom actions: read slots, call rules_kb, format the reply. The KB is loaded (and validated)
when the action server imports this package, so a malformed KB stops the server from starting. So does an
endpoints file naming an unset ${VAR} (bot/settings.py): the case store is found from it, and a case code that
cannot be stored is only logged, so the first handoff would be too late to say so."""

from bot.settings import read_endpoint
from rules_kb import default_kb

default_kb()
read_endpoint("tracker_store")
