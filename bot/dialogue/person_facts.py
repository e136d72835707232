"""One person's facts as a conversation states them, and the engine's Profile built from them: a turn's
entities merged into what is known (a fact named now wins; a correction replaces). Plain dicts of the entities'
values ("facts"), so the household (household.py) can copy, compare and hold them apart for a what-if.

No Rasa here: events and entities are the plain dicts Rasa's tracker holds."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from bot.dialogue.question import is_denial, is_unsure
from bot.nlu.extractor import NOT_ASSESSED
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

FACT_KEYS = (
    "city",
    "county",
    "age",
    "economic",
    "statuses",
    "not_statuses",
    "ability_grade",
    "disability_grade",
    "relation",
    "of",  # whose relative they are when not the writer's ("她妹妹": 您姥姥), as the answer calls them
)
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


def empty() -> Dict[str, Any]:
    return {k: None for k in FACT_KEYS}


def merge(facts: Dict[str, Any], entities: List[dict], intent: str, requested: Optional[str]) -> Dict[str, Any]:
    """One person's facts after a turn's entities about them; facts named now win. Which person a message is
    about is the household's call (household.py): this only merges."""
    kb = default_kb()
    current = {k: facts.get(k) for k in FACT_KEYS}
    new = dict(current)
    places = _values(entities, "county") + _values(entities, "city")
    if places:
        try:
            city, county = resolve_place(kb, places[0])
            if not (county is None and city == current["city"]):  # "户口在聊城" after 莘县 keeps the county
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
    before = current["economic"]
    if (intent == "dont_know" and requested == "economic") or UNSURE in _values(entities, "economic"):
        before = UNSURE  # "不知道" answers the question: the reply says what each case gives and goes on
    new["economic"] = _economic(statuses, not_statuses, new["age"], before)
    said_grade = next(iter(_values(entities, "ability_grade")), None)
    grade = _int(said_grade, min(ABILITY_GRADES), max(ABILITY_GRADES))
    if grade is not None:
        new["ability_grade"] = float(grade)
    elif said_grade == NOT_ASSESSED:  # "还没做过能力评估": a grade said before is taken back
        new["ability_grade"] = None
    grade = _int(
        next(iter(_values(entities, "disability_grade")), None), min(DISABILITY_GRADES), max(DISABILITY_GRADES)
    )
    if grade is not None:
        new["disability_grade"] = float(grade)
    return new


def intent_of(text: str, intent: str) -> str:
    """A bare "不是" / "不知道" is read from its words, whatever the classifier said."""
    if is_denial(text):
        return "deny"
    if is_unsure(text) and intent != "new_person":
        return "dont_know"
    return intent


def _economic(
    statuses: List[str], not_statuses: List[str], age: Optional[float], before: Optional[str]
) -> Optional[str]:
    for s in ECONOMIC:
        if s in statuses:
            return s
    if "低保" in not_statuses or "经济困难" in not_statuses:
        return NEITHER
    if age is not None and age < 60:
        return NOT_APPLICABLE
    return before if before not in ECONOMIC else None


def profile_of(facts: Dict[str, Any]) -> Profile:
    """The engine's Profile; raises ProfileError if the facts do not make a valid one (no city, say)."""
    kb = default_kb()
    age = facts.get("age")
    ability = facts.get("ability_grade")
    disability = facts.get("disability_grade")
    if not (facts.get("county") or facts.get("city")):
        raise ProfileError("未知的城市")
    return make_profile(
        kb,
        facts.get("county") or facts["city"],
        None if age is None else int(age),
        facts.get("statuses") or [],
        facts.get("not_statuses") or [],
        None if ability is None else int(ability),
        None if disability is None else int(disability),
    )


def who(facts: Dict[str, Any]) -> str:
    relation = facts.get("relation")
    if not relation:
        return "老人"
    if facts.get("of"):  # "她妹妹": 您姥姥的妹妹
        return f"{facts['of']}的{relation}"
    return RELATION_WORDS.get(relation, f"您{relation}")
