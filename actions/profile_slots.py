"""Between Rasa slots and the engine's Profile: merge a turn's entities into what is known."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

from bot.dialogue.question import is_denial, is_unsure
from rules_kb import (
    ABILITY_GRADES,
    DISABILITY_GRADES,
    ECONOMIC,
    MAX_AGE,
    NEITHER,
    UNSURE,
    Profile,
    ProfileError,
    default_kb,
    make_profile,
    resolve_place,
)

PROFILE_SLOTS = ("city", "county", "age", "economic", "statuses", "not_statuses", "ability_grade",
                 "disability_grade", "relation")
NOT_APPLICABLE = "不适用"  # under 60: the economic question changes nothing in the lists
ASKED_SLOT = "asked"  # set by the answering action: the fact it asked for
RELATION_WORDS = {"本人": "您", "老伴": "您老伴"}


def _values(entities: List[dict], name: str) -> List[str]:
    return [str(e["value"]) for e in entities if e.get("entity") == name]


def _int(value: Optional[str], low: int, high: int) -> Optional[int]:
    try:
        number = int(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def merge(slots: Dict[str, Any], entities: List[dict], intent: str, requested: Optional[str]) -> Dict[str, Any]:
    """The profile slots after this turn. A new person starts from nothing; facts named now win."""
    kb = default_kb()
    current = {k: slots.get(k) for k in PROFILE_SLOTS}
    relations = _values(entities, "relation")
    # A new person, said outright or by naming someone else ("那我奶奶呢"), starts from nothing.
    if intent == "new_person" or (relations and current["relation"] and relations[0] != current["relation"]):
        intent = "new_person"
        current = {k: None for k in PROFILE_SLOTS}
    new = dict(current)
    places = _values(entities, "county") + _values(entities, "city")
    if places:
        try:
            city, county = resolve_place(kb, places[0])
            new["city"], new["county"] = city, county
        except ProfileError:
            pass
    ages = [a for a in (_int(v, 0, MAX_AGE) for v in _values(entities, "age")) if a is not None]
    if ages:
        new["age"] = float(ages[0])
    statuses = list(current["statuses"] or [])
    not_statuses = list(current["not_statuses"] or [])
    for s in _values(entities, "not_status"):
        statuses = [x for x in statuses if x != s]
        if s not in not_statuses:
            not_statuses.append(s)
    for s in _values(entities, "status"):
        excluded = kb.regions.excludes.get(s, ())
        statuses = [x for x in statuses if x not in excluded and x != s] + [s]
        not_statuses = [x for x in not_statuses if x != s]
    if intent == "deny" and (requested == "economic" or not entities):
        not_statuses += [s for s in ("低保", "特困") if s not in not_statuses and s not in statuses]
    new["statuses"], new["not_statuses"] = statuses, not_statuses
    before = current["economic"] if intent != "new_person" else None
    if (intent == "dont_know" and requested == "economic") or UNSURE in _values(entities, "economic"):
        before = UNSURE  # "不知道" answers the question: the reply says what each case gives and goes on
    new["economic"] = _economic(statuses, not_statuses, new["age"], before)
    grade = _int(next(iter(_values(entities, "ability_grade")), None), min(ABILITY_GRADES), max(ABILITY_GRADES))
    if grade is not None:
        new["ability_grade"] = float(grade)
    grade = _int(next(iter(_values(entities, "disability_grade")), None), min(DISABILITY_GRADES),
                 max(DISABILITY_GRADES))
    if grade is not None:
        new["disability_grade"] = float(grade)
    if relations:
        new["relation"] = relations[0]
    return new


def profile_from_history(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    """Fold every user turn's entities into one profile, in order; a new person starts again. What the
    assistant last asked ("asked" slot) tells what a bare "不是" or "不知道" answers."""
    profile: Dict[str, Any] = {k: None for k in PROFILE_SLOTS}
    requested: Optional[str] = None
    for event in events:
        kind = event.get("event")
        if kind == "slot" and event.get("name") == ASKED_SLOT:
            requested = event.get("value")
        elif kind == "user":
            parse = event.get("parse_data") or {}
            intent = _intent_of(event.get("text") or "", (parse.get("intent") or {}).get("name") or "")
            profile = merge(profile, parse.get("entities") or [], intent, requested)
            requested = None  # a question is answered by the next message only
    return profile


def _intent_of(text: str, intent: str) -> str:
    """A bare "不是" / "不知道" is read from its words, whatever the classifier said."""
    if is_denial(text):
        return "deny"
    if is_unsure(text) and intent != "new_person":
        return "dont_know"
    return intent


def _economic(statuses: List[str], not_statuses: List[str], age: Optional[float],
              before: Optional[str]) -> Optional[str]:
    for s in ECONOMIC:
        if s in statuses:
            return s
    if "低保" in not_statuses or "经济困难" in not_statuses:
        return NEITHER
    if age is not None and age < 60:
        return NOT_APPLICABLE
    return before if before not in ECONOMIC else None


def profile_from_slots(slots: Dict[str, Any]) -> Profile:
    """Raises ProfileError if the slots do not make a valid profile."""
    kb = default_kb()
    age = slots.get("age")
    ability = slots.get("ability_grade")
    disability = slots.get("disability_grade")
    return make_profile(
        kb,
        slots.get("county") or slots["city"],
        None if age is None else int(age),
        slots.get("statuses") or [],
        slots.get("not_statuses") or [],
        None if ability is None else int(ability),
        None if disability is None else int(disability),
    )


def who(slots: Dict[str, Any]) -> str:
    relation = slots.get("relation")
    if not relation:
        return "老人"
    return RELATION_WORDS.get(relation, f"您{relation}")
