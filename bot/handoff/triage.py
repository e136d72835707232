"""Which turns enter the review queue, and with what, read from the conversation's events. Pure.

One entry at most per turn, the strongest reason first: a handoff, negative feedback (about the answer it
refers to), a reply that did not understand, an out-of-scope reply, a low intent confidence. Answered turns with
a confident intent, greetings, 有用 and the 同意 that makes a code do not enter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, TypedDict

from bot.handoff.review import Entry

FALLBACK_INTENT = "nlu_fallback"
NOT_UNDERSTOOD_RESPONSE = "utter_default"
OUT_OF_SCOPE_RESPONSE = "utter_out_of_scope"


@dataclass(frozen=True)
class Said:
    """One user message as the tracker holds it."""

    text: str
    intent: str
    confidence: Optional[float]
    low: bool  # below the fallback threshold (Rasa said nlu_fallback) or the review setting


def said(parse: Mapping[str, Any], text: str, low_confidence: float) -> Said:
    """The classifier's own intent: under nlu_fallback, the best real one from the ranking."""
    intent = parse.get("intent") or {}
    name, confidence = intent.get("name") or "", intent.get("confidence")
    fell_back = name == FALLBACK_INTENT
    if fell_back:
        ranked = [r for r in parse.get("intent_ranking") or [] if r.get("name") != FALLBACK_INTENT]
        name, confidence = (ranked[0].get("name") or "", ranked[0].get("confidence")) if ranked else ("", None)
    low = fell_back or (confidence is not None and confidence < low_confidence)
    return Said(text, name, None if confidence is None else float(confidence), low)


def channel_of(input_channel: Optional[str], metadata: Mapping[str, Any]) -> str:
    """rest, wechat, or widget (the portal widget talks REST and says so in its metadata)."""
    if metadata.get("client") == "widget":
        return "widget"
    return (input_channel or "rest")[:16]


def answer_referred_to(events: Sequence[Mapping[str, Any]], ref: Optional[str] = None) -> Optional[Tuple[Dict, str]]:
    """The answer feedback is about and the user event it answered, before the latest user message: the answer
    starting with `ref` (the widget's button under it), else the last one."""
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    turns: List[Tuple[Dict, str]] = []
    current: Optional[Dict] = None
    answer = ""
    for e in events[:last_user]:
        if e.get("event") == "user":
            if current is not None and answer:
                turns.append((current, answer))
            current, answer = dict(e), ""
        elif e.get("event") == "bot" and e.get("text") and current is not None:
            answer = (answer + "\n" if answer else "") + str(e["text"])
    if current is not None and answer:
        turns.append((current, answer))
    if ref:
        for user, text in reversed(turns):
            if text.startswith(ref):
                return user, text
    return turns[-1] if turns else None


class _Where(TypedDict):
    """The fields every queue entry of a turn shares."""

    channel: str
    city: Optional[str]
    item: Optional[str]


def entry_for(
    *,
    now_said: Said,
    kind: str,
    reply_text: str,
    reply_response: Optional[str],
    handoff: Optional[str],
    channel: str,
    city: Optional[str],
    item: Optional[str],
    feedback_on: Optional[Tuple[Dict, str]],
    low_confidence: float,
) -> Optional[Entry]:
    """The queue entry for this turn, or None. `kind` is the question kind (bot.dialogue.question), `handoff`
    why the reply offers the hotline (or None), `feedback_on` the answer negative feedback refers to."""
    replied = reply_text or reply_response or ""
    common = _Where(channel=channel, city=city, item=item)
    if handoff:
        return Entry(
            reason="handoff",
            text=now_said.text,
            intent=now_said.intent,
            confidence=now_said.confidence,
            reply=replied,
            detail=handoff,
            **common,
        )
    if kind == "feedback":
        if feedback_on is None:  # nothing answered yet: the words alone
            return Entry(
                reason="feedback",
                text=now_said.text,
                intent=now_said.intent,
                confidence=now_said.confidence,
                reply=replied,
                detail=now_said.text,
                **common,
            )
        user, answer = feedback_on
        before = said(user.get("parse_data") or {}, str(user.get("text") or ""), low_confidence)
        return Entry(
            reason="feedback",
            text=before.text,
            intent=before.intent,
            confidence=before.confidence,
            reply=answer,
            detail=now_said.text,
            **common,
        )
    if kind in ("consent", "useful"):
        return None
    if reply_response == NOT_UNDERSTOOD_RESPONSE:
        reason = "not_understood"
    elif reply_response == OUT_OF_SCOPE_RESPONSE:
        reason = "out_of_scope"
    elif now_said.low:
        reason = "low_confidence"
    else:
        return None
    return Entry(
        reason=reason,
        text=now_said.text,
        intent=now_said.intent,
        confidence=now_said.confidence,
        reply=replied,
        **common,
    )
