"""The elderly-care rules knowledge base (YAML under this folder) and the engine that reasons over it.

This is its public surface: the actions, channels, dialogue, CLI and tests import from here, not from the
modules inside."""
from . import as_json, brief, outside, render
from .dates import (
    LAPSING_WITHIN_DAYS,
    DateError,
    LapseWarning,
    Period,
    in_force,
    issued_text,
    lapse_note,
    lapse_warnings,
    parse_day,
    period,
    today,
    validity_dict,
)
from .engine import (
    ABILITY_GRADES,
    DISABILITY_GRADES,
    ECONOMIC,
    MAX_AGE,
    NEITHER,
    UNSURE,
    YUAN,
    Answer,
    Entitlement,
    Hint,
    Profile,
    ProfileError,
    Verdict,
    condition_atoms,
    describe_atom,
    evaluate,
    fact_match_score,
    find_facts,
    judge_item,
    known_facts,
    lookup_item,
    make_profile,
    resolve_place,
    search_facts,
)
from .fact_audit import FACT_WARNING_HEADINGS, FactWarning, fact_warnings
from .model import KB, AgeAtLeast, AgeAtMost, HasStatus, Item
from .outlook import Change, age_thresholds, ahead, items_by_content
from .outside import OutsideError, Topic, outside_topic
from .schema import KBError, default_kb, load_kb

__all__ = [
    "ABILITY_GRADES", "DISABILITY_GRADES", "FACT_WARNING_HEADINGS", "FactWarning", "fact_warnings",
    "ECONOMIC", "LAPSING_WITHIN_DAYS", "MAX_AGE", "NEITHER", "UNSURE", "KB",
    "YUAN", "AgeAtLeast", "AgeAtMost", "Answer", "Change", "DateError", "Entitlement", "HasStatus", "Hint", "Item",
    "KBError", "LapseWarning", "OutsideError", "Topic", "outside_topic",
    "Period", "Profile", "ProfileError", "Verdict", "age_thresholds", "ahead", "as_json", "brief",
    "condition_atoms", "default_kb", "describe_atom", "evaluate", "fact_match_score", "find_facts", "in_force",
    "issued_text", "items_by_content", "judge_item", "known_facts", "lapse_note", "lapse_warnings", "load_kb",
    "lookup_item", "make_profile", "outside", "parse_day", "period", "render", "resolve_place", "search_facts", "today",
    "validity_dict",
]
