"""Whether a message is only a greeting, thanks or goodbye ("你好", "好的谢谢", "再见"): the NLU pipeline answers
those without the planner (components.py), and the question reader uses the same test."""

from __future__ import annotations

import re
from typing import Optional

from bot.nlu.normaliser import core as core_of

GREET, THANK, GOODBYE = "greet", "thank", "goodbye"

_GREET_RE = re.compile(r"^(?:你好|您好|在吗|哈喽|hello|hi|喂|早上好|下午好|晚上好)[啊呀吗！!。.,，~]*$", re.I)
_THANK_RE = re.compile(r"谢谢|多谢|感谢|谢了|辛苦了")
_GOODBYE_RE = re.compile(r"^(?:好的|好|行|嗯|那)?[，, ]*(?:再见|拜拜|没事了|没有了|不用了)[啊呀！!。.,，~]*$")
SOCIAL_MAX_CHARS = 8  # "好的，谢谢" is thanks; "谢谢，那我妈呢" is a question


def social_kind(text: str) -> Optional[str]:
    """GREET, THANK or GOODBYE for a message that is only that ("你好", "好的谢谢", "再见"), else None."""
    core = core_of(text)
    if _GREET_RE.match(core):
        return GREET
    if _GOODBYE_RE.match(core):
        return GOODBYE
    if _THANK_RE.search(core) and len(core) <= SOCIAL_MAX_CHARS:
        return THANK
    return None
