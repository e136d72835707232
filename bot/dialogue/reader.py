"""Which reader decides the kind of a question: the rules of bot.dialogue.question (the default), the kind
classifier trained on generated examples (bot.nlu.kind_classifier), or both, chosen by the environment variable
YANGLAO_READER:

- `rules` (default): read_question as written, the intent the NLU classifier chose as the last tie-breaker;
- `model`: the kind classifier decides the kind of every non-empty message; everything else (items, entities,
  people, cities, the aspect when the rules' words give one) stays the rules' reading;
- `hybrid`: the rules' reading where the rules are sure; the kind classifier where they are not (`unsure`): the
  rules read nothing (UNCLEAR), fell back on a guess of POLICY with no measure's words and no fact matching, or the
  kind came from the NLU intent, the tie-breaker at the end of read_question (the same message read without the
  intent is of another kind; not the out-of-scope check, which looks at the words itself).
  The classifier's kind is taken only when it is at least HYBRID_CONFIDENCE sure.

YANGLAO_ROLES chooses who tells an item asked from an item stated as a fact ("已经领着高龄津贴了"): `rules`
(default, question.stated_items as written) or `model` (bot.nlu.item_roles, learned from generated examples).

The hooks are one decorator on read_question (`switchable`) and one on stated_items (`roles_switchable`); this
module imports question lazily (question imports this one). Chosen by measurement: docs/measurements.md, "Issue
19: one reading, rules or a trained classifier".
"""

from __future__ import annotations

import dataclasses
import functools
import os
from typing import TYPE_CHECKING, Any, Callable, List, Optional, Sequence, TypeVar, cast

from bot.nlu.normaliser import core as core_of

if TYPE_CHECKING:
    from bot.dialogue.question import Question
    from bot.nlu.extractor import Entity
    from rules_kb import KB

RULES, MODEL, HYBRID = "rules", "model", "hybrid"
MODES = (RULES, MODEL, HYBRID)
ROLE_MODES = (RULES, MODEL)
HYBRID_CONFIDENCE = 0.5

F = TypeVar("F", bound=Callable[..., Any])
G = TypeVar("G", bound=Callable[..., Any])


def _setting(name: str, allowed: tuple) -> str:
    value = os.environ.get(name, RULES).strip().lower() or RULES
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def mode() -> str:
    return _setting("YANGLAO_READER", MODES)


def roles_mode() -> str:
    return _setting("YANGLAO_ROLES", ROLE_MODES)


def warm() -> None:
    """Train the kind classifier now if the mode uses it (about 3 s): called when the model loads
    (bot.nlu.components.KBEntityExtractor) and when the actions are imported, so that no turn waits for it (an
    action is answered busy after 3 s: bot/rasa_patches/action_guard.py)."""
    if mode() != RULES:
        from bot.nlu import kind_classifier

        kind_classifier.trained()
    if roles_mode() != RULES:
        from bot.nlu import item_roles

        item_roles.trained()


def roles_switchable(stated_by_rules: G) -> G:
    """stated_items(text, entities) as YANGLAO_ROLES says; `rules` calls it untouched."""

    @functools.wraps(stated_by_rules)
    def stated(text: str, entities: Sequence["Entity"]) -> List["Entity"]:
        if roles_mode() == RULES:
            return stated_by_rules(text, entities)
        from bot.nlu import item_roles

        clf = item_roles.trained()
        return [e for e in entities if e.entity == "item" and clf.stated(text, e.start, e.end)]

    return cast(G, stated)


def switchable(read_by_rules: F) -> F:
    """read_question(text, intent, kb) as the mode says; `rules` calls it untouched."""

    @functools.wraps(read_by_rules)
    def read(text: str, intent: str = "", kb: Optional["KB"] = None) -> "Question":
        q = read_by_rules(text, intent, kb)
        chosen = mode()
        if chosen == RULES:
            return q
        if chosen == MODEL:
            return by_model(q)
        if not unsure(q, intent, kb, read_by_rules):
            return q
        return by_model(q, HYBRID_CONFIDENCE)

    return cast(F, read)


def by_model(q: "Question", confidence: float = 0.0) -> "Question":
    """The reading with the classifier's kind (if it is at least `confidence` sure); the aspect is the rules' where
    their words give one, else the classifier's."""
    from bot.dialogue import question as reading
    from bot.nlu import kind_classifier

    core = core_of(q.text)
    if not core:
        return q
    r = kind_classifier.read(q.text)
    if r.probability < confidence or r.kind == q.kind:
        return q
    aspect = reading.ABOUT
    if r.kind in (reading.ITEM, reading.COMPARE):
        aspect = reading._aspect(core)
        if aspect == reading.ABOUT and r.kind == reading.ITEM:
            aspect = r.aspect or reading.ABOUT
    fallback = q.fallback if q.kind == reading.POLICY else (reading.ITEM if q.items else reading.UNCLEAR)
    return dataclasses.replace(q, kind=r.kind, aspect=aspect, fallback=fallback)


def unsure(q: "Question", intent: str, kb: Optional["KB"], read_by_rules: Callable[..., "Question"]) -> bool:
    """Whether the rules' reading is a guess: nothing read, a POLICY guess without a measure's words, or the NLU
    intent's tie-break."""
    from bot.dialogue import question as reading
    from rules_kb import default_kb, fact_match_score

    core = core_of(q.text)
    if not core:
        return False
    if q.kind == reading.UNCLEAR:
        return True
    if (
        q.kind == reading.POLICY
        and q.fallback in (reading.UNCLEAR, reading.OUT_OF_SCOPE)
        and not q.policy_cue
        and fact_match_score(kb or default_kb(), core, q.cities[0] if q.cities else None) < reading.POLICY_SCORE
    ):
        return True
    # Out of scope with four characters or more is the rules' own finding (nothing of the KB in the words, or a
    # place outside the three cities), even when the intent asked for the check; the tail gives POLICY there.
    if q.kind == reading.OUT_OF_SCOPE and len(core) >= 4:
        return False
    # The intent decides only where the words gave nothing: no item and no fact of a person.
    if intent and not q.items and not any(e.entity in reading.PROFILE_ENTITIES for e in q.entities):
        return read_by_rules(q.text, "", kb).kind != q.kind
    return False
