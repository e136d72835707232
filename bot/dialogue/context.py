"""What the planner reads (Context: the person's facts as the conversation has them) and what it returns (Reply)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, Mapping, Optional

from rules_kb import KB, UNSURE, Profile, ProfileError


@dataclass
class Reply:
    text: str = ""
    response: Optional[str] = None  # a domain response to send instead of text
    topic: Optional[Dict[str, Any]] = None  # the question a later fact-only message continues
    asked: Optional[str] = None  # "city" | "age" | "economic"


@dataclass(frozen=True)
class Context:
    """What the conversation knows: the person's facts (Profile fields) and how to call them."""

    kb: KB
    profile: Optional[Profile]  # None when no city is known yet
    age: Optional[int]
    who: str
    economic_unsure: bool  # "不知道" was the answer to the 低保/特困 question
    detail: bool  # the channel always wants the full detail (web widget, console)

    @property
    def city(self) -> Optional[str]:
        return self.profile.city if self.profile else None


def make_context(kb: KB, slots: Mapping[str, Any], who: str, detail: bool,
                 make: Callable[[Mapping[str, Any]], Profile]) -> Context:
    """`make` builds a Profile from slots (actions.profile_slots.profile_from_slots)."""
    profile: Optional[Profile] = None
    if slots.get("city"):
        try:
            profile = make(slots)
        except ProfileError:
            profile = None
    age = slots.get("age")
    return Context(kb, profile, None if age is None else int(age), who, slots.get("economic") == UNSURE, detail)
