"""The elderly-care rules knowledge base (YAML under this folder) and the engine that reasons over it."""
from . import render
from .engine import Answer, Entitlement, Hint, Profile, ProfileError, evaluate, find_facts, lookup_item, make_profile
from .schema import KBError, default_kb, load_kb

__all__ = [
    "Answer", "Entitlement", "Hint", "KBError", "Profile", "ProfileError", "default_kb", "evaluate",
    "find_facts", "lookup_item", "load_kb", "make_profile", "render",
]
