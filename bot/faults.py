"""What a citizen gets when a part of the system is down: importing this module makes every Rasa turn answer
"系统繁忙，请稍后再试" (bot.busy) within seconds instead of nothing, five minutes of waiting or an answer that forgot
the conversation, and the conversation goes on when the part is back:
- bot.action_guard: the action server refused, slow (> `timeout`, 3 s) or failing;
- bot.store_guard: the tracker store (SQLite / PostgreSQL) or the Redis lock store unavailable.

Both patch Rasa's classes (like bot.rasa_speedups), so they must be imported in the Rasa server process before
it serves: the model's NLU components (bot/nlu/components.py) and the WeChat channel import this module, so
every server that loads this project's model has it. Importing it twice is harmless."""
from bot import action_guard, store_guard  # noqa: F401
from bot.busy import BUSY_TEXT  # noqa: F401
