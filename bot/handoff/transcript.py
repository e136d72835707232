"""What a case shows the operator, read from the conversation's events: the person's profile as the assistant
understood it, and the questions and answers so far, every text masked again (the channels mask already; this
is the last gate before the database). No sender id: a WeChat openid identifies a person."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Optional

from bot.handoff.codes import mask_codes
from bot.privacy import mask_pii, well_formed

MAX_TURNS = 30  # the latest turns; a longer conversation's start is left out (and said so)
MAX_CHARS = 1500  # per text; the full per-item answer is about that long
PROFILE_FIELDS = (
    "city",
    "county",
    "age",
    "economic",
    "statuses",
    "not_statuses",
    "ability_grade",
    "disability_grade",
    "relation",
)


def _clip(text: str) -> str:
    text = mask_pii(well_formed(text or ""))
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS] + "…"


def turns(events: Iterable[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """[{"q": what the person said, "a": what the assistant answered, "at": when}], oldest first."""
    out: List[Dict[str, Any]] = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            out.append({"q": _clip(str(event.get("text") or "")), "a": "", "at": event.get("timestamp")})
        elif kind == "bot" and out and event.get("text"):
            answer = _clip(mask_codes(str(event["text"])))  # an earlier code of the conversation: never shown again
            out[-1]["a"] = (out[-1]["a"] + "\n" if out[-1]["a"] else "") + answer
    return out


def profile(facts: Mapping[str, Any]) -> Dict[str, Any]:
    """The person's facts as the action folded them from the conversation (bot.dialogue.person_facts), numbers as
    integers, empty ones left out."""
    out: Dict[str, Any] = {}
    for key in PROFILE_FIELDS:
        value = facts.get(key)
        if value in (None, "", []):
            continue
        out[key] = int(value) if isinstance(value, float) else value
    return out


def snapshot(
    events: Iterable[Mapping[str, Any]], facts: Mapping[str, Any], channel: str, now: Optional[float] = None
) -> Dict[str, Any]:
    said = turns(events)
    return {
        "channel": channel,
        "profile": profile(facts),
        "turns": said[-MAX_TURNS:],
        "turns_left_out": max(0, len(said) - MAX_TURNS),
        "created": now,
    }
