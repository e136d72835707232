"""What the planner reads (Context: the household the conversation holds, and the person the message is about)
and what it returns (Reply)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Dict, Mapping, Optional

from rules_kb import KB, UNSURE, Profile, ProfileError

from .household import Household
from .person_facts import profile_of, who


@dataclass
class Reply:
    text: str = ""
    response: Optional[str] = None  # a domain response to send instead of text
    topic: Optional[Dict[str, Any]] = None  # the question a later fact-only message continues
    asked: Optional[str] = None  # "city" | "age" | "economic"


def person_profile(facts: Mapping[str, Any]) -> Optional[Profile]:
    """The engine's Profile of one person's facts; None while no city is known (or the facts clash)."""
    try:
        return profile_of(dict(facts))
    except ProfileError:
        return None


@dataclass(frozen=True)
class Context:
    """What the conversation knows: the person the message is about (Profile fields, how to call them) and the
    whole household."""

    kb: KB
    profile: Optional[Profile]  # None when no city is known yet
    age: Optional[int]
    who: str
    economic_unsure: bool  # "不知道" was the answer to the 低保/特困 question
    detail: bool  # the channel always wants the full detail (web widget, console)
    household: Household = field(default_factory=Household)

    @property
    def city(self) -> Optional[str]:
        return self.profile.city if self.profile else None

    def for_person(self, index: int) -> "Context":
        """The same conversation, about another person of the household."""
        facts = self.household.people[index].facts
        return dataclasses.replace(
            self, **_person_fields(facts), household=dataclasses.replace(self.household, current=index)
        )


def _person_fields(facts: Mapping[str, Any]) -> Dict[str, Any]:
    age = facts.get("age")
    return {
        "profile": person_profile(facts),
        "age": None if age is None else int(age),
        "who": who(dict(facts)),
        "economic_unsure": facts.get("economic") == UNSURE,
    }


def make_context(kb: KB, household: Household, detail: bool) -> Context:
    return Context(kb, detail=detail, household=household, **_person_fields(household.facts()))
