"""The elderly-care rules knowledge base (YAML under this folder) and the engine that reasons over it."""
from . import brief, render
from .engine import (
    Answer,
    Entitlement,
    Hint,
    Profile,
    ProfileError,
    Verdict,
    evaluate,
    fact_match_score,
    find_facts,
    judge_item,
    lookup_item,
    make_profile,
    resolve_place,
    search_facts,
)
from .model import KB
from .outlook import Change, ahead, items_by_content
from .schema import KBError, default_kb, load_kb

__all__ = [
    "Answer", "Change", "Entitlement", "Hint", "KB", "KBError", "Profile", "ProfileError", "Verdict", "ahead",
    "brief", "default_kb", "evaluate", "fact_match_score", "find_facts", "items_by_content", "judge_item",
    "load_kb", "lookup_item", "make_profile", "render", "resolve_place", "search_facts",
]
